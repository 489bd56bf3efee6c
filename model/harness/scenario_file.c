// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario files: an INI format in the spirit of fio's job files, parsed
 * with libinih into the same struct scenario the harness runs
 * (docs/scenario-format.md describes the format).
 *
 * inih splits lines into sections, keys and values; everything else is
 * here.  Debian's inih calls the handler without a line number, so the
 * text is fed to it through our own line reader: the reader knows the line
 * inih is about to parse, sees every section header (also those with no
 * keys, which never reach the handler), and spots the lines that inih
 * rejects without calling the handler.
 *
 * Parsing is two passes.  The first reads every section and key, converts
 * values and keeps steps as text; the second, once every file, actor and
 * event is known, parses the steps and walks each actor's steps (its loops
 * included) to check map slots, pins and ranges.  Every rejection is one
 * line "FILE:LINE: [section] key: message (expected ...)".
 */
#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- allocations that hang off scenario->owned ---- */

struct sf_chunk {
	struct sf_chunk *next;
	char data[];
};

static void *sf_alloc(struct scenario *scn, size_t size)
{
	struct sf_chunk *c = calloc(1, sizeof(*c) + size);

	if (!c)
		return NULL;
	c->next = scn->owned;
	scn->owned = c;
	return c->data;
}

static char *sf_strndup(struct scenario *scn, const char *s, size_t len)
{
	char *d = sf_alloc(scn, len + 1);

	if (d)
		memcpy(d, s, len);
	return d;
}

static char *sf_strdup(struct scenario *scn, const char *s)
{
	return sf_strndup(scn, s, strlen(s));
}

void scenario_free(struct scenario *scn)
{
	struct sf_chunk *c, *next;
	bool self = false;

	if (!scn)
		return;
	for (c = scn->owned; c; c = next) {
		next = c->next;
		if ((void *)c->data == (void *)scn) {
			self = true;	/* scenario_load()'s own struct: last */
			continue;
		}
		free(c);
	}
	if (self) {
		free((char *)scn - offsetof(struct sf_chunk, data));
		return;
	}
	memset(scn, 0, sizeof(*scn));
}

/* ---- the parser's state ---- */

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

static const struct {
	const char *word;
	bool named;
} sec_kinds[NR_SEC_KINDS] = {
	[SEC_GLOBAL] = { "global", false },
	[SEC_FILE] = { "file", true },
	[SEC_FB] = { "fb", true },
	[SEC_FLUSHER] = { "flusher", false },
	[SEC_RECLAIM] = { "reclaim", false },
	[SEC_JOURNAL] = { "journal", false },
	[SEC_PROCESS] = { "process", true },
	[SEC_DEVICE] = { "device", true },
	[SEC_KTHREAD] = { "kthread", true },
};

/* The keys of each section; "step" may repeat, no other key may. */
static const char *const sec_keys[NR_SEC_KINDS][8] = {
	[SEC_GLOBAL] = { "description", "memory", "nodes", "blocksize",
			 "events", "hung_task_timeout", "run_timeout" },
	[SEC_FILE] = { "size", "max_size" },
	[SEC_FB] = { "size", "delay" },
	[SEC_FLUSHER] = { "interval", "expire", "sync" },
	[SEC_RECLAIM] = { "interval", "target", "start" },
	[SEC_JOURNAL] = { "commit_interval" },
	[SEC_PROCESS] = { "loops", "step" },
	[SEC_DEVICE] = { "loops", "step" },
	[SEC_KTHREAD] = { "loops", "step" },
};

static const char *const sec_expected[NR_SEC_KINDS] = {
	[SEC_GLOBAL] = "description, memory, nodes, blocksize, events, hung_task_timeout or run_timeout",
	[SEC_FILE] = "size or max_size",
	[SEC_FB] = "size or delay",
	[SEC_FLUSHER] = "interval, expire or sync",
	[SEC_RECLAIM] = "interval, target or start",
	[SEC_JOURNAL] = "commit_interval",
	[SEC_PROCESS] = "loops or step",
	[SEC_DEVICE] = "loops or step",
	[SEC_KTHREAD] = "loops or step",
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

static void sf_verror(struct sf_parser *p, int line, const char *section,
		      const char *key, const char *fmt, va_list ap)
{
	struct sf_err *e;
	char msg[512];

	if (p->nr_errors++ >= SF_KEPT_ERRORS)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	e = &p->errs[p->nr_errors - 1];
	e->line = line;
	e->seq = p->nr_errors;
	if (section && key)
		snprintf(e->text, sizeof(e->text), "%s:%d: [%s] %s: %s", p->file,
			 line, section, key, msg);
	else if (section)
		snprintf(e->text, sizeof(e->text), "%s:%d: [%s]: %s", p->file,
			 line, section, msg);
	else if (key)
		snprintf(e->text, sizeof(e->text), "%s:%d: %s: %s", p->file,
			 line, key, msg);
	else
		snprintf(e->text, sizeof(e->text), "%s:%d: %s", p->file, line,
			 msg);
}

static int sf_err_cmp(const void *a, const void *b)
{
	const struct sf_err *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The errors in the order of their lines, one a line, into p->err. */
static void sf_emit_errors(struct sf_parser *p)
{
	int kept = SF_MIN(p->nr_errors, SF_KEPT_ERRORS);
	size_t used = 0;

	if (!p->err || !p->errlen)
		return;
	p->err[0] = '\0';
	qsort(p->errs, (size_t)kept, sizeof(p->errs[0]), sf_err_cmp);
	for (int i = 0; i < kept && i < SF_MAX_ERRORS; i++) {
		int n = snprintf(p->err + used, p->errlen - used, "%s%s",
				 used ? "\n" : "", p->errs[i].text);

		if (n < 0 || (size_t)n >= p->errlen - used)
			return;
		used += (size_t)n;
	}
	if (p->nr_errors > SF_MAX_ERRORS)
		snprintf(p->err + used, p->errlen - used,
			 "\n%s: %d more errors not shown", p->file,
			 p->nr_errors - SF_MAX_ERRORS);
}

static __attribute__((format(printf, 5, 6))) void
sf_error(struct sf_parser *p, int line, const char *section, const char *key,
	 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sf_verror(p, line, section, key, fmt, ap);
	va_end(ap);
}

/* An error about a key of the current section, at the current line. */
static __attribute__((format(printf, 3, 4))) void
key_error(struct sf_parser *p, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sf_verror(p, p->line, p->sec[p->cur].title, key, fmt, ap);
	va_end(ap);
}

/* ---- values ---- */

static bool is_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > SF_MAX_NAME)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return false;
	return true;
}

#define NAME_EXPECTED "expected a name of 1 to 31 letters, digits, '_', '.' or '-'"

/* Digits, then @suffix (the rest).  No sign, no spaces, no overflow. */
static bool parse_digits(const char *s, u64 *out, const char **suffix)
{
	u64 v = 0;

	if (!isdigit((unsigned char)*s))
		return false;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (ULLONG_MAX - 9) / 10)
			return false;
		v = v * 10 + (u64)(*s - '0');
	}
	*out = v;
	*suffix = s;
	return true;
}

static bool mul_ok(u64 v, u64 m, u64 *out)
{
	if (m && v > ULLONG_MAX / m)
		return false;
	*out = v * m;
	return true;
}

static bool parse_uint(const char *s, u64 *out)
{
	const char *rest;

	return parse_digits(s, out, &rest) && !*rest;
}

