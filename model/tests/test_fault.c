// SPDX-License-Identifier: GPL-2.0
/*
 * docs/semantics.md §3, paths 1-4: the read fault, the write fault and
 * ->page_mkwrite, a CPU store through the page tables, and
 * get_user_pages(FOLL_WRITE).
 *
 * Reference counts of a file page in these tests: one for the page cache,
 * one per PTE that maps it, one for its buffer heads, one per gup.
 */
#include <signal.h>
#include <string.h>

#include "helpers.h"

/* 1. A read fault reads the page in and maps it read-only. */
static void read_fault_maps_page_readonly_with_cache_and_pte_refs(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	unsigned char buf[64];
	struct page *page;
	pte_t pte;

	assert_int_equal(user_load(tm->mm, addr + PAGE_SIZE + 100, buf, sizeof(buf)), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], tm_initial_byte(PAGE_SIZE + 100 + i));

	page = tm_cached_page(tm->inode->i_mapping, 1);
	assert_non_null(page);
	assert_ptr_equal(page->mapping, tm->inode->i_mapping);
	assert_int_equal(page->index, 1);
	assert_int_equal(page_count(page), 2);
	assert_int_equal(page_mapcount(page), 1);
	assert_true(PageUptodate(page));
	assert_true(PageLRU(page));
	assert_true(page_on_lru_list(page, LRU_INACTIVE_FILE));
	assert_false(PageDirty(page));
	assert_false(PageLocked(page));
	assert_false(PagePrivate(page));	/* read without buffers */

	pte = tm_pte(tm->mm, addr + PAGE_SIZE);
	assert_true(pte_present(pte));
	assert_int_equal(pte_pfn(pte), page_to_pfn(page));
	assert_false(pte_write(pte));		/* the first store must fault */
	assert_false(pte_dirty(pte));
	assert_true(pte_young(pte));
	/* Only the page touched was faulted in. */
	assert_true(pte_none(tm_pte(tm->mm, addr)));
	assert_null(tm_cached_page(tm->inode->i_mapping, 0));

	assert_int_equal(vm_event_read(PGFAULT), 1);
	assert_int_equal(vm_event_read(PGMAJFAULT), 1);
	assert_int_equal(vm_event_read(PGPGIN), 1);
	assert_int_equal(vm_event_read(PAGE_MKWRITE), 0);
}

/* 1. A second mapping of a cached page is a minor fault. */
static void read_fault_of_cached_page_is_minor_and_adds_a_mapping(void **state)
{
	struct test_machine *tm = *state;
	unsigned long a1 = tm_mmap(tm, tm->mm, 0, 4, true);
	unsigned long a2 = tm_mmap(tm, tm->mm2, 0, 4, false);
	unsigned char c1, c2;
	struct page *page;

	assert_int_equal(user_load(tm->mm, a1, &c1, 1), 0);
	assert_int_equal(user_load(tm->mm2, a2, &c2, 1), 0);
	assert_int_equal(c1, tm_initial_byte(0));
	assert_int_equal(c2, c1);
	page = tm_cached_page(tm->inode->i_mapping, 0);
	assert_int_equal(page_count(page), 3);
	assert_int_equal(page_mapcount(page), 2);
	assert_int_equal(pte_pfn(tm_pte(tm->mm2, a2)), page_to_pfn(page));
	assert_int_equal(vm_event_read(PGFAULT), 2);
	assert_int_equal(vm_event_read(PGMAJFAULT), 1);
}

/* 1. A fault beyond i_size is SIGBUS, and maps nothing. */
static void fault_beyond_eof_fails_with_efault(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 8, true);
	unsigned char c;

	assert_int_equal(user_load(tm->mm, addr + 5 * PAGE_SIZE, &c, 1), -SIGBUS);
	assert_true(pte_none(tm_pte(tm->mm, addr + 5 * PAGE_SIZE)));
	assert_null(tm_cached_page(tm->inode->i_mapping, 5));
}

/* 2. A write fault on an unmapped page runs ->page_mkwrite once. */
static void write_fault_runs_page_mkwrite_and_maps_writable_dirty(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct buffer_head *bh;
	struct page *page;
	pte_t pte;

	assert_int_equal(user_store(tm->mm, addr + 10, "x", 1), 0);
	page = tm_cached_page(tm->inode->i_mapping, 0);
	assert_non_null(page);
	/* cache + PTE + buffers */
	assert_int_equal(page_count(page), 3);
	assert_int_equal(page_mapcount(page), 1);
	assert_true(PageDirty(page));
	assert_true(PagePrivate(page));
	assert_true(PageUptodate(page));
	assert_false(PageLocked(page));
	assert_true(page_cache_tag_get(tm->inode->i_mapping, 0,
				       PAGECACHE_TAG_DIRTY));

	bh = tm_first_buffer(page);
	assert_non_null(bh);
	assert_ptr_equal(bh->b_this_page, bh);	/* one 4 KiB block */
	assert_true(buffer_mapped(bh));
	assert_true(buffer_dirty(bh));
	assert_true(buffer_uptodate(bh));
	assert_int_equal(bh->b_blocknr, ext4_bmap(tm->inode, 0));
	assert_ptr_equal(bh->b_page, page);

	pte = tm_pte(tm->mm, addr);
	assert_true(pte_present(pte));
	assert_true(pte_write(pte));
	assert_true(pte_dirty(pte));
	assert_true(pte_young(pte));

	/* The inode is on the writeback list. */
	assert_true(tm->inode->i_state & I_DIRTY_PAGES);
	assert_false(list_empty(&tm->wb.b_dirty));
	assert_int_equal(vm_event_read(PAGE_MKWRITE), 1);
	assert_int_equal(vm_event_read(PGFAULT), 1);
	assert_int_equal(((unsigned char *)page_address(page))[10], 'x');
}

