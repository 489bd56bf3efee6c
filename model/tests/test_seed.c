// SPDX-License-Identifier: GPL-2.0
/*
 * docs/semantics.md §4: the seed's design.  Pin tracking in the
 * page->lru words, LRU refusal, unpin, page_mkclean()'s skip and wait,
 * clear_page_dirty_for_io()'s choice between them, try_to_unmap()'s
 * refusal.  (fb_defio, memory failure and pagecache_isize_extended, which
 * wait too, are tested with their paths.)
 *
 * A test that waits runs the waiter in a spawned task, waits for the
 * waiter's event counter to show that it is waiting, then unpins from the
 * test's own task.
 */
#include "helpers.h"

/* A mapped page pinned once by gup(FOLL_WRITE); the address in *addrp. */
static struct page *pinned_page(struct test_machine *tm, unsigned long *addrp)
{
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct page *page;

	assert_int_equal(get_user_pages(tm->mm, addr, 1, FOLL_WRITE, &page), 1);
	*addrp = addr;
	return page;
}

static void pin_takes_page_off_lru_with_count_1_in_lru_words(void **state)
{
	struct test_machine *tm = *state;
	pg_data_t *pgdat = NODE_DATA(0);
	unsigned long addr;
	struct page *page = pinned_page(tm, &addr);

	assert_true(PageDmaPinned(page));
	assert_true(page_maybe_dma_pinned(page));
	/* The flag and the count overlay page->lru; bit 0 is left alone. */
	assert_int_equal(page->dma_pinned_flags, PAGE_DMA_PINNED);
	assert_int_equal(page->dma_pinned_flags & 1, 0);
	assert_ptr_equal((void *)&page->dma_pinned_flags, (void *)&page->lru.next);
	assert_int_equal(atomic_read(&page->dma_pinned_count), 1);
	assert_false(PageLRU(page));
	assert_false(PageActive(page));
	assert_false(page_on_lru_list(page, LRU_INACTIVE_FILE));
	assert_false(page_on_lru_list(page, LRU_ACTIVE_FILE));
	assert_int_equal(pgdat->lruvec.nr_pages[LRU_INACTIVE_FILE], 0);
	/* gup's reference is the only one added: isolation's was dropped. */
	assert_int_equal(page_count(page), 4);
	assert_int_equal(page_mapcount(page), 1);
	assert_int_equal(vm_event_read(NR_FOLL_PIN_ACQUIRED), 1);
	put_user_page(page);
}

static void second_pin_raises_count_to_2(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr, a2 = tm_mmap(tm, tm->mm2, 0, 4, true);
	struct page *page = pinned_page(tm, &addr), *p2;

	assert_int_equal(get_user_pages(tm->mm2, a2, 1, FOLL_WRITE, &p2), 1);
	assert_ptr_equal(p2, page);
	assert_int_equal(atomic_read(&page->dma_pinned_count), 2);
	assert_int_equal(page->dma_pinned_flags, PAGE_DMA_PINNED);
	assert_int_equal(page_count(page), 6);	/* + a PTE and a gup */
	assert_false(PageLRU(page));
	put_user_page(page);
	put_user_page(page);
}

static void lru_add_refuses_pinned_page(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr;
	struct page *page = pinned_page(tm, &addr);

	lru_cache_add(page);
	assert_false(PageLRU(page));
	assert_false(page_on_lru_list(page, LRU_INACTIVE_FILE));
	assert_int_equal(vm_event_read(LRU_ADD_PINNED_REFUSED), 1);
	/* The words were not taken for list pointers. */
	assert_int_equal(page->dma_pinned_flags, PAGE_DMA_PINNED);
	assert_int_equal(atomic_read(&page->dma_pinned_count), 1);
	put_user_page(page);
}

static void unpin_to_zero_clears_flag_and_puts_back_on_lru(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr, a2 = tm_mmap(tm, tm->mm2, 0, 4, true);
	struct page *page = pinned_page(tm, &addr), *p2;

	assert_int_equal(get_user_pages(tm->mm2, a2, 1, FOLL_WRITE, &p2), 1);
	put_user_page(page);
	assert_true(PageDmaPinned(page));
	assert_int_equal(atomic_read(&page->dma_pinned_count), 1);
	assert_false(PageLRU(page));
	assert_int_equal(page_count(page), 5);

	put_user_page(page);
	assert_false(PageDmaPinned(page));
	assert_false(page_maybe_dma_pinned(page));
	assert_true(PageLRU(page));
	assert_true(page_on_lru_list(page, LRU_INACTIVE_FILE));
	assert_int_equal(page_count(page), 4);	/* cache, 2 PTEs, buffers */
	assert_int_equal(vm_event_read(NR_FOLL_PIN_RELEASED), 2);
	assert_int_equal(vm_event_read(DMA_UNPIN_TO_LRU), 1);
}

