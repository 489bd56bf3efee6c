// SPDX-License-Identifier: GPL-2.0
/*
 * A run: boot the machine, run the scenario's tasks, watch for hung tasks,
 * sync, ask the oracle, decide the verdict, tear everything down.
 *
 * The host thread that calls pinmm_run() is not a task: it is the watchdog
 * (the kernel's khungtaskd) and the judge.  It never runs kernel code while
 * tasks run, except to read what they publish for the hang report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/buffer_head.h>
#include <linux/jbd2.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/panic.h>
#include <linux/pin_policy.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched_det.h>
#include <linux/swap.h>
#include <linux/wait.h>
#include <pinmm/pinmm.h>

#include "../fs/ext4/ext4.h"
#include "machine.h"
#include "oracle.h"
#include "strategy.h"
#include "trace.h"

void buffer_heads_teardown(void);
void actor_main(void *arg);
extern struct bdi_writeback *vmscan_flusher;

static struct machine *running;

static void on_oops(void)
{
	if (running)
		__atomic_store_n(&running->oopsed, 1, __ATOMIC_RELEASE);
}

static void file_content(const struct machine *m, int f, unsigned char *buf,
			 u64 size)
{
	pattern_fill(buf, m->seed * 31 + (u64)f + 1, 0, size);
}

static int create_files(struct machine *m)
{
	const struct scenario *scn = m->scn;

	for (int f = 0; f < scn->nr_files; f++) {
		const struct scn_file *sf = &scn->files[f];
		unsigned char *data;
		int err = 0;

		if (sf->fb) {
			m->fbs[f] = calloc(1, sizeof(struct fb_info));
			if (!m->fbs[f])
				return -ENOMEM;
			err = fb_alloc(m->fbs[f], DIV_ROUND_UP(sf->size, PAGE_SIZE),
				       sf->fb_delay);
			if (!err)
				err = oracle_add_fb(m->fbs[f]);
			if (err)
				return err;
			m->inodes[f] = &m->fbs[f]->inode;
			continue;
		}
		data = malloc(sf->size ? sf->size : 1);
		if (!data)
			return -ENOMEM;
		file_content(m, f, data, sf->size);
		m->inodes[f] = ext4_create(&m->sb, sf->name, (loff_t)sf->size,
					   (loff_t)sf->max_size, data);
		if (!m->inodes[f])
			err = -ENOSPC;
		else
			err = oracle_add_file(m->inodes[f], sf->max_size, data);
		free(data);
		if (err)
			return err;
		ext4_open(m->inodes[f], &m->files[f]);
	}
	return 0;
}

static void start_kswapd(struct machine *m)
{
	for (int nid = 0; nid < nr_online_nodes; nid++)
		kswapd_run(NODE_DATA(nid), m->scn->reclaim_interval,
			   m->scn->reclaim_target);
	m->kswapd_running = true;
}

/* Memory pressure from outside begins when the scenario says so. */
static void reclaim_starter(void *arg)
{
	struct machine *m = arg;

	wait_for_completion(&m->events[m->scn->reclaim_start_event]);
	start_kswapd(m);
}

int machine_boot(struct machine *m, const struct scenario *scn,
		 const char *policy, u64 seed, bool echo_log)
{
	const struct pin_policy *pp = pin_policy_find(policy);
	u64 disk_bytes = 64ULL * scn->blocksize;
	int err;

	memset(m, 0, sizeof(*m));
	m->scn = scn;
	m->seed = seed;
	pthread_mutex_init(&m->lock, NULL);
	if (!pp)
		return -EINVAL;
	printk_reset(echo_log);
	lockdep_reset();
	clock_reset();
	sched_init(seed);
	vm_events_reset();
	wait_bit_init();
	pin_policy_set(pp);
	err = mem_init(scn->memory_pages, scn->nodes ? scn->nodes : 1);
	if (err)
		return err;
	err = oracle_init();
	if (err)
		return err;
	for (int f = 0; f < scn->nr_files; f++)
		disk_bytes += 2 * scn->files[f].max_size;
	err = blkdev_open(&m->bdev, NULL, disk_bytes);
	if (err)
		return err;
	err = ext4_fill_super(&m->sb, &m->bdev, scn->blocksize,
			      disk_bytes / scn->blocksize);
	if (err)
		return err;
	wb_init(&m->wb, &m->sb);
	m->wb.dirty_writeback_interval = scn->flusher_interval;
	m->wb.dirty_expire_interval = scn->dirty_expire;
	m->wb.periodic_sync_mode = scn->flusher_sync_all ? WB_SYNC_ALL : WB_SYNC_NONE;
	vmscan_flusher = &m->wb;
	err = create_files(m);
	if (err)
		return err;
	for (int e = 0; e < scn->nr_events; e++)
		init_completion_named(&m->events[e], scn->events[e]);
	printk(KERN_INFO "Linux version 4.18.0-pinmm (pinmm model), policy %s, seed %llu\n",
	       pp->name, (unsigned long long)seed);
	running = m;
	panic_set_notifier(on_oops);
	oracle_attach();
	wb_start_flusher(&m->wb);
	jbd2_journal_start_thread(m->sb.s_journal, scn->journal_commit_interval);
	for (int f = 0; f < scn->nr_files; f++)
		if (m->fbs[f])
			fb_deferred_io_init(m->fbs[f]);
	if (scn->reclaim_start_event < 0)
		start_kswapd(m);
	else
		m->reclaim_starter = kthread_run(reclaim_starter, m, "reclaim-start");
	return 0;
}

