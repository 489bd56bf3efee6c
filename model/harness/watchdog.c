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

/*
 * Wait until @done(@arg), an oops, or a hung task.  On a hang, @report
 * gets khungtaskd's view of every waiting task.
 */
struct det_done {
	struct machine *m;
	bool (*done)(void *);
	void *arg;
};

static bool det_done_or_oops(void *arg)
{
	struct det_done *dd = arg;

	return __atomic_load_n(&dd->m->oopsed, __ATOMIC_ACQUIRE) ||
	       dd->done(dd->arg);
}

static enum watch_end hang_report(struct machine *m, struct task_struct *hung,
				  const char *class, struct hang_report *hr)
{
	struct hang_scan hs = {
		.now = ktime_get_us(), .buf = hr->text, .len = hr->len, .hung = hung,
	};
	char *report = hr->text;
	size_t len = hr->len;

	snprintf(m->hang_class, sizeof(m->hang_class), "%s", class);
	hs.used = (size_t)snprintf(report, len, "%s: %s\n", class,
				   !strcmp(class, "deadlock") ?
					   "no task can make progress" :
				   !strcmp(class, "livelock") ?
					   "too many scheduling points without an end" :
					   "a task waited longer than the hung-task timeout");
	for_each_task(report_task, &hs);
	memcpy(hr->pfns, hs.pfns, sizeof(hs.pfns));
	hr->nr_pfns = hs.nr_pfns;
	return WATCH_HANG;
}

/*
 * Deterministic mode: the scheduler runs the tasks here until the
 * condition holds.  A hung task whose wait nothing can end (every other
 * task blocked or busy-waiting too) is reported as a deadlock.
 */
static enum watch_end watch_det(struct machine *m, bool (*done)(void *),
				void *arg, u64 timeout, struct hang_report *hr)
{
	struct det_done dd = { .m = m, .done = done, .arg = arg };
	struct task_struct *hung;
	enum det_end end = det_run(det_done_or_oops, &dd, timeout, &hung);

	switch (end) {
	case DET_DONE:
		return __atomic_load_n(&m->oopsed, __ATOMIC_ACQUIRE) ? WATCH_OOPS :
									WATCH_DONE;
	case DET_DEADLOCK:
		return hang_report(m, NULL, "deadlock", hr);
	case DET_LIVELOCK:
		return hang_report(m, NULL, "livelock", hr);
	case DET_HUNG:
		break;
	}
	return hang_report(m, hung, det_all_stuck() ? "deadlock" : "hung task",
			   hr);
}

enum watch_end watch(struct machine *m, bool (*done)(void *), void *arg,
		     u64 timeout, struct hang_report *hr)
{
	u64 deadline = ktime_get_us() + m->scn->run_timeout;

	if (sched_det())
		return watch_det(m, done, arg, timeout, hr);

	for (;;) {
		struct hang_scan hs = { .timeout = timeout };

		if (__atomic_load_n(&m->oopsed, __ATOMIC_ACQUIRE))
			return WATCH_OOPS;
		if (done(arg))
			return WATCH_DONE;
		hs.now = ktime_get_us();
		for_each_task(find_hung, &hs);
		if (hs.hung || hs.now > deadline) {
			if (!hs.hung) {
				snprintf(m->hang_class, sizeof(m->hang_class),
					 "timeout");
				hs.buf = hr->text;
				hs.len = hr->len;
				hs.used = (size_t)snprintf(hr->text, hr->len,
							   "the run did not finish in %llu us\n",
							   (unsigned long long)m->scn->run_timeout);
				for_each_task(report_task, &hs);
				memcpy(hr->pfns, hs.pfns, sizeof(hs.pfns));
				hr->nr_pfns = hs.nr_pfns;
				return WATCH_HANG;
			}
			return hang_report(m, hs.hung, "hung task", hr);
		}
		usleep(200);
	}
}
