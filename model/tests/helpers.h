/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test fixture: a small machine booted without the scenario harness
 * (memory, a block device, the ext4-like filesystem with one file, a
 * writeback context without its flusher thread, and two processes), with
 * the test's own thread adopted as a task.  Plus the helpers that the
 * tests share: run a function in a spawned task, wait for an event,
 * inspect PTEs and LRU lists, and read a file back from the device.
 */
#ifndef _TESTS_HELPERS_H
#define _TESTS_HELPERS_H

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <pinmm/pinmm.h>

#include <linux/blkdev.h>
#include <linux/buffer_head.h>
#include <linux/dma_dev.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/sched.h>
#include <linux/swap.h>
#include <linux/writeback.h>

#include "../fs/ext4/ext4.h"
#include "../mm/pin_policy.h"

struct tm_config {
	const char *policy;		/* a name of pin_policies[] */
	unsigned int blocksize;		/* 1024 or 4096 */
	unsigned long memory_pages;
	loff_t size;			/* the file's size at boot */
	loff_t max_size;
};

struct test_machine {
	const struct tm_config *cfg;
	struct block_device bdev;
	struct super_block sb;
	struct bdi_writeback wb;
	struct inode *inode;
	struct file file;
	struct mm_struct *mm;		/* two processes */
	struct mm_struct *mm2;
	struct task_struct *task;	/* the test's thread */
};

/* Configurations: 4 KiB blocks, a 4-page file in 64 pages of memory. */
extern const struct tm_config tm_vanilla;
extern const struct tm_config tm_seed;
extern const struct tm_config tm_upstream;
extern const struct tm_config tm_bounce;
/* 1 KiB blocks, a 1536-byte file (for pagecache_isize_extended). */
extern const struct tm_config tm_vanilla_1k;
extern const struct tm_config tm_seed_1k;
extern const struct tm_config tm_bounce_1k;

int tm_setup(void **state);
int tm_teardown(void **state);

#define TM_TEST(fn, cfg)                                                       \
	cmocka_unit_test_prestate_setup_teardown(fn, tm_setup, tm_teardown,   \
						 (void *)&(cfg))

/* The byte at @pos of the file as created at boot. */
u8 tm_initial_byte(loff_t pos);

/* mmap() @npages of the file from page @pgoff, shared, writable or not. */
unsigned long tm_mmap(struct test_machine *tm, struct mm_struct *mm,
		      pgoff_t pgoff, unsigned long npages, bool writable);

/* The page cached at @index, or NULL; no reference is kept. */
struct page *tm_cached_page(struct address_space *mapping, pgoff_t index);

/* The PTE that maps @addr in @mm (a VMA must cover it). */
pte_t tm_pte(struct mm_struct *mm, unsigned long addr);

/* Is @page on the @lru list of its node? (walks the list) */
bool page_on_lru_list(struct page *page, enum lru_list lru);

/* The first buffer of @page (NULL if none). */
struct buffer_head *tm_first_buffer(struct page *page);

/* Direct reclaim: @passes calls of shrink_node() on node 0. */
unsigned long tm_shrink(int passes);

/* One kupdate-style pass of the flusher, from wb_workfn() down (@tm). */
void tm_flusher_pass(void *tm);

/* Cleaning writeback of every dirty inode, as the flusher does it. */
void tm_writeback(struct test_machine *tm, enum writeback_sync_modes mode);

/*
 * Read @len bytes at @pos of @inode from the block device, through the
 * block map (holes read as zeroes).  Returns 0 or a negative errno.
 */
int tm_read_disk(struct test_machine *tm, struct inode *inode, loff_t pos,
		 void *buf, size_t len);

/* A function run by a spawned task, which a BUG may end. */
struct task_call {
	void (*fn)(void *arg);
	void *arg;
	struct task_struct *task;
	int returned;			/* fn returned (no BUG) */
	unsigned long pin_waits;	/* the task's, when fn returned */
};

void task_call_start(struct task_call *tc, void (*fn)(void *), void *arg,
		     const char *name);
/* Join the task; true if fn returned, false if a BUG ended it. */
bool task_call_join(struct task_call *tc);
/* Both at once. */
bool run_in_task(void (*fn)(void *), void *arg, const char *name);

/*
 * Wait until the event counter @item reaches @value, polling; false after
 * a generous bound (30 s) without it.  For an event, not for a timing.
 */
bool wait_for_vm_event(enum vm_event_item item, long value);

/*
 * For free-running runs whose verdict holds on every schedule: a hung-task
 * timeout of a minute, so that a host that starves a run (other processes
 * on the cores) makes it slow, not a hang.  (A device's gup can go round
 * its fault-and-retry loop for long while a busy flusher keeps cleaning
 * the page, when the host runs it seldom enough.)
 */
extern const struct pinmm_options tm_free_running;

/*
 * Write @text to a scenario file NAME.ini in a directory of this test
 * process (removed at exit); returns its path, valid until the next call.
 */
const char *tm_scenario_file(const char *name, const char *text);

/*
 * Are @names (NULL-terminated) all in @functions, a space-separated call
 * trace, in that order?  A compiler clone (name.isra.0) counts as name.
 */
bool functions_in_order(const char *functions, const char *const *names);

#endif /* _TESTS_HELPERS_H */
