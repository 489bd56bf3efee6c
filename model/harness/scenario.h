/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A scenario: the machine to boot and what its tasks do.  Built-in
 * scenarios are written as these tables (harness/builtin.c); scenario files
 * will parse into the same tables.
 *
 * Units: bytes for sizes and offsets, microseconds of the model clock for
 * durations.
 */
#ifndef _HARNESS_SCENARIO_H
#define _HARNESS_SCENARIO_H

#include <linux/types.h>

#define SCN_MAX_FILES 8
#define SCN_MAX_ACTORS 16
#define SCN_MAX_STEPS 32
#define SCN_MAX_MAPS 8
#define SCN_MAX_EVENTS 16

/*
 * The steps.  Each names the fields it uses; the others are zero.  A
 * scenario file writes a step as "OP key=value ..." (docs/scenario-format.md).
 */
enum scn_op {
	OP_NONE,
	/* processes */
	OP_MMAP,	/* file, offset, len -> map (-1: the lowest never filled) */
	OP_MUNMAP,	/* map */
	OP_STORE,	/* map, offset, len, count; random: count stores of
			 * random size at random places of [offset, len) */
	OP_VERIFY,	/* map, offset, len: load and compare with the oracle */
	OP_FSYNC,	/* file */
	OP_TRUNCATE,	/* file, len = the new size */
	OP_PUNCH,	/* file, offset, len */
	OP_SYNC,	/* sync(): every file, data-integrity writeback */
	OP_CLOSE,	/* file: close the actor's open file */
	OP_UNLINK,	/* file: unlink(2) its name */
	/* devices */
	OP_PIN,		/* target process, map, offset, len (page aligned),
			 * longterm, write (FOLL_WRITE; default yes),
			 * plain (FOLL_GET: references, not a pin) */
	OP_DMA,		/* offset, len, count bursts, gap between them */
	OP_RELEASE,	/* dirty or clean */
	OP_DIO_COMPLETE, /* file: the direct-I/O completion of the pin
			  * holder, which starts and stops a journal handle */
	/* kernel contexts */
	OP_MEMORY_FAILURE,	/* file, offset: poison the page cached there */
	OP_GET_REFS,	/* file, offset, count: take that many references */
	OP_PUT_REFS,	/* drop the references OP_GET_REFS took */
	OP_COMMIT,	/* force a journal commit and wait for it */
	/* anyone */
	OP_SLEEP,	/* gap */
	OP_WAIT,	/* event */
	OP_SIGNAL,	/* event */
	OP_CHECK_DISK,	/* file: what is on the device now, as fsync promises */
	NR_SCN_OPS,
};

struct scn_step {
	enum scn_op op;
	int file;
	int map;
	int target;		/* OP_PIN: the process actor */
	u64 offset;
	u64 len;
	unsigned int count;	/* OP_DMA bursts, or repeats of OP_STORE */
	u64 gap;		/* us */
	bool dirty;
	bool longterm;
	bool random;
	bool write;		/* OP_PIN: FOLL_WRITE */
	bool plain;		/* OP_PIN: FOLL_GET, a plain reference */
	int event;
	int line;		/* of its file, for messages */
};

enum scn_actor_kind {
	ACTOR_PROCESS,
	ACTOR_DEVICE,
	ACTOR_KTHREAD,	/* a kernel context: memory failure, a sync caller */
};

struct scn_actor {
	enum scn_actor_kind kind;
	const char *name;
	unsigned int loops;	/* run the steps this many times (0: once) */
	int nr_steps;
	struct scn_step steps[SCN_MAX_STEPS];
};

struct scn_file {
	const char *name;
	u64 size;
	u64 max_size;
	bool fb;		/* a framebuffer with deferred I/O, not a file */
	u64 fb_delay;		/* us from a store to the deferred I/O */
};

struct scenario {
	const char *name;
	const char *file;		/* what it was parsed from */
	const char *description;
	unsigned long memory_pages;
	int nodes;
	unsigned int blocksize;
	int nr_files;
	struct scn_file files[SCN_MAX_FILES];
	int nr_actors;
	struct scn_actor actors[SCN_MAX_ACTORS];
	int nr_events;
	const char *events[SCN_MAX_EVENTS];
	/* The flusher: interval 0 means only on demand. */
	u64 flusher_interval;
	u64 dirty_expire;
	bool flusher_sync_all;
	/* kswapd: forced passes every reclaim_interval, from reclaim_start. */
	u64 reclaim_interval;
	unsigned long reclaim_target;
	int reclaim_start_event;	/* -1: at boot */
	/* jbd2: commit every journal_commit_interval us (0: on demand). */
	u64 journal_commit_interval;
	u64 hung_task_timeout;
	u64 run_timeout;
	void *owned;			/* a parsed file's allocations */
};

const struct scenario *scenario_find(const char *name);
const char *scn_op_name(enum scn_op op);
extern const struct scenario *const builtin_scenarios[];

/*
 * Scenario files (harness/scenario_ini.c and the files
 * scenario_parse.h lists, docs/scenario-format.md).
 * scenario_parse() fills @scn from @text (@file names it in messages) and
 * returns the number of errors, each a line "FILE:LINE: [section] key:
 * message (expected ...)" in @err; its allocations hang off scn->owned,
 * which scenario_free() frees (and @scn itself when scenario_load() made
 * it).  scenario_load() reads a file and returns NULL on errors.
 */
int scenario_parse(struct scenario *scn, const char *name, const char *file,
		   const char *text, size_t len, char *err, size_t errlen);
struct scenario *scenario_load(const char *path, char *err, size_t errlen);
/* The same, from @text already read from @path (which names it). */
struct scenario *scenario_load_text(const char *path, const char *text,
				    size_t len, char *err, size_t errlen);
/* A file's whole text, NUL-terminated and malloc'ed; NULL and @err. */
char *scenario_read_text(const char *path, size_t *len, char *err,
			 size_t errlen);
/* "dir/seed-bug.ini" -> "seed-bug" */
void scenario_name_of_path(const char *path, char *name, size_t len);
void scenario_free(struct scenario *scn);

/* The scenario files embedded at build time (harness/embed-scenarios.sh). */
struct scn_embedded {
	const char *name;	/* the file's name without .ini */
	const char *path;	/* scenarios/NAME.ini */
	const char *text;
};
extern const struct scn_embedded scn_embedded[];	/* NULL-terminated */
extern struct scenario scn_embedded_storage[];

#endif /* _HARNESS_SCENARIO_H */
