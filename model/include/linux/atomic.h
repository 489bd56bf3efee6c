/* SPDX-License-Identifier: GPL-2.0 */
/*
 * atomic_t and friends.  Every read-modify-write is a scheduling point
 * (sched_point()), and so is every read (sched_point_load()), so that a
 * deterministic scheduler can interleave tasks between any two of them.
 */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H

#include <linux/compiler.h>
#include <linux/types.h>

/*
 * A scheduling point before an operation on @obj (NULL: unknown).  The
 * deterministic scheduler's search treats operations on different objects
 * as independent.
 */
void sched_point_on(const void *obj);
/* The same, before an operation that only reads @obj. */
void sched_point_on_load(const void *obj);
#define sched_point() sched_point_on(NULL)

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic_long_t;

#define ATOMIC_INIT(i) { (i) }

static inline int atomic_read(const atomic_t *v)
{
	sched_point_load(v);
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

/* The read that orders what follows after the write it reads. */
static inline int atomic_read_acquire(const atomic_t *v)
{
	sched_point_load(v);
	return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE);
}

static inline void atomic_set(atomic_t *v, int i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

static inline int atomic_add_return(int i, atomic_t *v)
{
	sched_point_on(v);
	return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);
}

static inline int atomic_sub_return(int i, atomic_t *v)
{
	sched_point_on(v);
	return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST);
}

#define atomic_add(i, v) ((void)atomic_add_return((i), (v)))
#define atomic_sub(i, v) ((void)atomic_sub_return((i), (v)))
#define atomic_inc(v) atomic_add(1, (v))
#define atomic_dec(v) atomic_sub(1, (v))
#define atomic_inc_return(v) atomic_add_return(1, (v))
#define atomic_dec_return(v) atomic_sub_return(1, (v))
#define atomic_dec_and_test(v) (atomic_sub_return(1, (v)) == 0)
#define atomic_inc_and_test(v) (atomic_add_return(1, (v)) == 0)
#define atomic_add_negative(i, v) (atomic_add_return((i), (v)) < 0)

static inline int atomic_cmpxchg(atomic_t *v, int old, int new)
{
	sched_point_on(v);
	__atomic_compare_exchange_n(&v->counter, &old, new, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

/* Add @a unless the counter is @u; true if it added. */
static inline bool atomic_add_unless(atomic_t *v, int a, int u)
{
	int c;

	sched_point_on(v);
	c = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
	do {
		if (c == u)
			return false;
	} while (!__atomic_compare_exchange_n(&v->counter, &c, c + a, false,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	return true;
}

static inline long atomic_long_read(const atomic_long_t *v)
{
	sched_point_load(v);
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline void atomic_long_set(atomic_long_t *v, long i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

/*
 * Event counters are statistics, not synchronisation: no scheduling point,
 * so that counting an event never changes an interleaving.
 */
static inline void atomic_long_add(long i, atomic_long_t *v)
{
	__atomic_add_fetch(&v->counter, i, __ATOMIC_RELAXED);
}

#endif /* _LINUX_ATOMIC_H */
