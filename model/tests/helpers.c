// SPDX-License-Identifier: GPL-2.0
/*
 * The test fixture and shared helpers.  See helpers.h.
 *
 * The boot and the teardown follow harness/run.c's machine_boot() and
 * machine_teardown(), minus what the tests do not want: no oracle, no
 * flusher thread, no kswapd, no scenario actors.  The journal's commit
 * thread runs (fsync waits for its commit); ext4_put_super() stops it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/jbd2.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/panic.h>
#include <linux/printk.h>

#include "helpers.h"

void buffer_heads_teardown(void);

const struct tm_config tm_vanilla = {
	.policy = "vanilla", .blocksize = 4096, .memory_pages = 64,
	.size = 4 * PAGE_SIZE, .max_size = 8 * PAGE_SIZE,
};

const struct tm_config tm_seed = {
	.policy = "seed", .blocksize = 4096, .memory_pages = 64,
	.size = 4 * PAGE_SIZE, .max_size = 8 * PAGE_SIZE,
};

const struct tm_config tm_upstream = {
	.policy = "upstream", .blocksize = 4096, .memory_pages = 64,
	.size = 4 * PAGE_SIZE, .max_size = 8 * PAGE_SIZE,
};

const struct tm_config tm_bounce = {
	.policy = "bounce", .blocksize = 4096, .memory_pages = 64,
	.size = 4 * PAGE_SIZE, .max_size = 8 * PAGE_SIZE,
};

const struct tm_config tm_vanilla_1k = {
	.policy = "vanilla", .blocksize = 1024, .memory_pages = 64,
	.size = 1536, .max_size = 8 * PAGE_SIZE,
};

const struct tm_config tm_bounce_1k = {
	.policy = "bounce", .blocksize = 1024, .memory_pages = 64,
	.size = 1536, .max_size = 8 * PAGE_SIZE,
};

const struct tm_config tm_seed_1k = {
	.policy = "seed", .blocksize = 1024, .memory_pages = 64,
	.size = 1536, .max_size = 8 * PAGE_SIZE,
};

const struct pinmm_options tm_free_running = {
	.sched = PINMM_SCHED_FREE,
	.hung_task_timeout_us = 60 * 1000 * 1000,
};

u8 tm_initial_byte(loff_t pos)
{
	return (u8)(pos * 13 + (pos >> 12) * 101 + 7);
}

int tm_setup(void **state)
{
	const struct tm_config *cfg = *state;
	struct test_machine *tm = calloc(1, sizeof(*tm));
	u64 disk_bytes = 64ULL * cfg->blocksize + 2 * (u64)cfg->max_size;
	unsigned char *data;

	if (!tm)
		return -1;
	tm->cfg = cfg;
	printk_reset(0);
	lockdep_reset();
	clock_reset();
	sched_init(1);
	vm_events_reset();
	wait_bit_init();
	pin_policy_set(pin_policy_find(cfg->policy));
	tm->task = task_adopt_current("test");
	if (mem_init(cfg->memory_pages, 1))
		goto fail;
	if (blkdev_open(&tm->bdev, NULL, disk_bytes))
		goto fail;
	if (ext4_fill_super(&tm->sb, &tm->bdev, cfg->blocksize,
			    disk_bytes / cfg->blocksize))
		goto fail;
	wb_init(&tm->wb, &tm->sb);
	/* The journal commits when asked (fsync, sync), as with no timer. */
	jbd2_journal_start_thread(tm->sb.s_journal, 0);
	data = malloc((size_t)cfg->size);
	if (!data)
		goto fail;
	for (loff_t i = 0; i < cfg->size; i++)
		data[i] = tm_initial_byte(i);
	tm->inode = ext4_create(&tm->sb, "f0", cfg->size, cfg->max_size, data);
	free(data);
	if (!tm->inode)
		goto fail;
	file_init(&tm->file, tm->inode);
	tm->mm = mm_alloc("proc0");
	tm->mm2 = mm_alloc("proc1");
	if (!tm->mm || !tm->mm2)
		goto fail;
	*state = tm;
	return 0;
fail:
	fprintf(stderr, "tm_setup: cannot boot the test machine\n");
	return -1;
}

int tm_teardown(void **state)
{
	struct test_machine *tm = *state;

	/* Tasks may have died mid-path (a BUG): free, do not walk. */
	if (tm->mm)
		mm_free_dead(tm->mm);
	if (tm->mm2)
		mm_free_dead(tm->mm2);
	buffer_heads_teardown();
	if (tm->sb.s_block_bitmap) {
		wb_exit(&tm->wb);
		ext4_put_super(&tm->sb);
	}
	blkdev_close(&tm->bdev);
	mem_exit();
	wait_bit_exit();
	sched_exit();
	task_unadopt_current();
	free(tm);
	return 0;
}

unsigned long tm_mmap(struct test_machine *tm, struct mm_struct *mm,
		      pgoff_t pgoff, unsigned long npages, bool writable)
{
	return do_mmap(mm, &tm->file, npages * PAGE_SIZE,
		       VM_SHARED | (writable ? VM_WRITE : 0), pgoff);
}

