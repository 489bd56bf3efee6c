// SPDX-License-Identifier: GPL-2.0
/*
 * --trace: every task's operations as Chrome trace-event JSON (the format
 * Perfetto and chrome://tracing open), one track per task.
 *
 * Operations are "B"/"E" duration events (a fault, a DMA burst, a
 * page_mkclean, a writepage, a wait, ...); point events (a pin, an unmap,
 * dropped buffers, a journal handle) are "i" events.  Timestamps are the
 * model clock, in microseconds, which is the format's unit.
 *
 * It registers its own probes (event, span, wbc_writepage) for the runs
 * that ask for a trace.
 *
 * Locking: trace_lock, a host mutex, around the event array.  Probes run
 * under kernel spinlocks, so nothing here sleeps or takes a kernel lock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>

#include "trace.h"

struct trace_rec {
	u64 ts;
	int tid;
	char ph;
	const char *name;
	unsigned long pfn;	/* ~0UL: none */
	long arg;
};

#define MAX_TRACE_RECS (1 << 20)
#define MAX_TRACE_TASKS 64

static pthread_mutex_t trace_lock = PTHREAD_MUTEX_INITIALIZER;
static struct trace_rec *recs;
static size_t nr_recs, cap_recs;
static bool trace_on, trace_truncated;
static struct {
	int tid;
	char comm[TASK_COMM_LEN];
} tasks[MAX_TRACE_TASKS];
static int nr_tasks;

static bool chrome_trace_active(void)
{
	return __atomic_load_n(&trace_on, __ATOMIC_ACQUIRE);
}

static void note_task(struct task_struct *t)
{
	for (int i = 0; i < nr_tasks; i++)
		if (tasks[i].tid == t->pid)
			return;
	if (nr_tasks == MAX_TRACE_TASKS)
		return;
	tasks[nr_tasks].tid = t->pid;
	snprintf(tasks[nr_tasks].comm, sizeof(tasks[nr_tasks].comm), "%s",
		 t->comm);
	nr_tasks++;
}

static void chrome_trace_event(char ph, const char *name, struct page *page,
			       long arg)
{
	struct task_struct *t = current;
	struct trace_rec *r;

	if (!chrome_trace_active() || !t)
		return;
	pthread_mutex_lock(&trace_lock);
	if (nr_recs == cap_recs) {
		size_t cap = cap_recs ? 2 * cap_recs : 4096;
		struct trace_rec *n;

		if (cap > MAX_TRACE_RECS ||
		    !(n = realloc(recs, cap * sizeof(*recs)))) {
			trace_truncated = true;
			pthread_mutex_unlock(&trace_lock);
			return;
		}
		recs = n;
		cap_recs = cap;
	}
	note_task(t);
	r = &recs[nr_recs++];
	r->ts = ktime_get_us();
	r->tid = t->pid;
	r->ph = ph;
	r->name = name;
	r->pfn = page ? page_to_pfn(page) : ~0UL;
	r->arg = arg;
	pthread_mutex_unlock(&trace_lock);
}

static void trace_probe_event(void *data, const char *what, struct page *page,
			      long arg)
{
	chrome_trace_event('i', what, page, arg);
}

static void trace_probe_span(void *data, const char *what, struct page *page,
			     long arg, bool begin)
{
	chrome_trace_event(begin ? 'B' : 'E', what, page, arg);
}

static void trace_probe_writepage(void *data, struct page *page)
{
	chrome_trace_event('i', "writepage_begin", page, page_count(page));
}

int chrome_trace_start(void)
{
	int err;

	pthread_mutex_lock(&trace_lock);
	nr_recs = 0;
	nr_tasks = 0;
	trace_truncated = false;
	__atomic_store_n(&trace_on, true, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&trace_lock);
	err = register_trace_event(trace_probe_event, NULL);
	if (!err)
		err = register_trace_span(trace_probe_span, NULL);
	if (!err)
		err = register_trace_wbc_writepage(trace_probe_writepage, NULL);
	return err;
}

