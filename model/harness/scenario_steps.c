// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario files: the step grammar.  A step is "OP key=value ...": the op
 * (which actor kinds may do it, which fields it takes and needs, its usage
 * line for messages), then its fields, each parsed into struct scn_step.
 * What a step means for the steps around it (map slots, pins, events) is
 * scenario_check.c's.
 *
 * Locking: none; a parser is used by one thread.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scenario_parse.h"

static const char *const field_names[] = {
	"file", "map", "process", "offset", "len", "size", "count",
	"random", "longterm", "write", "dirty", "gap", "time", "event",
	"plain",
};

#define K_P (1 << ACTOR_PROCESS)
#define K_D (1 << ACTOR_DEVICE)
#define K_K (1 << ACTOR_KTHREAD)

static const struct sf_op sf_ops[] = {
	{ "mmap", OP_MMAP, K_P, F_FILE | F_OFFSET | F_LEN | F_MAP, F_FILE,
	  "mmap file= [offset=0] [len=max_size-offset] [map=the lowest slot never filled]" },
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
	{ "close", OP_CLOSE, K_P | K_K, F_FILE, F_FILE, "close file=" },
	{ "unlink", OP_UNLINK, K_P | K_K, F_FILE, F_FILE, "unlink file=" },
	{ "pin", OP_PIN, K_D,
	  F_PROCESS | F_MAP | F_OFFSET | F_LEN | F_LONGTERM | F_WRITE | F_PLAIN,
	  F_PROCESS,
	  "pin process= [map=0] [offset=0] [len=rest] [longterm=no] [write=yes] [plain=no]" },
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
	{ "check_disk", OP_CHECK_DISK, K_P | K_D | K_K, F_FILE, F_FILE,
	  "check_disk file=" },
};

static const char *const kind_ops[] = {
	[ACTOR_PROCESS] = "mmap, munmap, store, verify, fsync, truncate, punch, sync, close, unlink, sleep, wait, signal or check_disk",
	[ACTOR_DEVICE] = "pin, dma, release, dio_complete, sleep, wait, signal or check_disk",
	[ACTOR_KTHREAD] = "memory_failure, get_refs, put_refs, commit, sync, fsync, truncate, punch, close, unlink, sleep, wait, signal or check_disk",
};

static const char *const kind_words[] = {
	[ACTOR_PROCESS] = "process",
	[ACTOR_DEVICE] = "device",
	[ACTOR_KTHREAD] = "kthread",
};

__attribute__((format(printf, 5, 6))) void
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

int find_file(struct scenario *scn, const char *name)
{
	for (int f = 0; f < scn->nr_files; f++)
		if (!strcmp(scn->files[f].name, name))
			return f;
	return -1;
}

int find_event(struct scenario *scn, const char *name)
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
			step_error(q, a, i, fname, "bad map slot '%s' (expected 0 to %d: a map slot of the process)",
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
		else if ((1 << field) == F_PLAIN)
			st->plain = b;
		else
			st->dirty = b;
		break;
	}
	}
}

void parse_step(struct sf_pass2 *q, int a, int i)
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
	st->line = si->line;
	/* defaults */
	st->count = op->op == OP_STORE || op->op == OP_DMA ? 1 : 0;
	st->write = op->op == OP_PIN;
	st->map = op->op == OP_MMAP ? -1 : 0;	/* mmap: the next free slot */
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
