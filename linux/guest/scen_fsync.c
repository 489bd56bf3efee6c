// SPDX-License-Identifier: GPL-2.0
/*
 * pinmm-guest: the scenarios about writeback and fsync of pinned pages.
 *
 * The order of events is forced by causes, not by sleeps: a device that
 * must release "while fsync waits" polls /proc/pinmm's mkclean_waiting
 * (the number of tasks waiting for an unpin now) until it is non-zero or
 * fsync has returned, whichever comes first.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest.h"

/* docs/catalog.md "seed-bug": pin, clean, reclaim, DMA, release, fsync. */
static void scen_seed_bug(void)
{
	const size_t n = 16 * PS;
	int fd = oracle_create(n);
	uint8_t *map = map_file(fd, n);
	struct dev d;

	oracle_store(map, 0, n, 1);
	dev_open(&d, "device");
	dev_pin_or_refuse(&d, map, 0, n, 0);
	clean_writeback(fd);		/* the flusher cleans the pages */
	pageout(map, n);		/* reclaim: unmap, release buffers */
	dev_write(&d, 0, n, 100, 3);	/* DMA in bursts */
	dev_unpin(&d, 1);		/* set_page_dirty_lock + put */
	note("fsync after the release");
	oracle_finish(fd, map, n);
}

/*
 * Long DMA into pinned pages while cleaning writeback runs again and
 * again: every page that writeback submits while pinned is an unstable
 * write. The device writes pages 0-3 without pause; the process keeps
 * pages 4-7 (also pinned) dirty. No reclaim, no fsync until the release.
 */
static void scen_dma_writeback(void)
{
	const size_t n = 8 * PS;
	int fd = oracle_create(n);
	uint8_t *map = map_file(fd, n);
	struct pinmm_dma_status st;
	struct dev d;

	oracle_store(map, 0, n, 1);
	dev_open(&d, "device");
	dev_pin_or_refuse(&d, map, 0, n, 0);
	dev_start(&d, 4 * PS, 100, 200);
	for (uint32_t round = 0; round < 20; round++) {
		dev_wait_generations(&d, round + 1);	/* DMA goes on */
		oracle_store(map, 4 * PS, 4 * PS, 2 + round);
		clean_writeback(fd);
	}
	dev_stop(&d, &st);
	kv("dma_generations", "%u", st.generations);
	dev_unpin(&d, 1);
	oracle_finish(fd, map, n);
}

/*
 * fsync while the device is writing: the device releases when fsync
 * waits for it (seed), or after fsync returned (the others).
 */
static void scen_fsync_during_dma(void)
{
	const size_t n = 16 * PS;
	int fd = oracle_create(n);
	uint8_t *map = map_file(fd, n);
	volatile int done = 0;
	struct release_job j = { .done = flag_set, .arg = (void *)&done,
				 .dirty = 1, .stop = 1 };
	struct counters c0, c1;
	struct dev d;
	uint64_t t0, t1;

	oracle_store(map, 0, n, 1);		/* dirty */
	dev_open(&d, "device");
	dev_pin_or_refuse(&d, map, 0, 8 * PS, 0);
	dev_start(&d, 8 * PS, 200, 2000);
	dev_wait_generations(&d, 1);		/* mid-DMA */
	j.d = &d;
	release_start(&j);
	read_counters(&c0);
	t0 = now_ns();
	if (oracle_fsync(fd, "during-dma"))
		fail("fsync");
	t1 = now_ns();
	done = 1;
	read_counters(&c1);
	release_join(&j);
	kv("fsync_ms", "%.1f", (t1 - t0) / 1e6);
	kv("fsync_end_minus_unpin_ms", "%.1f",
	   ((double)t1 - (double)j.unpin_ns) / 1e6);
	kv("fsync_returned_after_unpin", "%d", t1 >= j.unpin_ns);
	kv("fsync_mkclean_waited", "%lld",
	   counter(&c1, "mkclean_waited") - counter(&c0, "mkclean_waited"));
	kv("dma_generations", "%u", j.st.generations);
	oracle_finish(fd, map, n);
}

/* A long-term pin that the device releases only after fsync returns. */
static void scen_longterm_fsync(void)
{
	const size_t n = 16 * PS;
	int fd = oracle_create(n);
	uint8_t *map = map_file(fd, n);
	struct dev d;
	uint64_t t0;

	oracle_store(map, 0, n, 1);
	dev_open(&d, "device");
	dev_pin_or_refuse(&d, map, 0, 8 * PS, PINMM_DMA_LONGTERM);
	dev_write(&d, 0, 8 * PS, 300, 1);
	note("fsync with the long-term pin held");
	t0 = now_ns();
	if (oracle_fsync(fd, "longterm-pin-held"))
		fail("fsync");
	kv("fsync_ms", "%.1f", (now_ns() - t0) / 1e6);
	dev_unpin(&d, 1);
	oracle_finish(fd, map, n);
}

/*
 * A page pinned for read (a NIC transmitting from it) is cleaned by
 * cleaning writeback; the process stores into it again and calls fsync.
 * If writeback left the PTE writable while it cleaned the page, the
 * store takes no fault, the page stays clean, and fsync writes nothing.
 */
