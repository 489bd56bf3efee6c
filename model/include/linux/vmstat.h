/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event counters, named like /proc/vmstat lines.  The kernel's own names
 * are kept where the kernel has the counter (pgfault, pgscan_kswapd,
 * nr_foll_pin_acquired, ...); the rest are the model's, for the events this
 * project is about.  Every run reports all of them.
 */
#ifndef _LINUX_VMSTAT_H
#define _LINUX_VMSTAT_H

#include <linux/atomic.h>

#define FOR_ALL_VM_EVENTS(X)                                                   \
	X(PGALLOC, "pgalloc")                                                  \
	X(PGFREE, "pgfree")                                                    \
	X(PGFAULT, "pgfault")                                                  \
	X(PGMAJFAULT, "pgmajfault")                                            \
	X(PAGE_MKWRITE, "page_mkwrite")                                        \
	X(PGPGIN, "pgpgin")                                                    \
	X(NR_WRITTEN, "nr_written")                                            \
	X(NR_DIRTIED, "nr_dirtied")                                            \
	X(PGSCAN_KSWAPD, "pgscan_kswapd")                                      \
	X(PGSCAN_DIRECT, "pgscan_direct")                                      \
	X(PGSTEAL_KSWAPD, "pgsteal_kswapd")                                    \
	X(PGSTEAL_DIRECT, "pgsteal_direct")                                    \
	X(PGACTIVATE, "pgactivate")                                            \
	X(PGDEACTIVATE, "pgdeactivate")                                        \
	X(PGREFILL, "pgrefill")                                                \
	X(ALLOCSTALL, "allocstall")                                            \
	X(NR_VMSCAN_IMMEDIATE, "nr_vmscan_immediate_reclaim")                  \
	X(RECLAIM_UNMAP_FAIL, "reclaim_unmap_fail")                            \
	X(RECLAIM_REMOVE_FAIL, "reclaim_remove_mapping_fail")                  \
	X(BUFFERS_DROPPED, "buffers_dropped")                                  \
	X(PGTRUNCATE, "pgtruncate")                                            \
	X(NR_FOLL_PIN_ACQUIRED, "nr_foll_pin_acquired")                        \
	X(NR_FOLL_PIN_RELEASED, "nr_foll_pin_released")                        \
	X(DMA_PIN_ISOLATE_FAILED, "dma_pin_isolate_failed")                    \
	X(DMA_UNPIN_TO_LRU, "dma_unpin_to_lru")                                \
	X(LRU_ADD_PINNED_REFUSED, "lru_add_pinned_refused")                    \
	X(TTU_PINNED_REFUSED, "ttu_pinned_refused")                            \
	X(MKCLEAN_PTES_CLEANED, "mkclean_ptes_cleaned")                        \
	X(MKCLEAN_PINNED_SKIPPED, "mkclean_pinned_skipped")                    \
	X(MKCLEAN_PINNED_WAITS, "mkclean_pinned_waits")                        \
	X(MKCLEAN_PINNED_WAIT_LOOPS, "mkclean_pinned_wait_loops")              \
	X(WB_SYNC_ALL_WAITED_UNPIN, "wb_sync_all_waited_unpin")                \
	X(UNSTABLE_WRITES, "unstable_writes")                                  \
	X(PINNED_WRITES, "pinned_writes")                                      \
	X(WRITEPAGE_NO_BUFFERS, "writepage_no_buffers")                        \
	X(DMA_BURSTS, "dma_bursts")                                            \
	X(DMA_BYTES, "dma_bytes")                                              \
	X(MEMORY_FAILURE, "memory_failure")                                    \
	X(MEMORY_FAILURE_WAITED_UNPIN, "memory_failure_waited_unpin")          \
	X(ISIZE_EXTEND_WAITED_UNPIN, "isize_extend_waited_unpin")              \
	X(DEFIO_PAGES_CLEANED, "defio_pages_cleaned")                          \
	X(DEFIO_WAITED_UNPIN, "defio_waited_unpin")                            \
	X(FSYNC_CALLS, "fsync_calls")                                          \
	X(FSYNC_WAITED_UNPIN, "fsync_waited_unpin")                            \
	X(PIN_FALSE_POSITIVE, "pin_false_positive")                            \
	X(RECLAIM_PINNED_KEPT, "reclaim_pinned_kept")                          \
	X(FOLL_LONGTERM_REFUSED, "foll_longterm_refused")                      \
	X(WRITEBACK_SKIPPED, "writeback_skipped")                              \
	X(BOUNCE_COPIES, "bounce_copies")                                      \
	X(BOUNCE_BYTES, "bounce_bytes")                                        \
	X(UNSTABLE_BYTES, "unstable_bytes")                                    \
	X(LOCKDEP_INVERSIONS, "lockdep_inversions")

#define VM_EVENT_ENUM(e, name) e,
enum vm_event_item { FOR_ALL_VM_EVENTS(VM_EVENT_ENUM) NR_VM_EVENT_ITEMS };
#undef VM_EVENT_ENUM

extern atomic_long_t vm_events[NR_VM_EVENT_ITEMS];
extern const char *const vm_event_names[NR_VM_EVENT_ITEMS];

static inline void count_vm_events(enum vm_event_item item, long delta)
{
	atomic_long_add(delta, &vm_events[item]);
}

static inline void count_vm_event(enum vm_event_item item)
{
	count_vm_events(item, 1);
}

static inline long vm_event_read(enum vm_event_item item)
{
	return atomic_long_read(&vm_events[item]);
}

void vm_events_reset(void);

#endif /* _LINUX_VMSTAT_H */
