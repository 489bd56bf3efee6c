// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario files: the second pass's checks, once every file, actor and
 * event is known.  Each step is checked against its file; then each
 * actor's steps are walked in order, loops included, as the run will
 * take them: a process's map slots, a device's pin and what it does with
 * it, a kthread's references, and that every wait has a signal that can
 * come.
 *
 * Locking: none; a parser is used by one thread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_parse.h"

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
	case OP_CLOSE:
	case OP_UNLINK:
	case OP_CHECK_DISK:
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

	if (!q->slot_made[a][st->map]) {
		step_error(q, a, i, "map", "map %d is not mapped yet: no mmap step before this one makes it (expected an mmap step before it that fills slot %d)",
			   st->map, st->map);
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

/*
 * An mmap fills its slot: the one it names (map=N), which must not be
 * mapped; else the lowest slot no mmap filled yet, loops counted.
 */
static bool make_slot(struct sf_pass2 *q, int a, int i, bool *alive, int iter)
{
	struct scn_step *st = &q->p->scn->actors[a].steps[i];
	bool bad = q->info[a][i].bad;
	int m = st->map;

	if (m < 0) {
		for (m = 0; m < SCN_MAX_MAPS && q->slot_made[a][m]; m++)
			;
		if (m == SCN_MAX_MAPS) {
			step_error(q, a, i, NULL, "more than %d mappings%s (expected at most %d mmap steps per process, loops counted, or one that names its slot with map=)",
				   SCN_MAX_MAPS, iter ? " with its loops" : "",
				   SCN_MAX_MAPS);
			return false;
		}
	} else if (alive[m]) {
		step_error(q, a, i, "map", "map %d is still mapped, by line %d%s (expected a munmap map=%d before mapping it again)",
			   m, q->slot_line[a][m], iter ? ", in an earlier loop" : "", m);
		return false;
	}
	if (!q->slot_made[a][m] || st->len < q->slot_min_len[a][m])
		q->slot_min_len[a][m] = st->len;
	q->slot_made[a][m] = true;
	q->slot_len[a][m] = st->len;
	q->slot_line[a][m] = q->info[a][i].line;
	q->slot_bad[a][m] |= bad;
	alive[m] = true;
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
				if (!make_slot(q, a, i, alive, (int)it))
					return;
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

/*
 * Walk a process's or a kthread's steps for its open files: a file opens
 * at the first step that uses it (mmap, fsync, truncate, punch) and stays
 * open until close; once this actor unlinked it, it can no longer open it.
 * (Another actor's unlink is for the run to find: -ENOENT, an error.)
 */
static void walk_files(struct sf_pass2 *q, int a)
{
	struct scenario *scn = q->p->scn;
	struct scn_actor *act = &scn->actors[a];
	unsigned int iters = SF_MIN(act->loops + 1, 3U);
	bool open[SCN_MAX_FILES] = { false };
	int unlinked[SCN_MAX_FILES] = { 0 };	/* the line, or 0 */

	for (unsigned int it = 0; it < iters; it++) {
		for (int i = 0; i < act->nr_steps; i++) {
			struct scn_step *st = &act->steps[i];
			int f = st->file;

			if (q->info[a][i].bad || scn->files[f].fb)
				continue;
			switch (st->op) {
			case OP_MMAP:
			case OP_FSYNC:
			case OP_TRUNCATE:
			case OP_PUNCH:
				if (!open[f] && unlinked[f])
					step_error(q, a, i, "file", "%s unlinked '%s' at line %d and has it no longer open (expected a step on a file that still has its name, or one opened before the unlink)",
						   act->name, scn->files[f].name,
						   unlinked[f]);
				open[f] = true;
				break;
			case OP_CLOSE:
				if (!open[f])
					step_error(q, a, i, "file", "'%s' is not open%s (expected a step that uses it before: a file opens at its first use)",
						   scn->files[f].name,
						   it ? " in this loop" : "");
				open[f] = false;
				break;
			case OP_UNLINK:
				if (unlinked[f])
					step_error(q, a, i, "file", "'%s' was unlinked before, at line %d (expected one unlink)",
						   scn->files[f].name, unlinked[f]);
				unlinked[f] = q->info[a][i].line;
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
				if (!q->slot_made[t][st->map]) {
					step_error(q, a, i, "map", "process %s never fills map slot %d (expected a map slot it mmaps)",
						   scn->actors[t].name, st->map);
					unknown = true;
					break;
				}
				if (q->slot_bad[t][st->map]) {
					unknown = true;
					break;
				}
				/* It must fit whatever the slot holds. */
				mlen = page_align(q->slot_min_len[t][st->map]);
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

void pass2(struct sf_parser *p)
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
	for (int a = 0; a < scn->nr_actors; a++)
		if (scn->actors[a].kind != ACTOR_DEVICE)
			walk_files(q, a);
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