/* Bytes: an integer with an optional k (KiB), m (MiB) or p (4 KiB pages). */
static bool parse_size(const char *s, u64 *out)
{
	const char *rest;
	u64 v, m = 1;

	if (!parse_digits(s, &v, &rest))
		return false;
	if (!*rest)
		m = 1;
	else if (!strcmp(rest, "k") || !strcmp(rest, "K"))
		m = 1024;
	else if (!strcmp(rest, "m") || !strcmp(rest, "M"))
		m = 1024 * 1024;
	else if (!strcmp(rest, "p") || !strcmp(rest, "P"))
		m = SF_PAGE;
	else
		return false;
	return mul_ok(v, m, out) && *out <= (1ULL << 40);
}

/* Microseconds: an integer with an optional us, ms or s. */
static bool parse_duration(const char *s, u64 *out)
{
	const char *rest;
	u64 v, m;

	if (!parse_digits(s, &v, &rest))
		return false;
	if (!*rest || !strcmp(rest, "us"))
		m = 1;
	else if (!strcmp(rest, "ms"))
		m = 1000;
	else if (!strcmp(rest, "s"))
		m = 1000000;
	else
		return false;
	return mul_ok(v, m, out) && *out <= SF_MAX_DURATION;
}

static bool parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1")) {
		*out = true;
		return true;
	}
	if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0")) {
		*out = false;
		return true;
	}
	return false;
}

#define SIZE_EXPECTED "expected bytes: an integer with an optional suffix k (KiB), m (MiB) or p (4 KiB pages)"
#define DURATION_EXPECTED "expected microseconds: an integer with an optional suffix us, ms or s, at most 3600s"
#define BOOL_EXPECTED "expected yes/no, true/false or 1/0"

static bool key_size(struct sf_parser *p, const char *key, const char *v,
		     u64 *out, u64 min, u64 max)
{
	if (!parse_size(v, out)) {
		key_error(p, key, "bad size '%s' (" SIZE_EXPECTED ")", v);
		return false;
	}
	if (*out < min || *out > max) {
		key_error(p, key, "%s is out of range (expected %llu to %llu bytes)",
			  v, (unsigned long long)min, (unsigned long long)max);
		return false;
	}
	return true;
}

static bool key_duration(struct sf_parser *p, const char *key, const char *v,
			 u64 *out, u64 min)
{
	if (!parse_duration(v, out)) {
		key_error(p, key, "bad duration '%s' (" DURATION_EXPECTED ")", v);
		return false;
	}
	if (*out < min) {
		key_error(p, key, "%s is too short (expected at least %llu us)",
			  v, (unsigned long long)min);
		return false;
	}
	return true;
}

static bool key_uint(struct sf_parser *p, const char *key, const char *v,
		     u64 *out, u64 min, u64 max)
{
	if (!parse_uint(v, out)) {
		key_error(p, key, "bad number '%s' (expected an integer from %llu to %llu)",
			  v, (unsigned long long)min, (unsigned long long)max);
		return false;
	}
	if (*out < min || *out > max) {
		key_error(p, key, "%s is out of range (expected an integer from %llu to %llu)",
			  v, (unsigned long long)min, (unsigned long long)max);
		return false;
	}
	return true;
}

/* ---- sections ---- */

static int find_section_name(struct sf_parser *p, const char *name)
{
	for (int i = 0; i < p->nr_sec; i++)
		if (p->sec[i].name && !strcmp(p->sec[i].name, name))
			return i;
	return -1;
}

/* A "[...]" line: @s is what follows the '['. */
static void begin_section(struct sf_parser *p, const char *s, size_t len)
{
	struct scenario *scn = p->scn;
	const char *close = memchr(s, ']', len);
	char inner[128], word[64], name[64], extra[64];
	struct sf_section *sec;
	int k, n, words;

	p->cur = -2;
	p->line_bad = true;
	if (!close) {
		sf_error(p, p->line, NULL, NULL,
			 "section header without ']' (expected [KIND] or [KIND NAME])");
		return;
	}
	for (const char *t = close + 1; t < s + len; t++) {
		if (*t == ';' || *t == '#')
			break;
		if (!isspace((unsigned char)*t)) {
			sf_error(p, p->line, NULL, NULL,
				 "text after the section header's ']' (expected nothing, or a comment)");
			return;
		}
	}
	n = (int)(close - s);
	if (n >= (int)sizeof(inner)) {
		sf_error(p, p->line, NULL, NULL,
			 "section header too long (expected [KIND] or [KIND NAME])");
		return;
	}
	memcpy(inner, s, (size_t)n);
	inner[n] = '\0';
	word[0] = name[0] = '\0';
	words = sscanf(inner, "%63s %63s %63s", word, name, extra);
	if (words <= 0) {
		sf_error(p, p->line, NULL, NULL,
			 "empty section header (expected [KIND] or [KIND NAME])");
		return;
	}
	for (k = 0; k < NR_SEC_KINDS; k++)
		if (!strcmp(word, sec_kinds[k].word))
			break;
	if (k == NR_SEC_KINDS) {
		sf_error(p, p->line, inner, NULL,
			 "unknown section (expected global, file NAME, fb NAME, flusher, reclaim, journal, process NAME, device NAME or kthread NAME)");
		return;
	}
	if (words > 2 || (words == 2 && !sec_kinds[k].named)) {
		sf_error(p, p->line, inner, NULL, "too many words (expected [%s%s])",
			 word, sec_kinds[k].named ? " NAME" : "");
		return;
	}
	if (sec_kinds[k].named && words < 2) {
		sf_error(p, p->line, inner, NULL, "a %s needs a name (expected [%s NAME])",
			 word, word);
		return;
	}
	if (sec_kinds[k].named && !is_name(name)) {
		sf_error(p, p->line, inner, NULL, "bad name '%s' (" NAME_EXPECTED ")",
			 name);
		return;
	}
	if (!sec_kinds[k].named) {
		int *slot = k == SEC_GLOBAL ? &p->global :
			    k == SEC_FLUSHER ? &p->flusher :
			    k == SEC_RECLAIM ? &p->reclaim : &p->journal;

		if (*slot >= 0) {
			sf_error(p, p->line, word, NULL,
				 "duplicate section, first at line %d (expected one [%s])",
				 p->sec[*slot].line, word);
			return;
		}
	} else {
		int other = find_section_name(p, name);

		if (other >= 0) {
			sf_error(p, p->line, inner, NULL,
				 "duplicate name '%s', first at line %d in [%s] (expected a name of its own)",
				 name, p->sec[other].line, p->sec[other].title);
			return;
		}
	}
	if (p->nr_sec == SF_MAX_SECTIONS) {
		sf_error(p, p->line, inner, NULL, "too many sections (expected at most %d)",
			 SF_MAX_SECTIONS);
		return;
	}
	if ((k == SEC_FILE || k == SEC_FB) && scn->nr_files == SCN_MAX_FILES) {
		sf_error(p, p->line, inner, NULL,
			 "too many files (expected at most %d files and framebuffers together)",
			 SCN_MAX_FILES);
		return;
	}
	if ((k == SEC_PROCESS || k == SEC_DEVICE || k == SEC_KTHREAD) &&
	    scn->nr_actors == SCN_MAX_ACTORS) {
		sf_error(p, p->line, inner, NULL,
			 "too many actors (expected at most %d processes, devices and kthreads together)",
			 SCN_MAX_ACTORS);
		return;
	}

	sec = &p->sec[p->nr_sec];
	memset(sec, 0, sizeof(*sec));
	sec->kind = k;
	sec->line = p->line;
	sec->index = -1;
	if (sec_kinds[k].named) {
		snprintf(sec->title, sizeof(sec->title), "%s %s", word, name);
		sec->name = sf_strdup(scn, name);
		if (!sec->name) {
			p->nomem = true;
			return;
		}
	} else {
		snprintf(sec->title, sizeof(sec->title), "%s", word);
	}
	switch (k) {
	case SEC_GLOBAL:
		p->global = p->nr_sec;
		break;
	case SEC_FLUSHER:
		p->flusher = p->nr_sec;
		break;
	case SEC_RECLAIM:
		p->reclaim = p->nr_sec;
		break;
	case SEC_JOURNAL:
		p->journal = p->nr_sec;
		break;
	case SEC_FILE:
	case SEC_FB:
		sec->index = scn->nr_files++;
		scn->files[sec->index].name = sec->name;
		scn->files[sec->index].fb = k == SEC_FB;
		scn->files[sec->index].fb_delay = k == SEC_FB ? 1000 : 0;
		break;
	case SEC_PROCESS:
	case SEC_DEVICE:
	case SEC_KTHREAD:
		sec->index = scn->nr_actors++;
		scn->actors[sec->index].name = sec->name;
		scn->actors[sec->index].kind = k == SEC_PROCESS ? ACTOR_PROCESS :
					       k == SEC_DEVICE ? ACTOR_DEVICE :
								 ACTOR_KTHREAD;
		p->actor_sec[sec->index] = p->nr_sec;
		break;
	default:
		break;
	}
	p->cur = p->nr_sec++;
	p->line_bad = false;
}

