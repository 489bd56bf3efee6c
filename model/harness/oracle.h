/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data-integrity oracle: an independent shadow of what every byte of
 * every checked file may hold, fed by tracepoints (harness/oracle.c), and
 * the comparisons with the block device (harness/oracle_check.c): when an
 * fsync or a sync returns, what it promised; after the run's final sync,
 * everything stored or DMA'd to a live range.
 */
#ifndef _HARNESS_ORACLE_H
#define _HARNESS_ORACLE_H

#include <linux/fs.h>

struct fb_info;
struct window;

int oracle_init(void);
void oracle_exit(void);
/* Track @inode, whose current content is @data (NULL: zeroes). */
int oracle_add_file(struct inode *inode, u64 max_size, const void *data);
int oracle_add_fb(struct fb_info *info);
int oracle_attach(void);
void oracle_detach(void);
/* From the run's own final sync on, fsync and sync promise nothing. */
void oracle_stop_promises(void);

/*
 * A load of @len bytes at @pos of @inode is about to be made; then compare
 * what it read with what the bytes may have held meanwhile.  Returns the
 * bytes that differ, the first described in @why.
 */
struct window *oracle_read_begin(struct inode *inode, u64 pos, size_t len);
long oracle_read_end(struct window *w, const void *buf, char *why,
		     size_t why_len);

/*
 * Durability: at each fsync's (and sync's) return, every byte of the file
 * stored, or DMA'd and released dirty, before it was called and not
 * touched since must be on the device.  oracle_check_now() checks the
 * same now, for the check_disk step (@who names it in a report).  Misses
 * add up in oracle_durability() (bytes, and the first, in @why).
 */
long long oracle_check_now(struct inode *inode, const char *who);
long long oracle_durability(char *why, size_t why_len);

/*
 * After the final sync: bytes of live ranges that differ on the device.
 * @digest (if not NULL) gets a hash of what the device holds for them.
 */
long long oracle_check(char *why, size_t why_len, u64 *digest);

#endif /* _HARNESS_ORACLE_H */
