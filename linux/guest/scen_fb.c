// SPDX-License-Identifier: GPL-2.0
/*
 * pinmm-guest: fb-defio. A device pins pages of a deferred-I/O framebuffer
 * (drivers/video/fbdev/pinmm_fb.c of the series) while the deferred-I/O
 * worker cleans the pages the program touched.
 *
 * There is no block device here: what must hold is that the "panel" (what
 * the deferred I/O sent, pinmm_fb/panel in debugfs) ends up equal to what
 * the program and the device wrote, once the program touched every page
 * again and fsync flushed the deferred I/O.
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
#include <sys/mount.h>
#include <unistd.h>

#include "guest.h"

#define FB_PAGES 16
#define FB_SIZE (FB_PAGES * PS)
#define FB_DEBUGFS "/sys/kernel/debug/pinmm_fb/"

static uint8_t want[FB_SIZE];

static long flushes(void)
{
	char buf[32] = "";
	int fd = open(FB_DEBUGFS "flushes", O_RDONLY);

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0)
		fail("read pinmm_fb/flushes");
	close(fd);
	return atol(buf);
}

static void wait_flushes(long n)
{
	while (flushes() < n)
		msleep(5);
}

static void fb_store(uint8_t *fb, size_t off, size_t len, int gen)
{
	for (size_t i = off; i < off + len; i++)
		fb[i] = want[i] = proc_pattern(gen, i);
}

static int flushed_since(void *arg)
{
	return flushes() > *(long *)arg;
}

static void scen_fb_defio(void)
{
	struct pinmm_dma_write w = { .len = 8 * PS, .seed = 1200, .count = 1 };
	struct release_job j = { .done = flushed_since, .dirty = 1 };
	size_t checked = 0, lost = 0, first = (size_t)-1;
	uint8_t *fb, *panel = malloc(FB_SIZE);
	long waited0, flushes0;
	struct dev d;
	int fd, pfd;

	if (mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL) &&
	    errno != EBUSY)
		env_fail("mount debugfs: %s", strerror(errno));
	fd = open("/dev/fb0", O_RDWR);
	if (fd < 0 || access(FB_DEBUGFS "panel", R_OK))
		not_applicable("no pinmm_fb framebuffer: this kernel has no CONFIG_FB_PINMM");
	fb = mmap(NULL, FB_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (fb == MAP_FAILED)
		fail("mmap /dev/fb0");

	fb_store(fb, 0, FB_SIZE, 1);		/* defio tracks every page */
	wait_flushes(1);
	note("the deferred I/O flushed the first frame");

	dev_open(&d, "capture device");
	if (dev_pin(&d, fb, 0, 8 * PS, 0, 0)) /* faults: defio tracks them */
		fail("pin the framebuffer");
	if (ioctl(d.fd, PINMM_DMA_IOC_WRITE, &w))
		fail("PINMM_DMA_IOC_WRITE");
	for (size_t i = 0; i < 8 * PS; i++)
		want[i] = pinmm_dma_pattern(1200, i);
	waited0 = pinmm_now("mkclean_waited");
	j.d = &d;
	flushes0 = flushes();
	j.arg = &flushes0;
	release_start(&j);
	release_join(&j);
	wait_flushes(flushes0 + 1);
	kv("defio_mkclean_waited", "%lld", pinmm_now("mkclean_waited") - waited0);

	/* Touch every page again so that the next flush sends all of it. */
	for (size_t p = 0; p < FB_PAGES; p++)
		fb_store(fb, p * PS, p < 8 ? 1 : PS, 2);
	if (fsync(fd))
		fail("fsync /dev/fb0");

	pfd = open(FB_DEBUGFS "panel", O_RDONLY);
	if (pfd < 0 || !panel || read(pfd, panel, FB_SIZE) != FB_SIZE)
		fail("read pinmm_fb/panel");
	close(pfd);
	for (size_t i = 0; i < FB_SIZE; i++) {
		checked++;
		if (panel[i] != want[i] && lost++ == 0)
			first = i;
	}
	kv("defio_flushes", "%ld", flushes());
	report_counters();
	printf("PINMM-RESULT refused=0 bytes_checked=%zu bytes_lost=%zu first_lost=%lld size_ok=1 unpromised=0\n",
	       checked, lost, first == (size_t)-1 ? -1LL : (long long)first);
	fflush(stdout);
	munmap(fb, FB_SIZE);
	close(fd);
}

const struct scenario fb_scenarios[] = {
	{ "fb-defio", scen_fb_defio },
	{ NULL, NULL },
};
