// SPDX-License-Identifier: GPL-2.0
/*
 * docs/semantics.md §3, path 9: truncate, hole punch, and
 * pagecache_isize_extended() with 1 KiB blocks (and, under the seed
 * policy, its wait for a pinned page).
 */
#include <signal.h>
#include <string.h>

#include "helpers.h"

static void truncate_down_unmaps_removes_pages_and_frees_blocks(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	sector_t free_before = ext4_free_blocks_count(&tm->sb);
	struct page *p3;

	assert_int_equal(user_store(tm->mm, addr + 3 * PAGE_SIZE, "3", 1), 0);
	assert_int_equal(user_store(tm->mm, addr, "0", 1), 0);
	p3 = tm_cached_page(tm->inode->i_mapping, 3);
	assert_int_equal(do_truncate(&tm->file, 2 * PAGE_SIZE), 0);

	assert_int_equal(i_size_read(tm->inode), 2 * PAGE_SIZE);
	assert_null(tm_cached_page(tm->inode->i_mapping, 3));
	assert_true(pte_none(tm_pte(tm->mm, addr + 3 * PAGE_SIZE)));
	assert_int_equal(page_count(p3), 0);	/* freed: nobody held it */
	assert_true(PageBuddy(p3));
	assert_int_equal(ext4_bmap(tm->inode, 2), 0);
	assert_int_equal(ext4_bmap(tm->inode, 3), 0);
	assert_int_equal(ext4_free_blocks_count(&tm->sb), free_before + 2);
	assert_int_equal(vm_event_read(PGTRUNCATE), 1);
	/* Page 0 is untouched. */
	assert_true(PageDirty(tm_cached_page(tm->inode->i_mapping, 0)));
	assert_true(pte_present(tm_pte(tm->mm, addr)));
	/* A fault beyond the new size is SIGBUS. */
	assert_int_equal(user_store(tm->mm, addr + 3 * PAGE_SIZE, "3", 1), -SIGBUS);
}

static void truncate_mid_page_zeroes_the_tail_of_the_page(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	u8 c;

	assert_int_equal(user_load(tm->mm, addr, &c, 1), 0);
	assert_int_equal(do_truncate(&tm->file, 100), 0);
	assert_int_equal(user_load(tm->mm, addr + 99, &c, 1), 0);
	assert_int_equal(c, tm_initial_byte(99));
	assert_int_equal(user_load(tm->mm, addr + 100, &c, 1), 0);
	assert_int_equal(c, 0);
	assert_int_equal(user_load(tm->mm, addr + PAGE_SIZE - 1, &c, 1), 0);
	assert_int_equal(c, 0);
	assert_int_not_equal(ext4_bmap(tm->inode, 0), 0);
	assert_int_equal(ext4_bmap(tm->inode, 1), 0);
}

/* A page a device holds is orphaned: out of the cache, no buffers. */
static void truncate_of_gup_page_leaves_an_orphan(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct page *page;

	assert_int_equal(get_user_pages(tm->mm, addr + 3 * PAGE_SIZE, 1, FOLL_WRITE, &page), 1);
	assert_int_equal(do_truncate(&tm->file, 3 * PAGE_SIZE), 0);
	assert_null(tm_cached_page(tm->inode->i_mapping, 3));
	assert_null(page->mapping);
	assert_false(PagePrivate(page));
	assert_false(PageDirty(page));
	assert_int_equal(page_mapcount(page), 0);
	assert_int_equal(page_count(page), 1);	/* the gup reference */
	put_user_page(page);
	assert_int_equal(page_count(page), 0);
}

