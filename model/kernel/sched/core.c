// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks and the scheduler, free-running flavour: each task is a host
 * thread, and the host schedules them.
 *
 * The contract with everything above is the kernel's:
 *  - a task sleeps by setting its state (set_current_state()) and calling
 *    schedule(); schedule() returns when the state is TASK_RUNNING again.
 *  - wake_up_process() sets the state to TASK_RUNNING and wakes the task;
 *    a wake-up between set_current_state() and schedule() is not lost,
 *    because schedule() re-checks the state under the task's pi_lock.
 *  - schedule() in TASK_RUNNING yields (the seed's busy-wait loop does
 *    exactly that).
 *  - sched_point() marks a point where another task may run.  Here it only
 *    notices that the machine is being stopped; a deterministic scheduler
 *    can switch tasks there.
 *
 * Locking: task->pi_lock (a host mutex) orders state changes against the
 * sleep in schedule().  tasks_lock protects the task list; it is only
 * taken by the harness-facing functions, never from mm or fs code.
 */
#include <errno.h>
#include <execinfo.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/bug.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched_det.h>
#include <linux/tracepoint.h>
#include <linux/wait.h>

_Thread_local struct task_struct *current_task;
long tsan_barrier_word;

static pthread_mutex_t tasks_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(task_list);
static int next_pid = 1;
static u64 sched_seed;
static int killing;

