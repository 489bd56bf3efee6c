// SPDX-License-Identifier: GPL-2.0
/*
 * The flight recorder (flight.h): a ring of the last FLIGHT_LEN events,
 * fed by the event and wbc_writepage tracepoints.
 *
 * Locking: a slot is claimed with an atomic increment and filled by its
 * claimer; the ring is read after the machine's tasks stopped.
 */
#include <stdio.h>
#include <stdlib.h>

#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>

#include "flight.h"

#define FLIGHT_LEN 4096
#define FLIGHT_SHOWN 48

struct flight_event {
	u64 time;
	int pid;
	char comm[TASK_COMM_LEN];
	const char *what;
	unsigned long pfn;	/* ~0UL: none */
	long arg;
};

static struct flight_event flight[FLIGHT_LEN];
static unsigned long flight_next;

static void flight_record(void *data, const char *what, struct page *page,
			  long arg)
{
	unsigned long n = __atomic_fetch_add(&flight_next, 1, __ATOMIC_RELAXED);
	struct flight_event *e = &flight[n % FLIGHT_LEN];
	struct task_struct *t = current;

	e->time = ktime_get_us();
	e->pid = t ? t->pid : 0;
	snprintf(e->comm, sizeof(e->comm), "%s", t ? t->comm : "-");
	e->what = what;
	e->pfn = page ? page_to_pfn(page) : ~0UL;
	e->arg = arg;
}

static void flight_writepage(void *data, struct page *page)
{
	flight_record(data, "writepage_begin", page, page_count(page));
}

int flight_recorder_start(void)
{
	int err;

	flight_next = 0;
	err = register_trace_event(flight_record, NULL);
	if (!err)
		err = register_trace_wbc_writepage(flight_writepage, NULL);
	return err;
}

void flight_recorder_stop(void)
{
	unregister_trace_event(flight_record, NULL);
	unregister_trace_wbc_writepage(flight_writepage, NULL);
}

char *flight_recorder_dump(const unsigned long *pfns, int nr_pfns)
{
	unsigned long end = __atomic_load_n(&flight_next, __ATOMIC_ACQUIRE);
	unsigned long start = end > FLIGHT_LEN ? end - FLIGHT_LEN : 0;
	unsigned long picked[FLIGHT_SHOWN];
	size_t cap = FLIGHT_SHOWN * 128, used = 0;
	char *out = malloc(cap);
	int nr = 0;

	if (!out)
		return NULL;
	out[0] = '\0';
	for (unsigned long n = end; n-- > start && nr < FLIGHT_SHOWN;) {
		struct flight_event *e = &flight[n % FLIGHT_LEN];
		bool match = !nr_pfns || e->pfn == ~0UL;

		for (int i = 0; i < nr_pfns && !match; i++)
			match = e->pfn == pfns[i];
		if (match)
			picked[nr++] = n;
	}
	while (nr--) {
		struct flight_event *e = &flight[picked[nr] % FLIGHT_LEN];
		char page[32] = "";

		if (e->pfn != ~0UL)
			snprintf(page, sizeof(page), "pfn %#lx", e->pfn);
		used += (size_t)snprintf(out + used, cap - used,
					 "  %8llu us  %-18s %-22s %-12s %ld\n",
					 (unsigned long long)e->time, e->comm,
					 e->what, page, e->arg);
		if (used >= cap)
			break;
	}
	return out;
}

int flight_last_page_of(int pid, unsigned long *pfns)
{
	unsigned long end = __atomic_load_n(&flight_next, __ATOMIC_ACQUIRE);
	unsigned long start = end > FLIGHT_LEN ? end - FLIGHT_LEN : 0;

	for (unsigned long n = end; n-- > start;) {
		struct flight_event *e = &flight[n % FLIGHT_LEN];

		if (e->pid == pid && e->pfn != ~0UL) {
			pfns[0] = e->pfn;
			return 1;
		}
	}
	return 0;
}
