// SPDX-License-Identifier: GPL-2.0
/*
 * pinmm: the command line of libpinmm.
 *
 *   pinmm run NAME|FILE [--policy P] [--seed N] [--runs N] [--json] [-v]
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

#include <pinmm/pinmm.h>

static const char usage[] =
	"usage: pinmm run SCENARIO [--policy vanilla|seed] [--seed N] [--runs N]\n"
	"                          [--json] [--hung-timeout US] [--verbose]\n"
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

static int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "runs", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "hung-timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	const char *policy = "vanilla";
	unsigned long long seed = 1, runs = 1, hung = 0;
	bool json = false, verbose = false;
	struct pinmm_options opts = { 0 };
	int counts[PINMM_ERROR + 1] = { 0 };
	int opt, failed = 0;
	const char *scenario;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "p:s:n:jt:v", longopts, NULL)) != -1) {
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
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("%s", "run: which scenario? ('pinmm list' shows them)");
	if (optind + 1 < argc)
		return usage_error("run: unexpected argument '%s'", argv[optind + 1]);
	scenario = argv[optind];
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
	opts.hung_task_timeout_us = hung;
	opts.echo_log = false;

	for (unsigned long long i = 0; i < runs; i++) {
		struct pinmm_result r;

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

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
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
