// SPDX-License-Identifier: GPL-2.0
/*
 * docs/semantics.md §5 and §9: Linux 6.12, the upstream policy.
 *
 * FOLL_PIN adds GUP_PIN_COUNTING_BIAS to a small page's count and
 * page_maybe_dma_pinned() guesses from it; reclaim keeps a pinned page with
 * its buffers (6.4); gup refuses long-term writable pins of an ext4
 * mapping (6.5); ext4 warns about a dirty page without buffers, and drops
 * it, where 2018 BUGged (2022).
 */
#include <string.h>

#include <linux/panic.h>

#include "helpers.h"

/* The pinned page of @tm's file at index 0, mapped and stored to. */
static struct page *pinned_page(struct test_machine *tm, unsigned long *addr)
{
	struct page *page;

	*addr = tm_mmap(tm, tm->mm, 0, 4, true);
	assert_int_equal(user_store(tm->mm, *addr, "proc", 4), 0);
	assert_int_equal(get_user_pages(tm->mm, *addr, 1, FOLL_WRITE, &page), 1);
	return page;
}

/* A pin is 1024 references, taken and given back whole. */
static void pin_adds_the_bias_and_unpin_takes_it_off(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr;
	struct page *page = pinned_page(tm, &addr);

	/* The page cache, the PTE, the buffers, and the pin. */
	assert_int_equal(page_count(page), 3 + GUP_PIN_COUNTING_BIAS);
	assert_true(page_maybe_dma_pinned(page));
	/* Nothing of the seed's: on the LRU, no flag in the lru words. */
	assert_true(PageLRU(page));
	assert_false(PageDmaPinned(page));
	assert_int_equal(vm_event_read(NR_FOLL_PIN_ACQUIRED), 1);

	put_user_page(page);
	assert_int_equal(page_count(page), 3);
	assert_false(page_maybe_dma_pinned(page));
	assert_int_equal(vm_event_read(NR_FOLL_PIN_RELEASED), 1);
}

/* FOLL_GET is one plain reference: no bias, invisible to the guess. */
static void foll_get_takes_a_plain_reference(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct page *page;

	assert_int_equal(get_user_pages(tm->mm, addr, 1, FOLL_WRITE | FOLL_GET,
					&page), 1);
	assert_int_equal(page_count(page), 4);	/* cache, PTE, buffers, gup */
	assert_false(page_maybe_dma_pinned(page));
	assert_int_equal(vm_event_read(NR_FOLL_PIN_ACQUIRED), 0);
	put_page(page);
	assert_int_equal(page_count(page), 3);
}

/* 1024 plain references look like a pin: the guess errs one way only. */
static void plain_references_look_pinned_from_1024(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct page *page;

	assert_int_equal(user_store(tm->mm, addr, "x", 1), 0);
	page = tm_cached_page(tm->inode->i_mapping, 0);
	assert_int_equal(page_count(page), 3);
	for (int i = 3; i < (int)GUP_PIN_COUNTING_BIAS - 1; i++)
		get_page(page);
	assert_false(page_maybe_dma_pinned(page));	/* 1023 */
	get_page(page);
	assert_true(page_maybe_dma_pinned(page));	/* 1024, no pin */
	for (int i = 3; i < (int)GUP_PIN_COUNTING_BIAS; i++)
		put_page(page);
	assert_int_equal(page_count(page), 3);
}

/* 6.5: FOLL_LONGTERM | FOLL_WRITE of a shared ext4 mapping is refused. */
static void longterm_writable_file_pin_is_refused(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct page *page;

	assert_int_equal(get_user_pages(tm->mm, addr, 1,
					FOLL_WRITE | FOLL_LONGTERM, &page),
			 -EFAULT);
	assert_int_equal(vm_event_read(FOLL_LONGTERM_REFUSED), 1);
	assert_int_equal(vm_event_read(NR_FOLL_PIN_ACQUIRED), 0);
	/* Refused before any fault: nothing was read in. */
	assert_null(tm_cached_page(tm->inode->i_mapping, 0));

	/* A long-term pin for read, and a short one for write, are fine. */
	assert_int_equal(get_user_pages(tm->mm, addr, 1, FOLL_LONGTERM, &page), 1);
	put_user_page(page);
	assert_int_equal(get_user_pages(tm->mm, addr, 1, FOLL_WRITE, &page), 1);
	put_user_page(page);
	assert_int_equal(vm_event_read(FOLL_LONGTERM_REFUSED), 1);
}

