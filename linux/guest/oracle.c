// SPDX-License-Identifier: GPL-2.0
/*
 * pinmm-guest: the oracle. It knows what every byte of the scenario's file
 * must hold and when the kernel promised to have it on the disk.
 *
 * Each byte of the file is in one of three states:
 *
 *   PROMISED  its last write was a CPU store through the mapping (or a
 *             write(2)), or a device's DMA whose pages were then released
 *             dirty: the next fsync must put it on the disk;
 *   PENDING   a device wrote it (or a store to it is under way) and has
 *             not released it dirty yet: no fsync promises it;
 *   DEAD      truncated away, punched out or poisoned: never checked.
 *
 * Every write also gets a sequence number. An fsync promises exactly the
 * PROMISED bytes whose last write completed before fsync was called: at
 * that moment the oracle takes a snapshot, and when fsync returns it reads
 * the file's blocks from the block device itself (FIEMAP for where they
 * are, O_DIRECT reads of /dev/ubdb, bypassing the page cache), and
 * compares every promised byte that nothing has written since. A miss is
 * data loss at that fsync, reported with its offset. At the end the file
 * system is unmounted and mounted again, and every PROMISED byte is
 * compared once more.
 *
 * Locking: one mutex covers the shadow; scenarios write from several
 * threads (a device's release thread, the process). It is never held
 * across a store into the mapping or a system call that may block on
 * the kernel's design (fsync, the device's ioctls).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest.h"

enum { DEAD, PROMISED, PENDING };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint8_t expect[MAX_FILE];	/* what the byte must hold */
static uint8_t state[MAX_FILE];
static uint64_t seq[MAX_FILE];		/* when it was last written */
static uint64_t seq_now;
static size_t file_size;		/* what st_size must be */

uint8_t proc_pattern(int gen, size_t off)
{
	return (uint8_t)(off * 7 + gen * 13 + (off >> 12) + 1);
}

/*
 * Record a write (or a truncation) of [off, off + len). A device's DMA
 * into pages that were truncated away does not bring them back: dma is
 * true for those, and DEAD bytes stay DEAD.
 */
static void mark_range(size_t off, size_t len, int st, int dma)
{
	if (off + len > MAX_FILE)
		env_fail("oracle: range [%zu, %zu) beyond %lu", off, off + len,
			 MAX_FILE);
	pthread_mutex_lock(&lock);
	seq_now++;
	for (size_t i = off; i < off + len; i++) {
		if (dma && state[i] == DEAD)
			continue;
		state[i] = st;
		seq[i] = seq_now;
	}
	pthread_mutex_unlock(&lock);
}

static void mark(size_t off, size_t len, int st)
{
	mark_range(off, len, st, 0);
}

