// SPDX-License-Identifier: GPL-2.0
/*
 * Dynamic partial-order reduction without a preemption bound: source-DPOR
 * with sleep sets (Abdulla, Aronis, Jonsson and Sagonas, POPL 2014,
 * Algorithm 1), over the deterministic scheduler's stateless re-execution.
 *
 * A run is a sequence of steps (struct pinmm_event): a task's op at a
 * scheduling point on that point's object, then the task's own code up to
 * its next point, during which it may release locks and, with preemption
 * disabled, touch more objects.  Two steps are dependent when they name a
 * common object (a lock, a word loaded or stored, a flags word, a counter,
 * the clock) and at least one of them writes it; a reader's section of an
 * rwlock only reads the lock.  The harness (the caller of det_run()) acts
 * as part of the step that ended a run: its step (pid 0) names what it
 * touched, comes after that step, and a race with it is reversed at that
 * step's choice.  Happens-before is the transitive closure of program
 * order, dependence, and wake-ups (a woken or created task's next step
 * comes after the step that woke it).  A timer's expiry makes a task
 * runnable with no such edge: the search then cannot know who enabled it,
 * and where a reversal needs a task that could not run, it tries every
 * task that could (Flanagan and Godefroid, POPL 2005): more schedules,
 * none lost.
 *
 * After each run, every race (two dependent steps of different tasks,
 * ordered by nothing but their own dependence) is reversed: at the choice
 * that ran the first, a task is added that starts an equivalent of the
 * other order, unless one already is (source sets).  The search then
 * backtracks to the deepest choice with a task to try that is not asleep.
 *
 * Recording (dpor_note(), called from the scheduler through the strategy)
 * runs on the machine's host thread; the analysis runs in the explorer,
 * between runs.  Locking: none, nothing here is shared between threads.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/sched.h>

#include "dpor.h"
#include "strategy.h"

static inline u64 bit(int pid)
{
	return pid >= 0 && pid < 64 ? 1ULL << pid : 0;
}

/* ---- recording a run ---- */

static struct pinmm_event *push_event(struct dpor_log *l)
{
	if (l->nr == l->cap) {
		int cap = l->cap ? 2 * l->cap : 4096;
		struct pinmm_event *ev =
			realloc(l->ev, (size_t)cap * sizeof(*ev));

		if (!ev) {
			l->failed = true;
			return NULL;
		}
		l->ev = ev;
		l->cap = cap;
	}
	return &l->ev[l->nr++];
}

/* Does step @e conflict with an op on @obj (@load: that only reads it)? */
static bool event_conflicts(const struct pinmm_event *e, const void *obj,
			    bool load)
{
	if (e->nr_objs < 0)
		return true;
	for (int i = 0; i < e->nr_objs; i++)
		if (det_objs_overlap(e->obj[i], obj) &&
		    !(load && (e->loads & (1u << i))))
			return true;
	return false;
}

/*
 * Step @e also touches @obj (@load: only reads it).  Returns its index in
 * obj[], or -1: the step now touches everything.
 */
static int event_add(struct pinmm_event *e, const void *obj, bool load)
{
	if (e->nr_objs < 0)
		return -1;
	for (int i = 0; i < e->nr_objs; i++) {
		if (e->obj[i] != obj)
			continue;
		if (!load)
			e->loads &= (u16)~(1u << i); /* it writes it after all */
		return i;
	}
	if (e->nr_objs == DPOR_OBJS) {
		e->nr_objs = -1;
		return -1;
	}
	if (load)
		e->loads |= (u16)(1u << e->nr_objs);
	e->obj[e->nr_objs] = obj;
	return e->nr_objs++;
}

/*
 * The last step is over, and all it touched is known: a sleeping task
 * whose next op it touched wakes up (Godefroid's sleep sets, with the
 * step's whole effect rather than its first op).  A task whose next step
 * is its own code only (NULL) sleeps on.
 */
static void close_step(struct dpor_log *l)
{
	const struct pinmm_event *e;

	if (l->closed || !l->nr)
		return;
	l->closed = true;
	e = &l->ev[l->nr - 1];
	for (int pid = 1; pid < 64; pid++) {
		if (!(l->sleep_now & bit(pid)))
			continue;
		if (e->nr_objs < 0 ||
		    (l->sleep_obj[pid] &&
		     event_conflicts(e, l->sleep_obj[pid],
				     l->sleep_load & bit(pid))))
			l->sleep_now &= ~bit(pid);
	}
}

