/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sleeping locks: struct mutex and struct rw_semaphore, built on a wait
 * queue so that a task blocked on one is a sleeping task the hang report
 * can name (the kernel's would show in /proc/PID/stack the same way).
 */
#ifndef _LINUX_MUTEX_H
#define _LINUX_MUTEX_H

#include <linux/wait.h>

struct mutex {
	struct task_struct *owner;
	const char *name;
	struct wait_queue_head wait;
};

void __mutex_init(struct mutex *lock, const char *name);
#define mutex_init(lock) __mutex_init((lock), #lock)
void mutex_destroy(struct mutex *lock);
void mutex_lock(struct mutex *lock);
int mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
bool mutex_is_locked(struct mutex *lock);

struct rw_semaphore {
	long count;	/* > 0: readers; -1: a writer */
	int writers_waiting;
	const char *name;
	struct wait_queue_head wait;
};

void __init_rwsem(struct rw_semaphore *sem, const char *name);
#define init_rwsem(sem) __init_rwsem((sem), #sem)
void destroy_rwsem(struct rw_semaphore *sem);
void down_read(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);
int down_read_trylock(struct rw_semaphore *sem);

#endif /* _LINUX_MUTEX_H */
