// SPDX-License-Identifier: GPL-2.0
/*
 * fsync() and sync().
 */
#include <errno.h>
#include <limits.h>

#include <linux/fs.h>
#include <linux/jbd2.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>
#include <linux/vmstat.h>
#include <linux/writeback.h>

int vfs_fsync_range(struct file *file, loff_t start, loff_t end, int datasync)
{
	unsigned long waits = current ? current->pin_waits : 0;
	int ret;

	if (!file->f_op || !file->f_op->fsync)
		return -EINVAL;
	count_vm_event(FSYNC_CALLS);
	trace_fsync_enter(file->f_inode);
	trace_span_begin("fsync", NULL, 0);
	ret = file->f_op->fsync(file, start, end, datasync);
	if (current && current->pin_waits != waits)
		count_vm_event(FSYNC_WAITED_UNPIN);
	trace_span_end("fsync", NULL, ret);
	trace_fsync_exit(file->f_inode, ret);
	return ret;
}

int vfs_fsync(struct file *file, int datasync)
{
	return vfs_fsync_range(file, 0, LLONG_MAX, datasync);
}

/* sync(2) of one filesystem: its data, then its journal (ext4_sync_fs). */
void sync_filesystem(struct super_block *sb)
{
	trace_sync_enter(sb);
	sync_inodes_sb(sb);
	if (sb->s_journal)
		jbd2_journal_force_commit(sb->s_journal);
	trace_sync_exit(sb, 0);
}
