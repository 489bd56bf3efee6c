/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libpinmm: an executable model of the Linux mm and ext4 paths that the
 * 2018 get_user_pages() problem goes through, with the designs that try to
 * fix it.  This is the library's whole public interface.
 *
 * A run boots a small machine (memory, an ext4-like filesystem on a block
 * device file, a flusher, kswapd), runs one scenario's tasks on it as real
 * threads under one pinning policy, and judges the outcome:
 *
 *   pass, warn, data-loss, hang, oops, refused
 *
 * with the kernel-style report of what happened and every event counter.
 */
#ifndef _PINMM_PINMM_H
#define _PINMM_PINMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum pinmm_verdict {
	PINMM_PASS,
	PINMM_WARN,
	PINMM_DATA_LOSS,
	PINMM_HANG,
	PINMM_OOPS,
	PINMM_REFUSED,
	PINMM_ERROR,	/* the run could not be set up */
};

enum pinmm_sched {
	PINMM_SCHED_FREE,	/* tasks are host threads, the host schedules */
	PINMM_SCHED_DET,	/* one task at a time, virtual time, a strategy */
};

/* One step of a run, as the dpor search records it (harness/dpor.h). */
struct pinmm_event;

/* One decision of the deterministic scheduler at a choice point. */
struct pinmm_decision {
	int pid;		/* the task chosen */
	int nr_runnable;	/* how many could run */
	int cur_pid;		/* the running task, if it could go on; else 0 */
	bool preemption;	/* it preempted a task that could have gone on */
	bool resumed;		/* that task had just woken or started and done
				 * nothing visible: switching was no preemption */
	uint64_t runnable;	/* the pids that could run, as a bit mask */
	uint64_t sleep;		/* dfs: the tasks asleep here (sleep sets) */
	uint64_t explored;	/* dfs: the alternatives explored before */
};

struct pinmm_options {
	bool echo_log;			/* copy the kernel log to stderr */
	uint64_t hung_task_timeout_us;	/* 0: the scenario's */
	const char *trace_path;		/* write a Chrome trace of the run */
	enum pinmm_sched sched;
	const char *strategy;		/* det: fifo (default), random, pct:D */
	uint64_t strategy_seed;
	/* det: follow these decisions first (a replay or a search prefix) */
	const struct pinmm_decision *forced;
	int nr_forced;
	uint64_t expected_points;	/* det, PCT: choice points in a run */
};

struct pinmm_counter {
	const char *name;
	long value;
};

struct pinmm_result {
	char scenario[64];
	char scenario_file[256];	/* the file it came from; "": a built-in */
	char *scenario_text;		/* that file's text, malloc'ed */
	char policy[32];
	uint64_t seed;
	enum pinmm_verdict verdict;
	bool bytes_checked;	/* false when the run ended before the check */
	long long bytes_lost;	/* after the final sync, not on the device */
	/* Bytes an fsync or sync promised (stored, or DMA'd and released
	 * dirty, before it was called, and not touched since) that were not
	 * on the device when it returned, summed over them. */
	long long fsync_lost;
	char loss[512];		/* the first lost byte, in words */
	char oops[160];		/* "kernel BUG at fs/ext4/inode.c:NNN!" or "" */
	char oops_task[32];
	char oops_trace[4096];	/* " fn+0xoff/0xsize" lines */
	char oops_functions[1024];
	int warnings;
	char warn[320];
	char hang[8192];	/* who waited on what, when the run hung */
	char refused[256];
	char error[512];
	char signals[512];	/* a process a signal killed (a store beyond
				 * EOF is SIGBUS), or "" */
	char hang_class[16];	/* "deadlock", "hung task" or "livelock" */
	char lockdep[2048];	/* the first lock-order inversion, or "" */
	uint64_t duration_us;
	char *log;		/* the kernel log (dmesg), malloc'ed */
	char *flight;		/* the last events before a failure, malloc'ed */
	int nr_counters;
	struct pinmm_counter *counters;	/* malloc'ed */
	/* How long each fsync that returned took, in the run's clock (model
	 * time in deterministic mode), in us, oldest first. */
	int nr_fsyncs;
	uint64_t *fsync_us;		/* malloc'ed */
	/*
	 * A digest of how the run ended: verdict, oops, hang class, bytes
	 * lost, counters and the device's bytes of every checked file.
	 * Runs that differ only in the order of independent steps end in
	 * the same state.
	 */
	uint64_t end_state;
	/* Deterministic mode: the run's scheduling points and decisions. */
	uint64_t steps;
	uint64_t choice_points;
	unsigned int preemptions;
	bool diverged;		/* the forced decisions did not fit this run */
	int nr_decisions;
	struct pinmm_decision *decisions;	/* malloc'ed */
	/* Strategy "dpor": every step, for the search (harness/dpor.h). */
	int nr_events;
	struct pinmm_event *events;		/* malloc'ed */
};

