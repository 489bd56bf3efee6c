/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's one clock.  Its unit is the microsecond ("us" in scenario
 * files).  Every duration in mm, fs and drivers code reads or waits on this
 * clock through these calls and nothing else, so that a deterministic
 * scheduler can substitute virtual time.
 */
#ifndef _LINUX_KTIME_H
#define _LINUX_KTIME_H

#include <linux/types.h>

u64 ktime_get_us(void);
/* Sleep for @usecs of model time (TASK_INTERRUPTIBLE: not a hang). */
void fsleep(unsigned long usecs);
void clock_reset(void);

#endif /* _LINUX_KTIME_H */
