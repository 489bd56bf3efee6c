// SPDX-License-Identifier: GPL-2.0
/*
 * Page reclaim: kswapd and direct reclaim of file pages.
 *
 * shrink_inactive_list() isolates pages from the tail of the inactive list
 * (each keeps an extra reference while isolated) and shrink_page_list()
 * tries to free them.  For each one: trylock; skip it while under
 * writeback; check references; unmap it from every page table
 * (try_to_unmap); keep it if dirty (file pages are written by the flusher,
 * not by reclaim); release its buffers (try_to_release_page); and remove it
 * from the page cache by freezing its refcount at 2 (cache + isolation).
 *
 * That last step is where a gup reference shows: the freeze fails, and the
 * page goes back to the LRU still in the page cache but now unmapped and
 * without buffers.  That is the 2018 bug's setup.
 *
 * kswapd runs when an allocation finds its zone below the low watermark,
 * and, when the machine's scenario asks for memory pressure from outside
 * (reclaim interval), every interval.
 *
 * Locking: lru_lock for the lists; the page lock for each page's trip
 * through shrink_page_list().
 */
#include <stdio.h>
#include <stdlib.h>

#include <linux/buffer_head.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/sched.h>
#include <linux/swap.h>
#include <linux/tracepoint.h>
#include <linux/writeback.h>

#include "pin_policy.h"

#define SWAP_CLUSTER_MAX 32UL

enum page_references {
	PAGEREF_RECLAIM,
	PAGEREF_RECLAIM_CLEAN,
	PAGEREF_KEEP,
	PAGEREF_ACTIVATE,
};

extern struct bdi_writeback *vmscan_flusher;
struct bdi_writeback *vmscan_flusher;

static struct page *lru_to_page(struct list_head *head)
{
	return list_entry(head->prev, struct page, lru);
}

static enum page_references page_check_references(struct page *page)
{
	unsigned long vm_flags;
	int referenced_ptes = page_referenced(page, 1, &vm_flags);
	bool referenced_page = TestClearPageReferenced(page);

	if (vm_flags & VM_LOCKED)
		return PAGEREF_RECLAIM;
	if (referenced_ptes) {
		SetPageReferenced(page);
		if (referenced_page || referenced_ptes > 1)
			return PAGEREF_ACTIVATE;
		if (vm_flags & VM_EXEC)
			return PAGEREF_ACTIVATE;
		return PAGEREF_KEEP;
	}
	if (referenced_page)
		return PAGEREF_RECLAIM_CLEAN;
	return PAGEREF_RECLAIM;
}

/*
 * Detach a locked, unmapped page from its mapping if nobody else holds a
 * reference.  Returns 1 (and leaves the refcount frozen at 0) on success.
 */
static int __remove_mapping(struct address_space *mapping, struct page *page)
{
	spin_lock(&mapping->i_pages.xa_lock);
	/*
	 * The page cache and the isolation hold one reference each.  Anyone
	 * else (a lookup in progress, or a device's gup) makes this fail.
	 */
	if (!page_ref_freeze(page, 2))
		goto cannot_free;
	if (unlikely(PageDirty(page))) {
		page_ref_unfreeze(page, 2);
		goto cannot_free;
	}
	__delete_from_page_cache(page);
	spin_unlock(&mapping->i_pages.xa_lock);
	return 1;
cannot_free:
	spin_unlock(&mapping->i_pages.xa_lock);
	count_vm_event(RECLAIM_REMOVE_FAIL);
	trace_event("remove_mapping_failed", page, page_count(page));
	return 0;
}

struct reclaim_stat {
	unsigned long nr_dirty;
	unsigned long nr_writeback;
	unsigned long nr_activate;
};

/*
 * Linux 6.4 (shrink_folio_list()): no point in reclaiming a page a device
 * may have pinned, and releasing its buffers would upset the filesystem
 * when the device's writes are later dirtied into it.
 */
bool reclaim_may_reclaim_pinned(struct page *page)
{
	if (!page_maybe_dma_pinned(page))
		return true;
	count_vm_event(RECLAIM_PINNED_KEPT);
	trace_event("reclaim_pinned_kept", page, page_count(page));
	return false;
}

static unsigned long shrink_page_list(struct list_head *page_list,
				      struct reclaim_stat *stat)
{
	LIST_HEAD(ret_pages);
	LIST_HEAD(free_pages);
	unsigned long nr_reclaimed = 0;

