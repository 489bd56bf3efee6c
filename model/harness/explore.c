// SPDX-License-Identifier: GPL-2.0
/*
 * Systematic exploration of one scenario's interleavings
 * (include/pinmm/pinmm.h); schedule files, replay and minimisation are in
 * schedule.c.
 *
 * Every schedule is one deterministic run: its decisions are recorded, and
 * forcing them again replays the run byte for byte.  Random and PCT
 * schedules differ by their strategy seed (schedule i uses seed first + i,
 * so a shard of an exploration is reproducible on its own).  The bounded
 * exhaustive search (dfs:B) walks the tree of choice points depth first:
 * each run follows a forced prefix and then never preempts; the next prefix
 * changes the deepest choice that still has an untried alternative within
 * B preemptions.  Sharding splits that tree by where a run first leaves
 * the default schedule (dfs_owner()).  dpor (dpor.c) walks its own tree,
 * whose choices come from the races each run shows.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pinmm/pinmm.h>

#include "dpor.h"
#include "end_states.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- exploration ---- */

static void account(struct pinmm_explore_status *st, struct end_states *set,
		    const struct pinmm_result *r)
{
	if (end_states_add(set, r->end_state)) {
		st->end_states++;
		st->end_state_sum += r->end_state ? r->end_state : 1;
	}
	st->explored++;
	st->verdicts[r->verdict]++;
	if (r->choice_points > st->max_choice_points)
		st->max_choice_points = r->choice_points;
}

/*
 * Write a failing run's schedule; the first one's path is remembered.  A
 * schedule that cannot be written ends the exploration with an error: a
 * failure nobody can replay is not kept silently.
 */
static int keep_failure(struct pinmm_explore_status *st,
			const struct pinmm_explore_options *o,
			const struct pinmm_result *r, uint64_t number,
			uint64_t strategy_seed)
{
	struct pinmm_schedule s;
	char path[512];
	int err;

	st->failures++;
	snprintf(path, sizeof(path), "%s-%llu.sched",
		 o->schedule_prefix ? o->schedule_prefix : r->scenario,
		 (unsigned long long)number);
	err = pinmm_schedule_from_result(&s, r, o->strategy, strategy_seed);
	if (!err)
		err = pinmm_schedule_write(path, &s);
	pinmm_schedule_free(&s);
	if (err) {
		snprintf(st->error, sizeof(st->error), "cannot write %.160s: %s",
			 path, strerror(-err));
		return err;
	}
	if (!st->first_failure[0]) {
		snprintf(st->first_failure, sizeof(st->first_failure), "%s", path);
		snprintf(st->first_verdict, sizeof(st->first_verdict), "%s",
			 pinmm_verdict_name(r->verdict));
	}
	return 0;
}

static int run_one(const char *scenario, const char *policy, uint64_t seed,
		   const struct pinmm_explore_options *o, const char *strategy,
		   uint64_t strategy_seed, uint64_t expected,
		   const struct pinmm_decision *forced, int nr_forced,
		   struct pinmm_result *r, struct pinmm_explore_status *st)
{
	struct pinmm_options opts = {
		.sched = PINMM_SCHED_DET,
		.strategy = strategy,
		.strategy_seed = strategy_seed,
		.expected_points = expected,
		.hung_task_timeout_us = o->hung_task_timeout_us,
		.forced = forced,
		.nr_forced = nr_forced,
	};
	int ret = pinmm_run(scenario, policy, seed, &opts, r);

	if (ret)
		snprintf(st->error, sizeof(st->error), "%.255s", r->error);
	return ret;
}

static void report_progress(const struct pinmm_explore_options *o,
			    struct pinmm_explore_status *st, double start,
			    double *last)
{
	double t = now_s();

	st->elapsed_s = t - start;
	if (o->progress && (t - *last > 0.25)) {
		*last = t;
		o->progress(st, o->arg);
	}
}

/* The alternatives of a decision, default first: the running task if it
 * could go on, else the lowest pid; then the others by pid. */
static int alternatives(const struct pinmm_decision *d, int *out)
{
	int n = 0, def = d->cur_pid;

	if (def && (d->sleep & (1ULL << def)))
		def = 0;
	if (!def)
		for (int pid = 1; pid < 64 && !def; pid++)
			if ((d->runnable & ~d->sleep) & (1ULL << pid))
				def = pid;
	if (!def)
		def = d->pid;
	out[n++] = def;
	for (int pid = 1; pid < 64; pid++)
		if ((d->runnable & (1ULL << pid)) && pid != def)
			out[n++] = pid;
	return n;
}

