// SPDX-License-Identifier: GPL-2.0
/*
 * The oracle (oracle.h): an independent shadow of what every byte of
 * every checked file may hold, kept from the tracepoints of CPU stores,
 * DMA writes, truncation, memory failure, a driver's release and fsync,
 * and windows over the operations in progress (oracle_shadow.h).
 *
 * Why windows.  A store or a DMA write copies its bytes into the frame
 * somewhere between its begin and end tracepoints, and two writers of one
 * byte whose windows overlap may land in either order: the byte may hold
 * either value, whatever order their end tracepoints came in.  After a
 * writer W ends, a byte may hold W's value or that of any write that
 * ended while W was in progress (it may have landed after W's), and no
 * older one (those landed before W began).  A load being verified may see
 * what the byte held when it began or what any write in flight meanwhile
 * put there.  An excluder (a truncation, a memory failure) lets a byte
 * hold anything, from when it begins until a write that begins after it
 * ended.  Nothing else is accepted.
 *
 * Stores and DMA record bytes up to i_size at the time of the write;
 * bytes past EOF are undefined in Linux.  A DMA write into a page no
 * longer in the page cache (truncated or poisoned while pinned) goes
 * nowhere and is not recorded.  A DMA'd byte is promised by fsync only
 * once its page was released dirty with no DMA into it in flight or begun
 * since the release began (dma_gen, dma_open).
 *
 * Locking: oracle_lock, a host mutex, always with preemption disabled: the
 * probes run so, under the page-table lock and xa_lock, and the harness's
 * own calls disable it around the lock.  It takes no kernel lock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/fb.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>

#include "oracle.h"
#include "oracle_shadow.h"

#define MAX_SHADOWS 16

pthread_mutex_t oracle_lock = PTHREAD_MUTEX_INITIALIZER;
struct shadow shadows[MAX_SHADOWS];
int nr_shadows;
LIST_HEAD(open_windows);
/* The harness's final sync is not the scenario's: it promises nothing. */
static bool promises_off;

static void lock_oracle(void)
{
	preempt_disable();
	pthread_mutex_lock(&oracle_lock);
}

static void unlock_oracle(void)
{
	pthread_mutex_unlock(&oracle_lock);
	preempt_enable();
}

int oracle_init(void)
{
	nr_shadows = 0;
	promises_off = false;
	INIT_LIST_HEAD(&open_windows);
	return oracle_durability_reset();
}

