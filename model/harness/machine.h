/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One run's machine: what a scenario boots, and its tasks.
 */
#ifndef _HARNESS_MACHINE_H
#define _HARNESS_MACHINE_H

#include <linux/blkdev.h>
#include <linux/completion.h>
#include <linux/dma_dev.h>
#include <linux/fb.h>
#include <linux/fs.h>
#include <linux/writeback.h>

#include "scenario.h"
#include "watchdog.h"

struct machine;

struct actor_state {
	struct machine *m;
	const struct scn_actor *a;
	int idx;
	struct task_struct *task;
	struct mm_struct *mm;
	bool map_made[SCN_MAX_MAPS];	/* some mmap filled the slot */
	unsigned long map_addr[SCN_MAX_MAPS];
	u64 map_len[SCN_MAX_MAPS];
	int map_file[SCN_MAX_MAPS];
	u64 map_offset[SCN_MAX_MAPS];
	struct file *files[SCN_MAX_FILES];	/* open, by scenario file */
	struct dma_dev dev;
	struct page *refs_page;	/* OP_GET_REFS */
	unsigned int nr_refs;
	u64 seq;		/* stores and bursts done, for their patterns */
	/* Published for the watchdog (atomic): the step it is at, counted
	 * over its loops (loop * nr_steps + step), and that it is done. */
	u64 pos;
	bool done;
};

struct machine {
	const struct scenario *scn;
	u64 seed;
	struct block_device bdev;
	struct super_block sb;
	struct bdi_writeback wb;
	struct inode *inodes[SCN_MAX_FILES];
	struct fb_info *fbs[SCN_MAX_FILES];	/* the framebuffers */
	struct completion events[SCN_MAX_EVENTS];
	int signalled[SCN_MAX_EVENTS];	/* atomic: some step signalled it */
	u64 run_deadline;		/* model us: the run's end, at the latest */
	struct actor_state actors[SCN_MAX_ACTORS];
	struct task_struct *reclaim_starter;
	bool kswapd_running;
	int oopsed;			/* atomic */
	pthread_mutex_t lock;		/* the fields below */
	char error[512];
	char refused[256];
	char signals[448];		/* the first process a signal killed */
	long long readback_lost;
	char readback_why[256];
	char hang_class[16];
};

int machine_boot(struct machine *m, const struct scenario *scn,
		 const char *policy, u64 seed, bool echo_log);
void machine_start_actors(struct machine *m);
void machine_stop_kthreads(struct machine *m);
enum watch_end machine_stop_kthreads_watched(struct machine *m, u64 timeout,
					     struct hang_report *hr);
void machine_teardown(struct machine *m, bool killed);
void machine_error(struct machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pattern_fill(u8 *buf, u64 seed, u64 pos, size_t len);

#endif /* _HARNESS_MACHINE_H */