/* 2. A store to a read-only PTE faults into wp_page_shared. */
static void write_fault_on_readonly_pte_makes_it_writable(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	unsigned char c;
	struct page *page;
	pte_t pte;

	assert_int_equal(user_load(tm->mm, addr, &c, 1), 0);
	page = tm_cached_page(tm->inode->i_mapping, 0);
	assert_false(pte_write(tm_pte(tm->mm, addr)));
	assert_int_equal(page_count(page), 2);

	assert_int_equal(user_store(tm->mm, addr, "y", 1), 0);
	pte = tm_pte(tm->mm, addr);
	assert_true(pte_write(pte));
	assert_true(pte_dirty(pte));
	assert_int_equal(pte_pfn(pte), page_to_pfn(page));
	assert_int_equal(page_count(page), 3);	/* + buffers */
	assert_int_equal(page_mapcount(page), 1);
	assert_true(PageDirty(page));
	assert_true(buffer_dirty(tm_first_buffer(page)));
	assert_int_equal(vm_event_read(PAGE_MKWRITE), 1);
	assert_int_equal(vm_event_read(PGFAULT), 2);
	assert_int_equal(vm_event_read(PGMAJFAULT), 1);
}

/* 2. ->page_mkwrite allocates the blocks of a hole. */
static void page_mkwrite_allocates_blocks_in_a_hole(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr;
	sector_t free_before;

	/* Extend the file: page 5 is a hole. */
	assert_int_equal(do_truncate(&tm->file, 6 * PAGE_SIZE), 0);
	assert_int_equal(ext4_bmap(tm->inode, 5), 0);
	free_before = ext4_free_blocks_count(&tm->sb);
	addr = tm_mmap(tm, tm->mm, 0, 6, true);
	assert_int_equal(user_store(tm->mm, addr + 5 * PAGE_SIZE, "z", 1), 0);
	assert_int_not_equal(ext4_bmap(tm->inode, 5), 0);
	assert_int_equal(ext4_free_blocks_count(&tm->sb), free_before - 1);
	assert_int_equal(tm_first_buffer(tm_cached_page(tm->inode->i_mapping, 5))->b_blocknr,
			 ext4_bmap(tm->inode, 5));
	assert_false(buffer_new(tm_first_buffer(tm_cached_page(tm->inode->i_mapping, 5))));
}

/* 3. A store through a writable PTE does not fault, and dirties the PTE. */
static void store_through_writable_pte_does_not_fault(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct page *page;
	char msg[] = "hello, page";

	assert_int_equal(user_store(tm->mm, addr, "a", 1), 0);
	assert_int_equal(vm_event_read(PGFAULT), 1);
	assert_int_equal(user_store(tm->mm, addr + 100, msg, sizeof(msg)), 0);
	assert_int_equal(vm_event_read(PGFAULT), 1);
	assert_int_equal(vm_event_read(PAGE_MKWRITE), 1);
	page = tm_cached_page(tm->inode->i_mapping, 0);
	assert_memory_equal((char *)page_address(page) + 100, msg, sizeof(msg));
	assert_true(pte_dirty(tm_pte(tm->mm, addr)));
	assert_int_equal(page_count(page), 3);
}

/* 3. A store to a mapping without VM_WRITE is refused. */
static void store_to_readonly_mapping_is_sigsegv(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, false);

	assert_int_equal(user_store(tm->mm, addr, "a", 1), -SIGSEGV);
	assert_true(pte_none(tm_pte(tm->mm, addr)));
	assert_int_equal(vm_event_read(PAGE_MKWRITE), 0);
}

/* 3. A store across a page boundary faults on each page. */
static void store_across_pages_dirties_both(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	char buf[32];

	memset(buf, 0x5a, sizeof(buf));
	assert_int_equal(user_store(tm->mm, addr + PAGE_SIZE - 16, buf, sizeof(buf)), 0);
	assert_true(PageDirty(tm_cached_page(tm->inode->i_mapping, 0)));
	assert_true(PageDirty(tm_cached_page(tm->inode->i_mapping, 1)));
	assert_int_equal(vm_event_read(PAGE_MKWRITE), 2);
}

