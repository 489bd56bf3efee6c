// SPDX-License-Identifier: GPL-2.0
/*
 * pinmm-guest: init and scenario programs for the pinmm UML rig.
 *
 * Booted as init= in a UML guest whose root is the host's / over hostfs:
 *   PINMM_SCEN=<scenario> PINMM_RUN=<dir> [PINMM_TIMEOUT=<s>]
 * It mounts /proc, mounts the ext4 image (/dev/ubdb) on <dir>/mnt, runs
 * the scenario in a child process and watches it: the kernel log for a
 * BUG or a hung task report, and the clock. It prints lines starting
 * with "PINMM-" on the console, which the host parses, and powers off
 * without syncing (a sync could wait forever behind a hung fsync).
 *
 * Every scenario keeps a shadow of every byte that the program stored
 * and the device wrote, and at the end fsyncs, unmounts and remounts the
 * file system and compares the file with the shadow.
 *
 * The device is /dev/pinmm_dma (drivers/misc/pinmm_dma.c); its uapi
 * header is force-included by the build (-include .../pinmm_dma.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define PS 4096UL

static const char *run_dir, *mnt_dir, *file_path;
static const char *dev_path = "/dev/pinmm_dma";
static const char *blk_path = "/dev/ubdb";

/* ---- output ------------------------------------------------------------ */

static void kv(const char *key, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("PINMM-KV %s %s\n", key, buf);
	fflush(stdout);
}

static void note(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("PINMM-NOTE %s\n", buf);
	fflush(stdout);
}

static void fail(const char *what)
{
	printf("PINMM-ERROR %s: %s\n", what, strerror(errno));
	fflush(stdout);
	exit(3);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, s, strlen(s)) < 0)
		note("cannot write %s to %s: %s", s, path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* /proc/pinmm counters */
struct counters {
	long long v[16];
	char name[16][64];
	int n;
};

static void read_counters(struct counters *c)
{
	FILE *f = fopen("/proc/pinmm", "r");
	char name[64];
	long long val;
	char pol[32];

	c->n = 0;
	if (!f)
		return;
	if (fscanf(f, "policy %31s\n", pol) != 1) {
		fclose(f);
		return;
	}
	while (c->n < 16 && fscanf(f, "%63s %lld\n", name, &val) == 2) {
		snprintf(c->name[c->n], sizeof(c->name[0]), "%s", name);
		c->v[c->n++] = val;
	}
	fclose(f);
}

static long long counter(struct counters *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->name[i], name))
			return c->v[i];
	return 0;
}

static struct counters cnt_start;

/* ---- file, shadow and device helpers -------------------------------------- */

static uint8_t *shadow;		/* expected content */
static uint8_t *live;		/* 1 = checked, 0 = truncated/punched */
static size_t shadow_size;	/* expected file size */

static uint8_t proc_pattern(int gen, size_t off)
{
	return (uint8_t)(off * 7 + gen * 13 + (off >> 12) + 1);
}

static int make_file(size_t size)
{
	int fd = open(file_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	uint8_t *buf = malloc(size);

	if (fd < 0 || !buf)
		fail("create file");
	shadow = calloc(1, 64 * PS);
	live = calloc(1, 64 * PS);
	for (size_t i = 0; i < size; i++)
		shadow[i] = buf[i] = proc_pattern(0, i), live[i] = 1;
	shadow_size = size;
	if (write(fd, buf, size) != (ssize_t)size)
		fail("write file");
	if (fsync(fd))
		fail("fsync");
	free(buf);
	return fd;
}

static uint8_t *map_file(int fd, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		fail("mmap");
	return p;
}

/* CPU stores through the mapping, recorded in the shadow. */
static void store(uint8_t *map, size_t off, size_t len, int gen)
{
	for (size_t i = off; i < off + len; i++)
		map[i] = shadow[i] = proc_pattern(gen, i);
}

static void pageout(void *addr, size_t len)
{
	if (madvise(addr, len, MADV_PAGEOUT))
		fail("madvise(MADV_PAGEOUT)");
}

/* Cleaning writeback, as the flusher does: WB_SYNC_NONE, then wait. */
static void clean_writeback(int fd)
{
	if (sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE))
		fail("sync_file_range(WRITE)");
	if (sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WAIT_AFTER))
		fail("sync_file_range(WAIT_AFTER)");
}

