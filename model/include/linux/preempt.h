/* SPDX-License-Identifier: GPL-2.0 */
/*
 * preempt_disable()/preempt_enable(): the deterministic scheduler does not
 * switch tasks at the scheduling points inside.  Tracepoint probes run this
 * way, as in the kernel: the harness's probes take host mutexes, and a
 * switch to another fiber (on the same host thread) that takes the same
 * mutex would deadlock.  Nothing may sleep inside.
 */
#ifndef _LINUX_PREEMPT_H
#define _LINUX_PREEMPT_H

void preempt_disable(void);
void preempt_enable(void);

#endif /* _LINUX_PREEMPT_H */
