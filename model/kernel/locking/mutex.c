// SPDX-License-Identifier: GPL-2.0
/*
 * struct mutex and struct rw_semaphore.
 *
 * Both keep their state under their wait queue's spinlock and sleep on
 * that wait queue, so a blocked task is TASK_UNINTERRUPTIBLE with a wait
 * channel naming the lock, and the hung-task check sees it.  Writers are
 * preferred over new readers, as in the kernel's rwsem, so that a reader
 * stream cannot starve mmap/munmap.
 */
#include <linux/bug.h>
#include <linux/mutex.h>
#include <linux/printk.h>

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
	if (current && READ_ONCE(lock->owner) == current)
		WARN(1, "recursive mutex_lock(%s) by %s", lock->name,
		     current->comm);
	wait_event_named(lock->wait, mutex_try_acquire(lock), lock->name);
	lock_acquired(lock, lock->name, true);
}

int mutex_trylock(struct mutex *lock)
{
	if (!mutex_try_acquire(lock))
		return 0;
	lock_acquired(lock, lock->name, true);
	return 1;
}

void mutex_unlock(struct mutex *lock)
{
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
	wait_event_named(sem->wait, rwsem_try_read(sem), sem->name);
	lock_acquired(sem, sem->name, true);
}

int down_read_trylock(struct rw_semaphore *sem)
{
	if (!rwsem_try_read(sem))
		return 0;
	lock_acquired(sem, sem->name, true);
	return 1;
}

void up_read(struct rw_semaphore *sem)
{
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
	spin_lock(&sem->wait.lock);
	WARN_ON(sem->count != -1);
	sem->count = 0;
	spin_unlock(&sem->wait.lock);
	lock_released(sem);
	wake_up_all(&sem->wait);
}