struct dev {
	int fd;
	size_t file_off;	/* file offset of the pinned range */
	const char *name;
};

static int dev_open(struct dev *d, const char *name)
{
	d->fd = open(dev_path, O_RDWR);
	d->name = name;
	if (d->fd < 0)
		fail("open /dev/pinmm_dma");
	return d->fd;
}

/* Returns 0, or -errno if the pin was refused. */
static int dev_pin(struct dev *d, uint8_t *map, size_t off, size_t len,
		   int longterm)
{
	struct pinmm_dma_pin pin = {
		.addr = (uintptr_t)(map + off), .len = len,
		.flags = longterm ? PINMM_DMA_LONGTERM : 0,
	};

	d->file_off = off;
	if (ioctl(d->fd, PINMM_DMA_IOC_PIN, &pin))
		return -errno;
	note("%s pinned file bytes [%zu, %zu)%s", d->name, off, off + len,
	     longterm ? " long-term" : "");
	return 0;
}

static void dev_pin_or_refuse(struct dev *d, uint8_t *map, size_t off,
			      size_t len, int longterm)
{
	int err = dev_pin(d, map, off, len, longterm);

	if (err) {
		printf("PINMM-RESULT refused=1 errno=%d (%s)\n", -err,
		       strerror(-err));
		fflush(stdout);
		exit(0);
	}
}

static void shadow_dev(struct dev *d, size_t off, size_t len, uint32_t seed)
{
	for (size_t i = off; i < off + len; i++)
		shadow[d->file_off + i] = pinmm_dma_pattern(seed, i);
}

/* count generations seed .. seed + count - 1 over [off, off + len) */
static void dev_write(struct dev *d, size_t off, size_t len, uint32_t seed,
		      uint32_t count)
{
	struct pinmm_dma_write w = { .offset = off, .len = len, .seed = seed,
				     .count = count };

	if (ioctl(d->fd, PINMM_DMA_IOC_WRITE, &w))
		fail("PINMM_DMA_IOC_WRITE");
	shadow_dev(d, off, len, seed + count - 1);
}

static void dev_start(struct dev *d, size_t off, size_t len, uint32_t seed,
		      uint32_t interval_us)
{
	struct pinmm_dma_write w = { .offset = off, .len = len, .seed = seed,
				     .interval_us = interval_us };

	if (ioctl(d->fd, PINMM_DMA_IOC_START, &w))
		fail("PINMM_DMA_IOC_START");
	note("%s writing continuously", d->name);
}

static void dev_stop(struct dev *d, size_t off, size_t len,
		     struct pinmm_dma_status *st)
{
	if (ioctl(d->fd, PINMM_DMA_IOC_STOP, st))
		fail("PINMM_DMA_IOC_STOP");
	shadow_dev(d, off, len, st->last_seed);
	note("%s stopped after %u generations", d->name, st->generations);
}

static uint64_t dev_unpin(struct dev *d, int dirty)
{
	struct pinmm_dma_status st;

	if (ioctl(d->fd, PINMM_DMA_IOC_UNPIN, (unsigned long)dirty))
		fail("PINMM_DMA_IOC_UNPIN");
	if (ioctl(d->fd, PINMM_DMA_IOC_STATUS, &st))
		fail("PINMM_DMA_IOC_STATUS");
	note("%s released %s", d->name, dirty ? "dirty" : "clean");
	return st.unpin_ns;
}

static void remount(void)
{
	if (umount(mnt_dir)) {
		note("umount: %s; dropping caches instead", strerror(errno));
		sync();
		write_str("/proc/sys/vm/drop_caches", "3");
		return;
	}
	if (mount(blk_path, mnt_dir, "ext4", 0, NULL))
		fail("remount");
}

/*
 * The oracle: fsync, unmap, close, remount, read the file back and
 * compare every live byte with the shadow.
 */
