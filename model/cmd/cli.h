/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pinmm command's options: one table (cmd/options.c) for every
 * command, each option saying which commands take it.
 */
#ifndef _CMD_CLI_H
#define _CMD_CLI_H

#include <stdbool.h>
#include <stdint.h>

enum cli_cmd {
	CMD_RUN = 1 << 0,
	CMD_EXPLORE = 1 << 1,
	CMD_REPLAY = 1 << 2,
	CMD_COMPARE = 1 << 3,
};

/* Every option of every command, with its default. */
struct cli {
	const char *policy;
	uint64_t seed;
	uint64_t runs;
	uint64_t hung_timeout;		/* us; 0: the scenario's */
	bool json;
	bool verbose;
	bool det;			/* --sched det */
	const char *strategy;		/* NULL: the command's default */
	uint64_t strategy_seed;
	const char *trace;
	uint64_t schedules;
	bool schedules_given;
	uint64_t first;
	unsigned int shard, shards;
	bool keep_going;
	bool no_reduction;
	const char *out;
	const char *summary;
	bool minimize;
	uint64_t seeds;			/* compare: runs per cell */
	bool markdown;
	const char *plot;
	/* What is left after the options: the operands. */
	int argc;
	char **argv;
};

/*
 * Parse @argv (argv[0] is the command's name) for @cmd into @c.  Returns 0,
 * or 2 after printing a usage error: an option the command does not take,
 * a bad or missing value, or a file option whose directory is missing.
 */
int cli_parse(struct cli *c, enum cli_cmd cmd, int argc, char **argv);

/* "pinmm: MESSAGE" and the hint on stderr; returns 2, the exit status. */
int usage_error(const char *fmt, const char *arg);

#endif /* _CMD_CLI_H */
