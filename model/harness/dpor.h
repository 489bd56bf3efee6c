/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dynamic partial-order reduction (harness/dpor.c): the record of a run's
 * steps that the search analyses, and the search's tree.
 */
#ifndef _HARNESS_DPOR_H
#define _HARNESS_DPOR_H

#include <linux/sched_det.h>
#include <pinmm/pinmm.h>

struct strategy;

/* How many objects one step may name before it counts as touching all. */
#define DPOR_OBJS 16

/*
 * One step: task @pid's op on obj[0] (its scheduling point), then its own
 * code up to its next point, during which it may release locks (obj[1..]).
 * pid 0 is the harness acting after a det_run() returned, until the next:
 * it names what it touched, and comes after the step that ended the run
 * (@waker).  A step that named too many objects has nr_objs < 0: dependent
 * on everything.
 */
struct pinmm_event {
	int pid;
	int decision; /* the decision that chose it; -1: no choice */
	int waker;    /* the step that made the task runnable; -1: none */
	int nr_objs;
	u16 loads;    /* bit i: the step only read obj[i] */
	u16 releases; /* bit i: obj[i] is a lock the step released */
	bool barrier; /* the harness's, after every step before it */
	/*
	 * It touched more than its first op and the locks it released: with
	 * preemption disabled, or as the step the harness acted after.
	 */
	bool wide;
	/*
	 * A lock's acquisition that found it taken: the step depends on the
	 * lock as it found it, and no later step depends on the step.
	 */
	bool failed;
	bool trylock;	/* its op tries a lock without waiting for it */
	const void *obj[DPOR_OBJS];
};

/* The record a STRAT_DPOR strategy keeps (struct strategy.dpor). */
struct dpor_log {
	struct pinmm_event *ev;
	int nr, cap;
	int waker[64];	/* by pid: the step that woke it, or -1 */
	size_t decided; /* decisions already given to a step */
	bool closed;	/* the last step's sleep-set update is done */
	u64 sleep_now;	/* the tasks asleep after the last decision */
	const void *sleep_obj[64]; /* their next op, by pid */
	u64 sleep_load;		   /* which of those only read */
	bool failed;		   /* out of memory: the record is incomplete */
};

void dpor_note(void *state, enum det_note what, struct task_struct *t,
	       const void *obj);
void dpor_picked(struct strategy *s, struct task_struct *chosen,
		 struct task_struct **runnable, int n, u64 candidates);
u64 dpor_sleep(struct strategy *s);
void dpor_take_events(const struct strategy *s, struct pinmm_result *r);

/*
 * The search: one node per decision of the current run, with what is to
 * be tried there (backtrack), what was (done), and who sleeps.  The first
 * DPOR_SHARD_DEPTH decisions try every task, so that the subtrees below
 * them can be split across shards exactly (dpor_ours()).
 */
#define DPOR_SHARD_DEPTH 2

struct dpor_node {
	u64 runnable, sleep, backtrack, done;
	/*
	 * The tasks whose step here was wide (struct pinmm_event): what it
	 * touched is not known from its first op, so they never sleep.
	 */
	u64 wide;
	int pid;
};

struct dpor_tree {
	struct dpor_node *node;
	int nr, cap;
	unsigned int shard, shards;
	u64 races;     /* races found, over every run */
	u64 fallbacks; /* races whose reversal tried every task */
};

int dpor_tree_grow(struct dpor_tree *t, const struct pinmm_result *r);
bool dpor_ours(const struct dpor_tree *t);
int dpor_add_races(struct dpor_tree *t, const struct pinmm_result *r);
int dpor_next(struct dpor_tree *t, bool ours, struct pinmm_decision **prefix,
	      int *nr_prefix);
void dpor_tree_free(struct dpor_tree *t);

#endif /* _HARNESS_DPOR_H */
