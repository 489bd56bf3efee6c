/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints: where mm, fs and driver code tells observers what happened.
 * The kernel has some of these (mm_filemap_add_to_page_cache, ...); the
 * rest report what only a model can know, such as the bytes a CPU store or
 * a device's DMA put into a frame.  Nothing in the kernel code depends on
 * what the probes do.
 *
 * As in the kernel, each observer registers its own probes with
 * register_trace_NAME(probe, data) and removes them with
 * unregister_trace_NAME(probe, data); a probe gets its @data first.  The
 * harness's observers (the data-integrity oracle, the unstable-write
 * counter, the flight recorder, the Chrome trace) each register theirs.
 *
 * Probes run with preemption disabled, as the kernel runs them: observing
 * a run never adds a scheduling point to it, and a probe may take a host
 * mutex but must not sleep.  The one exception is declared with
 * DECLARE_TRACE_MAY_SLEEP: its probes run in the task's own context and
 * may take sleeping locks (the oracle reads a file's block map under
 * i_data_sem when an fsync returns).
 *
 * Locking: probes are registered before a machine's tasks start and
 * unregistered after they stopped (where the kernel uses RCU, the model
 * uses the run's phases); tracepoint_mutex serialises the registrations.
 */
#ifndef _LINUX_TRACEPOINT_H
#define _LINUX_TRACEPOINT_H

#include <linux/compiler.h>
#include <linux/preempt.h>
#include <linux/types.h>

struct page;
struct inode;
struct block_device;
struct super_block;

#define TRACEPOINT_MAX_PROBES 4

struct tracepoint_func {
	void *func;
	void *data;
};

struct tracepoint {
	const char *name;
	int nr_funcs;		/* read without a lock by trace_NAME() */
	struct tracepoint_func funcs[TRACEPOINT_MAX_PROBES];
};

int tracepoint_probe_register(struct tracepoint *tp, void *probe, void *data);
int tracepoint_probe_unregister(struct tracepoint *tp, void *probe, void *data);

#define TP_PROTO(args...) args
#define TP_ARGS(args...) args

#define __DECLARE_TRACE(name, proto, args, prologue, epilogue)                 \
	extern struct tracepoint __tracepoint_##name;                          \
	static inline void trace_##name(proto)                                 \
	{                                                                      \
		struct tracepoint *tp = &__tracepoint_##name;                  \
		int nr = __atomic_load_n(&tp->nr_funcs, __ATOMIC_ACQUIRE);     \
									       \
		if (likely(!nr))                                               \
			return;                                                \
		prologue;                                                      \
		for (int i = 0; i < nr; i++)                                   \
			((void (*)(void *, proto))tp->funcs[i].func)(          \
				tp->funcs[i].data, args);                      \
		epilogue;                                                      \
	}                                                                      \
	static inline int register_trace_##name(void (*probe)(void *, proto),  \
						void *data)                    \
	{                                                                      \
		return tracepoint_probe_register(&__tracepoint_##name,         \
						 (void *)probe, data);         \
	}                                                                      \
	static inline int unregister_trace_##name(                             \
		void (*probe)(void *, proto), void *data)                      \
	{                                                                      \
		return tracepoint_probe_unregister(&__tracepoint_##name,       \
						   (void *)probe, data);       \
	}

#define DECLARE_TRACE(name, proto, args)                                       \
	__DECLARE_TRACE(name, TP_PROTO(proto), TP_ARGS(args),                  \
			preempt_disable(), preempt_enable())
#define DECLARE_TRACE_MAY_SLEEP(name, proto, args)                             \
	__DECLARE_TRACE(name, TP_PROTO(proto), TP_ARGS(args), (void)0, (void)0)

/* kernel/tracepoint.c */
#define DEFINE_TRACE(tp) struct tracepoint __tracepoint_##tp = { .name = #tp }

/* The page cache. */
DECLARE_TRACE(mm_filemap_add_to_page_cache,
	      TP_PROTO(struct page *page), TP_ARGS(page));
DECLARE_TRACE(mm_filemap_delete_from_page_cache,
	      TP_PROTO(struct page *page), TP_ARGS(page));

/*
 * A CPU store through a PTE is about to write (begin) or has written @len
 * bytes @data at @offset of @page; both under the page-table lock, the
 * frame written in between.
 */
DECLARE_TRACE(user_store_begin,
	      TP_PROTO(struct page *page, unsigned int offset, const void *data,
		       size_t len),
	      TP_ARGS(page, offset, data, len));
DECLARE_TRACE(user_store,
	      TP_PROTO(struct page *page, unsigned int offset, const void *data,
		       size_t len),
	      TP_ARGS(page, offset, data, len));