int oracle_create(size_t size)
{
	int fd = open(file_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	uint8_t *buf = malloc(size);

	if (fd < 0 || !buf)
		fail("create file");
	for (size_t i = 0; i < size; i++)
		buf[i] = expect[i] = proc_pattern(0, i);
	mark(0, size, PROMISED);
	file_size = size;
	if (write(fd, buf, size) != (ssize_t)size)
		fail("write file");
	free(buf);
	if (oracle_fsync(fd, "create"))
		fail("fsync");
	return fd;
}

/* A file of holes: ext4 allocates its blocks only at writeback. */
int oracle_create_sparse(size_t size)
{
	int fd = open(file_path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || ftruncate(fd, size))
		fail("create sparse file");
	memset(expect, 0, size);
	mark(0, size, PROMISED);
	file_size = size;
	if (oracle_fsync(fd, "create"))
		fail("fsync");
	return fd;
}

uint8_t *map_file(int fd, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		fail("mmap");
	return p;
}

/* Stores of generation @gen to [off, off + len) have completed. */
void oracle_stored(size_t off, size_t len, int gen)
{
	pthread_mutex_lock(&lock);
	for (size_t i = off; i < off + len; i++)
		expect[i] = proc_pattern(gen, i);
	pthread_mutex_unlock(&lock);
	mark(off, len, PROMISED);
}

/* CPU stores through the mapping. */
void oracle_store(uint8_t *map, size_t off, size_t len, int gen)
{
	mark(off, len, PENDING);	/* under way: not promised yet */
	for (size_t i = off; i < off + len; i++)
		map[i] = proc_pattern(gen, i);
	oracle_stored(off, len, gen);
}

/* A device wrote generation @seed of its pattern at file [off, off+len). */
void oracle_dma(size_t off, size_t len, uint32_t seed)
{
	mark_range(off, len, PENDING, 1);
	pthread_mutex_lock(&lock);
	for (size_t i = off; i < off + len; i++)
		expect[i] = pinmm_dma_pattern(seed, i - off);
	pthread_mutex_unlock(&lock);
}

/* A device is writing there, generation unknown until it stops. */
void oracle_dma_unknown(size_t off, size_t len)
{
	mark_range(off, len, PENDING, 1);
}

/* The device released its pages: dirty makes its writes promised. */
void oracle_release(size_t off, size_t len, int dirty)
{
	if (!dirty)
		return;
	pthread_mutex_lock(&lock);
	seq_now++;
	for (size_t i = off; i < off + len; i++) {
		if (state[i] != PENDING)
			continue;
		state[i] = PROMISED;
		seq[i] = seq_now;
	}
	pthread_mutex_unlock(&lock);
}

void oracle_dead(size_t off, size_t len)
{
	mark(off, len, DEAD);
}

/* ftruncate(size): the tail goes; a grown tail reads as zeroes. */
void oracle_resize(size_t size)
{
	size_t old = file_size;

	if (size < old) {
		oracle_dead(size, old - size);
	} else if (size > old) {
		pthread_mutex_lock(&lock);
		memset(expect + old, 0, size - old);
		pthread_mutex_unlock(&lock);
		mark(old, size - old, PROMISED);
	}
	file_size = size;
}

static int blk_fd = -1;

/*
 * Read what the block device holds for [0, size) of the file: where its
 * blocks are (FIEMAP, without FIEMAP_FLAG_SYNC, which would write the
 * file back), then the blocks themselves with O_DIRECT. Holes, delayed
 * allocations (nothing on the disk yet) and unwritten extents read as
 * zeroes, as they would after a crash.
 */
static void read_device_image(int fd, uint8_t *img, size_t size)
{
	const unsigned int max = 256;
	struct fiemap *fm;
	void *buf;

	memset(img, 0, size);
	if (blk_fd < 0)
		blk_fd = open(blk_path, O_RDONLY | O_DIRECT);
	if (blk_fd < 0)
		fail("open the block device");
	fm = calloc(1, sizeof(*fm) + max * sizeof(struct fiemap_extent));
	if (!fm || posix_memalign(&buf, 4096, 1 << 20))
		fail("malloc");
	fm->fm_length = FIEMAP_MAX_OFFSET;
	fm->fm_extent_count = max;
	if (ioctl(fd, FS_IOC_FIEMAP, fm))
		fail("FS_IOC_FIEMAP");
	if (fm->fm_mapped_extents == max)
		env_fail("oracle: more than %u extents", max);
	for (unsigned int e = 0; e < fm->fm_mapped_extents; e++) {
		struct fiemap_extent *x = &fm->fm_extents[e];
		uint64_t done = 0;

		if (x->fe_flags & (FIEMAP_EXTENT_DELALLOC |
				   FIEMAP_EXTENT_UNKNOWN |
				   FIEMAP_EXTENT_UNWRITTEN))
			continue;
		while (done < x->fe_length && x->fe_logical + done < size) {
			size_t n = x->fe_length - done, keep;

			if (n > 1 << 20)
				n = 1 << 20;
			if (pread(blk_fd, buf, n, x->fe_physical + done) != (ssize_t)n)
				fail("read the block device");
			keep = n;
			if (x->fe_logical + done + keep > size)
				keep = size - (x->fe_logical + done);
			memcpy(img + x->fe_logical + done, buf, keep);
			done += n;
		}
	}
	free(buf);
	free(fm);
}

/*
 * fsync, and check what it promised: every byte that was PROMISED when
 * fsync was called, and that nothing wrote since, is on the device.
 */
int oracle_fsync(int fd, const char *name)
{
	uint8_t *snap = malloc(MAX_FILE), *snap_state = malloc(MAX_FILE);
	uint8_t *img = malloc(MAX_FILE);
	size_t size, checked = 0, lost = 0, first = (size_t)-1;
	uint64_t s0;
	int ret, err;

	if (!snap || !snap_state || !img)
		fail("malloc");
	pthread_mutex_lock(&lock);
	size = file_size;
	memcpy(snap, expect, size);
	memcpy(snap_state, state, size);
	s0 = seq_now;
	pthread_mutex_unlock(&lock);

	ret = fsync(fd);
	err = errno;
	if (ret) {
		printf("PINMM-FSYNC name=%s ret=%d checked=0 lost=0 first=-1\n",
		       name, -err);
		fflush(stdout);
		goto out;
	}
	read_device_image(fd, img, size);
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < size; i++) {
		if (snap_state[i] != PROMISED || seq[i] > s0)
			continue;
		checked++;
		if (img[i] != snap[i]) {
			lost++;
			if (first == (size_t)-1)
				first = i;
		}
	}
	pthread_mutex_unlock(&lock);
	printf("PINMM-FSYNC name=%s ret=0 checked=%zu lost=%zu first=%lld\n",
	       name, checked, lost, first == (size_t)-1 ? -1LL : (long long)first);
	fflush(stdout);
out:
	free(snap);
	free(snap_state);
	free(img);
	errno = err;
	return ret;
}