/* ---- keys ---- */

static void global_key(struct sf_parser *p, const char *key, const char *v)
{
	struct scenario *scn = p->scn;
	u64 n;

	if (!strcmp(key, "description")) {
		if (!*v || strlen(v) > SF_MAX_DESCRIPTION) {
			key_error(p, key, "%s (expected one line of 1 to %d characters)",
				  *v ? "too long" : "empty", SF_MAX_DESCRIPTION);
			return;
		}
		scn->description = sf_strdup(scn, v);
		if (!scn->description)
			p->nomem = true;
	} else if (!strcmp(key, "memory")) {
		if (key_uint(p, key, v, &n, SF_MIN_MEMORY, SF_MAX_MEMORY))
			scn->memory_pages = (unsigned long)n;
	} else if (!strcmp(key, "nodes")) {
		if (key_uint(p, key, v, &n, 1, 4))
			scn->nodes = (int)n;
	} else if (!strcmp(key, "blocksize")) {
		if (!parse_uint(v, &n) || (n != 1024 && n != 2048 && n != 4096))
			key_error(p, key, "bad block size '%s' (expected 1024, 2048 or 4096)", v);
		else
			scn->blocksize = (unsigned int)n;
	} else if (!strcmp(key, "events")) {
		const char *s = v;

		p->events_line = p->line;
		while (*s) {
			const char *comma = strchr(s, ',');
			size_t len = comma ? (size_t)(comma - s) : strlen(s);
			char name[64];

			while (len && isspace((unsigned char)*s)) {
				s++;
				len--;
			}
			while (len && isspace((unsigned char)s[len - 1]))
				len--;
			snprintf(name, sizeof(name), "%.*s", (int)SF_MIN(len, (size_t)63), s);
			if (len > 63 || !is_name(name)) {
				key_error(p, key, "bad event name '%.*s' (" NAME_EXPECTED ", names separated by commas)",
					  (int)SF_MIN(len, (size_t)63), s);
				return;
			}
			for (int e = 0; e < scn->nr_events; e++) {
				if (!strcmp(scn->events[e], name)) {
					key_error(p, key, "event '%s' is listed twice (expected each event once)",
						  name);
					return;
				}
			}
			if (scn->nr_events == SCN_MAX_EVENTS) {
				key_error(p, key, "too many events (expected at most %d)",
					  SCN_MAX_EVENTS);
				return;
			}
			scn->events[scn->nr_events] = sf_strdup(scn, name);
			if (!scn->events[scn->nr_events]) {
				p->nomem = true;
				return;
			}
			scn->nr_events++;
			if (!comma)
				break;
			s = comma + 1;
			if (!*s)
				key_error(p, key, "a comma at the end (expected another event name after it)");
		}
	} else if (!strcmp(key, "hung_task_timeout")) {
		key_duration(p, key, v, &scn->hung_task_timeout, 1000);
	} else if (!strcmp(key, "run_timeout")) {
		key_duration(p, key, v, &scn->run_timeout, 1000);
	}
}

static void file_key(struct sf_parser *p, const char *key, const char *v)
{
	struct sf_section *sec = &p->sec[p->cur];
	struct scn_file *f = &p->scn->files[sec->index];

	if (!strcmp(key, "size"))
		key_size(p, key, v, &f->size, f->fb ? 1 : 0,
			 f->fb ? SF_MAX_FB_SIZE : SF_MAX_FILE_SIZE);
	else if (!strcmp(key, "max_size"))
		key_size(p, key, v, &f->max_size, 1, SF_MAX_FILE_SIZE);
	else if (!strcmp(key, "delay"))
		key_duration(p, key, v, &f->fb_delay, 1);
}

static void flusher_key(struct sf_parser *p, const char *key, const char *v)
{
	struct scenario *scn = p->scn;

	if (!strcmp(key, "interval")) {
		key_duration(p, key, v, &scn->flusher_interval, 0);
	} else if (!strcmp(key, "expire")) {
		key_duration(p, key, v, &scn->dirty_expire, 0);
	} else if (!strcmp(key, "sync")) {
		if (!strcmp(v, "none"))
			scn->flusher_sync_all = false;
		else if (!strcmp(v, "all"))
			scn->flusher_sync_all = true;
		else
			key_error(p, key, "bad sync mode '%s' (expected none or all)", v);
	}
}

static void reclaim_key(struct sf_parser *p, const char *key, const char *v)
{
	struct scenario *scn = p->scn;
	u64 n;

	if (!strcmp(key, "interval")) {
		key_duration(p, key, v, &scn->reclaim_interval, 0);
	} else if (!strcmp(key, "target")) {
		if (key_uint(p, key, v, &n, 1, SF_MAX_MEMORY))
			scn->reclaim_target = (unsigned long)n;
	} else if (!strcmp(key, "start")) {
		if (strcmp(v, "boot") && !is_name(v)) {
			key_error(p, key, "bad start '%s' (expected boot, or an event name)", v);
			return;
		}
		p->reclaim_start = sf_strdup(scn, v);
		p->reclaim_start_line = p->line;
		if (!p->reclaim_start)
			p->nomem = true;
	}
}

static void actor_key(struct sf_parser *p, const char *key, const char *v)
{
	struct sf_section *sec = &p->sec[p->cur];
	struct scn_actor *a = &p->scn->actors[sec->index];
	u64 n;

	if (!strcmp(key, "loops")) {
		if (key_uint(p, key, v, &n, 0, SF_MAX_COUNT))
			a->loops = (unsigned int)n;
		return;
	}
	/* step: kept as text for the second pass */
	if (a->nr_steps == SCN_MAX_STEPS) {
		key_error(p, key, "too many steps (expected at most %d per actor)",
			  SCN_MAX_STEPS);
		return;
	}
	if (!*v) {
		key_error(p, key, "empty step (expected OP key=value ...)");
		return;
	}
	p->raw[sec->index][a->nr_steps].text = sf_strdup(p->scn, v);
	p->raw[sec->index][a->nr_steps].line = p->line;
	if (!p->raw[sec->index][a->nr_steps].text) {
		p->nomem = true;
		return;
	}
	a->nr_steps++;
}

