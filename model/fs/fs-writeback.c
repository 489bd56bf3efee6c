// SPDX-License-Identifier: GPL-2.0
/*
 * The flusher: writeback of dirty inodes by a kernel thread.
 *
 * Dirty inodes wait on wb->b_dirty in the order they were dirtied.  The
 * flusher wakes every dirty_writeback_interval (kupdate-style writeback,
 * WB_SYNC_NONE by default), when reclaim finds only dirty pages, and when
 * sync() queues a WB_SYNC_ALL work item and waits for it.  The call chain
 * is the kernel's: wb_workfn -> wb_do_writeback -> wb_writeback ->
 * __writeback_inodes_wb -> writeback_sb_inodes -> __writeback_single_inode
 * -> do_writepages.
 *
 * Locking: wb->list_lock protects the inode lists and i_state;
 * wb->work_lock the work list and start_all.  Neither is held across
 * do_writepages().
 */
#include <limits.h>
#include <stdlib.h>

#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>
#include <linux/writeback.h>

struct wb_writeback_work {
	long nr_pages;
	enum writeback_sync_modes sync_mode;
	unsigned for_kupdate : 1;
	unsigned range_cyclic : 1;
	unsigned for_sync : 1;
	enum wb_reason reason;
	struct completion *done;
	struct list_head list;
};

void wb_init(struct bdi_writeback *wb, struct super_block *sb)
{
	spin_lock_init(&wb->list_lock);
	spin_lock_init(&wb->work_lock);
	INIT_LIST_HEAD(&wb->b_dirty);
	INIT_LIST_HEAD(&wb->b_io);
	INIT_LIST_HEAD(&wb->work_list);
	init_waitqueue_head(&wb->wakeup);
	wb->sb = sb;
	wb->task = NULL;
	wb->start_all = false;
	wb->last_old_flush = 0;
	wb->dirty_writeback_interval = 0;
	wb->dirty_expire_interval = 0;
	wb->periodic_sync_mode = WB_SYNC_NONE;
	sb->s_wb = wb;
}

void wb_exit(struct bdi_writeback *wb)
{
	spin_lock_destroy(&wb->list_lock);
	spin_lock_destroy(&wb->work_lock);
	destroy_waitqueue_head(&wb->wakeup);
	wb->sb->s_wb = NULL;
}

void __mark_inode_dirty(struct inode *inode, int flags)
{
	struct bdi_writeback *wb = inode->i_sb->s_wb;

	if (!wb)
		return;
	spin_lock(&wb->list_lock);
	if ((inode->i_state & (unsigned long)flags) != (unsigned long)flags) {
		bool was_dirty = inode->i_state & I_DIRTY_PAGES;

		inode->i_state |= (unsigned long)flags;
		/* An inode being written is requeued when that is done. */
		if (!was_dirty && !(inode->i_state & I_SYNC)) {
			inode->dirtied_when = ktime_get_us();
			list_move_tail(&inode->i_io_list, &wb->b_dirty);
		}
	}
	spin_unlock(&wb->list_lock);
}

void inode_wb_list_del(struct inode *inode)
{
	struct bdi_writeback *wb = inode->i_sb->s_wb;

	if (!wb) {
		list_del_init(&inode->i_io_list);
		return;
	}
	spin_lock(&wb->list_lock);
	list_del_init(&inode->i_io_list);
	spin_unlock(&wb->list_lock);
}

/* Move the inodes this work should write from b_dirty to b_io. */
static void queue_io(struct bdi_writeback *wb, struct wb_writeback_work *work)
{
	u64 now = ktime_get_us();
	struct inode *inode, *next;

	list_for_each_entry_safe(inode, next, &wb->b_dirty, i_io_list) {
		if (work->for_kupdate &&
		    inode->dirtied_when + wb->dirty_expire_interval > now)
			continue;	/* not due yet */
		list_move_tail(&inode->i_io_list, &wb->b_io);
	}
}

static int __writeback_single_inode(struct inode *inode,
				    struct writeback_control *wbc)
{
	struct address_space *mapping = inode->i_mapping;
	int ret = do_writepages(mapping, wbc);

