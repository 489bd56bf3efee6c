// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario files (harness/scenario_*.c, docs/scenario-format.md): the
 * examples parse to the expected fields, each class of error is reported
 * at its FILE:LINE with its key, and the embedded seed-bug and baseline
 * are the C tables they replaced and behave as before.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <pinmm/pinmm.h>

#include "../harness/scenario.h"
#include "helpers.h"

/* The C tables that harness/builtin.c had before the files replaced them. */
#define KiB 1024ULL
#define PAGE 4096ULL

/*
 * seed-bug (docs/semantics.md §7).  The process writes a 16-page file
 * through a shared mapping; a device pins it and writes it by DMA in eight
 * bursts a millisecond apart, then releases it dirty.  The flusher cleans
 * every 200 us; kswapd scans the file LRU every 300 us from the moment the
 * pin is in place.  The ordering that breaks 2018's kernel:
 *   pin -> writeback cleans the page -> reclaim unmaps it and drops its
 *   buffers (removal fails on the gup reference) -> DMA -> release dirty ->
 *   writeback -> BUG in ext4_writepage.
 */
static const struct scenario seed_bug_c = {
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

static const struct scenario baseline_c = {
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


static void assert_same_step(const struct scn_step *x, const struct scn_step *y)
{
	assert_int_equal(x->op, y->op);
	assert_int_equal(x->file, y->file);
	/* the tables' mmaps filled the next slot, as map=-1 says */
	if (x->op != OP_MMAP)
		assert_int_equal(x->map, y->map);
	assert_int_equal(x->target, y->target);
	assert_int_equal(x->offset, y->offset);
	assert_int_equal(x->len, y->len);
	/* count 0 and 1 both mean once for a store or a dma */
	assert_int_equal(x->count ? x->count : 1, y->count ? y->count : 1);
	assert_int_equal(x->gap, y->gap);
	assert_int_equal(x->dirty, y->dirty);
	assert_int_equal(x->longterm, y->longterm);
	assert_int_equal(x->random, y->random);
	assert_int_equal(x->write, y->write);
	assert_int_equal(x->event, y->event);
}

static void assert_same_scenario(const struct scenario *x,
				 const struct scenario *y)
{
	assert_string_equal(x->name, y->name);
	assert_string_equal(x->description, y->description);
	assert_int_equal(x->memory_pages, y->memory_pages);
	assert_int_equal(x->nodes, y->nodes);
	assert_int_equal(x->blocksize, y->blocksize);
	assert_int_equal(x->nr_files, y->nr_files);
	for (int f = 0; f < x->nr_files; f++) {
		assert_string_equal(x->files[f].name, y->files[f].name);
		assert_int_equal(x->files[f].size, y->files[f].size);
		assert_int_equal(x->files[f].max_size, y->files[f].max_size);
		assert_int_equal(x->files[f].fb, y->files[f].fb);
		if (x->files[f].fb)
			assert_int_equal(x->files[f].fb_delay, y->files[f].fb_delay);
	}
	assert_int_equal(x->nr_events, y->nr_events);
	for (int e = 0; e < x->nr_events; e++)
		assert_string_equal(x->events[e], y->events[e]);
	assert_int_equal(x->nr_actors, y->nr_actors);
	for (int a = 0; a < x->nr_actors; a++) {
		assert_int_equal(x->actors[a].kind, y->actors[a].kind);
		assert_string_equal(x->actors[a].name, y->actors[a].name);
		assert_int_equal(x->actors[a].loops, y->actors[a].loops);
		assert_int_equal(x->actors[a].nr_steps, y->actors[a].nr_steps);
		for (int i = 0; i < x->actors[a].nr_steps; i++)
			assert_same_step(&x->actors[a].steps[i],
					 &y->actors[a].steps[i]);
	}
	assert_int_equal(x->flusher_interval, y->flusher_interval);
	assert_int_equal(x->dirty_expire, y->dirty_expire);
	assert_int_equal(x->flusher_sync_all, y->flusher_sync_all);
	assert_int_equal(x->reclaim_interval, y->reclaim_interval);
	/* kswapd's target only matters for forced passes */
	if (x->reclaim_interval)
		assert_int_equal(x->reclaim_target, y->reclaim_target);
	assert_int_equal(x->reclaim_start_event, y->reclaim_start_event);
	assert_int_equal(x->journal_commit_interval, y->journal_commit_interval);
	assert_int_equal(x->hung_task_timeout, y->hung_task_timeout);
	assert_int_equal(x->run_timeout, y->run_timeout);
}

static void test_embedded_are_the_old_tables(void **state)
{
	assert_same_scenario(scenario_find("seed-bug"), &seed_bug_c);
	assert_same_scenario(scenario_find("baseline"), &baseline_c);
	assert_null(pinmm_scenario_error("seed-bug"));
	assert_non_null(strstr(pinmm_scenario_text("seed-bug"), "[device rdma0]"));
	assert_null(pinmm_scenario_text("no-such"));
	assert_null(scenario_find("no-such"));
}

static void test_every_file_is_listed(void **state)
{
	const char *const *names = pinmm_scenario_names();
	int n = 0;

	for (int i = 0; scn_embedded[i].name; i++) {
		assert_string_equal(names[i], scn_embedded[i].name);
		assert_ptr_equal(builtin_scenarios[i], &scn_embedded_storage[i]);
		assert_non_null(scenario_find(names[i]));
		n++;
	}
	assert_null(names[n]);
	assert_null(builtin_scenarios[n]);
	assert_true(n >= 2);
}

/* ---- parsing text ---- */

static char err[16384];

static int parse(struct scenario *scn, const char *text)
{
	memset(scn, 0, sizeof(*scn));
	return scenario_parse(scn, "t", "t.ini", text, strlen(text), err,
			      sizeof(err));
}

/* The example of the issue (and of docs/scenario-format.md). */
static const char example[] =
	"# comments with # or ;\n"
	"[global]\n"
	"description = one line (required)\n"
	"memory = 256            ; pages of 4 KiB (default 256)\n"
	"nodes = 1               ; 1..4\n"
	"blocksize = 4096        ; 1024, 2048 or 4096\n"
	"events = mapped, pinned ; every event used must be declared here\n"
	"hung_task_timeout = 2s  ; default 2000000 us\n"
	"run_timeout = 30s       ; default 30 s\n"
	"\n"
	"[file f0]               ; up to 8 files and framebuffers together\n"
	"size = 16p              ; bytes; suffixes k (KiB), m (MiB), p (4 KiB pages)\n"
	"max_size = 16p          ; default: size\n"
	"\n"
	"[fb fb0]                ; a framebuffer with deferred I/O (scn_file.fb)\n"
	"size = 4p\n"
	"delay = 200us           ; default 1000 us\n"
	"\n"
	"[flusher]\n"
	"interval = 200us        ; 0: only on demand (sync, reclaim); default 5 ms\n"
	"expire = 0              ; default 0\n"
	"sync = none             ; none (WB_SYNC_NONE, default) or all\n"
	"\n"
	"[reclaim]               ; kswapd's forced passes (memory pressure from outside)\n"
	"interval = 300us        ; 0: watermarks only (default 0)\n"
	"target = 64             ; pages per pass (default 32)\n"
	"start = boot            ; boot, or an event name\n"
	"\n"
	"[journal]\n"
	"commit_interval = 0     ; us; 0: commits only on fsync/sync/commit steps\n"
	"\n"
	"[process proc0]         ; or [device NAME] or [kthread NAME]; up to 16 actors\n"
	"loops = 0               ; run the steps this many extra times\n"
	"step = mmap file=f0 offset=0 len=16p      ; map slots 0,1,... in order\n"
	"step = store map=0 offset=0 len=16p count=1 random=no\n"
	"step = signal event=mapped\n"
	"\n"
	"[device dev0]\n"
	"step = wait event=mapped\n"
	"step = pin process=proc0 offset=4p len=8p longterm=yes\n"
	"step = signal event=pinned\n"
	"step = dma offset=1p count=3 gap=1ms\n"
	"step = release dirty=no\n";

static void test_example(void **state)
{
	struct scenario s;
	const struct scn_step *st;

	assert_int_equal(parse(&s, example), 0);
	assert_string_equal(s.name, "t");
	assert_string_equal(s.description, "one line (required)");
	assert_int_equal(s.memory_pages, 256);
	assert_int_equal(s.nodes, 1);
	assert_int_equal(s.blocksize, 4096);
	assert_int_equal(s.nr_events, 2);
	assert_string_equal(s.events[0], "mapped");
	assert_string_equal(s.events[1], "pinned");
	assert_int_equal(s.hung_task_timeout, 2000000);
	assert_int_equal(s.run_timeout, 30000000);
	assert_int_equal(s.nr_files, 2);
	assert_string_equal(s.files[0].name, "f0");
	assert_int_equal(s.files[0].size, 65536);
	assert_int_equal(s.files[0].max_size, 65536);
	assert_false(s.files[0].fb);
	assert_string_equal(s.files[1].name, "fb0");
	assert_true(s.files[1].fb);
	assert_int_equal(s.files[1].size, 16384);
	assert_int_equal(s.files[1].max_size, 16384);
	assert_int_equal(s.files[1].fb_delay, 200);
	assert_int_equal(s.flusher_interval, 200);
	assert_int_equal(s.dirty_expire, 0);
	assert_false(s.flusher_sync_all);
	assert_int_equal(s.reclaim_interval, 300);
	assert_int_equal(s.reclaim_target, 64);
	assert_int_equal(s.reclaim_start_event, -1);
	assert_int_equal(s.journal_commit_interval, 0);
	assert_int_equal(s.nr_actors, 2);
	assert_int_equal(s.actors[0].kind, ACTOR_PROCESS);
	assert_string_equal(s.actors[0].name, "proc0");
	assert_int_equal(s.actors[0].nr_steps, 3);
	st = &s.actors[0].steps[0];
	assert_int_equal(st->op, OP_MMAP);
	assert_int_equal(st->file, 0);
	assert_int_equal(st->len, 65536);
	st = &s.actors[0].steps[1];
	assert_int_equal(st->op, OP_STORE);
	assert_int_equal(st->count, 1);
	assert_false(st->random);
	assert_int_equal(s.actors[0].steps[2].op, OP_SIGNAL);
	assert_int_equal(s.actors[0].steps[2].event, 0);
	assert_int_equal(s.actors[1].kind, ACTOR_DEVICE);
	st = &s.actors[1].steps[1];
	assert_int_equal(st->op, OP_PIN);
	assert_int_equal(st->target, 0);
	assert_int_equal(st->map, 0);
	assert_int_equal(st->offset, 4 * 4096);
	assert_int_equal(st->len, 8 * 4096);
	assert_true(st->longterm);
	assert_true(st->write);
	st = &s.actors[1].steps[3];
	assert_int_equal(st->op, OP_DMA);
	assert_int_equal(st->offset, 4096);
	assert_int_equal(st->len, 7 * 4096);	/* the rest of the pin */
	assert_int_equal(st->count, 3);
	assert_int_equal(st->gap, 1000);
	assert_false(s.actors[1].steps[4].dirty);
	scenario_free(&s);
	assert_null(s.owned);
}

static void test_defaults(void **state)
{
	struct scenario s;
	const struct scn_step *st;

	assert_int_equal(parse(&s,
			       "[global]\ndescription = d\nevents = go\n"
			       "[file f]\nsize = 0\nmax_size = 3p\n"
			       "[fb v]\nsize = 1k\n"
			       "[reclaim]\nstart = go\n"
			       "[process p]\nloops = 2\n"
			       "step = mmap file=f\nstep = store map=0\nstep = verify map=0\n"
			       "step = signal event=go\n"
			       "[device d]\nstep = pin process=p\nstep = dma\nstep = release\n"
			       "[kthread k]\nstep = get_refs file=f offset=1p count=3\n"
			       "step = put_refs\nstep = sleep time=2ms\n"),
			 0);
	assert_int_equal(s.memory_pages, 256);
	assert_int_equal(s.nodes, 1);
	assert_int_equal(s.blocksize, 4096);
	assert_int_equal(s.hung_task_timeout, 2000000);
	assert_int_equal(s.run_timeout, 30000000);
	assert_int_equal(s.flusher_interval, 5000);
	assert_int_equal(s.reclaim_interval, 0);
	assert_int_equal(s.reclaim_target, 32);
	assert_int_equal(s.reclaim_start_event, 0);
	assert_int_equal(s.files[0].size, 0);
	assert_int_equal(s.files[0].max_size, 3 * 4096);
	assert_int_equal(s.files[1].fb_delay, 1000);
	assert_int_equal(s.files[1].max_size, 1024);
	assert_int_equal(s.actors[0].loops, 2);
	st = s.actors[0].steps;
	assert_int_equal(st[0].offset, 0);
	assert_int_equal(st[0].len, 3 * 4096);
	assert_int_equal(st[1].len, 3 * 4096);
	assert_int_equal(st[1].count, 1);
	assert_int_equal(st[2].len, 3 * 4096);
	st = s.actors[1].steps;
	assert_int_equal(st[0].map, 0);
	assert_int_equal(st[0].len, 3 * 4096);
	assert_true(st[0].write);
	assert_false(st[0].longterm);
	assert_int_equal(st[1].len, 3 * 4096);
	assert_int_equal(st[1].count, 1);
	assert_true(st[2].dirty);
	st = s.actors[2].steps;
	assert_int_equal(st[0].op, OP_GET_REFS);
	assert_int_equal(st[0].offset, 4096);
	assert_int_equal(st[0].count, 3);
	assert_int_equal(st[2].gap, 2000);
	scenario_free(&s);
}

/* ---- errors: each class, at its line, naming its key ---- */

#define HEAD "[global]\ndescription = d\nevents = e\n[file f]\nsize = 4p\n"	/* lines 1-5 */
#define PROC "[process p]\nstep = mmap file=f\n"				/* lines 6-7 */

static const struct {
	const char *text;
	const char *want;	/* the start of the first error line */
} bad[] = {
	/* unknown section, key; syntax */
	{ HEAD "[thing]\n", "t.ini:6: [thing]: unknown section" },
	{ HEAD "[file g]\ncolour = red\n", "t.ini:7: [file g] colour: unknown key (expected size or max_size)" },
	{ HEAD "junk\n", "t.ini:6: [file f]: syntax error" },
	{ "x = 1\n" HEAD, "t.ini:1: x: a key before any section" },
	{ HEAD "[file g\n", "t.ini:6: section header without ']'" },
	{ HEAD "[global]\n", "t.ini:6: [global]: duplicate section, first at line 1" },
	{ HEAD "[process f]\n", "t.ini:6: [process f]: duplicate name 'f', first at line 4" },
	{ HEAD "[process]\n", "t.ini:6: [process]: a process needs a name" },
	{ HEAD "[flusher x]\n", "t.ini:6: [flusher x]: too many words" },
	{ HEAD "[file g]\nsize = 1p\nsize = 2p\n", "t.ini:8: [file g] size: given twice" },
	/* numbers and suffixes */
	{ HEAD "[file g]\nsize = 4q\n", "t.ini:7: [file g] size: bad size '4q' (expected bytes" },
	{ HEAD "[file g]\nsize = -1\n", "t.ini:7: [file g] size: bad size '-1'" },
	{ HEAD "[file g]\nsize = 99999999999999999999999\n", "t.ini:7: [file g] size: bad size" },
	{ HEAD "[fb g]\nsize = 0\n", "t.ini:7: [fb g] size: 0 is out of range" },
	{ HEAD "[flusher]\ninterval = 5 ms\n", "t.ini:7: [flusher] interval: bad duration '5 ms'" },
	{ HEAD "[flusher]\nsync = some\n", "t.ini:7: [flusher] sync: bad sync mode 'some' (expected none or all)" },
	{ "[global]\ndescription = d\nnodes = 5\n", "t.ini:3: [global] nodes: 5 is out of range (expected an integer from 1 to 4)" },
	{ "[global]\ndescription = d\nblocksize = 512\n", "t.ini:3: [global] blocksize: bad block size '512' (expected 1024, 2048 or 4096)" },
	{ "[global]\ndescription = d\nmemory = 0\n", "t.ini:3: [global] memory: 0 is out of range" },
	{ "[global]\ndescription = d\nhung_task_timeout = 0\n", "t.ini:3: [global] hung_task_timeout: 0 is too short" },
	{ "[global]\ndescription = d\nevents = a, a\n", "t.ini:3: [global] events: event 'a' is listed twice" },
	{ "[global]\ndescription = d\nevents = a b\n", "t.ini:3: [global] events: bad event name 'a b'" },
	/* missing required keys and sections */
	{ "[global]\nmemory = 64\n[process p]\nstep = sync\n", "t.ini:1: [global] description: missing" },
	{ "[process p]\nstep = sync\n", "t.ini:1: [global]: missing section" },
	{ "[global]\ndescription = d\n[file g]\nmax_size = 1p\n[process p]\nstep = sync\n", "t.ini:3: [file g] size: missing" },
	{ HEAD "[file g]\nsize = 2p\nmax_size = 1p\n[process p]\nstep = sync\n", "t.ini:6: [file g] max_size: 4096 is less than size 8192" },
	{ "[global]\ndescription = d\n", "t.ini:1: [global]: no actors" },
	/* steps: ops, keys, references */
	{ HEAD PROC "step = jump\n", "t.ini:8: [process p] step: unknown op 'jump' (expected for a process: mmap" },
	{ HEAD PROC "step = pin process=p\n", "t.ini:8: [process p] step: a process cannot pin" },
	{ HEAD "[device d]\nstep = store map=0\n", "t.ini:7: [device d] step: a device cannot store" },
	{ HEAD "[kthread k]\nstep = mmap file=f\n", "t.ini:7: [kthread k] step: a kthread cannot mmap" },
	{ HEAD PROC "step = store map=0 colour=red\n", "t.ini:8: [process p] step store colour: unknown key 'colour' (expected store map=" },
	{ HEAD PROC "step = store map=0 map=0\n", "t.ini:8: [process p] step store map: given twice" },
	{ HEAD PROC "step = store map = 0\n", "t.ini:8: [process p] step store: not key=value: 'map'" },
	{ HEAD PROC "step = store\n", "t.ini:8: [process p] step store map: missing (expected store map=" },
	{ HEAD PROC "step = fsync file=g\n", "t.ini:8: [process p] step fsync file: unknown file 'g' (expected one of: f)" },
	{ HEAD PROC "step = signal event=x\n", "t.ini:8: [process p] step signal event: unknown event 'x' (expected one of events = in [global]: e)" },
	{ HEAD PROC "step = wait event=e\n", "t.ini:8: [process p] step wait event: no step signals 'e'" },
	{ HEAD PROC "step = wait event=e\nstep = signal event=e\n", "t.ini:8: [process p] step wait event: only later steps of p itself signal 'e'" },
	{ HEAD "[kthread k]\nstep = sync\n[device d]\nstep = pin process=k\n", "t.ini:9: [device d] step pin process: not a process 'k'" },
	{ HEAD "[device d]\nstep = pin process=q\n", "t.ini:7: [device d] step pin process: unknown process 'q'" },
	{ HEAD PROC "step = store map=1\n", "t.ini:8: [process p] step store map: map 1 is not mapped yet" },
	{ HEAD "[process p]\nstep = store map=0\nstep = mmap file=f\n", "t.ini:7: [process p] step store map: map 0 is not mapped yet" },
	{ HEAD PROC "step = munmap map=0\nstep = store map=0\n", "t.ini:9: [process p] step store map: map 0 was unmapped before" },
	{ HEAD PROC "step = store map=9\n", "t.ini:8: [process p] step store map: bad map slot '9'" },
	{ HEAD "[process p]\nloops = 1\nstep = mmap file=f\nstep = store map=0\nstep = munmap map=0\n", "t.ini:9: [process p] step store map: map 0 was unmapped before, by an earlier loop" },
	{ HEAD "[process p]\nloops = 8\nstep = mmap file=f\n", "t.ini:8: [process p] step mmap: more than 8 mappings" },
	/* ranges */
	{ HEAD "[process p]\nstep = mmap file=f len=5p\n", "t.ini:7: [process p] step mmap len: offset 0 + len 20480 is outside f" },
	{ HEAD "[process p]\nstep = mmap file=f offset=4p\n", "t.ini:7: [process p] step mmap offset: 16384 is beyond f's max_size" },
	{ HEAD "[process p]\nstep = mmap file=f offset=1k\n", "t.ini:7: [process p] step mmap offset: 1024 is not page aligned" },
	{ HEAD PROC "step = store map=0 offset=3p len=2p\n", "t.ini:8: [process p] step store len: offset 12288 + len 8192 is outside map 0" },
	{ HEAD PROC "step = store map=0 len=1k random=yes\n", "t.ini:8: [process p] step store len: 1024 bytes with random=yes" },
	{ HEAD PROC "step = verify map=0 offset=100\n", "t.ini:8: [process p] step verify offset: 100 is not page aligned" },
	{ HEAD PROC "step = truncate file=f size=5p\n", "t.ini:8: [process p] step truncate size: 20480 is beyond f's max_size" },
	{ HEAD PROC "step = punch file=f offset=3p len=2p\n", "t.ini:8: [process p] step punch len: offset 12288 + len 8192 is outside f's max_size" },
	{ HEAD "[fb v]\nsize = 1p\n" PROC "step = fsync file=v\n", "t.ini:10: [process p] step fsync file: 'v' is a framebuffer" },
	{ HEAD "[kthread k]\nstep = memory_failure file=f offset=4p\n", "t.ini:7: [kthread k] step memory_failure offset: 16384 is beyond f's max_size" },
	{ HEAD PROC "[device d]\nstep = pin process=p offset=100\n", "t.ini:9: [device d] step pin offset: 100 is not page aligned" },
	{ HEAD PROC "[device d]\nstep = pin process=p len=100\n", "t.ini:9: [device d] step pin len: 100 is not a positive multiple of a page" },
	{ HEAD PROC "[device d]\nstep = pin process=p offset=2p len=3p\n", "t.ini:9: [device d] step pin len: offset 8192 + len 12288 is outside map 0 of p" },
	{ HEAD PROC "[device d]\nstep = pin process=p map=1\n", "t.ini:9: [device d] step pin map: process p never fills map slot 1" },
	{ HEAD PROC "[device d]\nstep = dma\n", "t.ini:9: [device d] step dma: no pin to write into" },
	{ HEAD PROC "[device d]\nstep = pin process=p len=1p\nstep = dma len=2p\n", "t.ini:10: [device d] step dma len: offset 0 + len 8192 is outside the 4096 pinned bytes of line 9" },
	{ HEAD PROC "[device d]\nstep = pin process=p write=no\nstep = dma\n", "t.ini:10: [device d] step dma: the pin of line 9 has write=no" },
	{ HEAD PROC "[device d]\nstep = pin process=p\nstep = pin process=p\n", "t.ini:10: [device d] step pin: the device already holds the pin of line 9" },
	{ HEAD PROC "[device d]\nloops = 1\nstep = pin process=p\n", "t.ini:10: [device d] step pin: the device already holds the pin of line 10, from the previous loop" },
	{ HEAD PROC "[device d]\nstep = release\n", "t.ini:9: [device d] step release: no pin to release" },
	{ HEAD "[kthread k]\nstep = put_refs\n", "t.ini:7: [kthread k] step put_refs: no references to put" },
	{ HEAD "[kthread k]\nstep = get_refs file=f offset=0 count=0\n", "t.ini:7: [kthread k] step get_refs count: bad count '0'" },
	{ HEAD PROC "step = sleep time=0\n", "t.ini:8: [process p] step sleep time: bad duration '0'" },
	{ HEAD "[reclaim]\nstart = x\n" PROC, "t.ini:7: [reclaim] start: unknown event 'x'" },
	{ HEAD "[reclaim]\nstart = e\n" PROC, "t.ini:7: [reclaim] start: no step signals 'e'" },
	/* limits */
	{ HEAD "[process p]\nloops = 1000001\n", "t.ini:7: [process p] loops: 1000001 is out of range" },
	/* bytes */
	{ HEAD "description = a\0b\n", "t.ini:6: a NUL byte" },
	/* close and unlink: a file opens at its first use */
	{ HEAD "[process p]\nstep = close file=f\n", "t.ini:7: [process p] step close file: 'f' is not open" },
	{ HEAD PROC "step = close file=f\nstep = close file=f\n", "t.ini:9: [process p] step close file: 'f' is not open" },
	{ HEAD PROC "step = close file=f\nstep = unlink file=f\nstep = fsync file=f\n",
	  "t.ini:10: [process p] step fsync file: p unlinked 'f' at line 9 and has it no longer open" },
	{ HEAD PROC "step = unlink file=f\nstep = unlink file=f\n", "t.ini:9: [process p] step unlink file: 'f' was unlinked before, at line 8" },
	{ HEAD "[fb s]\nsize = 1p\n[process p]\nstep = unlink file=s\n", "t.ini:9: [process p] step unlink file: 's' is a framebuffer" },
	{ HEAD "[device d]\nstep = close file=f\n", "t.ini:7: [device d] step: a device cannot close" },
	/* a loop's own map slot */
	{ HEAD "[process p]\nloops = 2\nstep = mmap file=f map=3\nstep = store map=3\n",
	  "t.ini:8: [process p] step mmap map: map 3 is still mapped, by line 8, in an earlier loop" },
	{ HEAD "[process p]\nstep = mmap file=f map=3\nstep = store map=0\n",
	  "t.ini:8: [process p] step store map: map 0 is not mapped yet" },
	{ HEAD "[process p]\nstep = mmap file=f map=8\n", "t.ini:7: [process p] step mmap map: bad map slot '8'" },
};

/* Every op has a name, for messages. */
static void test_op_names(void **state)
{
	(void)state;
	for (int op = OP_NONE + 1; op < NR_SCN_OPS; op++)
		assert_non_null(scn_op_name((enum scn_op)op));
	assert_null(scn_op_name(NR_SCN_OPS));
}

static void test_errors(void **state)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct scenario s = { 0 };
		size_t len = strlen(bad[i].text);
		int n;

		if (strstr(bad[i].want, "NUL"))
			len += 3;	/* past the NUL */
		n = scenario_parse(&s, "t", "t.ini", bad[i].text, len, err,
				   sizeof(err));
		if (!n || strncmp(err, bad[i].want, strlen(bad[i].want))) {
			print_error("case %zu: %s\nwanted: %s\ngot (%d): %s\n", i,
				    bad[i].text, bad[i].want, n, err);
			fail();
		}
		/* each error names what was expected */
		if (!strstr(err, "(expected ")) {
			print_error("case %zu: no '(expected': %s\n", i, err);
			fail();
		}
		scenario_free(&s);
	}
}

