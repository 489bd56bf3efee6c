// SPDX-License-Identifier: GPL-2.0
/*
 * The system calls that change a file's size and blocks, at the VFS level:
 * truncate(2) (do_truncate() -> notify_change() -> ->setattr) and
 * fallocate(2) (vfs_fallocate() -> ->fallocate).  The filesystem does the
 * work; what is checked here is what the VFS checks before calling it.
 *
 * Locking: do_truncate() takes the inode lock around ->setattr, as the
 * kernel does; ->fallocate takes what it needs itself.
 */
#include <errno.h>

#include <linux/fs.h>

static int notify_change(struct inode *inode, struct iattr *attr)
{
	if (!inode->i_op || !inode->i_op->setattr)
		return -EPERM;
	return inode->i_op->setattr(inode, attr);
}

int do_truncate(struct file *file, loff_t length)
{
	struct inode *inode = file->f_inode;
	struct iattr newattrs = { .ia_valid = ATTR_SIZE, .ia_size = length };
	int ret;

	if (length < 0)
		return -EINVAL;
	inode_lock(inode);
	ret = notify_change(inode, &newattrs);
	inode_unlock(inode);
	return ret;
}

int vfs_fallocate(struct file *file, int mode, loff_t offset, loff_t len)
{
	/* Punching a hole must keep the size, as in the kernel. */
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if (offset < 0 || len <= 0 || offset + len < offset)
		return -EINVAL;
	if (!file->f_op || !file->f_op->fallocate)
		return -EOPNOTSUPP;
	return (int)file->f_op->fallocate(file, mode, offset, len);
}
