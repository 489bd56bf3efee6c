/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the machine's BUG and WARN reports left behind, for the harness.
 */
#ifndef _LINUX_PANIC_H
#define _LINUX_PANIC_H

#include <stddef.h>

struct oops_state {
	int count;		/* BUGs hit */
	int pid;
	char comm[24];
	char line[160];		/* "kernel BUG at fs/ext4/inode.c:NNN!" */
	char trace[4096];	/* " fn+0xoff/0xsize\n" lines */
	char functions[1024];	/* the trace's function names, space-separated */
	int warnings;		/* WARNs hit */
	char warn_line[320];
	char warn_trace[4096];
};

const struct oops_state *oops_state(void);
void printk_reset(int echo);
const char *dmesg(void);
void panic_set_notifier(void (*fn)(void));
size_t format_trace(void *const *stack, int depth, char *buf, size_t len);

#endif /* _LINUX_PANIC_H */