static void note_step(struct strategy *s, struct task_struct *t,
		      const void *obj, bool load)
{
	struct dpor_log *l = s->dpor;
	struct pinmm_event *e;
	int pid = t->pid;

	close_step(l);
	e = push_event(l);
	if (!e)
		return;
	*e = (struct pinmm_event){.pid = pid, .decision = -1, .waker = -1};
	if (obj)
		event_add(e, obj, load);
	if (pid >= 64)
		e->nr_objs = -1; /* no clock for it: dependent on all */
	/* The decision just made chose this step. */
	if (s->nr_log > l->decided && s->log[s->nr_log - 1].pid == pid)
		e->decision = (int)s->nr_log - 1;
	l->decided = s->nr_log;
	if (pid < 64) {
		e->waker = l->waker[pid];
		l->waker[pid] = -1;
	}
	l->closed = false;
}

/*
 * The step running (a task's, or the harness's) touches @obj too: a lock
 * it releases (@release), or (@wide) what it touches with preemption
 * disabled.
 */
static void note_touch(struct dpor_log *l, const void *obj, bool load,
		       bool wide, bool release)
{
	struct pinmm_event *e;
	int i;

	if (!l->nr)
		return; /* the machine's boot: before every step */
	e = &l->ev[l->nr - 1];
	i = event_add(e, obj, load);
	e->wide |= wide;
	if (release && i >= 0)
		e->releases |= (u16)(1u << i);
	l->closed = false; /* sleepers look at it again */
}

/*
 * A det_run() returned: the harness acts until the next, as one step that
 * comes after the step that ended the run, and touches what it names.
 * Several runs in a row with no step between are one such step.
 */
static void note_phase(struct dpor_log *l, bool barrier)
{
	struct pinmm_event *e;

	if (!l->nr)
		return;
	if (l->ev[l->nr - 1].pid == 0) {
		l->ev[l->nr - 1].barrier |= barrier;
		return;
	}
	l->ev[l->nr - 1].wide = true; /* the harness acts as part of it */
	close_step(l);
	e = push_event(l);
	if (e)
		*e = (struct pinmm_event){.pid = 0, .decision = -1,
					  .waker = l->nr - 2, .barrier = barrier};
	l->closed = false;
}

/* struct det_strategy.note of a STRAT_DPOR strategy. */
void dpor_note(void *state, enum det_note what, struct task_struct *t,
	       const void *obj)
{
	struct strategy *s = state;
	struct dpor_log *l = s->dpor;

	switch (what) {
	case DET_NOTE_STEP:
	case DET_NOTE_LOAD:
		note_step(s, t, obj, what == DET_NOTE_LOAD);
		break;
	case DET_NOTE_RELEASE:
	case DET_NOTE_RELEASE_SHARED:
		/*
		 * Not wide: while the step's task holds the lock, no step
		 * that conflicts with the release can run.
		 */
		note_touch(l, obj, what == DET_NOTE_RELEASE_SHARED, false, true);
		break;
	case DET_NOTE_TOUCH:
	case DET_NOTE_TOUCH_LOAD:
		note_touch(l, obj, what == DET_NOTE_TOUCH_LOAD, true, false);
		break;
	case DET_NOTE_WAKE:
		if (t->pid < 64)
			l->waker[t->pid] = l->nr - 1;
		break;
	case DET_NOTE_PHASE:
		note_phase(l, obj);
		break;
	case DET_NOTE_BLOCKED:
		if (l->nr)
			l->ev[l->nr - 1].failed = true;
		break;
	case DET_NOTE_TRYLOCK:
		if (l->nr)
			l->ev[l->nr - 1].trylock = true;
		break;
	}
}

/* The sleep set at a choice point: the last step's update first. */
u64 dpor_sleep(struct strategy *s)
{
	close_step(s->dpor);
	return s->dpor->sleep_now;
}

/*
 * After a choice: the tasks asleep at it, and those tried here before,
 * sleep through the chosen step unless it touches their next op.
 */