static void test_limits(void **state)
{
	char text[16384];
	size_t used;
	struct scenario s;

	/* 9 files */
	used = (size_t)snprintf(text, sizeof(text), "[global]\ndescription = d\n");
	for (int i = 0; i < 9; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 "[file f%d]\nsize = 1p\n", i);
	parse(&s, text);
	assert_non_null(strstr(err, "t.ini:19: [file f8]: too many files (expected at most 8"));
	scenario_free(&s);
	/* 17 actors */
	used = (size_t)snprintf(text, sizeof(text), "[global]\ndescription = d\n");
	for (int i = 0; i < 17; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 "[kthread k%d]\nstep = sync\n", i);
	parse(&s, text);
	assert_non_null(strstr(err, "t.ini:35: [kthread k16]: too many actors (expected at most 16"));
	scenario_free(&s);
	/* 33 steps */
	used = (size_t)snprintf(text, sizeof(text), "[global]\ndescription = d\n[kthread k]\n");
	for (int i = 0; i < 33; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 "step = sync\n");
	parse(&s, text);
	assert_non_null(strstr(err, "t.ini:36: [kthread k] step: too many steps (expected at most 32"));
	scenario_free(&s);
	/* 17 events */
	used = (size_t)snprintf(text, sizeof(text), "[global]\ndescription = d\nevents = e0");
	for (int i = 1; i < 17; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, ", e%d", i);
	snprintf(text + used, sizeof(text) - used, "\n");
	parse(&s, text);
	assert_non_null(strstr(err, "t.ini:3: [global] events: too many events (expected at most 16)"));
	scenario_free(&s);
	/* a line too long */
	used = (size_t)snprintf(text, sizeof(text), "[global]\ndescription = ");
	memset(text + used, 'x', 1200);
	snprintf(text + used + 1200, sizeof(text) - used - 1200, "\n");
	parse(&s, text);
	assert_non_null(strstr(err, "t.ini:2: line too long"));
	scenario_free(&s);
	/* many errors: sorted by line, cut after 20 */
	used = (size_t)snprintf(text, sizeof(text), "[global]\ndescription = d\n");
	for (int i = 0; i < 30; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "k%d = 1\n", i);
	assert_int_equal(parse(&s, text), 30);
	assert_int_equal(strncmp(err, "t.ini:3: [global] k0: unknown key", 33), 0);
	assert_non_null(strstr(err, "t.ini: 10 more errors not shown"));
	scenario_free(&s);
}