void machine_start_actors(struct machine *m)
{
	const struct scenario *scn = m->scn;

	for (int i = 0; i < scn->nr_actors; i++) {
		struct actor_state *as = &m->actors[i];

		as->m = m;
		as->a = &scn->actors[i];
		as->idx = i;
		dma_dev_init(&as->dev, as->a->name);
		if (as->a->kind == ACTOR_PROCESS)
			as->mm = mm_alloc(as->a->name);
		as->task = task_create(actor_main, as, as->a->name);
	}
	for (int i = 0; i < scn->nr_actors; i++)
		task_start(m->actors[i].task);
}

void machine_stop_kthreads(struct machine *m)
{
	if (m->reclaim_starter) {
		kthread_stop(m->reclaim_starter);
		task_free(m->reclaim_starter);
		m->reclaim_starter = NULL;
	}
	for (int nid = 0; nid < nr_online_nodes; nid++)
		kswapd_stop(NODE_DATA(nid));
	wb_stop_flusher(&m->wb);
	for (int f = 0; f < m->scn->nr_files; f++)
		if (m->fbs[f])
			fb_deferred_io_cleanup(m->fbs[f]);
	if (m->sb.s_journal)
		jbd2_journal_stop_thread(m->sb.s_journal);
}

/*
 * Free the machine.  After a kill, tasks died in the middle of kernel
 * paths: nothing is walked or unmapped, memory is just given back.
 */
void machine_teardown(struct machine *m, bool killed)
{
	const struct scenario *scn = m->scn;

	oracle_detach();
	panic_set_notifier(NULL);
	running = NULL;
	for (int i = 0; i < scn->nr_actors; i++) {
		struct actor_state *as = &m->actors[i];

		if (as->task) {
			task_join(as->task);
			task_free(as->task);
		}
		free(as->dev.pages);
		if (as->mm)
			mm_free_dead(as->mm);
	}
	for (int e = 0; e < scn->nr_events; e++)
		destroy_completion(&m->events[e]);
	for (int f = 0; f < scn->nr_files; f++) {
		if (!m->fbs[f])
			continue;
		fb_release(m->fbs[f], killed);
		free(m->fbs[f]);
	}
	buffer_heads_teardown();
	if (m->sb.s_block_bitmap) {
		wb_exit(&m->wb);
		ext4_put_super(&m->sb);
	}
	blkdev_close(&m->bdev);
	vmscan_flusher = NULL;
	oracle_exit();
	mem_exit();
	wait_bit_exit();
	sched_exit();
	pthread_mutex_destroy(&m->lock);
}

/* ---- the watchdog ---- */

struct hang_scan {
	u64 now;
	u64 timeout;
	struct task_struct *hung;
	char *buf;
	size_t len, used;
	unsigned long pfns[16];	/* pages the blocked tasks wait on */
	int nr_pfns;
};

static void find_hung(struct task_struct *t, void *arg)
{
	struct hang_scan *hs = arg;
	u64 since = __atomic_load_n(&t->wait_start, __ATOMIC_ACQUIRE);

	if (hs->hung || __atomic_load_n(&t->exited, __ATOMIC_ACQUIRE) || !since)
		return;
	if (hs->now > since && hs->now - since > hs->timeout)
		hs->hung = t;
}

