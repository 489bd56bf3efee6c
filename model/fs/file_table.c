// SPDX-License-Identifier: GPL-2.0
/*
 * Open files and their references.  An open file is held by whoever
 * opened it and by every VMA that maps it; the last fput() releases it:
 * the filesystem's ->release, then the file's reference to its inode.
 *
 * Files a machine's tasks open are on files_list, so that a machine
 * stopped with tasks killed mid-path (their references never dropped)
 * gives their memory back at teardown, as buffer heads are
 * (files_teardown()).  Files embedded in something else (file_init():
 * the tests' files, a framebuffer's device file) hold a reference of
 * their own that is never dropped.
 *
 * Locking: files_lock, a host mutex taken with preemption disabled (the
 * list operations are scheduling points), protects files_list; f_count is
 * atomic.
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/bug.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/preempt.h>
#include <linux/sched.h>

static pthread_mutex_t files_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(files_list);

void file_init(struct file *file, struct inode *inode)
{
	file->f_inode = inode;
	file->f_mapping = inode->i_mapping;
	file->f_op = inode->i_fop;
	atomic_set(&file->f_count, 1);
	INIT_LIST_HEAD(&file->f_list);
	ihold(inode);
}

/* open(2) of the file @inode names: -ENOENT once it is unlinked. */
struct file *dentry_open(struct inode *inode)
{
	struct file *file;

	if (!READ_ONCE(inode->i_nlink))
		return ERR_PTR(-ENOENT);
	file = calloc(1, sizeof(*file));
	if (!file)
		return ERR_PTR(-ENOMEM);
	file_init(file, inode);
	preempt_disable();
	pthread_mutex_lock(&files_lock);
	list_add_tail(&file->f_list, &files_list);
	pthread_mutex_unlock(&files_lock);
	preempt_enable();
	return file;
}

struct file *get_file(struct file *file)
{
	atomic_inc(&file->f_count);
	return file;
}

static void __fput(struct file *file)
{
	struct inode *inode = file->f_inode;

	/* An embedded file's own reference is never dropped. */
	if (WARN(list_empty(&file->f_list), "last fput of an embedded file"))
		return;
	if (file->f_op && file->f_op->release)
		file->f_op->release(inode, file);
	preempt_disable();
	pthread_mutex_lock(&files_lock);
	list_del(&file->f_list);
	pthread_mutex_unlock(&files_lock);
	preempt_enable();
	free(file);
	iput(inode);
}

void fput(struct file *file)
{
	if (atomic_dec_and_test(&file->f_count))
		__fput(file);
}

/* close(2): the descriptor's reference goes; mappings keep theirs. */
int filp_close(struct file *file)
{
	fput(file);
	return 0;
}

/* Machine teardown: free the files that killed tasks left open. */
void files_teardown(void)
{
	pthread_mutex_lock(&files_lock);
	while (!list_empty(&files_list)) {
		struct file *file = list_first_entry(&files_list, struct file,
						     f_list);

		list_del(&file->f_list);
		free(file);
	}
	pthread_mutex_unlock(&files_lock);
}