static void finish(int fd, void *map, size_t maplen)
{
	struct counters c;
	size_t lost = 0, first = (size_t)-1, checked = 0;
	struct stat sb;
	uint8_t *buf;

	if (fsync(fd))
		fail("final fsync");
	if (map && munmap(map, maplen))
		fail("munmap");
	close(fd);
	remount();

	fd = open(file_path, O_RDONLY);
	if (fd < 0 || fstat(fd, &sb))
		fail("reopen");
	buf = calloc(1, shadow_size + 1);
	if (pread(fd, buf, shadow_size, 0) < 0)
		fail("read back");
	for (size_t i = 0; i < shadow_size; i++) {
		if (!live[i])
			continue;
		checked++;
		if (buf[i] != shadow[i]) {
			lost++;
			if (first == (size_t)-1)
				first = i;
		}
	}
	if ((size_t)sb.st_size != shadow_size)
		note("file size %lld, expected %zu", (long long)sb.st_size,
		     shadow_size);
	close(fd);

	read_counters(&c);
	for (int i = 0; i < c.n; i++)
		if (strcmp(c.name[i], "last_wait_end_ns"))
			kv(c.name[i], "%lld", c.v[i] - counter(&cnt_start, c.name[i]));
	printf("PINMM-RESULT refused=0 bytes_checked=%zu bytes_lost=%zu first_lost=%lld size_ok=%d\n",
	       checked, lost, first == (size_t)-1 ? -1LL : (long long)first,
	       (size_t)sb.st_size == shadow_size);
	fflush(stdout);
}

/* ---- scenarios -------------------------------------------------------------- */

/* SEMANTICS.md section 7 and 8: pin, clean, reclaim, DMA, release, fsync. */
static void scen_seed_bug(void)
{
	const size_t n = 16 * PS;
	int fd = make_file(n);
	uint8_t *map = map_file(fd, n);
	struct dev d;

	store(map, 0, n, 1);
	dev_open(&d, "device");
	dev_pin_or_refuse(&d, map, 0, n, 0);
	clean_writeback(fd);		/* the flusher cleans the pages */
	pageout(map, n);		/* reclaim: unmap, release buffers */
	dev_write(&d, 0, n, 100, 3);	/* DMA in bursts */
	dev_unpin(&d, 1);		/* set_page_dirty_lock + put */
	note("fsync after the release");
	finish(fd, map, n);
}

struct release_job {
	struct dev *d;
	size_t off, len;
	unsigned int delay_ms;
	uint32_t seed;		/* isize-extend: one last write */
	size_t wlen;
	uint64_t release_ns;	/* when the thread called UNPIN */
	uint64_t unpin_ns;	/* when the device finished the unpin */
	struct pinmm_dma_status st;
};

static void *release_later(void *arg)
{
	struct release_job *j = arg;

	msleep(j->delay_ms);
	if (j->wlen) {
		dev_write(j->d, 0, j->wlen, j->seed, 1);
	} else {
		dev_stop(j->d, j->off, j->len, &j->st);
	}
	j->release_ns = now_ns();
	j->unpin_ns = dev_unpin(j->d, 1);
	return NULL;
}

/* fsync while the device is writing; the device releases 1 s later. */
static void scen_fsync_during_dma(void)
{
	const size_t n = 8 * PS;
	int fd = make_file(n);
	uint8_t *map = map_file(fd, n);
	struct release_job j = { .off = 0, .len = n, .delay_ms = 1000 };
	struct counters c0, c1;
	struct dev d;
	pthread_t t;
	uint64_t t0, t1;

	store(map, 0, n, 1);		/* dirty */
	dev_open(&d, "device");
	dev_pin_or_refuse(&d, map, 0, n, 0);
	dev_start(&d, 0, n, 200, 2000);
	j.d = &d;
	pthread_create(&t, NULL, release_later, &j);
	msleep(200);
	read_counters(&c0);
	t0 = now_ns();
	if (fsync(fd))
		fail("fsync");
	t1 = now_ns();
	read_counters(&c1);
	pthread_join(t, NULL);
	kv("fsync_ms", "%.1f", (t1 - t0) / 1e6);
	kv("fsync_end_minus_unpin_ms", "%.1f",
	   ((double)t1 - (double)j.unpin_ns) / 1e6);
	kv("fsync_returned_after_unpin", "%d", t1 >= j.unpin_ns);
	kv("fsync_mkclean_waited", "%lld",
	   counter(&c1, "mkclean_waited") - counter(&c0, "mkclean_waited"));
	kv("dma_generations", "%u", j.st.generations);
	finish(fd, map, n);
}

