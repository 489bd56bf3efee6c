// SPDX-License-Identifier: GPL-2.0
/*
 * pinmm: the command line of libpinmm.
 *
 *   pinmm run NAME|FILE [--policy P] [--seed N] [--runs N] [--json] [-v]
 *             [--sched free|det] [--strategy S] [--trace FILE]
 *   pinmm explore NAME|FILE [--policy P] --strategy S [--schedules N]
 *             [--shard I/N] [--keep-going] [--out PREFIX] [--no-reduction]
 *   pinmm replay FILE [--minimize] [--out FILE] [--json] [--trace FILE]
 *   pinmm list
 *   pinmm show NAME
 *   pinmm check FILE...
 *   pinmm policies
 *
 * Exit status: 0 when every run passed, 1 when some run did not, 2 on a
 * usage error or an invalid scenario file.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pinmm/pinmm.h>

static const char usage[] =
	"usage: pinmm run SCENARIO [--policy vanilla|seed] [--seed N] [--runs N]\n"
	"                          [--json] [--hung-timeout US] [--verbose]\n"
	"                          [--sched free|det] [--strategy fifo|random|pct:D]\n"
	"                          [--strategy-seed N] [--trace FILE]\n"
	"       pinmm explore SCENARIO [--policy P] [--seed N] --strategy random|pct:D|dfs:B\n"
	"                          [--schedules N] [--first N] [--shard I/N]\n"
	"                          [--keep-going] [--out PREFIX] [--hung-timeout US]\n"
	"                          [--no-reduction]\n"
	"       pinmm replay SCHEDULE [--minimize] [--out FILE] [--json] [--trace FILE] [-v]\n"
	"       pinmm list             the built-in scenarios\n"
	"       pinmm show NAME        a built-in scenario's file\n"
	"       pinmm check FILE...    validate scenario files\n"
	"       pinmm policies         the pinning designs\n"
	"       pinmm help\n"
	"SCENARIO is a built-in NAME or a FILE: an argument with a '/' or ending\n"
	"in .ini is a file (docs/scenario-format.md describes the format).\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "pinmm: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'pinmm help'.\n");
	return 2;
}

static bool parse_u64(const char *s, unsigned long long *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return !errno && !*end;
}

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
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "runs", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "hung-timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "sched", required_argument, NULL, 'S' },
		{ "strategy", required_argument, NULL, 'g' },
		{ "strategy-seed", required_argument, NULL, 'G' },
		{ "trace", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	const char *policy = "vanilla";
	unsigned long long seed = 1, runs = 1, hung = 0, strategy_seed = 0;
	bool json = false, verbose = false;
	const char *trace = NULL;
	struct pinmm_options opts = { 0 };
	int counts[PINMM_ERROR + 1] = { 0 };
	int opt, failed = 0;
	const char *scenario;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":p:s:n:jt:vS:g:G:T:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			policy = optarg;
			break;
		case 's':
			if (!parse_u64(optarg, &seed))
				return usage_error("--seed wants a non-negative integer, not '%s'", optarg);
			break;
		case 'n':
			if (!parse_u64(optarg, &runs) || !runs || runs > INT_MAX)
				return usage_error("--runs wants a positive integer, not '%s'", optarg);
			break;
		case 'j':
			json = true;
			break;
		case 't':
			if (!parse_u64(optarg, &hung) || !hung)
				return usage_error("--hung-timeout wants microseconds, not '%s'", optarg);
			break;
		case 'v':
			verbose = true;
			break;
		case 'S':
			if (!strcmp(optarg, "det"))
				opts.sched = PINMM_SCHED_DET;
			else if (strcmp(optarg, "free"))
				return usage_error("--sched is free or det, not '%s'", optarg);
			break;
		case 'g':
			opts.strategy = optarg;
			break;
		case 'G':
			if (!parse_u64(optarg, &strategy_seed))
				return usage_error("--strategy-seed wants a non-negative integer, not '%s'",
						   optarg);
			break;
		case 'T':
			trace = optarg;
			break;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (opts.strategy && opts.sched != PINMM_SCHED_DET)
		return usage_error("--strategy %s needs --sched det", opts.strategy);
	if (optind >= argc)
		return usage_error("%s", "run: which scenario? ('pinmm list' shows them)");
	if (optind + 1 < argc)
		return usage_error("run: unexpected argument '%s'", argv[optind + 1]);
	scenario = argv[optind];
	if (check_target(scenario, policy))
		return 2;
	opts.hung_task_timeout_us = hung;
	opts.echo_log = false;

	for (unsigned long long i = 0; i < runs; i++) {
		struct pinmm_result r;
		char trace_path[4096];

		if (trace && runs > 1) {
			const char *dot = strrchr(trace, '.');
			int base = dot ? (int)(dot - trace) : (int)strlen(trace);

			snprintf(trace_path, sizeof(trace_path), "%.*s-%llu%s", base,
				 trace, seed + i, dot ? dot : "");
			opts.trace_path = trace_path;
		} else {
			opts.trace_path = trace;
		}
		opts.strategy_seed = strategy_seed + i;
		if (pinmm_run(scenario, policy, seed + i, &opts, &r)) {
			fprintf(stderr, "pinmm: %s\n", r.error);
			pinmm_result_free(&r);
			return 2;
		}
		counts[r.verdict]++;
		if (r.verdict != PINMM_PASS)
			failed++;
		if (json) {
			char *line = pinmm_result_to_json(&r);

			if (line)
				puts(line);
			free(line);
		} else if (runs == 1 || r.verdict != PINMM_PASS || verbose) {
			pinmm_result_print(stdout, &r, verbose);
		}
		pinmm_result_free(&r);
		fflush(stdout);
	}
	if (!json && runs > 1) {
		printf("%s under %s, %llu runs from seed %llu:", scenario, policy,
		       runs, seed);
		for (int v = 0; v <= PINMM_ERROR; v++)
			if (counts[v])
				printf(" %s %d", pinmm_verdict_name(v), counts[v]);
		printf("\n");
	}
	return failed ? 1 : 0;
}

static bool parse_shard(const char *s, unsigned int *shard, unsigned int *shards)
{
	unsigned int i, n;
	char c;

	if (sscanf(s, "%u/%u%c", &i, &n, &c) != 2 || !n || i >= n)
		return false;
	*shard = i;
	*shards = n;
	return true;
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

static int cmd_explore(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "strategy", required_argument, NULL, 'g' },
		{ "schedules", required_argument, NULL, 'n' },
		{ "first", required_argument, NULL, 'f' },
		{ "shard", required_argument, NULL, 'h' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "out", required_argument, NULL, 'o' },
		{ "hung-timeout", required_argument, NULL, 't' },
		{ "no-reduction", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	struct pinmm_explore_options o = { .strategy = "pct:2", .schedules = 1000 };
	struct pinmm_explore_status st;
	const char *policy = "vanilla";
	unsigned long long seed = 1, v;
	const char *scenario;
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":p:s:g:n:f:h:ko:t:R", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			policy = optarg;
			break;
		case 's':
			if (!parse_u64(optarg, &seed))
				return usage_error("--seed wants a non-negative integer, not '%s'", optarg);
			break;
		case 'g':
			o.strategy = optarg;
			break;
		case 'n':
			if (!parse_u64(optarg, &v))
				return usage_error("--schedules wants a number (0: no cap), not '%s'", optarg);
			o.schedules = v;
			break;
		case 'f':
			if (!parse_u64(optarg, &v))
				return usage_error("--first wants a number, not '%s'", optarg);
			o.first = v;
			break;
		case 'h':
			if (!parse_shard(optarg, &o.shard, &o.shards))
				return usage_error("--shard wants I/N with 0 <= I < N, not '%s'", optarg);
			break;
		case 'k':
			o.keep_going = true;
			break;
		case 'R':
			o.no_reduction = true;
			break;
		case 'o':
			o.schedule_prefix = optarg;
			break;
		case 't':
			if (!parse_u64(optarg, &v) || !v)
				return usage_error("--hung-timeout wants microseconds, not '%s'", optarg);
			o.hung_task_timeout_us = v;
			break;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("%s", "explore: which scenario? ('pinmm list' shows them)");
	if (optind + 1 < argc)
		return usage_error("explore: unexpected argument '%s'", argv[optind + 1]);
	scenario = argv[optind];
	if (check_target(scenario, policy))
		return 2;
	o.progress = explore_progress;
	o.arg = &o;
	if (pinmm_explore(scenario, policy, seed, &o, &st)) {
		if (isatty(STDERR_FILENO))
			fputc('\n', stderr);
		fprintf(stderr, "pinmm: %s\n", st.error);
		return 2;
	}
	if (isatty(STDERR_FILENO))
		fputc('\n', stderr);
	printf("%s under %s, strategy %s", scenario, policy, o.strategy);
	if (o.shards > 1)
		printf(", shard %u/%u", o.shard, o.shards);
	printf(": %llu schedules in %.1f s (%.0f/s), at most %llu choice points a run\n",
	       (unsigned long long)st.explored, st.elapsed_s,
	       st.elapsed_s > 0 ? (double)st.explored / st.elapsed_s : 0.0,
	       (unsigned long long)st.max_choice_points);
	printf("verdicts:");
	for (int i = 0; i <= PINMM_ERROR; i++)
		if (st.verdicts[i])
			printf(" %s %llu", pinmm_verdict_name(i),
			       (unsigned long long)st.verdicts[i]);
	printf("\n");
	printf("end states: %llu distinct (digest %016llx)\n",
	       (unsigned long long)st.end_states,
	       (unsigned long long)st.end_state_sum);
	if (!strncmp(o.strategy, "dfs:", 4))
		printf("search %s\n", st.exhausted ? "complete: every schedule within the bound was run" :
						     "stopped before the end of the tree");
	if (st.failures)
		printf("%llu failing schedules; the first (%s) is in %s\n"
		       "replay it with: pinmm replay %s\n",
		       (unsigned long long)st.failures, st.first_verdict,
		       st.first_failure, st.first_failure);
	else
		printf("no failure found\n");
	return st.failures ? 1 : 0;
}

static int cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "minimize", no_argument, NULL, 'm' },
		{ "out", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "trace", required_argument, NULL, 'T' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	bool minimize = false, json = false, verbose = false;
	const char *out = NULL;
	struct pinmm_options opts = { 0 };
	struct pinmm_schedule s, m;
	struct pinmm_result r;
	char err[512], outbuf[4096];
	int opt, ret;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":mo:jT:v", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			minimize = true;
			break;
		case 'o':
			out = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'T':
			opts.trace_path = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return usage_error("%s", "replay: which schedule file?");
	if (pinmm_schedule_read(argv[optind], &s, err, sizeof(err))) {
		fprintf(stderr, "pinmm: %s\n", err);
		return 2;
	}
	if (minimize) {
		int before = 0, left = pinmm_minimize(&s, &m, err, sizeof(err));

		if (left < 0) {
			fprintf(stderr, "pinmm: %s\n", err);
			pinmm_schedule_free(&s);
			return 2;
		}
		if (!out) {
			snprintf(outbuf, sizeof(outbuf), "%s.min", argv[optind]);
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
	if (json) {
		char *line = pinmm_result_to_json(&r);

		if (line)
			puts(line);
		free(line);
	} else {
		pinmm_result_print(stdout, &r, verbose);
	}
	if (strcmp(pinmm_verdict_name(r.verdict), s.verdict) || strcmp(r.oops, s.oops) ||
	    r.diverged) {
		fprintf(stderr, "pinmm: the replay did not reproduce the schedule's %s%s\n",
			s.verdict, r.diverged ? " (its decisions did not fit)" : "");
		ret = 1;
	} else if (!json) {
		printf("replayed: %s, as recorded\n", s.verdict);
	}
	ret = ret ? ret : (r.verdict != PINMM_PASS);
	pinmm_result_free(&r);
	pinmm_schedule_free(&s);
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