/*
 * Does running @pid at @d preempt the running task?  Not when that task
 * had just woken or started and done nothing visible yet (see
 * det_fresh()), unless @plain: the textbook count, where every switch away
 * from a task that could go on is one.
 */
static bool dfs_preempts(const struct pinmm_decision *d, int pid, bool plain)
{
	return d->cur_pid && pid != d->cur_pid && (plain || !d->resumed);
}

/* Where @d's choice stands among its alternatives (0: the default). */
static int dfs_ord(const struct pinmm_decision *d)
{
	int alt[64], n = alternatives(d, alt), ord = 0;

	while (ord < n && alt[ord] != d->pid)
		ord++;
	return ord;
}

/*
 * Sharding.  A run leaves the default schedule at some decisions (its
 * deviations: where it took the ord-th alternative, ord > 0).  The runs
 * whose first DFS_SHARD_DEPTH deviations are the same form one subtree,
 * and it belongs to one shard, by a hash of those deviations; so does a
 * run with fewer, which every shard runs (they lead to the subtrees) and
 * only its owner counts.  Two levels keep one large subtree (the runs
 * that first differ where the tasks start) from landing on one shard.
 */
#define DFS_SHARD_DEPTH 2

static uint64_t dfs_mix(uint64_t h, int j, int ord)
{
	return (h ^ ((uint64_t)j << 8 | (uint64_t)ord)) * 0x9e3779b97f4a7c15ULL;
}

/* A run's first deviations: where, and the hash of the first k of them. */
struct dfs_deviations {
	int nr;
	int at[DFS_SHARD_DEPTH];
	uint64_t hash[DFS_SHARD_DEPTH + 1];
};

static void dfs_deviations(const struct pinmm_result *r,
			   struct dfs_deviations *dv)
{
	dv->nr = 0;
	dv->hash[0] = 0x2545f4914f6cdd1dULL;
	for (int i = 0; i < r->nr_decisions && dv->nr < DFS_SHARD_DEPTH; i++) {
		int ord = dfs_ord(&r->decisions[i]);

		if (!ord)
			continue;
		dv->at[dv->nr] = i;
		dv->hash[dv->nr + 1] = dfs_mix(dv->hash[dv->nr], i, ord);
		dv->nr++;
	}
}

/* How many of them come before decision @j. */
static int dfs_deviations_before(const struct dfs_deviations *dv, int j)
{
	int m = 0;

	while (m < dv->nr && dv->at[m] < j)
		m++;
	return m;
}

static unsigned int dfs_owner(uint64_t h, unsigned int shards)
{
	return (unsigned int)((h >> 32) % shards);
}

/* Does this shard count @r? */
static bool dfs_ours(const struct pinmm_result *r, unsigned int shard,
		     unsigned int shards)
{
	struct dfs_deviations dv;

	if (shards <= 1)
		return true;
	dfs_deviations(r, &dv);
	return dfs_owner(dv.hash[dv.nr], shards) == shard;
}

/*
 * The next prefix of a depth-first search bounded to @bound preemptions,
 * from the decisions of the run just done; false when the tree is done.
 * Without @plain, a task asleep at a decision (sleep sets) is not tried
 * there.  A subtree another shard owns is skipped, and counts as explored
 * for the sleep sets of its later siblings: that shard runs it.
 */
static bool dfs_next(const struct pinmm_result *r, unsigned int bound,
		     bool plain, unsigned int shard, unsigned int shards,
		     struct pinmm_decision *prefix, int *nr_prefix)
{
	unsigned int *before = calloc((size_t)r->nr_decisions + 1, sizeof(*before));
	struct dfs_deviations dv;
	bool found = false;

	if (!before)
		return false;
	dfs_deviations(r, &dv);
	for (int i = 0; i < r->nr_decisions; i++)
		before[i + 1] = before[i] +
				dfs_preempts(&r->decisions[i], r->decisions[i].pid, plain);
	for (int j = r->nr_decisions - 1; j >= 0 && !found; j--) {
		const struct pinmm_decision *d = &r->decisions[j];
		int alt[64], n = alternatives(d, alt), ord = dfs_ord(d);
		uint64_t skipped = 0;
		/* Taking an alternative here makes deviation number m + 1. */
		int m = shards > 1 ? dfs_deviations_before(&dv, j) : DFS_SHARD_DEPTH;

		for (ord++; ord < n; ord++) {
			if (before[j] + dfs_preempts(d, alt[ord], plain) > bound)
				continue;
			/* Asleep: an equivalent run was or will be explored. */
			if (d->sleep & (1ULL << alt[ord]))
				continue;
			if (m + 1 == DFS_SHARD_DEPTH &&
			    dfs_owner(dfs_mix(dv.hash[m], j, ord), shards) != shard) {
				skipped |= 1ULL << alt[ord];
				continue;
			}
			memcpy(prefix, r->decisions, (size_t)j * sizeof(*prefix));
			prefix[j] = *d;
			prefix[j].pid = alt[ord];
			prefix[j].explored = d->explored | (1ULL << d->pid) | skipped;
			*nr_prefix = j + 1;
			found = true;
			break;
		}
	}
	free(before);
	return found;
}

