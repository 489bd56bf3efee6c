// SPDX-License-Identifier: GPL-2.0
/*
 * struct mutex and struct rw_semaphore.
 *
 * Free-running, both keep their state under their wait queue's spinlock
 * and sleep on that wait queue, so a blocked task is TASK_UNINTERRUPTIBLE
 * with a wait channel naming the lock, and the hung-task check sees it.
 * Writers are preferred over new readers, so that a reader stream cannot
 * starve mmap/munmap.
 *
 * Deterministic mode: one task runs at a time, so the state is a plain
 * field, and the wait queue is not used.  The acquisition is a scheduling
 * point on the lock itself (a load of it for a reader), as for rwlock_t;
 * a task that finds it taken sleeps, its wait channel naming the lock,
 * until a release lets it try again (det_wait_for_lock()).  Through the
 * wait queue, every acquisition and release would be two or three steps
 * on its spinlock, and two readers' acquisitions would be dependent
 * though they commute: a search that reverses every race would run each
 * section's order several times over.  A reader here takes an rwsem that
 * no writer holds even while a writer waits, which is 6.12's reader lock
 * stealing (rwsem_down_read_slowpath()); left out: the handoff that stops
 * it once a writer has waited RWSEM_WAIT_TIMEOUT, and the rule that a
 * reader queues when several readers already hold the lock.  Runs are
 * finite, so a writer is never starved for good.
 *
 * Locking: free-running, the wait queue's spinlock; deterministic, none
 * (one host thread).
 */
#include <linux/bug.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched_det.h>

void __mutex_init(struct mutex *lock, const char *name)
{
	lock->owner = NULL;
	lock->name = name;
	init_waitqueue_head(&lock->wait);
}

void mutex_destroy(struct mutex *lock)
{
	destroy_waitqueue_head(&lock->wait);
}

/*
 * Deterministic mode: det_wait_for_lock(), as a sleeper whose wait
 * channel is the lock (@wq names it for the hang report).
 */
static void det_sleep_on_lock(const void *lock, const char *name,
			      struct wait_queue_head *wq, bool read,
			      bool (*busy)(const void *lock))
{
	if (!busy(lock))
		return;
	set_wchan(name, WCHAN_EVENT, wq);
	det_wait_for_lock(lock, name, read, busy);
	clear_wchan();
}

/*
 * The deterministic path reads and writes the locks' fields with no
 * scheduling point (not READ_ONCE()), so that no task can come between a
 * look that finds the lock free and the take.  (One that finds it taken
 * passes set_wchan()'s clock read, a point, and looks again after it.)
 */
static struct task_struct *mutex_owner(const struct mutex *lock)
{
	return __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
}

static bool mutex_busy(const void *arg)
{
	return mutex_owner(arg);
}

static void det_mutex_take(struct mutex *lock)
{
	__atomic_store_n(&lock->owner, current, __ATOMIC_RELAXED);
	det_lock_acquired(lock);
}

static void det_mutex_lock(struct mutex *lock)
{
	sched_point_on(lock);
	det_sleep_on_lock(lock, lock->name, &lock->wait, false, mutex_busy);
	det_mutex_take(lock);
}

static bool mutex_try_acquire(struct mutex *lock)
{
	bool got = false;

	spin_lock(&lock->wait.lock);
	if (!READ_ONCE(lock->owner)) {
		WRITE_ONCE(lock->owner, current);
		got = true;
	}
	spin_unlock(&lock->wait.lock);
	return got;
}

void mutex_lock(struct mutex *lock)
{
	might_sleep();
	if (current && mutex_owner(lock) == current)
		WARN(1, "recursive mutex_lock(%s) by %s", lock->name,
		     current->comm);
	if (sched_det())
		det_mutex_lock(lock);
	else
		wait_event_named(lock->wait, mutex_try_acquire(lock),
				 lock->name);
	lock_acquired(lock, lock->name, true);
}

int mutex_trylock(struct mutex *lock)
{
	if (sched_det()) {
		sched_point_on(lock);
		det_trylock(lock);
		if (mutex_busy(lock))
			return 0;
		det_mutex_take(lock);
	} else if (!mutex_try_acquire(lock)) {
		return 0;
	}
	lock_acquired(lock, lock->name, true);
	return 1;
}

void mutex_unlock(struct mutex *lock)
{
	if (sched_det()) {
		WARN(mutex_owner(lock) != current,
		     "mutex_unlock(%s) by a non-owner", lock->name);
		lock_released(lock);
		__atomic_store_n(&lock->owner, NULL, __ATOMIC_RELAXED);
		det_lock_released(lock);
		return;
	}
	spin_lock(&lock->wait.lock);
	WARN(READ_ONCE(lock->owner) != current, "mutex_unlock(%s) by a non-owner",
	     lock->name);
	WRITE_ONCE(lock->owner, NULL);
	spin_unlock(&lock->wait.lock);
	lock_released(lock);
	wake_up(&lock->wait);
}