static int sf_handler(void *user, const char *section, const char *key,
		      const char *value)
{
	struct sf_parser *p = user;
	struct sf_section *sec;
	int k;

	(void)section;	/* ours is p->cur: inih's does not see empty sections */
	p->line_handled = true;
	if (p->line_bad || p->cur == -2)
		return 1;
	if (p->cur == -1) {
		sf_error(p, p->line, NULL, key,
			 "a key before any section (expected a [global] line first)");
		return 1;
	}
	sec = &p->sec[p->cur];
	if (!*key) {
		key_error(p, "(none)", "a line without a key (expected key = value)");
		return 1;
	}
	for (k = 0; k < 8 && sec_keys[sec->kind][k]; k++)
		if (!strcmp(key, sec_keys[sec->kind][k]))
			break;
	if (k == 8 || !sec_keys[sec->kind][k]) {
		key_error(p, key, "unknown key (expected %s)", sec_expected[sec->kind]);
		return 1;
	}
	if ((sec->seen & (1U << k)) && strcmp(key, "step")) {
		key_error(p, key, "given twice in this section (expected it once)");
		return 1;
	}
	sec->seen |= 1U << k;
	switch (sec->kind) {
	case SEC_GLOBAL:
		global_key(p, key, value);
		break;
	case SEC_FILE:
	case SEC_FB:
		file_key(p, key, value);
		break;
	case SEC_FLUSHER:
		flusher_key(p, key, value);
		break;
	case SEC_RECLAIM:
		reclaim_key(p, key, value);
		break;
	case SEC_JOURNAL:
		key_duration(p, key, value, &p->scn->journal_commit_interval, 0);
		break;
	default:
		actor_key(p, key, value);
		break;
	}
	return 1;
}

/* ---- the line reader inih reads through ---- */

/* inih never called the handler for a key line: it could not parse it. */
static void finish_line(struct sf_parser *p)
{
	if (p->line_kv && !p->line_handled && !p->line_bad)
		sf_error(p, p->line, p->cur >= 0 ? p->sec[p->cur].title : NULL,
			 NULL, "syntax error (expected key = value, [section], or a comment starting with # or ;)");
	p->line_kv = p->line_handled = p->line_bad = false;
}

static char *sf_reader(char *str, int num, void *stream)
{
	struct sf_parser *p = stream;
	const char *start, *nl, *s;
	size_t n;

	finish_line(p);
	if (p->pos >= p->len)
		return NULL;
	start = p->text + p->pos;
	nl = memchr(start, '\n', p->len - p->pos);
	n = nl ? (size_t)(nl - start) : p->len - p->pos;
	p->pos += n + (nl ? 1 : 0);
	p->line++;
	if (memchr(start, '\0', n)) {
		sf_error(p, p->line, NULL, NULL, "a NUL byte (expected text)");
		p->line_bad = true;
		strcpy(str, "\n");
		return str;
	}
	if (n > SF_MAX_LINE || n + 2 > (size_t)num) {
		sf_error(p, p->line, NULL, NULL,
			 "line too long (expected at most %d characters)",
			 SF_MAX_LINE);
		p->line_bad = true;
		strcpy(str, "\n");
		return str;
	}
	memcpy(str, start, n);
	str[n] = '\n';
	str[n + 1] = '\0';

	s = start;
	if (p->line == 1 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		s += 3;
	while (s < start + n && isspace((unsigned char)*s))
		s++;
	if (s == start + n || *s == ';' || *s == '#')
		return str;
	if (*s == '[') {
		begin_section(p, s + 1, (size_t)(start + n - s - 1));
		/* inih must not report the header's keys elsewhere */
		return str;
	}
	p->line_kv = true;
	return str;
}

/* ---- the second pass: steps ---- */

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
};

static const char *const field_names[] = {
	"file", "map", "process", "offset", "len", "size", "count",
	"random", "longterm", "write", "dirty", "gap", "time", "event",
};

#define K_P (1 << ACTOR_PROCESS)
#define K_D (1 << ACTOR_DEVICE)
#define K_K (1 << ACTOR_KTHREAD)

static const struct sf_op {
	const char *name;
	enum scn_op op;
	unsigned int kinds;
	unsigned int keys;
	unsigned int required;
	const char *usage;
} sf_ops[] = {
	{ "mmap", OP_MMAP, K_P, F_FILE | F_OFFSET | F_LEN, F_FILE,
	  "mmap file= [offset=0] [len=max_size-offset]" },
	{ "munmap", OP_MUNMAP, K_P, F_MAP, F_MAP, "munmap map=" },
	{ "store", OP_STORE, K_P, F_MAP | F_OFFSET | F_LEN | F_COUNT | F_RANDOM,
	  F_MAP, "store map= [offset=0] [len=rest] [count=1] [random=no]" },
	{ "verify", OP_VERIFY, K_P, F_MAP | F_OFFSET | F_LEN, F_MAP,
	  "verify map= [offset=0] [len=rest]" },
	{ "fsync", OP_FSYNC, K_P | K_K, F_FILE, F_FILE, "fsync file=" },
	{ "truncate", OP_TRUNCATE, K_P | K_K, F_FILE | F_SIZE, F_FILE | F_SIZE,
	  "truncate file= size=" },
	{ "punch", OP_PUNCH, K_P | K_K, F_FILE | F_OFFSET | F_LEN,
	  F_FILE | F_OFFSET | F_LEN, "punch file= offset= len=" },
	{ "sync", OP_SYNC, K_P | K_K, 0, 0, "sync" },
	{ "pin", OP_PIN, K_D,
	  F_PROCESS | F_MAP | F_OFFSET | F_LEN | F_LONGTERM | F_WRITE, F_PROCESS,
	  "pin process= [map=0] [offset=0] [len=rest] [longterm=no] [write=yes]" },
	{ "dma", OP_DMA, K_D, F_OFFSET | F_LEN | F_COUNT | F_GAP, 0,
	  "dma [offset=0] [len=0: the pinned range] [count=1] [gap=0]" },
	{ "release", OP_RELEASE, K_D, F_DIRTY, 0, "release [dirty=yes]" },
	{ "dio_complete", OP_DIO_COMPLETE, K_D, F_FILE, F_FILE,
	  "dio_complete file=" },
	{ "memory_failure", OP_MEMORY_FAILURE, K_K, F_FILE | F_OFFSET,
	  F_FILE | F_OFFSET, "memory_failure file= offset=" },
	{ "get_refs", OP_GET_REFS, K_K, F_FILE | F_OFFSET | F_COUNT,
	  F_FILE | F_OFFSET | F_COUNT, "get_refs file= offset= count=" },
	{ "put_refs", OP_PUT_REFS, K_K, 0, 0, "put_refs" },
	{ "commit", OP_COMMIT, K_K, 0, 0, "commit" },
	{ "sleep", OP_SLEEP, K_P | K_D | K_K, F_TIME, F_TIME, "sleep time=" },
	{ "wait", OP_WAIT, K_P | K_D | K_K, F_EVENT, F_EVENT, "wait event=" },
	{ "signal", OP_SIGNAL, K_P | K_D | K_K, F_EVENT, F_EVENT,
	  "signal event=" },
};

