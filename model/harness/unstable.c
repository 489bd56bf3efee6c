// SPDX-License-Identifier: GPL-2.0
/*
 * The unstable-write counter (unstable.h), on the tracepoints of
 * get_user_pages() and of write_cache_pages().
 *
 * Locking: dma_writers[] holds, per pfn, the devices that hold the page
 * for write; atomic counts, read racily at writepage (a page pinned or
 * unpinned at that moment may count either way, as in the kernel).
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/mm.h>
#include <linux/tracepoint.h>
#include <linux/vmstat.h>

#include "unstable.h"

static int *dma_writers;

static void unstable_map(void *data, struct page *page, bool write)
{
	if (write)
		__atomic_add_fetch(&dma_writers[page_to_pfn(page)], 1,
				   __ATOMIC_RELAXED);
}

static void unstable_unmap(void *data, struct page *page, bool write)
{
	if (write)
		__atomic_sub_fetch(&dma_writers[page_to_pfn(page)], 1,
				   __ATOMIC_RELAXED);
}

static void unstable_writepage(void *data, struct page *page)
{
	if (__atomic_load_n(&dma_writers[page_to_pfn(page)], __ATOMIC_RELAXED))
		count_vm_event(UNSTABLE_WRITES);
}

int unstable_writes_start(unsigned long max_pfn)
{
	int err;

	dma_writers = calloc(max_pfn ? max_pfn : 1, sizeof(*dma_writers));
	if (!dma_writers)
		return -ENOMEM;
	err = register_trace_dma_map_page(unstable_map, NULL);
	if (!err)
		err = register_trace_dma_unmap_page(unstable_unmap, NULL);
	if (!err)
		err = register_trace_wbc_writepage(unstable_writepage, NULL);
	return err;
}

void unstable_writes_stop(void)
{
	unregister_trace_dma_map_page(unstable_map, NULL);
	unregister_trace_dma_unmap_page(unstable_unmap, NULL);
	unregister_trace_wbc_writepage(unstable_writepage, NULL);
	free(dma_writers);
	dma_writers = NULL;
}
