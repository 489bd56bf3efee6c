// SPDX-License-Identifier: GPL-2.0
/*
 * The LRU lists: adding pages, putting isolated pages back, isolating one,
 * and page aging by access.
 *
 * The kernel batches LRU additions in per-CPU pagevecs; the model adds
 * directly under lru_lock, which keeps the same states (PG_lru set exactly
 * while the page is on a list) without the batching delay.
 *
 * Under the seed policy the LRU-add paths refuse a DMA-pinned page: its
 * page->lru words hold the pin count and flags, and reclaim must not find
 * it.  (A page can be pinned only while it is on an LRU list or on none,
 * never while a reclaimer holds it isolated, so an isolated page that comes
 * back here cannot have been pinned meanwhile.)
 *
 * Locking: lru_lock protects the lists, PG_lru and nr_pages; it nests
 * inside pinned_dma_lock (the seed's pin and unpin) and nothing nests
 * inside it.
 */
#include <errno.h>

#include <linux/mm.h>
#include <linux/swap.h>

#include "pin_policy.h"

enum lru_list page_lru(struct page *page)
{
	if (PageUnevictable(page))
		return LRU_UNEVICTABLE;
	return PageActive(page) ? LRU_ACTIVE_FILE : LRU_INACTIVE_FILE;
}

void add_page_to_lru_list(struct page *page, struct lruvec *lruvec,
			  enum lru_list lru)
{
	list_add(&page->lru, &lruvec->lists[lru]);
	lruvec->nr_pages[lru]++;
}

void del_page_from_lru_list(struct page *page, struct lruvec *lruvec,
			    enum lru_list lru)
{
	list_del(&page->lru);
	lruvec->nr_pages[lru]--;
}

static void __lru_cache_add(struct page *page)
{
	pg_data_t *pgdat = page_pgdat(page);

	spin_lock(&pgdat->lru_lock);
	VM_BUG_ON_PAGE(PageLRU(page), page);
	SetPageLRU(page);
	add_page_to_lru_list(page, &pgdat->lruvec, page_lru(page));
	spin_unlock(&pgdat->lru_lock);
}

void lru_cache_add(struct page *page)
{
	if (pin_policy_refuses_lru(page)) {
		count_vm_event(LRU_ADD_PINNED_REFUSED);
		return;
	}
	__lru_cache_add(page);
}

/* Put back a page that this task isolated, and drop the isolation ref. */
void putback_lru_page(struct page *page)
{
	lru_cache_add(page);
	put_page(page);
}

/*
 * Take @page off its LRU list, with a reference for the caller.  Returns
 * -EBUSY if the page is on no list (someone else isolated it, or it never
 * was an LRU page).
 */
int isolate_lru_page(struct page *page)
{
	pg_data_t *pgdat = page_pgdat(page);
	int ret = -EBUSY;

	VM_BUG_ON_PAGE(!page_count(page), page);
	if (!PageLRU(page))
		return ret;
	spin_lock(&pgdat->lru_lock);
	if (PageLRU(page)) {
		get_page(page);
		ClearPageLRU(page);
		del_page_from_lru_list(page, &pgdat->lruvec, page_lru(page));
		ret = 0;
	}
	spin_unlock(&pgdat->lru_lock);
	return ret;
}

void activate_page(struct page *page)
{
	pg_data_t *pgdat = page_pgdat(page);

	spin_lock(&pgdat->lru_lock);
	if (PageLRU(page) && !PageActive(page) && !PageUnevictable(page)) {
		del_page_from_lru_list(page, &pgdat->lruvec, LRU_INACTIVE_FILE);
		SetPageActive(page);
		add_page_to_lru_list(page, &pgdat->lruvec, LRU_ACTIVE_FILE);
		count_vm_event(PGACTIVATE);
	}
	spin_unlock(&pgdat->lru_lock);
}

/*
 * inactive,unreferenced -> inactive,referenced
 * inactive,referenced   -> active,unreferenced
 */
void mark_page_accessed(struct page *page)
{
	if (!PageActive(page) && !PageUnevictable(page) &&
	    PageReferenced(page)) {
		if (PageLRU(page))
			activate_page(page);
		ClearPageReferenced(page);
	} else if (!PageReferenced(page)) {
		SetPageReferenced(page);
	}
}

/*
 * A page written back for reclaim (PG_reclaim) goes to the tail of the
 * inactive list, where reclaim looks first.
 */
void rotate_reclaimable_page(struct page *page)
{
	pg_data_t *pgdat = page_pgdat(page);

	spin_lock(&pgdat->lru_lock);
	if (PageLRU(page) && !PageActive(page) && !PageUnevictable(page)) {
		list_move_tail(&page->lru,
			       &pgdat->lruvec.lists[LRU_INACTIVE_FILE]);
	}
	spin_unlock(&pgdat->lru_lock);
}