static const char *const kind_ops[] = {
	[ACTOR_PROCESS] = "mmap, munmap, store, verify, fsync, truncate, punch, sync, sleep, wait or signal",
	[ACTOR_DEVICE] = "pin, dma, release, dio_complete, sleep, wait or signal",
	[ACTOR_KTHREAD] = "memory_failure, get_refs, put_refs, commit, sync, fsync, truncate, punch, sleep, wait or signal",
};

static const char *const kind_words[] = {
	[ACTOR_PROCESS] = "process",
	[ACTOR_DEVICE] = "device",
	[ACTOR_KTHREAD] = "kthread",
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
	int nr_slots[SCN_MAX_ACTORS];
	u64 slot_len[SCN_MAX_ACTORS][SCN_MAX_MAPS];
	bool slot_bad[SCN_MAX_ACTORS][SCN_MAX_MAPS];	/* its mmap was rejected */
	bool signalled[SCN_MAX_EVENTS];
};

static __attribute__((format(printf, 5, 6))) void
step_error(struct sf_pass2 *q, int a, int i, const char *field,
	   const char *fmt, ...)
{
	struct sf_parser *p = q->p;
	struct sf_step_info *si = &q->info[a][i];
	const char *title = p->sec[p->actor_sec[a]].title;
	char key[64];
	va_list ap;

	if (si->bad)
		return;
	si->bad = true;
	snprintf(key, sizeof(key), "step%s%s%s%s", si->op ? " " : "",
		 si->op ? si->op->name : "", field ? " " : "",
		 field ? field : "");
	va_start(ap, fmt);
	sf_verror(p, si->line, title, key, fmt, ap);
	va_end(ap);
}

static int find_file(struct scenario *scn, const char *name)
{
	for (int f = 0; f < scn->nr_files; f++)
		if (!strcmp(scn->files[f].name, name))
			return f;
	return -1;
}

static int find_event(struct scenario *scn, const char *name)
{
	for (int e = 0; e < scn->nr_events; e++)
		if (!strcmp(scn->events[e], name))
			return e;
	return -1;
}

static int find_actor(struct scenario *scn, const char *name)
{
	for (int i = 0; i < scn->nr_actors; i++)
		if (!strcmp(scn->actors[i].name, name))
			return i;
	return -1;
}

static void list_names(char *buf, size_t len, const char *const *names, int n,
		       const char *none)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && used + 1 < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "", names[i]);
	if (!n)
		snprintf(buf, len, "%s", none);
}

/* One field of a step: "key=value". */
static void step_field(struct sf_pass2 *q, int a, int i, int field,
		       const char *v)
{
	struct scenario *scn = q->p->scn;
	struct scn_step *st = &scn->actors[a].steps[i];
	const char *fname = field_names[field];
	const char *names[SCN_MAX_ACTORS > SCN_MAX_EVENTS ? SCN_MAX_ACTORS : SCN_MAX_EVENTS] = { NULL };
	char list[512];
	u64 n;
	int idx, nn = 0;

	switch (1 << field) {
	case F_FILE:
		idx = find_file(scn, v);
		if (idx < 0) {
			for (int f = 0; f < scn->nr_files; f++)
				names[nn++] = scn->files[f].name;
			list_names(list, sizeof(list), names, nn, "no [file] or [fb] sections");
			step_error(q, a, i, fname, "unknown file '%s' (expected one of: %s)",
				   v, list);
			return;
		}
		st->file = idx;
		break;
	case F_PROCESS:
		idx = find_actor(scn, v);
		if (idx < 0 || scn->actors[idx].kind != ACTOR_PROCESS) {
			for (int x = 0; x < scn->nr_actors; x++)
				if (scn->actors[x].kind == ACTOR_PROCESS)
					names[nn++] = scn->actors[x].name;
			list_names(list, sizeof(list), names, nn, "no [process] sections");
			step_error(q, a, i, fname, "%s '%s' (expected a process: %s)",
				   idx < 0 ? "unknown process" : "not a process", v, list);
			return;
		}
		st->target = idx;
		break;
	case F_EVENT:
		idx = find_event(scn, v);
		if (idx < 0) {
			for (int e = 0; e < scn->nr_events; e++)
				names[nn++] = scn->events[e];
			list_names(list, sizeof(list), names, nn,
				   "none are declared: add them to events = in [global]");
			step_error(q, a, i, fname, "unknown event '%s' (expected one of events = in [global]: %s)",
				   v, list);
			return;
		}
		st->event = idx;
		break;
	case F_MAP:
		if (!parse_uint(v, &n) || n >= SCN_MAX_MAPS) {
			step_error(q, a, i, fname, "bad map slot '%s' (expected 0 to %d: the process's mmap steps count from 0)",
				   v, SCN_MAX_MAPS - 1);
			return;
		}
		st->map = (int)n;
		break;
	case F_OFFSET:
	case F_LEN:
	case F_SIZE:
		if (!parse_size(v, &n)) {
			step_error(q, a, i, fname, "bad size '%s' (" SIZE_EXPECTED ")", v);
			return;
		}
		if ((1 << field) == F_OFFSET)
			st->offset = n;
		else
			st->len = n;
		break;
	case F_COUNT:
		if (!parse_uint(v, &n) || !n ||
		    n > (st->op == OP_GET_REFS ? SF_MAX_REFS : SF_MAX_COUNT)) {
			step_error(q, a, i, fname, "bad count '%s' (expected an integer from 1 to %u)",
				   v, st->op == OP_GET_REFS ? SF_MAX_REFS : SF_MAX_COUNT);
			return;
		}
		st->count = (unsigned int)n;
		break;
	case F_GAP:
	case F_TIME:
		if (!parse_duration(v, &n) || ((1 << field) == F_TIME && !n)) {
			step_error(q, a, i, fname, "bad duration '%s' (" DURATION_EXPECTED "%s)",
				   v, (1 << field) == F_TIME ? ", more than 0" : "");
			return;
		}
		st->gap = n;
		break;
	default: {
		bool b;

		if (!parse_bool(v, &b)) {
			step_error(q, a, i, fname, "bad boolean '%s' (" BOOL_EXPECTED ")", v);
			return;
		}
		if ((1 << field) == F_RANDOM)
			st->random = b;
		else if ((1 << field) == F_LONGTERM)
			st->longterm = b;
		else if ((1 << field) == F_WRITE)
			st->write = b;
		else
			st->dirty = b;
		break;
	}
	}
}

