// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario steps at work: close and unlink, a loop's own map slot, and
 * check_disk, run deterministically and free-running (their verdicts
 * hold on every schedule).
 */
#include <string.h>

#include <pinmm/pinmm.h>

#include "helpers.h"

static const struct pinmm_options det_opts = { .sched = PINMM_SCHED_DET };

static void run_both(const char *name, const char *text, const char *policy,
		     void (*check)(const struct pinmm_result *r))
{
	const char *path = tm_scenario_file(name, text);

	for (int det = 0; det < 2; det++) {
		struct pinmm_result r;

		assert_int_equal(pinmm_run(path, policy, 1,
					   det ? &det_opts : &tm_free_running, &r), 0);
		check(&r);
		pinmm_result_free(&r);
	}
}

/*
 * close drops the descriptor, not the mapping: stores through it go on,
 * and the next fsync opens the file again.
 */
static const char close_text[] =
	"[global]\n"
	"description = close a file that stays mapped, and use it again\n"
	"[file f0]\n"
	"size = 4p\n"
	"[process p]\n"
	"step = mmap file=f0\n"
	"step = store map=0\n"
	"step = close file=f0\n"
	"step = store map=0\n"
	"step = fsync file=f0\n"
	"step = close file=f0\n"
	"step = verify map=0\n";

static void check_close(const struct pinmm_result *r)
{
	if (r->verdict != PINMM_PASS)
		fail_msg("%s: %s %s", pinmm_verdict_name(r->verdict), r->error,
			 r->loss);
	assert_int_equal(pinmm_result_counter(r, "fsync_calls"), 1);
}

static void close_keeps_the_mapping(void **state)
{
	(void)state;
	run_both("close", close_text, "vanilla", check_close);
}

/*
 * An unlinked file lives while a process maps it; its last munmap evicts
 * it: its pages leave the page cache and nothing of it is checked any
 * more.  A pinned page of it stays the device's, an orphan.  Another
 * process that opens it afterwards gets -ENOENT.
 */
static const char unlink_text[] =
	"[global]\n"
	"description = unlink a mapped and pinned file; the last munmap evicts it\n"
	"events = mapped, pinned, unlinked, released\n"
	"[file f0]\n"
	"size = 8p\n"
	"[process p]\n"
	"step = mmap file=f0\n"
	"step = store map=0\n"
	"step = signal event=mapped\n"
	"step = wait event=pinned\n"
	"step = unlink file=f0\n"
	"step = store map=0\n"
	"step = signal event=unlinked\n"
	"step = munmap map=0\n"
	"step = wait event=released\n"
	"[device d]\n"
	"step = wait event=mapped\n"
	"step = pin process=p len=2p\n"
	"step = signal event=pinned\n"
	"step = wait event=unlinked\n"
	"step = dma count=4\n"
	"step = release dirty=yes\n"
	"step = signal event=released\n";

static void check_unlink(const struct pinmm_result *r)
{
	if (r->verdict != PINMM_PASS)
		fail_msg("%s: %s %s %s", pinmm_verdict_name(r->verdict), r->error,
			 r->loss, r->hang);
	/* Evicted at the munmap: all 8 cached pages truncated. */
	assert_int_equal(pinmm_result_counter(r, "pgtruncate"), 8);
	assert_int_equal(pinmm_result_counter(r, "nr_foll_pin_released"), 2);
}

static void unlink_evicts_at_the_last_munmap(void **state)
{
	(void)state;
	run_both("unlink", unlink_text, "seed", check_unlink);
}

static const char unlinked_open_text[] =
	"[global]\n"
	"description = a process opens a file another unlinked\n"
	"events = gone\n"
	"[file f0]\n"
	"size = 4p\n"
	"[kthread remover]\n"
	"step = unlink file=f0\n"
	"step = signal event=gone\n"
	"[process late]\n"
	"step = wait event=gone\n"
	"step = mmap file=f0\n";

static void check_unlinked_open(const struct pinmm_result *r)
{
	assert_int_equal(r->verdict, PINMM_ERROR);
	assert_non_null(strstr(r->error, ":11: [process late] step 2 (mmap) failed: No such file or directory"));
}

static void opening_an_unlinked_file_fails(void **state)
{
	(void)state;
	run_both("unlinked-open", unlinked_open_text, "vanilla",
		 check_unlinked_open);
}

/* A loop maps, uses and unmaps its own slot, a hundred times over. */
static const char loop_text[] =
	"[global]\n"
	"description = a loop that maps and unmaps the same slot\n"
	"[file f0]\n"
	"size = 8p\n"
	"[process p]\n"
	"loops = 99\n"
	"step = mmap file=f0 offset=4p map=5\n"
	"step = store map=5 count=2 random=yes\n"
	"step = verify map=5\n"
	"step = munmap map=5\n";

static void check_loop(const struct pinmm_result *r)
{
	if (r->verdict != PINMM_PASS)
		fail_msg("%s: %s %s", pinmm_verdict_name(r->verdict), r->error,
			 r->loss);
	/* 100 mappings of 4 pages, each faulted for write at least once. */
	assert_true(pinmm_result_counter(r, "page_mkwrite") >= 100);
}

static void a_loop_reuses_its_map_slot(void **state)
{
	(void)state;
	run_both("loop", loop_text, "vanilla", check_loop);
}

/*
 * check_disk: after an fsync the stores are on the device; before it
 * (no flusher), they are not, and the step says so as data-loss.
 */
static const char check_disk_text[] =
	"[global]\n"
	"description = check the device before and after an fsync\n"
	"[file f0]\n"
	"size = 4p\n"
	"[flusher]\n"
	"interval = 0\n"
	"[process p]\n"
	"step = mmap file=f0\n"
	"step = store map=0\n"
	"step = fsync file=f0\n"
	"step = check_disk file=f0\n"
	"step = store map=0 offset=1p len=100\n"
	"step = check_disk file=f0\n";

static void check_check_disk(const struct pinmm_result *r)
{
	assert_int_equal(r->verdict, PINMM_DATA_LOSS);
	/* The 100 bytes, but for those the old ones happen to equal. */
	assert_true(r->fsync_lost > 0 && r->fsync_lost <= 100);
	assert_int_equal(r->bytes_lost, 0);	/* the final sync wrote them */
	assert_non_null(strstr(r->loss, ":13: [process p] step 6 (check_disk) ran at"));
	assert_non_null(strstr(r->loss, "offset 4096 (page 1)"));
}

static void check_disk_sees_what_is_not_written_yet(void **state)
{
	(void)state;
	run_both("check-disk", check_disk_text, "vanilla", check_check_disk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(close_keeps_the_mapping),
		cmocka_unit_test(unlink_evicts_at_the_last_munmap),
		cmocka_unit_test(opening_an_unlinked_file_fails),
		cmocka_unit_test(a_loop_reuses_its_map_slot),
		cmocka_unit_test(check_disk_sees_what_is_not_written_yet),
	};

	return cmocka_run_group_tests_name("steps", tests, NULL, NULL);
}
