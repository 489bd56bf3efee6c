/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The watchdog and the judge of a run (harness/watchdog.c, judge.c).
 */
#ifndef _HARNESS_WATCHDOG_H
#define _HARNESS_WATCHDOG_H

#include <linux/types.h>

struct machine;
struct pinmm_result;

enum watch_end { WATCH_DONE, WATCH_OOPS, WATCH_HANG };

/* khungtaskd's report of a hang, and the pages the waiters wait on. */
struct hang_report {
	char *text;
	size_t len;
	unsigned long pfns[16];
	int nr_pfns;
};

/*
 * Wait until @done(@arg), an oops, or a hang: a task waited longer than
 * @hung_timeout (model us), no task can go on, or the run outlived the
 * scenario's run_timeout.  On a hang, @hr gets every task's wait.
 */
enum watch_end watch(struct machine *m, bool (*done)(void *), void *arg,
		     u64 hung_timeout, struct hang_report *hr);
/*
 * The same, for a @done that holds only once every task is idle
 * (det_idle() in deterministic mode): the harness then acts after all
 * the tasks did, which a search (harness/dpor.c) may count on.
 */
enum watch_end watch_idle(struct machine *m, bool (*done)(void *), void *arg,
			  u64 hung_timeout, struct hang_report *hr);
/* Have all of the scenario's actors finished their steps? */
bool actors_done(struct machine *m);

/* The verdict of a run that ended as @end, into @r (judge.c). */
void judge_run(struct machine *m, enum watch_end end, struct pinmm_result *r);

#endif /* _HARNESS_WATCHDOG_H */
