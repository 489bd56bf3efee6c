// SPDX-License-Identifier: GPL-2.0
/*
 * docs/semantics.md §3, paths 10 and 11: memory failure of a page cache
 * page, and the framebuffer's deferred I/O; and, under the seed policy,
 * their waits for a pinned page.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/fb.h>
#include <linux/panic.h>
#include <linux/printk.h>

#include "helpers.h"

static void memory_failure_of_clean_mapped_page_drops_it(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct page *page;
	u8 c;

	assert_int_equal(user_load(tm->mm, addr, &c, 1), 0);
	page = tm_cached_page(tm->inode->i_mapping, 0);
	assert_int_equal(memory_failure(page_to_pfn(page), 0), 0);
	assert_true(PageHWPoison(page));
	assert_null(tm_cached_page(tm->inode->i_mapping, 0));
	assert_null(page->mapping);
	assert_true(pte_none(tm_pte(tm->mm, addr)));
	assert_int_equal(page_mapcount(page), 0);
	assert_false(PageLRU(page));
	assert_int_equal(page_count(page), 1);	/* kept from the allocator */
	assert_false(PageBuddy(page));
	assert_int_equal(vm_event_read(MEMORY_FAILURE), 1);
	assert_non_null(strstr(dmesg(), "corrupted page was clean"));
	/* Poisoning it again does nothing. */
	assert_int_equal(memory_failure(page_to_pfn(page), 0), 0);
	assert_int_equal(vm_event_read(MEMORY_FAILURE), 1);
}

/* A dirty page's data is lost: fsync reports -EIO. */
static void memory_failure_of_dirty_page_makes_fsync_fail_with_eio(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct page *page;

	assert_int_equal(user_store(tm->mm, addr, "lost", 4), 0);
	page = tm_cached_page(tm->inode->i_mapping, 0);
	assert_int_equal(memory_failure(page_to_pfn(page), 0), 0);
	assert_null(tm_cached_page(tm->inode->i_mapping, 0));
	assert_false(PagePrivate(page));
	assert_true(pte_none(tm_pte(tm->mm, addr)));
	assert_non_null(strstr(dmesg(), "recovery action for dirty LRU page"));
	assert_int_equal(vfs_fsync(&tm->file, 0), -EIO);
	assert_int_equal(vfs_fsync(&tm->file, 0), 0);	/* reported once */
}

static void memory_failure_of_free_page_takes_it_off_the_free_list(void **state)
{
	struct zone *zone = &NODE_DATA(0)->node_zones[0];
	unsigned long free_before = zone_free_pages(zone);
	struct page *page = alloc_page(GFP_KERNEL);

	(void)state;
	put_page(page);
	assert_true(PageBuddy(page));
	assert_int_equal(memory_failure(page_to_pfn(page), 0), 0);
	assert_false(PageBuddy(page));
	assert_true(PageHWPoison(page));
	assert_int_equal(zone_free_pages(zone), free_before - 1);
	assert_int_equal(memory_failure(max_pfn, 0), -ENXIO);
}

static void poison_page(void *arg)
{
	struct page *page = arg;

	memory_failure(page_to_pfn(page), 0);
}

/* Seed: a pinned page, cleaned by writeback, is waited for. */
static void seed_memory_failure_waits_for_unpin(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct task_call tc;
	struct page *page;
	bool waited;

	assert_int_equal(get_user_pages(tm->mm, addr, 1, FOLL_WRITE, &page), 1);
	tm_writeback(tm, WB_SYNC_NONE);	/* clean, but its PTE stays dirty */
	assert_false(PageDirty(page));
	assert_true(pte_dirty(tm_pte(tm->mm, addr)));

	task_call_start(&tc, poison_page, page, "mce");
	waited = wait_for_vm_event(MKCLEAN_PINNED_WAITS, 1);
	put_user_page(page);
	assert_true(task_call_join(&tc));
	assert_true(waited);
	assert_int_equal(tc.pin_waits, 1);
	assert_int_equal(vm_event_read(MEMORY_FAILURE_WAITED_UNPIN), 1);
	/* The PTE was dirty: the page counts as dirty data lost. */
	assert_non_null(strstr(dmesg(), "recovery action for dirty LRU page"));
	assert_true(pte_none(tm_pte(tm->mm, addr)));
	assert_null(tm_cached_page(tm->inode->i_mapping, 0));
	assert_true(PageHWPoison(page));
}

struct fb_test {
	struct fb_info info;
	unsigned long addr;
};

static struct fb_test *fb_setup(struct test_machine *tm)
{
	struct fb_test *ft = calloc(1, sizeof(*ft));

