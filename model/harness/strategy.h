/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Strategies of the deterministic scheduler, and the record of a run's
 * decisions (a schedule), which replays it exactly.
 */
#ifndef _HARNESS_STRATEGY_H
#define _HARNESS_STRATEGY_H

#include <linux/sched_det.h>

enum strategy_kind {
	STRAT_FIFO,	/* never preempt; the lowest pid when a choice is free */
	STRAT_RANDOM,	/* a uniformly random runnable task at every choice */
	STRAT_PCT,	/* PCT with depth d (Burckhardt et al., ASPLOS 2010) */
	STRAT_DFS,	/* bounded exhaustive search, driven from outside */
	STRAT_DPOR,	/* DPOR: like DFS, and every step recorded (dpor.c) */
};

/* One decision at a choice point: the pid chosen, and whether that
 * preempted a running task that could have gone on. */
struct decision {
	int pid;
	int nr_runnable;
	bool preemption;
	bool resumed;		/* cur had just resumed: switching is free */
	int cur_pid;		/* the running task, if it could go on; else 0 */
	u64 runnable;		/* the pids that could run, as a bit mask */
	u64 sleep;		/* DFS: the sleep set at this choice point */
	u64 explored;		/* DFS: the alternatives explored before this one */
};

struct strategy {
	struct det_strategy ops;
	enum strategy_kind kind;
	unsigned int depth;		/* PCT d; DFS preemption bound */
	u64 rng;
	/* PCT */
	int prio[64];			/* by pid */
	u64 change_points[16];
	unsigned int nr_change_points;
	int next_low;			/* the next lowered priority */
	/* Forced decisions (replay, DFS prefix): pids by choice point. */
	const struct decision *forced;
	size_t nr_forced;
	bool diverged;
	u64 sleep_now;			/* DFS: the current sleep set */
	/* The run's record. */
	struct decision *log;
	size_t nr_log, cap_log;
	unsigned int preemptions;
	struct dpor_log *dpor;		/* STRAT_DPOR: the run's steps */
};

int strategy_parse(struct strategy *s, const char *spec, u64 seed,
		   u64 expected_points, char *err, size_t errlen);
void strategy_reset(struct strategy *s, u64 seed, u64 expected_points);
void strategy_free(struct strategy *s);
/* Do two steps commute?  @a, @b: det_pending() of the tasks about to take them. */
bool strategy_independent(const void *a, const void *b);

#endif /* _HARNESS_STRATEGY_H */