/* A long-term pin that the device releases only after fsync returns. */
static void scen_longterm_fsync(void)
{
	const size_t n = 8 * PS;
	int fd = make_file(n);
	uint8_t *map = map_file(fd, n);
	struct dev d;
	uint64_t t0;

	store(map, 0, n, 1);
	dev_open(&d, "device");
	dev_pin_or_refuse(&d, map, 0, n, 1);
	dev_write(&d, 0, n, 300, 1);
	note("fsync with the long-term pin held");
	t0 = now_ns();
	if (fsync(fd))
		fail("fsync");
	kv("fsync_ms", "%.1f", (now_ns() - t0) / 1e6);
	dev_unpin(&d, 1);
	finish(fd, map, n);
}

static uint32_t dev_generations(struct dev *d)
{
	struct pinmm_dma_status st;

	if (ioctl(d->fd, PINMM_DMA_IOC_STATUS, &st))
		fail("PINMM_DMA_IOC_STATUS");
	return st.generations;
}

/* Timing and wait evidence of one call made while the device is pinned. */
struct timed_op {
	const char *name;
	uint64_t t0, t1;
	uint32_t gen0;		/* device generations when it started */
	long long waited;	/* mkclean_waited during the call */
	uint64_t wait_end;	/* last_wait_end_ns after the call */
};

static void op_begin(struct timed_op *op, struct dev *d, struct counters *c)
{
	op->gen0 = dev_generations(d);
	read_counters(c);
	op->t0 = now_ns();
}

static void op_end(struct timed_op *op, struct counters *c0)
{
	struct counters c1;

	op->t1 = now_ns();
	read_counters(&c1);
	op->waited = counter(&c1, "mkclean_waited") -
		     counter(c0, "mkclean_waited");
	op->wait_end = counter(&c1, "last_wait_end_ns");
}

static void op_report(struct timed_op *op, uint64_t pin_ns,
		      struct release_job *j)
{
	uint64_t unpin_ns = j->unpin_ns;
	char k[64];

	snprintf(k, sizeof(k), "%s_ms", op->name);
	kv(k, "%.1f", (op->t1 - op->t0) / 1e6);
	snprintf(k, sizeof(k), "%s_start_after_pin_ms", op->name);
	kv(k, "%.1f", ((double)op->t0 - (double)pin_ns) / 1e6);
	snprintf(k, sizeof(k), "%s_end_minus_unpin_ms", op->name);
	kv(k, "%.1f", ((double)op->t1 - (double)unpin_ns) / 1e6);
	snprintf(k, sizeof(k), "%s_returned_after_unpin", op->name);
	kv(k, "%d", op->t1 >= unpin_ns);
	snprintf(k, sizeof(k), "%s_returned_after_release", op->name);
	kv(k, "%d", op->t1 >= j->release_ns);
	snprintf(k, sizeof(k), "%s_mkclean_waited", op->name);
	kv(k, "%lld", op->waited);
	if (op->waited) {
		/* the kernel's clock is CLOCK_MONOTONIC too */
		snprintf(k, sizeof(k), "%s_wait_end_minus_release_ms",
			 op->name);
		kv(k, "%.1f", ((double)op->wait_end - (double)j->release_ns) / 1e6);
	}
	snprintf(k, sizeof(k), "%s_dma_generations_before", op->name);
	kv(k, "%u", op->gen0);
}

