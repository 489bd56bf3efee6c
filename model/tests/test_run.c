// SPDX-License-Identifier: GPL-2.0
/*
 * Every run ends by itself with a verdict, in both scheduling modes: a
 * refused pin is `refused` even when others wait for the device; a task
 * waiting for an event that no task can signal any more is a hang that
 * names the wait, found when it becomes so, not at a timeout; the kernel
 * threads stop even when the event that would have started kswapd never
 * came; and run_timeout holds, in model time when deterministic.
 *
 * The whole binary runs under an alarm: a run that does not end fails it.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pinmm/pinmm.h>

#include "helpers.h"

static const struct pinmm_options free_opts = { .sched = PINMM_SCHED_FREE };
static const struct pinmm_options det_opts = { .sched = PINMM_SCHED_DET };

/* A test taking its options as its state, free-running and deterministic. */
#define BOTH_MODES(fn)                                                         \
	cmocka_unit_test_prestate(fn, (void *)&free_opts),                     \
	cmocka_unit_test_prestate(fn, (void *)&det_opts)

/*
 * The device's pin finds no mapping (the process unmapped it), so it is
 * refused; kswapd was to start at the pin, and the process waits for the
 * device's release.
 */
static const char refused_text[] =
	"[global]\n"
	"description = a refused pin, with kswapd and a process waiting for the device\n"
	"events = mapped, pinned, released\n"
	"hung_task_timeout = 60s\n"
	"run_timeout = 60s\n"
	"[file f0]\n"
	"size = 4p\n"
	"[reclaim]\n"
	"start = pinned\n"
	"[process proc0]\n"
	"step = mmap file=f0\n"
	"step = munmap map=0\n"
	"step = signal event=mapped\n"
	"step = wait event=released\n"
	"[device dev0]\n"
	"step = wait event=mapped\n"
	"step = pin process=proc0\n"
	"step = signal event=pinned\n"
	"step = release\n"
	"step = signal event=released\n";

static void refused_pin_is_refused(void **state)
{
	const struct pinmm_options *o = *state;
	const char *path = tm_scenario_file("refused", refused_text);
	struct pinmm_result r;

	assert_int_equal(pinmm_run(path, "seed", 1, o, &r), 0);
	if (r.verdict != PINMM_REFUSED)
		fail_msg("%s: %s (%s)", o->sched ? "det" : "free",
			 pinmm_verdict_name(r.verdict), r.hang);
	assert_non_null(strstr(r.refused, "get_user_pages"));
	/* The wait that could never end is named all the same. */
	assert_non_null(strstr(r.hang, "proc0"));
	assert_non_null(strstr(r.hang, "released"));
	assert_string_equal(r.hang_class, "");
	pinmm_result_free(&r);
}

/*
 * The process's step fails (memory_failure of a page nobody cached); a
 * kthread waits for the event it would have signalled.  The hung-task
 * timeout is an hour: only seeing that no task can signal ends the run.
 */
static const char failed_step_text[] =
	"[global]\n"
	"description = a failed step, and a kthread waiting for what it would have signalled\n"
	"events = poisoned\n"
	"hung_task_timeout = 3600s\n"
	"run_timeout = 3600s\n"
	"[file f0]\n"
	"size = 4p\n"
	"[kthread poisoner]\n"
	"step = memory_failure file=f0 offset=1p\n"
	"step = signal event=poisoned\n"
	"[kthread waiter]\n"
	"step = wait event=poisoned\n"
	"step = sync\n";

static void stranded_wait_is_named(void **state)
{
	const struct pinmm_options *o = *state;
	const char *path = tm_scenario_file("failed-step", failed_step_text);
	struct pinmm_result r;

	assert_int_equal(pinmm_run(path, "vanilla", 1, o, &r), 0);
	/* The failed step is the cause; the wait it stranded is named. */
	assert_int_equal(r.verdict, PINMM_ERROR);
	/* Where the step is written, as the parser says it. */
	assert_non_null(strstr(r.error,
			       "failed-step.ini:9: [kthread poisoner] step 1 (memory_failure) failed: "));
	assert_non_null(strstr(r.hang, "waiter"));
	assert_non_null(strstr(r.hang, "poisoned"));
	assert_non_null(strstr(r.hang, "no task can signal"));
	pinmm_result_free(&r);
}

/* A process that sleeps a millisecond, a million times over. */
static const char endless_text[] =
	"[global]\n"
	"description = a workload longer than its run_timeout\n"
	"run_timeout = 20ms\n"
	"[file f0]\n"
	"size = 4p\n"
	"[process proc0]\n"
	"loops = 1000000\n"
	"step = sleep time=1ms\n";

/* Deterministic, in model time: at 20 ms of it, whatever the host does. */
static void run_timeout_holds(void **state)
{
	const struct pinmm_options *o = *state;
	const char *path = tm_scenario_file("endless", endless_text);
	struct pinmm_result r;

	assert_int_equal(pinmm_run(path, "vanilla", 1, o, &r), 0);
	assert_int_equal(r.verdict, PINMM_HANG);
	assert_string_equal(r.hang_class, "timeout");
	assert_non_null(strstr(r.hang, "proc0"));
	if (o->sched == PINMM_SCHED_DET)
		assert_true(r.duration_us >= 20000 && r.duration_us <= 21000);
	pinmm_result_free(&r);
}

/*
 * A store beyond EOF raises SIGBUS, as in Linux: the process is killed
 * (no more steps; it exits, its mappings go), and that is no verdict of
 * the kernel's: the run passes, saying so.  (It was an 'error'.)
 */
static const char sigbus_text[] =
	"[global]\n"
	"description = a process stores beyond EOF after a truncate\n"
	"[file f0]\n"
	"size = 4p\n"
	"[process proc0]\n"
	"step = mmap file=f0\n"
	"step = store map=0\n"
	"step = truncate file=f0 size=1p\n"
	"step = store map=0 offset=2p len=100\n"
	"step = fsync file=f0\n";

static void store_beyond_eof_is_sigbus(void **state)
{
	const char *path = tm_scenario_file("sigbus", sigbus_text);
	struct pinmm_result r;

	(void)state;
	for (int det = 0; det < 2; det++) {
		assert_int_equal(pinmm_run(path, "vanilla", 1,
					   det ? &det_opts : &free_opts, &r), 0);
		assert_int_equal(r.verdict, PINMM_PASS);
		assert_non_null(strstr(r.signals, "proc0"));
		assert_non_null(strstr(r.signals, "SIGBUS"));
		assert_non_null(strstr(r.signals, "sigbus.ini:9: [process proc0] step 4 (store)"));
		/* Killed at the store: the fsync after it never ran. */
		assert_int_equal(pinmm_result_counter(&r, "fsync_calls"), 0);
		pinmm_result_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH_MODES(refused_pin_is_refused),
		BOTH_MODES(stranded_wait_is_named),
		BOTH_MODES(run_timeout_holds),
		cmocka_unit_test(store_beyond_eof_is_sigbus),
	};

	alarm(300);	/* a run that never ends fails the binary */
	return cmocka_run_group_tests_name("run", tests, NULL, NULL);
}