const char *pinmm_verdict_name(enum pinmm_verdict verdict);

/* NULL-terminated lists of the built-in scenarios and of the policies. */
const char *const *pinmm_scenario_names(void);
const char *pinmm_scenario_description(const char *name);
const char *const *pinmm_policy_names(void);
const char *pinmm_policy_description(const char *name);

/*
 * Scenario files (docs/scenario-format.md).  The built-in scenarios are
 * the files of model/scenarios/, embedded at build time; anywhere a
 * scenario NAME is taken, a path to a file works too: an argument with a
 * '/' or ending in .ini is a path (pinmm_scenario_is_file()).
 *
 * pinmm_scenario_text(): the text of a built-in scenario's file, or NULL.
 * pinmm_scenario_error(): why a built-in file did not parse, or NULL (the
 * build checks every file, so this is NULL unless something slipped by).
 * pinmm_scenario_check(): parse the file at @path; 0 when it is valid, -1
 * with one line "FILE:LINE: [section] key: message (expected ...)" per
 * error in @err otherwise.
 */
bool pinmm_scenario_is_file(const char *arg);
const char *pinmm_scenario_text(const char *name);
const char *pinmm_scenario_error(const char *name);
int pinmm_scenario_check(const char *path, char *err, size_t len);

/*
 * Run @scenario (a built-in name or a file's path) once under @policy with
 * @seed.  Returns 0 and fills @result (free it with pinmm_result_free()),
 * or -1 with result->error set when the names are unknown, the file does
 * not parse (pinmm_scenario_check() says why) or the machine cannot be set
 * up.
 */
int pinmm_run(const char *scenario, const char *policy, uint64_t seed,
	      const struct pinmm_options *opts, struct pinmm_result *result);
/*
 * The same for a scenario given as the @text of a file: @file names it in
 * messages and in the result, @name (NULL: from @file) is its name.
 */
int pinmm_run_text(const char *name, const char *file, const char *text,
		   const char *policy, uint64_t seed,
		   const struct pinmm_options *opts, struct pinmm_result *result);
void pinmm_result_free(struct pinmm_result *result);

/* A readable report: the verdict, then the oops, warning, hang or loss
 * the way the kernel would print it, the flight recorder, and the counters
 * that are not zero (all of them with @verbose). */
#include <stdio.h>
void pinmm_result_print(FILE *out, const struct pinmm_result *result,
			bool verbose);
/* One JSON object on one line, malloc'ed (NULL on failure). */
char *pinmm_result_to_json(const struct pinmm_result *result);

/*
 * Systematic exploration (deterministic mode).
 *
 * A schedule is what replays a run exactly: the scenario, policy and seed,
 * and the scheduler's decision at every choice point.  pinmm_explore()
 * runs many schedules of one scenario with a strategy (random, pct:D, or
 * dfs:B, bounded exhaustive search with at most B preemptions) and writes
 * each failing one to a file; pinmm_replay() reruns a file; and
 * pinmm_minimize() removes preemptions while the failure still happens.
 */
struct pinmm_schedule {
	char scenario[256];
	/* A scenario file's run: the file, and its text, which replay runs
	 * (malloc'ed; NULL: a built-in scenario, by name). */
	char scenario_file[256];
	char *scenario_text;
	char policy[32];
	uint64_t seed;
	char strategy[32];
	uint64_t strategy_seed;
	char verdict[16];
	char oops[160];
	int nr_decisions;
	struct pinmm_decision *decisions;	/* malloc'ed */
};

struct pinmm_explore_status {
	uint64_t explored;		/* schedules run by this shard */
	uint64_t failures;
	uint64_t verdicts[PINMM_ERROR + 1];
	uint64_t max_choice_points;
	double elapsed_s;
	bool exhausted;			/* dfs: every schedule within the bound;
					 * dpor: every trace */
	uint64_t races;			/* dpor: races reversed, over all runs */
	/* Distinct pinmm_result.end_state values, and their sum (a digest
	 * of the set: two explorations that reach the same end states have
	 * the same count and sum). */
	uint64_t end_states;
	uint64_t end_state_sum;
	char first_failure[512];	/* the file of the first failing schedule */
	char first_verdict[16];
	char error[256];
};

struct pinmm_explore_options {
	const char *strategy;		/* random, pct:D or dfs:B */
	uint64_t schedules;		/* how many (dfs: at most; 0: no cap,
					 * dfs only: random and pct never end) */
	uint64_t first;			/* the first schedule's number */
	unsigned int shard, shards;	/* run schedule i iff i % shards == shard */
	bool keep_going;		/* go on after a failure */
	/*
	 * dfs: the textbook preemption-bounded search (Musuvathi and Qadeer,
	 * PLDI 2007): no sleep sets, and every switch away from a task that
	 * could go on counts.  Every end state it reaches, the default search
	 * (sleep sets, and free switches at a woken task's first point) must
	 * reach too within the same bound; this is how that is checked.
	 */
	bool no_reduction;
	const char *schedule_prefix;	/* failing schedules: PREFIX-N.sched */
	const char *summary_path;	/* write a summary for merging shards */
	uint64_t hung_task_timeout_us;
	void (*progress)(const struct pinmm_explore_status *st, void *arg);
	void *arg;
};

