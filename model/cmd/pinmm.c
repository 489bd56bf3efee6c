// SPDX-License-Identifier: GPL-2.0
/*
 * pinmm: the command line of libpinmm.
 *
 *   pinmm run NAME|FILE [--policy P] [--seed N] [--runs N] [--json] [-v]
 *             [--sched free|det] [--strategy S] [--trace FILE]
 *   pinmm explore NAME|FILE [--policy P] --strategy S [--schedules N]
 *             [--shard I/N] [--keep-going] [--out PREFIX] [--no-reduction]
 *             [--summary FILE]
 *   pinmm merge SUMMARY...
 *   pinmm replay FILE [--minimize] [--out FILE] [--json] [--trace FILE]
 *   pinmm compare [SCENARIO...] [--seeds N] [--json|--markdown] [--plot PNG]
 *   pinmm list
 *   pinmm show NAME
 *   pinmm check FILE...
 *   pinmm policies
 *
 * Exit status: 0 when every run passed, 1 when some run did not, 2 on a
 * usage error or an invalid scenario file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pinmm/pinmm.h>

#include "cli.h"

static const char usage[] =
	"usage: pinmm run SCENARIO [--policy P] [--seed N] [--runs N]\n"
	"                          [--json] [--hung-timeout US] [--verbose]\n"
	"                          [--sched free|det] [--strategy fifo|random|pct:D]\n"
	"                          [--strategy-seed N] [--trace FILE]\n"
	"       pinmm explore SCENARIO [--policy P] [--seed N] --strategy random|pct:D|dfs:B|dpor\n"
	"                          [--schedules N] [--first N] [--shard I/N]\n"
	"                          [--keep-going] [--out PREFIX] [--hung-timeout US]\n"
	"                          [--no-reduction] [--summary FILE]\n"
	"       pinmm merge SUMMARY...  add up the shards of one exploration\n"
	"       pinmm replay SCHEDULE [--minimize] [--out FILE] [--json] [--trace FILE] [-v]\n"
	"       pinmm compare [SCENARIO...] [--seeds N] [--seed FIRST] [--strategy S]\n"
	"                          [--json|--markdown] [--plot FILE.png]\n"
	"                          every design on each SCENARIO (default: the catalog)\n"
	"       pinmm list             the built-in scenarios\n"
	"       pinmm show NAME        a built-in scenario's file\n"
	"       pinmm check FILE...    validate scenario files\n"
	"       pinmm policies         the pinning designs (P: vanilla, seed, upstream, bounce)\n"
	"       pinmm help\n"
	"SCENARIO is a built-in NAME or a FILE: an argument with a '/' or ending\n"
	"in .ini is a file (docs/scenario-format.md describes the format).\n";

static bool known(const char *const *names, const char *name)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

static int cmd_list(void)
{
	const char *const *names = pinmm_scenario_names();
	int ret = 0;

	for (int i = 0; names[i]; i++) {
		const char *err = pinmm_scenario_error(names[i]);

		if (err) {
			printf("%-22s INVALID: %s\n", names[i], err);
			ret = 2;
			continue;
		}
		printf("%-22s %s\n", names[i], pinmm_scenario_description(names[i]));
	}
	return ret;
}

static int cmd_show(const char *name)
{
	const char *text = pinmm_scenario_text(name);

	if (!text)
		return usage_error("unknown scenario '%s' ('pinmm list' shows them)", name);
	fputs(text, stdout);
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	static char err[16384];
	int bad = 0;

	if (argc < 1)
		return usage_error("%s", "check: which files?");
	for (int i = 0; i < argc; i++) {
		if (pinmm_scenario_check(argv[i], err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			bad++;
		}
	}
	return bad ? 2 : 0;
}

static int cmd_policies(void)
{
	const char *const *names = pinmm_policy_names();

	for (int i = 0; names[i]; i++)
		printf("%-10s %s\n", names[i], pinmm_policy_description(names[i]));
	return 0;
}

/*
 * A scenario (a built-in name, or a file that must be valid) and a policy
 * that run and explore can use; reports why not and returns non-zero.
 */