static void parse_step(struct sf_pass2 *q, int a, int i)
{
	struct sf_parser *p = q->p;
	struct scn_actor *act = &p->scn->actors[a];
	struct scn_step *st = &act->steps[i];
	struct sf_step_info *si = &q->info[a][i];
	char buf[SF_MAX_LINE + 1];
	char *save = NULL, *tok;
	const struct sf_op *op = NULL;

	si->line = p->raw[a][i].line;
	snprintf(buf, sizeof(buf), "%s", p->raw[a][i].text);
	tok = strtok_r(buf, " \t", &save);
	if (!tok) {
		step_error(q, a, i, NULL, "empty step (expected OP key=value ...)");
		return;
	}
	for (size_t o = 0; o < SF_ARRAY_SIZE(sf_ops); o++)
		if (!strcmp(tok, sf_ops[o].name))
			op = &sf_ops[o];
	if (!op) {
		step_error(q, a, i, NULL, "unknown op '%s' (expected for a %s: %s)",
			   tok, kind_words[act->kind], kind_ops[act->kind]);
		return;
	}
	if (!(op->kinds & (1U << act->kind))) {
		step_error(q, a, i, NULL, "a %s cannot %s (expected for a %s: %s)",
			   kind_words[act->kind], tok, kind_words[act->kind],
			   kind_ops[act->kind]);
		return;
	}
	si->op = op;
	st->op = op->op;
	/* defaults */
	st->count = op->op == OP_STORE || op->op == OP_DMA ? 1 : 0;
	st->write = op->op == OP_PIN;
	st->dirty = op->op == OP_RELEASE;
	while ((tok = strtok_r(NULL, " \t", &save))) {
		char *eq = strchr(tok, '=');
		int field = -1;

		if (eq) {
			*eq = '\0';
			for (size_t f = 0; f < SF_ARRAY_SIZE(field_names); f++)
				if (!strcmp(tok, field_names[f]))
					field = (int)f;
		}
		if (!eq || field < 0 || !(op->keys & (1U << field))) {
			step_error(q, a, i, eq ? tok : NULL,
				   "%s '%s' (expected %s)",
				   !eq ? "not key=value:" : "unknown key",
				   tok, op->usage);
			return;
		}
		if (si->given & (1U << field)) {
			step_error(q, a, i, tok, "given twice (expected %s)",
				   op->usage);
			return;
		}
		if (!eq[1]) {
			step_error(q, a, i, tok, "no value (expected %s)",
				   op->usage);
			return;
		}
		si->given |= 1U << field;
		step_field(q, a, i, field, eq + 1);
		if (si->bad)
			return;
	}
	si->dma_rest = op->op == OP_DMA && !st->len;
	if ((si->given & op->required) != op->required) {
		for (size_t f = 0; f < SF_ARRAY_SIZE(field_names); f++) {
			if ((op->required & (1U << f)) && !(si->given & (1U << f))) {
				step_error(q, a, i, field_names[f], "missing (expected %s)",
					   op->usage);
				return;
			}
		}
	}
}

static u64 page_align(u64 x)
{
	return (x + SF_PAGE - 1) & ~(SF_PAGE - 1);
}

static bool is_fb(struct scenario *scn, int f)
{
	return scn->files[f].fb;
}

/* Checks of a step against its file, independent of the walk. */
static void check_file_step(struct sf_pass2 *q, int a, int i)
{
	struct scenario *scn = q->p->scn;
	struct scn_step *st = &scn->actors[a].steps[i];
	const struct scn_file *f = &scn->files[st->file];
	u64 max = f->max_size;

	switch (st->op) {
	case OP_MMAP:
		if (st->offset % SF_PAGE) {
			step_error(q, a, i, "offset", "%llu is not page aligned (expected a multiple of 4096)",
				   (unsigned long long)st->offset);
			return;
		}
		if (st->offset >= max) {
			step_error(q, a, i, "offset", "%llu is beyond %s's max_size %llu (expected less)",
				   (unsigned long long)st->offset, f->name,
				   (unsigned long long)max);
			return;
		}
		if (!(q->info[a][i].given & F_LEN))
			st->len = max - st->offset;
		if (!st->len || st->offset + st->len > page_align(max)) {
			step_error(q, a, i, "len", "offset %llu + len %llu is outside %s (expected 1 to %llu bytes)",
				   (unsigned long long)st->offset,
				   (unsigned long long)st->len, f->name,
				   (unsigned long long)(page_align(max) - st->offset));
			return;
		}
		break;
	case OP_FSYNC:
	case OP_TRUNCATE:
	case OP_PUNCH:
	case OP_DIO_COMPLETE:
	case OP_MEMORY_FAILURE:
	case OP_GET_REFS:
		if (is_fb(scn, st->file)) {
			step_error(q, a, i, "file", "'%s' is a framebuffer (expected a [file])",
				   f->name);
			return;
		}
		if (st->op == OP_TRUNCATE && st->len > max)
			step_error(q, a, i, "size", "%llu is beyond %s's max_size %llu (expected at most that)",
				   (unsigned long long)st->len, f->name,
				   (unsigned long long)max);
		if (st->op == OP_PUNCH &&
		    (!st->len || st->offset >= max || st->len > max - st->offset))
			step_error(q, a, i, "len", "offset %llu + len %llu is outside %s's max_size %llu (expected a non-empty range inside it)",
				   (unsigned long long)st->offset,
				   (unsigned long long)st->len, f->name,
				   (unsigned long long)max);
		if ((st->op == OP_MEMORY_FAILURE || st->op == OP_GET_REFS) &&
		    st->offset >= max)
			step_error(q, a, i, "offset", "%llu is beyond %s's max_size %llu (expected less)",
				   (unsigned long long)st->offset, f->name,
				   (unsigned long long)max);
		break;
	default:
		break;
	}
}

/* A process's use of map slot st->map: made, not unmapped, in range. */
static bool check_map_use(struct sf_pass2 *q, int a, int i, bool *alive,
			  int iter)
{
	struct scenario *scn = q->p->scn;
	struct scn_step *st = &scn->actors[a].steps[i];
	bool page = st->op == OP_VERIFY;
	u64 mlen, end;

	if (st->map >= q->nr_slots[a]) {
		if (!q->nr_slots[a])
			step_error(q, a, i, "map", "map %d is not mapped yet: no mmap step before this one (expected an mmap step before it)",
				   st->map);
		else
			step_error(q, a, i, "map", "map %d is not mapped yet: %d mmap step(s) before this one (expected a slot from 0 to %d, made by an earlier mmap step)",
				   st->map, q->nr_slots[a], q->nr_slots[a] - 1);
		return false;
	}
	if (!alive[st->map]) {
		step_error(q, a, i, "map", "map %d was unmapped before%s (expected a mapped slot)",
			   st->map, iter ? ", by an earlier loop" : "");
		return false;
	}
	if (st->op == OP_MUNMAP || q->slot_bad[a][st->map])
		return true;
	mlen = q->slot_len[a][st->map];
	if (page)
		mlen = page_align(mlen);
	if (st->offset >= mlen) {
		step_error(q, a, i, "offset", "%llu is beyond map %d's %llu bytes (expected less)",
			   (unsigned long long)st->offset, st->map,
			   (unsigned long long)mlen);
		return false;
	}
	if (page && st->offset % SF_PAGE) {
		step_error(q, a, i, "offset", "%llu is not page aligned (expected a multiple of 4096: verify reads whole pages)",
			   (unsigned long long)st->offset);
		return false;
	}
	if (!(q->info[a][i].given & F_LEN))
		st->len = mlen - st->offset;
	end = st->offset + (page ? page_align(st->len) : st->len);
	if (!st->len || end > mlen || end < st->offset) {
		step_error(q, a, i, "len", "offset %llu + len %llu is outside map %d's %llu bytes (expected 1 to %llu)",
			   (unsigned long long)st->offset,
			   (unsigned long long)st->len, st->map,
			   (unsigned long long)mlen,
			   (unsigned long long)(mlen - st->offset));
		return false;
	}
	if (st->op == OP_STORE && st->random && st->len < SF_PAGE) {
		step_error(q, a, i, "len", "%llu bytes with random=yes (expected at least a page, 4096)",
			   (unsigned long long)st->len);
		return false;
	}
	return true;
}

