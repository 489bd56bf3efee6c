// SPDX-License-Identifier: GPL-2.0
/*
 * The model clock: microseconds since the machine booted.  In free-running
 * mode it is the host's monotonic clock.
 */
#include <time.h>

#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched_det.h>

static u64 boot_ns;

static u64 host_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

void clock_reset(void)
{
	__atomic_store_n(&boot_ns, host_ns(), __ATOMIC_RELEASE);
}

/*
 * The clock starts at 1 us, not 0: a wait that begins at boot must not
 * look like no wait (task->wait_start == 0).
 */
u64 ktime_get_us(void)
{
	if (sched_det()) {
		sched_point_load(det_clock());
		return det_now();
	}
	return 1 + (host_ns() - __atomic_load_n(&boot_ns, __ATOMIC_ACQUIRE)) / 1000;
}

void fsleep(unsigned long usecs)
{
	set_current_state(TASK_INTERRUPTIBLE);
	schedule_timeout((long)usecs);
}
