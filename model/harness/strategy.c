// SPDX-License-Identifier: GPL-2.0
/*
 * The deterministic scheduler's strategies (see strategy.h).
 *
 * PCT: each task gets a random priority from d, d+1, ... when it is
 * created; d-1 change points are drawn uniformly from the first k choice
 * points (k: an estimate of a run's choice points), and at the i-th of them
 * the running task's priority drops to i-1, below every initial priority.
 * At each choice point the highest-priority runnable task runs.  Only points
 * where more than one task can run count, as the paper counts steps.
 *
 * DFS: runs follow a forced prefix of decisions, then never preempt; the
 * explorer (harness/explore.c) backtracks over the record of each run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/sched.h>

#include "dpor.h"
#include "strategy.h"

static u64 next_rand(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int index_of(struct task_struct **runnable, int n, int pid)
{
	for (int i = 0; i < n; i++)
		if (runnable[i]->pid == pid)
			return i;
	return -1;
}

static inline int pct_prio(struct strategy *s, struct task_struct *t)
{
	return t->pid < 64 ? s->prio[t->pid] : 0;
}

static struct task_struct *pick_free(struct strategy *s, struct task_struct *cur,
				     struct task_struct **runnable, int n,
				     u64 point)
{
	struct task_struct *best;

	switch (s->kind) {
	case STRAT_RANDOM:
		return runnable[next_rand(&s->rng) % (u64)n];
	case STRAT_PCT:
		for (unsigned int i = 0; i < s->nr_change_points; i++)
			if (s->change_points[i] == point && cur && cur->pid < 64)
				s->prio[cur->pid] = s->next_low++;
		best = runnable[0];
		for (int i = 1; i < n; i++)
			if (pct_prio(s, runnable[i]) > pct_prio(s, best))
				best = runnable[i];
		return best;
	case STRAT_FIFO:
	case STRAT_DFS:
	case STRAT_DPOR:
		break;
	}
	return cur ? cur : runnable[0];
}

static void record(struct strategy *s, struct task_struct *cur,
		   struct task_struct *chosen, struct task_struct **runnable,
		   int n, u64 sleep, u64 explored)
{
	struct decision *d;

	if (s->nr_log == s->cap_log) {
		size_t cap = s->cap_log ? 2 * s->cap_log : 1024;
		struct decision *nl = realloc(s->log, cap * sizeof(*nl));

		if (!nl)
			return;
		s->log = nl;
		s->cap_log = cap;
	}
	d = &s->log[s->nr_log++];
	d->pid = chosen->pid;
	d->nr_runnable = n;
	d->resumed = cur && det_fresh(cur);
	d->preemption = cur && chosen != cur && !d->resumed;
	d->cur_pid = cur ? cur->pid : 0;
	d->sleep = sleep;
	d->explored = explored;
	d->runnable = 0;
	for (int i = 0; i < n; i++)
		if (runnable[i]->pid < 64)
			d->runnable |= 1ULL << runnable[i]->pid;
	if (d->preemption)
		s->preemptions++;
}

static inline u64 pid_bit(const struct task_struct *t)
{
	return t->pid < 64 ? 1ULL << t->pid : 0;
}

/*
 * Two steps are independent when they operate on different objects (a
 * lock, an atomic counter, a flags word, a field read or written once).
 * Two loads of one word are not taken to commute: the code after a load,
 * up to the next point, acts on what it read, and treating them as
 * independent lost end states at a fixed preemption bound.  A task that
 * resumes from schedule(), or starts, runs its own code up to its next
 * scheduling point (NULL): every shared load and store is a point, so
 * that step touches nothing another task can see.
 */
bool strategy_independent(const void *a, const void *b)
{
	return !a || !b || !det_objs_overlap(a, b);
}

/*
 * DFS's default beyond the forced prefix: go on with the running task, or
 * the lowest pid, among the tasks that are not asleep.
 */
static struct task_struct *pick_awake(struct task_struct *cur,
				      struct task_struct **runnable, int n,
				      u64 sleep)
{
	if (cur && !(sleep & pid_bit(cur)))
		return cur;
	for (int i = 0; i < n; i++)
		if (!(sleep & pid_bit(runnable[i])))
			return runnable[i];
	return cur ? cur : runnable[0];	/* all asleep: a redundant branch */
}

/*
 * Sleep sets (Godefroid): after a choice point, a task stays asleep while
 * what runs is independent of its next step, because running it first
 * would give an equivalent run that another branch already covers.
 */
static u64 next_sleep_set(struct task_struct *chosen,
			  struct task_struct **runnable, int n, u64 candidates)
{
	const void *done = det_pending(chosen);
	u64 sleep = 0;

	for (int i = 0; i < n; i++) {
		struct task_struct *u = runnable[i];

		if (u == chosen || !(candidates & pid_bit(u)))
			continue;
		if (strategy_independent(det_pending(u), done))
			sleep |= pid_bit(u);
	}
	return sleep;
}

