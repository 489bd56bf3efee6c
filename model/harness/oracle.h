/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data-integrity oracle: an independent shadow of every byte that a
 * CPU store or a device's DMA wrote into a file, fed by tracepoints, and
 * compared with the block device after the final sync.
 */
#ifndef _HARNESS_ORACLE_H
#define _HARNESS_ORACLE_H

#include <linux/fs.h>

struct fb_info;

int oracle_init(void);
void oracle_exit(void);
/* Track @inode, whose current content is @data (NULL: zeroes). */
int oracle_add_file(struct inode *inode, u64 max_size, const void *data);
int oracle_add_fb(struct fb_info *info);
int oracle_attach(void);
void oracle_detach(void);

/* Compare @len loaded bytes at @pos of @inode with the shadow. */
long oracle_verify(struct inode *inode, u64 pos, const void *buf, size_t len,
		   char *why, size_t why_len);
/*
 * After the final sync: bytes of live ranges that differ on the device.
 * @digest (if not NULL) gets a hash of what the device holds for them.
 */
long long oracle_check(char *why, size_t why_len, u64 *digest);

#endif /* _HARNESS_ORACLE_H */
