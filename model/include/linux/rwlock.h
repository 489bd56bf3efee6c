/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rwlock_t: a spinning reader-writer lock, as the kernel's (included from
 * spinlock.h, as there).  Readers share it, a writer has it alone; like a
 * spinlock it must not be held across a sleep, and every acquisition is a
 * scheduling point.  A read acquisition only reads the lock: two readers'
 * critical sections commute, and the deterministic scheduler's search
 * (harness/dpor.c) takes them as independent, where two spinlock sections
 * never are.  Readers must then write nothing shared but atomics.
 */
#ifndef _LINUX_RWLOCK_H
#define _LINUX_RWLOCK_H

#include <pthread.h>

typedef struct rwlock {
	pthread_rwlock_t raw;
	const char *name;
	int det_readers;	/* deterministic mode: readers holding it */
	void *det_writer;	/* deterministic mode: the writer holding it */
} rwlock_t;

void __rwlock_init(rwlock_t *lock, const char *name);
void rwlock_destroy(rwlock_t *lock);
void read_lock(rwlock_t *lock);
void read_unlock(rwlock_t *lock);
void write_lock(rwlock_t *lock);
void write_unlock(rwlock_t *lock);

#define rwlock_init(lock) __rwlock_init((lock), #lock)

#endif /* _LINUX_RWLOCK_H */
