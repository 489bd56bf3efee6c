// SPDX-License-Identifier: GPL-2.0
/*
 * docs/semantics.md §3, path 8: writeback.  clear_page_dirty_for_io()
 * and page_mkclean(), write_cache_pages() through ext4's ->writepage, and
 * the bytes it leaves on the block device.
 */
#include <string.h>

#include "helpers.h"

static struct page *stored_page(struct test_machine *tm, unsigned long *addrp,
				const char *s)
{
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);

	assert_int_equal(user_store(tm->mm, addr, s, strlen(s)), 0);
	*addrp = addr;
	return tm_cached_page(tm->inode->i_mapping, 0);
}

/* page_mkclean() write-protects and cleans a dirty PTE, and says so. */
static void page_mkclean_cleans_and_write_protects_dirty_pte(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr;
	struct page *page = stored_page(tm, &addr, "x");
	pte_t pte;

	lock_page(page);
	assert_int_equal(page_mkclean(page, true), 1);
	pte = tm_pte(tm->mm, addr);
	assert_true(pte_present(pte));
	assert_false(pte_write(pte));
	assert_false(pte_dirty(pte));
	assert_true(pte_young(pte));	/* not page_mkclean's business */
	assert_int_equal(vm_event_read(MKCLEAN_PTES_CLEANED), 1);
	/* Nothing left to clean. */
	assert_int_equal(page_mkclean(page, true), 0);
	assert_int_equal(vm_event_read(MKCLEAN_PTES_CLEANED), 1);
	unlock_page(page);
	assert_true(PageDirty(page));	/* page_mkclean leaves PG_dirty */
}

/* page_mkclean() cleans the PTE of every mapping. */
static void page_mkclean_cleans_every_mapping(void **state)
{
	struct test_machine *tm = *state;
	unsigned long a1 = tm_mmap(tm, tm->mm, 0, 4, true);
	unsigned long a2 = tm_mmap(tm, tm->mm2, 0, 4, true);
	struct page *page;

	assert_int_equal(user_store(tm->mm, a1, "1", 1), 0);
	assert_int_equal(user_store(tm->mm2, a2, "2", 1), 0);
	page = tm_cached_page(tm->inode->i_mapping, 0);
	assert_int_equal(page_mapcount(page), 2);
	lock_page(page);
	assert_int_equal(page_mkclean(page, true), 1);
	unlock_page(page);
	assert_false(pte_write(tm_pte(tm->mm, a1)));
	assert_false(pte_write(tm_pte(tm->mm2, a2)));
	assert_int_equal(vm_event_read(MKCLEAN_PTES_CLEANED), 2);
}

/* clear_page_dirty_for_io(): PTEs cleaned, PG_dirty and the tag cleared. */
static void clear_page_dirty_for_io_moves_pte_dirt_to_the_io(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr;
	struct page *page = stored_page(tm, &addr, "x");

	lock_page(page);
	assert_int_equal(clear_page_dirty_for_io(page, WB_SYNC_NONE), 1);
	assert_false(PageDirty(page));
	assert_false(page_cache_tag_get(tm->inode->i_mapping, 0,
					PAGECACHE_TAG_DIRTY));
	assert_false(pte_write(tm_pte(tm->mm, addr)));
	assert_false(pte_dirty(tm_pte(tm->mm, addr)));
	/* A second call finds nothing to write. */
	assert_int_equal(clear_page_dirty_for_io(page, WB_SYNC_NONE), 0);
	unlock_page(page);
}

