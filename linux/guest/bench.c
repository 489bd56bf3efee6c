// SPDX-License-Identifier: GPL-2.0
/*
 * pinmm-guest: the kernel half of make bench (linux/bench.py), under the
 * booted policy. One boot measures every figure; the host boots each
 * policy in turn, round after round, and divides each figure by its
 * floor: the one measured in the same boot, and upstream's of the same
 * round. Nothing here judges a number.
 *
 * Every measurement is one console line, "PINMM-BENCH <figure> k=v ...",
 * or "PINMM-BENCH-NA <figure> <why>" where the design cannot run it; the
 * programs it runs (gup_test, fio) have their output relayed as
 * "PINMM-ST <tag> <line>" (selftests.c).
 *
 *   gup     gup_test's GUP_FAST (the floor: plain references), PIN_FAST
 *           and PIN_LONGTERM benchmarks, on anonymous memory and on a
 *           shared mapping of an ext4 file
 *   fio     4 KiB O_DIRECT random reads and writes of an ext4 file, the
 *           seed author's metric: every I/O pins its user buffer
 *   fsync   fsync latency of a file while a device keeps pinning, writing
 *           and releasing part of it; the floor is the same file with no
 *           device
 *   bounce  MB/s that fsync writes of a range the device holds pinned,
 *           4 KiB to 1 MiB (under bounce: stable copies); the floor is
 *           fsync of the same range unpinned
 *
 * Parameters, from the kernel command line (init's environment):
 *   PINMM_BENCH=gup,fio,fsync,bounce  the figures (default: all)
 *   PINMM_BENCH_REPS=N                repetitions of each in a boot (2)
 *   PINMM_BENCH_FIO_MS=N              runtime of one fio job (2000)
 *   PINMM_BENCH_GUP_MB=N              gup_test's size in MiB (32)
 *   PINMM_BENCH_FSYNCS=N              fsyncs per latency sample (100)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest.h"

#define FIO "/usr/bin/fio"
#define FIO_FILE_MB 16

static int reps = 2, fio_ms = 2000, gup_mb = 32, nr_fsyncs = 100;

static int env_int(const char *name, int def, int min, int max)
{
	const char *v = getenv(name);
	char *end;
	long x;

	if (!v)
		return def;
	x = strtol(v, &end, 10);
	if (*end || x < min || x > max)
		env_fail("%s=%s: expected %d to %d", name, v, min, max);
	return x;
}

static void na(const char *figure, const char *why)
{
	printf("PINMM-BENCH-NA %s %s\n", figure, why);
	fflush(stdout);
}

/* A file of @size bytes with its blocks allocated and on the device. */
static int bench_file(const char *name, size_t size)
{
	char *path = path_in(mnt_dir, name);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	size_t chunk = 1 << 20;
	char *buf = malloc(chunk);

	if (fd < 0 || !buf)
		fail("create bench file");
	memset(buf, 0x5a, chunk);
	for (size_t off = 0; off < size; off += chunk) {
		size_t n = size - off < chunk ? size - off : chunk;

		if (pwrite(fd, buf, n, off) != (ssize_t)n)
			fail("write bench file");
	}
	if (fsync(fd))
		fail("fsync bench file");
	free(buf);
	free(path);
	return fd;
}

/* ---- gup_test --------------------------------------------------------- */

/* Read a sysctl into @old (for set_sysctl() to put back) and set it. */
static void set_sysctl(const char *path, const char *val, char *old,
		       size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f || !fgets(old, len, f))
		env_fail("read %s", path);
	fclose(f);
	old[strcspn(old, "\n")] = 0;
	if (write_str(path, val))
		env_fail("write %s", path);
}

static const char *const wb_sysctls[] = {
	"/proc/sys/vm/dirty_writeback_centisecs",
	"/proc/sys/vm/dirty_background_ratio",
	"/proc/sys/vm/dirty_ratio",
};