static u64 splitmix64(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

u64 prandom_u64(void)
{
	static _Thread_local u64 fallback = 0x1234567;
	u64 *state = current ? &current->rng : &fallback;

	return splitmix64(state);
}

void sched_init(u64 seed)
{
	sched_seed = seed;
	__atomic_store_n(&killing, 0, __ATOMIC_SEQ_CST);
	next_pid = 1;
}

bool sched_killing(void)
{
	return __atomic_load_n(&killing, __ATOMIC_ACQUIRE);
}

static void check_killed(void)
{
	struct task_struct *t = current;

	if (unlikely(t && __atomic_load_n(&t->killed, __ATOMIC_ACQUIRE) &&
		     !t->adopted))
		do_exit();
}

void preempt_disable(void)
{
	if (current)
		current->preempt_count++;
}

void preempt_enable(void)
{
	struct task_struct *t = current;

	if (!t)
		return;
	if (WARN_ON(t->preempt_count <= 0))
		return;
	t->preempt_count--;
}

static inline bool preemptible(void)
{
	return !current || !current->preempt_count;
}

/*
 * With preemption disabled a point is no point, but the step running still
 * touches @obj: the deterministic scheduler's search is told.
 */
static inline void point_or_touch(const void *obj, bool load)
{
	if (!sched_det())
		return;
	if (!preemptible())
		det_touch(obj, load);
	else if (load)
		det_point_load(obj);
	else
		det_point(obj);
}

void sched_point_access(const volatile void *obj)
{
	point_or_touch((const void *)obj, false);
}

void sched_point_load(const volatile void *obj)
{
	point_or_touch((const void *)obj, true);
}

static inline void __sched_point_on(const void *obj, bool load)
{
	if (!preemptible()) {
		if (sched_det())
			det_touch(obj, load);
		return;
	}
	if (unlikely(__atomic_load_n(&killing, __ATOMIC_RELAXED)))
		check_killed();
	if (sched_det()) {
		if (load)
			det_point_load(obj);
		else
			det_point(obj);
		check_killed();
	}
}

void sched_point_on(const void *obj)
{
	__sched_point_on(obj, false);
}

void sched_point_on_load(const void *obj)
{
	__sched_point_on(obj, true);
}

static int spinlocks_held(struct task_struct *t)
{
	int n = 0;

	for (int i = 0; i < t->lockdep_depth; i++)
		n += !t->held_locks[i].sleeping;
	return n;
}

void might_sleep(void)
{
	struct task_struct *t = current;

	if (t && spinlocks_held(t)) {
		pr_err("BUG: sleeping function called from invalid context: %s holds %s\n",
		       t->comm, t->held_locks[t->lockdep_depth - 1].name);
		BUG();
	}
}

/* Sleep until TASK_RUNNING again, or until @deadline (model us; 0: none). */
static bool sleep_until_running(struct task_struct *t, u64 deadline)
{
	bool timed_out = false;

	pthread_mutex_lock(&t->pi_lock);
	while (task_state(t) != TASK_RUNNING &&
	       !__atomic_load_n(&t->killed, __ATOMIC_ACQUIRE)) {
		if (!deadline) {
			pthread_cond_wait(&t->wake_cond, &t->pi_lock);
			continue;
		}
		u64 now = ktime_get_us();

		if (now >= deadline) {
			timed_out = true;
			break;
		}
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		u64 ns = (u64)ts.tv_nsec + (deadline - now) * 1000ULL;

		ts.tv_sec += ns / 1000000000ULL;
		ts.tv_nsec = ns % 1000000000ULL;
		pthread_cond_timedwait(&t->wake_cond, &t->pi_lock, &ts);
	}
	__atomic_store_n(&t->state, TASK_RUNNING, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&t->pi_lock);
	return timed_out;
}

void schedule(void)
{
	struct task_struct *t = current;

	BUG_ON(!t);
	might_sleep();
	check_killed();
	if (sched_det()) {
		det_schedule(0);
		check_killed();
		return;
	}
	if (task_state(t) == TASK_RUNNING) {
		sched_yield();
		check_killed();
		return;
	}
	sleep_until_running(t, 0);
	check_killed();
}

long schedule_timeout(long timeout_us)
{
	struct task_struct *t = current;
	u64 deadline = ktime_get_us() + (u64)timeout_us;

	BUG_ON(!t);
	might_sleep();
	check_killed();
	if (sched_det())
		det_schedule(task_state(t) == TASK_RUNNING ? 0 : deadline);
	else
		sleep_until_running(t, deadline);
	check_killed();
	u64 now = ktime_get_us();

	return now >= deadline ? 0 : (long)(deadline - now);
}

void cond_resched(void)
{
	check_killed();
	if (sched_det())
		det_point(NULL);
	else
		sched_yield();
}

int wake_up_process(struct task_struct *p)
{
	int woken = 0;

	if (sched_det()) {
		if (task_state(p) == TASK_RUNNING)
			return 0;
		__atomic_store_n(&p->state, TASK_RUNNING, __ATOMIC_SEQ_CST);
		det_wake(p);
		return 1;
	}

	pthread_mutex_lock(&p->pi_lock);
	if (task_state(p) != TASK_RUNNING) {
		__atomic_store_n(&p->state, TASK_RUNNING, __ATOMIC_SEQ_CST);
		pthread_cond_signal(&p->wake_cond);
		woken = 1;
	}
	pthread_mutex_unlock(&p->pi_lock);
	return woken;
}

/*
 * A task is about to wait for @what: note it, and where it is, for the
 * hang report.  The fields are read by the watchdog while the task runs,
 * hence the atomic accesses.
 */
void set_wchan(const char *what, enum wchan_type type, const void *obj)
{
	struct task_struct *t = current;
	void *stack[WAIT_STACK_DEPTH];
	int depth;

	if (!t)
		return;
	depth = backtrace(stack, WAIT_STACK_DEPTH);
	for (int i = 0; i < depth; i++)
		__atomic_store_n(&t->wait_stack[i], stack[i], __ATOMIC_RELAXED);
	__atomic_store_n(&t->wait_depth, depth, __ATOMIC_RELAXED);
	__atomic_store_n(&t->wchan, what, __ATOMIC_RELAXED);
	__atomic_store_n(&t->wchan_type, type, __ATOMIC_RELAXED);
	__atomic_store_n(&t->wchan_obj, obj, __ATOMIC_RELAXED);
	__atomic_store_n(&t->wait_start, ktime_get_us(), __ATOMIC_RELEASE);
	trace_span_begin(what, type == WCHAN_PAGE ? (struct page *)obj : NULL, 0);
}

void set_polling(void)
{
	if (current)
		__atomic_store_n(&current->polling, true, __ATOMIC_RELEASE);
}

void clear_wchan(void)
{
	struct task_struct *t = current;

	if (!t)
		return;
	if (t->wchan)
		trace_span_end(t->wchan, t->wchan_type == WCHAN_PAGE ?
					   (struct page *)t->wchan_obj : NULL, 0);
	__atomic_store_n(&t->wait_start, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&t->polling, false, __ATOMIC_RELAXED);
	__atomic_store_n(&t->wchan, NULL, __ATOMIC_RELAXED);
	__atomic_store_n(&t->wchan_type, WCHAN_NONE, __ATOMIC_RELAXED);
	__atomic_store_n(&t->wchan_obj, NULL, __ATOMIC_RELAXED);
}

static void held_lock_add(const void *lock, const char *name, bool sleeping,
			  void (*release_dead)(void *lock))
{
	struct task_struct *t = current;

	if (!t)
		return;
	if (t->lockdep_depth >= MAX_HELD_LOCKS) {
		pr_err("BUG: MAX_HELD_LOCKS too low: %s\n", t->comm);
		return;
	}
	lockdep_acquire(t, name);
	t->held_locks[t->lockdep_depth++] = (struct held_lock){
		.lock = lock, .name = name, .sleeping = sleeping,
		.release_dead = release_dead,
	};
}

void lock_acquired(const void *lock, const char *name, bool sleeping)
{
	held_lock_add(lock, name, sleeping, NULL);
}

void lock_acquired_spinning(const void *lock, const char *name,
			    void (*release_dead)(void *lock))
{
	held_lock_add(lock, name, false, release_dead);
}

void lock_released(const void *lock)
{
	struct task_struct *t = current;

	if (!t)
		return;
	for (int i = t->lockdep_depth - 1; i >= 0; i--) {
		if (t->held_locks[i].lock != lock)
			continue;
		memmove(&t->held_locks[i], &t->held_locks[i + 1],
			(size_t)(t->lockdep_depth - i - 1) * sizeof(t->held_locks[0]));
		t->lockdep_depth--;
		return;
	}
	WARN(1, "releasing lock %p that %s does not hold", lock, t->comm);
}

/*
 * The oopsed task dies holding its locks, as in the kernel; but the model
 * must then stop the machine, and host mutexes that nobody will ever
 * release would keep other tasks from reaching a point where they notice.
 * Sleeping locks need nothing: their waiters are woken by the kill.
 */
void release_held_spinlocks(struct task_struct *t)
{
	for (int i = t->lockdep_depth - 1; i >= 0; i--) {
		struct held_lock *h = &t->held_locks[i];

		if (h->sleeping)
			continue;
		if (h->release_dead)
			h->release_dead((void *)h->lock);
		else
			spin_release_dead((spinlock_t *)h->lock);
	}
	t->lockdep_depth = 0;
}

__noreturn void do_exit(void)
{
	struct task_struct *t = current;

	release_held_spinlocks(t);
	/*
	 * Dequeue a wait entry the kill left queued.  That takes the queue's
	 * lock, a scheduling point that must not send us back here.
	 */
	__atomic_store_n(&t->killed, 0, __ATOMIC_RELEASE);
	exit_wait_queue(t);
	if (t->adopted) {
		fprintf(stderr, "pinmm: task %s (not a spawned task) died; aborting\n",
			t->comm);
		abort();
	}
	if (sched_det()) {
		clear_wchan();
		__atomic_store_n(&t->state, TASK_DEAD, __ATOMIC_SEQ_CST);
		__atomic_store_n(&t->exited, 1, __ATOMIC_RELEASE);
		det_task_exit(t);
	}
	longjmp(t->exit_jmp, 1);
}

/* The entry of every spawned task: named after the kernel's. */
noinline void *kthread(void *arg)
{
	struct task_struct *t = arg;

	/* In deterministic mode the scheduler sets current at each switch. */
	if (!sched_det())
		current_task = t;
	if (setjmp(t->exit_jmp) == 0)
		t->fn(t->arg);
	clear_wchan();
	__atomic_store_n(&t->state, TASK_DEAD, __ATOMIC_SEQ_CST);
	__atomic_store_n(&t->exited, 1, __ATOMIC_RELEASE);
	if (!sched_det())
		current_task = NULL;
	return NULL;
}

/*
 * @flags are set before the task joins task_list, under tasks_lock: a
 * for_each_task() walker (the harness stopping kernel threads) reads them
 * under that lock, and must never see a kernel thread without PF_KTHREAD.
 */
static struct task_struct *task_alloc(const char *name, unsigned int flags)
{
	struct task_struct *t = calloc(1, sizeof(*t));

	if (!t) {
		perror("pinmm: task_alloc");
		abort();
	}
	snprintf(t->comm, sizeof(t->comm), "%s", name);
	pthread_mutex_init(&t->pi_lock, NULL);
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&t->wake_cond, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_lock(&tasks_lock);
	t->pid = next_pid++;
	u64 s = sched_seed ^ ((u64)t->pid << 32);

	t->rng = splitmix64(&s);
	t->flags = flags;
	list_add_tail(&t->tasks, &task_list);
	pthread_mutex_unlock(&tasks_lock);
	return t;
}

static struct task_struct *task_create_flags(void (*fn)(void *), void *arg,
					     const char *name, unsigned int flags)
{
	struct task_struct *t = task_alloc(name, flags);

	t->fn = fn;
	t->arg = arg;
	return t;
}

struct task_struct *task_create(void (*fn)(void *), void *arg, const char *name)
{
	return task_create_flags(fn, arg, name, 0);
}

/* As the kernel's: a kernel thread, created stopped; task_start() runs it. */
struct task_struct *kthread_create(void (*fn)(void *), void *arg, const char *name)
{
	return task_create_flags(fn, arg, name, PF_KTHREAD);
}

/*
 * The same with more PF_ flags, set before anyone can see the task: the
 * harness reads every task's flags to stop the kernel threads.
 */
struct task_struct *kthread_create_flags(void (*fn)(void *), void *arg,
					 const char *name, unsigned int flags)
{
	return task_create_flags(fn, arg, name, PF_KTHREAD | flags);
}

void task_start(struct task_struct *t)
{
	int err;

	if (sched_det()) {
		det_task_start(t);
		return;
	}
	err = pthread_create(&t->thread, NULL, kthread, t);

	if (err) {
		fprintf(stderr, "pinmm: cannot start task %s: %s\n", t->comm,
			strerror(err));
		abort();
	}
}

struct task_struct *kthread_run(void (*fn)(void *), void *arg, const char *name)
{
	struct task_struct *t = kthread_create(fn, arg, name);

	task_start(t);
	return t;
}

void task_join(struct task_struct *t)
{
	if (t->adopted || t->joined)
		return;
	if (sched_det()) {
		det_run_until_exited(t);
		t->joined = true;
		return;
	}
	pthread_join(t->thread, NULL);
	t->joined = true;
}

void task_free(struct task_struct *t)
{
	pthread_mutex_lock(&tasks_lock);
	list_del(&t->tasks);
	pthread_mutex_unlock(&tasks_lock);
	det_task_free(t);
	pthread_mutex_destroy(&t->pi_lock);
	pthread_cond_destroy(&t->wake_cond);
	free(t);
}

bool kthread_should_stop(void)
{
	struct task_struct *t = current;

	if (!t)
		return false;
	sched_point_load(&t->should_stop);	/* kthread_stop() writes it */
	return __atomic_load_n(&t->should_stop, __ATOMIC_ACQUIRE);
}

/*
 * Ask @t to stop and wait until it has returned.  The thread sees
 * kthread_should_stop() after its current sleep (it is woken), and
 * finishes what it is doing first.
 */
void kthread_stop(struct task_struct *t)
{
	kthread_stop_nowait(t);
	task_join(t);
}

/* Ask @t to stop, and do not wait: the caller watches it leave. */
void kthread_stop_nowait(struct task_struct *t)
{
	sched_point_access(&t->should_stop);
	__atomic_store_n(&t->should_stop, 1, __ATOMIC_RELEASE);
	wake_up_process(t);
}

struct task_struct *task_adopt_current(const char *name)
{
	struct task_struct *t = task_alloc(name, 0);

	t->adopted = true;
	t->thread = pthread_self();
	current_task = t;
	return t;
}

void task_unadopt_current(void)
{
	struct task_struct *t = current;

	current_task = NULL;
	if (t)
		task_free(t);
}

/*
 * Stop the machine: every task leaves at its next scheduling point or
 * sleep.  Used after an oops or a hang, when the run's verdict is known.
 */
void sched_kill_all(void)
{
	struct task_struct *t;

	__atomic_store_n(&killing, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&tasks_lock);
	list_for_each_entry(t, &task_list, tasks) {
		__atomic_store_n(&t->killed, 1, __ATOMIC_RELEASE);
		pthread_mutex_lock(&t->pi_lock);
		pthread_cond_signal(&t->wake_cond);
		pthread_mutex_unlock(&t->pi_lock);
	}
	pthread_mutex_unlock(&tasks_lock);
}

void for_each_task(void (*fn)(struct task_struct *t, void *arg), void *arg)
{
	struct task_struct *t;

	pthread_mutex_lock(&tasks_lock);
	list_for_each_entry(t, &task_list, tasks)
		fn(t, arg);
	pthread_mutex_unlock(&tasks_lock);
}

void sched_exit(void)
{
	__atomic_store_n(&killing, 0, __ATOMIC_SEQ_CST);
}
