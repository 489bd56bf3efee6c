/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fibers of the deterministic scheduler (kernel/sched/det_fiber.c):
 * a saved context and the switch between two, nothing else.  Only det.c
 * uses them.
 */
#ifndef _SCHED_DET_FIBER_H
#define _SCHED_DET_FIBER_H

#include <stddef.h>
#include <ucontext.h>

#include <linux/compiler.h>
#include <linux/types.h>

#if defined(__SANITIZE_ADDRESS__)
#define PINMM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PINMM_ASAN 1
#endif
#endif

/*
 * A switch of our own on x86-64: swapcontext() saves and restores the
 * signal mask, a system call at every switch.  Sanitizer builds keep
 * ucontext, whose switches the sanitizers know (ASan clears the shadow of
 * a reused stack in its swapcontext() interceptor); so does any other
 * architecture, and -DPINMM_UCONTEXT.
 */
#if defined(__x86_64__) && !defined(PINMM_ASAN) && !defined(PINMM_TSAN) && \
	!defined(PINMM_UCONTEXT)
#define DET_FIBER_ASM 1
#endif

struct det_fiber {
#ifdef DET_FIBER_ASM
	void *sp;		/* where its registers were saved */
#else
	ucontext_t uc;
#endif
};

/*
 * Make @f start @entry on @stack the first time it is switched to.
 * @entry must never return: a fiber ends by switching away for good.
 */
void det_fiber_make(struct det_fiber *f, void *stack, size_t size,
		    void (*entry)(void));
/* Save the running context in @from and resume @to. */
void det_fiber_switch(struct det_fiber *from, struct det_fiber *to);

#endif /* _SCHED_DET_FIBER_H */
