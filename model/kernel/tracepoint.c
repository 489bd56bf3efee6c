// SPDX-License-Identifier: GPL-2.0
/*
 * The tracepoints of include/linux/tracepoint.h, and the registration of
 * their probes.
 *
 * A tracepoint holds up to TRACEPOINT_MAX_PROBES (probe, data) pairs and
 * their number, which trace_NAME() reads without a lock.  A new pair is
 * written before the number that covers it is published; a removed one
 * is taken out only when nothing can call the tracepoint (the harness
 * registers before a machine's tasks start and unregisters after they
 * stopped, where the kernel relies on RCU).
 *
 * Locking: tracepoint_mutex, a host mutex, serialises the registrations.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <linux/tracepoint.h>

static pthread_mutex_t tracepoint_mutex = PTHREAD_MUTEX_INITIALIZER;

DEFINE_TRACE(mm_filemap_add_to_page_cache);
DEFINE_TRACE(mm_filemap_delete_from_page_cache);
DEFINE_TRACE(user_store_begin);
DEFINE_TRACE(user_store);
DEFINE_TRACE(dma_write_begin);
DEFINE_TRACE(dma_write);
DEFINE_TRACE(dma_map_page);
DEFINE_TRACE(dma_unmap_page);
DEFINE_TRACE(dma_release_begin);
DEFINE_TRACE(dma_release);
DEFINE_TRACE(wbc_writepage);
DEFINE_TRACE(writeback_page_io);
DEFINE_TRACE(block_write_page);
DEFINE_TRACE(page_maybe_dma_pinned);
DEFINE_TRACE(truncate_range_begin);
DEFINE_TRACE(truncate_range);
DEFINE_TRACE(memory_failure_begin);
DEFINE_TRACE(memory_failure);
DEFINE_TRACE(fsync_enter);
DEFINE_TRACE(fsync_exit);
DEFINE_TRACE(sync_enter);
DEFINE_TRACE(sync_exit);
DEFINE_TRACE(event);
DEFINE_TRACE(span);

int tracepoint_probe_register(struct tracepoint *tp, void *probe, void *data)
{
	int nr, ret = 0;

	pthread_mutex_lock(&tracepoint_mutex);
	nr = tp->nr_funcs;
	for (int i = 0; i < nr; i++) {
		if (tp->funcs[i].func == probe && tp->funcs[i].data == data) {
			ret = -EEXIST;
			goto out;
		}
	}
	if (nr == TRACEPOINT_MAX_PROBES) {
		ret = -ENOSPC;
		goto out;
	}
	tp->funcs[nr] = (struct tracepoint_func){ .func = probe, .data = data };
	__atomic_store_n(&tp->nr_funcs, nr + 1, __ATOMIC_RELEASE);
out:
	pthread_mutex_unlock(&tracepoint_mutex);
	return ret;
}

int tracepoint_probe_unregister(struct tracepoint *tp, void *probe, void *data)
{
	int nr, ret = -ENOENT;

	pthread_mutex_lock(&tracepoint_mutex);
	nr = tp->nr_funcs;
	for (int i = 0; i < nr; i++) {
		if (tp->funcs[i].func != probe || tp->funcs[i].data != data)
			continue;
		memmove(&tp->funcs[i], &tp->funcs[i + 1],
			(size_t)(nr - i - 1) * sizeof(tp->funcs[0]));
		__atomic_store_n(&tp->nr_funcs, nr - 1, __ATOMIC_RELEASE);
		ret = 0;
		break;
	}
	pthread_mutex_unlock(&tracepoint_mutex);
	return ret;
}
