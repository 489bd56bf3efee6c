// SPDX-License-Identifier: GPL-2.0
/*
 * docs/semantics.md §3, path 7: reclaim of inactive file pages.
 *
 * A page whose PTE was referenced survives the first pass (its accessed
 * bit is cleared and PG_referenced set); the second pass reclaims it.
 */
#include "helpers.h"

/* A clean page mapped read-only is unmapped, removed and freed. */
static void reclaim_unmaps_and_frees_clean_mapped_page(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct zone *zone = &NODE_DATA(0)->node_zones[0];
	unsigned long free_before;
	unsigned char c;
	struct page *page;

	assert_int_equal(user_load(tm->mm, addr, &c, 1), 0);
	page = tm_cached_page(tm->inode->i_mapping, 0);
	free_before = zone_free_pages(zone);

	/* Pass 1: the PTE was young: kept, its accessed bit cleared. */
	assert_int_equal(tm_shrink(1), 0);
	assert_ptr_equal(tm_cached_page(tm->inode->i_mapping, 0), page);
	assert_false(pte_young(tm_pte(tm->mm, addr)));
	assert_true(PageReferenced(page));
	assert_true(page_on_lru_list(page, LRU_INACTIVE_FILE));
	assert_int_equal(page_count(page), 2);

	/* Pass 2: reclaimed. */
	assert_int_equal(tm_shrink(1), 1);
	assert_null(tm_cached_page(tm->inode->i_mapping, 0));
	assert_true(pte_none(tm_pte(tm->mm, addr)));
	assert_int_equal(page_count(page), 0);
	assert_int_equal(page_mapcount(page), 0);
	assert_null(page->mapping);
	assert_true(PageBuddy(page));
	assert_false(PageLRU(page));
	assert_int_equal(zone_free_pages(zone), free_before + 1);
	assert_int_equal(tm->inode->i_mapping->nrpages, 0);
	assert_int_equal(vm_event_read(PGSTEAL_DIRECT), 1);
	assert_int_equal(vm_event_read(PGSCAN_DIRECT), 2);
}

/* An evicted page is read back from the block device on the next access. */
static void evicted_page_is_read_back_by_a_major_fault(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	unsigned char c;

	assert_int_equal(user_store(tm->mm, addr + 7, "Q", 1), 0);
	assert_int_equal(vfs_fsync(&tm->file, 0), 0);
	assert_int_equal(tm_shrink(2), 1);
	assert_null(tm_cached_page(tm->inode->i_mapping, 0));
	assert_int_equal(vm_event_read(BUFFERS_DROPPED), 1);
	assert_int_equal(user_load(tm->mm, addr + 7, &c, 1), 0);
	assert_int_equal(c, 'Q');
	assert_int_equal(vm_event_read(PGMAJFAULT), 2);
	assert_int_equal(vm_event_read(PGPGIN), 2);
}

/* A dirty page is not reclaimed: it is activated and marked for reclaim. */
static void reclaim_keeps_dirty_page_and_activates_it(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct page *page;

	assert_int_equal(user_store(tm->mm, addr, "d", 1), 0);
	page = tm_cached_page(tm->inode->i_mapping, 0);
	assert_int_equal(tm_shrink(2), 0);
	assert_ptr_equal(tm_cached_page(tm->inode->i_mapping, 0), page);
	assert_true(PageDirty(page));
	assert_true(PagePrivate(page));
	assert_true(PageReclaim(page));
	assert_true(PageActive(page));
	assert_true(page_on_lru_list(page, LRU_ACTIVE_FILE));
	/* try_to_unmap ran: the dirty PTE went, its dirtiness is the page's. */
	assert_true(pte_none(tm_pte(tm->mm, addr)));
	assert_int_equal(page_mapcount(page), 0);
	assert_int_equal(page_count(page), 2);	/* cache + buffers */
	assert_int_equal(vm_event_read(NR_VMSCAN_IMMEDIATE), 1);
	assert_int_equal(vm_event_read(PGSTEAL_DIRECT), 0);
}

/*
 * The bug's setup: an extra (gup) reference makes the refcount freeze
 * fail after the buffers were dropped; the page goes back to the LRU, in
 * the page cache, unmapped and without buffers.
 */
static void failed_freeze_leaves_page_cached_without_buffers_on_lru(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct page *page;

	assert_int_equal(get_user_pages(tm->mm, addr, 1, FOLL_WRITE, &page), 1);
	tm_writeback(tm, WB_SYNC_NONE);
	assert_false(PageDirty(page));
	assert_false(buffer_dirty(tm_first_buffer(page)));
	assert_int_equal(page_count(page), 4);	/* cache, PTE, buffers, gup */

	assert_int_equal(tm_shrink(2), 0);
	assert_ptr_equal(tm_cached_page(tm->inode->i_mapping, 0), page);
	assert_ptr_equal(page->mapping, tm->inode->i_mapping);
	assert_false(PagePrivate(page));
	assert_int_equal(page_private(page), 0);
	assert_true(pte_none(tm_pte(tm->mm, addr)));
	assert_int_equal(page_mapcount(page), 0);
	assert_int_equal(page_count(page), 2);	/* cache + gup */
	assert_true(PageLRU(page));
	assert_true(page_on_lru_list(page, LRU_INACTIVE_FILE));
	assert_false(PageLocked(page));
	assert_false(PageDirty(page));
	assert_int_equal(vm_event_read(BUFFERS_DROPPED), 1);
	assert_int_equal(vm_event_read(RECLAIM_REMOVE_FAIL), 1);
	assert_int_equal(vm_event_read(PGSTEAL_DIRECT), 0);
	put_user_page(page);
	assert_int_equal(page_count(page), 1);
}

/* Pages of an active list are aged to the inactive list and reclaimed. */
static void reclaim_ages_active_pages_to_inactive(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	unsigned char c;
	struct page *page;

	assert_int_equal(user_load(tm->mm, addr, &c, 1), 0);
	page = tm_cached_page(tm->inode->i_mapping, 0);
	activate_page(page);
	assert_true(page_on_lru_list(page, LRU_ACTIVE_FILE));
	assert_int_equal(vm_event_read(PGACTIVATE), 1);
	/* Aging cleared the accessed bit: reclaimed in the same pass. */
	assert_int_equal(tm_shrink(1), 1);
	assert_int_equal(vm_event_read(PGDEACTIVATE), 1);
	assert_int_equal(vm_event_read(PGREFILL), 1);
	assert_null(tm_cached_page(tm->inode->i_mapping, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TM_TEST(reclaim_unmaps_and_frees_clean_mapped_page, tm_vanilla),
		TM_TEST(evicted_page_is_read_back_by_a_major_fault, tm_vanilla),
		TM_TEST(reclaim_keeps_dirty_page_and_activates_it, tm_vanilla),
		TM_TEST(failed_freeze_leaves_page_cached_without_buffers_on_lru, tm_vanilla),
		TM_TEST(reclaim_ages_active_pages_to_inactive, tm_vanilla),
	};

	return cmocka_run_group_tests_name("reclaim", tests, NULL, NULL);
}