static void punch_hole_drops_pages_and_blocks_of_the_range_only(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	u8 disk[PAGE_SIZE];
	u8 c;

	for (int i = 0; i < 4; i++)
		assert_int_equal(user_load(tm->mm, addr + i * PAGE_SIZE, &c, 1), 0);
	assert_int_equal(user_store(tm->mm, addr + PAGE_SIZE, "punched", 7), 0);
	assert_int_equal(vfs_fallocate(&tm->file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
					 PAGE_SIZE, 2 * PAGE_SIZE), 0);

	assert_int_equal(i_size_read(tm->inode), 4 * PAGE_SIZE);
	assert_non_null(tm_cached_page(tm->inode->i_mapping, 0));
	assert_null(tm_cached_page(tm->inode->i_mapping, 1));
	assert_null(tm_cached_page(tm->inode->i_mapping, 2));
	assert_non_null(tm_cached_page(tm->inode->i_mapping, 3));
	assert_true(pte_none(tm_pte(tm->mm, addr + PAGE_SIZE)));
	assert_true(pte_none(tm_pte(tm->mm, addr + 2 * PAGE_SIZE)));
	assert_true(pte_present(tm_pte(tm->mm, addr)));
	assert_true(pte_present(tm_pte(tm->mm, addr + 3 * PAGE_SIZE)));
	assert_int_equal(ext4_bmap(tm->inode, 1), 0);
	assert_int_equal(ext4_bmap(tm->inode, 2), 0);
	assert_int_not_equal(ext4_bmap(tm->inode, 3), 0);
	/* The hole reads as zeroes, the rest as before. */
	assert_int_equal(user_load(tm->mm, addr + PAGE_SIZE, &c, 1), 0);
	assert_int_equal(c, 0);
	assert_int_equal(tm_read_disk(tm, tm->inode, 3 * PAGE_SIZE, disk, PAGE_SIZE), 0);
	for (unsigned long i = 0; i < PAGE_SIZE; i++)
		assert_int_equal(disk[i], tm_initial_byte(3 * PAGE_SIZE + i));
}

/*
 * 1 KiB blocks, i_size 1536: extending the file makes the page at the old
 * EOF write-protected, so that the next store allocates the new blocks.
 */
static void isize_extended_write_protects_the_eof_page(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 1, true);
	struct buffer_head *bh;
	struct page *page;
	u8 disk[2];

	assert_int_equal(user_store(tm->mm, addr, "a", 1), 0);
	page = tm_cached_page(tm->inode->i_mapping, 0);
	assert_true(pte_write(tm_pte(tm->mm, addr)));
	assert_int_equal(ext4_bmap(tm->inode, 2), 0);

	assert_int_equal(do_truncate(&tm->file, PAGE_SIZE), 0);
	assert_false(pte_write(tm_pte(tm->mm, addr)));
	assert_false(pte_dirty(tm_pte(tm->mm, addr)));
	assert_true(PageDirty(page));		/* cleaned PTE re-dirtied it */
	assert_int_equal(vm_event_read(MKCLEAN_PTES_CLEANED), 1);
	assert_int_equal(vm_event_read(PAGE_MKWRITE), 1);

	/* The store into the new part faults and gets its block. */
	assert_int_equal(user_store(tm->mm, addr + 3000, "bc", 2), 0);
	assert_int_equal(vm_event_read(PAGE_MKWRITE), 2);
	assert_int_not_equal(ext4_bmap(tm->inode, 2), 0);
	assert_int_not_equal(ext4_bmap(tm->inode, 3), 0);
	bh = tm_first_buffer(page);
	for (int i = 0; i < 4; i++, bh = bh->b_this_page)
		assert_true(buffer_mapped(bh));
	assert_int_equal(vfs_fsync(&tm->file, 0), 0);
	assert_int_equal(tm_read_disk(tm, tm->inode, 3000, disk, 2), 0);
	assert_memory_equal(disk, "bc", 2);
}

static void extend_file(void *arg)
{
	struct test_machine *tm = arg;

	do_truncate(&tm->file, PAGE_SIZE);
}

/* Seed: the extension waits for the pin on the EOF page. */
static void seed_isize_extended_waits_for_unpin(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 1, true);
	struct task_call tc;
	struct page *page;
	bool waited;

	assert_int_equal(get_user_pages(tm->mm, addr, 1, FOLL_WRITE, &page), 1);
	task_call_start(&tc, extend_file, tm, "truncate");
	waited = wait_for_vm_event(MKCLEAN_PINNED_WAITS, 1);
	put_user_page(page);
	assert_true(task_call_join(&tc));
	assert_true(waited);
	assert_int_equal(tc.pin_waits, 1);
	assert_int_equal(vm_event_read(ISIZE_EXTEND_WAITED_UNPIN), 1);
	assert_int_equal(i_size_read(tm->inode), PAGE_SIZE);
	assert_false(pte_write(tm_pte(tm->mm, addr)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TM_TEST(truncate_down_unmaps_removes_pages_and_frees_blocks, tm_vanilla),
		TM_TEST(truncate_mid_page_zeroes_the_tail_of_the_page, tm_vanilla),
		TM_TEST(truncate_of_gup_page_leaves_an_orphan, tm_vanilla),
		TM_TEST(punch_hole_drops_pages_and_blocks_of_the_range_only, tm_vanilla),
		TM_TEST(isize_extended_write_protects_the_eof_page, tm_vanilla_1k),
		TM_TEST(seed_isize_extended_waits_for_unpin, tm_seed_1k),
	};

	return cmocka_run_group_tests_name("truncate", tests, NULL, NULL);
}