int pinmm_explore(const char *scenario, const char *policy, uint64_t seed,
		  const struct pinmm_explore_options *opts,
		  struct pinmm_explore_status *status);

/* What a shard's summary says it is a part of. */
struct pinmm_shard_info {
	char scenario[256];
	char policy[32];
	uint64_t seed;
	char strategy[32];
	unsigned int shard, shards;
};

/*
 * Add up the summaries (pinmm_explore_options.summary_path) of the shards
 * 0..N-1 of one exploration, each once: counts, verdicts and failures
 * summed, distinct end states counted over the union, complete when every
 * shard ran its whole part.  The slowest shard's time.
 */
int pinmm_explore_merge(const char *const *paths, int nr,
			struct pinmm_shard_info *info,
			struct pinmm_explore_status *status);
int pinmm_schedule_from_result(struct pinmm_schedule *s,
			       const struct pinmm_result *r,
			       const char *strategy, uint64_t strategy_seed);
int pinmm_schedule_write(const char *path, const struct pinmm_schedule *s);
int pinmm_schedule_read(const char *path, struct pinmm_schedule *s, char *err,
			size_t len);
void pinmm_schedule_free(struct pinmm_schedule *s);
int pinmm_replay(const struct pinmm_schedule *s, const struct pinmm_options *opts,
		 struct pinmm_result *result);
/* Shrink @s to fewer preemptions with the same verdict (and BUG line). */
int pinmm_minimize(const struct pinmm_schedule *s, struct pinmm_schedule *out,
		   char *err, size_t len);

/*
 * The designs side by side (pinmm compare): every scenario under every
 * policy, @seeds deterministic runs each (model time: the same numbers on
 * any machine), summed per cell.
 */
struct pinmm_compare_cell {
	char scenario[64];
	char policy[32];
	int runs;
	int verdicts[PINMM_ERROR + 1];	/* runs per verdict */
	/* The cell's verdict: the most severe one its runs reached. */
	enum pinmm_verdict verdict;
	char why[200];			/* that verdict's first run, in words */
	long long bytes_lost;		/* after the final sync, all runs */
	long long fsync_lost;		/* bytes fsyncs promised and missed */
	int fsync_misses;		/* runs where an fsync broke its promise */
	long unstable_writes;		/* pages written while pinned for write */
	long unstable_bytes;		/* bytes on the disk writeback never took */
	long unpin_waits;		/* waits for an unpin */
	long refused_pins;		/* long-term writable pins refused */
	long pin_false_positives;
	long bounce_copies;
	long bounce_bytes;
	int nr_fsyncs;			/* fsyncs that returned, all runs */
	uint64_t fsync_p50_us, fsync_p99_us;	/* their latency, model time */
};

/* The scenarios of docs/catalog.md that the model runs, NULL-terminated. */
const char *const *pinmm_catalog_names(void);

enum pinmm_compare_format {
	PINMM_COMPARE_TABLE,
	PINMM_COMPARE_MARKDOWN,
	PINMM_COMPARE_JSON,
};

struct pinmm_compare_options {
	int seeds;			/* runs per cell (seeds first_seed...) */
	uint64_t first_seed;
	const char *strategy;		/* det strategy; NULL: random */
	/* Called after each cell, for progress. */
	void (*progress)(const struct pinmm_compare_cell *cell, void *arg);
	void *arg;
};

/*
 * Fill @cells[s * nr_policies + p] for each scenario s and policy p.
 * Returns 0, or -1 with a message in @err (an unknown name, a scenario file
 * that does not parse, a run that could not be set up).
 */
int pinmm_compare(const char *const *scenarios, int nr_scenarios,
		  const char *const *policies, int nr_policies,
		  const struct pinmm_compare_options *opts,
		  struct pinmm_compare_cell *cells, char *err, size_t len);
void pinmm_compare_print(FILE *out, const struct pinmm_compare_cell *cells,
			 int nr, const struct pinmm_compare_options *opts,
			 enum pinmm_compare_format format);
/* A PNG of fsync latency per design and scenario, drawn by gnuplot. */
int pinmm_compare_plot(const char *png, const struct pinmm_compare_cell *cells,
		       int nr, char *err, size_t len);

/* A counter of a result by name; -1 if there is none of that name. */
long pinmm_result_counter(const struct pinmm_result *result, const char *name);

#ifdef __cplusplus
}
#endif

#endif /* _PINMM_PINMM_H */
