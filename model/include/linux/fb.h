/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A framebuffer with deferred I/O (drivers/video/fb_defio.c).
 *
 * Its memory is a set of pages that are on no LRU; a process maps them
 * shared, and each first store after a clean-up faults into
 * fb_deferred_io_mkwrite(), which queues the page.  The deferred-I/O
 * worker then, for each queued page, locks it, page_mkclean()s it and
 * unlocks it, and copies the queued pages to the display.
 *
 * The 2018 fb_defio kept its queue in page->lru, the very words the seed's
 * pin overlays; the model keeps it in an array of page references, as
 * fb_defio has since 2022, so that the seed can be run on it at all.
 */
#ifndef _LINUX_FB_H
#define _LINUX_FB_H

#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/mutex.h>

struct fb_info;

struct fb_deferred_io {
	unsigned long delay;		/* us between a store and the flush */
	struct mutex lock;		/* the page queue */
	struct page **pagerefs;
	unsigned int nr_pagerefs;
	struct wait_queue_head wait;	/* the worker sleeps here */
	bool scheduled;			/* under wait.lock */
	struct task_struct *worker;
};

struct fb_info {
	struct inode inode;		/* the device file's inode */
	struct file file;
	struct page **pages;
	unsigned long nr_pages;
	unsigned char *screen;		/* what the display shows */
	struct fb_deferred_io fbdefio;
};

int fb_alloc(struct fb_info *info, unsigned long nr_pages, unsigned long delay);
void fb_release(struct fb_info *info, bool dead);
void fb_deferred_io_init(struct fb_info *info);
void fb_deferred_io_cleanup(struct fb_info *info);
void fb_deferred_io_flush(struct fb_info *info);
struct fb_info *page_fb_info(struct page *page);

#endif /* _LINUX_FB_H */
