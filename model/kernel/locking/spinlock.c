// SPDX-License-Identifier: GPL-2.0
/*
 * Spinlocks.  See include/linux/spinlock.h for why a host mutex sits
 * underneath.  The acquisition is a scheduling point taken *before* the
 * lock, so that a deterministic scheduler never switches away from a task
 * that holds a host mutex another task needs.
 */
#include <linux/bug.h>
#include <linux/sched.h>
#include <linux/sched_det.h>
#include <linux/spinlock.h>

void __spin_lock_init(spinlock_t *lock, const char *name)
{
	pthread_mutex_init(&lock->raw, NULL);
	lock->name = name;
	lock->det_owner = NULL;
}

void spin_lock_destroy(spinlock_t *lock)
{
	pthread_mutex_destroy(&lock->raw);
}

/*
 * Deterministic mode: one task runs at a time, so a lock is an owner
 * field, and a task that finds it taken blocks until the owner releases
 * it.  The scheduler's own context (no task) takes locks only when no task
 * is in the middle of kernel code.
 */
static bool spin_busy(const void *lock)
{
	return __atomic_load_n(&((const spinlock_t *)lock)->det_owner,
			       __ATOMIC_RELAXED);
}

static void det_spin_lock(spinlock_t *lock)
{
	struct task_struct *t = current;

	BUG_ON(t && __atomic_load_n(&lock->det_owner, __ATOMIC_RELAXED) == t);
	det_wait_for_lock(lock, lock->name, false, spin_busy);
	__atomic_store_n(&lock->det_owner, t ? (void *)t : (void *)lock,
			 __ATOMIC_RELAXED);
	det_lock_acquired(lock);
}

void spin_lock(spinlock_t *lock)
{
	sched_point_on(lock);
	if (sched_det())
		det_spin_lock(lock);
	else
		pthread_mutex_lock(&lock->raw);
	lock_acquired(lock, lock->name, false);
}

int spin_trylock(spinlock_t *lock)
{
	sched_point_on(lock);
	if (sched_det()) {
		det_trylock(lock);
		if (__atomic_load_n(&lock->det_owner, __ATOMIC_RELAXED))
			return 0;
		det_spin_lock(lock);
	} else if (pthread_mutex_trylock(&lock->raw)) {
		return 0;
	}
	lock_acquired(lock, lock->name, false);
	return 1;
}

void spin_unlock(spinlock_t *lock)
{
	lock_released(lock);
	spin_release_dead(lock);
}

/* Release without the bookkeeping: spin_unlock(), and do_exit()'s cleanup. */
void spin_release_dead(spinlock_t *lock)
{
	if (sched_det()) {
		__atomic_store_n(&lock->det_owner, NULL, __ATOMIC_RELAXED);
		det_lock_released(lock);
	} else {
		pthread_mutex_unlock(&lock->raw);
	}
}

bool spin_is_locked_by_current(spinlock_t *lock)
{
	struct task_struct *t = current;

	if (!t)
		return true;
	for (int i = 0; i < t->lockdep_depth; i++)
		if (t->held_locks[i].lock == lock)
			return true;
	return false;
}
