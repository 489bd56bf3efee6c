// SPDX-License-Identifier: GPL-2.0
/*
 * rwlock_t (include/linux/rwlock.h).  Free-running, a host rwlock sits
 * underneath.  Deterministic mode: a reader count and a writer field; a
 * task that finds the lock taken against it blocks until the holders let
 * go, as det_spin_lock() does.  The acquisition is a scheduling point
 * taken before the lock, a load of it for a reader.
 *
 * No writer preference: the kernel's queued rwlock makes new readers wait
 * behind a waiting writer, but the model's sections on an rwlock are short
 * and never sleep, so a writer cannot starve.
 */
#include <linux/bug.h>
#include <linux/sched.h>
#include <linux/sched_det.h>
#include <linux/spinlock.h>

void __rwlock_init(rwlock_t *lock, const char *name)
{
	pthread_rwlock_init(&lock->raw, NULL);
	lock->name = name;
	lock->det_readers = 0;
	lock->det_writer = NULL;
}

void rwlock_destroy(rwlock_t *lock)
{
	pthread_rwlock_destroy(&lock->raw);
}

/* A writer holds @arg (rwlock_held(): or a reader does). */
static bool rwlock_write_held(const void *arg)
{
	const rwlock_t *lock = arg;

	return __atomic_load_n(&lock->det_writer, __ATOMIC_RELAXED);
}

static bool rwlock_held(const void *arg)
{
	const rwlock_t *lock = arg;

	return rwlock_write_held(lock) ||
	       __atomic_load_n(&lock->det_readers, __ATOMIC_RELAXED);
}

/* Block until @lock has no writer (@write: and no reader either). */
static void det_rwlock_wait(rwlock_t *lock, bool write)
{
	struct task_struct *t = current;

	BUG_ON(t && __atomic_load_n(&lock->det_writer, __ATOMIC_RELAXED) == t);
	det_wait_for_lock(lock, lock->name, !write,
			  write ? rwlock_held : rwlock_write_held);
}

static void read_release(void *arg)
{
	rwlock_t *lock = arg;

	if (sched_det()) {
		int left = __atomic_sub_fetch(&lock->det_readers, 1,
					      __ATOMIC_RELAXED);

		det_lock_released_shared(lock, !left);
	} else {
		pthread_rwlock_unlock(&lock->raw);
	}
}

static void write_release(void *arg)
{
	rwlock_t *lock = arg;

	if (sched_det()) {
		__atomic_store_n(&lock->det_writer, NULL, __ATOMIC_RELAXED);
		det_lock_released(lock);
	} else {
		pthread_rwlock_unlock(&lock->raw);
	}
}

void read_lock(rwlock_t *lock)
{
	sched_point_on_load(lock);
	if (sched_det()) {
		det_rwlock_wait(lock, false);
		__atomic_add_fetch(&lock->det_readers, 1, __ATOMIC_RELAXED);
		det_lock_acquired(lock);
	} else {
		pthread_rwlock_rdlock(&lock->raw);
	}
	lock_acquired_spinning(lock, lock->name, read_release);
}

void read_unlock(rwlock_t *lock)
{
	lock_released(lock);
	read_release(lock);
}

void write_lock(rwlock_t *lock)
{
	struct task_struct *t = current;

	sched_point_on(lock);
	if (sched_det()) {
		det_rwlock_wait(lock, true);
		__atomic_store_n(&lock->det_writer, t ? (void *)t : (void *)lock,
				 __ATOMIC_RELAXED);
		det_lock_acquired(lock);
	} else {
		pthread_rwlock_wrlock(&lock->raw);
	}
	lock_acquired_spinning(lock, lock->name, write_release);
}

void write_unlock(rwlock_t *lock)
{
	lock_released(lock);
	write_release(lock);
}
