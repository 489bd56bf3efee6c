/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lock-order checking (kernel/locking/lockdep.c).
 */
#ifndef _LINUX_LOCKDEP_H
#define _LINUX_LOCKDEP_H

struct task_struct;

void lockdep_reset(void);
void lockdep_acquire(struct task_struct *t, const char *name);
const char *lockdep_report(void);
int lockdep_inversions(void);

#endif /* _LINUX_LOCKDEP_H */
