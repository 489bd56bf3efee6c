// SPDX-License-Identifier: GPL-2.0
/*
 * The oracle (see oracle.h), attached to the model's tracepoints.
 *
 * A shadow byte is VALID (its expected value is known) or EXCLUDED (it lies
 * in a truncated or punched range, or in a poisoned page, and nothing wrote
 * it since).  Stores and DMA make bytes VALID up to i_size at the time of
 * the write; bytes past EOF are undefined in Linux and are not recorded.
 * A DMA write into a page that is no longer in the page cache (truncated
 * or poisoned while pinned) goes nowhere, and is not recorded either.
 *
 * Scenarios never write the same bytes from two tasks at once: the frame
 * and the shadow are updated one after the other, so concurrent writers of
 * one byte could leave them in different orders.
 *
 * Locking: oracle_lock (a host mutex) nests inside the page-table lock and
 * xa_lock (the probes run under them) and takes no kernel lock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/blkdev.h>
#include <linux/fb.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>

#include "../fs/ext4/ext4.h"
#include "oracle.h"

enum { SH_EXCLUDED = 0, SH_VALID = 1 };

struct shadow {
	struct inode *inode;
	struct fb_info *fb;
	u64 max_size;
	u8 *expect;
	u8 *state;
};

#define MAX_SHADOWS 16

static pthread_mutex_t oracle_lock = PTHREAD_MUTEX_INITIALIZER;
static struct shadow shadows[MAX_SHADOWS];
static int nr_shadows;
int oracle_init(void)
{
	nr_shadows = 0;
	return 0;
}

void oracle_exit(void)
{
	for (int i = 0; i < nr_shadows; i++) {
		free(shadows[i].expect);
		free(shadows[i].state);
	}
	nr_shadows = 0;
}

static int shadow_add(struct inode *inode, struct fb_info *fb, u64 max_size,
		      const void *data, u64 size)
{
	struct shadow *s;

	if (nr_shadows == MAX_SHADOWS)
		return -ENOSPC;
	s = &shadows[nr_shadows];
	s->expect = calloc(max_size, 1);
	s->state = calloc(max_size, 1);
	if (!s->expect || !s->state) {
		free(s->expect);
		free(s->state);
		return -ENOMEM;
	}
	s->inode = inode;
	s->fb = fb;
	s->max_size = max_size;
	if (data)
		memcpy(s->expect, data, size);
	memset(s->state, SH_VALID, size);
	nr_shadows++;
	return 0;
}

int oracle_add_file(struct inode *inode, u64 max_size, const void *data)
{
	return shadow_add(inode, NULL, max_size, data, (u64)i_size_read(inode));
}

int oracle_add_fb(struct fb_info *info)
{
	u64 size = info->nr_pages * PAGE_SIZE;

	return shadow_add(&info->inode, info, size, NULL, size);
}

static struct shadow *shadow_of(struct address_space *mapping)
{
	if (!mapping)
		return NULL;
	for (int i = 0; i < nr_shadows; i++)
		if (shadows[i].inode->i_mapping == mapping)
			return &shadows[i];
	return NULL;
}

static void shadow_write(struct page *page, unsigned int offset,
			 const void *data, size_t len)
{
	struct shadow *s;
	u64 pos, size;

	pthread_mutex_lock(&oracle_lock);
	s = shadow_of(page_mapping(page));
	if (!s)
		goto out;
	pos = ((u64)page->index << PAGE_SHIFT) + offset;
	size = (u64)i_size_read(s->inode);
	if (pos >= size)
		goto out;
	if (pos + len > size)
		len = (size_t)(size - pos);
	memcpy(s->expect + pos, data, len);
	memset(s->state + pos, SH_VALID, len);
out:
	pthread_mutex_unlock(&oracle_lock);
}

static void shadow_exclude(struct inode *inode, u64 start, u64 end)
{
	struct shadow *s;

	pthread_mutex_lock(&oracle_lock);
	s = shadow_of(inode->i_mapping);
	if (s && start < s->max_size) {
		end = min(end, s->max_size - 1);
		memset(s->state + start, SH_EXCLUDED, end - start + 1);
	}
	pthread_mutex_unlock(&oracle_lock);
}

static void probe_write(void *data, struct page *page, unsigned int offset,
			const void *bytes, size_t len)
{
	shadow_write(page, offset, bytes, len);
}

static void probe_truncate_range(void *data, struct inode *inode,
				 loff_t lstart, loff_t lend)
{
	shadow_exclude(inode, (u64)lstart, lend < 0 ? ~0ULL : (u64)lend);
}

static void probe_memory_failure(void *data, struct page *page,
				 struct inode *inode, pgoff_t index)
{
	shadow_exclude(inode, (u64)index << PAGE_SHIFT,
		       ((u64)(index + 1) << PAGE_SHIFT) - 1);
}

int oracle_attach(void)
{
	int err;

	err = register_trace_user_store(probe_write, NULL);
	if (!err)
		err = register_trace_dma_write(probe_write, NULL);
	if (!err)
		err = register_trace_truncate_range_begin(probe_truncate_range, NULL);
	if (!err)
		err = register_trace_memory_failure(probe_memory_failure, NULL);
	return err;
}

void oracle_detach(void)
{
	unregister_trace_user_store(probe_write, NULL);
	unregister_trace_dma_write(probe_write, NULL);
	unregister_trace_truncate_range_begin(probe_truncate_range, NULL);
	unregister_trace_memory_failure(probe_memory_failure, NULL);
}

static void describe_loss(char *why, size_t why_len, struct shadow *s, u64 pos,
			  u8 expected, u8 got, const char *where)
{
	if (why && why_len && !why[0])
		snprintf(why, why_len,
			 "%s offset %llu (page %llu): expected %#04x, %s has %#04x",
			 s->inode->i_name, (unsigned long long)pos,
			 (unsigned long long)(pos >> PAGE_SHIFT), expected, where,
			 got);
}

long oracle_verify(struct inode *inode, u64 pos, const void *buf, size_t len,
		   char *why, size_t why_len)
{
	const u8 *b = buf;
	struct shadow *s;
	long bad = 0;

	/* Called by a task: no switch while it holds the host mutex. */
	preempt_disable();
	pthread_mutex_lock(&oracle_lock);
	s = shadow_of(inode->i_mapping);
	for (size_t i = 0; s && i < len && pos + i < s->max_size; i++) {
		if (s->state[pos + i] != SH_VALID || s->expect[pos + i] == b[i])
			continue;
		describe_loss(why, why_len, s, pos + i, s->expect[pos + i], b[i],
			      "a load");
		bad++;
	}
	pthread_mutex_unlock(&oracle_lock);
	preempt_enable();
	return bad;
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
		/* Nothing differs: nothing can be lost, whatever the shadow says. */
		if (!memcmp(s->expect + pos, blk, n))
			continue;
		for (u64 i = 0; i < bsize && pos + i < size; i++) {
			if (s->state[pos + i] != SH_VALID ||
			    s->expect[pos + i] == blk[i])
				continue;
			describe_loss(why, why_len, s, pos + i,
				      s->expect[pos + i], blk[i], "the device");
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
		if (s->state[i] != SH_VALID || s->expect[i] == s->fb->screen[i])
			continue;
		describe_loss(why, why_len, s, i, s->expect[i], s->fb->screen[i],
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
