// SPDX-License-Identifier: GPL-2.0
/*
 * pinmm-guest: the fake DMA device, /dev/pinmm_dma (drivers/misc/pinmm_dma.c
 * of the series; its uapi header is force-included by the build). Every
 * write and release is told to the oracle.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "guest.h"

static const char *dev_path = "/dev/pinmm_dma";

void dev_open(struct dev *d, const char *name)
{
	d->fd = open(dev_path, O_RDWR);
	d->name = name;
	if (d->fd < 0)
		env_fail("open %s: %s", dev_path, strerror(errno));
}

/* Returns 0, or -errno if the pin was refused. */
int dev_pin(struct dev *d, uint8_t *map, size_t off, size_t len,
	    unsigned int flags, unsigned int refs)
{
	struct pinmm_dma_pin pin = {
		.addr = (uintptr_t)(map + off), .len = len,
		.flags = flags, .refs = refs,
	};

	d->file_off = off;
	d->len = len;
	if (ioctl(d->fd, PINMM_DMA_IOC_PIN, &pin))
		return -errno;
	note("%s %s file bytes [%zu, %zu)%s%s", d->name,
	     flags & PINMM_DMA_PLAIN ? "took references on" : "pinned",
	     off, off + len, flags & PINMM_DMA_LONGTERM ? " long-term" : "",
	     flags & PINMM_DMA_READ ? " for read" : "");
	return 0;
}

void dev_pin_or_refuse(struct dev *d, uint8_t *map, size_t off, size_t len,
		       unsigned int flags)
{
	int err = dev_pin(d, map, off, len, flags, 0);

	if (err) {
		printf("PINMM-RESULT refused=1 errno=%d (%s)\n", -err,
		       strerror(-err));
		fflush(stdout);
		exit(0);
	}
}

/* count generations seed .. seed + count - 1 over [off, off + len) */
void dev_write(struct dev *d, size_t off, size_t len, uint32_t seed,
	       uint32_t count)
{
	struct pinmm_dma_write w = { .offset = off, .len = len, .seed = seed,
				     .count = count };

	if (off)
		env_fail("dev_write: the oracle's pattern assumes offset 0");
	oracle_dma_unknown(d->file_off + off, len);
	if (ioctl(d->fd, PINMM_DMA_IOC_WRITE, &w))
		fail("PINMM_DMA_IOC_WRITE");
	oracle_dma(d->file_off + off, len, seed + count - 1);
}

/* A kernel thread writes [0, len) of the range until dev_stop(). */
void dev_start(struct dev *d, size_t len, uint32_t seed, uint32_t interval_us)
{
	struct pinmm_dma_write w = { .len = len, .seed = seed,
				     .interval_us = interval_us };

	d->job_len = len;
	oracle_dma_unknown(d->file_off, len);
	if (ioctl(d->fd, PINMM_DMA_IOC_START, &w))
		fail("PINMM_DMA_IOC_START");
	note("%s writing continuously", d->name);
}

void dev_stop(struct dev *d, struct pinmm_dma_status *st)
{
	if (ioctl(d->fd, PINMM_DMA_IOC_STOP, st))
		fail("PINMM_DMA_IOC_STOP");
	if (st->generations)
		oracle_dma(d->file_off, d->job_len, st->last_seed);
	note("%s stopped after %u generations", d->name, st->generations);
}

void dev_status(struct dev *d, struct pinmm_dma_status *st)
{
	if (ioctl(d->fd, PINMM_DMA_IOC_STATUS, st))
		fail("PINMM_DMA_IOC_STATUS");
}

/*
 * Wait until the device's writer thread has written @n generations in
 * all: what follows then happens during DMA, however slow the machine.
 */
uint32_t dev_wait_generations(struct dev *d, uint32_t n)
{
	struct pinmm_dma_status st;

	for (;;) {
		dev_status(d, &st);
		if (st.generations >= n)
			return st.generations;
		if (!st.running)
			env_fail("%s: writer thread not running", d->name);
		msleep(1);
	}
}

/* Release the pages; returns when the device finished the unpin. */
uint64_t dev_unpin(struct dev *d, int dirty)
{
	struct pinmm_dma_status st;

	if (ioctl(d->fd, PINMM_DMA_IOC_UNPIN, (unsigned long)dirty))
		fail("PINMM_DMA_IOC_UNPIN");
	oracle_release(d->file_off, d->len, dirty);
	dev_status(d, &st);
	note("%s released %s", d->name, dirty ? "dirty" : "clean");
	return st.unpin_ns;
}

int flag_set(void *arg)
{
	return *(volatile int *)arg;
}

static void *release_thread(void *arg)
{
	struct release_job *j = arg;

	j->waited = wait_counter_or("mkclean_waiting", 1, j->done, j->arg);
	j->release_ns = now_ns();
	if (j->stop)
		dev_stop(j->d, &j->st);
	else if (j->wlen)
		dev_write(j->d, 0, j->wlen, j->seed, 1);
	j->unpin_ns = dev_unpin(j->d, j->dirty);
	return NULL;
}

void release_start(struct release_job *j)
{
	if (pthread_create(&j->thread, NULL, release_thread, j))
		fail("pthread_create");
}

void release_join(struct release_job *j)
{
	pthread_join(j->thread, NULL);
}

/* Release after allocating [off, off + len) of the file fd. */
uint64_t dev_complete(struct dev *d, int fd, size_t off, size_t len,
		      int dirty)
{
	struct pinmm_dma_complete c = { .fd = fd, .dirty = dirty,
					.offset = off, .len = len };
	struct pinmm_dma_status st;

	if (ioctl(d->fd, PINMM_DMA_IOC_COMPLETE, &c))
		fail("PINMM_DMA_IOC_COMPLETE");
	oracle_release(d->file_off, d->len, dirty);
	dev_status(d, &st);
	note("%s completed and released %s", d->name,
	     dirty ? "dirty" : "clean");
	return st.unpin_ns;
}