static void reclaim_never_finds_pinned_page(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr;
	struct page *page = pinned_page(tm, &addr);

	tm_writeback(tm, WB_SYNC_NONE);
	assert_int_equal(tm_shrink(3), 0);
	assert_true(PagePrivate(page));
	assert_true(pte_present(tm_pte(tm->mm, addr)));
	assert_int_equal(vm_event_read(PGSCAN_DIRECT), 0);
	assert_int_equal(vm_event_read(BUFFERS_DROPPED), 0);
	put_user_page(page);
}

static void page_mkclean_skips_pinned_page_when_asked(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr;
	struct page *page = pinned_page(tm, &addr);
	pte_t pte;

	lock_page(page);
	assert_int_equal(page_mkclean(page, true), 0);
	unlock_page(page);
	assert_int_equal(vm_event_read(MKCLEAN_PINNED_SKIPPED), 1);
	assert_int_equal(vm_event_read(MKCLEAN_PTES_CLEANED), 0);
	assert_int_equal(vm_event_read(MKCLEAN_PINNED_WAITS), 0);
	pte = tm_pte(tm->mm, addr);
	assert_true(pte_dirty(pte));
	assert_true(pte_write(pte));
	put_user_page(page);
}

/* The same call under vanilla cleans the pinned page. */
static void vanilla_page_mkclean_cleans_pinned_page(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr;
	struct page *page = pinned_page(tm, &addr);

	lock_page(page);
	assert_int_equal(page_mkclean(page, true), 1);
	unlock_page(page);
	assert_false(pte_write(tm_pte(tm->mm, addr)));
	assert_int_equal(vm_event_read(MKCLEAN_PINNED_SKIPPED), 0);
	put_user_page(page);
}

struct mkclean_call {
	struct page *page;
	int sync_mode;
	int ret;
};

static void mkclean_waiter(void *arg)
{
	struct mkclean_call *c = arg;

	lock_page(c->page);
	c->ret = page_mkclean(c->page, false);
	unlock_page(c->page);
}

static void page_mkclean_waits_for_unpin_when_not_skipping(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr;
	struct page *page = pinned_page(tm, &addr);
	struct mkclean_call c = { .page = page, .ret = -1 };
	struct task_call tc;
	bool waited;

	task_call_start(&tc, mkclean_waiter, &c, "defio-like");
	waited = wait_for_vm_event(MKCLEAN_PINNED_WAITS, 1);
	put_user_page(page);		/* the device is done */
	assert_true(task_call_join(&tc));
	assert_true(waited);
	assert_int_equal(tc.pin_waits, 1);
	assert_int_equal(c.ret, 1);
	assert_false(pte_write(tm_pte(tm->mm, addr)));
	assert_false(pte_dirty(tm_pte(tm->mm, addr)));
	assert_int_equal(vm_event_read(MKCLEAN_PINNED_WAITS), 1);
	assert_true(vm_event_read(MKCLEAN_PINNED_WAIT_LOOPS) >= 1);
	assert_int_equal(vm_event_read(MKCLEAN_PINNED_SKIPPED), 0);
}

/* WB_SYNC_NONE: the pinned page is written, but its PTE is not cleaned. */
static void clear_page_dirty_for_io_sync_none_skips_pinned(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr;
	struct page *page = pinned_page(tm, &addr);

	lock_page(page);
	assert_int_equal(clear_page_dirty_for_io(page, WB_SYNC_NONE), 1);
	unlock_page(page);
	assert_false(PageDirty(page));
	assert_true(pte_write(tm_pte(tm->mm, addr)));
	assert_true(pte_dirty(tm_pte(tm->mm, addr)));
	assert_int_equal(vm_event_read(MKCLEAN_PINNED_SKIPPED), 1);
	assert_int_equal(vm_event_read(MKCLEAN_PINNED_WAITS), 0);
	put_user_page(page);
}

static void cpdfio_sync_all(void *arg)
{
	struct mkclean_call *c = arg;

	lock_page(c->page);
	c->ret = clear_page_dirty_for_io(c->page, c->sync_mode);
	unlock_page(c->page);
}