/* ---- files and the library's entry points ---- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_files(void **state)
{
	char dir[] = "/tmp/pinmm-scn-XXXXXX";
	char good[64], broken[64];
	struct pinmm_result r;

	assert_non_null(mkdtemp(dir));
	snprintf(good, sizeof(good), "%s/mine.ini", dir);
	snprintf(broken, sizeof(broken), "%s/broken.ini", dir);
	write_file(good, pinmm_scenario_text("seed-bug"));
	write_file(broken, "[global]\ndescription = d\n[process p]\nstep = fly\n");

	assert_true(pinmm_scenario_is_file(good));
	assert_true(pinmm_scenario_is_file("x.ini"));
	assert_false(pinmm_scenario_is_file("seed-bug"));
	assert_int_equal(pinmm_scenario_check(good, err, sizeof(err)), 0);
	assert_int_equal(pinmm_scenario_check(broken, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/broken.ini:4: [process p] step: unknown op 'fly'"));
	assert_int_equal(pinmm_scenario_check("/nonexistent/x.ini", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/x.ini: cannot open"));

	/* a path runs like the name, under the name of the file */
	assert_string_equal(scenario_find(good)->name, "mine");
	assert_ptr_equal(scenario_find(good), scenario_find(good));
	assert_int_equal(pinmm_run(good, "seed", 1, NULL, &r), 0);
	assert_int_equal(r.verdict, PINMM_PASS);
	pinmm_result_free(&r);
	assert_int_equal(pinmm_run(broken, "seed", 1, NULL, &r), -1);
	pinmm_result_free(&r);

	unlink(good);
	unlink(broken);
	rmdir(dir);
}