/*
 * 6.4: reclaim unmaps a pinned page but keeps it, buffers and all, on the
 * active list: the 2018 crash's setup cannot happen.
 */
static void reclaim_keeps_pinned_page_with_its_buffers(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr;
	struct page *page = pinned_page(tm, &addr);

	tm_writeback(tm, WB_SYNC_NONE);
	assert_false(PageDirty(page));
	assert_int_equal(tm_shrink(2), 0);
	assert_ptr_equal(tm_cached_page(tm->inode->i_mapping, 0), page);
	assert_true(PagePrivate(page));
	assert_non_null(tm_first_buffer(page));
	assert_true(pte_none(tm_pte(tm->mm, addr)));
	assert_int_equal(page_mapcount(page), 0);
	assert_true(PageActive(page));
	assert_true(page_on_lru_list(page, LRU_ACTIVE_FILE));
	/* The page cache, the buffers and the pin. */
	assert_int_equal(page_count(page), 2 + GUP_PIN_COUNTING_BIAS);
	assert_true(vm_event_read(RECLAIM_PINNED_KEPT) >= 1);
	assert_int_equal(vm_event_read(BUFFERS_DROPPED), 0);
	assert_int_equal(vm_event_read(RECLAIM_REMOVE_FAIL), 0);
	put_user_page(page);
	assert_int_equal(page_count(page), 2);
}

/*
 * A driver that still takes plain references (get_user_pages() without
 * FOLL_PIN; here, get_page()) is invisible to reclaim's check: the 2018
 * sequence reaches ext4, which since 2022 warns, cleans the page and
 * skips it.  No BUG; what the device wrote never reaches the disk.
 */
static void dirty_page_without_buffers_is_dropped_with_a_warning(void **state)
{
	struct test_machine *tm = *state;
	const struct oops_state *os = oops_state();
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 1, true);
	struct page *page;
	u8 disk[PAGE_SIZE];

	assert_int_equal(user_store(tm->mm, addr, "proc", 4), 0);
	page = tm_cached_page(tm->inode->i_mapping, 0);
	get_page(page);				/* the driver's reference */
	tm_writeback(tm, WB_SYNC_NONE);
	tm_shrink(2);
	assert_false(PagePrivate(page));
	assert_int_equal(vm_event_read(BUFFERS_DROPPED), 1);
	memset(page_address(page), 0xd5, PAGE_SIZE);	/* the DMA */
	set_page_dirty_lock(page);
	put_page(page);
	assert_true(PageDirty(page));

	assert_true(run_in_task(tm_flusher_pass, tm, "kworker/u4:flush"));
	assert_int_equal(os->count, 0);
	assert_non_null(strstr(dmesg(), "page 0 does not have buffers attached"));
	assert_int_equal(vm_event_read(WRITEPAGE_NO_BUFFERS), 1);
	assert_false(PageDirty(page));
	assert_false(PageLocked(page));
	assert_false(mapping_tagged(tm->inode->i_mapping, PAGECACHE_TAG_DIRTY));
	/* The disk still holds the store, not the DMA. */
	assert_int_equal(tm_read_disk(tm, tm->inode, 0, disk, PAGE_SIZE), 0);
	assert_memory_equal(disk, "proc", 4);
	assert_int_equal(disk[4], tm_initial_byte(4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TM_TEST(pin_adds_the_bias_and_unpin_takes_it_off, tm_upstream),
		TM_TEST(foll_get_takes_a_plain_reference, tm_upstream),
		TM_TEST(plain_references_look_pinned_from_1024, tm_upstream),
		TM_TEST(longterm_writable_file_pin_is_refused, tm_upstream),
		TM_TEST(reclaim_keeps_pinned_page_with_its_buffers, tm_upstream),
		TM_TEST(dirty_page_without_buffers_is_dropped_with_a_warning, tm_upstream),
	};

	return cmocka_run_group_tests_name("upstream", tests, NULL, NULL);
}
