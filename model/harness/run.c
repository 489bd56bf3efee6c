// SPDX-License-Identifier: GPL-2.0
/*
 * A run (pinmm_run()): boot the machine (machine.c), run the scenario's
 * tasks under the watchdog (watchdog.c), sync, judge (judge.c), tear
 * everything down; and the result and name lookups of the public API.
 *
 * The host thread that calls pinmm_run() is not a task: it is the watchdog
 * (the kernel's khungtaskd) and the judge.  It never runs kernel code while
 * tasks run, except to read what they publish for the hang report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/panic.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched_det.h>
#include <pinmm/pinmm.h>

#include "../mm/pin_policy.h"
#include "flight.h"
#include "dpor.h"
#include "machine.h"
#include "oracle.h"
#include "strategy.h"
#include "trace.h"
#include "watchdog.h"

/* ---- the phases of a run ---- */

static bool watch_actors(void *arg)
{
	return actors_done(arg);
}

struct final_sync {
	struct machine *m;
	bool done;
};

static void final_sync_fn(void *arg)
{
	struct final_sync *fs = arg;

	sync_filesystem(&fs->m->sb);
	for (int f = 0; f < fs->m->scn->nr_files; f++)
		if (fs->m->fbs[f])
			fb_deferred_io_flush(fs->m->fbs[f]);
	__atomic_store_n(&fs->done, true, __ATOMIC_RELEASE);
}

/*
 * The sync is over, and every kernel thread has gone idle: the harness
 * stops them when none is in the middle of its work.
 */
static bool watch_sync(void *arg)
{
	struct final_sync *fs = arg;

	return __atomic_load_n(&fs->done, __ATOMIC_ACQUIRE) &&
	       (!sched_det() || det_idle());
}

/*
 * One run of @scn.  With @strat the machine runs under the deterministic
 * scheduler, driven by that strategy; without, on free-running threads.
 */
static int run_scenario(const struct scenario *scn, const char *policy,
			uint64_t seed, const struct pinmm_options *opts,
			struct strategy *strat, struct pinmm_result *r)
{
	struct machine *m;
	enum watch_end end;
	struct final_sync fs = { 0 };
	struct task_struct *syncer = NULL;
	struct hang_report hr = { .text = r->hang, .len = sizeof(r->hang) };
	u64 timeout;
	int err;

	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(r->error, sizeof(r->error), "out of memory");
		return -1;
	}
	if (strat)
		det_init(&strat->ops, 0);
	err = machine_boot(m, scn, policy, seed, opts->echo_log);
	if (!err && opts->trace_path)
		err = chrome_trace_start();
	if (err) {
		snprintf(r->error, sizeof(r->error), "cannot boot the machine: %s",
			 strerror(-err));
		machine_teardown(m, false);
		if (strat)
			det_exit();
		free(m);
		return -1;
	}
	timeout = opts->hung_task_timeout_us ? opts->hung_task_timeout_us :
					       scn->hung_task_timeout;
	m->run_deadline = ktime_get_us() + scn->run_timeout;
	machine_start_actors(m);
	end = watch(m, watch_actors, m, timeout, &hr);
	if (end == WATCH_DONE) {
		oracle_stop_promises();
		fs.m = m;
		syncer = kthread_run(final_sync_fn, &fs, "sync");
		end = watch_idle(m, watch_sync, &fs, timeout, &hr);
	}
	if (end != WATCH_DONE)
		sched_kill_all();
	if (syncer) {
		task_join(syncer);
		task_free(syncer);
	}
	for (int i = 0; i < scn->nr_actors; i++)
		task_join(m->actors[i].task);
	if (end == WATCH_DONE)
		end = machine_stop_kthreads_watched(m, timeout, &hr);
	else
		machine_stop_kthreads(m);
	if (opts->trace_path)
		chrome_trace_stop();

	judge_run(m, end, r);
	r->duration_us = ktime_get_us();
	if (strat) {
		r->steps = det_steps();
		r->choice_points = det_choice_points();
	}
	r->log = strdup(dmesg());
	if (opts->trace_path &&
	    chrome_trace_finish(opts->trace_path, r->scenario, r->policy, seed,
				pinmm_verdict_name(r->verdict)))
		snprintf(r->error, sizeof(r->error), "cannot write the trace to %s",
			 opts->trace_path);
	if (r->verdict != PINMM_PASS) {
		if (r->oops[0])
			hr.nr_pfns = flight_last_page_of(oops_state()->pid, hr.pfns);
		r->flight = flight_recorder_dump(hr.pfns, hr.nr_pfns);
	}
	machine_teardown(m, end != WATCH_DONE);
	if (strat)
		det_exit();
	free(m);
	return 0;
}

