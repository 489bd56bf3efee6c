// SPDX-License-Identifier: GPL-2.0
/*
 * Framebuffer deferred I/O.  See include/linux/fb.h.
 *
 * Locking: fbdefio->lock (a mutex) -> PG_locked.  The worker holds the
 * mutex while it cleans and flushes the queued pages, as the kernel does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/fb.h>
#include <linux/ktime.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>

static int fb_deferred_io_set_page_dirty(struct page *page)
{
	if (!PageDirty(page))
		SetPageDirty(page);
	return 0;
}

static const struct address_space_operations fb_deferred_io_aops = {
	.set_page_dirty = fb_deferred_io_set_page_dirty,
};

struct fb_info *page_fb_info(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	if (!mapping || mapping->a_ops != &fb_deferred_io_aops)
		return NULL;
	return container_of(mapping->host, struct fb_info, inode);
}

static int fb_deferred_io_fault(struct vm_fault *vmf)
{
	struct fb_info *info = container_of(vmf->vma->vm_file, struct fb_info, file);
	struct page *page;

	if (vmf->pgoff >= info->nr_pages)
		return VM_FAULT_SIGBUS;
	page = info->pages[vmf->pgoff];
	get_page(page);
	vmf->page = page;
	return 0;
}

static void schedule_deferred_io(struct fb_deferred_io *fbdefio)
{
	spin_lock(&fbdefio->wait.lock);
	fbdefio->scheduled = true;
	spin_unlock(&fbdefio->wait.lock);
	wake_up_all(&fbdefio->wait);
}

/* The first store to a clean page: queue it for the worker. */
static int fb_deferred_io_mkwrite(struct vm_fault *vmf)
{
	struct fb_info *info = container_of(vmf->vma->vm_file, struct fb_info, file);
	struct fb_deferred_io *fbdefio = &info->fbdefio;
	struct page *page = vmf->page;
	bool queued = false;

	mutex_lock(&fbdefio->lock);
	lock_page(page);
	for (unsigned int i = 0; i < fbdefio->nr_pagerefs; i++)
		if (fbdefio->pagerefs[i] == page)
			queued = true;
	if (!queued)
		fbdefio->pagerefs[fbdefio->nr_pagerefs++] = page;
	mutex_unlock(&fbdefio->lock);
	schedule_deferred_io(fbdefio);
	return VM_FAULT_LOCKED;
}

static const struct vm_operations_struct fb_deferred_io_vm_ops = {
	.fault = fb_deferred_io_fault,
	.page_mkwrite = fb_deferred_io_mkwrite,
};

/* fb_deferred_io_mmap(): the device file's mappings fault through defio. */
static int fb_deferred_io_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &fb_deferred_io_vm_ops;
	return 0;
}

static const struct file_operations fb_deferred_io_fops = {
	.mmap = fb_deferred_io_mmap,
};

/* The driver's ->deferred_io: copy the queued pages to the display. */
static void fb_deferred_io_flush_pages(struct fb_info *info)
{
	struct fb_deferred_io *fbdefio = &info->fbdefio;

	for (unsigned int i = 0; i < fbdefio->nr_pagerefs; i++) {
		struct page *page = fbdefio->pagerefs[i];

		data_race_begin();
		memcpy(info->screen + page->index * PAGE_SIZE,
		       page_address(page), PAGE_SIZE);
		data_race_end();
	}
	fbdefio->nr_pagerefs = 0;
}

static void fb_deferred_io_work(struct fb_info *info)
{
	struct fb_deferred_io *fbdefio = &info->fbdefio;
	bool skip_pinned_pages = false;

	/* Here we mkclean the pages, then do all deferred I/O. */
	mutex_lock(&fbdefio->lock);
	for (unsigned int i = 0; i < fbdefio->nr_pagerefs; i++) {
		struct page *cur = fbdefio->pagerefs[i];
		unsigned long waits = current->pin_waits;

		lock_page(cur);
		page_mkclean(cur, skip_pinned_pages);
		unlock_page(cur);
		count_vm_event(DEFIO_PAGES_CLEANED);
		if (current->pin_waits != waits)
			count_vm_event(DEFIO_WAITED_UNPIN);
	}
	fb_deferred_io_flush_pages(info);
	mutex_unlock(&fbdefio->lock);
}