bool mutex_is_locked(struct mutex *lock)
{
	return READ_ONCE(lock->owner) != NULL;
}

void __init_rwsem(struct rw_semaphore *sem, const char *name)
{
	sem->count = 0;
	sem->writers_waiting = 0;
	sem->name = name;
	init_waitqueue_head(&sem->wait);
}

void destroy_rwsem(struct rw_semaphore *sem)
{
	destroy_waitqueue_head(&sem->wait);
}

static long rwsem_count(const void *arg)
{
	return __atomic_load_n(&((const struct rw_semaphore *)arg)->count,
			       __ATOMIC_RELAXED);
}

static void rwsem_set_count(struct rw_semaphore *sem, long count)
{
	__atomic_store_n(&sem->count, count, __ATOMIC_RELAXED);
}

/* Deterministic mode: a writer holds it (rwsem_held(): or anyone does). */
static bool rwsem_write_held(const void *arg)
{
	return rwsem_count(arg) < 0;
}

static bool rwsem_held(const void *arg)
{
	return rwsem_count(arg) != 0;
}

static void det_rwsem_take(struct rw_semaphore *sem, bool write)
{
	rwsem_set_count(sem, write ? -1 : rwsem_count(sem) + 1);
	det_lock_acquired(sem);
}

static void det_down(struct rw_semaphore *sem, bool write)
{
	if (write)
		sched_point_on(sem);
	else
		sched_point_on_load(sem);
	det_sleep_on_lock(sem, sem->name, &sem->wait, !write,
			  write ? rwsem_held : rwsem_write_held);
	det_rwsem_take(sem, write);
}

static void det_up(struct rw_semaphore *sem, bool write)
{
	long count = rwsem_count(sem);

	WARN_ON(write ? count != -1 : count <= 0);
	lock_released(sem);
	rwsem_set_count(sem, write ? 0 : count - 1);
	if (write)
		det_lock_released(sem);
	else
		det_lock_released_shared(sem, count == 1);
}

static bool rwsem_try_read(struct rw_semaphore *sem)
{
	bool got = false;

	spin_lock(&sem->wait.lock);
	if (sem->count >= 0 && !sem->writers_waiting) {
		sem->count++;
		got = true;
	}
	spin_unlock(&sem->wait.lock);
	return got;
}

static bool rwsem_try_write(struct rw_semaphore *sem)
{
	bool got = false;

	spin_lock(&sem->wait.lock);
	if (sem->count == 0) {
		sem->count = -1;
		got = true;
	}
	spin_unlock(&sem->wait.lock);
	return got;
}

void down_read(struct rw_semaphore *sem)
{
	might_sleep();
	if (sched_det()) {
		det_down(sem, false);
		lock_acquired(sem, sem->name, true);
		return;
	}
	wait_event_named(sem->wait, rwsem_try_read(sem), sem->name);
	lock_acquired(sem, sem->name, true);
}

int down_read_trylock(struct rw_semaphore *sem)
{
	if (sched_det()) {
		sched_point_on_load(sem);
		det_trylock(sem);
		if (rwsem_write_held(sem))
			return 0;
		det_rwsem_take(sem, false);
	} else if (!rwsem_try_read(sem)) {
		return 0;
	}
	lock_acquired(sem, sem->name, true);
	return 1;
}

void up_read(struct rw_semaphore *sem)
{
	if (sched_det()) {
		det_up(sem, false);
		return;
	}
	spin_lock(&sem->wait.lock);
	WARN_ON(sem->count <= 0);
	sem->count--;
	spin_unlock(&sem->wait.lock);
	lock_released(sem);
	wake_up_all(&sem->wait);
}

void down_write(struct rw_semaphore *sem)
{
	might_sleep();
	if (sched_det()) {
		det_down(sem, true);
		lock_acquired(sem, sem->name, true);
		return;
	}
	spin_lock(&sem->wait.lock);
	sem->writers_waiting++;
	spin_unlock(&sem->wait.lock);
	wait_event_named(sem->wait, rwsem_try_write(sem), sem->name);
	spin_lock(&sem->wait.lock);
	sem->writers_waiting--;
	spin_unlock(&sem->wait.lock);
	lock_acquired(sem, sem->name, true);
}

void up_write(struct rw_semaphore *sem)
{
	if (sched_det()) {
		det_up(sem, true);
		return;
	}
	spin_lock(&sem->wait.lock);
	WARN_ON(sem->count != -1);
	sem->count = 0;
	spin_unlock(&sem->wait.lock);
	lock_released(sem);
	wake_up_all(&sem->wait);
}
