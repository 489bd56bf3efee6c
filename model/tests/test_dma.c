// SPDX-License-Identifier: GPL-2.0
/*
 * docs/semantics.md §3, paths 5 and 6: device DMA into pinned pages and
 * their release (set_page_dirty_lock + put); and misuse of the DMA device
 * and of put_page(), which must give an error or an oops, not a crash of
 * the test program.
 */
#include <string.h>

#include <linux/panic.h>

#include "helpers.h"

/* A mapped page, dirtied by a store, then cleaned by writeback. */
static struct page *clean_mapped_page(struct test_machine *tm,
				      unsigned long *addrp)
{
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);

	assert_int_equal(user_store(tm->mm, addr, "a", 1), 0);
	*addrp = addr;
	return tm_cached_page(tm->inode->i_mapping, 0);
}

/* 5. DMA writes the frame; nothing in mm notices. */
static void dma_writes_frame_without_pte_or_dirty_flag(void **state)
{
	struct test_machine *tm = *state;
	struct dma_dev dev;
	unsigned long addr;
	struct page *page = clean_mapped_page(tm, &addr);
	long faults, mkwrites;
	pte_t pte;

	dma_dev_init(&dev, "dev0");
	assert_int_equal(dma_dev_pin(&dev, tm->mm, addr, 1, false, true), 0);
	assert_ptr_equal(dev.pages[0], page);
	tm_writeback(tm, WB_SYNC_NONE);
	assert_false(PageDirty(page));
	assert_false(pte_write(tm_pte(tm->mm, addr)));
	faults = vm_event_read(PGFAULT);
	mkwrites = vm_event_read(PAGE_MKWRITE);

	assert_int_equal(dma_dev_write(&dev, 100, 200, 42), 0);
	for (int i = 0; i < 200; i++)
		assert_int_equal(((u8 *)page_address(page))[100 + i],
				 dma_pattern_byte(42, 100 + i));
	pte = tm_pte(tm->mm, addr);
	assert_true(pte_present(pte));
	assert_false(pte_dirty(pte));
	assert_false(pte_write(pte));
	assert_false(PageDirty(page));
	assert_false(buffer_dirty(tm_first_buffer(page)));
	assert_int_equal(vm_event_read(PGFAULT), faults);
	assert_int_equal(vm_event_read(PAGE_MKWRITE), mkwrites);
	assert_int_equal(vm_event_read(DMA_BURSTS), 1);
	assert_int_equal(vm_event_read(DMA_BYTES), 200);
	assert_int_equal(page_count(page), 4);
	assert_int_equal(dma_dev_release(&dev, false), 0);
}

/* 5. Writeback of a clean page does not write what DMA put there. */
static void dma_into_clean_page_is_not_written_back(void **state)
{
	struct test_machine *tm = *state;
	struct dma_dev dev;
	unsigned long addr;
	struct page *page = clean_mapped_page(tm, &addr);
	u8 disk[16];
	long written;

	dma_dev_init(&dev, "dev0");
	assert_int_equal(dma_dev_pin(&dev, tm->mm, addr, 1, false, true), 0);
	tm_writeback(tm, WB_SYNC_ALL);
	written = vm_event_read(NR_WRITTEN);
	assert_int_equal(dma_dev_write(&dev, 0, 16, 9), 0);
	tm_writeback(tm, WB_SYNC_ALL);
	assert_int_equal(vm_event_read(NR_WRITTEN), written);
	assert_int_equal(tm_read_disk(tm, tm->inode, 0, disk, sizeof(disk)), 0);
	assert_int_equal(disk[0], 'a');
	for (int i = 1; i < 16; i++)
		assert_int_equal(disk[i], tm_initial_byte(i));
	(void)page;
	assert_int_equal(dma_dev_release(&dev, false), 0);
}

