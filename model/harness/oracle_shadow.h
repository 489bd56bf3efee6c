/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The oracle's own declarations, shared by oracle.c (the shadow and its
 * windows, fed by the tracepoints) and oracle_check.c (the comparisons
 * with the block device).  oracle.h is the interface.
 *
 * The shadow of a file holds, per byte, what it may hold: nothing known
 * (EXCLUDED: truncated, punched or poisoned, and not written since), one
 * value (VALID, in expect[]), or several (MULTI: writers whose writes
 * overlapped left any of them; the set is in the page's vset array).
 * DMA marks a byte whose last writer was a device that has not yet
 * released the page dirty: the kernel was never told of it, so no fsync
 * promises it.
 *
 * A window is an operation in progress on a range of a file: a CPU store
 * or a DMA write (a writer), a truncation or memory failure (an
 * excluder), a load being verified (a reader), a driver's dirty release
 * of a page, or an fsync whose promise will be checked (a promise).  Each
 * collects what overlapped it ("seen"): for a writer, the writes that
 * ended meanwhile, any of which may be what a byte holds when it ends;
 * for a reader, the writes in flight meanwhile; for a promise, the ranges
 * touched since it began, which it does not promise.
 *
 * Locking: oracle_lock, a host mutex, taken with preemption disabled.
 */
#ifndef _HARNESS_ORACLE_SHADOW_H
#define _HARNESS_ORACLE_SHADOW_H

#include <pthread.h>

#include <linux/list.h>
#include <linux/types.h>

struct inode;
struct fb_info;

#define SH_EXCLUDED 0
#define SH_VALID 0x1
#define SH_MULTI 0x2
#define SH_DMA 0x4

/* A set of byte values. */
struct vset {
	u64 w[4];
};

struct shadow {
	struct inode *inode;
	struct fb_info *fb;
	u64 max_size;
	unsigned long nr_pages;
	u8 *expect;
	u8 *state;
	struct vset **multi;	/* per page, once a byte of it is MULTI */
	u32 *dma_gen;		/* per page: DMA writes begun into it */
	u16 *dma_open;		/* per page: DMA writes in flight */
};

enum window_kind {
	WIN_STORE,
	WIN_DMA,
	WIN_EXCLUDE,
	WIN_READ,
	WIN_RELEASE,
	WIN_PROMISE,
};

/* Something that overlapped a window: a range and its bytes (NULL: any). */
struct seen {
	struct list_head list;
	u64 pos, len;
	u8 *data;
};

struct window {
	struct list_head list;		/* open_windows */
	enum window_kind kind;
	int pid;			/* the task that opened it */
	struct shadow *s;
	u64 pos, len;			/* the file bytes */
	const u8 *data;			/* a writer's bytes, while it is open */
	struct list_head seen;
	/* WIN_READ: what the range held when the read began. */
	u8 *snap_expect, *snap_state;
	struct vset *snap_multi;
	/* WIN_RELEASE */
	const void *page;
	pgoff_t index;
	u32 gen;
	bool quiet;			/* no DMA into the page in flight */
	/* WIN_PROMISE: who promised, for the report. */
	char who[160];
};

extern pthread_mutex_t oracle_lock;
extern struct shadow shadows[];
extern int nr_shadows;
extern struct list_head open_windows;

static inline void vset_add(struct vset *v, u8 b)
{
	v->w[b >> 6] |= 1ULL << (b & 63);
}

static inline bool vset_has(const struct vset *v, u8 b)
{
	return v->w[b >> 6] & (1ULL << (b & 63));
}

static inline void vset_fill(struct vset *v)
{
	v->w[0] = v->w[1] = v->w[2] = v->w[3] = ~0ULL;
}

/* May shadow byte @pos hold @b? (excluded bytes may hold anything) */
bool shadow_accepts(const struct shadow *s, u64 pos, u8 b);
/* Is @pos covered by an entry of @w's seen list?  (a promise's touches) */
bool window_saw(const struct window *w, u64 pos);
struct shadow *shadow_of_inode(struct inode *inode);
void window_free(struct window *w);

/* oracle_check.c */
int oracle_durability_reset(void);
long long oracle_promise_check(struct window *w);

#endif /* _HARNESS_ORACLE_SHADOW_H */
