// SPDX-License-Identifier: GPL-2.0
/*
 * pinmm-guest: the scenarios where reclaim or memory failure meets pages
 * that a device holds: no device at all (baseline), two devices pinning
 * overlapping ranges, a page with many plain references and no pin, and
 * a poisoned pinned page.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif

/* No device: two processes store, writeback, reclaim, truncate down/up. */
static void scen_baseline(void)
{
	const size_t n = 16 * PS;
	int fd = oracle_create(n);
	uint8_t *map = map_file(fd, n);
	size_t diff;
	pid_t kid;
	int st;

	kid = fork();
	if (kid == 0) {
		for (size_t p = 1; p < 16; p += 2)
			for (size_t i = p * PS; i < (p + 1) * PS; i++)
				map[i] = proc_pattern(2, i);
		_exit(0);
	}
	for (size_t p = 0; p < 16; p += 2)
		oracle_store(map, p * PS, PS, 1);
	if (waitpid(kid, &st, 0) != kid || !WIFEXITED(st))
		fail("the other process");
	for (size_t p = 1; p < 16; p += 2)	/* its stores, now done */
		oracle_stored(p * PS, PS, 2);
	clean_writeback(fd);
	if (oracle_fsync(fd, "after-stores"))
		fail("fsync");
	pageout(map, n);
	diff = oracle_first_diff(map, n);
	if (diff != (size_t)-1)
		note("read back after reclaim differs at %zu", diff);
	oracle_store(map, 0, 4 * PS, 3);
	if (oracle_fsync(fd, "after-read-back"))
		fail("fsync");
	if (ftruncate(fd, 8 * PS))
		fail("truncate");
	oracle_resize(8 * PS);
	if (ftruncate(fd, n))
		fail("truncate");
	oracle_resize(n);
	pageout(map, n);
	oracle_finish(fd, map, n);
}

/*
 * Two devices pin overlapping ranges (pin count 2 on the overlap), three
 * processes map the file, reclaim runs between the two releases.
 * MADV_PAGEOUT only reclaims pages that no other process maps, so the
 * two other processes map only the first and the last two pages (one
 * device's pin each) and reclaim reaches the rest, the overlap included.
 */
static void scen_multi_pin(void)
{
	const size_t n = 16 * PS;
	int fd = oracle_create(n);
	uint8_t *map = map_file(fd, n);
	int go[2], ready[2];
	struct dev a, b;
	pid_t kids[2];
	size_t diff;
	char c;

	if (pipe(go) || pipe(ready))
		fail("pipe");
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		if (kids[k] == 0) {
			/* two pages only: fault-around maps the whole VMA */
			volatile uint8_t *m = mmap(NULL, 2 * PS, PROT_READ,
						   MAP_SHARED, fd,
						   k ? n - 2 * PS : 0);
			uint8_t sum = 0;

			if (m == MAP_FAILED)
				_exit(1);
			sum += m[0] + m[PS];
			if (write(ready[1], &sum, 1) != 1)
				_exit(1);
			if (read(go[0], &c, 1) < 0)
				_exit(1);
			_exit(0);
		}
	}
	for (int k = 0; k < 2; k++)
		if (read(ready[0], &c, 1) != 1)
			fail("child");
	note("three processes map the file");

	oracle_store(map, 0, n, 1);
	dev_open(&a, "device A");
	dev_open(&b, "device B");
	dev_pin_or_refuse(&a, map, 0, 10 * PS, 0);
	dev_pin_or_refuse(&b, map, 5 * PS, 11 * PS, 0);
	dev_write(&a, 0, 10 * PS, 600, 1);
	dev_write(&b, 0, 11 * PS, 700, 1);
	clean_writeback(fd);
	pageout(map, n);
	dev_write(&a, 0, 10 * PS, 601, 1);
	dev_unpin(&a, 1);
	clean_writeback(fd);
	pageout(map, n);
	dev_write(&b, 0, 11 * PS, 701, 1);
	dev_unpin(&b, 1);
	diff = oracle_first_diff(map, n);
	if (diff != (size_t)-1)
		note("mapping differs at %zu before the final sync", diff);
	if (write(go[1], "xx", 2) != 2)
		fail("pipe");
	for (int k = 0; k < 2; k++)
		waitpid(kids[k], NULL, 0);
	oracle_finish(fd, map, n);
}

static long long vmstat(const char *name)
{
	FILE *f = fopen("/proc/vmstat", "r");
	char key[64];
	long long v, found = -1;

	if (!f)
		fail("/proc/vmstat");
	while (fscanf(f, "%63s %lld", key, &v) == 2)
		if (!strcmp(key, name))
			found = v;
	fclose(f);
	return found;
}

/*
 * A page with 1024 or more plain references and no pin, under reclaim:
 * a driver holding one reference per outstanding descriptor (a network
 * stack sending from the page). folio_maybe_dma_pinned() cannot tell it
 * from a pinned page. Every decision made on it while no pin exists is a
 * pin false positive.
 */
