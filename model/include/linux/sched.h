/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tasks.  Every actor of the model (a user process, a device, the flusher,
 * kswapd, an fsync caller, the fb_defio worker, ...) is a task_struct backed
 * by a host thread.  A task sleeps only in schedule(), and is woken only by
 * wake_up_process(); everything above (wait queues, page and buffer locks,
 * mutexes, rwsems, completions, timed sleeps) is built on those two, so that
 * the scheduler underneath can be replaced without touching mm or fs code.
 */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H

#include <setjmp.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#define TASK_RUNNING 0x0000
#define TASK_INTERRUPTIBLE 0x0001
#define TASK_UNINTERRUPTIBLE 0x0002
#define TASK_DEAD 0x0080

#define PF_KTHREAD 0x00200000
#define PF_KSWAPD 0x00020000
#define PF_MEMALLOC 0x00000800

#define TASK_COMM_LEN 24
#define MAX_HELD_LOCKS 24
#define WAIT_STACK_DEPTH 24

/* What a sleeping or polling task waits for: printed by the hang report. */
enum wchan_type {
	WCHAN_NONE,
	WCHAN_PAGE,	/* obj is a struct page */
	WCHAN_LOCK,	/* obj is a lock; name is its name */
	WCHAN_EVENT,	/* obj is a completion / named event */
	WCHAN_OTHER,
};

struct held_lock {
	const void *lock;
	const char *name;
	bool sleeping; /* a mutex or rwsem, which may be held across a sleep */
	/* A spinning lock: how do_exit() lets go of it (NULL: a spinlock). */
	void (*release_dead)(void *lock);
};

struct mm_struct;
struct wait_queue_head;
struct wait_queue_entry;
struct task_struct {
	int pid;
	char comm[TASK_COMM_LEN];
	int state;		/* TASK_*, written with __atomic builtins */
	unsigned int flags;	/* PF_* */
	struct mm_struct *mm;
	void *journal_info;	/* the open jbd2 handle */
	/* The wait queue this task's entry is on, under that queue's lock. */
	struct wait_queue_head *wait_head;
	struct wait_queue_entry *wait_entry;
	struct det_task *det;	/* deterministic mode's fiber */
	/* preempt_disable() depth: no scheduling point fires above 0. */
	int preempt_count;

	/* What the task waits for, and since when (model clock). */
	const char *wchan;
	enum wchan_type wchan_type;
	const void *wchan_obj;
	u64 wait_start;
	bool polling;		/* waits in a loop without sleeping */
	unsigned long pin_waits;	/* times it waited for an unpin */
	void *wait_stack[WAIT_STACK_DEPTH];
	int wait_depth;

	struct held_lock held_locks[MAX_HELD_LOCKS];
	int lockdep_depth;

	/* Host side. */
	pthread_t thread;
	pthread_mutex_t pi_lock;
	pthread_cond_t wake_cond;
	void (*fn)(void *arg);
	void *arg;
	jmp_buf exit_jmp;
	/* Written by other threads: each in a word of its own. */
	int should_stop;	/* kthread_stop(): finish up and return */
	int killed;		/* the machine is stopping: leave at next point */
	int exited;
	/* The harness's own. */
	bool joined;
	bool adopted;		/* a host thread that became a task, not spawned */
	bool lockdep_reported;
	u64 rng;		/* per-task pseudo-random state */
	void *private;		/* the scenario's per-task state */
	struct list_head tasks;
};

extern _Thread_local struct task_struct *current_task;
#define current (current_task)

#define set_current_state(s) __atomic_store_n(&current->state, (s), __ATOMIC_SEQ_CST)
#define __set_current_state(s) __atomic_store_n(&current->state, (s), __ATOMIC_RELAXED)
static inline int task_state(struct task_struct *t)
{
	return __atomic_load_n(&t->state, __ATOMIC_SEQ_CST);
}

void schedule(void);
long schedule_timeout(long timeout_us);
int wake_up_process(struct task_struct *p);
void cond_resched(void);
void might_sleep(void);

/* Kernel threads and tasks. */
struct task_struct *kthread_create(void (*fn)(void *), void *arg, const char *name);
struct task_struct *kthread_create_flags(void (*fn)(void *), void *arg,
					 const char *name, unsigned int flags);
struct task_struct *kthread_run(void (*fn)(void *), void *arg, const char *name);
struct task_struct *task_create(void (*fn)(void *), void *arg, const char *name);
void task_start(struct task_struct *t);
void task_join(struct task_struct *t);
void task_free(struct task_struct *t);
bool kthread_should_stop(void);
void kthread_stop(struct task_struct *t);
void kthread_stop_nowait(struct task_struct *t);
__noreturn void do_exit(void);

/* The running host thread becomes a task (tests, the harness's main task). */
struct task_struct *task_adopt_current(const char *name);
void task_unadopt_current(void);

static inline bool current_is_kswapd(void)
{
	return current && (current->flags & PF_KSWAPD);
}

/* Wait-channel bookkeeping used by every waiting primitive. */
void set_wchan(const char *what, enum wchan_type type, const void *obj);
void clear_wchan(void);
void set_polling(void);

/* Per-task pseudo-random numbers (xorshift), seeded from the run's seed. */
u64 prandom_u64(void);
static inline u32 prandom_u32_max(u32 ceil)
{
	return ceil ? (u32)(prandom_u64() % ceil) : 0;
}

/* Lock bookkeeping for the spinlock, mutex and rwsem implementations. */
void lock_acquired(const void *lock, const char *name, bool sleeping);
/* A spinning lock that do_exit() lets go of with @release_dead. */
void lock_acquired_spinning(const void *lock, const char *name,
			    void (*release_dead)(void *lock));
void lock_released(const void *lock);
void release_held_spinlocks(struct task_struct *t);

/* Machine-wide task control, used by the harness. */
void sched_init(u64 seed);
void sched_exit(void);
void sched_kill_all(void);
bool sched_killing(void);
void for_each_task(void (*fn)(struct task_struct *t, void *arg), void *arg);

#endif /* _LINUX_SCHED_H */
