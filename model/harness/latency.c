// SPDX-License-Identifier: GPL-2.0
/*
 * The fsync latency observer (latency.h), on fsync's tracepoints.
 *
 * Locking: lat_lock (a host mutex, which probes may take) protects the
 * table of fsyncs in progress and the latencies recorded.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>

#include "latency.h"

#define LAT_MAX_CALLERS 16

static pthread_mutex_t lat_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	struct task_struct *task;
	u64 start_us;
} callers[LAT_MAX_CALLERS];
static u64 *lat_us;
static int nr_lat, max_lat;

static void lat_enter(void *data, struct inode *inode)
{
	pthread_mutex_lock(&lat_lock);
	for (int i = 0; i < LAT_MAX_CALLERS; i++) {
		if (!callers[i].task) {
			callers[i].task = current;
			callers[i].start_us = ktime_get_us();
			break;
		}
	}
	pthread_mutex_unlock(&lat_lock);
}

static void lat_record(u64 us)
{
	if (nr_lat == max_lat) {
		int n = max_lat ? 2 * max_lat : 64;
		u64 *p = realloc(lat_us, (size_t)n * sizeof(*p));

		if (!p)
			return;
		lat_us = p;
		max_lat = n;
	}
	lat_us[nr_lat++] = us;
}

static void lat_exit(void *data, struct inode *inode, int ret)
{
	u64 now = ktime_get_us();

	pthread_mutex_lock(&lat_lock);
	for (int i = 0; i < LAT_MAX_CALLERS; i++) {
		if (callers[i].task == current) {
			lat_record(now - callers[i].start_us);
			callers[i].task = NULL;
			break;
		}
	}
	pthread_mutex_unlock(&lat_lock);
}

int fsync_latency_start(void)
{
	int err;

	memset(callers, 0, sizeof(callers));
	nr_lat = 0;
	err = register_trace_fsync_enter(lat_enter, NULL);
	if (!err)
		err = register_trace_fsync_exit(lat_exit, NULL);
	return err;
}

void fsync_latency_stop(void)
{
	unregister_trace_fsync_enter(lat_enter, NULL);
	unregister_trace_fsync_exit(lat_exit, NULL);
}

uint64_t *fsync_latency_collect(int *nr)
{
	uint64_t *copy;

	pthread_mutex_lock(&lat_lock);
	*nr = nr_lat;
	copy = malloc((size_t)(nr_lat ? nr_lat : 1) * sizeof(*copy));
	if (copy && nr_lat)
		memcpy(copy, lat_us, (size_t)nr_lat * sizeof(*copy));
	if (!copy)
		*nr = 0;
	pthread_mutex_unlock(&lat_lock);
	return copy;
}
