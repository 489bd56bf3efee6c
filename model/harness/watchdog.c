// SPDX-License-Identifier: GPL-2.0
/*
 * The watchdog (watchdog.h): the kernel's khungtaskd for a run.  The host
 * thread that runs the machine waits here until a condition holds, a task
 * oopses, or a task hangs, and then says who waited on what.
 *
 * Free-running, it polls the tasks' published waits; in deterministic
 * mode the scheduler runs the tasks here and reports what it saw.
 *
 * Locking: it reads what tasks publish about their waits (wchan, stack,
 * since when) with atomic loads, under the scheduler's task list lock.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/panic.h>
#include <linux/sched.h>
#include <linux/sched_det.h>

#include "machine.h"
#include "watchdog.h"

struct hang_scan {
	u64 now;
	u64 timeout;
	struct task_struct *hung;
	char *buf;
	size_t len, used;
	unsigned long pfns[16];	/* pages the blocked tasks wait on */
	int nr_pfns;
};

static void find_hung(struct task_struct *t, void *arg)
{
	struct hang_scan *hs = arg;
	u64 since = __atomic_load_n(&t->wait_start, __ATOMIC_ACQUIRE);

	if (hs->hung || __atomic_load_n(&t->exited, __ATOMIC_ACQUIRE) || !since)
		return;
	if (hs->now > since && hs->now - since > hs->timeout)
		hs->hung = t;
}

static void describe_wchan(struct task_struct *t, char *buf, size_t len)
{
	const char *what = __atomic_load_n(&t->wchan, __ATOMIC_RELAXED);
	enum wchan_type type = __atomic_load_n(&t->wchan_type, __ATOMIC_RELAXED);
	const void *obj = __atomic_load_n(&t->wchan_obj, __ATOMIC_RELAXED);

	if (!what) {
		snprintf(buf, len, "-");
		return;
	}
	if (type == WCHAN_PAGE && obj) {
		const struct page *page = obj;
		struct address_space *mapping = page_mapping(page);

		snprintf(buf, len, "%s (page pfn %#lx, %s index %lu)", what,
			 page_to_pfn(page),
			 mapping && mapping->host && mapping->host->i_name ?
				 mapping->host->i_name : "no file",
			 READ_ONCE(((struct page *)page)->index));
		return;
	}
	snprintf(buf, len, "%s", what);
}

static void report_task(struct task_struct *t, void *arg)
{
	struct hang_scan *hs = arg;
	u64 since = __atomic_load_n(&t->wait_start, __ATOMIC_ACQUIRE);
	bool polling = __atomic_load_n(&t->polling, __ATOMIC_RELAXED);
	char wchan[256];
	char trace[2048] = "";
	void *stack[WAIT_STACK_DEPTH];
	int depth;

	if (__atomic_load_n(&t->exited, __ATOMIC_ACQUIRE) || hs->used + 512 >= hs->len)
		return;
	if (!since) {
		char state[64] = "not waiting";

		if (sched_det())
			det_task_state(t, state, sizeof(state));
		hs->used += (size_t)snprintf(hs->buf + hs->used, hs->len - hs->used,
					     "task %s:%d %s\n", t->comm, t->pid,
					     state);
		return;
	}
	describe_wchan(t, wchan, sizeof(wchan));
	if (__atomic_load_n(&t->wchan_type, __ATOMIC_RELAXED) == WCHAN_PAGE &&
	    hs->nr_pfns < 16) {
		const struct page *page = __atomic_load_n(&t->wchan_obj,
							  __ATOMIC_RELAXED);

		if (page)
			hs->pfns[hs->nr_pfns++] = page_to_pfn(page);
	}
	hs->used += (size_t)snprintf(hs->buf + hs->used, hs->len - hs->used,
				     "INFO: task %s:%d blocked for more than %llu us%s\n"
				     "  waiting in %s\n",
				     t->comm, t->pid,
				     (unsigned long long)(hs->now - since),
				     polling ? " (busy-waiting in a schedule() loop)" : "",
				     wchan);
	depth = __atomic_load_n(&t->wait_depth, __ATOMIC_RELAXED);
	for (int i = 0; i < depth; i++)
		stack[i] = __atomic_load_n(&t->wait_stack[i], __ATOMIC_RELAXED);
	format_trace(stack, depth, trace, sizeof(trace));
	if (hs->used + strlen(trace) + 16 < hs->len)
		hs->used += (size_t)snprintf(hs->buf + hs->used,
					     hs->len - hs->used,
					     "  Call Trace:\n%s", trace);
}