static void describe_wchan(struct task_struct *t, char *buf, size_t len)
{
	const char *what = __atomic_load_n(&t->wchan, __ATOMIC_RELAXED);
	enum wchan_type type = __atomic_load_n(&t->wchan_type, __ATOMIC_RELAXED);
	const void *obj = __atomic_load_n(&t->wchan_obj, __ATOMIC_RELAXED);

	if (!what) {
		snprintf(buf, len, "-");
		return;
	}
	if (type == WCHAN_PAGE && obj) {
		const struct page *page = obj;
		struct address_space *mapping = page_mapping(page);

		snprintf(buf, len, "%s (page pfn %#lx, %s index %lu)", what,
			 page_to_pfn(page),
			 mapping && mapping->host && mapping->host->i_name ?
				 mapping->host->i_name : "no file",
			 READ_ONCE(((struct page *)page)->index));
		return;
	}
	snprintf(buf, len, "%s", what);
}

static void report_task(struct task_struct *t, void *arg)
{
	struct hang_scan *hs = arg;
	u64 since = __atomic_load_n(&t->wait_start, __ATOMIC_ACQUIRE);
	bool polling = __atomic_load_n(&t->polling, __ATOMIC_RELAXED);
	char wchan[256];
	char trace[2048] = "";
	void *stack[WAIT_STACK_DEPTH];
	int depth;

	if (__atomic_load_n(&t->exited, __ATOMIC_ACQUIRE) || hs->used + 512 >= hs->len)
		return;
	if (!since) {
		char state[64] = "not waiting";

		if (sched_det())
			det_task_state(t, state, sizeof(state));
		hs->used += (size_t)snprintf(hs->buf + hs->used, hs->len - hs->used,
					     "task %s:%d %s\n", t->comm, t->pid,
					     state);
		return;
	}
	describe_wchan(t, wchan, sizeof(wchan));
	if (__atomic_load_n(&t->wchan_type, __ATOMIC_RELAXED) == WCHAN_PAGE &&
	    hs->nr_pfns < 16) {
		const struct page *page = __atomic_load_n(&t->wchan_obj,
							  __ATOMIC_RELAXED);

		if (page)
			hs->pfns[hs->nr_pfns++] = page_to_pfn(page);
	}
	hs->used += (size_t)snprintf(hs->buf + hs->used, hs->len - hs->used,
				     "INFO: task %s:%d blocked for more than %llu us%s\n"
				     "  waiting in %s\n",
				     t->comm, t->pid,
				     (unsigned long long)(hs->now - since),
				     polling ? " (busy-waiting in a schedule() loop)" : "",
				     wchan);
	depth = __atomic_load_n(&t->wait_depth, __ATOMIC_RELAXED);
	for (int i = 0; i < depth; i++)
		stack[i] = __atomic_load_n(&t->wait_stack[i], __ATOMIC_RELAXED);
	format_trace(stack, depth, trace, sizeof(trace));
	if (hs->used + strlen(trace) + 16 < hs->len)
		hs->used += (size_t)snprintf(hs->buf + hs->used,
					     hs->len - hs->used,
					     "  Call Trace:\n%s", trace);
}

static bool actors_done(struct machine *m)
{
	for (int i = 0; i < m->scn->nr_actors; i++)
		if (!__atomic_load_n(&m->actors[i].done, __ATOMIC_ACQUIRE))
			return false;
	return true;
}

enum watch_end { WATCH_DONE, WATCH_OOPS, WATCH_HANG };

/*
 * Wait until @done(@arg), an oops, or a hung task.  On a hang, @report
 * gets khungtaskd's view of every waiting task.
 */
struct det_done {
	struct machine *m;
	bool (*done)(void *);
	void *arg;
};

static bool det_done_or_oops(void *arg)
{
	struct det_done *dd = arg;

	return __atomic_load_n(&dd->m->oopsed, __ATOMIC_ACQUIRE) ||
	       dd->done(dd->arg);
}

static enum watch_end hang_report(struct machine *m, struct task_struct *hung,
				  const char *class, char *report, size_t len,
				  unsigned long *pfns, int *nr_pfns)
{
	struct hang_scan hs = {
		.now = ktime_get_us(), .buf = report, .len = len, .hung = hung,
	};

	snprintf(m->hang_class, sizeof(m->hang_class), "%s", class);
	hs.used = (size_t)snprintf(report, len, "%s: %s\n", class,
				   !strcmp(class, "deadlock") ?
					   "no task can make progress" :
				   !strcmp(class, "livelock") ?
					   "too many scheduling points without an end" :
					   "a task waited longer than the hung-task timeout");
	for_each_task(report_task, &hs);
	memcpy(pfns, hs.pfns, sizeof(hs.pfns));
	*nr_pfns = hs.nr_pfns;
	return WATCH_HANG;
}