/* Stop recording (the run's tasks have stopped). */
void chrome_trace_stop(void)
{
	unregister_trace_event(trace_probe_event, NULL);
	unregister_trace_span(trace_probe_span, NULL);
	unregister_trace_wbc_writepage(trace_probe_writepage, NULL);
	__atomic_store_n(&trace_on, false, __ATOMIC_RELEASE);
}

static json_object *rec_to_json(const struct trace_rec *r)
{
	json_object *ev = json_object_new_object();
	json_object *args = json_object_new_object();
	char ph[2] = { r->ph, 0 };

	json_object_object_add(ev, "name", json_object_new_string(r->name));
	json_object_object_add(ev, "cat", json_object_new_string("pinmm"));
	json_object_object_add(ev, "ph", json_object_new_string(ph));
	json_object_object_add(ev, "ts", json_object_new_uint64(r->ts));
	json_object_object_add(ev, "pid", json_object_new_int(1));
	json_object_object_add(ev, "tid", json_object_new_int(r->tid));
	if (r->ph == 'i')
		json_object_object_add(ev, "s", json_object_new_string("t"));
	if (r->pfn != ~0UL)
		json_object_object_add(args, "pfn", json_object_new_uint64(r->pfn));
	json_object_object_add(args, "arg", json_object_new_int64(r->arg));
	json_object_object_add(ev, "args", args);
	return ev;
}

static json_object *thread_name(int tid, const char *comm)
{
	json_object *ev = json_object_new_object();
	json_object *args = json_object_new_object();

	json_object_object_add(ev, "name", json_object_new_string("thread_name"));
	json_object_object_add(ev, "ph", json_object_new_string("M"));
	json_object_object_add(ev, "pid", json_object_new_int(1));
	json_object_object_add(ev, "tid", json_object_new_int(tid));
	json_object_object_add(args, "name", json_object_new_string(comm));
	json_object_object_add(ev, "args", args);
	return ev;
}

/*
 * Stop recording and write the trace to @path, with the run's identity in
 * "otherData".  Returns 0 or a negative errno.
 */
int chrome_trace_finish(const char *path, const char *scenario,
			const char *policy, u64 seed, const char *verdict)
{
	json_object *root = json_object_new_object();
	json_object *events = json_object_new_array();
	json_object *other = json_object_new_object();
	int ret = 0;

	pthread_mutex_lock(&trace_lock);
	__atomic_store_n(&trace_on, false, __ATOMIC_RELEASE);
	{
		json_object *pname = json_object_new_object();
		json_object *pargs = json_object_new_object();

		json_object_object_add(pname, "name", json_object_new_string("process_name"));
		json_object_object_add(pname, "ph", json_object_new_string("M"));
		json_object_object_add(pname, "pid", json_object_new_int(1));
		json_object_object_add(pname, "tid", json_object_new_int(0));
		json_object_object_add(pargs, "name", json_object_new_string("pinmm machine"));
		json_object_object_add(pname, "args", pargs);
		json_object_array_add(events, pname);
	}
	for (int i = 0; i < nr_tasks; i++)
		json_object_array_add(events, thread_name(tasks[i].tid, tasks[i].comm));
	for (size_t i = 0; i < nr_recs; i++)
		json_object_array_add(events, rec_to_json(&recs[i]));
	free(recs);
	recs = NULL;
	nr_recs = cap_recs = 0;
	pthread_mutex_unlock(&trace_lock);

	json_object_object_add(root, "traceEvents", events);
	json_object_object_add(root, "displayTimeUnit", json_object_new_string("ms"));
	json_object_object_add(other, "scenario", json_object_new_string(scenario));
	json_object_object_add(other, "policy", json_object_new_string(policy));
	json_object_object_add(other, "seed", json_object_new_uint64(seed));
	json_object_object_add(other, "verdict", json_object_new_string(verdict));
	json_object_object_add(other, "truncated", json_object_new_boolean(trace_truncated));
	json_object_object_add(root, "otherData", other);
	if (json_object_to_file_ext(path, root, JSON_C_TO_STRING_PLAIN))
		ret = -EIO;
	json_object_put(root);
	return ret;
}
