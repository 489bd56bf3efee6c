// SPDX-License-Identifier: GPL-2.0
/*
 * The data-integrity oracle, driven by hand on the test machine: which
 * values it accepts for a byte that writers wrote in overlapping windows
 * (every value one of them could have left, and nothing else), what a
 * load being verified may see, and what an fsync promises when it
 * returns (the bytes stored, or DMA'd and released dirty, before it was
 * called and not touched since).
 *
 * Writes are made with the tracepoints a CPU store or a DMA write fires,
 * in the orders that concurrent writers can produce, and the frame and the
 * device are then what the test says they are.
 */
#include <string.h>

#include <linux/tracepoint.h>

#include "../harness/oracle.h"
#include "helpers.h"

static int oracle_setup(void **state)
{
	struct test_machine *tm;
	u8 data[4 * PAGE_SIZE];

	if (tm_setup(state))
		return -1;
	tm = *state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = tm_initial_byte((loff_t)i);
	if (oracle_init() || oracle_add_file(tm->inode, 8 * PAGE_SIZE, data) ||
	    oracle_attach())
		return -1;
	return 0;
}

static int oracle_teardown(void **state)
{
	oracle_detach();
	oracle_exit();
	return tm_teardown(state);
}

#define ORACLE_TEST(fn) \
	cmocka_unit_test_prestate_setup_teardown(fn, oracle_setup, \
						 oracle_teardown, (void *)&tm_vanilla)

/* Page 0 of the file, read in, with a reference the test drops at the end. */
static struct page *page0(struct test_machine *tm)
{
	struct page *page = read_mapping_page(tm->inode->i_mapping, 0);

	assert_non_null(page);
	return page;
}

/* What a load of byte 10 would be judged: 0 if accepted. */
static long verify_byte(struct test_machine *tm, u8 b)
{
	u8 buf[PAGE_SIZE];
	struct window *w = oracle_read_begin(tm->inode, 0, PAGE_SIZE);
	struct page *page = page0(tm);

	memcpy(buf, page_address(page), PAGE_SIZE);
	put_page(page);
	buf[10] = b;
	return oracle_read_end(w, buf, NULL, 0);
}

/* A write of @len bytes of value @v at offset 10, begun (no end yet). */
static void write_begin(bool dma, struct page *page, const u8 *v, size_t len)
{
	if (dma)
		trace_dma_write_begin(page, 10, v, len);
	else
		trace_user_store_begin(page, 10, v, len);
}

static void write_end(bool dma, struct page *page, const u8 *v, size_t len)
{
	if (dma)
		trace_dma_write(page, 10, v, len);
	else
		trace_user_store(page, 10, v, len);
}

/*
 * A store and a DMA write whose windows overlap: either may have landed
 * last, whatever order their ends came in.  A third value is not
 * accepted, nor the value from before either.
 */
static void overlapping_writers_leave_either(void **state)
{
	struct test_machine *tm = *state;
	struct page *page = page0(tm);
	u8 a = 0xaa, b = 0xbb;

	write_begin(false, page, &a, 1);
	write_begin(true, page, &b, 1);
	write_end(true, page, &b, 1);	/* the DMA's end comes first... */
	write_end(false, page, &a, 1);	/* ...but it may have landed last */
	assert_int_equal(verify_byte(tm, 0xaa), 0);
	assert_int_equal(verify_byte(tm, 0xbb), 0);
	assert_int_equal(verify_byte(tm, 0xcc), 1);
	assert_int_equal(verify_byte(tm, tm_initial_byte(10)), 1);
	put_page(page);
}

/* One write after the other: only the last. */
static void sequential_writers_leave_the_last(void **state)
{
	struct test_machine *tm = *state;
	struct page *page = page0(tm);
	u8 a = 0xaa, b = 0xbb, c = 0xcc;

	write_begin(false, page, &a, 1);
	write_end(false, page, &a, 1);
	write_begin(true, page, &b, 1);
	write_end(true, page, &b, 1);
	assert_int_equal(verify_byte(tm, 0xbb), 0);
	assert_int_equal(verify_byte(tm, 0xaa), 1);
	/* b overlapped c, but a had ended before c began: a is gone. */
	write_begin(false, page, &c, 1);
	write_begin(true, page, &b, 1);
	write_end(false, page, &c, 1);
	write_end(true, page, &b, 1);
	assert_int_equal(verify_byte(tm, 0xbb), 0);
	assert_int_equal(verify_byte(tm, 0xcc), 0);
	assert_int_equal(verify_byte(tm, 0xaa), 1);
	put_page(page);
}