static void copy_decisions(struct pinmm_result *r, const struct strategy *s)
{
	r->preemptions = s->preemptions;
	r->diverged = s->diverged;
	r->decisions = calloc(s->nr_log ? s->nr_log : 1, sizeof(*r->decisions));
	if (!r->decisions)
		return;
	for (size_t i = 0; i < s->nr_log; i++)
		r->decisions[i] = (struct pinmm_decision){
			.pid = s->log[i].pid,
			.nr_runnable = s->log[i].nr_runnable,
			.cur_pid = s->log[i].cur_pid,
			.preemption = s->log[i].preemption,
			.resumed = s->log[i].resumed,
			.runnable = s->log[i].runnable,
			.sleep = s->log[i].sleep,
			.explored = s->log[i].explored,
		};
	r->nr_decisions = (int)s->nr_log;
	dpor_take_events(s, r);
}

static int run_resolved(const struct scenario *scn, const char *policy,
			uint64_t seed, const struct pinmm_options *opts,
			struct pinmm_result *r);

static void result_init(struct pinmm_result *r, const char *name,
			const char *policy, uint64_t seed)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->scenario, sizeof(r->scenario), "%s", name);
	snprintf(r->policy, sizeof(r->policy), "%s", policy);
	r->seed = seed;
	r->verdict = PINMM_ERROR;
}

/* A scenario file's text, as read from @file (which names it). */
int pinmm_run_text(const char *name, const char *file, const char *text,
		   const char *policy, uint64_t seed,
		   const struct pinmm_options *opts, struct pinmm_result *r)
{
	struct scenario *scn;
	char err[256] = "", fallback[64];
	int ret;

	if (!name) {
		scenario_name_of_path(file, fallback, sizeof(fallback));
		name = fallback;
	}
	scn = scenario_load_text(file, text, strlen(text), err, sizeof(err));
	result_init(r, scn ? scn->name : name, policy, seed);
	if (!scn) {
		snprintf(r->error, sizeof(r->error), "%s", err);
		return -1;
	}
	snprintf(r->scenario_file, sizeof(r->scenario_file), "%s", file);
	r->scenario_text = strdup(text);
	ret = r->scenario_text ? run_resolved(scn, policy, seed, opts, r) : -1;
	scenario_free(scn);
	return ret;
}

/* @scenario is a built-in name, or a path (pinmm_scenario_is_file()). */
int pinmm_run(const char *scenario, const char *policy, uint64_t seed,
	      const struct pinmm_options *opts, struct pinmm_result *r)
{
	const struct scenario *scn;

	if (pinmm_scenario_is_file(scenario)) {
		char err[256] = "", name[64];
		size_t len;
		char *text = scenario_read_text(scenario, &len, err, sizeof(err));
		int ret;

		if (!text) {
			scenario_name_of_path(scenario, name, sizeof(name));
			result_init(r, name, policy, seed);
			snprintf(r->error, sizeof(r->error), "%s", err);
			return -1;
		}
		ret = pinmm_run_text(NULL, scenario, text, policy, seed, opts, r);
		free(text);
		return ret;
	}
	scn = scenario_find(scenario);
	result_init(r, scn ? scn->name : scenario, policy, seed);
	if (!scn) {
		snprintf(r->error, sizeof(r->error), "unknown scenario '%s'",
			 scenario);
		return -1;
	}
	return run_resolved(scn, policy, seed, opts, r);
}

