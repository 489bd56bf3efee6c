// SPDX-License-Identifier: GPL-2.0
/*
 * The pinmm command's options (cli.h): one table, each option with the
 * commands that take it and the function that checks and stores its value,
 * from which each command's getopt_long() table is built.
 *
 * A value is checked when it is given, so that a bad one is a usage error
 * before anything runs: numbers without signs or trailing junk, and for
 * the options that name a file to write, a directory that exists and can
 * be written (a run that cannot write its trace fails before it starts,
 * not silently after).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "pinmm: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'pinmm help'.\n");
	return 2;
}

static bool parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

/* The directory a file @path would be written into must be there. */
static int writable_path(const char *opt, const char *path)
{
	char dir[PATH_MAX], msg[PATH_MAX + 128];
	const char *slash = strrchr(path, '/');

	if (!*path)
		return usage_error("%s wants a file name", opt);
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (access(dir, W_OK) == 0)
		return 0;
	snprintf(msg, sizeof(msg), "%s %s: cannot write into '%s': %s", opt,
		 path, dir, strerror(errno));
	return usage_error("%s", msg);
}

static int set_policy(struct cli *c, const char *v)
{
	c->policy = v;
	return 0;
}

static int set_seed(struct cli *c, const char *v)
{
	if (!parse_u64(v, &c->seed))
		return usage_error("--seed wants a non-negative integer, not '%s'", v);
	return 0;
}

static int set_runs(struct cli *c, const char *v)
{
	if (!parse_u64(v, &c->runs) || !c->runs || c->runs > INT_MAX)
		return usage_error("--runs wants a positive integer, not '%s'", v);
	return 0;
}

static int set_hung_timeout(struct cli *c, const char *v)
{
	if (!parse_u64(v, &c->hung_timeout) || !c->hung_timeout)
		return usage_error("--hung-timeout wants microseconds, not '%s'", v);
	return 0;
}

static int set_json(struct cli *c, const char *v)
{
	c->json = true;
	return 0;
}

static int set_verbose(struct cli *c, const char *v)
{
	c->verbose = true;
	return 0;
}

static int set_sched(struct cli *c, const char *v)
{
	if (!strcmp(v, "det"))
		c->det = true;
	else if (!strcmp(v, "free"))
		c->det = false;
	else
		return usage_error("--sched is free or det, not '%s'", v);
	return 0;
}

static int set_strategy(struct cli *c, const char *v)
{
	c->strategy = v;
	return 0;
}

static int set_strategy_seed(struct cli *c, const char *v)
{
	if (!parse_u64(v, &c->strategy_seed))
		return usage_error("--strategy-seed wants a non-negative integer, not '%s'",
				   v);
	return 0;
}

static int set_trace(struct cli *c, const char *v)
{
	c->trace = v;
	return writable_path("--trace", v);
}

static int set_schedules(struct cli *c, const char *v)
{
	if (!parse_u64(v, &c->schedules))
		return usage_error("--schedules wants a number (0: no cap, for dfs), not '%s'",
				   v);
	c->schedules_given = true;
	return 0;
}

static int set_first(struct cli *c, const char *v)
{
	if (!parse_u64(v, &c->first))
		return usage_error("--first wants a number, not '%s'", v);
	return 0;
}

static int set_shard(struct cli *c, const char *v)
{
	unsigned int i, n;
	char extra;

	if (sscanf(v, "%u/%u%c", &i, &n, &extra) != 2 || !n || i >= n)
		return usage_error("--shard wants I/N with 0 <= I < N, not '%s'", v);
	c->shard = i;
	c->shards = n;
	return 0;
}

static int set_keep_going(struct cli *c, const char *v)
{
	c->keep_going = true;
	return 0;
}

static int set_no_reduction(struct cli *c, const char *v)
{
	c->no_reduction = true;
	return 0;
}

/* explore: a prefix of schedule files; replay: the minimised schedule. */
static int set_out(struct cli *c, const char *v)
{
	c->out = v;
	return writable_path("--out", v);
}

static int set_summary(struct cli *c, const char *v)
{
	c->summary = v;
	return writable_path("--summary", v);
}