/* The embedded scenarios behave as the C tables did (deterministic runs). */
static void test_verdicts(void **state)
{
	struct pinmm_options det = { .sched = PINMM_SCHED_DET, .strategy = "pct:2" };
	int oops = 0;

	for (int seed = 1; seed <= 10; seed++) {
		struct pinmm_result r;

		det.strategy_seed = (uint64_t)seed;
		assert_int_equal(pinmm_run("seed-bug", "vanilla", (uint64_t)seed, &det, &r), 0);
		oops += r.verdict == PINMM_OOPS;
		assert_true(r.verdict == PINMM_OOPS || r.verdict == PINMM_PASS);
		pinmm_result_free(&r);
		assert_int_equal(pinmm_run("seed-bug", "seed", (uint64_t)seed,
					   &tm_free_running, &r), 0);
		assert_int_equal(r.verdict, PINMM_PASS);
		pinmm_result_free(&r);
	}
	assert_true(oops >= 7);
	for (int seed = 1; seed <= 2; seed++) {
		for (int p = 0; p < 2; p++) {
			struct pinmm_result r;

			assert_int_equal(pinmm_run("baseline", p ? "seed" : "vanilla",
						   (uint64_t)seed, NULL, &r), 0);
			assert_int_equal(r.verdict, PINMM_PASS);
			pinmm_result_free(&r);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_are_the_old_tables),
		cmocka_unit_test(test_every_file_is_listed),
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_op_names),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_verdicts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
