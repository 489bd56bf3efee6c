// SPDX-License-Identifier: GPL-2.0
/*
 * Memory failure (hwpoison) of a page cache page.
 *
 * The poisoned page is unmapped from every process and removed from the
 * page cache; its data is gone.  Before unmapping, a page whose PG_dirty
 * is clear is page_mkclean()ed: if some PTE was dirty the page is marked
 * dirty (the processes must be told they lost data), otherwise the page
 * was clean and dropping it loses nothing.  Under the seed policy that
 * page_mkclean() waits for a DMA pin to be released (skip = false).
 *
 * The model sends no signals: "Killing" lines are logged only.
 *
 * Locking: the poisoned page is locked for the whole operation.
 */
#include <errno.h>

#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/printk.h>
#include <linux/rmap.h>
#include <linux/sched.h>
#include <linux/swap.h>
#include <linux/tracepoint.h>

#define MF_MUST_KILL 0x4

int truncate_inode_page(struct address_space *mapping, struct page *page);

static bool hwpoison_user_mappings(struct page *p, unsigned long pfn,
				   int flags)
{
	struct address_space *mapping = page_mapping(p);
	bool skip_pinned_pages = false;
	int kill = 1;
	bool unmap_success;

	if (!page_mapped(p))
		return true;
	if (!(flags & MF_MUST_KILL) && !PageDirty(p) && mapping &&
	    mapping_cap_writeback_dirty(mapping)) {
		if (page_mkclean(p, skip_pinned_pages)) {
			SetPageDirty(p);
		} else {
			kill = 0;
			pr_info("Memory failure: %#lx: corrupted page was clean: dropped without side effects\n",
				pfn);
		}
	}
	unmap_success = try_to_unmap(p, TTU_IGNORE_MLOCK | TTU_IGNORE_ACCESS |
						TTU_IGNORE_HWPOISON);
	if (!unmap_success)
		pr_err("Memory failure: %#lx: failed to unmap page (mapcount=%d)\n",
		       pfn, page_mapcount(p));
	if (kill)
		pr_err("Memory failure: %#lx: Killing the processes that mapped it (not modelled)\n",
		       pfn);
	return unmap_success;
}

/* me_pagecache_dirty() and me_pagecache_clean(). */
static int me_pagecache(struct page *p, unsigned long pfn)
{
	struct address_space *mapping = page_mapping(p);
	bool dirty = PageDirty(p);

	if (!mapping) {
		pr_err("Memory failure: %#lx: page was truncated meanwhile\n", pfn);
		return -EBUSY;
	}
	if (dirty)
		mapping_set_error(mapping, -EIO);
	/* delete_from_lru_cache() */
	if (!isolate_lru_page(p)) {
		ClearPageActive(p);
		ClearPageUnevictable(p);
		put_page(p);
	}
	if (truncate_inode_page(mapping, p)) {
		pr_err("Memory failure: %#lx: failed to remove from page cache\n", pfn);
		return -EBUSY;
	}
	pr_err("Memory failure: %#lx: recovery action for %s LRU page: Recovered\n",
	       pfn, dirty ? "dirty" : "clean");
	return 0;
}

int memory_failure(unsigned long pfn, int flags)
{
	struct address_space *mapping;
	struct page *p;
	unsigned long waits;
	pgoff_t index;
	int res;

	if (!pfn_valid(pfn)) {
		pr_err("Memory failure: %#lx: memory outside kernel control\n", pfn);
		return -ENXIO;
	}
	p = pfn_to_page(pfn);
	if (TestSetPageHWPoison(p)) {
		pr_err("Memory failure: %#lx: already hardware poisoned\n", pfn);
		return 0;
	}
	count_vm_event(MEMORY_FAILURE);
	trace_event("memory_failure", p, 0);
	if (!get_page_unless_zero(p)) {
		if (take_page_off_buddy(p))
			pr_err("Memory failure: %#lx: free buddy page: Recovered\n",
			       pfn);
		return 0;
	}
	lock_page(p);
	waits = current->pin_waits;
	wait_on_page_writeback(p);
	mapping = page_mapping(p);
	if (!mapping) {
		pr_err("Memory failure: %#lx: unhandlable page (not in the page cache)\n",
		       pfn);
		res = -EBUSY;
		goto out;
	}
	/* The page is locked: its place in the file stays put meanwhile. */
	index = p->index;
	trace_memory_failure_begin(p, mapping->host, index);
	if (!hwpoison_user_mappings(p, pfn, flags))
		res = -EBUSY;
	else
		res = me_pagecache(p, pfn);
	/* Recovered or not, what the page held is gone with the memory. */
	trace_memory_failure(p, mapping->host, index);
out:
	if (current->pin_waits != waits)
		count_vm_event(MEMORY_FAILURE_WAITED_UNPIN);
	/*
	 * The reference taken above is never dropped: a poisoned page must
	 * not go back to the allocator.
	 */
	unlock_page(p);
	return res;
}