static void scen_fsync_after_skip(void)
{
	const size_t n = 8 * PS;
	int fd = oracle_create(n);
	uint8_t *map = map_file(fd, n);
	struct dev d;

	oracle_store(map, 0, n, 1);
	dev_open(&d, "NIC");
	dev_pin_or_refuse(&d, map, 0, 4 * PS, PINMM_DMA_READ);
	clean_writeback(fd);
	oracle_store(map, 0, 4 * PS, 2);
	note("fsync after storing into the pinned pages again");
	if (oracle_fsync(fd, "after-skip"))
		fail("fsync");
	dev_unpin(&d, 0);
	oracle_finish(fd, map, n);
}

/* The process that holds a short pin calls fsync before releasing it. */
static void scen_fsync_own_pin(void)
{
	const size_t n = 8 * PS;
	int fd = oracle_create(n);
	uint8_t *map = map_file(fd, n);
	struct dev d;

	oracle_store(map, 0, n, 1);
	dev_open(&d, "own device");
	dev_pin_or_refuse(&d, map, 0, 4 * PS, 0);
	dev_write(&d, 0, 4 * PS, 800, 1);
	note("the pin holder calls fsync");
	if (oracle_fsync(fd, "own-pin-held"))
		fail("fsync");
	dev_unpin(&d, 1);
	oracle_finish(fd, map, n);
}

/* The journal thread of the test file system: "jbd2/ubdb-8". */
static int kjournald_pid(void)
{
	DIR *dir = opendir("/proc");
	struct dirent *e;
	int pid = 0;

	if (!dir)
		fail("opendir /proc");
	while (!pid && (e = readdir(dir))) {
		char path[300], comm[64] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "jbd2/ubdb", 9))
			pid = atoi(e->d_name);
		fclose(f);
	}
	closedir(dir);
	return pid;
}

static int stack_has(int pid, const char *fn)
{
	char path[64], buf[4096];
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/stack", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	return strstr(buf, fn) != NULL;
}

struct fsync_job {
	int fd;
	const char *name;
	volatile int done;
};

static void *fsync_thread(void *arg)
{
	struct fsync_job *f = arg;

	if (oracle_fsync(f->fd, f->name))
		note("fsync %s: %s", f->name, strerror(errno));
	f->done = 1;
	return NULL;
}

static void *commit_thread(void *arg)
{
	struct fsync_job *f = arg;

	if (pwrite(f->fd, "c", 1, 0) != 1 || fsync(f->fd))
		note("commit trigger: %s", strerror(errno));
	f->done = 1;
	return NULL;
}

/*
 * The pin holder must use the journal before it releases (as a direct
 * I/O write into unwritten extents converts them at completion): the
 * device's release first allocates blocks of another file. fsync's
 * writeback maps the pinned, delayed-allocation pages inside a journal
 * handle; a commit then waits for that handle, and a new handle waits
 * for the commit.
 */
static void scen_journal_deadlock(void)
{
	const size_t n = 16 * PS;
	int fd = oracle_create_sparse(n), other, spare;
	uint8_t *map = map_file(fd, n);
	struct fsync_job f = { .fd = fd, .name = "pinned-delalloc" };
	struct fsync_job c = { .name = "commit" };
	pthread_t tf, tc;
	struct dev d;
	int jbd2;

	other = open(path_in(mnt_dir, "other"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	spare = open(path_in(mnt_dir, "spare"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (other < 0 || spare < 0 || pwrite(other, "x", 1, 0) != 1 ||
	    fsync(other) || fsync(spare))
		fail("create the other files");
	c.fd = other;

	oracle_store(map, 0, 8 * PS, 1);	/* delayed allocation */
	dev_open(&d, "direct I/O");
	dev_pin_or_refuse(&d, map, 0, 8 * PS, 0);
	dev_write(&d, 0, 8 * PS, 900, 1);
	if (pthread_create(&tf, NULL, fsync_thread, &f))
		fail("pthread_create");
	if (wait_counter_or("mkclean_waiting", 1, flag_set, (void *)&f.done)) {
		note("fsync waits for the unpin; forcing a commit");
		if (pthread_create(&tc, NULL, commit_thread, &c))
			fail("pthread_create");
		jbd2 = kjournald_pid();
		if (!jbd2)
			env_fail("no jbd2 thread for the test file system");
		while (!c.done && !stack_has(jbd2, "jbd2_journal_wait_updates"))
			msleep(5);
		kv("commit_waited_for_handle", "%d", !c.done);
		note("the device completes: it needs a journal handle");
	} else {
		note("fsync returned without waiting");
		if (pthread_create(&tc, NULL, commit_thread, &c))
			fail("pthread_create");
	}
	dev_complete(&d, spare, 0, 4 * PS, 1);
	pthread_join(tf, NULL);
	pthread_join(tc, NULL);
	oracle_finish(fd, map, n);
}

const struct scenario fsync_scenarios[] = {
	{ "seed-bug", scen_seed_bug },
	{ "dma-writeback", scen_dma_writeback },
	{ "fsync-during-dma", scen_fsync_during_dma },
	{ "longterm-fsync", scen_longterm_fsync },
	{ "journal-deadlock", scen_journal_deadlock },
	{ "fsync-after-skip", scen_fsync_after_skip },
	{ "fsync-own-pin", scen_fsync_own_pin },
	{ NULL, NULL },
};