	if (wbc->sync_mode == WB_SYNC_ALL) {
		int err = filemap_fdatawait_range(mapping, 0, LLONG_MAX);

		if (!ret)
			ret = err;
	}
	return ret;
}

/* After writing: back to b_dirty if pages were dirtied meanwhile. */
static void requeue_inode(struct inode *inode, struct bdi_writeback *wb)
{
	if (mapping_tagged(inode->i_mapping, PAGECACHE_TAG_DIRTY)) {
		inode->i_state |= I_DIRTY_PAGES;
		list_move_tail(&inode->i_io_list, &wb->b_dirty);
	} else {
		inode->i_state &= ~(unsigned long)I_DIRTY_PAGES;
		list_del_init(&inode->i_io_list);
	}
}

static long writeback_sb_inodes(struct super_block *sb,
				struct bdi_writeback *wb,
				struct wb_writeback_work *work)
{
	long wrote = 0;

	(void)sb;
	while (!list_empty(&wb->b_io)) {
		struct inode *inode = list_first_entry(&wb->b_io, struct inode,
						       i_io_list);
		struct writeback_control wbc = {
			.sync_mode = work->sync_mode,
			.nr_to_write = work->nr_pages - wrote,
			.for_kupdate = work->for_kupdate,
			.range_cyclic = work->range_cyclic,
			.for_sync = work->for_sync,
			.range_start = 0,
			.range_end = LLONG_MAX,
		};
		long before = wbc.nr_to_write;

		inode->i_state |= I_SYNC;
		list_del_init(&inode->i_io_list);
		spin_unlock(&wb->list_lock);
		__writeback_single_inode(inode, &wbc);
		spin_lock(&wb->list_lock);
		inode->i_state &= ~(unsigned long)I_SYNC;
		requeue_inode(inode, wb);
		wrote += before - wbc.nr_to_write;
		if (wrote >= work->nr_pages)
			break;
	}
	return wrote;
}

static long __writeback_inodes_wb(struct bdi_writeback *wb,
				  struct wb_writeback_work *work)
{
	return writeback_sb_inodes(wb->sb, wb, work);
}

/* One pass: every inode that is due, written once. */
static long wb_writeback(struct bdi_writeback *wb,
			 struct wb_writeback_work *work)
{
	long wrote;

	trace_span_begin("wb_writeback", NULL, work->sync_mode);
	spin_lock(&wb->list_lock);
	queue_io(wb, work);
	wrote = __writeback_inodes_wb(wb, work);
	/* What this pass did not reach goes back for the next one. */
	while (!list_empty(&wb->b_io))
		list_move(wb->b_io.prev, &wb->b_dirty);
	spin_unlock(&wb->list_lock);
	trace_span_end("wb_writeback", NULL, wrote);
	return wrote;
}

static long wb_check_old_data_flush(struct bdi_writeback *wb)
{
	u64 now = ktime_get_us();
	struct wb_writeback_work work = {
		.nr_pages = LONG_MAX,
		.sync_mode = wb->periodic_sync_mode,
		.for_kupdate = 1,
		.range_cyclic = 1,
		.reason = WB_REASON_PERIODIC,
	};

	if (!wb->dirty_writeback_interval ||
	    now < wb->last_old_flush + wb->dirty_writeback_interval)
		return 0;
	wb->last_old_flush = now;
	return wb_writeback(wb, &work);
}

static long wb_check_start_all(struct bdi_writeback *wb)
{
	struct wb_writeback_work work = {
		.nr_pages = LONG_MAX,
		.sync_mode = WB_SYNC_NONE,
		.range_cyclic = 1,
		.reason = WB_REASON_VMSCAN,
	};
	bool start;

	spin_lock(&wb->work_lock);
	start = wb->start_all;
	wb->start_all = false;
	spin_unlock(&wb->work_lock);
	return start ? wb_writeback(wb, &work) : 0;
}

static struct wb_writeback_work *get_next_work_item(struct bdi_writeback *wb)
{
	struct wb_writeback_work *work = NULL;