/* A load while a write is in flight may see either value; after, only it. */
static void a_load_during_a_write_may_see_either(void **state)
{
	struct test_machine *tm = *state;
	struct page *page = page0(tm);
	u8 buf[PAGE_SIZE], a = 0xaa, old = tm_initial_byte(10);
	struct window *w;

	w = oracle_read_begin(tm->inode, 0, PAGE_SIZE);
	write_begin(true, page, &a, 1);
	write_end(true, page, &a, 1);
	memcpy(buf, page_address(page), PAGE_SIZE);
	buf[10] = old;			/* the load landed before the write */
	assert_int_equal(oracle_read_end(w, buf, NULL, 0), 0);
	w = oracle_read_begin(tm->inode, 0, PAGE_SIZE);
	buf[10] = old;			/* a later load cannot see it */
	assert_int_equal(oracle_read_end(w, buf, NULL, 0), 1);
	put_page(page);
}

/* A truncation overlapping a write: the byte may hold anything. */
static void a_write_racing_a_truncation_is_not_judged(void **state)
{
	struct test_machine *tm = *state;
	struct page *page = page0(tm);
	u8 a = 0xaa;

	trace_truncate_range_begin(tm->inode, 0, PAGE_SIZE - 1);
	write_begin(false, page, &a, 1);
	write_end(false, page, &a, 1);
	trace_truncate_range(tm->inode, 0, PAGE_SIZE - 1);
	assert_int_equal(verify_byte(tm, 0x12), 0);
	/* A write after the truncation ended is judged again. */
	write_begin(false, page, &a, 1);
	write_end(false, page, &a, 1);
	assert_int_equal(verify_byte(tm, 0x12), 1);
	put_page(page);
}

/* fsync promises what was stored before it: on the device at its return. */
static void fsync_returns_with_the_stores_on_the_device(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);

	assert_int_equal(user_store(tm->mm, addr + 10, "durable", 7), 0);
	assert_int_equal(vfs_fsync(&tm->file, 0), 0);
	assert_int_equal(oracle_durability(NULL, 0), 0);
}

/*
 * A store whose page lost its dirty state (as under the seed after
 * cleaning writeback skipped it): fsync writes nothing, and the check at
 * its return says so, naming the fsync.
 */
static void fsync_that_writes_nothing_is_caught(void **state)
{
	struct test_machine *tm = *state;
	unsigned long addr = tm_mmap(tm, tm->mm, 0, 4, true);
	struct page *page;
	char why[256];

	assert_int_equal(user_store(tm->mm, addr + 10, "lost", 4), 0);
	page = page0(tm);
	lock_page(page);
	assert_true(clear_page_dirty_for_io(page, WB_SYNC_NONE));	/* not written */
	unlock_page(page);
	assert_int_equal(vfs_fsync(&tm->file, 0), 0);
	assert_int_equal(oracle_durability(why, sizeof(why)), 4);
	assert_non_null(strstr(why, "fsync of f0 by test"));
	assert_non_null(strstr(why, "offset 10 (page 0)"));
	put_page(page);
}

/*
 * What a device wrote is promised only once it released the page dirty:
 * before, fsync was never told of it.
 */
static void dma_is_promised_after_a_dirty_release(void **state)
{
	struct test_machine *tm = *state;
	struct page *page = page0(tm);
	u8 v[8] = "devwrote";

	write_begin(true, page, v, sizeof(v));
	memcpy((u8 *)page_address(page) + 10, v, sizeof(v));
	write_end(true, page, v, sizeof(v));
	assert_int_equal(vfs_fsync(&tm->file, 0), 0);	/* page is clean */
	assert_int_equal(oracle_durability(NULL, 0), 0);
	trace_dma_release_begin(page, true);
	trace_dma_release(page, true);			/* but not dirtied */
	assert_int_equal(vfs_fsync(&tm->file, 0), 0);
	assert_int_equal(oracle_durability(NULL, 0), (long long)sizeof(v));
	put_page(page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ORACLE_TEST(overlapping_writers_leave_either),
		ORACLE_TEST(sequential_writers_leave_the_last),
		ORACLE_TEST(a_load_during_a_write_may_see_either),
		ORACLE_TEST(a_write_racing_a_truncation_is_not_judged),
		ORACLE_TEST(fsync_returns_with_the_stores_on_the_device),
		ORACLE_TEST(fsync_that_writes_nothing_is_caught),
		ORACLE_TEST(dma_is_promised_after_a_dirty_release),
	};

	return cmocka_run_group_tests_name("oracle", tests, NULL, NULL);
}
