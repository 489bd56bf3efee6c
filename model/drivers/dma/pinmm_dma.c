// SPDX-License-Identifier: GPL-2.0
/*
 * The fake DMA device.  See include/linux/dma_dev.h.
 *
 * Misuse is refused with an error and a kernel-style message, never by
 * crashing: writing or releasing without a pin, pinning twice, a range
 * outside the device's pinned window.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dma_dev.h>
#include <linux/pagemap.h>
#include <linux/printk.h>
#include <linux/tracepoint.h>
#include <linux/vmstat.h>

void dma_dev_init(struct dma_dev *dev, const char *name)
{
	memset(dev, 0, sizeof(*dev));
	dev->name = name;
}

int dma_dev_pin(struct dma_dev *dev, struct mm_struct *mm,
		unsigned long start, unsigned long nr_pages, bool longterm,
		bool write)
{
	return dma_dev_pin_flags(dev, mm, start, nr_pages,
				 (write ? FOLL_WRITE : 0) |
				 (longterm ? FOLL_LONGTERM : 0));
}

/* Put what a pin of @flags got: unpin, or put plain references. */
static void dma_dev_put_pages(struct page **pages, unsigned long n,
			      unsigned int flags, bool dirty)
{
	if (!(flags & FOLL_GET)) {
		if (dirty)
			put_user_pages_dirty_lock(pages, n);
		else
			put_user_pages(pages, n);
		return;
	}
	for (unsigned long i = 0; i < n; i++) {
		if (dirty)
			set_page_dirty_lock(pages[i]);
		put_page(pages[i]);
	}
}

int dma_dev_pin_flags(struct dma_dev *dev, struct mm_struct *mm,
		      unsigned long start, unsigned long nr_pages,
		      unsigned int flags)
{
	bool write = flags & FOLL_WRITE;
	long got;

	if (dev->pinned) {
		pr_err("pinmm_dma %s: already holds a pin\n", dev->name);
		return -EBUSY;
	}
	if (!nr_pages || (start & ~PAGE_MASK)) {
		pr_err("pinmm_dma %s: bad range %#lx+%lu pages\n", dev->name,
		       start, nr_pages);
		return -EINVAL;
	}
	dev->pages = calloc(nr_pages, sizeof(*dev->pages));
	if (!dev->pages)
		return -ENOMEM;
	got = get_user_pages(mm, start, nr_pages, flags, dev->pages);
	if (got < 0 || (unsigned long)got != nr_pages) {
		for (long i = 0; i < got; i++)
			trace_dma_unmap_page(dev->pages[i], write);
		if (got > 0)
			dma_dev_put_pages(dev->pages, (unsigned long)got, flags, false);
		free(dev->pages);
		dev->pages = NULL;
		pr_err("pinmm_dma %s: get_user_pages: %ld of %lu pages\n",
		       dev->name, got, nr_pages);
		return got < 0 ? (int)got : -EFAULT;
	}
	/* get_user_pages() reported each page mapped for DMA. */
	for (unsigned long i = 0; i < nr_pages; i++)
		trace_event("pin", dev->pages[i], (long)page_count(dev->pages[i]));
	dev->mm = mm;
	dev->start = start;
	dev->nr_pages = nr_pages;
	dev->longterm = flags & FOLL_LONGTERM;
	dev->write = write;
	dev->plain = flags & FOLL_GET;
	dev->pinned = true;
	return 0;
}

/*
 * One DMA burst: @len bytes at @offset of the pinned range, written into
 * the page frames behind mm's back.
 */
int dma_dev_write(struct dma_dev *dev, unsigned long offset, size_t len,
		  u64 seed)
{
	unsigned char buf[PAGE_SIZE];

	if (!dev->pinned) {
		pr_err("pinmm_dma %s: DMA without a pin\n", dev->name);
		return -EINVAL;
	}
	if (!dev->write) {
		pr_err("pinmm_dma %s: DMA into pages pinned without FOLL_WRITE\n",
		       dev->name);
		return -EPERM;
	}
	if (!len || offset + len > dev->nr_pages * PAGE_SIZE || offset + len < offset) {
		pr_err("pinmm_dma %s: DMA %#lx+%zu outside the pinned range\n",
		       dev->name, offset, len);
		return -EINVAL;
	}
	count_vm_event(DMA_BURSTS);
	trace_span_begin("dma_burst", NULL, (long)len);
	while (len) {
		struct page *page = dev->pages[offset / PAGE_SIZE];
		unsigned int off = (unsigned int)(offset % PAGE_SIZE);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);

		dma_pattern_fill(buf, seed, offset, n);
		trace_dma_write_begin(page, off, buf, n);
		data_race_begin();
		memcpy((char *)page_address(page) + off, buf, n);
		data_race_end();
		trace_dma_write(page, off, buf, n);
		count_vm_events(DMA_BYTES, (long)n);
		offset += n;
		len -= n;
	}
	trace_span_end("dma_burst", NULL, 0);
	return 0;
}

int dma_dev_release(struct dma_dev *dev, bool dirty)
{
	if (!dev->pinned) {
		pr_err("pinmm_dma %s: release without a pin\n", dev->name);
		return -EINVAL;
	}
	for (unsigned long i = 0; i < dev->nr_pages; i++)
		trace_dma_unmap_page(dev->pages[i], dev->write);
	trace_span_begin("release", NULL, dirty);
	for (unsigned long i = 0; i < dev->nr_pages; i++)
		trace_dma_release_begin(dev->pages[i], dirty);
	dma_dev_put_pages(dev->pages, dev->nr_pages,
			  dev->plain ? FOLL_GET : 0, dirty);
	for (unsigned long i = 0; i < dev->nr_pages; i++)
		trace_dma_release(dev->pages[i], dirty);
	trace_span_end("release", NULL, dirty);
	free(dev->pages);
	dev->pages = NULL;
	dev->pinned = false;
	dev->nr_pages = 0;
	return 0;
}