void oracle_exit(void)
{
	struct window *w, *next;

	/* Windows of tasks killed mid-operation. */
	list_for_each_entry_safe(w, next, &open_windows, list)
		window_free(w);
	for (int i = 0; i < nr_shadows; i++) {
		struct shadow *s = &shadows[i];

		for (unsigned long p = 0; s->multi && p < s->nr_pages; p++)
			free(s->multi[p]);
		free(s->multi);
		free(s->expect);
		free(s->state);
		free(s->dma_gen);
		free(s->dma_open);
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
	memset(s, 0, sizeof(*s));
	s->nr_pages = DIV_ROUND_UP(max_size, PAGE_SIZE);
	s->expect = calloc(max_size, 1);
	s->state = calloc(max_size, 1);
	s->multi = calloc(s->nr_pages, sizeof(*s->multi));
	s->dma_gen = calloc(s->nr_pages, sizeof(*s->dma_gen));
	s->dma_open = calloc(s->nr_pages, sizeof(*s->dma_open));
	if (!s->expect || !s->state || !s->multi || !s->dma_gen || !s->dma_open) {
		free(s->expect);
		free(s->state);
		free(s->multi);
		free(s->dma_gen);
		free(s->dma_open);
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

struct shadow *shadow_of_inode(struct inode *inode)
{
	return shadow_of(inode->i_mapping);
}

/* ---- what a byte may hold ---- */

static struct vset *multi_of(const struct shadow *s, u64 pos)
{
	struct vset *page = s->multi[pos >> PAGE_SHIFT];

	return page ? &page[pos & ~PAGE_MASK] : NULL;
}

bool shadow_accepts(const struct shadow *s, u64 pos, u8 b)
{
	u8 state = s->state[pos];

	if (!(state & (SH_VALID | SH_MULTI)))
		return true;
	if (state & SH_MULTI)
		return vset_has(multi_of(s, pos), b);
	return s->expect[pos] == b;
}

/* Byte @pos may now hold any value of @v, which holds @mine. */
static void shadow_set(struct shadow *s, u64 pos, const struct vset *v, u8 mine,
		       u8 flags)
{
	int n = 0;

	for (int i = 0; i < 4; i++)
		n += __builtin_popcountll(v->w[i]);
	s->expect[pos] = mine;	/* for a MULTI byte too: one of its values */
	if (n == 256) {
		s->state[pos] = SH_EXCLUDED;
		return;
	}
	if (n == 1) {
		s->state[pos] = SH_VALID | flags;
		return;
	}
	if (!s->multi[pos >> PAGE_SHIFT]) {
		s->multi[pos >> PAGE_SHIFT] = calloc(PAGE_SIZE, sizeof(struct vset));
		if (!s->multi[pos >> PAGE_SHIFT]) {
			s->state[pos] = SH_EXCLUDED;	/* cannot say: say nothing */
			return;
		}
	}
	*multi_of(s, pos) = *v;
	s->state[pos] = SH_MULTI | flags;
}

/* ---- windows ---- */

static bool overlap(u64 a, u64 alen, u64 b, u64 blen, u64 *start, u64 *len)
{
	u64 lo = a > b ? a : b;
	u64 hi = a + alen < b + blen ? a + alen : b + blen;

	if (lo >= hi)
		return false;
	*start = lo;
	*len = hi - lo;
	return true;
}

/* @w saw [pos, pos+len) written with @data (at @data_pos), or anything. */
static void seen_add(struct window *w, u64 pos, u64 len, const u8 *data,
		     u64 data_pos)
{
	struct seen *e;

	if (!data && !list_empty(&w->seen)) {
		struct seen *last = list_entry(w->seen.prev, struct seen, list);

		/* Ranges only (a promise's touches): grow the last one. */
		if (!last->data && pos <= last->pos + last->len &&
		    pos + len >= last->pos) {
			u64 end = pos + len > last->pos + last->len ?
					  pos + len : last->pos + last->len;

			last->pos = pos < last->pos ? pos : last->pos;
			last->len = end - last->pos;
			return;
		}
	}
	e = calloc(1, sizeof(*e) + (data ? len : 0));
	if (!e) {
		/* Out of memory: the window accepts anything there. */
		data = NULL;
		e = calloc(1, sizeof(*e));
		if (!e)
			return;
	}
	e->pos = pos;
	e->len = len;
	if (data) {
		e->data = (u8 *)(e + 1);
		memcpy(e->data, data + (pos - data_pos), len);
	}
	list_add_tail(&e->list, &w->seen);
}

bool window_saw(const struct window *w, u64 pos)
{
	struct seen *e;

	list_for_each_entry(e, &w->seen, list)
		if (pos >= e->pos && pos < e->pos + e->len)
			return true;
	return false;
}

static struct window *window_new(enum window_kind kind, struct shadow *s,
				 u64 pos, u64 len)
{
	struct window *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->kind = kind;
	w->pid = current ? current->pid : 0;
	w->s = s;
	w->pos = pos;
	w->len = len;
	INIT_LIST_HEAD(&w->seen);
	return w;
}

void window_free(struct window *w)
{
	struct seen *e, *next;

	list_for_each_entry_safe(e, next, &w->seen, list)
		free(e);
	list_del(&w->list);
	free(w->snap_expect);
	free(w->snap_state);
	free(w->snap_multi);
	free(w);
}

static struct window *window_find(enum window_kind kind, const void *page)
{
	int pid = current ? current->pid : 0;
	struct window *w;

	list_for_each_entry(w, &open_windows, list)
		if (w->kind == kind && w->pid == pid && (!page || w->page == page))
			return w;
	return NULL;
}

static bool is_writer(const struct window *w)
{
	return w->kind == WIN_STORE || w->kind == WIN_DMA;
}

/*
 * Tell the open windows of @s that [pos, pos+len) is being written with
 * @data by @by (a writer or an excluder, data NULL) beginning now: a
 * reader may see it, and a promise does not cover it any more.
 */
static void begins(struct shadow *s, struct window *by, u64 pos, u64 len,
		   const u8 *data)
{
	struct window *w;
	u64 start, n;

	list_for_each_entry(w, &open_windows, list) {
		if (w == by || w->s != s || !overlap(w->pos, w->len, pos, len,
						     &start, &n))
			continue;
		if (w->kind == WIN_READ)
			seen_add(w, start, n, data, pos);
		else if (w->kind == WIN_PROMISE)
			seen_add(w, start, n, NULL, 0);
	}
}

/* ... and ends: the writers in progress may land before it. */
static void ends(struct window *by, const u8 *data)
{
	struct window *w;
	u64 start, n;

	list_for_each_entry(w, &open_windows, list)
		if (w != by && w->s == by->s && is_writer(w) &&
		    overlap(w->pos, w->len, by->pos, by->len, &start, &n))
			seen_add(w, start, n, data, by->pos);
}

/* ---- writers: CPU stores and DMA ---- */

static void writer_begin(enum window_kind kind, struct page *page,
			 unsigned int offset, const void *data, size_t len)
{
	struct shadow *s = shadow_of(page_mapping(page));
	u64 pos, size;
	struct window *w;

	if (!s)
		return;
	pos = ((u64)page->index << PAGE_SHIFT) + offset;
	size = (u64)i_size_read(s->inode);
	if (pos >= size)
		return;
	if (pos + len > size)
		len = (size_t)(size - pos);
	w = window_new(kind, s, pos, len);
	if (!w)
		return;
	w->data = data;
	w->page = page;
	if (kind == WIN_DMA) {
		w->index = page->index;
		s->dma_gen[page->index]++;
		s->dma_open[page->index]++;
	}
	begins(s, w, pos, len, data);
	list_add_tail(&w->list, &open_windows);
}

static void writer_end(struct window *w)
{
	struct shadow *s = w->s;
	u8 flags = w->kind == WIN_DMA ? SH_DMA : 0;

	ends(w, w->data);
	if (list_empty(&w->seen)) {
		/* Nothing overlapped it: its bytes are what the bytes hold. */
		memcpy(s->expect + w->pos, w->data, w->len);
		memset(s->state + w->pos, SH_VALID | flags, w->len);
		goto out;
	}
	for (u64 i = 0; i < w->len; i++) {
		u64 pos = w->pos + i;
		struct vset v = { 0 };
		struct seen *e;
		u8 was = s->state[pos];

		vset_add(&v, w->data[i]);
		list_for_each_entry(e, &w->seen, list) {
			if (pos < e->pos || pos >= e->pos + e->len)
				continue;
			if (!e->data)
				vset_fill(&v);
			else
				vset_add(&v, e->data[pos - e->pos]);
		}
		/* A value a device left unreleased may be among them. */
		shadow_set(s, pos, &v, w->data[i], flags | (was & SH_DMA));
	}
out:
	if (w->kind == WIN_DMA)
		s->dma_open[w->index]--;
	window_free(w);
}

static void probe_store_begin(void *data, struct page *page, unsigned int offset,
			      const void *bytes, size_t len)
{
	lock_oracle();
	writer_begin(WIN_STORE, page, offset, bytes, len);
	unlock_oracle();
}

static void probe_dma_begin(void *data, struct page *page, unsigned int offset,
			    const void *bytes, size_t len)
{
	lock_oracle();
	writer_begin(WIN_DMA, page, offset, bytes, len);
	unlock_oracle();
}

static void probe_writer_end(enum window_kind kind, struct page *page)
{
	struct window *w;

	lock_oracle();
	w = window_find(kind, page);
	if (w)
		writer_end(w);
	unlock_oracle();
}

static void probe_store(void *data, struct page *page, unsigned int offset,
			const void *bytes, size_t len)
{
	probe_writer_end(WIN_STORE, page);
}

static void probe_dma(void *data, struct page *page, unsigned int offset,
		      const void *bytes, size_t len)
{
	probe_writer_end(WIN_DMA, page);
}

/* ---- excluders: truncation, hole punching, memory failure ---- */

static void exclude_begin(struct inode *inode, u64 start, u64 end)
{
	struct shadow *s = shadow_of_inode(inode);
	struct window *w;

	if (!s || start >= s->max_size)
		return;
	if (end >= s->max_size)
		end = s->max_size - 1;
	w = window_new(WIN_EXCLUDE, s, start, end - start + 1);
	if (!w)
		return;
	begins(s, w, w->pos, w->len, NULL);
	list_add_tail(&w->list, &open_windows);
}

static void exclude_end(struct inode *inode)
{
	struct shadow *s = shadow_of_inode(inode);
	struct window *w = window_find(WIN_EXCLUDE, NULL);

	if (!s || !w || w->s != s)
		return;
	ends(w, NULL);
	memset(s->state + w->pos, SH_EXCLUDED, w->len);
	window_free(w);
}

static u64 last_byte(loff_t lend)
{
	return lend < 0 ? ~0ULL : (u64)lend;
}

static void probe_truncate_begin(void *data, struct inode *inode,
				 loff_t lstart, loff_t lend)
{
	lock_oracle();
	exclude_begin(inode, (u64)lstart, last_byte(lend));
	unlock_oracle();
}

static void probe_truncate(void *data, struct inode *inode, loff_t lstart,
			   loff_t lend)
{
	lock_oracle();
	exclude_end(inode);
	unlock_oracle();
}

static void probe_memory_failure_begin(void *data, struct page *page,
				       struct inode *inode, pgoff_t index)
{
	lock_oracle();
	exclude_begin(inode, (u64)index << PAGE_SHIFT,
		      ((u64)(index + 1) << PAGE_SHIFT) - 1);
	unlock_oracle();
}

static void probe_memory_failure(void *data, struct page *page,
				 struct inode *inode, pgoff_t index)
{
	lock_oracle();
	exclude_end(inode);
	unlock_oracle();
}

/* ---- a driver's dirty release: what its DMA wrote becomes promised ---- */

static void probe_release_begin(void *data, struct page *page, bool dirty)
{
	struct shadow *s;
	struct window *w;

	if (!dirty)
		return;
	lock_oracle();
	s = shadow_of(page_mapping(page));
	if (s && page->index < s->nr_pages &&
	    (w = window_new(WIN_RELEASE, s, (u64)page->index << PAGE_SHIFT,
			    PAGE_SIZE))) {
		w->page = page;
		w->index = page->index;
		w->gen = s->dma_gen[page->index];
		w->quiet = !s->dma_open[page->index];
		list_add_tail(&w->list, &open_windows);
	}
	unlock_oracle();
}

/* Clear @flag in @len bytes of shadow state, a word at a time. */
static void clear_state_flag(u8 *state, u64 len, u8 flag)
{
	u64 keep = ~(0x0101010101010101ULL * flag);
	u64 i = 0;

	for (; i + 8 <= len; i += 8) {
		u64 word;

		memcpy(&word, state + i, sizeof(word));
		word &= keep;
		memcpy(state + i, &word, sizeof(word));
	}
	for (; i < len; i++)
		state[i] &= (u8)~flag;
}

/*
 * After set_page_dirty_lock(): the page is dirty, so what every DMA that
 * had ended before the release began wrote into it is the kernel's to
 * write.  A DMA in flight at the begin, or begun since, may have landed
 * after a writeback cleaned the page again: then nothing is promised.
 * The page is not looked at: the release may have dropped its last
 * reference.
 */
static void probe_release(void *data, struct page *page, bool dirty)
{
	struct window *w;
	struct shadow *s;

	if (!dirty)
		return;
	lock_oracle();
	w = window_find(WIN_RELEASE, page);
	if (w) {
		s = w->s;
		if (w->quiet && s->dma_gen[w->index] == w->gen &&
		    !s->dma_open[w->index]) {
			u64 end = w->pos + w->len < s->max_size ?
					  w->pos + w->len : s->max_size;
			begins(s, w, w->pos, end - w->pos, NULL);
			clear_state_flag(s->state + w->pos, end - w->pos,
					 SH_DMA);
		}
		window_free(w);
	}
	unlock_oracle();
}

/* ---- loads being verified ---- */

struct window *oracle_read_begin(struct inode *inode, u64 pos, size_t len)
{
	struct shadow *s;
	struct window *w = NULL, *o;
	u64 start, n;

	lock_oracle();
	s = shadow_of_inode(inode);
	if (!s || pos >= s->max_size)
		goto out;
	if (pos + len > s->max_size)
		len = (size_t)(s->max_size - pos);
	w = window_new(WIN_READ, s, pos, len);
	if (!w)
		goto out;
	w->snap_expect = malloc(len);
	w->snap_state = malloc(len);
	if (!w->snap_expect || !w->snap_state) {
		window_free(w);
		w = NULL;
		goto out;
	}
	memcpy(w->snap_expect, s->expect + pos, len);
	memcpy(w->snap_state, s->state + pos, len);
	for (size_t i = 0; i < len; i++) {
		if (!(w->snap_state[i] & SH_MULTI))
			continue;
		if (!w->snap_multi)
			w->snap_multi = calloc(len, sizeof(struct vset));
		if (!w->snap_multi)
			w->snap_state[i] = SH_EXCLUDED;
		else
			w->snap_multi[i] = *multi_of(s, pos + i);
	}
	/* What is being written now may be what the load sees. */
	list_for_each_entry(o, &open_windows, list)
		if (o->s == s && (is_writer(o) || o->kind == WIN_EXCLUDE) &&
		    overlap(o->pos, o->len, pos, len, &start, &n))
			seen_add(w, start, n, is_writer(o) ? o->data : NULL, o->pos);
	list_add_tail(&w->list, &open_windows);
out:
	unlock_oracle();
	return w;
}

static bool read_accepts(const struct window *w, u64 i, u8 b)
{
	u8 state = w->snap_state[i];
	struct seen *e;

	if (!(state & (SH_VALID | SH_MULTI)))
		return true;
	if (state & SH_MULTI ? vset_has(&w->snap_multi[i], b) :
			       w->snap_expect[i] == b)
		return true;
	list_for_each_entry(e, &w->seen, list)
		if (w->pos + i >= e->pos && w->pos + i < e->pos + e->len &&
		    (!e->data || e->data[w->pos + i - e->pos] == b))
			return true;
	return false;
}

long oracle_read_end(struct window *w, const void *buf, char *why,
		     size_t why_len)
{
	const u8 *b = buf;
	long bad = 0;

	if (!w)
		return 0;
	lock_oracle();
	for (u64 i = 0; b && i < w->len; i++) {
		if (read_accepts(w, i, b[i]))
			continue;
		if (!bad && why && why_len)
			snprintf(why, why_len,
				 "%s offset %llu (page %llu): expected %#04x, a load has %#04x",
				 w->s->inode->i_name,
				 (unsigned long long)(w->pos + i),
				 (unsigned long long)((w->pos + i) >> PAGE_SHIFT),
				 w->snap_expect[i], b[i]);
		bad++;
	}
	window_free(w);
	unlock_oracle();
	return bad;
}

/* ---- fsync and sync: what they promise is checked when they return ---- */

static struct window *promise_begin(struct shadow *s, const char *what)
{
	struct window *w = window_new(WIN_PROMISE, s, 0, s->max_size), *o;
	u64 start, n;

	if (!w)
		return NULL;
	snprintf(w->who, sizeof(w->who), "%s", what);
	/* Bytes being written or excluded now are not promised. */
	list_for_each_entry(o, &open_windows, list)
		if (o->s == s && o->kind != WIN_READ && o->kind != WIN_PROMISE &&
		    overlap(o->pos, o->len, 0, s->max_size, &start, &n))
			seen_add(w, start, n, NULL, 0);
	list_add_tail(&w->list, &open_windows);
	return w;
}

void oracle_stop_promises(void)
{
	lock_oracle();
	promises_off = true;
	unlock_oracle();
}

static void probe_fsync_enter(void *data, struct inode *inode)
{
	struct shadow *s;
	char what[64];

	lock_oracle();
	s = shadow_of_inode(inode);
	if (s && !s->fb && !promises_off) {
		snprintf(what, sizeof(what), "fsync of %s by %s returned",
			 inode->i_name, current ? current->comm : "-");
		promise_begin(s, what);
	}
	unlock_oracle();
}

static void probe_sync_enter(void *data, struct super_block *sb)
{
	char what[64];

	snprintf(what, sizeof(what), "sync by %s returned",
		 current ? current->comm : "-");
	lock_oracle();
	for (int i = 0; i < nr_shadows && !promises_off; i++)
		if (!shadows[i].fb && shadows[i].inode->i_sb == sb)
			promise_begin(&shadows[i], what);
	unlock_oracle();
}

/* Check, then close, this task's open promise on @s. */
static void promise_end(struct shadow *s, int ret)
{
	struct window *w = NULL, *o;

	lock_oracle();
	list_for_each_entry(o, &open_windows, list) {
		if (o->kind == WIN_PROMISE && o->pid == current->pid && o->s == s) {
			w = o;
			break;
		}
	}
	unlock_oracle();
	if (!w)
		return;
	if (!ret)
		oracle_promise_check(w);	/* may sleep */
	lock_oracle();
	window_free(w);
	unlock_oracle();
}

static void probe_fsync_exit(void *data, struct inode *inode, int ret)
{
	struct shadow *s;

	lock_oracle();
	s = shadow_of_inode(inode);
	unlock_oracle();
	if (s && !s->fb)
		promise_end(s, ret);
}

static void probe_sync_exit(void *data, struct super_block *sb, int ret)
{
	for (int i = 0; i < nr_shadows; i++)
		if (!shadows[i].fb && shadows[i].inode->i_sb == sb)
			promise_end(&shadows[i], ret);
}

/* The check_disk step: what is on the device now, as if an fsync ended. */
long long oracle_check_now(struct inode *inode, const char *who)
{
	struct shadow *s;
	struct window *w = NULL;
	long long lost = 0;
	char what[160];

	snprintf(what, sizeof(what), "%s ran", who);
	lock_oracle();
	s = shadow_of_inode(inode);
	if (s && !s->fb)
		w = promise_begin(s, what);
	unlock_oracle();
	if (!w)
		return 0;
	lost = oracle_promise_check(w);
	lock_oracle();
	window_free(w);
	unlock_oracle();
	return lost;
}

/* ---- attaching ---- */

#define PROBES(X)                                                              \
	X(user_store_begin, probe_store_begin)                                 \
	X(user_store, probe_store)                                             \
	X(dma_write_begin, probe_dma_begin)                                    \
	X(dma_write, probe_dma)                                                \
	X(truncate_range_begin, probe_truncate_begin)                          \
	X(truncate_range, probe_truncate)                                      \
	X(memory_failure_begin, probe_memory_failure_begin)                    \
	X(memory_failure, probe_memory_failure)                                \
	X(dma_release_begin, probe_release_begin)                              \
	X(dma_release, probe_release)                                          \
	X(fsync_enter, probe_fsync_enter)                                      \
	X(fsync_exit, probe_fsync_exit)                                        \
	X(sync_enter, probe_sync_enter)                                        \
	X(sync_exit, probe_sync_exit)

int oracle_attach(void)
{
	int err = 0;

#define REGISTER(tp, probe)                                                    \
	if (!err)                                                              \
		err = register_trace_##tp(probe, NULL);
	PROBES(REGISTER)
#undef REGISTER
	return err;
}

void oracle_detach(void)
{
#define UNREGISTER(tp, probe) unregister_trace_##tp(probe, NULL);
	PROBES(UNREGISTER)
#undef UNREGISTER
}
