// SPDX-License-Identifier: GPL-2.0
/*
 * The deterministic scheduler: every task is a fiber (det_fiber.c) on the host
 * thread that runs the machine, one task runs at a time, and a strategy
 * picks the next task at every scheduling point where more than one can
 * run.  Time is virtual (microseconds), and every task keeps its own, as
 * if each had a CPU: work takes time, every scheduling point a task passes
 * costs it DET_POINT_NS, and a task woken (or created) by another goes on
 * from no earlier than its waker's time.  A timer expires when the latest
 * clock reaches its deadline, which makes its task runnable there (its
 * clock at the deadline), where the strategy may run it.  When no task can
 * run (or only busy-waiters can), time jumps to the next timer or
 * hung-task deadline.
 *
 * Why not one clock that every step moves: then the time a task reads,
 * and so when its timers expire, would depend on how many steps of
 * unrelated tasks the schedule happened to put before its own, and two
 * schedules that differ only in the order of independent steps (one
 * trace, to dpor) could run the flusher's periodic pass on either side of
 * a DMA burst.  With a clock per task, what a step reads of time follows
 * from the steps that happen before it, as the rest of its state does.
 *
 * A task is in one of these states:
 *   NEW      created, never run
 *   READY    can run: preempted at a scheduling point, yielded, or woken
 *   RUNNING  the one running now
 *   BLOCKED  in schedule() with a sleeping state, or spinning on a lock
 *   EXITED
 * Spinlocks have an owner in this mode: a task that finds one taken is
 * BLOCKED until the owner releases it, which is what spinning amounts to
 * when only one task runs at a time.
 *
 * Switches go through the scheduler's own context (the host thread's
 * stack): a task switches to it when it blocks, yields, exits or is
 * preempted, and the scheduler switches to the next task.
 *
 * Sanitizers: fiber switches are announced to AddressSanitizer (stack
 * bookkeeping) and to ThreadSanitizer, to which a switch implies no
 * synchronization: only the model's locks and wake-ups do (annotated), so
 * a plain data race between tasks is still reported.
 *
 * Locking: none; everything here runs on one host thread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/bug.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched_det.h>

#include "det_internal.h"

#ifdef PINMM_ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef PINMM_TSAN
#include <sanitizer/tsan_interface.h>
#endif

struct det_sched det;
bool det_on;	/* sched_det() */

/* The running task's clock, or the harness's between runs (us). */
u64 det_now(void)
{
	struct task_struct *t = det.cur;

	if (t)
		return __atomic_load_n(&t->det->ns, __ATOMIC_RELAXED) / 1000;
	return __atomic_load_n(&det.harness_now, __ATOMIC_RELAXED);
}

u64 det_steps(void)
{
	return det.steps;
}

u64 det_choice_points(void)
{
	return det.choice_points;
}

void det_init(const struct det_strategy *strategy, u64 max_steps)
{
	det_ignore_begin();
	memset(&det, 0, sizeof(det));
	det_on = true;
	det.now = 1;	/* see ktime_get_us() */
	det.harness_now = 1;
	det.last_ns = 1000;
	det.strategy = strategy;
	det.max_steps = max_steps ? max_steps : 50000000ULL;
#ifdef PINMM_TSAN
	det.main_tsan_fiber = __tsan_get_current_fiber();
#endif
	det_ignore_end();
}

void det_exit(void)
{
	det_ignore_begin();
	det_on = false;
	det_ignore_end();
}

/*
 * The harness (the caller of det_run(), no task) acts between two runs:
 * what it touches, and whom it wakes, belongs to the step that ended the
 * run (DET_NOTE_PHASE).  That holds after every task has exited too:
 * what it does then still conflicts with the steps before, and a schedule
 * that ended the run sooner would have put it before some of them.  (After
 * a barrier, every step happens before it and nothing races.)
 */
bool det_harness_acts(void)
{
	return !det.cur && det_on && det.nr_tasks;
}