/* The same for a device writing @page by DMA, behind the kernel's back. */
DECLARE_TRACE(dma_write_begin,
	      TP_PROTO(struct page *page, unsigned int offset, const void *data,
		       size_t len),
	      TP_ARGS(page, offset, data, len));
DECLARE_TRACE(dma_write,
	      TP_PROTO(struct page *page, unsigned int offset, const void *data,
		       size_t len),
	      TP_ARGS(page, offset, data, len));

/* get_user_pages() handed @page to a device, and the device let it go. */
DECLARE_TRACE(dma_map_page, TP_PROTO(struct page *page, bool write),
	      TP_ARGS(page, write));
DECLARE_TRACE(dma_unmap_page, TP_PROTO(struct page *page, bool write),
	      TP_ARGS(page, write));

/*
 * A driver releases @page: before (begin) and after its
 * set_page_dirty_lock() when @dirty, or its plain put otherwise.
 */
DECLARE_TRACE(dma_release_begin, TP_PROTO(struct page *page, bool dirty),
	      TP_ARGS(page, dirty));
DECLARE_TRACE(dma_release, TP_PROTO(struct page *page, bool dirty),
	      TP_ARGS(page, dirty));

/* write_cache_pages() is about to call ->writepage for @page. */
DECLARE_TRACE(wbc_writepage, TP_PROTO(struct page *page), TP_ARGS(page));

/*
 * The filesystem took the bytes it will write for @page: @data is the
 * page's frame, or a stable copy of it taken now.  The page is under
 * writeback until its I/O ends.
 */
DECLARE_TRACE(writeback_page_io, TP_PROTO(struct page *page, const void *data),
	      TP_ARGS(page, data));

/*
 * @bdev wrote @len bytes from @data (inside @page's frame or its stable
 * copy) at byte @offset, which now holds them.
 */
DECLARE_TRACE(block_write_page,
	      TP_PROTO(struct block_device *bdev, struct page *page,
		       const void *data, size_t len, u64 offset),
	      TP_ARGS(bdev, page, data, len, offset));

/* page_maybe_dma_pinned() answered @pinned: the observers know the truth. */
DECLARE_TRACE(page_maybe_dma_pinned, TP_PROTO(struct page *page, bool pinned),
	      TP_ARGS(page, pinned));

/*
 * The file range [lstart, lend] (lend -1: to the end) is being truncated or
 * punched (begin), and no longer holds what was written (end).
 */
DECLARE_TRACE(truncate_range_begin,
	      TP_PROTO(struct inode *inode, loff_t lstart, loff_t lend),
	      TP_ARGS(inode, lstart, lend));
DECLARE_TRACE(truncate_range,
	      TP_PROTO(struct inode *inode, loff_t lstart, loff_t lend),
	      TP_ARGS(inode, lstart, lend));

/* @page, at @index of @inode, is being poisoned (begin), and is lost. */
DECLARE_TRACE(memory_failure_begin,
	      TP_PROTO(struct page *page, struct inode *inode, pgoff_t index),
	      TP_ARGS(page, inode, index));
DECLARE_TRACE(memory_failure,
	      TP_PROTO(struct page *page, struct inode *inode, pgoff_t index),
	      TP_ARGS(page, inode, index));

/*
 * fsync of @inode begins, and returned @ret; sync of every file of @sb
 * begins, and returned.  The ends may sleep (see above).
 */
DECLARE_TRACE(fsync_enter, TP_PROTO(struct inode *inode), TP_ARGS(inode));
DECLARE_TRACE_MAY_SLEEP(fsync_exit, TP_PROTO(struct inode *inode, int ret),
			TP_ARGS(inode, ret));
DECLARE_TRACE(sync_enter, TP_PROTO(struct super_block *sb), TP_ARGS(sb));
DECLARE_TRACE_MAY_SLEEP(sync_exit, TP_PROTO(struct super_block *sb, int ret),
			TP_ARGS(sb, ret));

/* A named event of the current task (the flight recorder, the trace). */
DECLARE_TRACE(event, TP_PROTO(const char *what, struct page *page, long arg),
	      TP_ARGS(what, page, arg));
/* The current task begins (@begin) or ends an operation @what. */
DECLARE_TRACE(span,
	      TP_PROTO(const char *what, struct page *page, long arg, bool begin),
	      TP_ARGS(what, page, arg, begin));

#define trace_span_begin(what, page, arg) trace_span(what, page, arg, true)
#define trace_span_end(what, page, arg) trace_span(what, page, arg, false)

#endif /* _LINUX_TRACEPOINT_H */
