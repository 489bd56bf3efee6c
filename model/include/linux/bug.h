/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BUG() and WARN(), reported the way the kernel reports them.
 *
 * BUG() prints "kernel BUG at FILE:LINE!" and an oops with the task and
 * the call trace, records the oops in the running machine, and ends the
 * current task (do_exit()): the kernel kills the task that oopsed, and
 * whatever it held stays held.  WARN() prints "WARNING: ... at FILE:LINE"
 * with a trace and carries on.
 */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include <linux/compiler.h>

__noreturn void __bug(const char *file, int line, const char *func);
void __warn(const char *file, int line, const char *func, const char *fmt,
	    ...) __printf(4, 5);

#define BUG() __bug(__FILE__, __LINE__, __func__)
#define BUG_ON(cond)                                                           \
	do {                                                                   \
		if (unlikely(cond))                                            \
			BUG();                                                 \
	} while (0)

#define WARN(cond, fmt, ...)                                                   \
	({                                                                     \
		int __ret_warn_on = !!(cond);                                  \
		if (unlikely(__ret_warn_on))                                   \
			__warn(__FILE__, __LINE__, __func__, fmt,              \
			       ##__VA_ARGS__);                                 \
		unlikely(__ret_warn_on);                                       \
	})
#define WARN_ON(cond) WARN(cond, NULL)

#define WARN_ONCE(cond, fmt, ...)                                              \
	({                                                                     \
		static int __warned_gen;                                       \
		int __ret_once = !!(cond);                                     \
		int __gen = warn_once_gen();                                   \
		if (unlikely(__ret_once) &&                                    \
		    __atomic_exchange_n(&__warned_gen, __gen,                  \
					__ATOMIC_RELAXED) != __gen)            \
			__warn(__FILE__, __LINE__, __func__, fmt,              \
			       ##__VA_ARGS__);                                 \
		unlikely(__ret_once);                                          \
	})
#define WARN_ON_ONCE(cond) WARN_ONCE(cond, NULL)

/*
 * WARN_ONCE fires once per machine (a run), not once per process: each
 * run boots a new machine, which bumps the generation.
 */
int warn_once_gen(void);

#define VM_BUG_ON(cond) BUG_ON(cond)
#define VM_BUG_ON_PAGE(cond, page)                                             \
	do {                                                                   \
		if (unlikely(cond)) {                                          \
			dump_page(page, "VM_BUG_ON_PAGE(" #cond ")");          \
			BUG();                                                 \
		}                                                              \
	} while (0)
#define VM_WARN_ON_ONCE_PAGE(cond, page)                                       \
	({                                                                     \
		int __r = !!(cond);                                            \
		if (unlikely(__r))                                             \
			dump_page(page, "VM_WARN_ON_ONCE_PAGE(" #cond ")");    \
		WARN_ON_ONCE(__r);                                             \
	})

struct page;
void dump_page(struct page *page, const char *reason);

#endif /* _LINUX_BUG_H */
