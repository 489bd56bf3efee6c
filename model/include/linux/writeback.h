/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writeback control and the flusher (mm/page-writeback.c,
 * fs/fs-writeback.c).
 */
#ifndef _LINUX_WRITEBACK_H
#define _LINUX_WRITEBACK_H

#include <linux/fs.h>
#include <linux/wait.h>

enum writeback_sync_modes {
	WB_SYNC_NONE,	/* cleaning: don't wait on anything */
	WB_SYNC_ALL,	/* data integrity: wait on every page */
};

enum wb_reason {
	WB_REASON_BACKGROUND,
	WB_REASON_VMSCAN,
	WB_REASON_SYNC,
	WB_REASON_PERIODIC,
	WB_REASON_FSYNC,
};

struct writeback_control {
	long nr_to_write;
	long pages_skipped;
	loff_t range_start;
	loff_t range_end;
	enum writeback_sync_modes sync_mode;
	unsigned for_kupdate : 1;
	unsigned for_background : 1;
	unsigned tagged_writepages : 1;
	unsigned for_reclaim : 1;
	unsigned range_cyclic : 1;
	unsigned for_sync : 1;
};

/*
 * The one writeback context of the model's one bdi: its dirty inodes and
 * the flusher task that writes them.
 */
struct bdi_writeback {
	spinlock_t list_lock;
	struct list_head b_dirty;	/* dirty inodes, oldest first */
	struct list_head b_io;		/* being written by this pass */
	struct super_block *sb;
	struct task_struct *task;	/* the flusher */
	struct wait_queue_head wakeup;
	spinlock_t work_lock;
	struct list_head work_list;	/* queued wb_writeback_work */
	bool start_all;			/* under work_lock: vmscan asked */
	u64 last_old_flush;
	unsigned long dirty_writeback_interval;	/* us; 0: only on demand */
	unsigned long dirty_expire_interval;	/* us */
	enum writeback_sync_modes periodic_sync_mode;
};

typedef int (*writepage_t)(struct page *page, struct writeback_control *wbc,
			   void *data);

int do_writepages(struct address_space *mapping, struct writeback_control *wbc);
int write_cache_pages(struct address_space *mapping,
		      struct writeback_control *wbc, writepage_t writepage,
		      void *data);
int __writepage(struct page *page, struct writeback_control *wbc, void *data);
int generic_writepages(struct address_space *mapping,
		       struct writeback_control *wbc);
void redirty_page_for_writepage(struct writeback_control *wbc,
				struct page *page);

void __mark_inode_dirty(struct inode *inode, int flags);
void inode_wb_list_del(struct inode *inode);
void wb_init(struct bdi_writeback *wb, struct super_block *sb);
void wb_exit(struct bdi_writeback *wb);
void wb_workfn(struct bdi_writeback *wb);
void wb_start_flusher(struct bdi_writeback *wb);
void wb_stop_flusher(struct bdi_writeback *wb);
void wakeup_flusher_threads(struct bdi_writeback *wb, enum wb_reason reason);
void sync_inodes_sb(struct super_block *sb);
long writeback_inodes_wb(struct bdi_writeback *wb, long nr_pages,
			 enum writeback_sync_modes sync_mode,
			 enum wb_reason reason);

#endif /* _LINUX_WRITEBACK_H */
