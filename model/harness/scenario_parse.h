/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scenario file parser's own declarations, shared by its parts:
 *
 *   scenario_ini.c    the INI layer: lines, sections, keys, the entry points
 *   scenario_value.c  values, error lines, allocations
 *   scenario_steps.c  the step grammar: "OP key=value ..."
 *   scenario_check.c  the second pass's walks of each actor's steps
 *
 * Nothing outside the parser includes this; scenario.h is the interface.
 */
#ifndef _HARNESS_SCENARIO_PARSE_H
#define _HARNESS_SCENARIO_PARSE_H

#include <stdarg.h>
#include <stddef.h>

#include "scenario.h"

#define SF_PAGE 4096ULL
#define SF_MIN(a, b) ((a) < (b) ? (a) : (b))
#define SF_ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#define SF_MAX_LINE 1000	/* characters of a line */
#define SF_MAX_ERRORS 20	/* shown */
#define SF_KEPT_ERRORS 64	/* sorted by line, then shown */
#define SF_MAX_NAME 31
#define SF_MAX_DESCRIPTION 200
#define SF_MAX_SECTIONS 64
#define SF_MAX_FILE_SIZE (256ULL << 20)
#define SF_MAX_FB_SIZE (4ULL << 20)
#define SF_MAX_DURATION 3600000000ULL	/* an hour */
#define SF_MAX_COUNT 1000000U
#define SF_MAX_REFS (1U << 20)
#define SF_MAX_MEMORY 262144UL	/* pages: 1 GiB */
#define SF_MIN_MEMORY 16UL	/* pages per node */

#define NAME_EXPECTED "expected a name of 1 to 31 letters, digits, '_', '.' or '-'"
#define SIZE_EXPECTED "expected bytes: an integer with an optional suffix k (KiB), m (MiB) or p (4 KiB pages)"
#define DURATION_EXPECTED "expected microseconds: an integer with an optional suffix us, ms or s, at most 3600s"
#define BOOL_EXPECTED "expected yes/no, true/false or 1/0"

enum sf_kind {
	SEC_GLOBAL,
	SEC_FILE,
	SEC_FB,
	SEC_FLUSHER,
	SEC_RECLAIM,
	SEC_JOURNAL,
	SEC_PROCESS,
	SEC_DEVICE,
	SEC_KTHREAD,
	NR_SEC_KINDS,
};

struct sf_section {
	enum sf_kind kind;
	char title[160];	/* "file f0" */
	const char *name;
	int line;
	int index;		/* of the file or the actor */
	unsigned int seen;	/* keys given, a bit per sec_keys[] slot */
};

struct sf_raw_step {
	const char *text;
	int line;
};

struct sf_parser {
	struct scenario *scn;
	const char *file;	/* for messages */
	const char *text;
	size_t len, pos;
	int line;
	bool line_kv;		/* the line should reach the handler */
	bool line_handled;
	bool line_bad;		/* the line was rejected already */

	struct sf_section sec[SF_MAX_SECTIONS];
	int nr_sec;
	int cur;		/* section index; -1: none yet; -2: ignored */
	int global, flusher, reclaim, journal;	/* section index or -1 */

	struct sf_raw_step raw[SCN_MAX_ACTORS][SCN_MAX_STEPS];
	int actor_sec[SCN_MAX_ACTORS];
	const char *reclaim_start;
	int reclaim_start_line;
	int events_line;

	char *err;
	size_t errlen;
	int nr_errors;
	struct sf_err {
		int line, seq;
		char text[640];
	} errs[SF_KEPT_ERRORS];
	bool nomem;
};

/* The fields a step may have, as bits (scenario_steps.c names them). */
enum sf_field {
	F_FILE = 1 << 0,
	F_MAP = 1 << 1,
	F_PROCESS = 1 << 2,
	F_OFFSET = 1 << 3,
	F_LEN = 1 << 4,
	F_SIZE = 1 << 5,
	F_COUNT = 1 << 6,
	F_RANDOM = 1 << 7,
	F_LONGTERM = 1 << 8,
	F_WRITE = 1 << 9,
	F_DIRTY = 1 << 10,
	F_GAP = 1 << 11,
	F_TIME = 1 << 12,
	F_EVENT = 1 << 13,
	F_PLAIN = 1 << 14,
};

/* An op of the step grammar: who may do it, its fields, its usage. */
struct sf_op {
	const char *name;
	enum scn_op op;
	unsigned int kinds;	/* a bit per enum scn_actor_kind */
	unsigned int keys;	/* enum sf_field bits */
	unsigned int required;
	const char *usage;
};

/* What the second pass knows of a step beyond struct scn_step. */
struct sf_step_info {
	const struct sf_op *op;
	unsigned int given;
	int line;
	bool bad;	/* rejected: no more checks */
	bool dma_rest;	/* a dma with len=0: the rest of the pinned range */
};

struct sf_pass2 {
	struct sf_parser *p;
	struct sf_step_info info[SCN_MAX_ACTORS][SCN_MAX_STEPS];
	/* A process's map slots, as the walk of its steps makes them. */
	bool slot_made[SCN_MAX_ACTORS][SCN_MAX_MAPS];	/* by some mmap */
	u64 slot_len[SCN_MAX_ACTORS][SCN_MAX_MAPS];	/* of its mapping now */
	u64 slot_min_len[SCN_MAX_ACTORS][SCN_MAX_MAPS];	/* of any it holds */
	int slot_line[SCN_MAX_ACTORS][SCN_MAX_MAPS];	/* its last mmap's */
	bool slot_bad[SCN_MAX_ACTORS][SCN_MAX_MAPS];	/* its mmap was rejected */
	bool signalled[SCN_MAX_EVENTS];
};

/* scenario_value.c */
void *sf_alloc(struct scenario *scn, size_t size);
char *sf_strndup(struct scenario *scn, const char *s, size_t len);
char *sf_strdup(struct scenario *scn, const char *s);
void sf_verror(struct sf_parser *p, int line, const char *section,
	       const char *key, const char *fmt, va_list ap);
__attribute__((format(printf, 5, 6))) void
sf_error(struct sf_parser *p, int line, const char *section, const char *key,
	 const char *fmt, ...);
/* An error about a key of the current section, at the current line. */
__attribute__((format(printf, 3, 4))) void
key_error(struct sf_parser *p, const char *key, const char *fmt, ...);
void sf_emit_errors(struct sf_parser *p);
bool is_name(const char *s);
bool parse_uint(const char *s, u64 *out);
bool parse_size(const char *s, u64 *out);
bool parse_duration(const char *s, u64 *out);
bool parse_bool(const char *s, bool *out);
bool key_size(struct sf_parser *p, const char *key, const char *v, u64 *out,
	      u64 min, u64 max);
bool key_duration(struct sf_parser *p, const char *key, const char *v,
		  u64 *out, u64 min);
bool key_uint(struct sf_parser *p, const char *key, const char *v, u64 *out,
	      u64 min, u64 max);

/* scenario_steps.c */
__attribute__((format(printf, 5, 6))) void
step_error(struct sf_pass2 *q, int a, int i, const char *field,
	   const char *fmt, ...);
int find_file(struct scenario *scn, const char *name);
int find_event(struct scenario *scn, const char *name);
void parse_step(struct sf_pass2 *q, int a, int i);

/* scenario_check.c: the second pass, once the first found no error. */
void pass2(struct sf_parser *p);

#endif /* _HARNESS_SCENARIO_PARSE_H */
