// SPDX-License-Identifier: GPL-2.0
/*
 * The 2018 crash, step by step (docs/semantics.md §7):
 *   pin -> writeback cleans the page -> reclaim unmaps it and drops its
 *   buffers (removal fails on the gup reference) -> DMA -> release dirty
 *   -> writeback -> BUG in ext4_writepage.
 * Under vanilla the last writeback oopses with the report's call trace;
 * under the seed policy the same calls pass and the device's bytes reach
 * the block device.
 */
#include <string.h>

#include <linux/panic.h>

#include "helpers.h"

#define DMA_SEED 2018

/* Everything up to the final writeback; returns the page. */
static struct page *pin_clean_reclaim_dma_release(struct test_machine *tm,
						  struct dma_dev *dev)
{
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 1, true);
	struct page *page;

	assert_int_equal(user_store(tm->mm, addr, "proc", 4), 0);
	dma_dev_init(dev, "rdma0");
	assert_int_equal(dma_dev_pin(dev, tm->mm, addr, 1, false, true), 0);
	page = dev->pages[0];
	tm_writeback(tm, WB_SYNC_NONE);		/* the flusher cleans */
	tm_shrink(2);				/* kswapd */
	assert_int_equal(dma_dev_write(dev, 0, PAGE_SIZE, DMA_SEED), 0);
	assert_int_equal(dma_dev_release(dev, true), 0);
	return page;
}

static void vanilla_dirty_page_without_buffers_hits_ext4_writepage_bug(void **state)
{
	static const char *const trace[] = {
		"ext4_writepage", "__writepage", "write_cache_pages",
		"ext4_writepages", "do_writepages", "__writeback_single_inode",
		"writeback_sb_inodes", "wb_writeback", "wb_workfn", NULL,
	};
	struct test_machine *tm = *state;
	const struct oops_state *os = oops_state();
	struct dma_dev dev;
	struct page *page = pin_clean_reclaim_dma_release(tm, &dev);

	/* The setup the BUG needs: dirty, in the cache, no buffers. */
	assert_true(PageDirty(page));
	assert_false(PagePrivate(page));
	assert_ptr_equal(page->mapping, tm->inode->i_mapping);
	assert_int_equal(page_mapcount(page), 0);
	assert_int_equal(page_count(page), 1);
	assert_int_equal(vm_event_read(BUFFERS_DROPPED), 1);
	assert_int_equal(vm_event_read(RECLAIM_REMOVE_FAIL), 1);
	assert_int_equal(os->count, 0);

	assert_false(run_in_task(tm_flusher_pass, tm, "kworker/u4:flush"));
	assert_int_equal(os->count, 1);
	assert_string_equal(os->comm, "kworker/u4:flush");
	assert_int_equal(strncmp(os->line, "kernel BUG at fs/ext4/inode.c:",
				 strlen("kernel BUG at fs/ext4/inode.c:")), 0);
	if (!functions_in_order(os->functions, trace))
		print_error("trace: %s\n", os->functions);
	assert_true(functions_in_order(os->functions, trace));
	assert_non_null(strstr(dmesg(), "invalid opcode"));
	/* The task died holding the page lock, as the kernel's would. */
	assert_true(PageLocked(page));
}

static void seed_same_sequence_passes_and_dma_bytes_reach_disk(void **state)
{
	struct test_machine *tm = *state;
	const struct oops_state *os = oops_state();
	struct dma_dev dev;
	struct page *page = pin_clean_reclaim_dma_release(tm, &dev);
	static u8 disk[PAGE_SIZE];

	/* Reclaim never saw the pinned page: its buffers are there. */
	assert_true(PagePrivate(page));
	assert_true(PageDirty(page));
	assert_true(buffer_dirty(tm_first_buffer(page)));
	assert_int_equal(vm_event_read(BUFFERS_DROPPED), 0);
	assert_true(vm_event_read(MKCLEAN_PINNED_SKIPPED) > 0);
	assert_false(PageDmaPinned(page));
	assert_true(PageLRU(page));

	assert_true(run_in_task(tm_flusher_pass, tm, "kworker/u4:flush"));
	assert_int_equal(os->count, 0);
	assert_false(PageDirty(page));
	assert_int_equal(tm_read_disk(tm, tm->inode, 0, disk, PAGE_SIZE), 0);
	for (unsigned long i = 0; i < PAGE_SIZE; i++)
		assert_int_equal(disk[i], dma_pattern_byte(DMA_SEED, i));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TM_TEST(vanilla_dirty_page_without_buffers_hits_ext4_writepage_bug, tm_vanilla),
		TM_TEST(seed_same_sequence_passes_and_dma_bytes_reach_disk, tm_seed),
	};

	return cmocka_run_group_tests_name("crash", tests, NULL, NULL);
}