/*
 * Deterministic mode: the scheduler runs the tasks here until the
 * condition holds.  A hung task whose wait nothing can end (every other
 * task blocked or busy-waiting too) is reported as a deadlock.
 */
static enum watch_end watch_det(struct machine *m, bool (*done)(void *),
				void *arg, u64 timeout, char *report, size_t len,
				unsigned long *pfns, int *nr_pfns)
{
	struct det_done dd = { .m = m, .done = done, .arg = arg };
	struct task_struct *hung;
	enum det_end end = det_run(det_done_or_oops, &dd, timeout, &hung);

	switch (end) {
	case DET_DONE:
		return __atomic_load_n(&m->oopsed, __ATOMIC_ACQUIRE) ? WATCH_OOPS :
									WATCH_DONE;
	case DET_DEADLOCK:
		return hang_report(m, NULL, "deadlock", report, len, pfns, nr_pfns);
	case DET_LIVELOCK:
		return hang_report(m, NULL, "livelock", report, len, pfns, nr_pfns);
	case DET_HUNG:
		break;
	}
	return hang_report(m, hung, det_all_stuck() ? "deadlock" : "hung task",
			   report, len, pfns, nr_pfns);
}

static enum watch_end watch(struct machine *m, bool (*done)(void *), void *arg,
			    u64 timeout, char *report, size_t len,
			    unsigned long *pfns, int *nr_pfns)
{
	u64 deadline = ktime_get_us() + m->scn->run_timeout;

	if (sched_det())
		return watch_det(m, done, arg, timeout, report, len, pfns, nr_pfns);

	for (;;) {
		struct hang_scan hs = { .timeout = timeout };

		if (__atomic_load_n(&m->oopsed, __ATOMIC_ACQUIRE))
			return WATCH_OOPS;
		if (done(arg))
			return WATCH_DONE;
		hs.now = ktime_get_us();
		for_each_task(find_hung, &hs);
		if (hs.hung || hs.now > deadline) {
			if (!hs.hung) {
				snprintf(m->hang_class, sizeof(m->hang_class),
					 "timeout");
				hs.buf = report;
				hs.len = len;
				hs.used = (size_t)snprintf(report, len,
							   "the run did not finish in %llu us\n",
							   (unsigned long long)m->scn->run_timeout);
				for_each_task(report_task, &hs);
				memcpy(pfns, hs.pfns, sizeof(hs.pfns));
				*nr_pfns = hs.nr_pfns;
				return WATCH_HANG;
			}
			return hang_report(m, hs.hung, "hung task", report, len,
					   pfns, nr_pfns);
		}
		usleep(200);
	}
}

static bool watch_actors(void *arg)
{
	return actors_done(arg);
}

struct final_sync {
	struct machine *m;
	bool done;
};

static void final_sync_fn(void *arg)
{
	struct final_sync *fs = arg;

	sync_filesystem(&fs->m->sb);
	for (int f = 0; f < fs->m->scn->nr_files; f++)
		if (fs->m->fbs[f])
			fb_deferred_io_flush(fs->m->fbs[f]);
	__atomic_store_n(&fs->done, true, __ATOMIC_RELEASE);
}

static bool watch_sync(void *arg)
{
	struct final_sync *fs = arg;

	return __atomic_load_n(&fs->done, __ATOMIC_ACQUIRE);
}

/* ---- the judge ---- */

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

static enum pinmm_verdict judge(const struct pinmm_result *r, bool hung)
{
	if (r->oops[0])
		return PINMM_OOPS;
	if (hung)
		return PINMM_HANG;
	if (r->refused[0])
		return PINMM_REFUSED;
	if (r->error[0])
		return PINMM_ERROR;
	if (r->bytes_lost > 0)
		return PINMM_DATA_LOSS;
	if (r->warnings)
		return PINMM_WARN;
	return PINMM_PASS;
}


/*
 * One run of @scn.  With @strat the machine runs under the deterministic
 * scheduler, driven by that strategy; without, on free-running threads.
 */