static void bench_gup(void)
{
	static const char *const quiet[] = { "0", "60", "80" };
	char *file = path_in(mnt_dir, "gup_test_file");
	char mb[16], r[16], old[3][32];

	selftests_setup();
	/*
	 * gup_test stores to every page of the ext4 mapping and then pins
	 * it for write, again and again: a flusher pass in between would
	 * write-protect the PTEs, and the next pin would fault every page
	 * (page_mkwrite and all). That is writeback's cost, not the pin's:
	 * no periodic or background writeback while it runs.
	 */
	for (int i = 0; i < 3; i++)
		set_sysctl(wb_sysctls[i], quiet[i], old[i], sizeof(old[i]));
	make_sized(file, (size_t)gup_mb << 20);
	snprintf(mb, sizeof(mb), "%d", gup_mb);
	snprintf(r, sizeof(r), "%d", reps * 3);
	/* 512 pages a call, as a driver pinning a buffer would */
	run_relayed("bench-gup_fast-anon", "gup_test",
		    (char *[]){ "-u", "-n", "512", "-m", mb, "-r", r, NULL }, 0);
	run_relayed("bench-pin_fast-anon", "gup_test",
		    (char *[]){ "-a", "-n", "512", "-m", mb, "-r", r, NULL }, 0);
	run_relayed("bench-pin_longterm-anon", "gup_test",
		    (char *[]){ "-L", "-n", "512", "-m", mb, "-r", r, NULL }, 0);
	run_relayed("bench-gup_fast-ext4", "gup_test",
		    (char *[]){ "-u", "-n", "512", "-m", mb, "-r", r, "-S",
				"-f", file, NULL }, 0);
	run_relayed("bench-pin_fast-ext4", "gup_test",
		    (char *[]){ "-a", "-n", "512", "-m", mb, "-r", r, "-S",
				"-f", file, NULL }, 0);
	unlink(file);
	free(file);
	for (int i = 0; i < 3; i++)
		write_str(wb_sysctls[i], old[i]);
}

/* ---- fio ---------------------------------------------------------------- */

static void bench_fio(void)
{
	static const char *const rws[] = { "randread", "randwrite" };
	char *file = path_in(mnt_dir, "fio.dat");
	char fname[512], rt[32], size[32], job[2 * 10][32];
	const char *global[] = { fname, rt, size, "--bs=4k", "--direct=1",
				 "--ioengine=psync", "--thread",
				 "--time_based", "--randrepeat=1",
				 "--norandommap", "--output-format=json" };
	char *args[48];
	int n = 0;

	if (access(FIO, X_OK)) {
		na("fio", "fio is not installed on the host (its root is the guest's)");
		return;
	}
	close(bench_file("fio.dat", FIO_FILE_MB << 20));
	snprintf(fname, sizeof(fname), "--filename=%s", file);
	snprintf(rt, sizeof(rt), "--runtime=%dms", fio_ms);
	snprintf(size, sizeof(size), "--size=%dM", FIO_FILE_MB);
	/*
	 * --thread: no SysV shared memory; psync: one synchronous 4 KiB
	 * pread or pwrite at a time, each pinning its user buffer
	 * (iov_iter_extract_pages()). One fio for every job, run one after
	 * the other (--stonewall): starting fio is where a guest twice
	 * stopped for good (see linux/bench.py), so it starts once a boot.
	 */
	for (size_t i = 0; i < sizeof(global) / sizeof(global[0]); i++)
		args[n++] = (char *)global[i];
	for (int rep = 0; rep < reps && rep < 10; rep++) {
		for (int k = 0; k < 2; k++) {
			char *name = job[rep * 2 + k];

			snprintf(name, sizeof(job[0]), "--name=%s-%d", rws[k],
				 rep);
			args[n++] = name;
			args[n++] = k ? "--rw=randwrite" : "--rw=randread";
			args[n++] = "--stonewall";
		}
	}
	args[n] = NULL;
	run_relayed("bench-fio", FIO, args, 0);
	unlink(file);
	free(file);
}

/* ---- fsync latency with a pinned range under DMA ----------------------- */

/*
 * A device that pins the first @len bytes of the mapping, writes them for
 * @busy_us (its kernel thread, a generation every 50 us), releases them
 * dirty, and is idle for @idle_us, until stopped: a transfer at a time.
 */
struct cycler {
	int fd;
	uint8_t *map;
	size_t len;
	unsigned int busy_us, idle_us;
	volatile int stop;
	unsigned long cycles;
	pthread_t thread;
};

