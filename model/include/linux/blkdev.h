/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The block device: a real host file.  Writes are pwrite()s of the bytes
 * of a page frame; reads are pread()s into one.  Its final content is what
 * the data-integrity oracle checks.
 */
#ifndef _LINUX_BLKDEV_H
#define _LINUX_BLKDEV_H

#include <linux/types.h>

struct block_device {
	int bd_fd;
	u64 bd_size;		/* bytes */
	char bd_path[256];
	bool bd_unlink;
};

int blkdev_open(struct block_device *bdev, const char *path, u64 size);
void blkdev_close(struct block_device *bdev);
int blkdev_write(struct block_device *bdev, const void *buf, size_t len,
		 u64 offset);
int blkdev_read(struct block_device *bdev, void *buf, size_t len, u64 offset);

#endif /* _LINUX_BLKDEV_H */