/* fsync writes the stored bytes to the device and cleans everything. */
static void fsync_writes_stored_bytes_to_block_device(void **state)
{
	struct test_machine *tm = *state;
	const char msg[] = "the bytes of a store";
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	u8 disk[64];
	struct page *page;

	assert_int_equal(user_store(tm->mm, addr + PAGE_SIZE + 5, msg, sizeof(msg)), 0);
	assert_int_equal(tm_read_disk(tm, tm->inode, PAGE_SIZE + 5, disk, sizeof(msg)), 0);
	assert_memory_not_equal(disk, msg, sizeof(msg));

	assert_int_equal(vfs_fsync(&tm->file, 0), 0);
	assert_int_equal(tm_read_disk(tm, tm->inode, PAGE_SIZE, disk, sizeof(disk)), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(disk[i], tm_initial_byte(PAGE_SIZE + i));
	assert_memory_equal(disk + 5, msg, sizeof(msg));
	for (size_t i = 5 + sizeof(msg); i < sizeof(disk); i++)
		assert_int_equal(disk[i], tm_initial_byte(PAGE_SIZE + i));

	page = tm_cached_page(tm->inode->i_mapping, 1);
	assert_false(PageDirty(page));
	assert_false(PageWriteback(page));
	assert_false(PageLocked(page));
	assert_false(buffer_dirty(tm_first_buffer(page)));
	assert_false(buffer_locked(tm_first_buffer(page)));
	assert_true(buffer_uptodate(tm_first_buffer(page)));
	assert_false(pte_write(tm_pte(tm->mm, addr + PAGE_SIZE)));
	assert_false(mapping_tagged(tm->inode->i_mapping, PAGECACHE_TAG_DIRTY));
	assert_false(mapping_tagged(tm->inode->i_mapping, PAGECACHE_TAG_WRITEBACK));
	assert_int_equal(vm_event_read(NR_WRITTEN), 1);
	assert_int_equal(vm_event_read(FSYNC_CALLS), 1);
	assert_int_equal(page_count(page), 3);
}

/* The flusher's pass writes a dirty inode and takes it off b_dirty. */
static void cleaning_writeback_writes_dirty_inode(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	u8 disk[3];

	assert_int_equal(user_store(tm->mm, addr, "abc", 3), 0);
	assert_int_equal(user_store(tm->mm, addr + 3 * PAGE_SIZE, "def", 3), 0);
	assert_false(list_empty(&tm->wb.b_dirty));
	tm_writeback(tm, WB_SYNC_NONE);
	assert_true(list_empty(&tm->wb.b_dirty));
	assert_false(tm->inode->i_state & I_DIRTY_PAGES);
	assert_int_equal(vm_event_read(NR_WRITTEN), 2);
	assert_int_equal(tm_read_disk(tm, tm->inode, 0, disk, 3), 0);
	assert_memory_equal(disk, "abc", 3);
	assert_int_equal(tm_read_disk(tm, tm->inode, 3 * PAGE_SIZE, disk, 3), 0);
	assert_memory_equal(disk, "def", 3);
}

/* After writeback, the next store faults again and is seen. */
static void store_after_writeback_faults_into_page_mkwrite(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr;
	struct page *page = stored_page(tm, &addr, "x");
	u8 c;

	tm_writeback(tm, WB_SYNC_NONE);
	assert_false(PageDirty(page));
	assert_int_equal(vm_event_read(PAGE_MKWRITE), 1);
	assert_int_equal(user_store(tm->mm, addr + 1, "y", 1), 0);
	assert_int_equal(vm_event_read(PAGE_MKWRITE), 2);
	assert_true(PageDirty(page));
	assert_true(pte_write(tm_pte(tm->mm, addr)));
	assert_int_equal(vfs_fsync(&tm->file, 0), 0);
	assert_int_equal(tm_read_disk(tm, tm->inode, 1, &c, 1), 0);
	assert_int_equal(c, 'y');
}

/* A clean page is not written at all. */
static void writeback_skips_clean_pages(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	u8 c;

	assert_int_equal(user_load(tm->mm, addr, &c, 1), 0);
	assert_int_equal(vfs_fsync(&tm->file, 0), 0);
	tm_writeback(tm, WB_SYNC_ALL);
	assert_int_equal(vm_event_read(NR_WRITTEN), 0);
	assert_int_equal(vm_event_read(MKCLEAN_PTES_CLEANED), 0);
}

/* 1 KiB blocks: only the dirty buffers inside i_size are written. */
static void writepage_writes_only_blocks_inside_i_size(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 1, true);
	struct buffer_head *bh;
	u8 disk[8];
	int nr = 0;

	assert_int_equal(user_store(tm->mm, addr + 1030, "1k", 2), 0);
	bh = tm_first_buffer(tm_cached_page(tm->inode->i_mapping, 0));
	/* 1536 bytes: blocks 0 and 1 mapped and dirty, 2 and 3 not mapped. */
	for (struct buffer_head *b = bh; b; b = b->b_this_page == bh ? NULL : b->b_this_page, nr++) {
		assert_int_equal(b->b_size, 1024);
		assert_int_equal(buffer_mapped(b), nr < 2);
	}
	assert_int_equal(nr, 4);
	assert_int_equal(vfs_fsync(&tm->file, 0), 0);
	assert_int_equal(tm_read_disk(tm, tm->inode, 1030, disk, 2), 0);
	assert_memory_equal(disk, "1k", 2);
	nr = 0;
	for (struct buffer_head *b = bh; b; b = b->b_this_page == bh ? NULL : b->b_this_page, nr++)
		assert_false(buffer_dirty(b));
	assert_int_equal(ext4_bmap(tm->inode, 2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TM_TEST(page_mkclean_cleans_and_write_protects_dirty_pte, tm_vanilla),
		TM_TEST(page_mkclean_cleans_every_mapping, tm_vanilla),
		TM_TEST(clear_page_dirty_for_io_moves_pte_dirt_to_the_io, tm_vanilla),
		TM_TEST(fsync_writes_stored_bytes_to_block_device, tm_vanilla),
		TM_TEST(cleaning_writeback_writes_dirty_inode, tm_vanilla),
		TM_TEST(store_after_writeback_faults_into_page_mkwrite, tm_vanilla),
		TM_TEST(writeback_skips_clean_pages, tm_vanilla),
		TM_TEST(writepage_writes_only_blocks_inside_i_size, tm_vanilla_1k),
	};

	return cmocka_run_group_tests_name("writeback", tests, NULL, NULL);
}