static void *cycle(void *arg)
{
	struct cycler *c = arg;
	uint32_t seed = 1;

	while (!c->stop) {
		struct pinmm_dma_pin pin = { .addr = (uintptr_t)c->map,
					     .len = c->len };
		struct pinmm_dma_write w = { .len = c->len, .seed = seed,
					     .interval_us = 50 };
		struct pinmm_dma_status st;

		if (ioctl(c->fd, PINMM_DMA_IOC_PIN, &pin))
			fail("PINMM_DMA_IOC_PIN");
		if (ioctl(c->fd, PINMM_DMA_IOC_START, &w))
			fail("PINMM_DMA_IOC_START");
		usleep(c->busy_us);
		if (ioctl(c->fd, PINMM_DMA_IOC_STOP, &st))
			fail("PINMM_DMA_IOC_STOP");
		seed = st.last_seed + 1;
		if (ioctl(c->fd, PINMM_DMA_IOC_UNPIN, 1UL))
			fail("PINMM_DMA_IOC_UNPIN");
		c->cycles++;
		usleep(c->idle_us);
	}
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of n sorted samples. */
static uint64_t pct(const uint64_t *v, int n, int p)
{
	int i = (n * p + 99) / 100 - 1;

	return v[i < 0 ? 0 : i];
}

/* Store to every page of [from, to), fsync; @n times. */
static void fsync_sample(const char *mode, int rep, int fd, uint8_t *map,
			 size_t from, size_t to, uint64_t *lat)
{
	long long waited = pinmm_now("mkclean_waited");
	uint64_t sum = 0;

	for (int i = 0; i < nr_fsyncs; i++) {
		uint64_t t0;

		for (size_t off = from; off < to; off += PS)
			map[off + i % PS] = i;
		t0 = now_ns();
		if (fsync(fd))
			fail("fsync");
		lat[i] = now_ns() - t0;
		sum += lat[i];
	}
	qsort(lat, nr_fsyncs, sizeof(*lat), cmp_u64);
	printf("PINMM-BENCH fsync mode=%s rep=%d n=%d p50_us=%.1f p99_us=%.1f mean_us=%.1f waited=%lld\n",
	       mode, rep, nr_fsyncs, pct(lat, nr_fsyncs, 50) / 1e3,
	       pct(lat, nr_fsyncs, 99) / 1e3, sum / 1e3 / nr_fsyncs,
	       pinmm_now("mkclean_waited") - waited);
	fflush(stdout);
}

static void bench_fsync(void)
{
	const size_t n = 64 * PS, pinned = 16 * PS;
	int fd = bench_file("fsync.dat", n);
	uint8_t *map = map_file(fd, n);
	uint64_t *lat = calloc(nr_fsyncs, sizeof(*lat));
	struct cycler c = { .map = map, .len = pinned, .busy_us = 4000,
			    .idle_us = 1000 };

	c.fd = open("/dev/pinmm_dma", O_RDWR);
	if (c.fd < 0 || !lat)
		fail("open /dev/pinmm_dma");
	for (int rep = 0; rep < reps; rep++) {
		/* the floor: the process dirties all 64 pages itself */
		fsync_sample("floor", rep, fd, map, 0, n, lat);
		/* the device dirties the first 16 at each release */
		c.stop = 0;
		if (pthread_create(&c.thread, NULL, cycle, &c))
			fail("pthread_create");
		fsync_sample("pinned", rep, fd, map, pinned, n, lat);
		c.stop = 1;
		pthread_join(c.thread, NULL);
	}
	kv("bench_fsync_dma_cycles", "%lu", c.cycles);
	close(c.fd);
	munmap(map, n);
	close(fd);
	free(lat);
}

/* ---- fsync throughput of a pinned range: the bounce copy ---------------- */

static int policy_waits_for_unpin(void)
{
	FILE *f = fopen("/sys/module/pinmm/parameters/policy", "r");
	char pol[32] = "";

	if (!f || !fgets(pol, sizeof(pol), f))
		env_fail("cannot read the pinmm policy");
	fclose(f);
	return !strncmp(pol, "seed", 4);
}

/* MB/s of @k fsyncs of [0, size), every page stored to before each. */
static double fsync_mbps(int fd, uint8_t *map, size_t size, int k)
{
	uint64_t t = 0;

	for (int i = 0; i < k; i++) {
		uint64_t t0;

		for (size_t off = 0; off < size; off += PS)
			map[off + i % PS] = i;
		t0 = now_ns();
		if (fsync(fd))
			fail("fsync");
		t += now_ns() - t0;
	}
	return (double)size * k / (t / 1e3);	/* bytes per us = MB/s */
}

static void bench_bounce(void)
{
	static const size_t sizes[] = { 4096, 16384, 65536, 262144, 1 << 20 };
	int waits = policy_waits_for_unpin();

	if (waits)
		na("bounce", "fsync of a pinned range waits for the unpin under this design");
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t size = sizes[s];
		/* at least 2 MiB or 8 fsyncs a sample */
		int k = size * 8 >= (2 << 20) ? 8 : (2 << 20) / size;
		int fd = bench_file("bounce.dat", size);
		uint8_t *map = map_file(fd, size);
		struct dev d;

		dev_open(&d, "device");
		for (int rep = 0; rep < reps; rep++) {
			struct counters c0, c1;
			struct pinmm_dma_pin pin = { .addr = (uintptr_t)map,
						     .len = size };
			struct pinmm_dma_write w = { .len = size, .seed = rep,
						     .count = 1 };
			double floor, pinned;

			floor = fsync_mbps(fd, map, size, k);
			printf("PINMM-BENCH bounce mode=floor size=%zu rep=%d fsyncs=%d mbps=%.2f\n",
			       size, rep, k, floor);
			if (waits)
				continue;
			if (ioctl(d.fd, PINMM_DMA_IOC_PIN, &pin) ||
			    ioctl(d.fd, PINMM_DMA_IOC_WRITE, &w))
				fail("pin and write the range");
			read_counters(&c0);
			pinned = fsync_mbps(fd, map, size, k);
			read_counters(&c1);
			if (ioctl(d.fd, PINMM_DMA_IOC_UNPIN, 1UL))
				fail("PINMM_DMA_IOC_UNPIN");
			printf("PINMM-BENCH bounce mode=pinned size=%zu rep=%d fsyncs=%d mbps=%.2f bounce_bytes=%lld unstable_writes=%lld\n",
			       size, rep, k, pinned,
			       counter(&c1, "bounce_bytes") -
				       counter(&c0, "bounce_bytes"),
			       counter(&c1, "unstable_writes") -
				       counter(&c0, "unstable_writes"));
		}
		fflush(stdout);
		close(d.fd);
		munmap(map, size);
		close(fd);
	}
}