static struct task_struct *strategy_pick(void *state, struct task_struct *cur,
					 struct task_struct **runnable, int n,
					 u64 point)
{
	struct strategy *s = state;
	struct task_struct *chosen = NULL;
	size_t i = s->nr_log;
	u64 mask = 0, sleep = 0, explored = 0;

	for (int k = 0; k < n; k++)
		mask |= pid_bit(runnable[k]);
	if (s->kind == STRAT_DFS)
		sleep = s->sleep_now & mask;
	else if (s->kind == STRAT_DPOR)
		sleep = dpor_sleep(s) & mask;
	if (i < s->nr_forced && !s->diverged) {
		int at = index_of(runnable, n, s->forced[i].pid);

		if (at >= 0) {
			chosen = runnable[at];
			explored = s->forced[i].explored & mask;
		} else {
			s->diverged = true;
		}
	}
	if (!chosen)
		chosen = s->kind == STRAT_DFS || s->kind == STRAT_DPOR ?
				 pick_awake(cur, runnable, n, sleep) :
				 pick_free(s, cur, runnable, n, point);
	record(s, cur, chosen, runnable, n, sleep, explored);
	if (s->kind == STRAT_DFS)
		s->sleep_now = next_sleep_set(chosen, runnable, n, sleep | explored);
	else if (s->kind == STRAT_DPOR)
		dpor_picked(s, chosen, runnable, n, sleep | explored);
	return chosen;
}

static void strategy_task_created(void *state, struct task_struct *t)
{
	struct strategy *s = state;

	if (s->kind != STRAT_PCT || t->pid >= 64)
		return;
	/* A random priority above every change-point priority (< depth). */
	s->prio[t->pid] = (int)s->depth + 1 +
			  (int)(next_rand(&s->rng) % 1000000);
}

void strategy_reset(struct strategy *s, u64 seed, u64 expected_points)
{
	s->rng = seed * 0x2545f4914f6cdd1dULL + 1;
	s->nr_log = 0;
	s->preemptions = 0;
	s->diverged = false;
	s->sleep_now = 0;
	memset(s->prio, 0, sizeof(s->prio));
	s->nr_change_points = 0;
	s->next_low = 1;
	if (s->kind == STRAT_PCT && s->depth > 1) {
		u64 k = expected_points ? expected_points : 1000;

		for (unsigned int i = 0; i + 1 < s->depth && i < 16; i++)
			s->change_points[s->nr_change_points++] =
				1 + next_rand(&s->rng) % k;
	}
	s->ops.name = "pinmm";
	s->ops.state = s;
	s->ops.pick = strategy_pick;
	s->ops.task_created = strategy_task_created;
	s->ops.note = NULL;
	if (s->kind == STRAT_DPOR && s->dpor) {
		struct pinmm_event *ev = s->dpor->ev;
		int cap = s->dpor->cap;

		memset(s->dpor, 0, sizeof(*s->dpor));
		s->dpor->ev = ev;
		s->dpor->cap = cap;
		memset(s->dpor->waker, 0xff, sizeof(s->dpor->waker));
		s->ops.note = dpor_note;
	}
}

/* "fifo", "random", "pct:D" or "dfs:B". */
int strategy_parse(struct strategy *s, const char *spec, u64 seed,
		   u64 expected_points, char *err, size_t errlen)
{
	unsigned long v = 0;
	char *end;

	memset(s, 0, sizeof(*s));
	if (!strcmp(spec, "fifo")) {
		s->kind = STRAT_FIFO;
	} else if (!strcmp(spec, "dfs")) {
		/* The explorer's: forced decisions, then sleep sets. */
		s->kind = STRAT_DFS;
	} else if (!strcmp(spec, "dpor")) {
		/* The same, recording every step for the analysis. */
		s->kind = STRAT_DPOR;
		s->dpor = calloc(1, sizeof(*s->dpor));
		if (!s->dpor) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
	} else if (!strcmp(spec, "random")) {
		s->kind = STRAT_RANDOM;
	} else if (!strncmp(spec, "pct:", 4) || !strncmp(spec, "dfs:", 4)) {
		v = strtoul(spec + 4, &end, 10);
		if (!spec[4] || *end || v < 1 || v > 16) {
			snprintf(err, errlen, "strategy '%s': the number after ':' must be 1..16",
				 spec);
			return -EINVAL;
		}
		s->kind = spec[0] == 'p' ? STRAT_PCT : STRAT_DFS;
		s->depth = (unsigned int)v;
	} else {
		snprintf(err, errlen,
			 "unknown strategy '%s' (fifo, random, pct:D, dfs:BOUND)", spec);
		return -EINVAL;
	}
	strategy_reset(s, seed, expected_points);
	return 0;
}

void strategy_free(struct strategy *s)
{
	free(s->log);
	s->log = NULL;
	s->nr_log = s->cap_log = 0;
	if (s->dpor)
		free(s->dpor->ev);
	free(s->dpor);
	s->dpor = NULL;
}
