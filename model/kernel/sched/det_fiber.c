// SPDX-License-Identifier: GPL-2.0
/*
 * Fiber switching for the deterministic scheduler (det_fiber.h).
 *
 * On x86-64 a switch saves the callee-saved registers (rbx, rbp, r12-r15)
 * and the SSE and x87 control words on the stack it leaves, stores that
 * stack pointer in @from, loads @to's, and pops the same from there: all
 * a function call may expect to find unchanged, and no system call.  The
 * signal mask is not switched: the model's tasks never change it.  A new
 * fiber's stack is laid out as if it had switched away at the entry of
 * det_fiber_trampoline, which calls its entry function; the trampoline
 * marks the end of the stack for unwinders (backtrace() of an oops).
 *
 * Elsewhere, and in sanitizer builds: ucontext.
 *
 * Locking: none; a fiber is switched to and from on one host thread.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "det_fiber.h"

#ifdef DET_FIBER_ASM

void det_fiber_switch_asm(void **from_sp, void *to_sp);
void det_fiber_trampoline(void);

__asm__(".text\n"
	".globl det_fiber_switch_asm\n"
	".hidden det_fiber_switch_asm\n"
	".type det_fiber_switch_asm, @function\n"
	"det_fiber_switch_asm:\n"
	"	.cfi_startproc\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	subq $16, %rsp\n"
	"	stmxcsr 8(%rsp)\n"
	"	fnstcw (%rsp)\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	fldcw (%rsp)\n"
	"	ldmxcsr 8(%rsp)\n"
	"	addq $16, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	"	.cfi_endproc\n"
	".size det_fiber_switch_asm, .-det_fiber_switch_asm\n"
	"\n"
	".globl det_fiber_trampoline\n"
	".hidden det_fiber_trampoline\n"
	".type det_fiber_trampoline, @function\n"
	"det_fiber_trampoline:\n"
	"	.cfi_startproc\n"
	"	.cfi_undefined rip\n"
	"	xorl %ebp, %ebp\n"
	"	callq *%r12\n"
	"	ud2\n"
	"	.cfi_endproc\n"
	".size det_fiber_trampoline, .-det_fiber_trampoline\n");

/* The frame det_fiber_switch_asm() pops, lowest address first. */
struct switch_frame {
	u16 fpu_cw;
	u8 pad[6];
	u32 mxcsr;
	u32 pad2;
	u64 r15, r14, r13, r12, rbx, rbp;
	u64 ret;		/* det_fiber_trampoline */
};

void det_fiber_make(struct det_fiber *f, void *stack, size_t size,
		    void (*entry)(void))
{
	/* The trampoline runs with the top, 16-aligned, as its stack. */
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
	struct switch_frame *frame = (struct switch_frame *)top - 1;

	_Static_assert(sizeof(struct switch_frame) == 72, "see the asm");
	memset(frame, 0, sizeof(*frame));
	__asm__ volatile("fnstcw %0" : "=m"(frame->fpu_cw));
	__asm__ volatile("stmxcsr %0" : "=m"(frame->mxcsr));
	frame->r12 = (u64)(uintptr_t)entry;
	frame->ret = (u64)(uintptr_t)det_fiber_trampoline;
	f->sp = frame;
}

void det_fiber_switch(struct det_fiber *from, struct det_fiber *to)
{
	det_fiber_switch_asm(&from->sp, to->sp);
}

#else /* !DET_FIBER_ASM */

void det_fiber_make(struct det_fiber *f, void *stack, size_t size,
		    void (*entry)(void))
{
	getcontext(&f->uc);
	f->uc.uc_stack.ss_sp = stack;
	f->uc.uc_stack.ss_size = size;
	f->uc.uc_link = NULL;	/* entry never returns */
	makecontext(&f->uc, entry, 0);
}

void det_fiber_switch(struct det_fiber *from, struct det_fiber *to)
{
	swapcontext(&from->uc, &to->uc);
}

#endif /* DET_FIBER_ASM */