static int check_target(const char *scenario, const char *policy)
{
	if (pinmm_scenario_is_file(scenario)) {
		static char err[16384];

		if (pinmm_scenario_check(scenario, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
	} else if (!known(pinmm_scenario_names(), scenario)) {
		return usage_error("unknown scenario '%s' ('pinmm list' shows them)", scenario);
	}
	if (!known(pinmm_policy_names(), policy))
		return usage_error("unknown policy '%s' ('pinmm policies' shows them)", policy);
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	struct cli c = { .policy = "vanilla", .seed = 1, .runs = 1 };
	struct pinmm_options opts = { 0 };
	int counts[PINMM_ERROR + 1] = { 0 };
	int failed = 0, trace_failed = 0;
	const char *scenario;

	if (cli_parse(&c, CMD_RUN, argc, argv))
		return 2;
	if (c.strategy && !c.det)
		return usage_error("--strategy %s needs --sched det", c.strategy);
	if (c.argc < 1)
		return usage_error("%s", "run: which scenario? ('pinmm list' shows them)");
	if (c.argc > 1)
		return usage_error("run: unexpected argument '%s'", c.argv[1]);
	scenario = c.argv[0];
	if (check_target(scenario, c.policy))
		return 2;
	opts.hung_task_timeout_us = c.hung_timeout;
	opts.sched = c.det ? PINMM_SCHED_DET : PINMM_SCHED_FREE;
	opts.strategy = c.strategy;

	for (uint64_t i = 0; i < c.runs; i++) {
		struct pinmm_result r;
		char trace_path[4096];

		if (c.trace && c.runs > 1) {
			const char *dot = strrchr(c.trace, '.');
			int base = dot ? (int)(dot - c.trace) : (int)strlen(c.trace);

			snprintf(trace_path, sizeof(trace_path), "%.*s-%llu%s", base,
				 c.trace, (unsigned long long)(c.seed + i),
				 dot ? dot : "");
			opts.trace_path = trace_path;
		} else {
			opts.trace_path = c.trace;
		}
		opts.strategy_seed = c.strategy_seed + i;
		if (pinmm_run(scenario, c.policy, c.seed + i, &opts, &r)) {
			fprintf(stderr, "pinmm: %s\n", r.error);
			pinmm_result_free(&r);
			return 2;
		}
		/* The run is done, but what it was asked to write is not. */
		if (opts.trace_path && r.error[0] && r.verdict != PINMM_ERROR) {
			fprintf(stderr, "pinmm: %s\n", r.error);
			trace_failed = 1;
		}
		counts[r.verdict]++;
		if (r.verdict != PINMM_PASS)
			failed++;
		if (c.json) {
			char *line = pinmm_result_to_json(&r);

			if (line)
				puts(line);
			free(line);
		} else if (c.runs == 1 || r.verdict != PINMM_PASS || c.verbose) {
			pinmm_result_print(stdout, &r, c.verbose);
		}
		pinmm_result_free(&r);
		fflush(stdout);
	}
	if (!c.json && c.runs > 1) {
		printf("%s under %s, %llu runs from seed %llu:", scenario, c.policy,
		       (unsigned long long)c.runs, (unsigned long long)c.seed);
		for (int v = 0; v <= PINMM_ERROR; v++)
			if (counts[v])
				printf(" %s %d", pinmm_verdict_name(v), counts[v]);
		printf("\n");
	}
	if (trace_failed)
		return 2;
	return failed ? 1 : 0;
}

static void explore_progress(const struct pinmm_explore_status *st, void *arg)
{
	const struct pinmm_explore_options *o = arg;
	double rate = st->elapsed_s > 0 ? (double)st->explored / st->elapsed_s : 0;

	if (!isatty(STDERR_FILENO))
		return;
	if (o->schedules)
		fprintf(stderr, "\r[%3.0f%%] ", 100.0 * (double)st->explored /
						      (double)o->schedules);
	else
		fprintf(stderr, "\r");
	fprintf(stderr, "%llu schedules, %.0f/s, %llu failures   ",
		(unsigned long long)st->explored, rate,
		(unsigned long long)st->failures);
}

/* What an exploration (or the merged shards of one) found; its exit status. */
static int print_explored(const char *scenario, const char *policy,
			  const char *strategy, unsigned int shard,
			  unsigned int shards, const struct pinmm_explore_status *st)
{
	printf("%s under %s, strategy %s", scenario, policy, strategy);
	if (shards > 1)
		printf(", shard %u/%u", shard, shards);
	printf(": %llu schedules in %.1f s (%.0f/s), at most %llu choice points a run\n",
	       (unsigned long long)st->explored, st->elapsed_s,
	       st->elapsed_s > 0 ? (double)st->explored / st->elapsed_s : 0.0,
	       (unsigned long long)st->max_choice_points);
	printf("verdicts:");
	for (int i = 0; i <= PINMM_ERROR; i++)
		if (st->verdicts[i])
			printf(" %s %llu", pinmm_verdict_name(i),
			       (unsigned long long)st->verdicts[i]);
	printf("\n");
	printf("end states: %llu distinct (digest %016llx)\n",
	       (unsigned long long)st->end_states,
	       (unsigned long long)st->end_state_sum);
	if (!strncmp(strategy, "dfs:", 4))
		printf("search %s\n", st->exhausted ? "complete: every schedule within the bound was run" :
						     "stopped before the end of the tree");
	if (!strcmp(strategy, "dpor"))
		printf("search %s (%llu races reversed)\n",
		       st->exhausted ? "complete: every trace was run, with no bound" :
				      "stopped before the end of the tree",
		       (unsigned long long)st->races);
	if (st->failures)
		printf("%llu failing schedules; the first (%s) is in %s\n"
		       "replay it with: pinmm replay %s\n",
		       (unsigned long long)st->failures, st->first_verdict,
		       st->first_failure, st->first_failure);
	else
		printf("no failure found\n");
	return st->failures ? 1 : 0;
}

static int cmd_explore(int argc, char **argv)
{
	struct cli c = { .policy = "vanilla", .seed = 1, .strategy = "pct:2",
			 .schedules = 1000 };
	struct pinmm_explore_options o;
	struct pinmm_explore_status st;
	const char *scenario;

	if (cli_parse(&c, CMD_EXPLORE, argc, argv))
		return 2;
	if (c.argc < 1)
		return usage_error("%s", "explore: which scenario? ('pinmm list' shows them)");
	if (c.argc > 1)
		return usage_error("explore: unexpected argument '%s'", c.argv[1]);
	/* dpor has no bound: its whole tree, unless told otherwise. */
	if (!strcmp(c.strategy, "dpor") && !c.schedules_given)
		c.schedules = 0;
	if (c.no_reduction && strncmp(c.strategy, "dfs:", 4))
		return usage_error("--no-reduction is for a dfs:B search, not %s",
				   c.strategy);
	/* Random and PCT schedules never run out: they need a number. */
	if (!c.schedules && strncmp(c.strategy, "dfs:", 4) &&
	    strcmp(c.strategy, "dpor"))
		return usage_error("--schedules 0 (no cap) is for a dfs:B search, which ends; %s needs a number",
				   c.strategy);
	scenario = c.argv[0];
	if (check_target(scenario, c.policy))
		return 2;
	o = (struct pinmm_explore_options){
		.strategy = c.strategy,
		.schedules = c.schedules,
		.first = c.first,
		.shard = c.shard,
		.shards = c.shards,
		.keep_going = c.keep_going,
		.no_reduction = c.no_reduction,
		.schedule_prefix = c.out,
		.summary_path = c.summary,
		.hung_task_timeout_us = c.hung_timeout,
	};
	o.progress = explore_progress;
	o.arg = &o;
	if (pinmm_explore(scenario, c.policy, c.seed, &o, &st)) {
		if (isatty(STDERR_FILENO))
			fputc('\n', stderr);
		fprintf(stderr, "pinmm: %s\n", st.error);
		return 2;
	}
	if (isatty(STDERR_FILENO))
		fputc('\n', stderr);
	return print_explored(scenario, c.policy, o.strategy, o.shard, o.shards, &st);
}

/* pinmm merge SUMMARY...: the shards of one exploration, added up. */
static int cmd_merge(int argc, char **argv)
{
	struct pinmm_shard_info info;
	struct pinmm_explore_status st;

	if (argc < 1)
		return usage_error("%s", "merge: which summaries? (pinmm explore --summary FILE)");
	if (pinmm_explore_merge((const char *const *)argv, argc, &info, &st)) {
		fprintf(stderr, "pinmm: merge: %s\n", st.error);
		return 2;
	}
	printf("%u shards merged\n", info.shards);
	return print_explored(info.scenario, info.policy, info.strategy, 0, 1, &st);
}

static int cmd_replay(int argc, char **argv)
{
	struct cli c = { 0 };
	struct pinmm_options opts = { 0 };
	struct pinmm_schedule s, m;
	struct pinmm_result r;
	char err[512], outbuf[4096];
	const char *out;
	int ret;

	if (cli_parse(&c, CMD_REPLAY, argc, argv))
		return 2;
	if (c.argc != 1)
		return usage_error("%s", "replay: which schedule file?");
	opts.trace_path = c.trace;
	out = c.out;
	if (pinmm_schedule_read(c.argv[0], &s, err, sizeof(err))) {
		fprintf(stderr, "pinmm: %s\n", err);
		return 2;
	}
	if (c.minimize) {
		int before = 0, left = pinmm_minimize(&s, &m, err, sizeof(err));

		if (left < 0) {
			fprintf(stderr, "pinmm: %s\n", err);
			pinmm_schedule_free(&s);
			return 2;
		}
		if (!out) {
			snprintf(outbuf, sizeof(outbuf), "%s.min", c.argv[0]);
			out = outbuf;
		}
		ret = pinmm_replay(&s, NULL, &r);
		for (int i = 0; !ret && i < r.nr_decisions; i++)
			before += r.decisions[i].preemption;
		pinmm_result_free(&r);
		if (pinmm_schedule_write(out, &m)) {
			fprintf(stderr, "pinmm: cannot write %s\n", out);
			return 2;
		}
		printf("minimized: %d preemptions -> %d, written to %s\n", before,
		       left, out);
		pinmm_schedule_free(&s);
		s = m;
	}
	ret = pinmm_replay(&s, &opts, &r);
	if (ret) {
		fprintf(stderr, "pinmm: %s\n", r.error);
		pinmm_result_free(&r);
		pinmm_schedule_free(&s);
		return 2;
	}
	if (c.json) {
		char *line = pinmm_result_to_json(&r);

		if (line)
			puts(line);
		free(line);
	} else {
		pinmm_result_print(stdout, &r, c.verbose);
	}
	if (strcmp(pinmm_verdict_name(r.verdict), s.verdict) || strcmp(r.oops, s.oops) ||
	    r.diverged) {
		fprintf(stderr, "pinmm: the replay did not reproduce the schedule's %s%s\n",
			s.verdict, r.diverged ? " (its decisions did not fit)" : "");
		ret = 1;
	} else if (!c.json) {
		printf("replayed: %s, as recorded\n", s.verdict);
	}
	ret = ret ? ret : (r.verdict != PINMM_PASS);
	pinmm_result_free(&r);
	pinmm_schedule_free(&s);
	return ret;
}

static void compare_progress(const struct pinmm_compare_cell *c, void *arg)
{
	fprintf(stderr, "\r%-20s %-8s", c->scenario, c->policy);
}

/* Every design on each scenario (default: the catalog), side by side. */
static int cmd_compare(int argc, char **argv)
{
	struct cli c = { .seed = 1, .seeds = 10, .strategy = "random" };
	const char *const *policies = pinmm_policy_names();
	const char *const *scenarios;
	struct pinmm_compare_options o;
	struct pinmm_compare_cell *cells;
	int nr_s, nr_p = 0, ret = 0;
	static char err[16384];

	ret = cli_parse(&c, CMD_COMPARE, argc, argv);
	if (ret)
		return ret;
	if (c.json && c.markdown)
		return usage_error("%s", "--json and --markdown: choose one");
	scenarios = c.argc ? (const char *const *)c.argv : pinmm_catalog_names();
	for (nr_s = 0; c.argc ? nr_s < c.argc : scenarios[nr_s] != NULL; nr_s++)
		if ((ret = check_target(scenarios[nr_s], policies[0])))
			return ret;
	while (policies[nr_p])
		nr_p++;
	cells = calloc((size_t)(nr_s * nr_p), sizeof(*cells));
	if (!cells)
		return 1;
	o = (struct pinmm_compare_options){
		.seeds = (int)c.seeds, .first_seed = c.seed, .strategy = c.strategy,
		.progress = isatty(STDERR_FILENO) ? compare_progress : NULL,
	};
	if (pinmm_compare(scenarios, nr_s, policies, nr_p, &o, cells, err, sizeof(err))) {
		fprintf(stderr, "pinmm: compare: %s\n", err);
		free(cells);
		return 1;
	}
	if (o.progress)
		fprintf(stderr, "\r%40s\r", "");
	pinmm_compare_print(stdout, cells, nr_s * nr_p, &o,
			    c.json ? PINMM_COMPARE_JSON :
			    c.markdown ? PINMM_COMPARE_MARKDOWN : PINMM_COMPARE_TABLE);
	if (c.plot && pinmm_compare_plot(c.plot, cells, nr_s * nr_p, err, sizeof(err))) {
		fprintf(stderr, "pinmm: --plot %s: %s\n", c.plot, err);
		ret = 1;
	}
	free(cells);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "explore"))
		return cmd_explore(argc - 1, argv + 1);
	if (!strcmp(argv[1], "replay"))
		return cmd_replay(argc - 1, argv + 1);
	if (!strcmp(argv[1], "merge"))
		return cmd_merge(argc - 2, argv + 2);
	if (!strcmp(argv[1], "compare"))
		return cmd_compare(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list") && argc == 2)
		return cmd_list();
	if (!strcmp(argv[1], "show") && argc == 3)
		return cmd_show(argv[2]);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc - 2, argv + 2);
	if (!strcmp(argv[1], "policies") && argc == 2)
		return cmd_policies();
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		fputs(usage, stdout);
		return 0;
	}
	return usage_error("unknown command '%s'", argv[1]);
}