static int run_scenario(const struct scenario *scn, const char *policy,
			uint64_t seed, const struct pinmm_options *opts,
			struct strategy *strat, struct pinmm_result *r)
{
	struct machine *m;
	enum watch_end end;
	struct final_sync fs = { 0 };
	struct task_struct *syncer = NULL;
	u64 timeout, device = 0;
	bool hung = false;
	unsigned long pfns[16];
	int nr_pfns = 0;
	int err;

	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(r->error, sizeof(r->error), "out of memory");
		return -1;
	}
	if (strat)
		det_init(&strat->ops, 0);
	err = machine_boot(m, scn, policy, seed, opts->echo_log);
	if (err) {
		snprintf(r->error, sizeof(r->error), "cannot boot the machine: %s",
			 strerror(-err));
		machine_teardown(m, false);
		if (strat)
			det_exit();
		free(m);
		return -1;
	}
	timeout = opts->hung_task_timeout_us ? opts->hung_task_timeout_us :
					       scn->hung_task_timeout;
	if (opts->trace_path)
		chrome_trace_start();
	machine_start_actors(m);
	end = watch(m, watch_actors, m, timeout, r->hang, sizeof(r->hang),
		    pfns, &nr_pfns);
	if (end == WATCH_DONE) {
		fs.m = m;
		syncer = kthread_run(final_sync_fn, &fs, "sync");
		end = watch(m, watch_sync, &fs, timeout, r->hang, sizeof(r->hang),
			    pfns, &nr_pfns);
	}
	if (end != WATCH_DONE)
		sched_kill_all();
	if (syncer) {
		task_join(syncer);
		task_free(syncer);
	}
	for (int i = 0; i < scn->nr_actors; i++)
		task_join(m->actors[i].task);
	machine_stop_kthreads(m);
	hung = end == WATCH_HANG;

	collect_oops(r);
	pthread_mutex_lock(&m->lock);
	snprintf(r->refused, sizeof(r->refused), "%s", m->refused);
	snprintf(r->error, sizeof(r->error), "%s", m->error);
	snprintf(r->hang_class, sizeof(r->hang_class), "%s", hung ? m->hang_class : "");
	r->bytes_lost = m->readback_lost;
	snprintf(r->loss, sizeof(r->loss), "%s", m->readback_why);
	pthread_mutex_unlock(&m->lock);
	if (end == WATCH_DONE) {
		long long lost = oracle_check(r->loss[0] ? NULL : r->loss,
					      sizeof(r->loss), &device);

		r->bytes_checked = true;
		r->bytes_lost += lost;
	}
	snprintf(r->lockdep, sizeof(r->lockdep), "%s", lockdep_report());
	collect_counters(r);
	r->verdict = judge(r, hung);
	r->end_state = end_state_digest(r, device);
	r->duration_us = ktime_get_us();
	if (strat) {
		r->steps = det_steps();
		r->choice_points = det_choice_points();
	}
	r->log = strdup(dmesg());
	if (opts->trace_path &&
	    chrome_trace_finish(opts->trace_path, r->scenario, r->policy, seed,
				pinmm_verdict_name(r->verdict)))
		snprintf(r->error, sizeof(r->error), "cannot write the trace to %s",
			 opts->trace_path);
	if (r->verdict != PINMM_PASS) {
		if (r->oops[0])
			nr_pfns = flight_last_page_of(oops_state()->pid, pfns);
		r->flight = flight_recorder_dump(pfns, nr_pfns);
	}
	machine_teardown(m, end != WATCH_DONE);
	if (strat)
		det_exit();
	free(m);
	return 0;
}

static void copy_decisions(struct pinmm_result *r, const struct strategy *s)
{
	r->preemptions = s->preemptions;
	r->diverged = s->diverged;
	r->decisions = calloc(s->nr_log ? s->nr_log : 1, sizeof(*r->decisions));
	if (!r->decisions)
		return;
	for (size_t i = 0; i < s->nr_log; i++)
		r->decisions[i] = (struct pinmm_decision){
			.pid = s->log[i].pid,
			.nr_runnable = s->log[i].nr_runnable,
			.cur_pid = s->log[i].cur_pid,
			.preemption = s->log[i].preemption,
			.resumed = s->log[i].resumed,
			.runnable = s->log[i].runnable,
			.sleep = s->log[i].sleep,
			.explored = s->log[i].explored,
		};
	r->nr_decisions = (int)s->nr_log;
}

static int run_resolved(const struct scenario *scn, const char *policy,
			uint64_t seed, const struct pinmm_options *opts,
			struct pinmm_result *r);

