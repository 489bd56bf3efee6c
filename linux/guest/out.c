// SPDX-License-Identifier: GPL-2.0
/*
 * pinmm-guest: console output, clocks and the /proc/pinmm counters.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"

struct counters cnt_start;

static void line(const char *tag, const char *fmt, va_list ap)
{
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	printf("%s %s\n", tag, buf);
	fflush(stdout);
}

void kv(const char *key, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("PINMM-KV %s %s\n", key, buf);
	fflush(stdout);
}

void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line("PINMM-NOTE", fmt, ap);
	va_end(ap);
}

/* A system call the scenario needs failed: the run says so and stops. */
void fail(const char *what)
{
	printf("PINMM-ERROR %s: %s\n", what, strerror(errno));
	fflush(stdout);
	exit(3);
}

/* The guest could not set up: not a verdict about the kernel's design. */
void env_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line("PINMM-ENV", fmt, ap);
	va_end(ap);
	exit(4);
}

void not_applicable(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line("PINMM-NA", fmt, ap);
	va_end(ap);
	exit(0);
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int ret = 0;

	if (fd < 0 || write(fd, s, strlen(s)) < 0) {
		note("cannot write %s to %s: %s", s, path, strerror(errno));
		ret = -1;
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

char *path_in(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		fail("asprintf");
	return p;
}

void read_counters(struct counters *c)
{
	FILE *f = fopen("/proc/pinmm", "r");
	char name[64], pol[32];
	long long val;

	c->n = 0;
	if (!f)
		return;
	if (fscanf(f, "policy %31s\n", pol) != 1) {
		fclose(f);
		return;
	}
	while (c->n < NR_COUNTERS && fscanf(f, "%63s %lld\n", name, &val) == 2) {
		snprintf(c->name[c->n], sizeof(c->name[0]), "%s", name);
		c->v[c->n++] = val;
	}
	fclose(f);
}

long long counter(const struct counters *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->name[i], name))
			return c->v[i];
	return 0;
}

long long pinmm_now(const char *name)
{
	struct counters c;

	read_counters(&c);
	return counter(&c, name);
}

/* What the run added to each /proc/pinmm counter (not the gauges). */
void report_counters(void)
{
	struct counters c;

	read_counters(&c);
	for (int i = 0; i < c.n; i++)
		if (strcmp(c.name[i], "last_wait_end_ns") &&
		    strcmp(c.name[i], "mkclean_waiting"))
			kv(c.name[i], "%lld", c.v[i] - counter(&cnt_start, c.name[i]));
}

int wait_counter_or(const char *name, long long at_least,
		    int (*done)(void *), void *arg)
{
	for (;;) {
		if (pinmm_now(name) >= at_least)
			return 1;
		if (done(arg))
			return 0;
		msleep(5);
	}
}