static int set_minimize(struct cli *c, const char *v)
{
	c->minimize = true;
	return 0;
}

static int set_seeds(struct cli *c, const char *v)
{
	if (!parse_u64(v, &c->seeds) || !c->seeds || c->seeds > 100000)
		return usage_error("--seeds wants a positive integer, not '%s'", v);
	return 0;
}

static int set_markdown(struct cli *c, const char *v)
{
	c->markdown = true;
	return 0;
}

static int set_plot(struct cli *c, const char *v)
{
	c->plot = v;
	return writable_path("--plot", v);
}

#define RUN CMD_RUN
#define EXPLORE CMD_EXPLORE
#define REPLAY CMD_REPLAY
#define COMPARE CMD_COMPARE

static const struct cli_option {
	const char *name;
	char letter;		/* its short form; commands never share one */
	bool arg;		/* takes a value */
	unsigned int cmds;	/* enum cli_cmd bits */
	int (*set)(struct cli *c, const char *v);
} cli_options[] = {
	{ "policy", 'p', true, RUN | EXPLORE, set_policy },
	{ "seed", 's', true, RUN | EXPLORE | COMPARE, set_seed },
	{ "runs", 'n', true, RUN, set_runs },
	{ "hung-timeout", 't', true, RUN | EXPLORE, set_hung_timeout },
	{ "json", 'j', false, RUN | REPLAY | COMPARE, set_json },
	{ "verbose", 'v', false, RUN | REPLAY, set_verbose },
	{ "sched", 'S', true, RUN, set_sched },
	{ "strategy", 'g', true, RUN | EXPLORE | COMPARE, set_strategy },
	{ "strategy-seed", 'G', true, RUN, set_strategy_seed },
	{ "trace", 'T', true, RUN | REPLAY, set_trace },
	{ "schedules", 'n', true, EXPLORE, set_schedules },
	{ "first", 'f', true, EXPLORE, set_first },
	{ "shard", 'h', true, EXPLORE, set_shard },
	{ "keep-going", 'k', false, EXPLORE, set_keep_going },
	{ "no-reduction", 'R', false, EXPLORE, set_no_reduction },
	{ "out", 'o', true, EXPLORE | REPLAY, set_out },
	{ "summary", 'y', true, EXPLORE, set_summary },
	{ "minimize", 'm', false, REPLAY, set_minimize },
	{ "seeds", 'N', true, COMPARE, set_seeds },
	{ "markdown", 'M', false, COMPARE, set_markdown },
	{ "plot", 'P', true, COMPARE, set_plot },
};

static const struct cli_option *by_letter(enum cli_cmd cmd, int letter)
{
	for (size_t i = 0; i < sizeof(cli_options) / sizeof(cli_options[0]); i++)
		if ((cli_options[i].cmds & cmd) && cli_options[i].letter == letter)
			return &cli_options[i];
	return NULL;
}

int cli_parse(struct cli *c, enum cli_cmd cmd, int argc, char **argv)
{
	enum { MAX = sizeof(cli_options) / sizeof(cli_options[0]) };
	struct option longopts[MAX + 1];
	char optstring[2 * MAX + 2] = ":";
	size_t n = 0, len = 1;
	int opt;

	for (size_t i = 0; i < MAX; i++) {
		const struct cli_option *o = &cli_options[i];

		if (!(o->cmds & cmd))
			continue;
		longopts[n++] = (struct option){
			.name = o->name,
			.has_arg = o->arg ? required_argument : no_argument,
			.val = o->letter,
		};
		optstring[len++] = o->letter;
		if (o->arg)
			optstring[len++] = ':';
	}
	longopts[n] = (struct option){ 0 };
	optstring[len] = '\0';

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		const struct cli_option *o = by_letter(cmd, opt);

		if (opt == ':')
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		if (!o)
			return usage_error("unknown option '%s'", argv[optind - 1]);
		if (o->set(c, optarg))
			return 2;
	}
	c->argc = argc - optind;
	c->argv = argv + optind;
	return 0;
}