/* @t begins a step: its pending op, then its own code to the next point. */
static inline void note_step(struct task_struct *t)
{
	struct det_task *d = t->det;

	note(d->pending_load ? DET_NOTE_LOAD : DET_NOTE_STEP, t, d->pending);
}

/* ---- switching ---- */

static void switch_to_task(struct task_struct *t)
{
	struct det_task *d = t->det;

	det.cur = t;
	set_state(d, DET_RUNNING);
	current_task = t;
#ifdef PINMM_ASAN
	__sanitizer_start_switch_fiber(&det.main_fake_stack, d->stack,
				       DET_STACK_SIZE);
#endif
#ifdef PINMM_TSAN
	__tsan_switch_to_fiber(d->tsan_fiber, __tsan_switch_to_fiber_no_sync);
#endif
	det_fiber_switch(&det.main_ctx, &d->ctx);
#ifdef PINMM_ASAN
	__sanitizer_finish_switch_fiber(det.main_fake_stack, NULL, NULL);
#endif
	current_task = NULL;
	det.cur = NULL;
}

/* From a task to the scheduler; returns when the task runs again. */
void det_switch_to_main(struct task_struct *t, bool dying)
{
	struct det_task *d = t->det;

#ifdef PINMM_ASAN
	__sanitizer_start_switch_fiber(dying ? NULL : &d->fake_stack,
				       det.main_stack_bottom, det.main_stack_size);
#endif
#ifdef PINMM_TSAN
	__tsan_switch_to_fiber(det.main_tsan_fiber, __tsan_switch_to_fiber_no_sync);
#endif
	det_fiber_switch(&d->ctx, &det.main_ctx);
#ifdef PINMM_ASAN
	__sanitizer_finish_switch_fiber(d->fake_stack, NULL, NULL);
#endif
	(void)dying;
	current_task = t;
}

void *kthread(void *arg);

static void det_fiber_entry(void)
{
	struct task_struct *t;

	det_ignore_begin();
	t = det.cur;
#ifdef PINMM_ASAN
	__sanitizer_finish_switch_fiber(NULL, &det.main_stack_bottom,
					&det.main_stack_size);
#endif
	det_ignore_end();
	kthread(t);
	/* A fiber never returns: it ends as do_exit() ends one. */
	det_task_exit(t);
}

/*
 * do_exit() of a fiber: no longjmp back to kthread() (sanitizers follow a
 * longjmp across fiber stacks badly); the fiber is left where it is and
 * never resumed, and its stack goes back to the pool when the task is
 * freed.
 */
static __noreturn void __det_task_exit(struct task_struct *t)
{
	void *main_fiber = det.main_tsan_fiber;

	set_state(t->det, DET_EXITED);
	current_task = NULL;
	(void)main_fiber;
#ifdef PINMM_ASAN
	__sanitizer_start_switch_fiber(NULL, det.main_stack_bottom,
				       det.main_stack_size);
#endif
	det_ignore_end();
#ifdef PINMM_TSAN
	__tsan_release(t);
	__tsan_switch_to_fiber(main_fiber, __tsan_switch_to_fiber_no_sync);
#endif
	/* Never resumed: the fiber ends here without returning. */
	det_fiber_switch(&t->det->ctx, &det.main_ctx);
	abort();
}

__noreturn void det_task_exit(struct task_struct *t)
{
	det_ignore_begin();
	__det_task_exit(t);
}

/*
 * Fiber stacks are kept for the next run: exploration boots a machine per
 * schedule, and mapping fresh stacks each time costs more than the run.
 */
#define STACK_POOL 64
static void *stack_pool[STACK_POOL];
static int nr_pooled;