static void scen_bench(void)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} figures[] = {
		{ "gup", bench_gup },
		{ "fio", bench_fio },
		{ "fsync", bench_fsync },
		{ "bounce", bench_bounce },
	};
	const char *want = getenv("PINMM_BENCH");
	char *list = strdup(want ? want : "gup,fio,fsync,bounce");

	reps = env_int("PINMM_BENCH_REPS", reps, 1, 100);
	fio_ms = env_int("PINMM_BENCH_FIO_MS", fio_ms, 100, 600000);
	gup_mb = env_int("PINMM_BENCH_GUP_MB", gup_mb, 1, 64);
	nr_fsyncs = env_int("PINMM_BENCH_FSYNCS", nr_fsyncs, 1, 100000);
	for (char *sp, *w = strtok_r(list, ",", &sp); w;
	     w = strtok_r(NULL, ",", &sp)) {
		size_t i;

		for (i = 0; i < sizeof(figures) / sizeof(figures[0]); i++)
			if (!strcmp(figures[i].name, w))
				break;
		if (i == sizeof(figures) / sizeof(figures[0]))
			env_fail("PINMM_BENCH: unknown figure %s", w);
		printf("PINMM-BENCH-BEGIN %s\n", w);
		fflush(stdout);
		figures[i].fn();
	}
	report_counters();
	printf("PINMM-BENCH-DONE\n");
	printf("PINMM-RESULT refused=0 bytes_checked=0 bytes_lost=0 size_ok=1\n");
	fflush(stdout);
	free(list);
}

const struct scenario bench_scenarios[] = {
	{ "bench", scen_bench },
	{ NULL, NULL },
};