static int run_resolved(const struct scenario *scn, const char *policy,
			uint64_t seed, const struct pinmm_options *opts,
			struct pinmm_result *r)
{
	struct pinmm_options defaults = { 0 };
	struct strategy strat;
	struct decision *forced = NULL;
	int ret;

	if (!opts)
		opts = &defaults;
	if (!pin_policy_find(policy)) {
		snprintf(r->error, sizeof(r->error), "unknown policy '%s'", policy);
		return -1;
	}
	if (opts->sched != PINMM_SCHED_DET)
		return run_scenario(scn, policy, seed, opts, NULL, r);

	if (strategy_parse(&strat, opts->strategy ? opts->strategy : "fifo",
			   opts->strategy_seed, opts->expected_points, r->error,
			   sizeof(r->error)))
		return -1;
	if (opts->nr_forced > 0) {
		forced = calloc((size_t)opts->nr_forced, sizeof(*forced));
		if (!forced) {
			snprintf(r->error, sizeof(r->error), "out of memory");
			return -1;
		}
		for (int i = 0; i < opts->nr_forced; i++)
			forced[i] = (struct decision){
				.pid = opts->forced[i].pid,
				.explored = opts->forced[i].explored,
			};
		strat.forced = forced;
		strat.nr_forced = (size_t)opts->nr_forced;
	}
	ret = run_scenario(scn, policy, seed, opts, &strat, r);
	copy_decisions(r, &strat);
	strategy_free(&strat);
	free(forced);
	return ret;
}

void pinmm_result_free(struct pinmm_result *r)
{
	free(r->scenario_text);
	r->scenario_text = NULL;
	free(r->log);
	free(r->flight);
	free(r->counters);
	free(r->decisions);
	free(r->events);
	r->events = NULL;
	r->nr_events = 0;
	free(r->fsync_us);
	r->fsync_us = NULL;
	r->nr_fsyncs = 0;
	r->log = NULL;
	r->flight = NULL;
	r->counters = NULL;
	r->decisions = NULL;
}

long pinmm_result_counter(const struct pinmm_result *r, const char *name)
{
	for (int i = 0; i < r->nr_counters; i++)
		if (!strcmp(r->counters[i].name, name))
			return r->counters[i].value;
	return -1;
}

static const char *const verdict_names[] = {
	[PINMM_PASS] = "pass",		[PINMM_WARN] = "warn",
	[PINMM_DATA_LOSS] = "data-loss", [PINMM_HANG] = "hang",
	[PINMM_OOPS] = "oops",		[PINMM_REFUSED] = "refused",
	[PINMM_ERROR] = "error",
};

const char *pinmm_verdict_name(enum pinmm_verdict v)
{
	if ((unsigned int)v >= ARRAY_SIZE(verdict_names))
		return "?";
	return verdict_names[v];
}

const char *const *pinmm_scenario_names(void)
{
	static const char *names[32];

	if (!names[0])
		for (int i = 0; builtin_scenarios[i] && i < 31; i++)
			names[i] = builtin_scenarios[i]->name;
	return names;
}

const char *pinmm_scenario_description(const char *name)
{
	const struct scenario *scn = scenario_find(name);

	return scn ? scn->description : NULL;
}

const char *const *pinmm_policy_names(void)
{
	static const char *names[8];

	if (!names[0])
		for (int i = 0; pin_policies[i].name && i < 7; i++)
			names[i] = pin_policies[i].name;
	return names;
}

const char *pinmm_policy_description(const char *name)
{
	const struct pin_policy *pp = pin_policy_find(name);

	return pp ? pp->description : NULL;
}