	assert_non_null(ft);
	assert_int_equal(fb_alloc(&ft->info, 2, 0), 0);
	ft->addr = do_mmap(tm->mm, &ft->info.file, 2 * PAGE_SIZE,
			   VM_SHARED | VM_WRITE, 0);
	assert_false(IS_ERR_VALUE_ADDR(ft->addr));
	return ft;
}

static void fb_teardown(struct test_machine *tm, struct fb_test *ft)
{
	/* The fb's VMA goes before its pages and mapping do. */
	assert_int_equal(do_munmap(tm->mm, ft->addr, 2 * PAGE_SIZE), 0);
	fb_release(&ft->info, false);
	free(ft);
}

static void fb_defio_store_queues_page_and_worker_cleans_it(void **state)
{
	struct test_machine *tm = *state;
	struct fb_test *ft = fb_setup(tm);
	struct page *page = ft->info.pages[1];

	assert_int_equal(user_store(tm->mm, ft->addr + PAGE_SIZE + 8, "pixel", 5), 0);
	assert_int_equal(vm_event_read(PAGE_MKWRITE), 1);
	assert_int_equal(ft->info.fbdefio.nr_pagerefs, 1);
	assert_ptr_equal(ft->info.fbdefio.pagerefs[0], page);
	assert_true(pte_write(tm_pte(tm->mm, ft->addr + PAGE_SIZE)));
	assert_true(PageDirty(page));
	assert_false(PageLRU(page));
	assert_int_equal(page_count(page), 2);	/* the fb's + the PTE's */

	fb_deferred_io_flush(&ft->info);
	assert_false(pte_write(tm_pte(tm->mm, ft->addr + PAGE_SIZE)));
	assert_false(pte_dirty(tm_pte(tm->mm, ft->addr + PAGE_SIZE)));
	assert_false(PageLocked(page));
	assert_int_equal(ft->info.fbdefio.nr_pagerefs, 0);
	assert_memory_equal(ft->info.screen + PAGE_SIZE + 8, "pixel", 5);
	assert_int_equal(vm_event_read(DEFIO_PAGES_CLEANED), 1);
	assert_int_equal(vm_event_read(MKCLEAN_PTES_CLEANED), 1);

	/* The next store is seen again. */
	assert_int_equal(user_store(tm->mm, ft->addr + PAGE_SIZE, "!", 1), 0);
	assert_int_equal(vm_event_read(PAGE_MKWRITE), 2);
	assert_int_equal(ft->info.fbdefio.nr_pagerefs, 1);
	fb_teardown(tm, ft);
}

static void defio_flush(void *arg)
{
	fb_deferred_io_flush(arg);
}

/* Seed: the worker waits for a pin on a framebuffer page. */
static void seed_fb_defio_waits_for_unpin(void **state)
{
	struct test_machine *tm = *state;
	struct fb_test *ft = fb_setup(tm);
	struct page *page = ft->info.pages[0];
	struct task_call tc;
	struct page *pinned;
	bool waited;

	assert_int_equal(user_store(tm->mm, ft->addr, "p", 1), 0);
	assert_int_equal(get_user_pages(tm->mm, ft->addr, 1, FOLL_WRITE, &pinned), 1);
	assert_ptr_equal(pinned, page);
	/* Never on an LRU, yet pinned. */
	assert_true(PageDmaPinned(page));
	assert_int_equal(vm_event_read(DMA_PIN_ISOLATE_FAILED), 0);

	task_call_start(&tc, defio_flush, &ft->info, "kworker/fb_defio");
	waited = wait_for_vm_event(MKCLEAN_PINNED_WAITS, 1);
	put_user_page(page);
	assert_true(task_call_join(&tc));
	assert_true(waited);
	assert_int_equal(tc.pin_waits, 1);
	assert_int_equal(vm_event_read(DEFIO_WAITED_UNPIN), 1);
	assert_false(PageDmaPinned(page));
	assert_false(PageLRU(page));		/* unpin leaves fb pages off */
	assert_false(pte_write(tm_pte(tm->mm, ft->addr)));
	assert_int_equal(ft->info.screen[0], 'p');
	fb_teardown(tm, ft);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TM_TEST(memory_failure_of_clean_mapped_page_drops_it, tm_vanilla),
		TM_TEST(memory_failure_of_dirty_page_makes_fsync_fail_with_eio, tm_vanilla),
		TM_TEST(memory_failure_of_free_page_takes_it_off_the_free_list, tm_vanilla),
		TM_TEST(seed_memory_failure_waits_for_unpin, tm_seed),
		TM_TEST(fb_defio_store_queues_page_and_worker_cleans_it, tm_vanilla),
		TM_TEST(seed_fb_defio_waits_for_unpin, tm_seed),
	};

	return cmocka_run_group_tests_name("memory-failure, fb_defio", tests,
					   NULL, NULL);
}