/* 4. gup(FOLL_WRITE) faults the page in for write and takes a reference. */
static void gup_write_faults_in_and_takes_a_reference(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct page *pages[2];
	pte_t pte;

	assert_int_equal(get_user_pages(tm->mm, addr + PAGE_SIZE, 2, FOLL_WRITE, pages), 2);
	for (int i = 0; i < 2; i++) {
		assert_ptr_equal(pages[i], tm_cached_page(tm->inode->i_mapping, 1 + i));
		/* cache + PTE + buffers + gup */
		assert_int_equal(page_count(pages[i]), 4);
		assert_int_equal(page_mapcount(pages[i]), 1);
		assert_true(PageDirty(pages[i]));
		assert_true(PagePrivate(pages[i]));
		/* Vanilla: gup leaves the page on the LRU. */
		assert_true(PageLRU(pages[i]));
		assert_false(PageDmaPinned(pages[i]));
		pte = tm_pte(tm->mm, addr + (1 + i) * PAGE_SIZE);
		assert_true(pte_write(pte));
		assert_true(pte_dirty(pte));
		assert_true(pte_young(pte));
	}
	assert_int_equal(vm_event_read(PAGE_MKWRITE), 2);
	assert_int_equal(vm_event_read(NR_FOLL_PIN_ACQUIRED), 2);
	assert_false(page_maybe_dma_pinned(pages[0]));

	put_user_page(pages[0]);
	put_user_page(pages[1]);
	assert_int_equal(page_count(pages[0]), 3);
	assert_int_equal(vm_event_read(NR_FOLL_PIN_RELEASED), 2);
}

/* 4. ->page_mkwrite runs at pin time only: later gups do not fault. */
static void gup_write_on_writable_pte_does_not_fault(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct page *page;

	assert_int_equal(user_store(tm->mm, addr, "a", 1), 0);
	assert_int_equal(get_user_pages(tm->mm, addr, 1, FOLL_WRITE, &page), 1);
	assert_int_equal(vm_event_read(PGFAULT), 1);
	assert_int_equal(vm_event_read(PAGE_MKWRITE), 1);
	assert_int_equal(page_count(page), 4);
	put_user_page(page);
}

/* 4. gup without FOLL_WRITE is a read fault: no ->page_mkwrite. */
static void gup_read_maps_readonly_without_page_mkwrite(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct page *page;

	assert_int_equal(get_user_pages(tm->mm, addr, 1, 0, &page), 1);
	assert_int_equal(page_count(page), 3);	/* cache + PTE + gup */
	assert_false(PageDirty(page));
	assert_false(PagePrivate(page));
	assert_false(pte_write(tm_pte(tm->mm, addr)));
	assert_int_equal(vm_event_read(PAGE_MKWRITE), 0);
	put_user_page(page);
	assert_int_equal(page_count(page), 2);
}

/* 4. gup refuses bad requests. */
static void gup_refuses_readonly_vma_unaligned_and_unmapped(void **state)
{
	struct test_machine *tm = *state;
	unsigned long ro = tm_mmap(tm, tm->mm, 0, 4, false);
	struct page *page = NULL;

	assert_int_equal(get_user_pages(tm->mm, ro, 1, FOLL_WRITE, &page), -EFAULT);
	assert_int_equal(get_user_pages(tm->mm, ro + 1, 1, 0, &page), -EINVAL);
	assert_int_equal(get_user_pages(tm->mm, ro, 0, 0, &page), -EINVAL);
	assert_int_equal(get_user_pages(tm->mm, 0x1000, 1, 0, &page), -EFAULT);
	assert_null(page);
	assert_int_equal(vm_event_read(NR_FOLL_PIN_ACQUIRED), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TM_TEST(read_fault_maps_page_readonly_with_cache_and_pte_refs, tm_vanilla),
		TM_TEST(read_fault_of_cached_page_is_minor_and_adds_a_mapping, tm_vanilla),
		TM_TEST(fault_beyond_eof_fails_with_efault, tm_vanilla),
		TM_TEST(write_fault_runs_page_mkwrite_and_maps_writable_dirty, tm_vanilla),
		TM_TEST(write_fault_on_readonly_pte_makes_it_writable, tm_vanilla),
		TM_TEST(page_mkwrite_allocates_blocks_in_a_hole, tm_vanilla),
		TM_TEST(store_through_writable_pte_does_not_fault, tm_vanilla),
		TM_TEST(store_to_readonly_mapping_is_sigsegv, tm_vanilla),
		TM_TEST(store_across_pages_dirties_both, tm_vanilla),
		TM_TEST(gup_write_faults_in_and_takes_a_reference, tm_vanilla),
		TM_TEST(gup_write_on_writable_pte_does_not_fault, tm_vanilla),
		TM_TEST(gup_read_maps_readonly_without_page_mkwrite, tm_vanilla),
		TM_TEST(gup_refuses_readonly_vma_unaligned_and_unmapped, tm_vanilla),
	};

	return cmocka_run_group_tests_name("fault", tests, NULL, NULL);
}
