/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spinlock_t.  A model spinlock is a host mutex (a contended waiter
 * sleeps on the host instead of burning one of two cores), but it keeps
 * the kernel's rules: no sleeping while one is held (schedule() checks),
 * and every acquisition is a scheduling point and is recorded in the
 * task's held_locks, for the hang report and for do_exit() after an oops.
 */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H

#include <pthread.h>
#include <linux/atomic.h>
#include <linux/compiler.h>

struct lock_class {
	const char *name;
};

typedef struct spinlock {
	pthread_mutex_t raw;
	const char *name;
	void *det_owner;	/* deterministic mode: the holder */
} spinlock_t;

void __spin_lock_init(spinlock_t *lock, const char *name);
void spin_lock(spinlock_t *lock);
int spin_trylock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
void spin_lock_destroy(spinlock_t *lock);
void spin_release_dead(spinlock_t *lock);
bool spin_is_locked_by_current(spinlock_t *lock);

#define spin_lock_init(lock) __spin_lock_init((lock), #lock)
#define spin_lock_irq(lock) spin_lock(lock)
#define spin_unlock_irq(lock) spin_unlock(lock)
#define spin_lock_irqsave(lock, flags) ((void)(flags), spin_lock(lock))
#define spin_unlock_irqrestore(lock, flags) ((void)(flags), spin_unlock(lock))
#define assert_spin_locked(lock) WARN_ON_ONCE(!spin_is_locked_by_current(lock))

#include <linux/rwlock.h>

#endif /* _LINUX_SPINLOCK_H */