bool actors_done(struct machine *m)
{
	for (int i = 0; i < m->scn->nr_actors; i++)
		if (!__atomic_load_n(&m->actors[i].done, __ATOMIC_ACQUIRE))
			return false;
	return true;
}

/* ---- waits nothing can end any more ---- */

/* Could actor @b still signal event @e, from the step it is at? */
static bool may_signal(struct actor_state *b, int e)
{
	const struct scn_actor *a = b->a;
	u64 pos;
	unsigned int loop;
	int step;

	if (__atomic_load_n(&b->done, __ATOMIC_ACQUIRE) || !a->nr_steps)
		return false;
	pos = __atomic_load_n(&b->pos, __ATOMIC_ACQUIRE);
	loop = (unsigned int)(pos / (u64)a->nr_steps);
	step = (int)(pos % (u64)a->nr_steps);
	for (int i = 0; i < a->nr_steps; i++)
		if (a->steps[i].op == OP_SIGNAL && a->steps[i].event == e &&
		    (i >= step || loop < a->loops))
			return true;
	return false;
}

/* The event actor @as waits for, or -1. */
static int waited_event(struct machine *m, struct actor_state *as)
{
	struct task_struct *t = as->task;
	const void *obj;

	if (__atomic_load_n(&t->wchan_type, __ATOMIC_RELAXED) != WCHAN_EVENT)
		return -1;
	obj = __atomic_load_n(&t->wchan_obj, __ATOMIC_RELAXED);
	for (int e = 0; e < m->scn->nr_events; e++)
		if (obj == &m->events[e].wait)
			return e;
	return -1;
}

/*
 * An actor waiting for an event that no task can signal any more: every
 * actor with a signal step for it has stopped or is past its last one
 * (a failed step or a refused pin ends an actor early).  The event is
 * looked at again after the signallers: one that signalled and then
 * finished is seen as signalled.  Returns the event, and the waiter in
 * *@waiter; -1 if there is none.
 */
static int stranded_wait(struct machine *m, struct actor_state **waiter)
{
	for (int i = 0; i < m->scn->nr_actors; i++) {
		struct actor_state *as = &m->actors[i];
		int e = waited_event(m, as);
		bool can = false;

		if (e < 0 || __atomic_load_n(&as->done, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&m->signalled[e], __ATOMIC_ACQUIRE))
			continue;
		for (int j = 0; j < m->scn->nr_actors && !can; j++)
			can = j != i && may_signal(&m->actors[j], e);
		if (can || __atomic_load_n(&m->signalled[e], __ATOMIC_ACQUIRE))
			continue;
		*waiter = as;
		return e;
	}
	return -1;
}

/* ---- the reports ---- */

static enum watch_end hang_report(struct machine *m, struct task_struct *hung,
				  const char *class, const char *why,
				  struct hang_report *hr)
{
	struct hang_scan hs = {
		.now = ktime_get_us(), .buf = hr->text, .len = hr->len, .hung = hung,
	};

	snprintf(m->hang_class, sizeof(m->hang_class), "%s", class);
	hs.used = (size_t)snprintf(hr->text, hr->len, "%s: %s\n", class, why);
	if (hs.used >= hr->len)
		hs.used = hr->len - 1;
	for_each_task(report_task, &hs);
	memcpy(hr->pfns, hs.pfns, sizeof(hs.pfns));
	hr->nr_pfns = hs.nr_pfns;
	return WATCH_HANG;
}

static enum watch_end stranded_report(struct machine *m,
				      struct actor_state *waiter, int e,
				      struct hang_report *hr)
{
	char why[256];

