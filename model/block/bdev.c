// SPDX-License-Identifier: GPL-2.0
/*
 * The block device: a host file, read and written with pread()/pwrite().
 * An I/O error of the host file is an I/O error of the device.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/blkdev.h>
#include <linux/printk.h>

/*
 * Open (creating) the device file at @path, or an unlinked temporary file
 * if @path is NULL, sized to @size bytes.
 */
int blkdev_open(struct block_device *bdev, const char *path, u64 size)
{
	memset(bdev, 0, sizeof(*bdev));
	if (path) {
		snprintf(bdev->bd_path, sizeof(bdev->bd_path), "%s", path);
		bdev->bd_fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	} else {
		const char *dir = getenv("TMPDIR");

		snprintf(bdev->bd_path, sizeof(bdev->bd_path), "%s/pinmm-bdev-XXXXXX",
			 dir && *dir ? dir : "/tmp");
		bdev->bd_fd = mkostemp(bdev->bd_path, O_CLOEXEC);
		if (bdev->bd_fd >= 0)
			unlink(bdev->bd_path);
	}
	if (bdev->bd_fd < 0)
		return -errno;
	if (ftruncate(bdev->bd_fd, (off_t)size)) {
		int err = -errno;

		close(bdev->bd_fd);
		return err;
	}
	bdev->bd_size = size;
	return 0;
}

void blkdev_close(struct block_device *bdev)
{
	if (bdev->bd_fd >= 0)
		close(bdev->bd_fd);
	bdev->bd_fd = -1;
}

/* One pread() or pwrite() of the whole range, resumed after short counts. */
static int blkdev_rw(struct block_device *bdev, void *buf, size_t len,
		     u64 offset, bool write)
{
	char *p = buf;

	if (offset + len > bdev->bd_size)
		return -EIO;
	while (len) {
		ssize_t n = write ? pwrite(bdev->bd_fd, p, len, (off_t)offset) :
				    pread(bdev->bd_fd, p, len, (off_t)offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			pr_err("blk_update_request: I/O error, dev pinmm0, sector %llu\n",
			       (unsigned long long)(offset >> 9));
			return -EIO;
		}
		p += n;
		len -= (size_t)n;
		offset += (u64)n;
	}
	return 0;
}

int blkdev_write(struct block_device *bdev, const void *buf, size_t len,
		 u64 offset)
{
	return blkdev_rw(bdev, (void *)buf, len, offset, true);
}

int blkdev_read(struct block_device *bdev, void *buf, size_t len, u64 offset)
{
	return blkdev_rw(bdev, buf, len, offset, false);
}