/* @scenario is a built-in name, or a path (pinmm_scenario_is_file()). */
int pinmm_run(const char *scenario, const char *policy, uint64_t seed,
	      const struct pinmm_options *opts, struct pinmm_result *r)
{
	struct scenario *loaded = NULL;
	const struct scenario *scn;
	char err[256] = "";
	int ret;

	if (pinmm_scenario_is_file(scenario)) {
		loaded = scenario_load(scenario, err, sizeof(err));
		scn = loaded;
	} else {
		scn = scenario_find(scenario);
	}
	memset(r, 0, sizeof(*r));
	snprintf(r->scenario, sizeof(r->scenario), "%s",
		 scn && scn->name ? scn->name : scenario);
	snprintf(r->policy, sizeof(r->policy), "%s", policy);
	r->seed = seed;
	r->verdict = PINMM_ERROR;
	if (!scn) {
		if (err[0])
			snprintf(r->error, sizeof(r->error), "%s", err);
		else
			snprintf(r->error, sizeof(r->error), "unknown scenario '%s'",
				 scenario);
		return -1;
	}
	ret = run_resolved(scn, policy, seed, opts, r);
	if (loaded)
		scenario_free(loaded);
	return ret;
}

static int run_resolved(const struct scenario *scn, const char *policy,
			uint64_t seed, const struct pinmm_options *opts,
			struct pinmm_result *r)
{
	struct pinmm_options defaults = { 0 };
	struct strategy strat;
	struct decision *forced = NULL;
	int ret;

	if (!opts)
		opts = &defaults;
	if (!pin_policy_find(policy)) {
		snprintf(r->error, sizeof(r->error), "unknown policy '%s'", policy);
		return -1;
	}
	if (opts->sched != PINMM_SCHED_DET)
		return run_scenario(scn, policy, seed, opts, NULL, r);

	if (strategy_parse(&strat, opts->strategy ? opts->strategy : "fifo",
			   opts->strategy_seed, opts->expected_points, r->error,
			   sizeof(r->error)))
		return -1;
	if (opts->nr_forced > 0) {
		forced = calloc((size_t)opts->nr_forced, sizeof(*forced));
		if (!forced) {
			snprintf(r->error, sizeof(r->error), "out of memory");
			return -1;
		}
		for (int i = 0; i < opts->nr_forced; i++)
			forced[i] = (struct decision){
				.pid = opts->forced[i].pid,
				.explored = opts->forced[i].explored,
			};
		strat.forced = forced;
		strat.nr_forced = (size_t)opts->nr_forced;
	}
	ret = run_scenario(scn, policy, seed, opts, &strat, r);
	copy_decisions(r, &strat);
	strategy_free(&strat);
	free(forced);
	return ret;
}

void pinmm_result_free(struct pinmm_result *r)
{
	free(r->log);
	free(r->flight);
	free(r->counters);
	free(r->decisions);
	r->log = NULL;
	r->flight = NULL;
	r->counters = NULL;
	r->decisions = NULL;
}

long pinmm_result_counter(const struct pinmm_result *r, const char *name)
{
	for (int i = 0; i < r->nr_counters; i++)
		if (!strcmp(r->counters[i].name, name))
			return r->counters[i].value;
	return -1;
}

static const char *const verdict_names[] = {
	[PINMM_PASS] = "pass",		[PINMM_WARN] = "warn",
	[PINMM_DATA_LOSS] = "data-loss", [PINMM_HANG] = "hang",
	[PINMM_OOPS] = "oops",		[PINMM_REFUSED] = "refused",
	[PINMM_ERROR] = "error",
};

const char *pinmm_verdict_name(enum pinmm_verdict v)
{
	if ((unsigned int)v >= ARRAY_SIZE(verdict_names))
		return "?";
	return verdict_names[v];
}

const char *const *pinmm_scenario_names(void)
{
	static const char *names[32];

	if (!names[0])
		for (int i = 0; builtin_scenarios[i] && i < 31; i++)
			names[i] = builtin_scenarios[i]->name;
	return names;
}

const char *pinmm_scenario_description(const char *name)
{
	const struct scenario *scn = scenario_find(name);

	return scn ? scn->description : NULL;
}

const char *const *pinmm_policy_names(void)
{
	static const char *names[8];

	if (!names[0])
		for (int i = 0; pin_policies[i] && i < 7; i++)
			names[i] = pin_policies[i]->name;
	return names;
}

const char *pinmm_policy_description(const char *name)
{
	const struct pin_policy *pp = pin_policy_find(name);

	return pp ? pp->description : NULL;
}