/* 6. A dirty release dirties the page and its buffers and drops the ref. */
static void release_dirty_marks_page_and_buffers_dirty(void **state)
{
	struct test_machine *tm = *state;
	struct dma_dev dev;
	unsigned long addr;
	struct page *page = clean_mapped_page(tm, &addr);

	dma_dev_init(&dev, "dev0");
	assert_int_equal(dma_dev_pin(&dev, tm->mm, addr, 1, false, true), 0);
	tm_writeback(tm, WB_SYNC_NONE);
	assert_false(PageDirty(page));
	assert_int_equal(page_count(page), 4);
	assert_int_equal(dma_dev_write(&dev, 0, PAGE_SIZE, 3), 0);

	assert_int_equal(dma_dev_release(&dev, true), 0);
	assert_false(dev.pinned);
	assert_null(dev.pages);
	assert_true(PageDirty(page));
	assert_false(PageLocked(page));
	assert_true(buffer_dirty(tm_first_buffer(page)));
	assert_true(page_cache_tag_get(tm->inode->i_mapping, 0,
				       PAGECACHE_TAG_DIRTY));
	assert_int_equal(page_count(page), 3);
	assert_int_equal(vm_event_read(NR_FOLL_PIN_RELEASED), 1);
	/* The PTE stays clean: only the page knows. */
	assert_false(pte_dirty(tm_pte(tm->mm, addr)));
}

/* 6. After a dirty release, writeback puts the device's bytes on disk. */
static void release_dirty_then_fsync_writes_dma_bytes(void **state)
{
	struct test_machine *tm = *state;
	struct dma_dev dev;
	unsigned long addr;
	u8 disk[PAGE_SIZE];

	clean_mapped_page(tm, &addr);
	dma_dev_init(&dev, "dev0");
	assert_int_equal(dma_dev_pin(&dev, tm->mm, addr, 2, false, true), 0);
	assert_int_equal(dma_dev_write(&dev, PAGE_SIZE / 2, PAGE_SIZE, 77), 0);
	assert_int_equal(dma_dev_release(&dev, true), 0);
	assert_int_equal(vfs_fsync(&tm->file, 0), 0);
	assert_int_equal(tm_read_disk(tm, tm->inode, PAGE_SIZE / 2, disk,
				      PAGE_SIZE), 0);
	for (unsigned long i = 0; i < PAGE_SIZE; i++)
		assert_int_equal(disk[i], dma_pattern_byte(77, PAGE_SIZE / 2 + i));
}

/* 6. A clean release only drops the reference. */
static void release_clean_leaves_page_clean(void **state)
{
	struct test_machine *tm = *state;
	struct dma_dev dev;
	unsigned long addr;
	struct page *page = clean_mapped_page(tm, &addr);

	dma_dev_init(&dev, "dev0");
	assert_int_equal(dma_dev_pin(&dev, tm->mm, addr, 1, false, true), 0);
	tm_writeback(tm, WB_SYNC_NONE);
	assert_int_equal(dma_dev_release(&dev, false), 0);
	assert_false(PageDirty(page));
	assert_false(buffer_dirty(tm_first_buffer(page)));
	assert_int_equal(page_count(page), 3);
}

/* Misuse: DMA or release without a pin is -EINVAL. */
static void dma_write_or_release_without_pin_is_einval(void **state)
{
	struct dma_dev dev;

	(void)state;
	dma_dev_init(&dev, "dev0");
	assert_int_equal(dma_dev_write(&dev, 0, 16, 1), -EINVAL);
	assert_int_equal(dma_dev_release(&dev, true), -EINVAL);
	assert_int_equal(dma_dev_release(&dev, false), -EINVAL);
	assert_int_equal(vm_event_read(DMA_BURSTS), 0);
	assert_non_null(strstr(dmesg(), "DMA without a pin"));
	assert_non_null(strstr(dmesg(), "release without a pin"));
}

/* Misuse: a second pin on the same device is -EBUSY, the first stays. */
static void double_pin_is_ebusy(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct dma_dev dev;
	struct page *page;

	dma_dev_init(&dev, "dev0");
	assert_int_equal(dma_dev_pin(&dev, tm->mm, addr, 1, false, true), 0);
	page = dev.pages[0];
	assert_int_equal(dma_dev_pin(&dev, tm->mm, addr + PAGE_SIZE, 1, false, true), -EBUSY);
	assert_true(dev.pinned);
	assert_ptr_equal(dev.pages[0], page);
	assert_int_equal(dev.start, addr);
	assert_int_equal(vm_event_read(NR_FOLL_PIN_ACQUIRED), 1);
	assert_int_equal(dma_dev_release(&dev, false), 0);
}

