// SPDX-License-Identifier: GPL-2.0
/*
 * The pin observer (unstable.h), on the tracepoints of get_user_pages(),
 * of ext4's writeback and of the block device.
 *
 * Stable writes: when ext4 takes a page's bytes for I/O (the frame, or a
 * stable copy), the observer keeps a snapshot of them; when the block
 * device has written a block of that page, it reads the block back and
 * compares it with the snapshot.  A device's DMA between the two, or
 * during the write, shows as unstable bytes: the disk then holds a state
 * the page was never in at one moment.  A CPU store in that window does
 * not count: it went through ->page_mkwrite(), which dirtied the page
 * again for the next writeback, as on any device without stable pages.
 *
 * Locking: the per-pfn counts are atomics, read racily where a page pinned
 * or unpinned at that moment may count either way, as in the kernel; so
 * are the bits of bytes stored, which the storing task sets while the
 * writeback task reads them.  A page's snapshot is written when its
 * writeback takes it and read by its own I/O: PG_writeback keeps a second
 * writeback of the page out between.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/blkdev.h>
#include <linux/mm.h>
#include <linux/tracepoint.h>
#include <linux/vmstat.h>

#include "unstable.h"

struct pin_truth {
	int pins;		/* devices that hold the page */
	int writers;		/* of them, those that hold it for write */
	const void *io_data;	/* where the I/O's bytes come from */
	/* Bytes a CPU stored since the I/O took them, a bit each. */
	unsigned long stored[PAGE_SIZE / BITS_PER_LONG];
};

static struct pin_truth *truth;
static unsigned char *snapshots;	/* PAGE_SIZE per pfn */
static unsigned long nr_pfns;

static void pins_map(void *data, struct page *page, bool write)
{
	struct pin_truth *t = &truth[page_to_pfn(page)];

	__atomic_add_fetch(&t->pins, 1, __ATOMIC_RELAXED);
	if (write)
		__atomic_add_fetch(&t->writers, 1, __ATOMIC_RELAXED);
}

/* The device stopped writing: before the release dirties the page. */
static void pins_unmap(void *data, struct page *page, bool write)
{
	if (write)
		__atomic_sub_fetch(&truth[page_to_pfn(page)].writers, 1,
				   __ATOMIC_RELAXED);
}

/* The pin is gone: after the release's unpin. */
static void pins_release(void *data, struct page *page, bool dirty)
{
	__atomic_sub_fetch(&truth[page_to_pfn(page)].pins, 1, __ATOMIC_RELAXED);
}

static void pins_maybe_pinned(void *data, struct page *page, bool pinned)
{
	if (pinned && !__atomic_load_n(&truth[page_to_pfn(page)].pins,
				       __ATOMIC_RELAXED))
		count_vm_event(PIN_FALSE_POSITIVE);
}

/* ext4 took the page's bytes for I/O: from the frame, or a copy. */
static void pins_page_io(void *data, struct page *page, const void *io_data)
{
	unsigned long pfn = page_to_pfn(page);
	struct pin_truth *t = &truth[pfn];

	/* Written in place (not from a stable copy) while a device holds it. */
	if (io_data == page_address(page)) {
		if (__atomic_load_n(&t->pins, __ATOMIC_RELAXED))
			count_vm_event(PINNED_WRITES);
		if (__atomic_load_n(&t->writers, __ATOMIC_RELAXED))
			count_vm_event(UNSTABLE_WRITES);
	}
	t->io_data = io_data;
	for (size_t i = 0; i < ARRAY_SIZE(t->stored); i++)
		__atomic_store_n(&t->stored[i], 0, __ATOMIC_RELAXED);
	data_race_begin();	/* a device may be writing the frame */
	memcpy(snapshots + pfn * PAGE_SIZE, io_data, PAGE_SIZE);
	data_race_end();
}

/* A CPU store is about to write @len bytes at @offset of @page. */
static void pins_store(void *data, struct page *page, unsigned int offset,
		       const void *buf, size_t len)
{
	struct pin_truth *t = &truth[page_to_pfn(page)];

	size_t end = min_t(size_t, (size_t)offset + len, PAGE_SIZE);

	for (size_t i = offset; i < end;) {
		size_t bit = i % BITS_PER_LONG;
		size_t n = min_t(size_t, BITS_PER_LONG - bit, end - i);
		unsigned long mask = n == BITS_PER_LONG ? ~0UL :
							  ((1UL << n) - 1) << bit;

		__atomic_fetch_or(&t->stored[i / BITS_PER_LONG], mask,
				  __ATOMIC_RELAXED);
		i += n;
	}
}

/* The block is on the device: is it what writeback took? */
static void pins_block_written(void *data, struct block_device *bdev,
			       struct page *page, const void *buf, size_t len,
			       u64 offset)
{
	unsigned long pfn = page_to_pfn(page);
	const unsigned char *snap = snapshots + pfn * PAGE_SIZE;
	const char *base = truth[pfn].io_data;
	size_t off = (size_t)((const char *)buf - base);
	unsigned char disk[PAGE_SIZE];
	long differ = 0;

	if (!base || off + len > PAGE_SIZE ||
	    blkdev_read(bdev, disk, len, offset))
		return;
	/* Almost always so: then no byte needs its stored bit looked at. */
	if (!memcmp(disk, snap + off, len))
		return;
	for (size_t i = 0; i < len; i++) {
		size_t b = off + i;

		differ += disk[i] != snap[b] &&
			  !(__atomic_load_n(&truth[pfn].stored[b / BITS_PER_LONG],
					    __ATOMIC_RELAXED) &
			    (1UL << (b % BITS_PER_LONG)));
	}
	if (differ)
		count_vm_events(UNSTABLE_BYTES, differ);
}

int unstable_writes_start(unsigned long max_pfn)
{
	int err;

	nr_pfns = max_pfn ? max_pfn : 1;
	truth = calloc(nr_pfns, sizeof(*truth));
	snapshots = malloc(nr_pfns * PAGE_SIZE);
	if (!truth || !snapshots) {
		unstable_writes_stop();
		return -ENOMEM;
	}
	err = register_trace_dma_map_page(pins_map, NULL);
	if (!err)
		err = register_trace_dma_unmap_page(pins_unmap, NULL);
	if (!err)
		err = register_trace_dma_release(pins_release, NULL);
	if (!err)
		err = register_trace_page_maybe_dma_pinned(pins_maybe_pinned,
							   NULL);
	if (!err)
		err = register_trace_writeback_page_io(pins_page_io, NULL);
	if (!err)
		err = register_trace_user_store_begin(pins_store, NULL);
	if (!err)
		err = register_trace_block_write_page(pins_block_written, NULL);
	return err;
}

void unstable_writes_stop(void)
{
	unregister_trace_dma_map_page(pins_map, NULL);
	unregister_trace_dma_unmap_page(pins_unmap, NULL);
	unregister_trace_dma_release(pins_release, NULL);
	unregister_trace_page_maybe_dma_pinned(pins_maybe_pinned, NULL);
	unregister_trace_writeback_page_io(pins_page_io, NULL);
	unregister_trace_user_store_begin(pins_store, NULL);
	unregister_trace_block_write_page(pins_block_written, NULL);
	free(truth);
	free(snapshots);
	truth = NULL;
	snapshots = NULL;
}
