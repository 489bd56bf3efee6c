// SPDX-License-Identifier: GPL-2.0
/*
 * Physical memory: mem_map[], the page frames, and the free lists.
 *
 * The machine's memory is one host mapping of nr_pages frames, split
 * evenly across its nodes; mem_map[] describes them.  Each node has one
 * zone with a free list under zone->lock.  A free page is on that list
 * through page->lru, has a zero refcount and no mapping.
 *
 * Allocation below the low watermark wakes kswapd; an empty zone sends the
 * allocating task into direct reclaim, as __alloc_pages_slowpath() does.
 *
 * Locking: zone->lock protects the free list and nr_free.  It nests
 * inside nothing and nothing nests inside it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/swap.h>

#include "pin_policy.h"

struct page *mem_map;
unsigned long max_pfn;
unsigned char *page_frames;
struct pglist_data *node_data[MAX_NUMNODES];
int nr_online_nodes;

static void init_zone(pg_data_t *pgdat, unsigned long start_pfn,
		      unsigned long nr)
{
	struct zone *zone = &pgdat->node_zones[0];
	unsigned long min_free = max(2UL, nr / 32);

	spin_lock_init(&zone->lock);
	INIT_LIST_HEAD(&zone->free_list);
	zone->zone_pgdat = pgdat;
	zone->zone_start_pfn = start_pfn;
	zone->spanned_pages = nr;
	zone->watermark_min = min_free;
	zone->watermark_low = min_free + min_free / 4 + 1;
	zone->watermark_high = min_free + min_free / 2 + 2;
	for (unsigned long pfn = start_pfn; pfn < start_pfn + nr; pfn++) {
		struct page *page = pfn_to_page(pfn);

		page->flags = (unsigned long)pgdat->node_id << NODES_PGSHIFT;
		atomic_set(&page->_mapcount, -1);
		page->flags |= BIT(PG_buddy);
		list_add_tail(&page->lru, &zone->free_list);
		zone->nr_free++;
	}
}

static void init_node(int nid, unsigned long start_pfn, unsigned long nr)
{
	pg_data_t *pgdat = calloc(1, sizeof(*pgdat));

	if (!pgdat)
		abort();
	pgdat->node_id = nid;
	spin_lock_init(&pgdat->lru_lock);
	spin_lock_init(&pgdat->pinned_dma_lock);
	for (int lru = 0; lru < NR_LRU_LISTS; lru++)
		INIT_LIST_HEAD(&pgdat->lruvec.lists[lru]);
	init_waitqueue_head(&pgdat->kswapd_wait);
	node_data[nid] = pgdat;
	init_zone(pgdat, start_pfn, nr);
}

/*
 * The frames' host memory is kept for the next machine of the same size:
 * a run may be a few hundred microseconds, and mapping (then faulting in)
 * fresh memory would be most of it.  A new machine's frames hold stale
 * bytes, as a real machine's free pages do; nothing reads a frame before
 * writing it.
 */
static unsigned char *kept_frames;
static unsigned long kept_nr;