static void *stack_get(void)
{
	void *stack;

	if (nr_pooled)
		return stack_pool[--nr_pooled];
	stack = mmap(NULL, DET_STACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	BUG_ON(stack == MAP_FAILED);
	return stack;
}

static void stack_put(void *stack)
{
	if (nr_pooled < STACK_POOL)
		stack_pool[nr_pooled++] = stack;
	else
		munmap(stack, DET_STACK_SIZE);
}

static void __det_task_start(struct task_struct *t)
{
	struct det_task *d = calloc(1, sizeof(*d));

	BUG_ON(!d || det.nr_tasks == DET_MAX_TASKS);
	d->stack = stack_get();
	det_fiber_make(&d->ctx, d->stack, DET_STACK_SIZE, det_fiber_entry);
#ifdef PINMM_TSAN
	d->tsan_fiber = __tsan_create_fiber(0);
#endif
	d->fresh = true;
	d->slot = det.nr_tasks;
	det_sync_clock(d);	/* from its creator's time */
	set_state(d, DET_NEW);
	t->det = d;
	det.tasks[det.nr_tasks++] = t;
	if (det.strategy && det.strategy->task_created)
		det.strategy->task_created(det.strategy->state, t);
	if (det.cur || det_harness_acts())
		note(DET_NOTE_WAKE, t, NULL);
}

static void __det_task_free(struct task_struct *t)
{
	struct det_task *d = t->det;

	if (!d)
		return;
	set_wait_lock(d, NULL);
	for (int i = 0; i < det.nr_tasks; i++) {
		u32 below = (1u << i) - 1;

		if (det.tasks[i] != t)
			continue;
		memmove(&det.tasks[i], &det.tasks[i + 1],
			(size_t)(det.nr_tasks - i - 1) * sizeof(det.tasks[0]));
		det.nr_tasks--;
		for (int j = i; j < det.nr_tasks; j++)
			det.tasks[j]->det->slot = j;
		det.can_run = (det.can_run & below) |
			      ((det.can_run >> 1) & ~below);
		break;
	}
#ifdef PINMM_TSAN
	if (d->tsan_fiber)
		__tsan_destroy_fiber(d->tsan_fiber);
#endif
	stack_put(d->stack);
	free(d);
	t->det = NULL;
}

/* ---- who can run ---- */

static inline bool det_runnable(struct task_struct *t)
{
	struct det_task *d = t->det;

	if (!d || d->state == DET_EXITED)
		return false;
	if (__atomic_load_n(&t->killed, __ATOMIC_RELAXED))
		return true;	/* it will leave at once */
	return d->state == DET_NEW || d->state == DET_READY ||
	       d->state == DET_RUNNING;
}

static int scan_runnable(struct task_struct **out)
{
	int n = 0;

	for (int i = 0; i < det.nr_tasks; i++)
		if (det_runnable(det.tasks[i]))
			out[n++] = det.tasks[i];
	return n;
}

/*
 * det.tasks is in creation order, which is pid order.  A killed task can
 * run whatever its state: once the machine is being stopped (or a task
 * was killed here), every task is looked at again.
 */
static inline int collect_runnable(struct task_struct **out)
{
	u32 mask = det.can_run;
	int n = 0;

	if (unlikely(det.killed_one || sched_killing()))
		return scan_runnable(out);
	while (mask) {
		out[n++] = det.tasks[__builtin_ctz(mask)];
		mask &= mask - 1;
	}
#ifdef PINMM_ASAN
	{
		struct task_struct *check[DET_MAX_TASKS];

		BUG_ON(scan_runnable(check) != n ||
		       memcmp(check, out, (size_t)n * sizeof(*out)));
	}
#endif
	return n;
}

static struct task_struct *choose(struct task_struct *cur,
				  struct task_struct **runnable, int n)
{
	if (n == 1)
		return runnable[0];
	det.choice_points++;
	if (!det.strategy || !det.strategy->pick)
		return cur ? cur : runnable[0];
	return det.strategy->pick(det.strategy->state, cur, runnable, n,
				  det.choice_points);
}

/* ---- hooks from the task side ---- */

/*
 * A scheduling point of the running task: the strategy may preempt it.
 * Points in the scheduler's own context (no task) are not points.
 */
const void *det_pending(struct task_struct *t)
{
	return t->det ? t->det->pending : NULL;
}

bool det_pending_load(struct task_struct *t)
{
	return t->det && t->det->pending_load;
}

bool det_fresh(struct task_struct *t)
{
	return t->det && t->det->fresh;
}

const void *det_clock(void)
{
	return &det.now;
}

/*
 * Wake the tasks whose timer expired: a timer expires when some task's
 * clock reaches its deadline (or time jumps there), and its task goes on
 * from the deadline.  A task that can run but has not run for a while
 * holds nothing back: it is a CPU that was busy elsewhere.  Note when the
 * next expires: det.next_timer is never later than the earliest deadline
 * (0: there is none), so before it nothing expires.
 */
static void fire_timers(void)
{
	if (!det.next_timer || det.now < det.next_timer)
		return;
	det.next_timer = 0;
	for (int i = 0; i < det.nr_tasks; i++) {
		struct task_struct *t = det.tasks[i];
		struct det_task *d = t->det;

		if (d->state != DET_BLOCKED || !d->deadline)
			continue;
		if (d->deadline <= det.now) {
			if (d->ns < d->deadline * 1000)
				d->ns = d->deadline * 1000;
			d->deadline = 0;
			__atomic_store_n(&t->state, TASK_RUNNING, __ATOMIC_RELAXED);
			set_state(d, DET_READY);
		} else if (!det.next_timer || d->deadline < det.next_timer) {
			det.next_timer = d->deadline;
		}
	}
}

/*
 * The running task passed a point: that work took it DET_POINT_NS.  The
 * latest clock may pass a timer's deadline.
 */
static inline void tick(struct det_task *d)
{
	u64 us = (d->ns += DET_POINT_NS) / 1000;

	if (us <= det.now)
		return;
	det.now = us;
	if (det.next_timer && us >= det.next_timer)
		fire_timers();
}

static bool run_done(void);

/*
 * For a strategy that records steps, the run ends at the first point where
 * its condition holds, so that the harness's acts come right after the
 * step that made it hold, before any other.  (Otherwise it is looked at
 * when a task blocks, yields, exits or is preempted, which is when it can
 * first hold in practice.)
 */
static bool run_over_here(void)
{
	bool over;

	if (likely(!det.done || !det.strategy || !det.strategy->note ||
		   det.checking))
		return false;
	det.checking = true;
	over = run_done();
	det.checking = false;
	return over;
}

static void __det_point(const void *obj, bool load)
{
	struct task_struct *cur = current;
	struct task_struct *runnable[DET_MAX_TASKS];
	struct task_struct *next;
	int n;

	if (!cur) {
		if (det_harness_acts())
			note(load ? DET_NOTE_TOUCH_LOAD : DET_NOTE_TOUCH, NULL, obj);
		return;
	}
	if (!cur->det || det.cur != cur || det.checking)
		return;
	cur->det->pending = obj;
	cur->det->pending_load = load;
	tick(cur->det);
	if (++det.steps > det.max_steps) {
		det.livelock = true;
		cur->det->state = DET_READY;
		det_switch_to_main(cur, false);
		return;
	}
	if (unlikely(run_over_here())) {
		cur->det->fresh = false;
		cur->det->state = DET_READY;
		det_switch_to_main(cur, false);
		cur->det->pending = NULL;
		cur->det->pending_load = false;
		return;
	}
	n = collect_runnable(runnable);
	if (n < 2) {
		note_step(cur);
		cur->det->pending = NULL;
		cur->det->pending_load = false;
		cur->det->fresh = false;
		return;
	}
	next = choose(cur, runnable, n);
	cur->det->fresh = false;
	if (next == cur) {
		note_step(cur);
		cur->det->pending = NULL;
		cur->det->pending_load = false;
		return;
	}
	det.next = next;
	cur->det->state = DET_READY;
	det_switch_to_main(cur, false);
	cur->det->pending = NULL;
	cur->det->pending_load = false;
}

/* schedule() and schedule_timeout() of a task whose state is not RUNNING. */
static void __det_yield(void);

static void __det_schedule(u64 deadline)
{
	struct task_struct *cur = current;
	struct det_task *d = cur->det;

	if (task_state(cur) == TASK_RUNNING) {
		__det_yield();
		return;
	}
	d->deadline = deadline;
	if (deadline && (!det.next_timer || deadline < det.next_timer))
		det.next_timer = deadline;
	set_state(d, DET_BLOCKED);
	det_switch_to_main(cur, false);
	d->deadline = 0;
	d->fresh = true;
#ifdef PINMM_TSAN
	__tsan_acquire(cur);
#endif
}

/* schedule() in TASK_RUNNING: let the others run first. */
static void __det_yield(void)
{
	struct task_struct *cur = current;

	set_state(cur->det, DET_READY);
	cur->det->yielded = true;
	/*
	 * A busy-waiter's yield may let time jump (only pollers left), which
	 * expires timers and moves the busy-waiters' clocks: the search takes
	 * it as a write of the clock, which every clock read reads.  Anyone
	 * else's yield is no op on anything.
	 */
	cur->det->pending = __atomic_load_n(&cur->polling, __ATOMIC_RELAXED) ?
				    &det.now : NULL;
	det_switch_to_main(cur, false);
	cur->det->pending = NULL;
}

static void __det_wake(struct task_struct *t)
{
	struct det_task *d = t->det;

	if (!d)
		return;
#ifdef PINMM_TSAN
	__tsan_release(t);
#endif
	if (d->state == DET_BLOCKED && !d->wait_lock) {
		det_sync_clock(d);
		set_state(d, DET_READY);
		if (det.cur || det_harness_acts())
			note(DET_NOTE_WAKE, t, NULL);
	}
}

/* ---- the scheduler ---- */

static bool only_pollers(struct task_struct **runnable, int n)
{
	for (int i = 0; i < n; i++)
		if (!__atomic_load_n(&runnable[i]->polling, __ATOMIC_RELAXED) ||
		    runnable[i]->det->state == DET_NEW)
			return false;
	return n > 0;
}

/* The earliest moment something can change: a timer, or a hung deadline. */
static u64 next_event(u64 hung_timeout, bool with_hung)
{
	u64 next = 0;

	for (int i = 0; i < det.nr_tasks; i++) {
		struct task_struct *t = det.tasks[i];
		struct det_task *d = t->det;
		u64 at = 0;

		if (d->state == DET_BLOCKED && d->deadline)
			at = d->deadline;
		if (with_hung && t->wait_start &&
		    (!at || t->wait_start + hung_timeout + 1 < at))
			at = t->wait_start + hung_timeout + 1;
		if (at && (!next || at < next))
			next = at;
	}
	return next;
}


static struct task_struct *find_hung(u64 hung_timeout)
{
	for (int i = 0; i < det.nr_tasks; i++) {
		struct task_struct *t = det.tasks[i];

		if (t->det->state == DET_EXITED || !t->wait_start)
			continue;
		if (det.now > t->wait_start && det.now - t->wait_start > hung_timeout)
			return t;
	}
	return NULL;
}

/* Is every task blocked, exited, or busy-waiting? */
static bool all_idle(void)
{
	for (int i = 0; i < det.nr_tasks; i++) {
		struct task_struct *t = det.tasks[i];

		if (det_runnable(t) &&
		    !(t->det->state == DET_READY &&
		      __atomic_load_n(&t->polling, __ATOMIC_RELAXED)))
			return false;
	}
	return true;
}

static enum det_end det_run_loop(u64 hung_timeout, u64 deadline,
				 struct task_struct **hung);

/* Run the tasks until @done; then the caller acts (DET_NOTE_PHASE). */
static enum det_end __det_run(bool (*done)(void *), void *arg, bool idle,
			      u64 hung_timeout, u64 deadline,
			      struct task_struct **hung)
{
	enum det_end end;
	bool barrier;

	det.done = done;
	det.done_arg = arg;
	end = det_run_loop(hung_timeout, deadline, hung);
	det.done = NULL;
	/*
	 * A condition that holds only once every task is idle depends on
	 * every task's last step: the harness comes after all of them, and
	 * its clock after all of theirs.  Otherwise it acts after the step
	 * that ended the run, at that step's time.  (A run that did not end
	 * well ends with nothing left to run, or at its deadline.)
	 */
	barrier = idle && end == DET_DONE && all_idle();
	if (barrier || end != DET_DONE)
		det.harness_now = det.now;
	else if (det.last_ns / 1000 > det.harness_now)
		det.harness_now = det.last_ns / 1000;
	note(DET_NOTE_PHASE, NULL, barrier ? &det : NULL);
	return end;
}

/*
 * The condition is the caller's code: checked with ThreadSanitizer
 * watching, like the tasks' own code.
 */
static bool check_done(bool (*done)(void *), void *arg)
{
	bool ret;

	det_ignore_end();
	ret = done(arg);
	det_ignore_begin();
	return ret;
}

/* Does the condition of the det_run() running hold? */
static bool run_done(void)
{
	return check_done(det.done, det.done_arg);
}

bool det_idle(void)
{
	bool idle;

	det_ignore_begin();
	idle = all_idle();
	det_ignore_end();
	return idle;
}

enum det_end det_run(bool (*done)(void *), void *arg, bool idle,
		     u64 hung_timeout, u64 deadline, struct task_struct **hung)
{
	enum det_end end;

	det_ignore_begin();
	end = __det_run(done, arg, idle, hung_timeout, deadline, hung);
	det_ignore_end();
	return end;
}

static enum det_end det_run_loop(u64 hung_timeout, u64 deadline,
				 struct task_struct **hung)
{
	struct task_struct *runnable[DET_MAX_TASKS];
	struct task_struct *yielder = NULL;

	*hung = NULL;
	for (;;) {
		struct task_struct *t;
		int n;

		if (run_done())
			return DET_DONE;
		if (det.livelock)
			return DET_LIVELOCK;
		if (deadline && det.now >= deadline)
			return DET_TIMEOUT;
		fire_timers();
		if (hung_timeout && (*hung = find_hung(hung_timeout)))
			return DET_HUNG;
		n = collect_runnable(runnable);
		/*
		 * Nothing can run, or only busy-waiters that have each
		 * looked at their condition since anything else ran: time
		 * jumps to what can change that, a timer or a hung deadline.
		 */
		if (!n || (only_pollers(runnable, n) && det.idle_polls >= n)) {
			u64 next = next_event(hung_timeout, n > 0);

			if (!next)
				return DET_DEADLOCK;
			if (deadline && next > deadline)
				next = deadline;
			if (next > det.now)
				det.now = next;
			/* The busy-waiters waited that long too. */
			for (int i = 0; i < n; i++)
				if (runnable[i]->det->ns < next * 1000)
					runnable[i]->det->ns = next * 1000;
			det.idle_polls = 0;
			continue;
		}
		if (det.next && det_runnable(det.next)) {
			t = det.next;
		} else if (yielder && n > 1) {
			/* A yield hands over to someone else. */
			int m = 0;

			for (int i = 0; i < n; i++)
				if (runnable[i] != yielder)
					runnable[m++] = runnable[i];
			t = choose(NULL, runnable, m);
		} else {
			t = choose(NULL, runnable, n);
		}
		det.next = NULL;
		if (t->det->yielded) {
			t->det->ns += DET_POLL_QUANTUM * 1000;
			if (t->det->ns / 1000 > det.now)
				det.now = t->det->ns / 1000;
		}
		if (__atomic_load_n(&t->polling, __ATOMIC_RELAXED))
			det.idle_polls++;
		else
			det.idle_polls = 0;
		t->det->yielded = false;
		note_step(t);
		switch_to_task(t);
		det.last_ns = t->det->ns;
		yielder = t->det && t->det->state == DET_READY && t->det->yielded ? t : NULL;
	}
}

/* Run the machine until @t has exited (joins, kthread_stop). */
static bool task_exited(void *arg)
{
	struct task_struct *t = arg;

	return !t->det || t->det->state == DET_EXITED;
}

static void __det_run_until_exited(struct task_struct *t)
{
	struct task_struct *hung;
	enum det_end end = __det_run(task_exited, t, false, 0, 0, &hung);

	if (end != DET_DONE) {
		/* Nothing else can run: make the task leave. */
		det.killed_one = true;
		__atomic_store_n(&t->killed, 1, __ATOMIC_RELEASE);
		__det_run(task_exited, t, false, 0, 0, &hung);
	}
}

/*
 * Is every task stuck: blocked with no timer, busy-waiting, or a kernel
 * thread idling on its timer?  Then a hung task's wait cannot end.
 */
static bool __det_all_stuck(void)
{
	for (int i = 0; i < det.nr_tasks; i++) {
		struct task_struct *t = det.tasks[i];
		struct det_task *d = t->det;

		if (d->state == DET_EXITED)
			continue;
		if (__atomic_load_n(&t->polling, __ATOMIC_RELAXED))
			continue;
		if (d->state == DET_BLOCKED && !d->deadline)
			continue;
		if (d->state == DET_BLOCKED && (t->flags & PF_KTHREAD))
			continue;
		return false;
	}
	return true;
}

/* What the scheduler knows of @t, for the hang report. */
static const char *__det_task_state(struct task_struct *t, char *buf,
				    size_t len)
{
	struct det_task *d = t->det;
	static const char *const names[] = {
		[DET_NEW] = "new", [DET_READY] = "ready", [DET_RUNNING] = "running",
		[DET_BLOCKED] = "blocked", [DET_EXITED] = "exited",
	};

	if (!d)
		return "";
	if (d->state == DET_BLOCKED && d->wait_lock)
		snprintf(buf, len, "spinning on %s",
			 d->wait_lock_name ? d->wait_lock_name : "a lock");
	else if (d->state == DET_BLOCKED && d->deadline)
		snprintf(buf, len, "sleeping until %llu us",
			 (unsigned long long)d->deadline);
	else
		snprintf(buf, len, "%s", names[d->state]);
	return buf;
}

void det_task_start(struct task_struct *t)
{
	det_ignore_begin();
	__det_task_start(t);
	det_ignore_end();
}

void det_task_free(struct task_struct *t)
{
	det_ignore_begin();
	__det_task_free(t);
	det_ignore_end();
}

void det_point(const void *obj)
{
	det_ignore_begin();
	__det_point(obj, false);
	det_ignore_end();
}

void det_point_load(const void *obj)
{
	det_ignore_begin();
	__det_point(obj, true);
	det_ignore_end();
}

void det_touch(const void *obj, bool load)
{
	det_ignore_begin();
	if (det.cur && det.cur == current)
		note(load ? DET_NOTE_TOUCH_LOAD : DET_NOTE_TOUCH, NULL, obj);
	det_ignore_end();
}

void det_schedule(u64 deadline)
{
	det_ignore_begin();
	__det_schedule(deadline);
	det_ignore_end();
}

void det_yield(void)
{
	det_ignore_begin();
	__det_yield();
	det_ignore_end();
}

void det_wake(struct task_struct *t)
{
	det_ignore_begin();
	__det_wake(t);
	det_ignore_end();
}

void det_run_until_exited(struct task_struct *t)
{
	det_ignore_begin();
	__det_run_until_exited(t);
	det_ignore_end();
#ifdef PINMM_TSAN
	__tsan_acquire(t);
#endif
}

bool det_all_stuck(void)
{
	bool stuck;

	det_ignore_begin();
	stuck = __det_all_stuck();
	det_ignore_end();
	return stuck;
}

const char *det_task_state(struct task_struct *t, char *buf, size_t len)
{
	const char *ret;

	det_ignore_begin();
	ret = __det_task_state(t, buf, len);
	det_ignore_end();
	return ret;
}