/*
 * Truncate and hole punch through a range that the device has pinned
 * and is writing (SCENARIOS.md). The device pins file pages 4-11 and
 * its kthread writes a generation every 1 ms; a thread of its own stops
 * it and releases the pages dirty 1 s after the pin, whatever the
 * process is doing then. Meanwhile, with the pages still dirty from the
 * process's stores, the process truncates to 10 pages (through the
 * pinned range: pages 10-11 leave the page cache while the device
 * writes them) and then punches a hole over pages 5-6.
 *
 * ext4's hole punch first flushes the range with
 * filemap_write_and_wait_range() (WB_SYNC_ALL): under seed that waits
 * for the unpin, then the punch proceeds. ext4's truncate down has no
 * such flush (only an ordered-data flush when the inode is in the
 * committing transaction), so it does not wait. The rig records both.
 *
 * The periodic flusher is off: a cleaning writeback of the pinned pages
 * before the punch is the other scenario, truncate-after-writeback.
 */
static void scen_truncate_during_dma(void)
{
	const size_t n = 16 * PS;
	int fd = make_file(n);
	uint8_t *map = map_file(fd, n);
	struct release_job j = { .off = 0, .len = 8 * PS, .delay_ms = 1000 };
	struct timed_op tr = { .name = "truncate" }, ph = { .name = "punch" };
	struct pinmm_dma_status st;
	struct counters c0;
	struct dev d;
	pthread_t t;

	write_str("/proc/sys/vm/dirty_writeback_centisecs", "0");
	store(map, 0, n, 1);		/* dirty */
	dev_open(&d, "device");
	dev_pin_or_refuse(&d, map, 4 * PS, 8 * PS, 0);
	dev_start(&d, 0, 8 * PS, 400, 1000);
	j.d = &d;
	pthread_create(&t, NULL, release_later, &j);

	msleep(200);
	op_begin(&tr, &d, &c0);
	if (ftruncate(fd, 10 * PS))
		fail("truncate");
	op_end(&tr, &c0);
	note("truncated to 10 pages");
	memset(live + 10 * PS, 0, 6 * PS);
	shadow_size = 10 * PS;

	msleep(100);
	op_begin(&ph, &d, &c0);
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      5 * PS, 2 * PS))
		fail("punch hole");
	op_end(&ph, &c0);
	note("punched file pages 5-6");
	memset(live + 5 * PS, 0, 2 * PS);

	pthread_join(t, NULL);
	if (ioctl(d.fd, PINMM_DMA_IOC_STATUS, &st))
		fail("PINMM_DMA_IOC_STATUS");
	op_report(&tr, st.pin_ns, &j);
	op_report(&ph, st.pin_ns, &j);
	kv("unpin_after_pin_ms", "%.1f", (j.unpin_ns - st.pin_ns) / 1e6);
	kv("dma_generations", "%u", j.st.generations);
	finish(fd, map, n);
}

/*
 * The same truncate and hole punch, but cleaning writeback (the
 * flusher's WB_SYNC_NONE) runs once while the pages are pinned, before
 * the device starts. Under seed it skips the PTE cleaning of the pinned
 * pages yet clears their dirty flag and writes them, so the punch finds
 * nothing dirty to flush (and does not wait), and then zaps a writable,
 * dirty PTE of a clean, unlocked page: ext4_dirty_folio() warns.
 */
static void scen_truncate_after_writeback(void)
{
	const size_t n = 16 * PS;
	int fd = make_file(n);
	uint8_t *map = map_file(fd, n);
	struct pinmm_dma_status st;
	struct dev d;

	store(map, 0, n, 1);
	dev_open(&d, "device");
	dev_pin_or_refuse(&d, map, 4 * PS, 8 * PS, 0);
	clean_writeback(fd);
	dev_start(&d, 0, 8 * PS, 400, 1000);
	msleep(200);
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      5 * PS, 2 * PS))
		fail("punch hole");
	note("punched file pages 5-6");
	memset(live + 5 * PS, 0, 2 * PS);
	msleep(100);
	if (ftruncate(fd, 10 * PS))
		fail("truncate");
	note("truncated to 10 pages");
	memset(live + 10 * PS, 0, 6 * PS);
	msleep(200);
	dev_stop(&d, 0, 8 * PS, &st);
	dev_unpin(&d, 1);
	shadow_size = 10 * PS;
	finish(fd, map, n);
}