void dpor_picked(struct strategy *s, struct task_struct *chosen,
		 struct task_struct **runnable, int n, u64 candidates)
{
	struct dpor_log *l = s->dpor;

	l->sleep_now = candidates & ~bit(chosen->pid);
	for (int i = 0; i < n; i++) {
		struct task_struct *u = runnable[i];

		if (!(l->sleep_now & bit(u->pid)))
			continue;
		l->sleep_obj[u->pid] = det_pending(u);
		if (det_pending_load(u))
			l->sleep_load |= bit(u->pid);
		else
			l->sleep_load &= ~bit(u->pid);
	}
}

/* The run is over: its record goes to the result, whole. */
void dpor_take_events(const struct strategy *s, struct pinmm_result *r)
{
	struct dpor_log *l = s->dpor;

	if (!l)
		return;
	if (l->failed) {
		r->nr_events = -1; /* incomplete: the search stops */
		return;
	}
	r->events = l->ev;
	r->nr_events = l->nr;
	l->ev = NULL;
	l->nr = l->cap = 0;
}

/* ---- happens-before over one run ---- */

/*
 * Per object, the last step that wrote it and the last that read it since
 * (each read links to the read before it, back to that write): open
 * addressing on the pointer.
 */
struct access {
	const void *key;
	int write, read; /* read: step * DPOR_OBJS + which of its objects */
	bool bits;	 /* a word: ops on its bits have their own records */
};

struct last_map {
	struct access *slot;
	size_t cap;
};

