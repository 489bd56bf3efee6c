// SPDX-License-Identifier: GPL-2.0
/*
 * The built-in scenarios (SCENARIOS.md).
 */
#include <string.h>

#include "scenario.h"

#define KiB 1024ULL
#define PAGE 4096ULL

/*
 * seed-bug (SEMANTICS.md section 7).  The process writes a 16-page file
 * through a shared mapping; a device pins it and writes it by DMA in eight
 * bursts a millisecond apart, then releases it dirty.  The flusher cleans
 * every 200 us; kswapd scans the file LRU every 300 us from the moment the
 * pin is in place.  The ordering that breaks 2018's kernel:
 *   pin -> writeback cleans the page -> reclaim unmaps it and drops its
 *   buffers (removal fails on the gup reference) -> DMA -> release dirty ->
 *   writeback -> BUG in ext4_writepage.
 */
static const struct scenario seed_bug = {
	.name = "seed-bug",
	.description = "pin, DMA in bursts, release dirty, with flusher and reclaim (the 2018 crash)",
	.memory_pages = 256,
	.nodes = 1,
	.blocksize = 4096,
	.nr_files = 1,
	.files = { { .name = "f0", .size = 16 * PAGE, .max_size = 16 * PAGE } },
	.nr_events = 3,
	.events = { "mapped", "pinned", "released" },
	.nr_actors = 2,
	.actors = {
		{
			.kind = ACTOR_PROCESS, .name = "proc0", .nr_steps = 5,
			.steps = {
				{ .op = OP_MMAP, .file = 0, .offset = 0, .len = 16 * PAGE },
				{ .op = OP_STORE, .map = 0, .offset = 0, .len = 16 * PAGE },
				{ .op = OP_SIGNAL, .event = 0 },
				{ .op = OP_WAIT, .event = 2 },
				{ .op = OP_MUNMAP, .map = 0 },
			},
		},
		{
			.kind = ACTOR_DEVICE, .name = "rdma0", .nr_steps = 6,
			.steps = {
				{ .op = OP_WAIT, .event = 0 },
				{ .op = OP_PIN, .target = 0, .map = 0, .offset = 0, .len = 16 * PAGE, .write = true },
				{ .op = OP_SIGNAL, .event = 1 },
				{ .op = OP_DMA, .offset = 0, .len = 16 * PAGE, .count = 8, .gap = 1000 },
				{ .op = OP_RELEASE, .dirty = true },
				{ .op = OP_SIGNAL, .event = 2 },
			},
		},
	},
	.flusher_interval = 200,
	.reclaim_interval = 300,
	.reclaim_target = 64,
	.reclaim_start_event = 1,
	.hung_task_timeout = 2000000,
	.run_timeout = 20000000,
};

/*
 * baseline: no devices.  Two processes share a 128-page file in 96 pages of
 * memory, each storing to its own half and reading pages back (which are
 * evicted and read in again from the device); one fsyncs now and then.
 * Midway the file is truncated to 80 pages and extended back, and both go
 * on writing, into the holes too.
 */
#define BASELINE_ROUND(idx, half)                                              \
	{ .op = OP_STORE, .map = 0, .offset = (half) * 64 * PAGE,              \
	  .len = 64 * PAGE, .count = 24, .random = true },                     \
	{ .op = OP_VERIFY, .map = 0, .offset = (half) * 64 * PAGE,             \
	  .len = 64 * PAGE }

static const struct scenario baseline = {
	.name = "baseline",
	.description = "two processes share a file under a small memory limit; flusher, fsync, reclaim, truncate down and up",
	.memory_pages = 96,
	.nodes = 1,
	.blocksize = 4096,
	.nr_files = 1,
	.files = { { .name = "f0", .size = 128 * PAGE, .max_size = 128 * PAGE } },
	.nr_events = 3,
	.events = { "phase1-done", "truncated", "p1-phase1-done" },
	.nr_actors = 2,
	.actors = {
		{
			.kind = ACTOR_PROCESS, .name = "proc0", .nr_steps = 14,
			.steps = {
				{ .op = OP_MMAP, .file = 0, .offset = 0, .len = 128 * PAGE },
				BASELINE_ROUND(0, 0),
				{ .op = OP_FSYNC, .file = 0 },
				BASELINE_ROUND(1, 0),
				BASELINE_ROUND(2, 0),
				{ .op = OP_FSYNC, .file = 0 },
				{ .op = OP_SIGNAL, .event = 0 },
				{ .op = OP_WAIT, .event = 1 },
				BASELINE_ROUND(3, 0),
				{ .op = OP_FSYNC, .file = 0 },
			},
		},
		{
			.kind = ACTOR_PROCESS, .name = "proc1", .nr_steps = 13,
			.steps = {
				{ .op = OP_MMAP, .file = 0, .offset = 0, .len = 128 * PAGE },
				BASELINE_ROUND(0, 1),
				BASELINE_ROUND(1, 1),
				BASELINE_ROUND(2, 1),
				{ .op = OP_WAIT, .event = 0 },
				{ .op = OP_TRUNCATE, .file = 0, .len = 80 * PAGE },
				{ .op = OP_TRUNCATE, .file = 0, .len = 128 * PAGE },
				{ .op = OP_SIGNAL, .event = 1 },
				BASELINE_ROUND(3, 1),
			},
		},
	},
	.flusher_interval = 1000,
	.reclaim_start_event = -1,
	.hung_task_timeout = 5000000,
	.run_timeout = 60000000,
};

const struct scenario *const builtin_scenarios[] = {
	&seed_bug,
	&baseline,
	NULL,
};

const struct scenario *scenario_find(const char *name)
{
	for (int i = 0; builtin_scenarios[i]; i++)
		if (!strcmp(builtin_scenarios[i]->name, name))
			return builtin_scenarios[i];
	return NULL;
}