static bool deferred_io_pending(struct fb_deferred_io *fbdefio)
{
	bool pending;

	spin_lock(&fbdefio->wait.lock);
	pending = fbdefio->scheduled;
	fbdefio->scheduled = false;
	spin_unlock(&fbdefio->wait.lock);
	return pending;
}

/* The delayed work: a store schedules it, it runs @delay later. */
static void fb_deferred_io_worker(void *arg)
{
	struct fb_info *info = arg;
	struct fb_deferred_io *fbdefio = &info->fbdefio;

	while (!kthread_should_stop()) {
		DEFINE_WAIT(wait);

		prepare_to_wait(&fbdefio->wait, &wait, TASK_INTERRUPTIBLE);
		if (!deferred_io_pending(fbdefio) && !kthread_should_stop()) {
			schedule_timeout(1000000);
			finish_wait(&fbdefio->wait, &wait);
			continue;
		}
		finish_wait(&fbdefio->wait, &wait);
		fsleep(fbdefio->delay);
		fb_deferred_io_work(info);
	}
}

int fb_alloc(struct fb_info *info, unsigned long nr_pages, unsigned long delay)
{
	memset(info, 0, sizeof(*info));
	info->pages = calloc(nr_pages, sizeof(*info->pages));
	info->screen = calloc(nr_pages, PAGE_SIZE);
	info->fbdefio.pagerefs = calloc(nr_pages, sizeof(struct page *));
	if (!info->pages || !info->screen || !info->fbdefio.pagerefs)
		goto nomem;
	info->nr_pages = nr_pages;
	info->inode.i_name = "fb0";
	info->inode.i_mapping = &info->inode.i_data;
	info->inode.i_blkbits = PAGE_SHIFT;
	info->inode.i_size = (loff_t)(nr_pages * PAGE_SIZE);
	address_space_init(&info->inode.i_data, &info->inode,
			   &fb_deferred_io_aops, nr_pages);
	info->inode.i_data.account_dirty = false;
	set_bit(AS_NO_LRU, &info->inode.i_data.flags);
	for (unsigned long i = 0; i < nr_pages; i++) {
		struct page *page = alloc_page(GFP_KERNEL);

		if (!page)
			goto nomem;
		memset(page_address(page), 0, PAGE_SIZE);
		page->mapping = &info->inode.i_data;
		page->index = i;
		SetPageUptodate(page);
		info->pages[i] = page;
	}
	info->inode.i_nlink = 1;
	info->inode.i_fop = &fb_deferred_io_fops;
	file_init(&info->file, &info->inode);
	info->fbdefio.delay = delay;
	mutex_init(&info->fbdefio.lock);
	init_waitqueue_head(&info->fbdefio.wait);
	return 0;
nomem:
	fb_release(info, false);
	return -ENOMEM;
}

void fb_deferred_io_init(struct fb_info *info)
{
	info->fbdefio.worker = kthread_run(fb_deferred_io_worker, info,
					   "kworker/fb_defio");
}

void fb_deferred_io_flush(struct fb_info *info)
{
	fb_deferred_io_work(info);
}

void fb_deferred_io_cleanup(struct fb_info *info)
{
	if (!info->fbdefio.worker)
		return;
	kthread_stop(info->fbdefio.worker);
	task_free(info->fbdefio.worker);
	info->fbdefio.worker = NULL;
}

/* @dead: the machine stopped mid-run; give back host memory only. */
void fb_release(struct fb_info *info, bool dead)
{
	if (info->pages && !dead) {
		for (unsigned long i = 0; i < info->nr_pages; i++) {
			if (!info->pages[i])
				continue;
			info->pages[i]->mapping = NULL;
			put_page(info->pages[i]);
		}
	}
	if (info->nr_pages) {
		address_space_destroy(&info->inode.i_data);
		mutex_destroy(&info->fbdefio.lock);
		destroy_waitqueue_head(&info->fbdefio.wait);
	}
	free(info->pages);
	free(info->screen);
	free(info->fbdefio.pagerefs);
	info->pages = NULL;
	info->screen = NULL;
	info->fbdefio.pagerefs = NULL;
}