/* Walk a process's steps, its loops included, making map slots. */
static void walk_process(struct sf_pass2 *q, int a)
{
	struct scn_actor *act = &q->p->scn->actors[a];
	bool alive[SCN_MAX_MAPS] = { false };
	unsigned int iters = SF_MIN(act->loops + 1, (unsigned int)SCN_MAX_MAPS + 1);

	for (unsigned int it = 0; it < iters; it++) {
		for (int i = 0; i < act->nr_steps; i++) {
			struct scn_step *st = &act->steps[i];
			bool bad = q->info[a][i].bad;

			/* a bad mmap still makes its slot: no errors follow */
			if (bad && st->op != OP_MMAP)
				continue;
			switch (st->op) {
			case OP_MMAP:
				if (q->nr_slots[a] == SCN_MAX_MAPS) {
					step_error(q, a, i, NULL, "more than %d mappings%s (expected at most %d mmap steps per process, loops counted)",
						   SCN_MAX_MAPS, it ? " with its loops" : "",
						   SCN_MAX_MAPS);
					return;
				}
				q->slot_len[a][q->nr_slots[a]] = st->len;
				q->slot_bad[a][q->nr_slots[a]] = bad;
				alive[q->nr_slots[a]++] = true;
				break;
			case OP_MUNMAP:
				if (check_map_use(q, a, i, alive, (int)it))
					alive[st->map] = false;
				break;
			case OP_STORE:
			case OP_VERIFY:
				check_map_use(q, a, i, alive, (int)it);
				break;
			default:
				break;
			}
		}
	}
}

/* Walk a device's or a kthread's steps: pins and references. */
static void walk_other(struct sf_pass2 *q, int a)
{
	struct scenario *scn = q->p->scn;
	struct scn_actor *act = &scn->actors[a];
	unsigned int iters = SF_MIN(act->loops + 1, 3U);
	bool pinned = false, write = false, refs = false, unknown = false;
	u64 pin_len = 0;
	int pin_line = 0, refs_line = 0;

	for (unsigned int it = 0; it < iters; it++) {
		for (int i = 0; i < act->nr_steps; i++) {
			struct scn_step *st = &act->steps[i];
			struct sf_step_info *si = &q->info[a][i];
			int t = st->target;
			u64 mlen, len;

			if (si->bad && st->op != OP_PIN)
				continue;
			switch (st->op) {
			case OP_PIN:
				if (pinned && !si->bad) {
					step_error(q, a, i, NULL, "the device already holds the pin of line %d%s (expected a release step before another pin)",
						   pin_line, it ? ", from the previous loop" : "");
				}
				/* from here on, the device holds a pin */
				unknown = si->bad;
				pinned = true;
				write = st->write;
				pin_line = si->line;
				if (si->bad)
					break;
				if (st->map >= q->nr_slots[t]) {
					step_error(q, a, i, "map", "process %s makes %d mapping(s) (expected a map slot it makes%s)",
						   scn->actors[t].name, q->nr_slots[t],
						   q->nr_slots[t] ? ", from 0" : ": an mmap step in it");
					unknown = true;
					break;
				}
				if (q->slot_bad[t][st->map]) {
					unknown = true;
					break;
				}
				mlen = page_align(q->slot_len[t][st->map]);
				if (st->offset % SF_PAGE) {
					step_error(q, a, i, "offset", "%llu is not page aligned (expected a multiple of 4096)",
						   (unsigned long long)st->offset);
				} else if (st->offset >= mlen) {
					step_error(q, a, i, "offset", "%llu is beyond map %d's %llu bytes (expected less)",
						   (unsigned long long)st->offset, st->map,
						   (unsigned long long)mlen);
				} else {
					if (!(si->given & F_LEN))
						st->len = mlen - st->offset;
					if (!st->len || st->len % SF_PAGE)
						step_error(q, a, i, "len", "%llu is not a positive multiple of a page (expected a multiple of 4096)",
							   (unsigned long long)st->len);
					else if (st->len > mlen - st->offset)
						step_error(q, a, i, "len", "offset %llu + len %llu is outside map %d of %s, %llu bytes (expected at most %llu)",
							   (unsigned long long)st->offset,
							   (unsigned long long)st->len, st->map,
							   scn->actors[t].name,
							   (unsigned long long)mlen,
							   (unsigned long long)(mlen - st->offset));
				}
				unknown = si->bad;
				pin_len = st->len;
				break;
			case OP_DMA:
				if (!pinned) {
					step_error(q, a, i, NULL, "no pin to write into%s (expected a pin step before, with no release in between)",
						   it ? " in a later loop" : "");
					break;
				}
				if (unknown)
					break;
				if (!write) {
					step_error(q, a, i, NULL, "the pin of line %d has write=no (expected write=yes for a device that DMAs)",
						   pin_line);
					break;
				}
				if (st->offset >= pin_len) {
					step_error(q, a, i, "offset", "%llu is beyond the %llu pinned bytes of line %d (expected less)",
						   (unsigned long long)st->offset,
						   (unsigned long long)pin_len, pin_line);
					break;
				}
				len = si->dma_rest ? pin_len - st->offset : st->len;
				if (len > pin_len - st->offset) {
					step_error(q, a, i, "len", "offset %llu + len %llu is outside the %llu pinned bytes of line %d (expected at most %llu, or 0 for the rest)",
						   (unsigned long long)st->offset,
						   (unsigned long long)len,
						   (unsigned long long)pin_len, pin_line,
						   (unsigned long long)(pin_len - st->offset));
					break;
				}
				if (it && si->dma_rest && st->len != len) {
					step_error(q, a, i, "len", "len=0 means a different length in a later loop (expected an explicit len)");
					break;
				}
				st->len = len;
				break;
			case OP_RELEASE:
				if (!pinned)
					step_error(q, a, i, NULL, "no pin to release%s (expected a pin step before)",
						   it ? " in a later loop" : "");
				pinned = false;
				break;
			case OP_GET_REFS:
				if (refs)
					step_error(q, a, i, NULL, "still holds the references of line %d%s (expected a put_refs step before)",
						   refs_line, it ? ", from the previous loop" : "");
				refs = true;
				refs_line = si->line;
				break;
			case OP_PUT_REFS:
				if (!refs)
					step_error(q, a, i, NULL, "no references to put%s (expected a get_refs step before)",
						   it ? " in a later loop" : "");
				refs = false;
				break;
			default:
				break;
			}
		}
	}
}

/* Some other actor, or an earlier step of this one, signals the event. */
static bool signalled_for(struct sf_pass2 *q, int a, int i)
{
	struct scenario *scn = q->p->scn;
	int e = scn->actors[a].steps[i].event;

	for (int b = 0; b < scn->nr_actors; b++) {
		for (int j = 0; j < scn->actors[b].nr_steps; j++) {
			const struct scn_step *st = &scn->actors[b].steps[j];

			if (q->info[b][j].bad || st->op != OP_SIGNAL ||
			    st->event != e)
				continue;
			if (b != a || j < i)
				return true;
		}
	}
	return false;
}

