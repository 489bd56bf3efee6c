// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario files: what both passes of the parser share (scenario_parse.h):
 * the allocations that hang off a parsed scenario, the error lines
 * "FILE:LINE: [section] key: message (expected ...)", and the values
 * (numbers, sizes, durations, booleans, names) with their checks.
 *
 * Locking: none; a parser is used by one thread.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_parse.h"

/* ---- allocations that hang off scenario->owned ---- */

struct sf_chunk {
	struct sf_chunk *next;
	char data[];
};

void *sf_alloc(struct scenario *scn, size_t size)
{
	struct sf_chunk *c = calloc(1, sizeof(*c) + size);

	if (!c)
		return NULL;
	c->next = scn->owned;
	scn->owned = c;
	return c->data;
}

char *sf_strndup(struct scenario *scn, const char *s, size_t len)
{
	char *d = sf_alloc(scn, len + 1);

	if (d)
		memcpy(d, s, len);
	return d;
}

char *sf_strdup(struct scenario *scn, const char *s)
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

void sf_verror(struct sf_parser *p, int line, const char *section,
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
void sf_emit_errors(struct sf_parser *p)
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

__attribute__((format(printf, 5, 6))) void
sf_error(struct sf_parser *p, int line, const char *section, const char *key,
	 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sf_verror(p, line, section, key, fmt, ap);
	va_end(ap);
}

/* An error about a key of the current section, at the current line. */
__attribute__((format(printf, 3, 4))) void
key_error(struct sf_parser *p, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sf_verror(p, p->line, p->sec[p->cur].title, key, fmt, ap);
	va_end(ap);
}

/* ---- values ---- */

bool is_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > SF_MAX_NAME)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return false;
	return true;
}


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

bool parse_uint(const char *s, u64 *out)
{
	const char *rest;

	return parse_digits(s, out, &rest) && !*rest;
}

/* Bytes: an integer with an optional k (KiB), m (MiB) or p (4 KiB pages). */
bool parse_size(const char *s, u64 *out)
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
bool parse_duration(const char *s, u64 *out)
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

bool parse_bool(const char *s, bool *out)
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


bool key_size(struct sf_parser *p, const char *key, const char *v,
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

bool key_duration(struct sf_parser *p, const char *key, const char *v,
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

bool key_uint(struct sf_parser *p, const char *key, const char *v,
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
