// SPDX-License-Identifier: GPL-2.0
/*
 * One run's machine (machine.h): boot it from a scenario (memory, the
 * block device, the filesystem and its files, the flusher, the journal,
 * kswapd, the observers), start the scenario's actors, stop the kernel
 * threads, and free it all.
 *
 * Locking: the harness's host thread boots and frees the machine while no
 * task runs; m->lock guards what tasks report to the judge (machine.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/buffer_head.h>
#include <linux/jbd2.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/panic.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched_det.h>
#include <linux/swap.h>
#include <linux/wait.h>

#include "../fs/ext4/ext4.h"
#include "../mm/pin_policy.h"
#include "flight.h"
#include "machine.h"
#include "oracle.h"
#include "latency.h"
#include "unstable.h"
#include "watchdog.h"

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
	}
	return 0;
}

static void stop_kswapd_nowait(void)
{
	for (int nid = 0; nid < nr_online_nodes; nid++)
		kthread_stop_nowait(NODE_DATA(nid)->kswapd);
}

static void start_kswapd(struct machine *m)
{
	for (int nid = 0; nid < nr_online_nodes; nid++)
		kswapd_run(NODE_DATA(nid), m->scn->reclaim_interval,
			   m->scn->reclaim_target);
	m->kswapd_running = true;
}

/*
 * Memory pressure from outside begins when the scenario says so; the
 * actor that was to signal it may stop before it does, so the wait ends
 * at kthread_stop() too.
 */
static void reclaim_starter(void *arg)
{
	struct machine *m = arg;
	struct completion *start = &m->events[m->scn->reclaim_start_event];

	wait_event_named(start->wait,
			 completion_done(start) || kthread_should_stop(),
			 start->name);
	if (kthread_should_stop())
		return;
	start_kswapd(m);
	/*
	 * The request to stop may have come while kswapd was being created:
	 * the harness's walk of the task list then reached us but not kswapd,
	 * so pass the request on.
	 */
	if (kthread_should_stop())
		stop_kswapd_nowait();
}

/*
 * The observers every run has: the oracle, the pin observer (unstable
 * writes, stable-write check, pin false positives), fsync latency and the
 * flight recorder, each on its own probes.
 */
static int machine_observe(struct machine *m)
{
	int err = oracle_attach();

	if (!err)
		err = unstable_writes_start(max_pfn);
	if (!err)
		err = fsync_latency_start();
	if (!err)
		err = flight_recorder_start();
	return err;
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
	err = machine_observe(m);
	if (err)
		return err;
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

static void request_stop(struct task_struct *t, void *arg)
{
	if ((t->flags & PF_KTHREAD) && !__atomic_load_n(&t->exited, __ATOMIC_ACQUIRE))
		kthread_stop_nowait(t);
}

static void find_kthread(struct task_struct *t, void *arg)
{
	if ((t->flags & PF_KTHREAD) && !__atomic_load_n(&t->exited, __ATOMIC_ACQUIRE))
		*(bool *)arg = true;
}

static bool kthreads_exited(void *arg)
{
	bool alive = false;

	(void)arg;
	for_each_task(find_kthread, &alive);
	return !alive && (!sched_det() || det_idle());
}

/*
 * Stop the kernel threads of a machine whose tasks ran to their end:
 * every one is asked at once, and the watchdog watches them leave, so a
 * kernel thread stuck in a wait is a hang with its wait named, not a join
 * that never returns.  Then they are joined and freed.
 */
enum watch_end machine_stop_kthreads_watched(struct machine *m, u64 timeout,
					     struct hang_report *hr)
{
	enum watch_end end;

	for_each_task(request_stop, NULL);
	end = watch_idle(m, kthreads_exited, m, timeout, hr);
	if (end != WATCH_DONE)
		sched_kill_all();
	machine_stop_kthreads(m);
	return end;
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
	flight_recorder_stop();
	unstable_writes_stop();
	fsync_latency_stop();
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
	files_teardown();
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