static int explore_dfs(const char *scenario, const char *policy, uint64_t seed,
		       const struct pinmm_explore_options *o, unsigned int bound,
		       struct pinmm_explore_status *st, struct end_states *set)
{
	/* "dfs" records sleep sets; "fifo" follows the prefix and no more. */
	const char *follow = o->no_reduction ? "fifo" : "dfs";
	struct pinmm_decision *prefix = NULL;
	int nr_prefix = 0, ret = 0;
	double start = now_s(), last = start;

	for (uint64_t n = 0;; n++) {
		struct pinmm_result r;
		bool ours;

		if (run_one(scenario, policy, seed, o, follow, 0, 0, prefix,
			    nr_prefix, &r, st)) {
			pinmm_result_free(&r);
			ret = -EINVAL;
			break;
		}
		ours = dfs_ours(&r, o->shard, o->shards);
		if (ours) {
			account(st, set, &r);
			if (r.verdict != PINMM_PASS &&
			    keep_failure(st, o, &r, o->first + n, 0)) {
				pinmm_result_free(&r);
				ret = -EIO;
				break;
			}
		}
		report_progress(o, st, start, &last);
		free(prefix);
		prefix = calloc((size_t)r.nr_decisions + 1, sizeof(*prefix));
		if (!prefix || !dfs_next(&r, bound, o->no_reduction, o->shard,
					 o->shards, prefix, &nr_prefix)) {
			st->exhausted = prefix != NULL;
			pinmm_result_free(&r);
			break;
		}
		pinmm_result_free(&r);
		if ((st->failures && !o->keep_going) ||
		    (o->schedules && st->explored >= o->schedules))
			break;
	}
	free(prefix);
	st->elapsed_s = now_s() - start;
	if (o->progress)
		o->progress(st, o->arg);
	return ret;
}

/*
 * The search without a bound (dpor.c): each run's races say which other
 * choices must be tried; the tree lives here, between runs.
 */
static int dpor_step(struct dpor_tree *t, const struct pinmm_result *r,
		     bool *ours, struct pinmm_explore_status *st)
{
	int err = dpor_tree_grow(t, r);

	if (err == -EPROTO) {
		snprintf(st->error, sizeof(st->error),
			 "dpor: a run did not follow its prefix (the model is not deterministic)");
		return err;
	}
	*ours = !err && dpor_ours(t);
	if (!err && *ours)
		err = dpor_add_races(t, r);
	if (err == -E2BIG)
		snprintf(st->error, sizeof(st->error),
			 "dpor: a run has a task whose pid is 64 or more (the search keeps tasks in 64-bit masks)");
	else if (err)
		snprintf(st->error, sizeof(st->error), "dpor: %s", strerror(-err));
	return err;
}

static int explore_dpor(const char *scenario, const char *policy,
			uint64_t seed, const struct pinmm_explore_options *o,
			struct pinmm_explore_status *st, struct end_states *set)
{
	struct dpor_tree tree = { .shard = o->shard, .shards = o->shards };
	struct pinmm_decision *prefix = NULL;
	int nr_prefix = 0, ret = 0;
	double start = now_s(), last = start;

	for (uint64_t n = 0;; n++) {
		struct pinmm_result r;
		bool ours = false;

		if (run_one(scenario, policy, seed, o, "dpor", 0, 0, prefix,
			    nr_prefix, &r, st)) {
			ret = -EINVAL;
		} else if (dpor_step(&tree, &r, &ours, st)) {
			ret = -EIO;
		} else if (ours) {
			account(st, set, &r);
			if (r.verdict != PINMM_PASS &&
			    keep_failure(st, o, &r, o->first + n, 0))
				ret = -EIO;
		}
		pinmm_result_free(&r);
		free(prefix);
		prefix = NULL;
		if (ret)
			break;
		report_progress(o, st, start, &last);
		ret = dpor_next(&tree, ours, &prefix, &nr_prefix);
		if (ret <= 0) {
			st->exhausted = !ret;
			if (ret)
				snprintf(st->error, sizeof(st->error), "dpor: out of memory");
			break;
		}
		ret = 0;
		if ((st->failures && !o->keep_going) ||
		    (o->schedules && st->explored >= o->schedules))
			break;
	}
	free(prefix);
	st->races = tree.races;
	dpor_tree_free(&tree);
	st->elapsed_s = now_s() - start;
	if (o->progress)
		o->progress(st, o->arg);
	return ret;
}