static unsigned char *frames_get(unsigned long nr_pages)
{
	unsigned char *frames;

	if (kept_frames && kept_nr == nr_pages) {
		frames = kept_frames;
		kept_frames = NULL;
		return frames;
	}
	frames = mmap(NULL, nr_pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return frames == MAP_FAILED ? NULL : frames;
}

static void frames_put(unsigned char *frames, unsigned long nr_pages)
{
	if (kept_frames)
		munmap(kept_frames, kept_nr * PAGE_SIZE);
	kept_frames = frames;
	kept_nr = nr_pages;
}

/* Boot: lay out @nr_pages frames over @nr_nodes nodes. */
int mem_init(unsigned long nr_pages, int nr_nodes)
{
	if (!nr_pages || nr_nodes < 1 || nr_nodes > MAX_NUMNODES ||
	    nr_pages < (unsigned long)nr_nodes * 4)
		return -EINVAL;
	page_frames = frames_get(nr_pages);
	if (!page_frames)
		return -ENOMEM;
	mem_map = aligned_alloc(64, nr_pages * sizeof(struct page));
	if (!mem_map) {
		munmap(page_frames, nr_pages * PAGE_SIZE);
		return -ENOMEM;
	}
	memset(mem_map, 0, nr_pages * sizeof(struct page));
	max_pfn = nr_pages;
	nr_online_nodes = nr_nodes;
	unsigned long per_node = nr_pages / (unsigned long)nr_nodes;

	for (int nid = 0; nid < nr_nodes; nid++) {
		unsigned long start = (unsigned long)nid * per_node;
		unsigned long nr = nid == nr_nodes - 1 ? nr_pages - start : per_node;

		init_node(nid, start, nr);
	}
	return 0;
}

void mem_exit(void)
{
	for (int nid = 0; nid < nr_online_nodes; nid++) {
		pg_data_t *pgdat = node_data[nid];

		spin_lock_destroy(&pgdat->node_zones[0].lock);
		spin_lock_destroy(&pgdat->lru_lock);
		spin_lock_destroy(&pgdat->pinned_dma_lock);
		destroy_waitqueue_head(&pgdat->kswapd_wait);
		free(pgdat);
		node_data[nid] = NULL;
	}
	if (page_frames)
		frames_put(page_frames, max_pfn);
	free(mem_map);
	page_frames = NULL;
	mem_map = NULL;
	max_pfn = 0;
	nr_online_nodes = 0;
}

unsigned long zone_free_pages(struct zone *zone)
{
	unsigned long nr;

	spin_lock(&zone->lock);
	nr = zone->nr_free;
	spin_unlock(&zone->lock);
	return nr;
}

void bad_page(struct page *page, const char *reason)
{
	pr_alert("BUG: Bad page state in process %s  pfn:%05lx\n",
		 current ? current->comm : "?", page_to_pfn(page));
	dump_page(page, reason);
	WARN(1, "bad page state: %s", reason);
}

static bool free_pages_check(struct page *page)
{
	const char *reason = NULL;

	if (page_mapcount(page))
		reason = "nonzero mapcount";
	if (page->mapping)
		reason = "non-NULL mapping";
	if (page_ref_count(page))
		reason = "nonzero _refcount";
	if (page->flags & PAGE_FLAGS_CHECK_AT_FREE)
		reason = "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
	if (PageDmaPinnedFlags(page))
		reason = "freed while DMA-pinned";
	if (!reason)
		return true;
	bad_page(page, reason);
	return false;
}

/* Return a page whose refcount dropped to zero to its zone. */
void free_unref_page(struct page *page)
{
	struct zone *zone = page_zone(page);

	if (!free_pages_check(page))
		return;	/* leaked, as the kernel leaks a bad page */
	__atomic_and_fetch(&page->flags, ~PAGE_FLAGS_MASK, __ATOMIC_RELAXED);
	page->private = 0;
	page->index = 0;
	count_vm_event(PGFREE);
	spin_lock(&zone->lock);
	SetPageBuddy(page);
	list_add(&page->lru, &zone->free_list);
	zone->nr_free++;
	spin_unlock(&zone->lock);
}

/* A free page went bad: keep the allocator from handing it out. */
bool take_page_off_buddy(struct page *page)
{
	struct zone *zone = page_zone(page);
	bool taken = false;

	spin_lock(&zone->lock);
	if (PageBuddy(page)) {
		ClearPageBuddy(page);
		list_del(&page->lru);
		zone->nr_free--;
		taken = true;
	}
	spin_unlock(&zone->lock);
	return taken;
}

static struct page *rmqueue(struct zone *zone)
{
	struct page *page = NULL;
	bool low;

	spin_lock(&zone->lock);
	if (!list_empty(&zone->free_list)) {
		page = list_first_entry(&zone->free_list, struct page, lru);
		ClearPageBuddy(page);
		list_del(&page->lru);
		zone->nr_free--;
	}
	low = zone->nr_free < zone->watermark_low;
	spin_unlock(&zone->lock);
	if (low)
		wakeup_kswapd(zone->zone_pgdat);
	return page;
}

static void prep_new_page(struct page *page)
{
	WRITE_ONCE(page->lru.next, NULL);
	page->lru.prev = NULL;
	page->mapping = NULL;
	page->index = 0;
	page->private = 0;
	set_page_count(page, 1);
	count_vm_event(PGALLOC);
}

static struct page *get_page_from_freelist(void)
{
	int first = current ? current->pid % nr_online_nodes : 0;

	for (int i = 0; i < nr_online_nodes; i++) {
		struct zone *zone =
			&NODE_DATA((first + i) % nr_online_nodes)->node_zones[0];
		struct page *page = rmqueue(zone);

		if (page)
			return page;
	}
	return NULL;
}

#define MAX_RECLAIM_RETRIES 64

/*
 * Allocate one page.  Reclaimers themselves (PF_MEMALLOC) do not recurse
 * into reclaim.  When reclaim makes no progress for a while, the
 * allocation fails with a warning, as with __GFP_NOWARN unset.
 */
struct page *alloc_page(gfp_t gfp)
{
	struct page *page;

	for (int tries = 0;; tries++) {
		page = get_page_from_freelist();
		if (page) {
			prep_new_page(page);
			return page;
		}
		if (current && (current->flags & PF_MEMALLOC))
			return NULL;
		if (tries >= MAX_RECLAIM_RETRIES)
			break;
		count_vm_event(ALLOCSTALL);
		if (!try_to_free_pages(gfp, 8))
			fsleep(100);	/* congestion_wait() */
	}
	WARN(1, "%s: page allocation failure: order:0", current ? current->comm : "?");
	return NULL;
}

static void __page_cache_release(struct page *page)
{
	if (PageLRU(page)) {
		pg_data_t *pgdat = page_pgdat(page);

		spin_lock(&pgdat->lru_lock);
		if (PageLRU(page)) {
			ClearPageLRU(page);
			del_page_from_lru_list(page, &pgdat->lruvec,
					       page_lru(page));
		}
		spin_unlock(&pgdat->lru_lock);
	}
	ClearPageActive(page);
	ClearPageUnevictable(page);
}

void __put_page(struct page *page)
{
	__page_cache_release(page);
	free_unref_page(page);
}

void put_page(struct page *page)
{
	VM_BUG_ON_PAGE(page_ref_count(page) <= 0, page);
	if (page_ref_sub_return(page, 1) == 0)
		__put_page(page);
}
