/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Atomic bit operations on unsigned long words (page->flags,
 * bh->b_state, mapping->flags).  Each is a scheduling point on its bit
 * (det_bit_obj()): test_bit() reads it, the others write it, and ops on
 * different bits of one word commute.
 */
#ifndef _LINUX_BITOPS_H
#define _LINUX_BITOPS_H

#include <linux/atomic.h>
#include <linux/sched_det.h>

#define BITS_PER_LONG 64
#define BIT(nr) (1UL << (nr))

static inline void set_bit(unsigned int nr, unsigned long *addr)
{
	sched_point_on(det_bit_obj(addr, nr));
	__atomic_or_fetch(addr, BIT(nr), __ATOMIC_SEQ_CST);
}

static inline void clear_bit(unsigned int nr, unsigned long *addr)
{
	sched_point_on(det_bit_obj(addr, nr));
	__atomic_and_fetch(addr, ~BIT(nr), __ATOMIC_SEQ_CST);
}

/* Release semantics: the unlock side of a bit lock (PG_locked). */
static inline void clear_bit_unlock(unsigned int nr, unsigned long *addr)
{
	sched_point_on(det_bit_obj(addr, nr));
	__atomic_and_fetch(addr, ~BIT(nr), __ATOMIC_RELEASE);
}

static inline bool test_bit(unsigned int nr, const unsigned long *addr)
{
	sched_point_load(det_bit_obj(addr, nr));
	return (__atomic_load_n(addr, __ATOMIC_ACQUIRE) >> nr) & 1;
}

static inline bool test_and_set_bit(unsigned int nr, unsigned long *addr)
{
	sched_point_on(det_bit_obj(addr, nr));
	return __atomic_fetch_or(addr, BIT(nr), __ATOMIC_SEQ_CST) & BIT(nr);
}

static inline bool test_and_set_bit_lock(unsigned int nr, unsigned long *addr)
{
	sched_point_on(det_bit_obj(addr, nr));
	return __atomic_fetch_or(addr, BIT(nr), __ATOMIC_ACQUIRE) & BIT(nr);
}

static inline bool test_and_clear_bit(unsigned int nr, unsigned long *addr)
{
	sched_point_on(det_bit_obj(addr, nr));
	return __atomic_fetch_and(addr, ~BIT(nr), __ATOMIC_SEQ_CST) & BIT(nr);
}

#endif /* _LINUX_BITOPS_H */