/* WB_SYNC_ALL: waits for the unpin, then cleans the PTE. */
static void clear_page_dirty_for_io_sync_all_waits_for_unpin(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr;
	struct page *page = pinned_page(tm, &addr);
	struct mkclean_call c = { .page = page, .sync_mode = WB_SYNC_ALL, .ret = -1 };
	struct task_call tc;
	bool waited;

	task_call_start(&tc, cpdfio_sync_all, &c, "fsync-like");
	waited = wait_for_vm_event(MKCLEAN_PINNED_WAITS, 1);
	put_user_page(page);
	assert_true(task_call_join(&tc));
	assert_true(waited);
	assert_int_equal(c.ret, 1);
	assert_int_equal(tc.pin_waits, 1);
	assert_false(PageDirty(page));		/* cleared for the I/O */
	assert_false(pte_write(tm_pte(tm->mm, addr)));
	assert_false(pte_dirty(tm_pte(tm->mm, addr)));
	assert_int_equal(vm_event_read(MKCLEAN_PINNED_SKIPPED), 0);
}

static void fsync_caller(void *arg)
{
	struct test_machine *tm = arg;

	vfs_fsync(&tm->file, 0);
}

/* fsync waits for the unpin and counts it. */
static void fsync_of_pinned_page_waits_for_unpin(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr;
	struct dma_dev dev;
	struct task_call tc;
	bool waited;
	u8 disk[8];

	addr = tm_mmap(tm, tm->mm, 0, 4, true);
	dma_dev_init(&dev, "dev0");
	assert_int_equal(dma_dev_pin(&dev, tm->mm, addr, 1, false, true), 0);
	assert_int_equal(dma_dev_write(&dev, 0, 8, 5), 0);
	task_call_start(&tc, fsync_caller, tm, "fsync");
	waited = wait_for_vm_event(MKCLEAN_PINNED_WAITS, 1);
	/* The page is dirty already: the release does not lock it. */
	assert_int_equal(dma_dev_release(&dev, true), 0);
	assert_true(task_call_join(&tc));
	assert_true(waited);
	assert_int_equal(vm_event_read(FSYNC_WAITED_UNPIN), 1);
	assert_int_equal(vm_event_read(WB_SYNC_ALL_WAITED_UNPIN), 1);
	assert_int_equal(tm_read_disk(tm, tm->inode, 0, disk, 8), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(disk[i], dma_pattern_byte(5, i));
}

static void try_to_unmap_refuses_pinned_page(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr;
	struct page *page = pinned_page(tm, &addr);

	lock_page(page);
	assert_false(try_to_unmap(page, TTU_IGNORE_ACCESS));
	unlock_page(page);
	assert_true(pte_present(tm_pte(tm->mm, addr)));
	assert_int_equal(pte_pfn(tm_pte(tm->mm, addr)), page_to_pfn(page));
	assert_int_equal(page_mapcount(page), 1);
	assert_int_equal(page_count(page), 4);
	assert_int_equal(vm_event_read(TTU_PINNED_REFUSED), 1);

	/* Unpinned, it unmaps. */
	put_user_page(page);
	lock_page(page);
	assert_true(try_to_unmap(page, TTU_IGNORE_ACCESS));
	unlock_page(page);
	assert_true(pte_none(tm_pte(tm->mm, addr)));
	assert_int_equal(page_mapcount(page), 0);
	assert_true(PageDirty(page));		/* the PTE's dirt moved over */
}

static void vanilla_try_to_unmap_unmaps_gup_page(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr;
	struct page *page = pinned_page(tm, &addr);

	lock_page(page);
	assert_true(try_to_unmap(page, TTU_IGNORE_ACCESS));
	unlock_page(page);
	assert_true(pte_none(tm_pte(tm->mm, addr)));
	assert_int_equal(page_count(page), 3);	/* cache, buffers, gup */
	assert_int_equal(vm_event_read(TTU_PINNED_REFUSED), 0);
	put_user_page(page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TM_TEST(pin_takes_page_off_lru_with_count_1_in_lru_words, tm_seed),
		TM_TEST(second_pin_raises_count_to_2, tm_seed),
		TM_TEST(lru_add_refuses_pinned_page, tm_seed),
		TM_TEST(unpin_to_zero_clears_flag_and_puts_back_on_lru, tm_seed),
		TM_TEST(reclaim_never_finds_pinned_page, tm_seed),
		TM_TEST(page_mkclean_skips_pinned_page_when_asked, tm_seed),
		TM_TEST(vanilla_page_mkclean_cleans_pinned_page, tm_vanilla),
		TM_TEST(page_mkclean_waits_for_unpin_when_not_skipping, tm_seed),
		TM_TEST(clear_page_dirty_for_io_sync_none_skips_pinned, tm_seed),
		TM_TEST(clear_page_dirty_for_io_sync_all_waits_for_unpin, tm_seed),
		TM_TEST(fsync_of_pinned_page_waits_for_unpin, tm_seed),
		TM_TEST(try_to_unmap_refuses_pinned_page, tm_seed),
		TM_TEST(vanilla_try_to_unmap_unmaps_gup_page, tm_vanilla),
	};

	return cmocka_run_group_tests_name("seed", tests, NULL, NULL);
}
