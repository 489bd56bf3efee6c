// SPDX-License-Identifier: GPL-2.0
/*
 * The judge (watchdog.h): once a run's tasks have stopped, collect what
 * happened (the oops, the warnings, what the tasks reported, the
 * counters), ask the oracle about the block device, decide the verdict,
 * and digest the end state.
 *
 * Locking: none of its own; the tasks have stopped, and m->lock covers
 * what they reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/lockdep.h>
#include <linux/panic.h>
#include <linux/vmstat.h>
#include <pinmm/pinmm.h>

#include "latency.h"
#include "machine.h"
#include "oracle.h"
#include "watchdog.h"

static void collect_counters(struct pinmm_result *r)
{
	r->nr_counters = NR_VM_EVENT_ITEMS;
	r->counters = calloc(NR_VM_EVENT_ITEMS, sizeof(*r->counters));
	if (!r->counters) {
		r->nr_counters = 0;
		return;
	}
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		r->counters[i].name = vm_event_names[i];
		r->counters[i].value = vm_event_read(i);
	}
}

static u64 mix(u64 h, u64 v)
{
	return (h ^ v) * 0x100000001b3ULL;
}

static u64 mix_str(u64 h, const char *str)
{
	while (*str)
		h = mix(h, (unsigned char)*str++);
	return mix(h, 0);
}

/* The device's digest (oracle_check()), the verdict and the counters. */
static u64 end_state_digest(const struct pinmm_result *r, u64 device)
{
	u64 h = mix(0xcbf29ce484222325ULL, device);

	h = mix(h, r->verdict);
	h = mix(h, (u64)r->bytes_lost);
	h = mix(h, (u64)r->fsync_lost);
	h = mix(h, (u64)r->warnings);
	h = mix_str(h, r->oops);
	h = mix_str(h, r->hang_class);
	for (int i = 0; i < r->nr_counters; i++)
		h = mix(h, (u64)r->counters[i].value);
	return h;
}

static void collect_oops(struct pinmm_result *r)
{
	const struct oops_state *os = oops_state();

	if (os->count) {
		snprintf(r->oops, sizeof(r->oops), "%s", os->line);
		snprintf(r->oops_task, sizeof(r->oops_task), "%s", os->comm);
		snprintf(r->oops_trace, sizeof(r->oops_trace), "%s", os->trace);
		snprintf(r->oops_functions, sizeof(r->oops_functions), "%s",
			 os->functions);
	}
	r->warnings = os->warnings;
	if (os->warnings)
		snprintf(r->warn, sizeof(r->warn), "%s", os->warn_line);
}

/*
 * The first cause wins: an oops; a refused pin or a failed step, which
 * leave the tasks waiting for them stranded (their hang report is kept);
 * a hang; lost data; a warning.
 */
static enum pinmm_verdict judge(const struct pinmm_result *r, bool hung)
{
	if (r->oops[0])
		return PINMM_OOPS;
	if (r->refused[0])
		return PINMM_REFUSED;
	if (r->error[0])
		return PINMM_ERROR;
	if (hung)
		return PINMM_HANG;
	if (r->bytes_lost > 0 || r->fsync_lost > 0)
		return PINMM_DATA_LOSS;
	if (r->warnings)
		return PINMM_WARN;
	return PINMM_PASS;
}

/*
 * The verdict of a run that ended as @end, from what the machine and the
 * kernel log recorded and, when the run got that far, the oracle's check
 * of the block device; and the digest of the end state.
 */
void judge_run(struct machine *m, enum watch_end end, struct pinmm_result *r)
{
	bool hung = end == WATCH_HANG;
	u64 device = 0;

	collect_oops(r);
	pthread_mutex_lock(&m->lock);
	snprintf(r->refused, sizeof(r->refused), "%s", m->refused);
	snprintf(r->error, sizeof(r->error), "%s", m->error);
	snprintf(r->signals, sizeof(r->signals), "%s", m->signals);
	snprintf(r->hang_class, sizeof(r->hang_class), "%s", hung ? m->hang_class : "");
	r->bytes_lost = m->readback_lost;
	snprintf(r->loss, sizeof(r->loss), "%s", m->readback_why);
	pthread_mutex_unlock(&m->lock);
	r->fsync_lost = oracle_durability(r->loss[0] ? NULL : r->loss,
					  sizeof(r->loss));
	if (end == WATCH_DONE) {
		long long lost = oracle_check(r->loss[0] ? NULL : r->loss,
					      sizeof(r->loss), &device);

		r->bytes_checked = true;
		r->bytes_lost += lost;
	}
	snprintf(r->lockdep, sizeof(r->lockdep), "%s", lockdep_report());
	collect_counters(r);
	r->fsync_us = fsync_latency_collect(&r->nr_fsyncs);
	r->verdict = judge(r, hung);
	/* The class is of a hang verdict; a stranded wait's report stays. */
	if (r->verdict != PINMM_HANG)
		r->hang_class[0] = '\0';
	r->end_state = end_state_digest(r, device);
}

