// SPDX-License-Identifier: GPL-2.0
/*
 * The oracle (see oracle.h), the unstable-write counter and the flight
 * recorder, attached to the model's tracepoints.
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
#include "trace.h"

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
static int *dma_writers;	/* per pfn: devices holding it for write */

#define FLIGHT_LEN 4096

struct flight_event {
	u64 time;
	int pid;
	char comm[TASK_COMM_LEN];
	const char *what;
	unsigned long pfn;	/* ~0UL: none */
	long arg;
};

static struct flight_event flight[FLIGHT_LEN];
static unsigned long flight_next;

int oracle_init(void)
{
	nr_shadows = 0;
	flight_next = 0;
	dma_writers = calloc(max_pfn, sizeof(int));
	return dma_writers ? 0 : -ENOMEM;
}

void oracle_exit(void)
{
	oracle_detach();
	for (int i = 0; i < nr_shadows; i++) {
		free(shadows[i].expect);
		free(shadows[i].state);
	}
	nr_shadows = 0;
	free(dma_writers);
	dma_writers = NULL;
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

static void probe_user_store(struct page *page, unsigned int offset,
			     const void *data, size_t len)
{
	shadow_write(page, offset, data, len);
}

static void probe_dma_write(struct page *page, unsigned int offset,
			    const void *data, size_t len)
{
	shadow_write(page, offset, data, len);
}

static void probe_dma_map(struct page *page, bool write)
{
	if (write)
		__atomic_add_fetch(&dma_writers[page_to_pfn(page)], 1,
				   __ATOMIC_RELAXED);
}

static void probe_dma_unmap(struct page *page, bool write)
{
	if (write)
		__atomic_sub_fetch(&dma_writers[page_to_pfn(page)], 1,
				   __ATOMIC_RELAXED);
}

static void probe_event(const char *what, struct page *page, long arg);

/* A page written to the device while a device may be writing it. */
static void probe_wbc_writepage(struct page *page)
{
	probe_event("writepage_begin", page, page_count(page));
	if (__atomic_load_n(&dma_writers[page_to_pfn(page)], __ATOMIC_RELAXED))
		count_vm_event(UNSTABLE_WRITES);
}

static void probe_truncate_range(struct inode *inode, loff_t lstart, loff_t lend)
{
	shadow_exclude(inode, (u64)lstart, lend < 0 ? ~0ULL : (u64)lend);
}

static void probe_memory_failure(struct page *page, struct inode *inode,
				 pgoff_t index)
{
	(void)page;
	shadow_exclude(inode, (u64)index << PAGE_SHIFT,
		       ((u64)(index + 1) << PAGE_SHIFT) - 1);
}

static void probe_span(const char *what, struct page *page, long arg,
		       bool begin)
{
	chrome_trace_event(begin ? 'B' : 'E', what, page, arg);
}

static void probe_event(const char *what, struct page *page, long arg)
{
	unsigned long n = __atomic_fetch_add(&flight_next, 1, __ATOMIC_RELAXED);
	struct flight_event *e = &flight[n % FLIGHT_LEN];
	struct task_struct *t = current;

	e->time = ktime_get_us();
	e->pid = t ? t->pid : 0;
	snprintf(e->comm, sizeof(e->comm), "%s", t ? t->comm : "-");
	e->what = what;
	e->pfn = page ? page_to_pfn(page) : ~0UL;
	e->arg = arg;
	chrome_trace_event('i', what, page, arg);
}

void oracle_attach(void)
{
	tracepoints = (struct tracepoint_probes){
		.user_store = probe_user_store,
		.dma_write = probe_dma_write,
		.dma_map_page = probe_dma_map,
		.dma_unmap_page = probe_dma_unmap,
		.wbc_writepage = probe_wbc_writepage,
		.truncate_range = probe_truncate_range,
		.memory_failure = probe_memory_failure,
		.event = probe_event,
		.span = probe_span,
	};
}

void oracle_detach(void)
{
	memset(&tracepoints, 0, sizeof(tracepoints));
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

/*
 * The last events, oldest first: those of the pages in @pfns and the
 * task-level ones (no page); all of them if @nr_pfns is 0.
 */
#define FLIGHT_SHOWN 48

char *flight_recorder_dump(const unsigned long *pfns, int nr_pfns)
{
	unsigned long end = __atomic_load_n(&flight_next, __ATOMIC_ACQUIRE);
	unsigned long start = end > FLIGHT_LEN ? end - FLIGHT_LEN : 0;
	unsigned long picked[FLIGHT_SHOWN];
	size_t cap = FLIGHT_SHOWN * 128, used = 0;
	char *out = malloc(cap);
	int nr = 0;

	if (!out)
		return NULL;
	out[0] = '\0';
	for (unsigned long n = end; n-- > start && nr < FLIGHT_SHOWN;) {
		struct flight_event *e = &flight[n % FLIGHT_LEN];
		bool match = !nr_pfns || e->pfn == ~0UL;

		for (int i = 0; i < nr_pfns && !match; i++)
			match = e->pfn == pfns[i];
		if (match)
			picked[nr++] = n;
	}
	while (nr--) {
		struct flight_event *e = &flight[picked[nr] % FLIGHT_LEN];
		char page[32] = "";

		if (e->pfn != ~0UL)
			snprintf(page, sizeof(page), "pfn %#lx", e->pfn);
		used += (size_t)snprintf(out + used, cap - used,
					 "  %8llu us  %-18s %-22s %-12s %ld\n",
					 (unsigned long long)e->time, e->comm,
					 e->what, page, e->arg);
		if (used >= cap)
			break;
	}
	return out;
}

int flight_last_page_of(int pid, unsigned long *pfns)
{
	unsigned long end = __atomic_load_n(&flight_next, __ATOMIC_ACQUIRE);
	unsigned long start = end > FLIGHT_LEN ? end - FLIGHT_LEN : 0;

	for (unsigned long n = end; n-- > start;) {
		struct flight_event *e = &flight[n % FLIGHT_LEN];

		if (e->pid == pid && e->pfn != ~0UL) {
			pfns[0] = e->pfn;
			return 1;
		}
	}
	return 0;
}
