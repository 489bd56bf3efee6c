/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The deterministic scheduler (kernel/sched/det.c).
 *
 * In this mode every task is a fiber on the calling host thread and one
 * task runs at a time.  Every scheduling point (a lock, an atomic
 * read-modify-write, a page-lock or wait-queue operation, a wake-up, a clock
 * read that sleeps, an explicit yield) asks a strategy which task runs
 * next, and time is virtual: it moves only when no task can run, to the
 * next timer.  The same scenario, policy, seed and strategy decisions give
 * the same run, byte for byte.
 */
#ifndef _LINUX_SCHED_DET_H
#define _LINUX_SCHED_DET_H

#include <linux/types.h>

struct task_struct;

#define DET_MAX_TASKS 32

/*
 * What a strategy may be told besides its choices (det_strategy.note), for
 * a search that needs every step and what it touched (harness/dpor.c).
 */
enum det_note {
	DET_NOTE_STEP,		/* @t begins a step: its op on @obj (NULL: its
				 * own code only), then its code to the next
				 * point */
	DET_NOTE_LOAD,		/* the same, when that op only reads @obj */
	DET_NOTE_RELEASE,	/* the step running releases lock @obj */
	DET_NOTE_RELEASE_SHARED,/* the same, a reader's release of @obj */
	DET_NOTE_WAKE,		/* the step running makes @t runnable (a
				 * wake-up, or creating it) */
	DET_NOTE_PHASE,		/* det_run() returns: the caller's context
				 * (the harness) acts until the next one;
				 * @obj non-NULL: it waited for every task
				 * to be idle, so it comes after all they
				 * did */
	DET_NOTE_TOUCH,		/* the harness writes @obj (a scheduling
				 * point in its context) */
	DET_NOTE_TOUCH_LOAD,	/* the harness reads @obj */
	DET_NOTE_BLOCKED,	/* the step running found lock @obj taken
				 * against it and waits: the attempt
				 * depends on what it found, and changed
				 * nothing */
	DET_NOTE_TRYLOCK,	/* the step running tries lock @obj without
				 * waiting (spin_trylock()) */
};

/* A strategy chooses at each point where more than one task can run. */
struct det_strategy {
	const char *name;
	void *state;
	/*
	 * Pick one of @runnable[0..n) (sorted by pid, n >= 2) to run next.
	 * @cur is the running task if it is among them (a preemption point),
	 * or NULL (the running task blocked, yielded or exited).
	 */
	struct task_struct *(*pick)(void *state, struct task_struct *cur,
				    struct task_struct **runnable, int n,
				    u64 point);
	void (*task_created)(void *state, struct task_struct *t);
	/* Optional: every step, release and wake-up (enum det_note). */
	void (*note)(void *state, enum det_note what, struct task_struct *t,
		     const void *obj);
};

enum det_end {
	DET_DONE,	/* the caller's condition holds */
	DET_DEADLOCK,	/* no task can run and no timer is pending */
	DET_HUNG,	/* a task waited longer than the hung-task timeout */
	DET_LIVELOCK,	/* too many scheduling points without an end */
	DET_TIMEOUT,	/* the clock reached the caller's deadline */
};

/* Is the deterministic scheduler on?  Asked at every scheduling point. */
extern bool det_on;
static inline bool sched_det(void)
{
	return __atomic_load_n(&det_on, __ATOMIC_RELAXED);
}

void det_init(const struct det_strategy *strategy, u64 max_steps);
void det_exit(void);
u64 det_now(void);
u64 det_steps(void);
u64 det_choice_points(void);

/*
 * Run tasks until @done(@arg) holds (@idle: it holds only once det_idle())
 * or the run cannot go on: no task can
 * run, a task waited longer than @hung_timeout, or the clock reached
 * @deadline (0: none; the clock stops there).  Called from the host
 * thread that owns the fibers, outside any task.  On DET_HUNG, *hung is
 * the task that waited too long; otherwise it is NULL.
 */
