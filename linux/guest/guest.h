/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pinmm-guest: the init program and scenarios of the pinmm UML rig.
 *
 * One boot runs one scenario under one policy. The guest prints lines
 * starting with "PINMM-" on the console; the host (linux/rig.py) reads
 * them next to the kernel's own messages and decides the verdict:
 *
 *   PINMM-START scenario=S          the scenario is about to run
 *   PINMM-KV key value              a measurement (details, counters)
 *   PINMM-NOTE text                 what the scenario is doing
 *   PINMM-FSYNC name=N ret=R checked=C lost=L first=F
 *                                   what one fsync promised and whether
 *                                   the block device holds it
 *   PINMM-RESULT refused=0 bytes_checked=... bytes_lost=...
 *                                   the final check, after a remount
 *   PINMM-RESULT refused=1 errno=E  a pin the scenario needed was refused
 *   PINMM-NA reason                 the scenario cannot run on this kernel
 *   PINMM-ENV reason                the guest could not set up (not a verdict)
 *   PINMM-HANG / PINMM-OOPS / PINMM-EXIT / PINMM-DONE
 */
#ifndef PINMM_GUEST_H
#define PINMM_GUEST_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PS 4096UL
#define MAX_FILE (64 * PS)

extern const char *run_dir, *mnt_dir, *file_path;
extern const char *blk_path;

/* out.c: console output, clocks, /proc/pinmm */
void kv(const char *key, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fail(const char *what) __attribute__((noreturn));
void env_fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
void not_applicable(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
uint64_t now_ns(void);
void msleep(unsigned int ms);
int write_str(const char *path, const char *s);
char *path_in(const char *dir, const char *name);

#define NR_COUNTERS 32
struct counters {
	long long v[NR_COUNTERS];
	char name[NR_COUNTERS][64];
	int n;
};
void read_counters(struct counters *c);
long long counter(const struct counters *c, const char *name);
long long pinmm_now(const char *name);
void report_counters(void);
extern struct counters cnt_start;

/*
 * Poll until done(arg) is true or the counter @name reaches @at_least.
 * Returns 1 if the counter got there, 0 if done() came first. The poll
 * interval only decides how soon we notice; nothing depends on it.
 */
int wait_counter_or(const char *name, long long at_least,
		    int (*done)(void *), void *arg);

/* oracle.c: what every byte of the file must be, and when */
int oracle_create(size_t size);
int oracle_create_sparse(size_t size);
uint8_t *map_file(int fd, size_t len);
void oracle_store(uint8_t *map, size_t off, size_t len, int gen);
void oracle_stored(size_t off, size_t len, int gen);
void oracle_dma(size_t off, size_t len, uint32_t seed);
void oracle_dma_unknown(size_t off, size_t len);
void oracle_release(size_t off, size_t len, int dirty);
void oracle_dead(size_t off, size_t len);
void oracle_resize(size_t size);
int oracle_fsync(int fd, const char *name);
void oracle_finish(int fd, void *map, size_t maplen);
size_t oracle_first_diff(const uint8_t *map, size_t len);
uint8_t proc_pattern(int gen, size_t off);
void remount(void);

/* dev.c: /dev/pinmm_dma */
struct dev {
	int fd;
	size_t file_off;	/* file offset of the pinned range */
	size_t len;
	size_t job_len;		/* what its writer thread writes */
	const char *name;
};
void dev_open(struct dev *d, const char *name);
int dev_pin(struct dev *d, uint8_t *map, size_t off, size_t len,
	    unsigned int flags, unsigned int refs);
void dev_pin_or_refuse(struct dev *d, uint8_t *map, size_t off, size_t len,
		       unsigned int flags);
void dev_write(struct dev *d, size_t off, size_t len, uint32_t seed,
	       uint32_t count);
void dev_start(struct dev *d, size_t len, uint32_t seed,
	       uint32_t interval_us);
void dev_stop(struct dev *d, struct pinmm_dma_status *st);
uint64_t dev_unpin(struct dev *d, int dirty);
uint64_t dev_complete(struct dev *d, int fd, size_t off, size_t len,
		      int dirty);
void dev_status(struct dev *d, struct pinmm_dma_status *st);
uint32_t dev_wait_generations(struct dev *d, uint32_t n);

/*
 * The device's side of "release while someone waits" (dev.c): a thread
 * that releases the pages as soon as a task waits for the unpin
 * (/proc/pinmm's mkclean_waiting), or once done(arg) says that the call
 * that could have waited has returned without. Before the release it
 * stops the device's writer thread (stop) or writes wlen bytes once more.
 */
struct release_job {
	struct dev *d;
	int (*done)(void *arg);
	void *arg;
	int dirty;
	int stop;
	size_t wlen;
	uint32_t seed;
	/* what happened */
	pthread_t thread;
	int waited;		/* a task was waiting for the unpin */
	uint64_t release_ns;	/* when the release began */
	uint64_t unpin_ns;	/* when the device finished the unpin */
	struct pinmm_dma_status st;
};
void release_start(struct release_job *j);
void release_join(struct release_job *j);
int flag_set(void *arg);	/* done() for a volatile int flag */

/* helpers shared by scenarios (scenarios.c) */
void clean_writeback(int fd);
void pageout(void *addr, size_t len);

/* selftests.c: run a program, relaying its output as PINMM-ST <tag> */
extern const char *st_dir;
void selftests_setup(void);
void make_sized(const char *path, size_t size);
void run_relayed(const char *tag, const char *prog, char *const args[],
		 int own_tmp);

/* the scenarios: NULL-terminated tables, one per file */
struct scenario {
	const char *name;
	void (*fn)(void);
};
extern const struct scenario fsync_scenarios[], truncate_scenarios[],
	reclaim_scenarios[], fb_scenarios[], selftest_scenarios[],
	bench_scenarios[];
const struct scenario *find_scenario(const char *name);

#endif /* PINMM_GUEST_H */