	spin_lock(&wb->work_lock);
	if (!list_empty(&wb->work_list)) {
		work = list_first_entry(&wb->work_list,
					struct wb_writeback_work, list);
		list_del_init(&work->list);
	}
	spin_unlock(&wb->work_lock);
	return work;
}

static long wb_do_writeback(struct bdi_writeback *wb)
{
	struct wb_writeback_work *work;
	long wrote = 0;

	while ((work = get_next_work_item(wb)) != NULL) {
		wrote += wb_writeback(wb, work);
		if (work->done)
			complete(work->done);
	}
	wrote += wb_check_start_all(wb);
	wrote += wb_check_old_data_flush(wb);
	return wrote;
}

void wb_workfn(struct bdi_writeback *wb)
{
	wb_do_writeback(wb);
}

static bool wb_has_work(struct bdi_writeback *wb)
{
	bool busy;

	spin_lock(&wb->work_lock);
	busy = !list_empty(&wb->work_list) || wb->start_all;
	spin_unlock(&wb->work_lock);
	return busy;
}

/* The flusher kthread: the kernel's worker_thread running wb_workfn. */
static void worker_thread(void *arg)
{
	struct bdi_writeback *wb = arg;

	wb->last_old_flush = ktime_get_us();
	while (!kthread_should_stop()) {
		DEFINE_WAIT(wait);
		long timeout = 1000000;

		wb_workfn(wb);
		if (wb->dirty_writeback_interval) {
			u64 next = wb->last_old_flush + wb->dirty_writeback_interval;
			u64 now = ktime_get_us();

			timeout = next > now ? (long)(next - now) : 0;
		}
		prepare_to_wait(&wb->wakeup, &wait, TASK_INTERRUPTIBLE);
		if (!wb_has_work(wb) && !kthread_should_stop() && timeout)
			schedule_timeout(timeout);
		finish_wait(&wb->wakeup, &wait);
	}
}

void wb_start_flusher(struct bdi_writeback *wb)
{
	wb->task = kthread_run(worker_thread, wb, "kworker/u4:flush");
}

void wb_stop_flusher(struct bdi_writeback *wb)
{
	if (!wb->task)
		return;
	kthread_stop(wb->task);
	task_free(wb->task);
	wb->task = NULL;
}

void wakeup_flusher_threads(struct bdi_writeback *wb, enum wb_reason reason)
{
	(void)reason;
	spin_lock(&wb->work_lock);
	wb->start_all = true;
	spin_unlock(&wb->work_lock);
	wake_up_all(&wb->wakeup);
}

static void wb_queue_work(struct bdi_writeback *wb,
			  struct wb_writeback_work *work)
{
	spin_lock(&wb->work_lock);
	list_add_tail(&work->list, &wb->work_list);
	spin_unlock(&wb->work_lock);
	wake_up_all(&wb->wakeup);
}

/* Write the whole superblock for data integrity and wait for it. */
void sync_inodes_sb(struct super_block *sb)
{
	struct bdi_writeback *wb = sb->s_wb;
	struct completion done;
	struct wb_writeback_work work = {
		.nr_pages = LONG_MAX,
		.sync_mode = WB_SYNC_ALL,
		.for_sync = 1,
		.reason = WB_REASON_SYNC,
	};
	struct inode *inode;

	if (!wb)
		return;
	INIT_LIST_HEAD(&work.list);
	if (wb->task && wb->task != current) {
		init_completion_named(&done, "sync_inodes_sb");
		work.done = &done;
		wb_queue_work(wb, &work);
		wait_for_completion(&done);
		destroy_completion(&done);
	} else {
		wb_writeback(wb, &work);
	}
	/* wait_sb_inodes() */
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list)
		filemap_fdatawait_range(inode->i_mapping, 0, LLONG_MAX);
}

long writeback_inodes_wb(struct bdi_writeback *wb, long nr_pages,
			 enum writeback_sync_modes sync_mode,
			 enum wb_reason reason)
{
	struct wb_writeback_work work = {
		.nr_pages = nr_pages,
		.sync_mode = sync_mode,
		.range_cyclic = 1,
		.reason = reason,
	};

	return wb_writeback(wb, &work);
}