/* The first byte of the mapping that differs from what it must hold. */
size_t oracle_first_diff(const uint8_t *map, size_t len)
{
	size_t i, found = (size_t)-1;

	pthread_mutex_lock(&lock);
	for (i = 0; i < len; i++)
		if (state[i] != DEAD && map[i] != expect[i]) {
			found = i;
			break;
		}
	pthread_mutex_unlock(&lock);
	return found;
}

void remount(void)
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
 * The end of every scenario: a checked fsync, munmap, close, unmount,
 * mount, and every promised byte read back through a fresh page cache.
 */
void oracle_finish(int fd, void *map, size_t maplen)
{
	size_t lost = 0, first = (size_t)-1, checked = 0, unpromised = 0;
	struct stat sb;
	uint8_t *buf;

	if (oracle_fsync(fd, "final"))
		note("final fsync: %s", strerror(errno));
	if (map && munmap(map, maplen))
		fail("munmap");
	close(fd);
	remount();

	fd = open(file_path, O_RDONLY);
	if (fd < 0 || fstat(fd, &sb))
		fail("reopen");
	buf = calloc(1, file_size + 1);
	if (!buf || pread(fd, buf, file_size, 0) < 0)
		fail("read back");
	for (size_t i = 0; i < file_size; i++) {
		if (state[i] == PENDING)
			unpromised++;
		if (state[i] != PROMISED)
			continue;
		checked++;
		if (buf[i] != expect[i]) {
			lost++;
			if (first == (size_t)-1)
				first = i;
		}
	}
	if ((size_t)sb.st_size != file_size)
		note("file size %lld, expected %zu", (long long)sb.st_size,
		     file_size);
	close(fd);
	free(buf);

	report_counters();
	printf("PINMM-RESULT refused=0 bytes_checked=%zu bytes_lost=%zu first_lost=%lld size_ok=%d unpromised=%zu\n",
	       checked, lost, first == (size_t)-1 ? -1LL : (long long)first,
	       (size_t)sb.st_size == file_size, unpromised);
	fflush(stdout);
}