/*
 * 1 KiB blocks: the page at EOF is pinned and the file grows by
 * truncate-up, so pagecache_isize_extended() cleans that page; the
 * device releases it 500 ms later. The periodic flusher is off so that
 * the page is still dirty then: a clean page would make the release
 * take the page lock, which the waiting extension holds.
 */
static void scen_isize_extend(void)
{
	const size_t old = 2 * PS + 1000, new = 4 * PS;
	int fd = make_file(old);
	uint8_t *map = map_file(fd, 3 * PS);
	struct release_job j = { .delay_ms = 500, .seed = 501, .wlen = 1000 };
	struct counters c0, c1;
	struct dev d;
	pthread_t t;
	uint64_t t0, t1;

	write_str("/proc/sys/vm/dirty_writeback_centisecs", "0");
	store(map, 0, old, 1);
	dev_open(&d, "device");
	dev_pin_or_refuse(&d, map, 2 * PS, PS, 0);
	dev_write(&d, 0, 1000, 500, 1);
	j.d = &d;
	pthread_create(&t, NULL, release_later, &j);
	read_counters(&c0);
	t0 = now_ns();
	if (ftruncate(fd, new))
		fail("truncate up");
	t1 = now_ns();
	read_counters(&c1);
	pthread_join(t, NULL);
	for (size_t i = old; i < new; i++)
		shadow[i] = 0, live[i] = 1;
	shadow_size = new;
	kv("extend_ms", "%.1f", (t1 - t0) / 1e6);
	kv("extend_returned_after_unpin", "%d", t1 >= j.unpin_ns);
	kv("extend_mkclean_waited", "%lld",
	   counter(&c1, "mkclean_waited") - counter(&c0, "mkclean_waited"));
	finish(fd, map, 3 * PS);
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
	int fd = make_file(n);
	uint8_t *map = map_file(fd, n);
	int go[2], ready[2];
	struct dev a, b;
	pid_t kids[2];
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

	store(map, 0, n, 1);
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
	for (size_t i = 0; i < n; i++)
		if (map[i] != shadow[i]) {
			note("mapping differs at %zu before the final sync", i);
			break;
		}
	if (write(go[1], "xx", 2) != 2)
		fail("pipe");
	for (int k = 0; k < 2; k++)
		waitpid(kids[k], NULL, 0);
	finish(fd, map, n);
}

/* No device: two processes store, writeback, reclaim, truncate down/up. */
static void scen_baseline(void)
{
	const size_t n = 16 * PS;
	int fd = make_file(n);
	uint8_t *map = map_file(fd, n);
	pid_t kid;
	int st;

	kid = fork();
	if (kid == 0) {
		for (size_t p = 1; p < 16; p += 2)
			store(map, p * PS, PS, 2);
		_exit(0);
	}
	for (size_t p = 0; p < 16; p += 2)
		store(map, p * PS, PS, 1);
	waitpid(kid, &st, 0);
	for (size_t p = 1; p < 16; p += 2)	/* the child's stores */
		for (size_t i = p * PS; i < (p + 1) * PS; i++)
			shadow[i] = proc_pattern(2, i);
	clean_writeback(fd);
	if (fsync(fd))
		fail("fsync");
	pageout(map, n);
	for (size_t i = 0; i < n; i++)
		if (map[i] != shadow[i]) {
			note("read back after reclaim differs at %zu", i);
			break;
		}
	store(map, 0, 4 * PS, 3);
	if (fsync(fd))
		fail("fsync");
	if (ftruncate(fd, 8 * PS) || ftruncate(fd, n))
		fail("truncate");
	memset(shadow + 8 * PS, 0, 8 * PS);
	pageout(map, n);
	finish(fd, map, n);
}