static size_t ptr_hash(const void *p)
{
	u64 x = (u64)(uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x;
}

static struct access *last_slot(struct last_map *m, const void *obj)
{
	size_t j = ptr_hash(obj) & (m->cap - 1);

	while (m->slot[j].key && m->slot[j].key != obj)
		j = (j + 1) & (m->cap - 1);
	if (!m->slot[j].key)
		m->slot[j] = (struct access){obj, -1, -1, false};
	return &m->slot[j];
}

/* The same, without making a slot: NULL if no step touched @obj. */
static const struct access *last_find(const struct last_map *m,
				      const void *obj)
{
	size_t j = ptr_hash(obj) & (m->cap - 1);

	while (m->slot[j].key && m->slot[j].key != obj)
		j = (j + 1) & (m->cap - 1);
	return m->slot[j].key ? &m->slot[j] : NULL;
}

/*
 * Vector clocks: vc(i)[p] is how many of task p's steps happen before
 * step i, or are it; step e happens before step k iff
 * vc(k)[pid(e)] >= lidx(e).
 */
struct hb {
	const struct pinmm_event *ev;
	int n, width;
	int *lidx;
	int *vc;
	int *prev_read; /* by read (step * DPOR_OBJS + i): the read before */
	int *prev;	/* by step: its task's step before, or -1 */
	int *dep;	/* scratch: one step's dependees */
	int *tmp;	/* scratch: a clock */
	int last_of[64], last_all;
};

static inline int *vc_of(const struct hb *h, int i)
{
	return h->vc + (size_t)i * (size_t)h->width;
}

static inline bool happens_before(const struct hb *h, int e, int k)
{
	return vc_of(h, k)[h->ev[e].pid] >= h->lidx[e];
}

static void join(int *c, const int *o, int width)
{
	for (int i = 0; i < width; i++)
		if (o[i] > c[i])
			c[i] = o[i];
}

struct race {
	int e, j;
};

struct races {
	struct race *r;
	size_t nr, cap;
};

static int add_race(struct races *rs, int e, int j)
{
	if (rs->nr == rs->cap) {
		size_t cap = rs->cap ? 2 * rs->cap : 256;
		struct race *r = realloc(rs->r, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		rs->r = r;
		rs->cap = cap;
	}
	rs->r[rs->nr++] = (struct race){e, j};
	return 0;
}

static int cmp_desc(const void *a, const void *b)
{
	return *(const int *)b - *(const int *)a;
}

/* Does step @e name @obj itself? */
static bool event_names(const struct pinmm_event *e, const void *obj)
{
	for (int i = 0; i < e->nr_objs; i++)
		if (e->obj[i] == obj)
			return true;
	return false;
}

/* Does step @e only read what it touches of @obj? */
static bool event_reads_only(const struct pinmm_event *e, const void *obj)
{
	for (int i = 0; i < e->nr_objs; i++)
		if (det_objs_overlap(e->obj[i], obj) && !(e->loads & (1u << i)))
			return false;
	return true;
}

/*
 * Step @j's op on @obj conflicts with what @a records of it: its last
 * write, and for a write the reads since.  Every object is looked up once
 * per step, so that @j adds each earlier (step, object) once at most.
 */
static int add_dependees(struct hb *h, int n, int j, const struct access *a)
{
	if (!a)
		return n;
	if (a->write >= 0)
		h->dep[n++] = a->write;
	if (event_reads_only(&h->ev[j], a->key))
		return n;
	for (int r = a->read; r >= 0; r = h->prev_read[r])
		h->dep[n++] = r / DPOR_OBJS;
	return n;
}

/* A bit's op conflicts with its word's whole-word accesses too. */
static int bit_dependees(struct hb *h, const struct last_map *m, int n, int j,
			 int i)
{
	const struct pinmm_event *ev = &h->ev[j];
	const void *word = det_obj_word(ev->obj[i]);

	if (event_names(ev, word))
		return n; /* looked up as the step's own */
	for (int k = 0; k < i; k++)
		if (det_obj_is_bit(ev->obj[k]) && det_obj_word(ev->obj[k]) == word)
			return n; /* looked up for an earlier bit */
	return add_dependees(h, n, j, last_find(m, word));
}

/* A whole-word access conflicts with every op on one of its bits. */
static int word_dependees(struct hb *h, const struct last_map *m, int n, int j,
			  const void *word)
{
	const struct access *a = last_find(m, word);

	for (unsigned int b = 0; a && a->bits && b < 64; b++) {
		const void *obj = det_bit_obj(word, b);

		if (!event_names(&h->ev[j], obj))
			n = add_dependees(h, n, j, last_find(m, obj));
	}
	return n;
}

/*
 * The earlier steps step @j conflicts with, latest first: per object, its
 * last write, and for a write the reads since (for a bit, its word's
 * whole-word accesses too; for a word, its bits': det_objs_overlap()); the
 * harness's last step; for a step dependent on everything, every task's
 * last step.
 */
static int dependees(struct hb *h, struct last_map *m, int j)
{
	const struct pinmm_event *ev = &h->ev[j];
	int n = 0;

	if (ev->nr_objs < 0) {
		for (int p = 0; p < h->width; p++)
			if (h->last_of[p] >= 0 && p != ev->pid)
				h->dep[n++] = h->last_of[p];
	} else {
		for (int i = 0; i < ev->nr_objs; i++) {
			const void *obj = ev->obj[i];

			n = add_dependees(h, n, j, last_slot(m, obj));
			if (det_obj_is_bit(obj))
				n = bit_dependees(h, m, n, j, i);
			else
				n = word_dependees(h, m, n, j, obj);
		}
		if (h->last_all >= 0)
			h->dep[n++] = h->last_all;
	}
	qsort(h->dep, (size_t)n, sizeof(*h->dep), cmp_desc);
	return n;
}

static void touch(struct hb *h, struct last_map *m, int j)
{
	const struct pinmm_event *ev = &h->ev[j];

	if (ev->failed)
		return; /* it changed nothing */
	if (ev->nr_objs < 0)
		h->last_all = j;
	for (int i = 0; i < ev->nr_objs; i++) {
		struct access *a = last_slot(m, ev->obj[i]);

		if (det_obj_is_bit(ev->obj[i]))
			last_slot(m, det_obj_word(ev->obj[i]))->bits = true;
		if (ev->loads & (1u << i)) {
			h->prev_read[j * DPOR_OBJS + i] = a->read;
			a->read = j * DPOR_OBJS + i;
		} else {
			a->write = j;
			a->read = -1;
		}
	}
}

/*
 * Step j races with the harness's step @e (pid 0), which comes right after
 * the step w that ended a run and is part of it: j races with w, unless w
 * happens before j other than through @e.  The clock of j without @e:
 * program order, its waker, and its other dependees (none of which comes
 * after @e, or @e would not race with j).
 */
static int harness_race(struct hb *h, struct races *rs, int e, int j, int nd)
{
	const struct pinmm_event *ev = &h->ev[j];
	int w = h->ev[e].waker, *c = h->tmp;

	if (w < 0 || h->ev[w].pid == ev->pid)
		return 0;
	memset(c, 0, (size_t)h->width * sizeof(*c));
	if (h->last_of[ev->pid] >= 0)
		join(c, vc_of(h, h->last_of[ev->pid]), h->width);
	if (ev->waker >= 0 && ev->waker < j)
		join(c, vc_of(h, ev->waker), h->width);
	for (int i = 0; i < nd; i++)
		if (h->dep[i] != e)
			join(c, vc_of(h, h->dep[i]), h->width);
	if (c[h->ev[w].pid] >= h->lidx[w])
		return 0;
	return add_race(rs, w, j);
}

/*
 * Step @e races with step @j, which acquires lock L (its op) that @e
 * released: @j's task could not have taken L anywhere between the
 * holder's acquisition and @e, so the race to reverse is with that
 * acquisition, the first step before @e of its task that names L (if L
 * is its op).  Reversing at @e would only run @j's task into the taken
 * lock, one schedule later to learn the same.  @c: @j's clock so far.
 * The step to race with, or -1: the acquisition happens before @j anyway.
 */
static int lock_race(const struct hb *h, int e, int j, const int *c)
{
	const struct pinmm_event *ee = &h->ev[e], *ej = &h->ev[j];
	const void *lock;
	int k;

	/* A try that found the lock taken would have failed, not waited. */
	if (ee->nr_objs <= 0 || ej->nr_objs <= 0 || !ee->releases ||
	    ej->trylock)
		return e;
	lock = ej->obj[0];
	for (k = 1; k < ee->nr_objs && ee->obj[k] != lock; k++)
		;
	if (k == ee->nr_objs || !(ee->releases & (1u << k)))
		return e; /* not a release of the lock @j acquires */
	for (int i = 1; i < ej->nr_objs; i++)
		if (event_conflicts(ee, ej->obj[i], ej->loads & (1u << i)))
			return e; /* @e races with the rest of @j too */
	for (k = h->prev[e]; k >= 0; k = h->prev[k])
		if (event_names(&h->ev[k], lock))
			break;
	if (k < 0 || h->ev[k].obj[0] != lock)
		return e; /* taken with preemption disabled: not a step */
	return c[ee->pid] >= h->lidx[k] ? -1 : k;
}

/*
 * Clocks of every step, and the races: step j races with an earlier step
 * e of another task when they conflict and nothing but that makes e
 * happen before j.
 */
static int hb_compute(struct hb *h, struct last_map *m, struct races *rs)
{
	int count[64] = {0};

	for (int p = 0; p < 64; p++)
		h->last_of[p] = -1;
	h->last_all = -1;
	for (int j = 0; j < h->n; j++) {
		const struct pinmm_event *ev = &h->ev[j];
		int q = ev->pid, *c = vc_of(h, j);
		int nd = dependees(h, m, j);

		if (h->last_of[q] >= 0)
			memcpy(c, vc_of(h, h->last_of[q]),
			       (size_t)h->width * sizeof(*c));
		if (ev->waker >= 0 && ev->waker < j)
			join(c, vc_of(h, ev->waker), h->width);
		for (int p = 0; ev->barrier && p < h->width; p++)
			if (h->last_of[p] >= 0)
				join(c, vc_of(h, h->last_of[p]), h->width);
		for (int i = 0; i < nd; i++) {
			int e = h->dep[i], f;

			if (i && e == h->dep[i - 1])
				continue;
			if (h->ev[e].pid == q || c[h->ev[e].pid] >= h->lidx[e]) {
				/* ordered already */
			} else if (!h->ev[e].pid) {
				if (harness_race(h, rs, e, j, nd))
					return -ENOMEM;
			} else if ((f = lock_race(h, e, j, c)) >= 0 &&
				   add_race(rs, f, j)) {
				return -ENOMEM;
			}
			join(c, vc_of(h, e), h->width);
		}
		h->prev[j] = h->last_of[q];
		h->lidx[j] = ++count[q];
		c[q] = h->lidx[j];
		touch(h, m, j);
		h->last_of[q] = j;
	}
	return 0;
}

/* ---- reversing races ---- */

/*
 * The tasks that can start the reversal of race (e, j): the initials of
 * v = the steps after e that do not happen after it, then j.  A task's
 * first step in v is an initial when no earlier step of v happens before
 * it.
 */
static u64 initials(const struct hb *h, int e, int j)
{
	int first[64], q = h->ev[j].pid;
	u64 seen = 0, init = 0;

	for (int k = e + 1; k < j; k++) {
		int r = h->ev[k].pid;

		if ((seen & bit(r)) || happens_before(h, e, k))
			continue;
		first[r] = k;
		seen |= bit(r);
	}
	if (!(seen & bit(q))) {
		first[q] = j;
		seen |= bit(q);
	}
	for (int r = 0; r < 64; r++) {
		bool initial = true;

		if (!(seen & bit(r)))
			continue;
		for (int s = 0; s < 64 && initial; s++)
			if (s != r && (seen & bit(s)) && first[s] < first[r] &&
			    happens_before(h, first[s], first[r]))
				initial = false;
		if (initial)
			init |= bit(r);
	}
	return init;
}

static void reverse(struct dpor_tree *t, const struct hb *h, int e, int j)
{
	const struct pinmm_event *ev = &h->ev[e];
	struct dpor_node *nd;
	u64 init, cand;
	int q = h->ev[j].pid;

	/* Where only e's task could run, there is nothing to reverse. */
	if (ev->decision < 0 || ev->decision >= t->nr)
		return;
	nd = &t->node[ev->decision];
	t->races++;
	if ((nd->backtrack & nd->runnable) == nd->runnable)
		return;
	init = initials(h, e, j);
	if (init & nd->backtrack)
		return;
	cand = init & nd->runnable;
	if (cand & bit(q)) {
		nd->backtrack |= bit(q);
	} else if (cand) {
		nd->backtrack |= cand & -cand;
	} else if (!q) {
		/*
		 * Only the harness would start it, and it acts only once the
		 * run's condition holds, which it did not before e (it acts
		 * at the first step after which it holds): no reversal.
		 */
		return;
	} else {
		/* Whoever starts it could not run here: try everyone. */
		nd->backtrack |= nd->runnable;
		t->fallbacks++;
	}
}

/* Add to the tree what reversing each race of run @r needs. */
int dpor_add_races(struct dpor_tree *t, const struct pinmm_result *r)
{
	const struct pinmm_event *ev = r->events;
	struct hb h = {.ev = ev, .n = r->nr_events, .width = 1};
	struct last_map m = {0};
	struct races rs = {0};
	size_t n = (size_t)h.n + 1, objs = 0;
	int err = -ENOMEM;

	if (!ev)
		return r->nr_events ? -ENOMEM : 0;
	for (int i = 0; i < h.n; i++)
		if (ev[i].pid >= h.width)
			h.width = ev[i].pid + 1;
	/* Clocks and masks are by pid, as the decisions' are. */
	if (h.width > 64)
		return -E2BIG;
	/* A bit's object and its word's record: two slots. */
	for (int i = 0; i < h.n; i++)
		for (int k = 0; k < ev[i].nr_objs; k++)
			objs += det_obj_is_bit(ev[i].obj[k]) ? 2 : 1;
	for (m.cap = 64; m.cap < 2 * objs; m.cap *= 2)
		;
	m.slot = calloc(m.cap, sizeof(*m.slot));
	h.lidx = calloc(n, sizeof(*h.lidx));
	h.prev_read = calloc(n * DPOR_OBJS, sizeof(*h.prev_read));
	h.prev = calloc(n, sizeof(*h.prev));
	h.dep = calloc(n * DPOR_OBJS + 64, sizeof(*h.dep));
	h.vc = calloc(n * (size_t)h.width, sizeof(*h.vc));
	h.tmp = calloc((size_t)h.width, sizeof(*h.tmp));
	if (m.slot && h.lidx && h.prev_read && h.prev && h.dep && h.vc && h.tmp &&
	    !hb_compute(&h, &m, &rs)) {
		for (size_t i = 0; i < rs.nr; i++)
			reverse(t, &h, rs.r[i].e, rs.r[i].j);
		err = 0;
	}
	free(rs.r);
	free(m.slot);
	free(h.lidx);
	free(h.prev_read);
	free(h.prev);
	free(h.dep);
	free(h.vc);
	free(h.tmp);
	return err;
}

/* ---- the tree ---- */

/*
 * Take in the run just done: its decisions below the prefix are new
 * nodes.  A run that did not follow its prefix means the model is not
 * deterministic, and the search cannot go on.
 */
int dpor_tree_grow(struct dpor_tree *t, const struct pinmm_result *r)
{
	int n = r->nr_decisions;

	if (r->diverged || n < t->nr)
		return -EPROTO;
	for (int d = 0; d < t->nr; d++)
		if (t->node[d].pid != r->decisions[d].pid)
			return -EPROTO;
	if (n > t->cap) {
		int cap = n > 2 * t->cap ? n : 2 * t->cap;
		struct dpor_node *node =
			realloc(t->node, (size_t)cap * sizeof(*node));

		if (!node)
			return -ENOMEM;
		t->node = node;
		t->cap = cap;
	}
	for (int d = t->nr; d < n; d++) {
		const struct pinmm_decision *dec = &r->decisions[d];
		struct dpor_node *nd = &t->node[d];

		nd->runnable = dec->runnable;
		nd->sleep = dec->sleep;
		nd->pid = dec->pid;
		nd->done = bit(dec->pid);
		nd->wide = 0;
		/* The top of the tree tries everyone: see dpor_ours(). */
		nd->backtrack =
			d < DPOR_SHARD_DEPTH ? dec->runnable : bit(dec->pid);
	}
	t->nr = n;
	for (int i = 0; i < r->nr_events; i++) {
		const struct pinmm_event *e = &r->events[i];

		if (e->wide && e->decision >= 0 && e->decision < n)
			t->node[e->decision].wide |= bit(e->pid);
	}
	return 0;
}

/*
 * Sharding.  The races a subtree's runs find add tasks to its own nodes
 * and to the nodes above it; a shard that does not run the subtree would
 * not learn of the latter.  So the first DPOR_SHARD_DEPTH choices try
 * every task that is not asleep, whatever the races say, and each subtree
 * below them belongs to one shard, by a hash of those choices: the shards
 * run the same tree as one process, and each schedule once.  Every shard
 * runs the first schedule of every subtree, to reach the next; only the
 * owner counts it.
 */
bool dpor_ours(const struct dpor_tree *t)
{
	u64 h = 0x2545f4914f6cdd1dULL;

	if (t->shards <= 1)
		return true;
	for (int d = 0; d < t->nr && d < DPOR_SHARD_DEPTH; d++)
		h = (h ^ (u64)t->node[d].pid) * 0x9e3779b97f4a7c15ULL;
	return (unsigned int)((h >> 32) % t->shards) == t->shard;
}

/*
 * The next schedule: the deepest choice with a task to try that has not
 * been tried there and is not asleep; 0 when the tree is done.  Outside
 * the shard's own subtrees only the top of the tree is walked.
 */
int dpor_next(struct dpor_tree *t, bool ours, struct pinmm_decision **prefix,
	      int *nr_prefix)
{
	int lim = ours || t->nr < DPOR_SHARD_DEPTH ? t->nr : DPOR_SHARD_DEPTH;

	for (int d = lim - 1; d >= 0; d--) {
		struct dpor_node *nd = &t->node[d];
		u64 avail =
			nd->backtrack & nd->runnable & ~nd->done & ~nd->sleep;
		struct pinmm_decision *p;

		if (!avail)
			continue;
		p = calloc((size_t)d + 1, sizeof(*p));
		if (!p)
			return -ENOMEM;
		nd->pid = __builtin_ctzll(avail);
		nd->done |= bit(nd->pid);
		t->nr = d + 1;
		for (int i = 0; i <= d; i++) {
			p[i].pid = t->node[i].pid;
			p[i].explored = t->node[i].done & ~t->node[i].wide &
					~bit(t->node[i].pid);
		}
		*prefix = p;
		*nr_prefix = d + 1;
		return 1;
	}
	return 0;
}

void dpor_tree_free(struct dpor_tree *t)
{
	free(t->node);
	memset(t, 0, sizeof(*t));
}
