// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios through the public API (pinmm_run): seed-bug under vanilla
 * oopses through ext4_writepage in at least 90% of deterministic runs
 * over fixed seeds and strategies (whether a free-running run oopses
 * depends on how the host schedules it, so no share of those is
 * asserted), and passes otherwise; what passes on every schedule (seed-bug
 * under seed, baseline, and the scenarios below) is asserted free-running
 * too.  Runs per case: PINMM_TEST_RUNS (default 50).  No timing is
 * asserted, only verdicts and counters.
 */
#include <stdlib.h>
#include <string.h>

#include <pinmm/pinmm.h>

#include "helpers.h"

static int nr_runs(void)
{
	const char *s = getenv("PINMM_TEST_RUNS");
	int n = s ? atoi(s) : 50;

	return n > 0 ? n : 50;
}

static long counter(const struct pinmm_result *r, const char *name)
{
	long v = pinmm_result_counter(r, name);

	if (v < 0)
		fail_msg("no counter %s", name);
	return v;
}

static void seed_bug_vanilla_oopses_in_ext4_writepage(void **state)
{
	static const char *const trace[] = {
		"ext4_writepage", "__writepage", "write_cache_pages", NULL,
	};
	static const char *const strategies[] = { "fifo", "random", "pct:2", "pct:3" };
	int runs = nr_runs(), oopses = 0;

	(void)state;
	for (int i = 0; i < runs; i++) {
		struct pinmm_options o = {
			.sched = PINMM_SCHED_DET,
			.strategy = strategies[i % 4],
			.strategy_seed = (u64)i,
		};
		struct pinmm_result r;

		assert_int_equal(pinmm_run("seed-bug", "vanilla", (u64)i + 1, &o, &r), 0);
		if (r.verdict == PINMM_OOPS) {
			oopses++;
			if (strncmp(r.oops, "kernel BUG at fs/ext4/inode.c:",
				    strlen("kernel BUG at fs/ext4/inode.c:")) ||
			    !functions_in_order(r.oops_functions, trace))
				fail_msg("seed %d: oops '%s' through '%s'", i + 1,
					 r.oops, r.oops_functions);
			assert_true(counter(&r, "buffers_dropped") > 0);
		} else if (r.verdict != PINMM_PASS) {
			fail_msg("seed %d: %s", i + 1, pinmm_verdict_name(r.verdict));
		}
		pinmm_result_free(&r);
	}
	print_message("seed-bug vanilla: %d oops in %d runs\n", oopses, runs);
	assert_true(oopses * 10 >= runs * 9);
}

/*
 * Every run passes with no byte lost and its pins all released, half of
 * them free-running; in the deterministic half cleaning writeback skipped
 * the pinned pages (a free-running run's flusher may have no pass in the
 * pin's time on a starved host).
 */
static void seed_bug_seed_passes_without_loss(void **state)
{
	int runs = nr_runs();

	(void)state;
	for (int i = 0; i < runs; i++) {
		struct pinmm_options o = {
			.sched = PINMM_SCHED_DET,
			.strategy = "pct:3",
			.strategy_seed = (u64)i,
		};
		struct pinmm_result r;

		if (i % 2)
			o = tm_free_running;
		assert_int_equal(pinmm_run("seed-bug", "seed", (u64)i + 1, &o, &r), 0);
		if (r.verdict != PINMM_PASS)
			fail_msg("seed %d: %s %s%s", i + 1,
				 pinmm_verdict_name(r.verdict), r.oops, r.loss);
		assert_true(r.bytes_checked);
		assert_int_equal(r.bytes_lost, 0);
		assert_int_equal(r.oops[0], '\0');
		assert_int_equal(counter(&r, "nr_foll_pin_acquired"),
				 counter(&r, "nr_foll_pin_released"));
		if (o.sched == PINMM_SCHED_DET)
			assert_true(counter(&r, "mkclean_pinned_skipped") > 0);
		pinmm_result_free(&r);
	}
}

static void baseline_passes(const char *policy)
{
	int runs = nr_runs();

	for (int i = 0; i < runs; i++) {
		struct pinmm_result r;

		assert_int_equal(pinmm_run("baseline", policy, (u64)i + 1,
					   &tm_free_running, &r), 0);
		if (r.verdict != PINMM_PASS)
			fail_msg("%s seed %d: %s %s%s%s", policy, i + 1,
				 pinmm_verdict_name(r.verdict), r.oops, r.loss,
				 r.hang);
		assert_true(r.bytes_checked);
		assert_int_equal(r.bytes_lost, 0);
		/* Real eviction, and the 128-page file read back. */
		assert_true(counter(&r, "pgsteal_kswapd") +
			    counter(&r, "pgsteal_direct") > 0);
		assert_true(counter(&r, "pgmajfault") > 128);
		assert_int_equal(counter(&r, "nr_foll_pin_acquired"), 0);
		pinmm_result_free(&r);
	}
}

