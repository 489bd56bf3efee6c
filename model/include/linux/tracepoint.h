/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints: where mm, fs and drivers code tells observers what happened.
 * The kernel has some of these (mm_filemap_add_to_page_cache, ...); the
 * rest report what only a model can know, such as the bytes a CPU store or
 * a device's DMA put into a frame.  The data-integrity oracle, the
 * unstable-write counter and the flight recorder attach here; nothing in
 * the kernel code depends on what they do.
 */
#ifndef _LINUX_TRACEPOINT_H
#define _LINUX_TRACEPOINT_H

#include <linux/preempt.h>
#include <linux/types.h>

struct page;
struct inode;
struct buffer_head;

struct tracepoint_probes {
	void (*mm_filemap_add_to_page_cache)(struct page *page);
	void (*mm_filemap_delete_from_page_cache)(struct page *page);
	/* A CPU store through a PTE wrote @len bytes at @offset of @page. */
	void (*user_store)(struct page *page, unsigned int offset,
			   const void *data, size_t len);
	/* A device wrote @len bytes at @offset of @page by DMA. */
	void (*dma_write)(struct page *page, unsigned int offset,
			  const void *data, size_t len);
	void (*dma_map_page)(struct page *page, bool write);
	void (*dma_unmap_page)(struct page *page, bool write);
	/* write_cache_pages() is about to call ->writepage for @page. */
	void (*wbc_writepage)(struct page *page);
	/* The file range [lstart, lend] no longer holds what was written. */
	void (*truncate_range)(struct inode *inode, loff_t lstart, loff_t lend);
	void (*memory_failure)(struct page *page, struct inode *inode,
			       pgoff_t index);
	/* A named event of some task, for the flight recorder. */
	void (*event)(const char *what, struct page *page, long arg);
	/* The current task begins (@begin) or ends an operation @what. */
	void (*span)(const char *what, struct page *page, long arg, bool begin);
};

extern struct tracepoint_probes tracepoints;

#define trace_call(probe, ...)                                                 \
	do {                                                                   \
		if (tracepoints.probe) {                                       \
			preempt_disable();                                     \
			tracepoints.probe(__VA_ARGS__);                        \
			preempt_enable();                                      \
		}                                                              \
	} while (0)

#define trace_mm_filemap_add_to_page_cache(page) trace_call(mm_filemap_add_to_page_cache, page)
#define trace_mm_filemap_delete_from_page_cache(page) trace_call(mm_filemap_delete_from_page_cache, page)
#define trace_user_store(page, off, data, len) trace_call(user_store, page, off, data, len)
#define trace_dma_write(page, off, data, len) trace_call(dma_write, page, off, data, len)
#define trace_dma_map_page(page, write) trace_call(dma_map_page, page, write)
#define trace_dma_unmap_page(page, write) trace_call(dma_unmap_page, page, write)
#define trace_wbc_writepage(page) trace_call(wbc_writepage, page)
#define trace_truncate_range(inode, s, e) trace_call(truncate_range, inode, s, e)
#define trace_memory_failure_event(page, inode, index) trace_call(memory_failure, page, inode, index)
#define trace_event(what, page, arg) trace_call(event, what, page, arg)
#define trace_span_begin(what, page, arg) trace_call(span, what, page, arg, true)
#define trace_span_end(what, page, arg) trace_call(span, what, page, arg, false)

#endif /* _LINUX_TRACEPOINT_H */