static void scen_many_refs(void)
{
	const size_t n = 8 * PS;
	int fd = oracle_create(n);
	uint8_t *map = map_file(fd, n);
	static const char *const decisions[] = {
		"reclaim_pinned_kept", "unmap_refused", "mkclean_skipped",
		"mkclean_waited",
	};
	struct counters c0, c1;
	long long fp = 0, pins;
	struct dev d;

	oracle_store(map, 0, n, 1);
	if (oracle_fsync(fd, "before-references"))
		fail("fsync");
	dev_open(&d, "sender");
	if (dev_pin(&d, map, 0, 4 * PS, PINMM_DMA_PLAIN | PINMM_DMA_READ,
		    1100))
		fail("take 1100 references");
	pins = vmstat("nr_foll_pin_acquired") - vmstat("nr_foll_pin_released");
	read_counters(&c0);
	pageout(map, n);
	read_counters(&c1);
	for (size_t i = 0; i < sizeof(decisions) / sizeof(decisions[0]); i++)
		fp += counter(&c1, decisions[i]) - counter(&c0, decisions[i]);
	kv("pins_outstanding", "%lld", pins);
	kv("pin_false_positives", "%lld", pins ? 0 : fp);
	dev_unpin(&d, 0);
	oracle_store(map, 0, n, 2);
	if (oracle_fsync(fd, "after-references"))
		fail("fsync");
	oracle_finish(fd, map, n);
}

static volatile sig_atomic_t sigbus_code = -1;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	sigbus_code = si->si_code;
}

/*
 * A pinned page is poisoned. memory_failure() calls folio_mkclean() only
 * on a page whose dirty flag is clear, to learn whether a PTE dirtied it:
 * so cleaning writeback runs first, and under seed it leaves the PTE
 * dirty. The device releases as soon as memory_failure() waits for it,
 * or once the poisoning returned. A NIC pins for read and releases clean;
 * a device that wrote releases dirty, which takes the page lock when the
 * page is clean.
 *
 * If the page turns out dirty, its data is lost with it and the kernel
 * sends SIGBUS (BUS_MCEERR_*) to the processes that map it, this one
 * included: that is the kernel's answer, recorded, not a failure.
 */
static void poison_pinned_page(int device_wrote)
{
	const size_t n = 8 * PS;
	int fd = oracle_create(n);
	uint8_t *map = map_file(fd, n);
	volatile int done = 0;
	struct release_job j = { .done = flag_set, .arg = (void *)&done,
				 .dirty = device_wrote };
	struct sigaction sa = { .sa_sigaction = on_sigbus,
				.sa_flags = SA_SIGINFO };
	struct dev d;
	uint64_t t0, t1;
	long long w0;
	int ret, err;

	oracle_store(map, 0, n, 1);
	dev_open(&d, device_wrote ? "device" : "NIC");
	dev_pin_or_refuse(&d, map, 2 * PS, PS,
			  device_wrote ? 0 : PINMM_DMA_READ);
	clean_writeback(fd);
	if (device_wrote)
		dev_write(&d, 0, PS, 1000, 1);
	j.d = &d;
	release_start(&j);
	if (sigaction(SIGBUS, &sa, NULL))
		fail("sigaction");
	w0 = pinmm_now("mkclean_waited");
	t0 = now_ns();
	ret = madvise(map + 2 * PS, PS, MADV_HWPOISON);
	err = errno;
	t1 = now_ns();
	done = 1;
	release_join(&j);
	if (ret && err == EINVAL)
		not_applicable("MADV_HWPOISON: EINVAL: this kernel has no CONFIG_MEMORY_FAILURE");
	/* EBUSY: poisoned, but not recovered (the page was in use) */
	if (ret && err != EBUSY) {
		errno = err;
		fail("madvise(MADV_HWPOISON)");
	}
	oracle_dead(2 * PS, PS);
	kv("poison_result", "%s", ret ? strerror(err) : "recovered");
	kv("poison_sigbus", "%s", sigbus_code == BUS_MCEERR_AR ? "BUS_MCEERR_AR" :
	   sigbus_code == BUS_MCEERR_AO ? "BUS_MCEERR_AO" :
	   sigbus_code < 0 ? "none" : "other");
	kv("poison_ms", "%.1f", (t1 - t0) / 1e6);
	kv("poison_mkclean_waited", "%lld", pinmm_now("mkclean_waited") - w0);
	kv("poison_returned_after_unpin", "%d", t1 >= j.unpin_ns);
	oracle_finish(fd, map, n);	/* never touches the poisoned page */
}

static void scen_memory_failure(void)
{
	poison_pinned_page(0);
}

/* Kernel only: the same with a device that wrote and releases dirty. */
static void scen_memory_failure_dirty_release(void)
{
	poison_pinned_page(1);
}

const struct scenario reclaim_scenarios[] = {
	{ "baseline", scen_baseline },
	{ "multi-pin", scen_multi_pin },
	{ "many-refs", scen_many_refs },
	{ "memory-failure", scen_memory_failure },
	{ "memory-failure-dirty-release", scen_memory_failure_dirty_release },
	{ NULL, NULL },
};