/* Random and PCT: schedule i runs with strategy seed i. */
static int explore_sample(const char *scenario, const char *policy,
			  uint64_t seed, const struct pinmm_explore_options *o,
			  const char *strategy, struct pinmm_explore_status *st,
			  struct end_states *set)
{
	double start = now_s(), last = start;
	uint64_t expected = 0;

	if (!strncmp(strategy, "pct:", 4)) {
		/* PCT draws its change points from a run's length. */
		struct pinmm_result r;

		if (run_one(scenario, policy, seed, o, "fifo", 0, 0, NULL, 0, &r, st)) {
			pinmm_result_free(&r);
			return -EINVAL;
		}
		expected = r.choice_points;
		pinmm_result_free(&r);
	}
	for (uint64_t i = o->first; !o->schedules || i < o->first + o->schedules; i++) {
		struct pinmm_result r;

		if (o->shards > 1 && i % o->shards != o->shard)
			continue;
		if (run_one(scenario, policy, seed, o, strategy, i, expected, NULL,
			    0, &r, st)) {
			pinmm_result_free(&r);
			return -EINVAL;
		}
		account(st, set, &r);
		if (r.verdict != PINMM_PASS && keep_failure(st, o, &r, i, i)) {
			pinmm_result_free(&r);
			return -EIO;
		}
		pinmm_result_free(&r);
		report_progress(o, st, start, &last);
		if (st->failures && !o->keep_going)
			break;
	}
	st->elapsed_s = now_s() - start;
	if (o->progress)
		o->progress(st, o->arg);
	return 0;
}

static int write_summary(const char *scenario, const char *policy,
			 uint64_t seed, const struct pinmm_explore_options *o,
			 const char *strategy, struct pinmm_explore_status *st,
			 const struct end_states *set)
{
	struct pinmm_shard_info info = {
		.seed = seed, .shard = o->shard,
		.shards = o->shards ? o->shards : 1,
	};
	int err;

	snprintf(info.scenario, sizeof(info.scenario), "%s", scenario);
	snprintf(info.policy, sizeof(info.policy), "%s", policy);
	snprintf(info.strategy, sizeof(info.strategy), "%s", strategy);
	err = explore_write_summary(o->summary_path, &info, st, set);
	if (err)
		snprintf(st->error, sizeof(st->error), "cannot write %.160s: %s",
			 o->summary_path, strerror(-err));
	return err;
}

int pinmm_explore(const char *scenario, const char *policy, uint64_t seed,
		  const struct pinmm_explore_options *o,
		  struct pinmm_explore_status *st)
{
	const char *strategy = o->strategy ? o->strategy : "pct:2";
	struct end_states set = { 0 };
	unsigned long bound;
	char *end;
	int ret;

	memset(st, 0, sizeof(*st));
	if (o->shards && o->shard >= o->shards) {
		snprintf(st->error, sizeof(st->error), "shard %u of %u does not exist",
			 o->shard, o->shards);
		return -EINVAL;
	}
	if (!strncmp(strategy, "dfs:", 4)) {
		bound = strtoul(strategy + 4, &end, 10);
		if (!strategy[4] || *end || bound > 16) {
			snprintf(st->error, sizeof(st->error),
				 "strategy '%s': the preemption bound must be 0..16",
				 strategy);
			return -EINVAL;
		}
		ret = explore_dfs(scenario, policy, seed, o, (unsigned int)bound,
				  st, &set);
	} else if (!strcmp(strategy, "dpor")) {
		ret = explore_dpor(scenario, policy, seed, o, st, &set);
	} else if (!o->schedules) {
		snprintf(st->error, sizeof(st->error),
			 "strategy '%s' never runs out of schedules: give a number",
			 strategy);
		return -EINVAL;
	} else {
		ret = explore_sample(scenario, policy, seed, o, strategy, st, &set);
	}
	if (!ret && o->summary_path)
		ret = write_summary(scenario, policy, seed, o, strategy, st, &set);
	end_states_free(&set);
	return ret;
}
