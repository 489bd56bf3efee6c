// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario files: an INI format in the spirit of fio's job files, parsed
 * with libinih into the same struct scenario the harness runs
 * (docs/scenario-format.md describes the format).
 *
 * This is the INI layer (scenario_parse.h lists the others): inih splits
 * lines into sections, keys and values; sections and keys are checked
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

#include "scenario_parse.h"

/* ---- sections and their keys ---- */

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
	scn->file = sf_strdup(scn, file);
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

char *scenario_read_text(const char *path, size_t *len, char *err, size_t errlen)
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
	buf[n] = '\0';		/* a read ends below cap: there is room */
	*len = n;
	return buf;
}

/* "dir/seed-bug.ini" -> "seed-bug" */
void scenario_name_of_path(const char *path, char *name, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".ini"))
		n -= 4;
	snprintf(name, len, "%.*s", (int)n, base);
}

struct scenario *scenario_load_text(const char *path, const char *text,
				    size_t len, char *err, size_t errlen)
{
	struct scenario tmp = { 0 }, *scn;
	char name[64];
	char dummy[1];

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	scenario_name_of_path(path, name, sizeof(name));
	if (scenario_parse(&tmp, name, path, text, len, err, errlen)) {
		scenario_free(&tmp);
		return NULL;
	}
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

struct scenario *scenario_load(const char *path, char *err, size_t errlen)
{
	struct scenario *scn;
	size_t len = 0;
	char *text;
	char dummy[1];

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	text = scenario_read_text(path, &len, err, errlen);
	if (!text)
		return NULL;
	scn = scenario_load_text(path, text, len, err, errlen);
	free(text);
	return scn;
}
