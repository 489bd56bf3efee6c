/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compiler helpers with the kernel's names.
 *
 * READ_ONCE()/WRITE_ONCE() are relaxed atomic accesses, not volatile ones:
 * the model runs under ThreadSanitizer, and the places where the kernel
 * tolerates a racy word access (page->lru.next read as dma_pinned_flags,
 * list_empty() without the lock) must be visible to it as intended races.
 */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H

#include <stddef.h>

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define noinline __attribute__((noinline))
#define __maybe_unused __attribute__((unused))
#define __must_check __attribute__((warn_unused_result))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __noreturn __attribute__((noreturn))
#define __aligned(x) __attribute__((aligned(x)))

/*
 * A scheduling point before a plain shared load or store of @obj
 * (kernel/sched/core.c): the deterministic scheduler can switch tasks
 * there.  Unlike the points of read-modify-writes, it never makes a killed
 * task leave: a task may be in the middle of a list update.
 */
void sched_point_access(const volatile void *obj);
/* The same before a load only: two loads of one word commute. */
void sched_point_load(const volatile void *obj);

#define READ_ONCE(x)                                                           \
	({                                                                     \
		sched_point_load(&(x));                                        \
		__atomic_load_n(&(x), __ATOMIC_RELAXED);                       \
	})
#define WRITE_ONCE(x, val)                                                     \
	do {                                                                   \
		sched_point_access(&(x));                                      \
		__atomic_store_n(&(x), (val), __ATOMIC_RELAXED);               \
	} while (0)

#define barrier() __asm__ __volatile__("" ::: "memory")

#define container_of(ptr, type, member)                                        \
	((type *)((char *)(ptr)-offsetof(type, member)))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define IS_ERR_VALUE_ADDR(x) ((unsigned long)(x) >= (unsigned long)-4095)
#define ERR_PTR(err) ((void *)(long)(err))
#define PTR_ERR(ptr) ((long)(ptr))
#define IS_ERR(ptr) IS_ERR_VALUE_ADDR(ptr)

#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))
#define round_up(x, y) ((((x)-1) | ((__typeof__(x))((y)-1))) + 1)
#define round_down(x, y) ((x) & ~((__typeof__(x))((y)-1)))

/*
 * data_race(): an access whose race is part of what is modelled (device DMA
 * and CPU stores into a page frame while writeback copies it to the disk).
 * Like KCSAN's annotation, it tells the race detector not to report it.
 */
#if defined(__SANITIZE_THREAD__)
#define PINMM_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PINMM_TSAN 1
#endif
#endif

/*
 * Full barriers.  ThreadSanitizer does not model fences, so under it a
 * barrier is a sequentially consistent read-modify-write of one word,
 * which it does understand (and which is a full barrier on x86 too).
 */
#ifdef PINMM_TSAN
extern long tsan_barrier_word;
#define smp_mb() ((void)__atomic_fetch_add(&tsan_barrier_word, 0, __ATOMIC_SEQ_CST))
#else
#define smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif
#define smp_rmb() smp_mb()
#define smp_wmb() smp_mb()

#ifdef PINMM_TSAN
void __tsan_ignore_thread_begin(void);
void __tsan_ignore_thread_end(void);
#define data_race_begin() __tsan_ignore_thread_begin()
#define data_race_end() __tsan_ignore_thread_end()
#else
#define data_race_begin() do { } while (0)
#define data_race_end() do { } while (0)
#endif

#endif /* _LINUX_COMPILER_H */