/* Misuse: a DMA outside the pinned range and bad pin ranges are refused. */
static void dma_outside_range_and_bad_pin_ranges_are_einval(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct dma_dev dev;

	dma_dev_init(&dev, "dev0");
	assert_int_equal(dma_dev_pin(&dev, tm->mm, addr + 1, 1, false, true), -EINVAL);
	assert_int_equal(dma_dev_pin(&dev, tm->mm, addr, 0, false, true), -EINVAL);
	/* Beyond the mapping: gup fails, nothing stays pinned. */
	assert_int_equal(dma_dev_pin(&dev, tm->mm, addr + 3 * PAGE_SIZE, 2, false, true), -EFAULT);
	assert_false(dev.pinned);
	assert_int_equal(vm_event_read(NR_FOLL_PIN_ACQUIRED),
			 vm_event_read(NR_FOLL_PIN_RELEASED));
	assert_int_equal(page_count(tm_cached_page(tm->inode->i_mapping, 3)), 3);

	assert_int_equal(dma_dev_pin(&dev, tm->mm, addr, 1, false, true), 0);
	assert_int_equal(dma_dev_write(&dev, PAGE_SIZE - 1, 2, 1), -EINVAL);
	assert_int_equal(dma_dev_write(&dev, 0, 0, 1), -EINVAL);
	assert_int_equal(dma_dev_write(&dev, (unsigned long)-1, 2, 1), -EINVAL);
	assert_int_equal(vm_event_read(DMA_BURSTS), 0);
	assert_int_equal(dma_dev_release(&dev, false), 0);
}

static void put_free_page(void *arg)
{
	put_page(arg);
}

/* Misuse: put_page() on a page with no reference is a VM_BUG_ON_PAGE. */
static void put_page_at_refcount_zero_oopses(void **state)
{
	struct page *page = alloc_page(GFP_KERNEL);
	const struct oops_state *os = oops_state();

	(void)state;
	assert_non_null(page);
	assert_int_equal(page_count(page), 1);
	put_page(page);
	assert_int_equal(page_count(page), 0);
	assert_true(PageBuddy(page));

	assert_false(run_in_task(put_free_page, page, "putter"));
	assert_int_equal(os->count, 1);
	assert_string_equal(os->comm, "putter");
	assert_non_null(strstr(os->line, "kernel BUG at mm/page_alloc.c:"));
	assert_non_null(strstr(dmesg(), "VM_BUG_ON_PAGE(page_ref_count(page) <= 0)"));
	assert_non_null(strstr(os->functions, "put_page"));
	assert_int_equal(page_count(page), 0);	/* not underflowed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TM_TEST(dma_writes_frame_without_pte_or_dirty_flag, tm_vanilla),
		TM_TEST(dma_into_clean_page_is_not_written_back, tm_vanilla),
		TM_TEST(release_dirty_marks_page_and_buffers_dirty, tm_vanilla),
		TM_TEST(release_dirty_then_fsync_writes_dma_bytes, tm_vanilla),
		TM_TEST(release_clean_leaves_page_clean, tm_vanilla),
		TM_TEST(dma_write_or_release_without_pin_is_einval, tm_vanilla),
		TM_TEST(double_pin_is_ebusy, tm_vanilla),
		TM_TEST(double_pin_is_ebusy, tm_seed),
		TM_TEST(dma_outside_range_and_bad_pin_ranges_are_einval, tm_vanilla),
		TM_TEST(dma_outside_range_and_bad_pin_ranges_are_einval, tm_seed),
		TM_TEST(put_page_at_refcount_zero_oopses, tm_vanilla),
	};

	return cmocka_run_group_tests_name("dma", tests, NULL, NULL);
}