struct page *tm_cached_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page = find_get_page(mapping, index);

	if (page)
		put_page(page);
	return page;
}

pte_t tm_pte(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (!vma)
		return (pte_t){ 0 };
	return ptep_get(vma_pte(vma, addr));
}

bool page_on_lru_list(struct page *page, enum lru_list lru)
{
	pg_data_t *pgdat = page_pgdat(page);
	struct page *p;
	bool found = false;

	spin_lock(&pgdat->lru_lock);
	list_for_each_entry(p, &pgdat->lruvec.lists[lru], lru)
		if (p == page)
			found = true;
	spin_unlock(&pgdat->lru_lock);
	return found;
}

struct buffer_head *tm_first_buffer(struct page *page)
{
	return PagePrivate(page) ? (struct buffer_head *)page_private(page) :
				   NULL;
}

unsigned long tm_shrink(int passes)
{
	unsigned long reclaimed = 0;

	for (int i = 0; i < passes; i++) {
		struct scan_control sc = {
			.nr_to_reclaim = 1024,
			.gfp_mask = GFP_KERNEL,
		};

		reclaimed += shrink_node(NODE_DATA(0), &sc);
	}
	return reclaimed;
}

void tm_flusher_pass(void *arg)
{
	struct test_machine *tm = arg;

	tm->wb.dirty_writeback_interval = 1;
	tm->wb.last_old_flush = 0;
	wb_workfn(&tm->wb);
}

void tm_writeback(struct test_machine *tm, enum writeback_sync_modes mode)
{
	writeback_inodes_wb(&tm->wb, LONG_MAX, mode, WB_REASON_PERIODIC);
}

int tm_read_disk(struct test_machine *tm, struct inode *inode, loff_t pos,
		 void *buf, size_t len)
{
	unsigned int bsize = i_blocksize(inode);
	char *p = buf;

	while (len) {
		sector_t iblock = (sector_t)(pos / bsize);
		unsigned int off = (unsigned int)(pos % bsize);
		size_t n = min_t(size_t, len, bsize - off);
		sector_t blk = ext4_bmap(inode, iblock);
		int err;

		if (!blk) {
			memset(p, 0, n);
		} else {
			err = blkdev_read(&tm->bdev, p, n,
					  (u64)blk * bsize + off);
			if (err)
				return err;
		}
		p += n;
		pos += (loff_t)n;
		len -= n;
	}
	return 0;
}

static void task_call_fn(void *arg)
{
	struct task_call *tc = arg;

	tc->fn(tc->arg);
	tc->pin_waits = current->pin_waits;
	__atomic_store_n(&tc->returned, 1, __ATOMIC_RELEASE);
}

void task_call_start(struct task_call *tc, void (*fn)(void *), void *arg,
		     const char *name)
{
	memset(tc, 0, sizeof(*tc));
	tc->fn = fn;
	tc->arg = arg;
	tc->task = task_create(task_call_fn, tc, name);
	task_start(tc->task);
}

bool task_call_join(struct task_call *tc)
{
	task_join(tc->task);
	task_free(tc->task);
	tc->task = NULL;
	return __atomic_load_n(&tc->returned, __ATOMIC_ACQUIRE);
}

bool run_in_task(void (*fn)(void *), void *arg, const char *name)
{
	struct task_call tc;

	task_call_start(&tc, fn, arg, name);
	return task_call_join(&tc);
}

static u64 host_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + (u64)ts.tv_nsec / 1000000;
}

bool wait_for_vm_event(enum vm_event_item item, long value)
{
	u64 deadline = host_now_ms() + 30000;

	while (vm_event_read(item) < value) {
		if (host_now_ms() > deadline)
			return false;
		usleep(100);
	}
	return true;
}

bool functions_in_order(const char *functions, const char *const *names)
{
	const char *p = functions;

	for (; *names; names++) {
		size_t n = strlen(*names);
		const char *hit = NULL;

		/*
		 * The next word equal to *names after p, or to one of the
		 * compiler's clones of it (name.isra.0, name.constprop.0),
		 * which the kernel's traces show as well.
		 */
		for (const char *q = p; (q = strstr(q, *names)) != NULL; q++) {
			if ((q == functions || q[-1] == ' ') &&
			    (q[n] == ' ' || q[n] == '\0' || q[n] == '.')) {
				hit = q;
				break;
			}
		}
		if (!hit)
			return false;
		p = hit + n;
	}
	return true;
}

static char scenario_dir[] = "/tmp/pinmm-test-XXXXXX";

static void remove_scenario_dir(void)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", scenario_dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", scenario_dir);
}

const char *tm_scenario_file(const char *name, const char *text)
{
	static char path[128];
	static bool made;
	FILE *f;

	if (!made) {
		if (!mkdtemp(scenario_dir))
			fail_msg("cannot make a directory for scenario files");
		atexit(remove_scenario_dir);
		made = true;
	}
	snprintf(path, sizeof(path), "%s/%s.ini", scenario_dir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f))
		fail_msg("cannot write %s", path);
	return path;
}