	while (!list_empty(page_list)) {
		struct page *page = lru_to_page(page_list);
		struct address_space *mapping;
		enum page_references references;

		list_del(&page->lru);
		if (!trylock_page(page))
			goto keep;
		if (PageWriteback(page)) {
			stat->nr_writeback++;
			SetPageReclaim(page);
			goto activate_locked;
		}
		references = page_check_references(page);
		if (references == PAGEREF_ACTIVATE)
			goto activate_locked;
		if (references == PAGEREF_KEEP)
			goto keep_locked;

		mapping = page_mapping(page);
		if (page_mapped(page)) {
			if (!try_to_unmap(page, TTU_BATCH_FLUSH)) {
				count_vm_event(RECLAIM_UNMAP_FAIL);
				goto activate_locked;
			}
		}
		/*
		 * Unmapped, the page can no longer be newly pinned: since 6.4
		 * reclaim keeps one that is, with its buffers.
		 */
		if (pin_ops.may_reclaim && !pin_ops.may_reclaim(page))
			goto activate_locked;
		if (PageDirty(page)) {
			/*
			 * Only the flusher writes file pages; reclaim marks
			 * the page for immediate reclaim once it is clean.
			 */
			stat->nr_dirty++;
			count_vm_event(NR_VMSCAN_IMMEDIATE);
			SetPageReclaim(page);
			goto activate_locked;
		}
		if (page_has_private(page)) {
			if (!try_to_release_page(page, GFP_KERNEL))
				goto activate_locked;
		}
		if (!mapping || !__remove_mapping(mapping, page))
			goto keep_locked;
		/* Nobody can find the page any more: unlock without waking. */
		clear_bit(PG_locked, &page->flags);
		nr_reclaimed++;
		list_add(&page->lru, &free_pages);
		trace_event("reclaimed", page, 0);
		continue;
activate_locked:
		SetPageActive(page);
		stat->nr_activate++;
		count_vm_event(PGACTIVATE);
keep_locked:
		unlock_page(page);
keep:
		list_add(&page->lru, &ret_pages);
	}
	while (!list_empty(&free_pages)) {
		struct page *page = lru_to_page(&free_pages);

		list_del(&page->lru);
		free_unref_page(page);
	}
	list_splice_init(&ret_pages, page_list);
	return nr_reclaimed;
}

/* Move up to @nr_to_scan pages from the tail of @lru to @dst; lru_lock held. */
static unsigned long isolate_lru_pages(unsigned long nr_to_scan,
				       struct lruvec *lruvec,
				       struct list_head *dst, enum lru_list lru)
{
	struct list_head *src = &lruvec->lists[lru];
	unsigned long nr_taken = 0;
	unsigned long scanned = 0;

	while (scanned++ < nr_to_scan && !list_empty(src)) {
		struct page *page = lru_to_page(src);

		if (!get_page_unless_zero(page)) {
			/* Being freed: leave it to its owner. */
			list_move(&page->lru, src);
			continue;
		}
		ClearPageLRU(page);
		del_page_from_lru_list(page, lruvec, lru);
		list_add(&page->lru, dst);
		nr_taken++;
	}
	return nr_taken;
}

/*
 * Put the survivors back, and free those whose last reference the
 * isolation held; lru_lock held.  Pages to free go on @to_free.
 */
static void putback_lru_pages(pg_data_t *pgdat, struct list_head *page_list,
			      struct list_head *to_free)
{
	struct lruvec *lruvec = &pgdat->lruvec;

	while (!list_empty(page_list)) {
		struct page *page = lru_to_page(page_list);

		list_del(&page->lru);
		if (pin_policy_refuses_lru(page)) {
			/* Pinned while isolated: cannot happen, see gup.c. */
			if (page_ref_sub_return(page, 1) == 0)
				list_add(&page->lru, to_free);
			continue;
		}
		SetPageLRU(page);
		add_page_to_lru_list(page, lruvec, page_lru(page));
		if (page_ref_sub_return(page, 1) == 0) {
			ClearPageLRU(page);
			del_page_from_lru_list(page, lruvec, page_lru(page));
			ClearPageActive(page);
			list_add(&page->lru, to_free);
		}
	}
}

static void free_page_list(struct list_head *list)
{
	while (!list_empty(list)) {
		struct page *page = lru_to_page(list);

		list_del(&page->lru);
		free_unref_page(page);
	}
}

