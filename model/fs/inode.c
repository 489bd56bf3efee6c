// SPDX-License-Identifier: GPL-2.0
/*
 * Inode references and unlink(2).
 *
 * An inode is referenced by its name (the model's dentry: one reference
 * while i_nlink is not zero) and by every open file.  unlink() drops the
 * name; the last iput() of an inode with no name evicts it: the
 * filesystem frees its pages and blocks (->evict_inode).  The struct
 * itself stays until unmount, as the harness names files by it.
 *
 * Locking: i_nlink changes under the inode lock; i_count is atomic.  The
 * name's reference is dropped after i_nlink reached zero, so whoever puts
 * the last reference sees that there is no name left.
 */
#include <errno.h>

#include <linux/fs.h>
#include <linux/sched.h>

void ihold(struct inode *inode)
{
	atomic_inc(&inode->i_count);
}

void iput(struct inode *inode)
{
	if (!atomic_dec_and_test(&inode->i_count))
		return;
	if (READ_ONCE(inode->i_nlink))
		return;		/* cached, as the dcache keeps it */
	might_sleep();
	if (inode->i_sb->s_op && inode->i_sb->s_op->evict_inode)
		inode->i_sb->s_op->evict_inode(inode);
}

int vfs_unlink(struct inode *inode)
{
	int err;

	if (!inode->i_op || !inode->i_op->unlink)
		return -EPERM;
	inode_lock(inode);
	err = inode->i_nlink ? inode->i_op->unlink(inode) : -ENOENT;
	inode_unlock(inode);
	if (!err)
		iput(inode);	/* the name's reference */
	return err;
}