static void baseline_vanilla_passes_with_eviction(void **state)
{
	(void)state;
	baseline_passes("vanilla");
}

static void baseline_seed_passes_with_eviction(void **state)
{
	(void)state;
	baseline_passes("seed");
}

/*
 * Every run of @scenario passes under both policies: deterministic random
 * schedules from fixed seeds, and free-running runs; @counter (if any)
 * must be @want in each.
 */
static void every_run_passes(const char *scenario, const char *name, long want)
{
	static const char *const policies[] = { "vanilla", "seed" };

	for (int p = 0; p < 2; p++) {
		for (int i = 0; i < 10; i++) {
			struct pinmm_options o = {
				.sched = PINMM_SCHED_DET,
				.strategy = "random",
				.strategy_seed = (u64)i,
			};

			if (i % 2)
				o = tm_free_running;
			struct pinmm_result r;

			assert_int_equal(pinmm_run(scenario, policies[p],
						   (u64)i + 1, &o, &r), 0);
			if (r.verdict != PINMM_PASS)
				fail_msg("%s %s %s run %d: %s %s", scenario,
					 policies[p], o.sched ? "det" : "free", i,
					 pinmm_verdict_name(r.verdict), r.loss);
			if (name && counter(&r, name) != want)
				fail_msg("%s: %s=%ld, want %ld", scenario, name,
					 counter(&r, name), want);
			pinmm_result_free(&r);
		}
	}
}

/*
 * Page faults racing hole punches lose nothing: ext4 serialises them
 * (i_mmap_sem).  Without the serialisation every random schedule of it
 * loses data.
 */
static void fault_vs_punch_loses_nothing(void **state)
{
	(void)state;
	every_run_passes("fault-vs-punch", NULL, 0);
}

/*
 * Writers that touch the same bytes at the same moment are no data loss.
 * (The oracle that kept one value per byte, the last one recorded, called
 * 294 of 300 free-running runs data-loss.)
 */
static void overlapping_writers_are_no_loss(void **state)
{
	(void)state;
	every_run_passes("overlap-writers", "dma_bursts", 30);
}

/*
 * fsync's promise, checked when it returns: under the seed a store after
 * cleaning writeback skipped a pinned page is not on the device when the
 * fsync returns (it gets there at munmap, so the check after the final
 * sync alone finds nothing); under vanilla it is.  Deterministic: the
 * cleaning pass must run while the page is pinned.
 */
static void fsync_after_skip_breaks_the_promise_under_seed(void **state)
{
	struct pinmm_options o = { .sched = PINMM_SCHED_DET };
	struct pinmm_result r;

	(void)state;
	assert_int_equal(pinmm_run("fsync-after-skip", "vanilla", 1, &o, &r), 0);
	assert_int_equal(r.verdict, PINMM_PASS);
	assert_int_equal(r.fsync_lost, 0);
	pinmm_result_free(&r);

	assert_int_equal(pinmm_run("fsync-after-skip", "seed", 1, &o, &r), 0);
	assert_int_equal(r.verdict, PINMM_DATA_LOSS);
	assert_true(r.fsync_lost > 0);
	assert_int_equal(r.bytes_lost, 0);
	assert_non_null(strstr(r.loss, "fsync of f0 by proc0 returned at"));
	assert_true(counter(&r, "mkclean_pinned_skipped") > 0);
	pinmm_result_free(&r);
}

static void unknown_names_are_errors_not_runs(void **state)
{
	struct pinmm_result r;

	(void)state;
	assert_int_equal(pinmm_run("no-such", "vanilla", 1, NULL, &r), -1);
	assert_int_equal(r.verdict, PINMM_ERROR);
	assert_non_null(strstr(r.error, "no-such"));
	pinmm_result_free(&r);
	assert_int_equal(pinmm_run("seed-bug", "no-such", 1, NULL, &r), -1);
	assert_non_null(strstr(r.error, "no-such"));
	pinmm_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed_bug_vanilla_oopses_in_ext4_writepage),
		cmocka_unit_test(seed_bug_seed_passes_without_loss),
		cmocka_unit_test(baseline_vanilla_passes_with_eviction),
		cmocka_unit_test(baseline_seed_passes_with_eviction),
		cmocka_unit_test(fault_vs_punch_loses_nothing),
		cmocka_unit_test(overlapping_writers_are_no_loss),
		cmocka_unit_test(fsync_after_skip_breaks_the_promise_under_seed),
		cmocka_unit_test(unknown_names_are_errors_not_runs),
	};

	return cmocka_run_group_tests_name("scenarios", tests, NULL, NULL);
}