static void pass2(struct sf_parser *p)
{
	struct scenario *scn = p->scn;
	struct sf_pass2 *q = calloc(1, sizeof(*q));

	if (!q) {
		p->nomem = true;
		return;
	}
	q->p = p;
	for (int a = 0; a < scn->nr_actors; a++) {
		for (int i = 0; i < scn->actors[a].nr_steps; i++) {
			parse_step(q, a, i);
			if (q->info[a][i].bad)
				continue;
			check_file_step(q, a, i);
			if (scn->actors[a].steps[i].op == OP_SIGNAL)
				q->signalled[scn->actors[a].steps[i].event] = true;
		}
	}
	for (int a = 0; a < scn->nr_actors; a++)
		if (scn->actors[a].kind == ACTOR_PROCESS)
			walk_process(q, a);
	for (int a = 0; a < scn->nr_actors; a++)
		if (scn->actors[a].kind != ACTOR_PROCESS)
			walk_other(q, a);
	for (int a = 0; a < scn->nr_actors; a++) {
		for (int i = 0; i < scn->actors[a].nr_steps; i++) {
			struct scn_step *st = &scn->actors[a].steps[i];

			if (q->info[a][i].bad || st->op != OP_WAIT)
				continue;
			if (!q->signalled[st->event])
				step_error(q, a, i, "event", "no step signals '%s': the wait would never end (expected a signal event=%s step somewhere)",
					   scn->events[st->event], scn->events[st->event]);
			else if (!signalled_for(q, a, i))
				step_error(q, a, i, "event", "only later steps of %s itself signal '%s': the wait would never end (expected a signal event=%s by another actor, or before this step)",
					   scn->actors[a].name, scn->events[st->event],
					   scn->events[st->event]);
		}
	}
	if (p->reclaim_start && strcmp(p->reclaim_start, "boot")) {
		int e = find_event(scn, p->reclaim_start);

		if (e < 0)
			sf_error(p, p->reclaim_start_line, "reclaim", "start",
				 "unknown event '%s' (expected boot, or one of events = in [global])",
				 p->reclaim_start);
		else if (!q->signalled[e])
			sf_error(p, p->reclaim_start_line, "reclaim", "start",
				 "no step signals '%s': reclaim would never start (expected a signal event=%s step, or boot)",
				 p->reclaim_start, p->reclaim_start);
		else
			scn->reclaim_start_event = e;
	}
	free(q);
}

/* Required keys and what only the whole file can tell. */
static void check_whole(struct sf_parser *p)
{
	struct scenario *scn = p->scn;

	if (p->global < 0) {
		sf_error(p, 1, "global", NULL,
			 "missing section (expected a [global] section with description = ...)");
	} else if (!scn->description) {
		if (!(p->sec[p->global].seen & 1))
			sf_error(p, p->sec[p->global].line, "global", "description",
				 "missing (expected description = one line saying what the scenario does)");
	}
	if (scn->memory_pages < SF_MIN_MEMORY * (unsigned long)scn->nodes)
		sf_error(p, p->global >= 0 ? p->sec[p->global].line : 1, "global",
			 "memory", "%lu pages for %d nodes (expected at least %lu per node)",
			 scn->memory_pages, scn->nodes, SF_MIN_MEMORY);
	for (int s = 0; s < p->nr_sec; s++) {
		struct sf_section *sec = &p->sec[s];
		struct scn_file *f;

		if (sec->kind != SEC_FILE && sec->kind != SEC_FB)
			continue;
		f = &scn->files[sec->index];
		if (!(sec->seen & 1)) {
			sf_error(p, sec->line, sec->title, "size", "missing (expected size = bytes%s)",
				 sec->kind == SEC_FB ? ", more than 0" : "");
			continue;
		}
		if (sec->kind == SEC_FB) {
			f->max_size = f->size;
			continue;
		}
		if (!(sec->seen & 2)) {
			f->max_size = f->size;
			if (!f->size)
				sf_error(p, sec->line, sec->title, "max_size",
					 "missing with size = 0 (expected max_size = bytes, more than 0)");
		} else if (f->max_size < f->size) {
			sf_error(p, sec->line, sec->title, "max_size",
				 "%llu is less than size %llu (expected at least size)",
				 (unsigned long long)f->max_size,
				 (unsigned long long)f->size);
		}
	}
	if (!scn->nr_actors && p->global >= 0)
		sf_error(p, p->sec[p->global].line, "global", NULL,
			 "no actors (expected at least one [process NAME], [device NAME] or [kthread NAME] section)");
}

/* ---- entry points ---- */

static pthread_once_t ini_once = PTHREAD_ONCE_INIT;
static char inline_comments[] = ";#";

/* Debian's inih has its compile-time options as variables: set ours. */
static void ini_setup(void)
{
	ini_use_stack = false;
	ini_max_line = SF_MAX_LINE + 24;
	ini_initial_alloc = SF_MAX_LINE + 24;
	ini_allow_realloc = false;
	ini_allow_multiline = false;
	ini_allow_no_value = false;
	ini_stop_on_first_error = false;
	ini_allow_inline_comments = true;
	ini_inline_comment_prefixes = inline_comments;
}

int scenario_parse(struct scenario *scn, const char *name, const char *file,
		   const char *text, size_t len, char *err, size_t errlen)
{
	struct sf_parser *p = calloc(1, sizeof(*p));
	int ret;

	if (err && errlen)
		err[0] = '\0';
	pthread_once(&ini_once, ini_setup);
	if (!p) {
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", file);
		return 1;
	}
	p->scn = scn;
	p->file = file;
	p->text = text;
	p->len = len;
	p->cur = -1;
	p->global = p->flusher = p->reclaim = p->journal = -1;
	p->err = err;
	p->errlen = errlen;

	/* the defaults of docs/scenario-format.md */
	scn->name = sf_strdup(scn, name);
	scn->memory_pages = 256;
	scn->nodes = 1;
	scn->blocksize = 4096;
	scn->hung_task_timeout = 2000000;
	scn->run_timeout = 30000000;
	scn->flusher_interval = 5000;
	scn->reclaim_target = 32;
	scn->reclaim_start_event = -1;

	ret = ini_parse_stream(sf_reader, p, sf_handler, p);
	finish_line(p);
	if (ret > 0 && !p->nr_errors)
		sf_error(p, ret, NULL, NULL, "syntax error (expected key = value, [section], or a comment)");
	else if (ret < 0)
		p->nomem = true;
	if (!p->nr_errors && !p->nomem) {
		check_whole(p);
		pass2(p);
	}
	if (p->nomem || !scn->name)
		sf_error(p, p->line, NULL, NULL, "out of memory");
	ret = p->nr_errors;
	sf_emit_errors(p);
	free(p);
	return ret;
}

static char *read_whole(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0;
	char *buf;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (got == 0)
			break;
		if (n == cap) {
			char *more = cap < (1U << 20) ? realloc(buf, cap * 2) : NULL;

			if (!more) {
				free(buf);
				buf = NULL;
				snprintf(err, errlen, "%s: too big (expected a scenario file of less than 1 MiB)",
					 path);
				fclose(f);
				return NULL;
			}
			buf = more;
			cap *= 2;
		}
	}
	if (!buf || ferror(f)) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
			 buf ? strerror(errno) : "out of memory");
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* "dir/seed-bug.ini" -> "seed-bug" */
static void name_of_path(const char *path, char *name, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".ini"))
		n -= 4;
	snprintf(name, len, "%.*s", (int)n, base);
}

struct scenario *scenario_load(const char *path, char *err, size_t errlen)
{
	struct scenario tmp = { 0 }, *scn;
	char name[64];
	size_t len = 0;
	char *text;
	char dummy[1];

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	text = read_whole(path, &len, err, errlen);
	if (!text)
		return NULL;
	name_of_path(path, name, sizeof(name));
	if (scenario_parse(&tmp, name, path, text, len, err, errlen)) {
		free(text);
		scenario_free(&tmp);
		return NULL;
	}
	free(text);
	/* the struct itself hangs off owned too: scenario_free() frees it */
	scn = sf_alloc(&tmp, sizeof(*scn));
	if (!scn) {
		snprintf(err, errlen, "%s: out of memory", path);
		scenario_free(&tmp);
		return NULL;
	}
	*scn = tmp;
	scn->owned = tmp.owned;
	return scn;
}
