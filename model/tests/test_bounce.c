// SPDX-License-Identifier: GPL-2.0
/*
 * docs/semantics.md §5: the bounce policy (Kara's RFC of 2023, on 6.12).
 *
 * Cleaning writeback leaves a pinned page dirty, with its buffers and its
 * PTEs as they are; data-integrity writeback writes a stable copy and
 * leaves the page dirty; nothing waits for an unpin; long-term writable
 * pins of an ext4 mapping are allowed.
 */
#include <string.h>

#include <linux/panic.h>

#include "helpers.h"

#define DMA_SEED 2023

/* The device's page: mapped, stored to ("proc"), pinned for write. */
static struct page *pin_one(struct test_machine *tm, struct dma_dev *dev,
			    unsigned long *addr, bool longterm)
{
	*addr = tm_mmap(tm, tm->mm, 0, 4, true);
	assert_int_equal(user_store(tm->mm, *addr, "proc", 4), 0);
	dma_dev_init(dev, "rdma0");
	assert_int_equal(dma_dev_pin(dev, tm->mm, *addr, 1, longterm, true), 0);
	return dev->pages[0];
}

static void cleaning_writeback_leaves_pinned_page_dirty(void **state)
{
	struct test_machine *tm = *state;
	struct dma_dev dev;
	unsigned long addr;
	struct page *page = pin_one(tm, &dev, &addr, false);
	u8 disk[4];

	tm_writeback(tm, WB_SYNC_NONE);
	assert_int_equal(vm_event_read(WRITEBACK_SKIPPED), 1);
	assert_true(PageDirty(page));
	assert_true(mapping_tagged(tm->inode->i_mapping, PAGECACHE_TAG_DIRTY));
	assert_true(buffer_dirty(tm_first_buffer(page)));
	/* Its PTE is left writable and dirty: the next store needs no fault. */
	assert_true(pte_write(tm_pte(tm->mm, addr)));
	assert_true(pte_dirty(tm_pte(tm->mm, addr)));
	assert_int_equal(vm_event_read(MKCLEAN_PTES_CLEANED), 0);
	assert_int_equal(vm_event_read(NR_WRITTEN), 0);
	assert_int_equal(tm_read_disk(tm, tm->inode, 0, disk, 4), 0);
	assert_int_equal(disk[0], tm_initial_byte(0));

	/* Unpinned, the same writeback writes and cleans it. */
	assert_int_equal(dma_dev_release(&dev, true), 0);
	tm_writeback(tm, WB_SYNC_NONE);
	assert_false(PageDirty(page));
	assert_int_equal(tm_read_disk(tm, tm->inode, 0, disk, 4), 0);
	assert_memory_equal(disk, "proc", 4);
	assert_int_equal(vm_event_read(WRITEBACK_SKIPPED), 1);
}

struct fsync_call {
	struct test_machine *tm;
	int ret;
};

static void fsync_caller(void *arg)
{
	struct fsync_call *fc = arg;

	fc->ret = vfs_fsync(&fc->tm->file, 0);
}

/*
 * fsync of a page a device holds returns without waiting, having written
 * a copy of what the page held; the page, and its buffer, stay dirty.
 */
static void fsync_writes_a_stable_copy_and_leaves_page_dirty(void **state)
{
	struct test_machine *tm = *state;
	struct zone *zone = &NODE_DATA(0)->node_zones[0];
	struct fsync_call fc = { .tm = tm, .ret = -1 };
	static u8 disk[PAGE_SIZE];
	struct task_call tc;
	struct dma_dev dev;
	unsigned long addr, free_before;
	struct page *page = pin_one(tm, &dev, &addr, true);

	assert_int_equal(dma_dev_write(&dev, 0, PAGE_SIZE, DMA_SEED), 0);
	free_before = zone_free_pages(zone);
	task_call_start(&tc, fsync_caller, &fc, "proc0");
	assert_true(task_call_join(&tc));	/* the pin is still held */
	assert_int_equal(fc.ret, 0);
	assert_int_equal(tc.pin_waits, 0);
	assert_int_equal(vm_event_read(FSYNC_WAITED_UNPIN), 0);
	assert_int_equal(vm_event_read(BOUNCE_COPIES), 1);
	assert_int_equal(vm_event_read(BOUNCE_BYTES), PAGE_SIZE);
	/* The copy went back to the allocator when its I/O ended. */
	assert_int_equal(zone_free_pages(zone), free_before);
	assert_int_equal(tm_read_disk(tm, tm->inode, 0, disk, PAGE_SIZE), 0);
	for (unsigned long i = 0; i < PAGE_SIZE; i++)
		assert_int_equal(disk[i], dma_pattern_byte(DMA_SEED, i));
	assert_true(PageDirty(page));
	assert_false(PageWriteback(page));
	assert_true(buffer_dirty(tm_first_buffer(page)));
	assert_true(mapping_tagged(tm->inode->i_mapping, PAGECACHE_TAG_DIRTY));
	/* Data integrity cleaned the PTE: the next store faults. */
	assert_false(pte_write(tm_pte(tm->mm, addr)));
	assert_int_equal(page_count(page), 3 + GUP_PIN_COUNTING_BIAS);

	/* Released, the next fsync writes the page itself and cleans it. */
	assert_int_equal(dma_dev_release(&dev, true), 0);
	assert_int_equal(vfs_fsync(&tm->file, 0), 0);
	assert_int_equal(vm_event_read(BOUNCE_COPIES), 1);
	assert_false(PageDirty(page));
	assert_false(buffer_dirty(tm_first_buffer(page)));
}

/*
 * The space assumption, checked where the copy is taken: a pinned page's
 * dirty blocks have space because the pin's write fault mapped them.  A
 * file grown under the pin (1 KiB blocks, the EOF page pinned) has dirty
 * blocks inside the new size that nobody mapped: the DMA's bytes there
 * would be dropped, and the copy says so.
 */
static void copy_warns_of_a_dirty_block_without_space(void **state)
{
	struct test_machine *tm = *state;
	const struct oops_state *os = oops_state();
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 1, true);
	struct page *page;

	assert_int_equal(get_user_pages(tm->mm, addr, 1, FOLL_WRITE, &page), 1);
	do_truncate(&tm->file, PAGE_SIZE);	/* blocks 2, 3: no space */
	assert_int_equal(os->warnings, 0);
	assert_int_equal(vfs_fsync(&tm->file, 0), 0);
	assert_int_equal(os->warnings, 1);
	assert_non_null(strstr(os->warn_line, "a dirty block without space"));
	assert_int_equal(vm_event_read(BOUNCE_COPIES), 1);
	put_user_page(page);
}

/* bounce allows what 6.5 refuses: its writeback never cleans the page. */
static void longterm_writable_file_pin_is_allowed(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct page *page;

	assert_int_equal(get_user_pages(tm->mm, addr, 1,
					FOLL_WRITE | FOLL_LONGTERM, &page), 1);
	assert_int_equal(vm_event_read(FOLL_LONGTERM_REFUSED), 0);
	assert_int_equal(page_count(page), 3 + GUP_PIN_COUNTING_BIAS);
	put_user_page(page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TM_TEST(cleaning_writeback_leaves_pinned_page_dirty, tm_bounce),
		TM_TEST(fsync_writes_a_stable_copy_and_leaves_page_dirty, tm_bounce),
		TM_TEST(longterm_writable_file_pin_is_allowed, tm_bounce),
		TM_TEST(copy_warns_of_a_dirty_block_without_space, tm_bounce_1k),
	};

	return cmocka_run_group_tests_name("bounce", tests, NULL, NULL);
}