static unsigned long shrink_inactive_list(unsigned long nr_to_scan,
					  pg_data_t *pgdat)
{
	LIST_HEAD(page_list);
	LIST_HEAD(to_free);
	struct reclaim_stat stat = { 0 };
	unsigned long nr_taken, nr_reclaimed;

	spin_lock(&pgdat->lru_lock);
	nr_taken = isolate_lru_pages(nr_to_scan, &pgdat->lruvec, &page_list,
				     LRU_INACTIVE_FILE);
	pgdat->nr_isolated_file += nr_taken;
	spin_unlock(&pgdat->lru_lock);
	if (!nr_taken)
		return 0;
	count_vm_events(current_is_kswapd() ? PGSCAN_KSWAPD : PGSCAN_DIRECT,
			(long)nr_taken);

	nr_reclaimed = shrink_page_list(&page_list, &stat);
	count_vm_events(current_is_kswapd() ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT,
			(long)nr_reclaimed);

	spin_lock(&pgdat->lru_lock);
	putback_lru_pages(pgdat, &page_list, &to_free);
	pgdat->nr_isolated_file -= nr_taken;
	spin_unlock(&pgdat->lru_lock);
	free_page_list(&to_free);

	/* Only dirty pages were found: get the flusher going. */
	if (stat.nr_dirty && stat.nr_dirty == nr_taken && vmscan_flusher)
		wakeup_flusher_threads(vmscan_flusher, WB_REASON_VMSCAN);
	return nr_reclaimed;
}

static void shrink_active_list(unsigned long nr_to_scan, pg_data_t *pgdat)
{
	LIST_HEAD(l_hold);
	LIST_HEAD(l_active);
	LIST_HEAD(l_inactive);
	LIST_HEAD(to_free);
	unsigned long nr_taken;

	spin_lock(&pgdat->lru_lock);
	nr_taken = isolate_lru_pages(nr_to_scan, &pgdat->lruvec, &l_hold,
				     LRU_ACTIVE_FILE);
	pgdat->nr_isolated_file += nr_taken;
	spin_unlock(&pgdat->lru_lock);
	count_vm_events(PGREFILL, (long)nr_taken);

	while (!list_empty(&l_hold)) {
		struct page *page = lru_to_page(&l_hold);
		unsigned long vm_flags;

		list_del(&page->lru);
		if (page_referenced(page, 0, &vm_flags) && (vm_flags & VM_EXEC)) {
			list_add(&page->lru, &l_active);
			continue;
		}
		ClearPageActive(page);
		list_add(&page->lru, &l_inactive);
		count_vm_event(PGDEACTIVATE);
	}
	spin_lock(&pgdat->lru_lock);
	putback_lru_pages(pgdat, &l_active, &to_free);
	putback_lru_pages(pgdat, &l_inactive, &to_free);
	pgdat->nr_isolated_file -= nr_taken;
	spin_unlock(&pgdat->lru_lock);
	free_page_list(&to_free);
}

/* Small machines keep the lists at a 1:1 ratio. */
static bool inactive_list_is_low(pg_data_t *pgdat)
{
	bool low;

	spin_lock(&pgdat->lru_lock);
	low = pgdat->lruvec.nr_pages[LRU_INACTIVE_FILE] <
	      pgdat->lruvec.nr_pages[LRU_ACTIVE_FILE];
	spin_unlock(&pgdat->lru_lock);
	return low;
}

static unsigned long lru_size(pg_data_t *pgdat, enum lru_list lru)
{
	unsigned long nr;

	spin_lock(&pgdat->lru_lock);
	nr = pgdat->lruvec.nr_pages[lru];
	spin_unlock(&pgdat->lru_lock);
	return nr;
}

/*
 * One pass over the node: age the active list if the inactive one is
 * short, then scan the inactive list until @sc's target is met or every
 * page on it was looked at once.
 */
unsigned long shrink_node(pg_data_t *pgdat, struct scan_control *sc)
{
	unsigned long nr_inactive = lru_size(pgdat, LRU_INACTIVE_FILE);
	unsigned long scanned = 0;

	trace_span_begin("shrink_node", NULL, (long)sc->nr_to_reclaim);
	if (inactive_list_is_low(pgdat))
		shrink_active_list(SWAP_CLUSTER_MAX, pgdat);
	nr_inactive = max(nr_inactive, lru_size(pgdat, LRU_INACTIVE_FILE));
	while (scanned < nr_inactive && sc->nr_reclaimed < sc->nr_to_reclaim) {
		unsigned long nr = min(SWAP_CLUSTER_MAX, nr_inactive - scanned);

		sc->nr_reclaimed += shrink_inactive_list(nr, pgdat);
		scanned += nr;
	}
	sc->nr_scanned += scanned;
	trace_span_end("shrink_node", NULL, (long)sc->nr_reclaimed);
	return sc->nr_reclaimed;
}

