// SPDX-License-Identifier: GPL-2.0
/*
 * The oracle's comparisons with the block device (oracle.h): what an
 * fsync or a sync promised, when it returns, and every live byte after
 * the run's final sync.
 *
 * A file is read through its block map, block by block, as ext4_bmap()
 * gives it (holes read as zeroes), without oracle_lock: the map is read
 * under i_data_sem, which may sleep.  A promise's window stays open while
 * it is checked, so whatever touches the file meanwhile (a write, a
 * punch that frees a block being read) is left out of the check.
 *
 * Locking: oracle_lock (with preemption disabled) around the comparison;
 * durability's totals under it too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/blkdev.h>
#include <linux/fb.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/sched.h>

#include "../fs/ext4/ext4.h"
#include "oracle.h"
#include "oracle_shadow.h"

static long long durability_lost;
static char durability_why[512];

int oracle_durability_reset(void)
{
	durability_lost = 0;
	durability_why[0] = '\0';
	return 0;
}

long long oracle_durability(char *why, size_t why_len)
{
	long long lost;

	preempt_disable();
	pthread_mutex_lock(&oracle_lock);
	lost = durability_lost;
	if (why && why_len)
		snprintf(why, why_len, "%s", durability_why);
	pthread_mutex_unlock(&oracle_lock);
	preempt_enable();
	return lost;
}

static void describe_loss(char *why, size_t why_len, const char *prefix,
			  const struct shadow *s, u64 pos, u8 got,
			  const char *where)
{
	if (why && why_len && !why[0])
		snprintf(why, why_len,
			 "%s%s offset %llu (page %llu): expected %#04x, %s has %#04x",
			 prefix, s->inode->i_name, (unsigned long long)pos,
			 (unsigned long long)(pos >> PAGE_SHIFT), s->expect[pos],
			 where, got);
}

/* The first @size bytes of @inode as the device holds them, into @buf. */
static int read_file(struct inode *inode, u8 *buf, u64 size)
{
	unsigned int bsize = i_blocksize(inode);

	for (u64 pos = 0; pos < size; pos += bsize) {
		sector_t b = ext4_bmap(inode, pos / bsize);
		size_t n = (size_t)min_t(u64, bsize, size - pos);
		u8 blk[PAGE_SIZE];
		int err;

		if (!b) {
			memset(buf + pos, 0, n);
			continue;
		}
		err = blkdev_read(inode->i_sb->s_bdev, blk, bsize, (u64)b * bsize);
		if (err)
			return err;
		memcpy(buf + pos, blk, n);
	}
	return 0;
}

/*
 * The bytes @w (an fsync's window, or check_disk's) promises, which the
 * device does not hold.  Promised: held a known value (or several) when
 * the promise began, not left unreleased by a device, and not touched
 * since.  Called in the task's context, without oracle_lock; may sleep.
 */
long long oracle_promise_check(struct window *w)
{
	struct shadow *s = w->s;
	u64 size = (u64)i_size_read(s->inode);
	char prefix[224], why[512] = "";
	long long lost = 0;
	u8 *buf;

	if (size > s->max_size)
		size = s->max_size;
	buf = malloc(size ? size : 1);
	if (!buf || read_file(s->inode, buf, size)) {
		free(buf);
		return 0;	/* cannot tell: claim nothing */
	}
	snprintf(prefix, sizeof(prefix), "%s at %llu us, but ", w->who,
		 (unsigned long long)ktime_get_us());
	preempt_disable();
	pthread_mutex_lock(&oracle_lock);
	for (u64 pos = 0; pos < size; pos++) {
		u8 state = s->state[pos];

		if (!(state & (SH_VALID | SH_MULTI)) || (state & SH_DMA) ||
		    shadow_accepts(s, pos, buf[pos]) || window_saw(w, pos))
			continue;
		describe_loss(why, sizeof(why), prefix, s, pos, buf[pos],
			      "the device");
		lost++;
	}
	if (lost && !durability_why[0])
		snprintf(durability_why, sizeof(durability_why), "%s", why);
	durability_lost += lost;
	pthread_mutex_unlock(&oracle_lock);
	preempt_enable();
	free(buf);
	return lost;
}

/*
 * FNV-1a over 64-bit words (the tail zero-padded): the end state's digest
 * only needs to tell states apart, and it hashes every checked block.
 */
static u64 fnv1a(u64 h, const void *p, size_t len)
{
	const unsigned char *c = p;
	u64 w;

	for (; len >= 8; c += 8, len -= 8) {
		__builtin_memcpy(&w, c, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	if (len) {
		w = 0;
		__builtin_memcpy(&w, c, len);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	return h;
}

static long long check_file(struct shadow *s, char *why, size_t why_len,
			    u64 *digest)
{
	struct inode *inode = s->inode;
	unsigned int bsize = i_blocksize(inode);
	u64 size = (u64)i_size_read(inode);
	unsigned char *blk = malloc(bsize);
	long long lost = 0;
	u64 n;

	if (!blk)
		return -1;
	for (u64 pos = 0; pos < size; pos += bsize) {
		sector_t b = ext4_bmap(inode, pos / bsize);

		if (b)
			blkdev_read(inode->i_sb->s_bdev, blk, bsize, (u64)b * bsize);
		else
			memset(blk, 0, bsize);
		n = min_t(u64, bsize, size - pos);
		*digest = fnv1a(*digest, blk, n);
		/* expect[] holds a value each byte may hold: all is well. */
		if (!memcmp(s->expect + pos, blk, n))
			continue;
		for (u64 i = 0; i < n; i++) {
			if (shadow_accepts(s, pos + i, blk[i]))
				continue;
			describe_loss(why, why_len, "", s, pos + i, blk[i],
				      "the device");
			lost++;
		}
	}
	free(blk);
	return lost;
}

static long long check_fb(struct shadow *s, char *why, size_t why_len,
			  u64 *digest)
{
	long long lost = 0;

	*digest = fnv1a(*digest, s->fb->screen, s->max_size);
	for (u64 i = 0; i < s->max_size; i++) {
		if (shadow_accepts(s, i, s->fb->screen[i]))
			continue;
		describe_loss(why, why_len, "", s, i, s->fb->screen[i],
			      "the display");
		lost++;
	}
	return lost;
}

long long oracle_check(char *why, size_t why_len, u64 *digest)
{
	u64 h = 0xcbf29ce484222325ULL;
	long long lost = 0;

	pthread_mutex_lock(&oracle_lock);
	for (int i = 0; i < nr_shadows; i++)
		lost += shadows[i].fb ?
				check_fb(&shadows[i], why, why_len, &h) :
				check_file(&shadows[i], why, why_len, &h);
	pthread_mutex_unlock(&oracle_lock);
	if (digest)
		*digest = h;
	return lost;
}