	snprintf(why, sizeof(why),
		 "%s waits for event '%s', which no task can signal any more",
		 waiter->a->name, m->scn->events[e]);
	return hang_report(m, NULL, "no waker", why, hr);
}

static enum watch_end timeout_report(struct machine *m, struct hang_report *hr)
{
	char why[128];

	snprintf(why, sizeof(why), "the run did not end within its run_timeout, %llu us",
		 (unsigned long long)m->scn->run_timeout);
	return hang_report(m, NULL, "timeout", why, hr);
}

/* ---- watching ---- */

struct det_done {
	struct machine *m;
	bool (*done)(void *);
	void *arg;
	struct actor_state *waiter;
	int event;
};

static bool det_done_or_oops(void *arg)
{
	struct det_done *dd = arg;

	if (__atomic_load_n(&dd->m->oopsed, __ATOMIC_ACQUIRE) || dd->done(dd->arg))
		return true;
	dd->event = stranded_wait(dd->m, &dd->waiter);
	return dd->event >= 0;
}

/*
 * Deterministic mode: the scheduler runs the tasks here until the
 * condition holds.  A hung task whose wait nothing can end (every other
 * task blocked or busy-waiting too) is reported as a deadlock.
 */
static enum watch_end watch_det(struct machine *m, bool (*done)(void *),
				void *arg, bool idle, u64 timeout,
				struct hang_report *hr)
{
	struct det_done dd = { .m = m, .done = done, .arg = arg, .event = -1 };
	struct task_struct *hung;
	enum det_end end = det_run(det_done_or_oops, &dd, idle, timeout,
				   m->run_deadline, &hung);

	switch (end) {
	case DET_DONE:
		if (__atomic_load_n(&m->oopsed, __ATOMIC_ACQUIRE))
			return WATCH_OOPS;
		if (dd.event >= 0)
			return stranded_report(m, dd.waiter, dd.event, hr);
		return WATCH_DONE;
	case DET_DEADLOCK:
		return hang_report(m, NULL, "deadlock", "no task can make progress",
				   hr);
	case DET_LIVELOCK:
		return hang_report(m, NULL, "livelock",
				   "too many scheduling points without an end", hr);
	case DET_TIMEOUT:
		return timeout_report(m, hr);
	case DET_HUNG:
		break;
	}
	if (det_all_stuck())
		return hang_report(m, hung, "deadlock", "no task can make progress",
				   hr);
	return hang_report(m, hung, "hung task",
			   "a task waited longer than the hung-task timeout", hr);
}

/*
 * Wait until @done(@arg), an oops, or a hang (watchdog.h).  Free-running,
 * the tasks publish their waits and this thread looks every 200 us.
 */
static enum watch_end __watch(struct machine *m, bool (*done)(void *),
			      void *arg, bool idle, u64 timeout,
			      struct hang_report *hr)
{
	if (sched_det())
		return watch_det(m, done, arg, idle, timeout, hr);

	for (;;) {
		struct hang_scan hs = { .timeout = timeout };
		struct actor_state *waiter;
		int e;

		if (__atomic_load_n(&m->oopsed, __ATOMIC_ACQUIRE))
			return WATCH_OOPS;
		if (done(arg))
			return WATCH_DONE;
		e = stranded_wait(m, &waiter);
		if (e >= 0)
			return stranded_report(m, waiter, e, hr);
		hs.now = ktime_get_us();
		for_each_task(find_hung, &hs);
		if (hs.hung)
			return hang_report(m, hs.hung, "hung task",
					   "a task waited longer than the hung-task timeout",
					   hr);
		if (hs.now >= m->run_deadline)
			return timeout_report(m, hr);
		usleep(200);
	}
}

enum watch_end watch(struct machine *m, bool (*done)(void *), void *arg,
		     u64 timeout, struct hang_report *hr)
{
	return __watch(m, done, arg, false, timeout, hr);
}

enum watch_end watch_idle(struct machine *m, bool (*done)(void *), void *arg,
			  u64 timeout, struct hang_report *hr)
{
	return __watch(m, done, arg, true, timeout, hr);
}
