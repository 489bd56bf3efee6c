// SPDX-License-Identifier: GPL-2.0
/*
 * pinmm-guest: the scenarios that cut, grow or unmap a pinned range:
 * truncate and hole punch during DMA and after cleaning writeback, a
 * truncate-up through a pinned EOF page, and munmap after cleaning
 * writeback.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest.h"

/* Timing and wait evidence of one call made while the device is pinned. */
struct timed_op {
	const char *name;
	uint64_t t0, t1;
	long long waited;	/* mkclean_waited during the call */
};

static void op_begin(struct timed_op *op)
{
	op->waited = pinmm_now("mkclean_waited");
	op->t0 = now_ns();
}

static void op_end(struct timed_op *op)
{
	op->t1 = now_ns();
	op->waited = pinmm_now("mkclean_waited") - op->waited;
}

static void op_report(const struct timed_op *op, const struct release_job *j)
{
	char k[64];

	snprintf(k, sizeof(k), "%s_ms", op->name);
	kv(k, "%.1f", (op->t1 - op->t0) / 1e6);
	snprintf(k, sizeof(k), "%s_returned_after_release", op->name);
	kv(k, "%d", op->t1 >= j->release_ns);
	snprintf(k, sizeof(k), "%s_mkclean_waited", op->name);
	kv(k, "%lld", op->waited);
}

/*
 * Truncate and hole punch through a range that the device has pinned
 * and is writing. The device pins file pages 4-11 and its thread writes
 * them without pause; the pages are dirty from the process's stores and
 * no flusher runs. The process truncates to 10 pages (pages 10-11 leave
 * the page cache while the device writes them) and punches pages 5-6.
 * The device releases when a call waits for it, or after both returned.
 */
static void scen_truncate_during_dma(void)
{
	const size_t n = 16 * PS;
	int fd = oracle_create(n);
	uint8_t *map = map_file(fd, n);
	volatile int done = 0;
	struct release_job j = { .done = flag_set, .arg = (void *)&done,
				 .dirty = 1, .stop = 1 };
	struct timed_op tr = { .name = "truncate" }, ph = { .name = "punch" };
	struct dev d;
	uint32_t gen;

	write_str("/proc/sys/vm/dirty_writeback_centisecs", "0");
	oracle_store(map, 0, n, 1);		/* dirty */
	dev_open(&d, "device");
	dev_pin_or_refuse(&d, map, 4 * PS, 8 * PS, 0);
	dev_start(&d, 8 * PS, 400, 1000);
	j.d = &d;
	release_start(&j);

	gen = dev_wait_generations(&d, 1);	/* mid-DMA */
	op_begin(&tr);
	if (ftruncate(fd, 10 * PS))
		fail("truncate");
	op_end(&tr);
	oracle_resize(10 * PS);
	note("truncated to 10 pages");

	dev_wait_generations(&d, gen + 1);
	op_begin(&ph);
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      5 * PS, 2 * PS))
		fail("punch hole");
	op_end(&ph);
	oracle_dead(5 * PS, 2 * PS);
	note("punched file pages 5-6");
	done = 1;

	release_join(&j);
	op_report(&tr, &j);
	op_report(&ph, &j);
	kv("dma_generations", "%u", j.st.generations);
	oracle_finish(fd, map, n);
}

/*
 * The same punch and truncate, but cleaning writeback runs once while the
 * pages are pinned, before the device starts. If it cleans the pages but
 * leaves their PTEs writable and dirty, the punch zaps a dirty PTE of a
 * clean, unlocked page, and ext4_dirty_folio() warns.
 */
static void scen_truncate_after_writeback(void)
{
	const size_t n = 16 * PS;
	int fd = oracle_create(n);
	uint8_t *map = map_file(fd, n);
	struct pinmm_dma_status st;
	struct dev d;

	oracle_store(map, 0, n, 1);
	dev_open(&d, "device");
	dev_pin_or_refuse(&d, map, 4 * PS, 8 * PS, 0);
	clean_writeback(fd);
	dev_start(&d, 8 * PS, 400, 1000);
	dev_wait_generations(&d, 1);		/* mid-DMA */
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      5 * PS, 2 * PS))
		fail("punch hole");
	oracle_dead(5 * PS, 2 * PS);
	note("punched file pages 5-6");
	if (ftruncate(fd, 10 * PS))
		fail("truncate");
	oracle_resize(10 * PS);
	note("truncated to 10 pages");
	dev_stop(&d, &st);
	dev_unpin(&d, 1);
	oracle_finish(fd, map, n);
}

/*
 * 1 KiB blocks: the page at EOF is pinned and the file grows by
 * truncate-up, so pagecache_isize_extended() cleans that page (so that
 * the next store faults and allocates the new blocks). The device writes
 * once more and releases when the extension waits for it, or after it
 * returned. The periodic flusher is off, so that the page is still dirty
 * then: a clean page would make the release take the page lock, which
 * the waiting extension holds.
 */
static void scen_isize_extend(void)
{
	const size_t old = 2 * PS + 1000, new = 4 * PS;
	int fd = oracle_create(old);
	uint8_t *map = map_file(fd, 3 * PS);
	volatile int done = 0;
	struct release_job j = { .done = flag_set, .arg = (void *)&done,
				 .dirty = 1, .seed = 501, .wlen = 1000 };
	struct timed_op ex = { .name = "extend" };
	struct dev d;

	write_str("/proc/sys/vm/dirty_writeback_centisecs", "0");
	oracle_store(map, 0, old, 1);
	dev_open(&d, "device");
	dev_pin_or_refuse(&d, map, 2 * PS, PS, 0);
	dev_write(&d, 0, 1000, 500, 1);
	j.d = &d;
	release_start(&j);
	op_begin(&ex);
	if (ftruncate(fd, new))
		fail("truncate up");
	op_end(&ex);
	done = 1;
	release_join(&j);
	oracle_resize(new);
	op_report(&ex, &j);
	kv("extend_returned_after_unpin", "%d", ex.t1 >= j.unpin_ns);
	oracle_finish(fd, map, 3 * PS);
}

/*
 * Cleaning writeback of a pinned range, then munmap, then the release.
 * munmap moves each dirty PTE's state to its page: on a page that
 * writeback cleaned without cleaning its PTEs, that dirties a clean,
 * unlocked page.
 */
static void scen_munmap_after_writeback(void)
{
	const size_t n = 8 * PS;
	int fd = oracle_create(n);
	uint8_t *map = map_file(fd, n);
	struct dev d;

	oracle_store(map, 0, n, 1);
	dev_open(&d, "device");
	dev_pin_or_refuse(&d, map, 0, n, 0);
	clean_writeback(fd);
	dev_write(&d, 0, n, 700, 1);
	if (munmap(map, n))
		fail("munmap");
	note("unmapped the pinned range");
	dev_unpin(&d, 1);
	oracle_finish(fd, NULL, 0);
}

const struct scenario truncate_scenarios[] = {
	{ "truncate-during-dma", scen_truncate_during_dma },
	{ "truncate-after-writeback", scen_truncate_after_writeback },
	{ "isize-extend", scen_isize_extend },
	{ "munmap-after-writeback", scen_munmap_after_writeback },
	{ NULL, NULL },
};
