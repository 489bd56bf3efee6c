/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The deterministic scheduler's own state (kernel/sched/det.c), shared
 * with its lock hooks (det_lock.c): nothing outside kernel/sched includes
 * this.  Locking: none; everything here runs on one host thread.
 */
#ifndef _SCHED_DET_INTERNAL_H
#define _SCHED_DET_INTERNAL_H

#include <linux/sched.h>
#include <linux/sched_det.h>

#include "det_fiber.h"	/* and PINMM_ASAN */

#ifdef PINMM_TSAN
#include <sanitizer/tsan_interface.h>
#endif

/*
 * The scheduler's own bookkeeping (which task runs, their states) moves
 * between the scheduler context and the fibers at each switch, which to
 * ThreadSanitizer is no synchronisation at all: its accesses here are
 * hidden from it, the tasks' own are not.
 */
#ifdef PINMM_TSAN
#define det_ignore_begin() __tsan_ignore_thread_begin()
#define det_ignore_end() __tsan_ignore_thread_end()
#else
#define det_ignore_begin() do { } while (0)
#define det_ignore_end() do { } while (0)
#endif

#define DET_STACK_SIZE (256 * 1024)
/* A busy-waiting task's schedule() costs this much virtual time. */
#define DET_POLL_QUANTUM 1
/*
 * What the code from one scheduling point to the next costs, in virtual
 * nanoseconds: about what it takes free-running on the hosts this model
 * runs on (baseline, ~55,000 points, runs in ~14 ms there).  Without a
 * cost, a long stretch of work took no time at all, so a sleeping task
 * could never wake in the middle of it, and exploration never reached
 * the interleavings real threads reach (a fault racing a hole punch).
 * A constant, so runs still repeat exactly.
 */
#define DET_POINT_NS 50

enum det_state { DET_NEW, DET_READY, DET_RUNNING, DET_BLOCKED, DET_EXITED };

struct det_task {
	struct det_fiber ctx;
	void *stack;
	enum det_state state;
	u64 deadline;		/* BLOCKED with a timer; 0: none */
	const void *wait_lock;	/* BLOCKED spinning on this lock */
	const char *wait_lock_name;	/* its name, for the hang report */
	u64 ns;			/* its clock: virtual nanoseconds */
	const void *pending;	/* READY at a point: the object of its next op */
	bool pending_load;	/* that op only reads it */
	bool fresh;		/* no visible op since it started or woke */
	bool yielded;
	int slot;		/* its index in det.tasks */
	void *fake_stack;	/* ASan */
	void *tsan_fiber;
};

struct det_sched {
	struct det_fiber main_ctx;
	void *main_fake_stack;
	const void *main_stack_bottom;
	size_t main_stack_size;
	void *main_tsan_fiber;
	const struct det_strategy *strategy;
	struct task_struct *tasks[DET_MAX_TASKS];
	int nr_tasks;
	/*
	 * Bit i: det.tasks[i] can run by its state (NEW, READY, RUNNING),
	 * kept at every change of state; so a point need not look at every
	 * task to learn that no other can run.
	 */
	u32 can_run;
	int nr_spinning;		/* tasks with a wait_lock */
	bool killed_one;		/* a task killed here; see collect_runnable() */
	struct task_struct *cur;
	struct task_struct *next;	/* chosen at a preemption */
	/*
	 * Time.  Every task has its own clock (struct det_task.ns), as if
	 * it had a CPU of its own: its steps advance it, and a task woken or
	 * created by another starts no earlier than its waker.  A timer
	 * expires when the latest clock reaches it.  What a task reads of
	 * time is then fixed by what happens before its steps, not by the
	 * order in which independent steps were interleaved.
	 */
	u64 now;			/* the latest clock of any task (us) */
	u64 harness_now;		/* what the harness's clock reads (us) */
	u64 last_ns;			/* the clock of the last task that ran */
	u64 next_timer;			/* the earliest deadline; 0: none */
	u64 steps;
	u64 choice_points;
	u64 max_steps;
	bool livelock;
	/* Busy-waiters that ran since anything else did. */
	int idle_polls;
	/* The condition of the det_run() running, and whether it is looked at. */
	bool (*done)(void *);
	void *done_arg;
	bool checking;
};

extern struct det_sched det;

_Static_assert(DET_MAX_TASKS <= 32, "det.can_run has a bit per task");

static inline void set_state(struct det_task *d, enum det_state state)
{
	d->state = state;
	if (state == DET_NEW || state == DET_READY || state == DET_RUNNING)
		det.can_run |= 1u << d->slot;
	else
		det.can_run &= ~(1u << d->slot);
}

static inline void set_wait_lock(struct det_task *d, const void *lock)
{
	det.nr_spinning += !!lock - !!d->wait_lock;
	d->wait_lock = lock;
}

/*
 * @d is woken by the step running now (or by the harness): it goes on no
 * earlier than its waker's clock.
 */
static inline void det_sync_clock(struct det_task *d)
{
	u64 ns = det.cur ? det.cur->det->ns : det.harness_now * 1000;

	if (ns > d->ns)
		d->ns = ns;
}

/* Tell a strategy that wants to know (struct det_strategy.note). */
static inline void note(enum det_note what, struct task_struct *t,
			const void *obj)
{
	if (unlikely(det.strategy && det.strategy->note))
		det.strategy->note(det.strategy->state, what, t, obj);
}

/* Does the harness act now, with a task to order its acts against? */
bool det_harness_acts(void);
/* From task @t to the scheduler; returns when @t runs again. */
void det_switch_to_main(struct task_struct *t, bool dying);

#endif /* _SCHED_DET_INTERNAL_H */