/* Direct reclaim, by an allocating task. */
unsigned long try_to_free_pages(gfp_t gfp_mask, unsigned long nr_to_reclaim)
{
	struct scan_control sc = {
		.nr_to_reclaim = nr_to_reclaim,
		.gfp_mask = gfp_mask,
	};
	unsigned int old = current ? current->flags : 0;

	if (current)
		current->flags |= PF_MEMALLOC;
	for (int nid = 0; nid < nr_online_nodes; nid++)
		shrink_node(NODE_DATA(nid), &sc);
	if (current)
		current->flags = old;
	return sc.nr_reclaimed;
}

void wakeup_kswapd(pg_data_t *pgdat)
{
	if (!pgdat->kswapd)
		return;
	spin_lock(&pgdat->kswapd_wait.lock);
	pgdat->kswapd_wakeup = true;
	spin_unlock(&pgdat->kswapd_wait.lock);
	wake_up_all(&pgdat->kswapd_wait);
}

struct kswapd_args {
	pg_data_t *pgdat;
	unsigned long interval_us;	/* forced passes; 0: watermarks only */
	unsigned long nr_to_reclaim;	/* per forced pass */
};

static bool kswapd_woken(pg_data_t *pgdat)
{
	bool woken;

	spin_lock(&pgdat->kswapd_wait.lock);
	woken = pgdat->kswapd_wakeup;
	pgdat->kswapd_wakeup = false;
	spin_unlock(&pgdat->kswapd_wait.lock);
	return woken;
}

static void balance_pgdat(pg_data_t *pgdat, unsigned long forced)
{
	struct zone *zone = &pgdat->node_zones[0];
	unsigned long free = zone_free_pages(zone);
	struct scan_control sc = { .gfp_mask = GFP_KERNEL };

	if (free < zone->watermark_high)
		sc.nr_to_reclaim = zone->watermark_high - free;
	sc.nr_to_reclaim = max(sc.nr_to_reclaim, forced);
	if (sc.nr_to_reclaim)
		shrink_node(pgdat, &sc);
}

static void kswapd(void *arg)
{
	struct kswapd_args *args = arg;
	pg_data_t *pgdat = args->pgdat;
	u64 next = ktime_get_us() + args->interval_us;

	while (!kthread_should_stop()) {
		DEFINE_WAIT(wait);
		bool forced = false;

		prepare_to_wait(&pgdat->kswapd_wait, &wait, TASK_INTERRUPTIBLE);
		if (!kswapd_woken(pgdat) && !kthread_should_stop()) {
			long timeout = args->interval_us ?
					       (long)(next > ktime_get_us() ?
							      next - ktime_get_us() :
							      0) :
					       1000000;

			schedule_timeout(timeout);
		}
		finish_wait(&pgdat->kswapd_wait, &wait);
		if (kthread_should_stop())
			break;
		if (args->interval_us && ktime_get_us() >= next) {
			forced = true;
			next = ktime_get_us() + args->interval_us;
		}
		balance_pgdat(pgdat, forced ? args->nr_to_reclaim : 0);
	}
}

void kswapd_run(pg_data_t *pgdat, unsigned long interval_us,
		unsigned long nr_to_reclaim)
{
	struct kswapd_args *args = calloc(1, sizeof(*args));
	char name[16];

	args->pgdat = pgdat;
	args->interval_us = interval_us;
	args->nr_to_reclaim = nr_to_reclaim;
	snprintf(name, sizeof(name), "kswapd%d", pgdat->node_id);
	/* Its flags before it is visible: the harness reads them. */
	pgdat->kswapd = kthread_create_flags(kswapd, args, name,
					     PF_KSWAPD | PF_MEMALLOC);
	pgdat->kswapd->private = args;
	task_start(pgdat->kswapd);
}

void kswapd_stop(pg_data_t *pgdat)
{
	struct task_struct *t = pgdat->kswapd;

	if (!t)
		return;
	kthread_stop(t);
	pgdat->kswapd = NULL;
	free(t->private);
	task_free(t);
}