static const struct {
	const char *name;
	void (*fn)(void);
} scenarios[] = {
	{ "baseline", scen_baseline },
	{ "seed-bug", scen_seed_bug },
	{ "fsync-during-dma", scen_fsync_during_dma },
	{ "longterm-fsync", scen_longterm_fsync },
	{ "truncate-during-dma", scen_truncate_during_dma },
	{ "truncate-after-writeback", scen_truncate_after_writeback },
	{ "isize-extend", scen_isize_extend },
	{ "multi-pin", scen_multi_pin },
};

/* ---- init and watchdog ------------------------------------------------------ */

static void power_off(void)
{
	fflush(stdout);
	/* no sync(): it could wait forever behind a hung writeback */
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static char logbuf[1 << 18];

static const char *klog_find(const char *needle)
{
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, logbuf, sizeof(logbuf) - 1);

	if (n < 0)
		return NULL;
	logbuf[n] = 0;
	return strstr(logbuf, needle);
}

static int guest_init(void)
{
	const char *scen = getenv("PINMM_SCEN");
	const char *tmo = getenv("PINMM_TIMEOUT");
	int timeout = tmo ? atoi(tmo) : 60;
	static char mnt[4096], file[4096];
	void (*fn)(void) = NULL;
	uint64_t start;
	pid_t kid;
	int status;

	setvbuf(stdout, NULL, _IOLBF, 0);
	run_dir = getenv("PINMM_RUN");
	if (!scen || !run_dir) {
		printf("PINMM-ERROR PINMM_SCEN and PINMM_RUN must be set\n");
		power_off();
	}
	if (mount("proc", "/proc", "proc", 0, NULL) ||
	    access("/proc/pinmm", R_OK)) {
		printf("PINMM-ERROR no /proc/pinmm: not a pinmm kernel\n");
		power_off();
	}
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (!strcmp(scenarios[i].name, scen))
			fn = scenarios[i].fn;
	if (!fn) {
		printf("PINMM-ERROR unknown scenario %s\n", scen);
		power_off();
	}
	snprintf(mnt, sizeof(mnt), "%s/mnt", run_dir);
	snprintf(file, sizeof(file), "%s/mnt/file", run_dir);
	mnt_dir = mnt;
	file_path = file;

	write_str("/proc/sys/kernel/hung_task_timeout_secs", "3");
	write_str("/proc/sys/kernel/hung_task_warnings", "-1");
	write_str("/proc/sys/vm/dirty_writeback_centisecs", "100");
	write_str("/proc/sys/vm/dirty_expire_centisecs", "300");
	if (mount(blk_path, mnt_dir, "ext4", 0, NULL)) {
		printf("PINMM-ERROR mount %s: %s\n", blk_path, strerror(errno));
		power_off();
	}
	read_counters(&cnt_start);
	printf("PINMM-START scenario=%s\n", scen);

	kid = fork();
	if (kid == 0) {
		prctl(PR_SET_NAME, "pinmm-scenario");
		fn();
		exit(0);
	}
	start = now_ns();
	for (;;) {
		const char *hit;

		if (waitpid(kid, &status, WNOHANG) == kid) {
			if (WIFSIGNALED(status))
				printf("PINMM-EXIT signal=%d\n", WTERMSIG(status));
			else
				printf("PINMM-EXIT status=%d\n", WEXITSTATUS(status));
			break;
		}
		hit = klog_find("blocked for more than");
		if (hit || now_ns() - start > timeout * 1000000000ULL) {
			printf("PINMM-HANG %s\n", hit ? "hung task detector" :
			       "watchdog: scenario did not finish");
			msleep(300);	/* let the report reach the console */
			write_str("/proc/sysrq-trigger", "w");
			msleep(300);
			power_off();
		}
		if (klog_find("kernel BUG at")) {
			printf("PINMM-OOPS\n");
			msleep(300);
			power_off();
		}
		msleep(100);
	}
	umount(mnt_dir);
	printf("PINMM-DONE\n");
	power_off();
	return 0;
}

int main(int argc, char **argv)
{
	if (getpid() == 1)
		return guest_init();
	fprintf(stderr, "pinmm-guest: run me as init in the pinmm UML guest\n");
	return 2;
}
