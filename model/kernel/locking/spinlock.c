// SPDX-License-Identifier: GPL-2.0
/*
 * Spinlocks.  See include/linux/spinlock.h for why a host mutex sits
 * underneath.  The acquisition is a scheduling point taken *before* the
 * lock, so that a deterministic scheduler never switches away from a task
 * that holds a host mutex another task needs.
 */
#include <linux/bug.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

void __spin_lock_init(spinlock_t *lock, const char *name)
{
	pthread_mutex_init(&lock->raw, NULL);
	lock->name = name;
}

void spin_lock_destroy(spinlock_t *lock)
{
	pthread_mutex_destroy(&lock->raw);
}

void spin_lock(spinlock_t *lock)
{
	sched_point();
	pthread_mutex_lock(&lock->raw);
	lock_acquired(lock, lock->name, false);
}

int spin_trylock(spinlock_t *lock)
{
	sched_point();
	if (pthread_mutex_trylock(&lock->raw))
		return 0;
	lock_acquired(lock, lock->name, false);
	return 1;
}

void spin_unlock(spinlock_t *lock)
{
	lock_released(lock);
	pthread_mutex_unlock(&lock->raw);
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