enum det_end det_run(bool (*done)(void *), void *arg, bool idle,
		     u64 hung_timeout, u64 deadline, struct task_struct **hung);

/* Is every task blocked, exited, or busy-waiting? */
bool det_idle(void);

/* Hooks of kernel/sched/core.c, kernel/time.c and the spinlock. */
void det_task_start(struct task_struct *t);
void det_task_free(struct task_struct *t);
void det_point(const void *obj);
/* The same, for an op that only reads @obj (READ_ONCE(), test_bit()). */
void det_point_load(const void *obj);
/* The running task touches @obj with preemption disabled: no point. */
void det_touch(const void *obj, bool load);
/*
 * What @t does first when it runs again: the object of its next
 * operation; NULL when it resumes from schedule(), or has not started,
 * and runs its own code up to its next scheduling point.
 */
const void *det_pending(struct task_struct *t);
/* Does that op only read it? */
bool det_pending_load(struct task_struct *t);
/*
 * Has @t done nothing visible since it started or woke up?  Switching
 * away from it at its first point is no preemption: it is the choice of
 * who runs after a block, made where it matters.
 */
bool det_fresh(struct task_struct *t);
/*
 * Objects of the search.  An object is an address: a lock, a word loaded or
 * stored, a counter.  A flags word (page->flags, bh->b_state,
 * mapping->flags) is 64 objects as well, one per bit: a bit op
 * (set_bit(), test_bit(), test_and_set_bit(), ...) reads and writes its
 * bit alone, so ops on two different bits commute.  A whole-word access
 * (READ_ONCE(bh->b_state)) names the word itself, and overlaps every one
 * of its bits.  A bit's object is its word's address with the bit number
 * (plus one) in the top byte, where no user-space address has bits.
 */
#define DET_OBJ_BIT_SHIFT 56

static inline const void *det_bit_obj(const volatile void *word,
				      unsigned int nr)
{
	return (const void *)((uintptr_t)word |
			      (uintptr_t)(nr % 64 + 1) << DET_OBJ_BIT_SHIFT);
}

static inline const void *det_obj_word(const void *obj)
{
	return (const void *)((uintptr_t)obj &
			      (((uintptr_t)1 << DET_OBJ_BIT_SHIFT) - 1));
}

static inline bool det_obj_is_bit(const void *obj)
{
	return (uintptr_t)obj >> DET_OBJ_BIT_SHIFT;
}

/* Do ops on @a and @b touch common memory (whatever they do to it)? */
static inline bool det_objs_overlap(const void *a, const void *b)
{
	return a == b || (det_obj_is_bit(a) != det_obj_is_bit(b) &&
			  det_obj_word(a) == det_obj_word(b));
}

/* The virtual clock, as an object: yields move it, ktime_get_us() reads it. */
const void *det_clock(void);
void det_schedule(u64 deadline);
void det_yield(void);
void det_wake(struct task_struct *t);
void det_run_until_exited(struct task_struct *t);
__attribute__((noreturn)) void det_task_exit(struct task_struct *t);
/*
 * The running task waits for @lock (called @name) while @busy(@lock): it
 * blocks, and each release lets it look again, a reader (@read) as a read
 * of the lock.  A task killed meanwhile leaves (do_exit()).
 */
void det_wait_for_lock(const void *lock, const char *name, bool read,
		       bool (*busy)(const void *lock));
/* The running task's op on @lock is a try: it does not wait for it. */
void det_trylock(const void *lock);
void det_lock_released(const void *lock);
/* A reader let go of @lock (@last: no reader holds it any more). */
void det_lock_released_shared(const void *lock, bool last);
void det_lock_acquired(const void *lock);
bool det_all_stuck(void);
const char *det_task_state(struct task_struct *t, char *buf, size_t len);

#endif /* _LINUX_SCHED_DET_H */
