// SPDX-License-Identifier: GPL-2.0
/*
 * pinmm-guest: what scenarios share, and the table of them.
 *
 * Reclaim is forced with madvise(MADV_PAGEOUT); cleaning writeback (the
 * flusher's WB_SYNC_NONE) with sync_file_range(WRITE) and then
 * sync_file_range(WAIT_AFTER); data-integrity writeback with fsync.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include "guest.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

void clean_writeback(int fd)
{
	if (sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE))
		fail("sync_file_range(WRITE)");
	if (sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WAIT_AFTER))
		fail("sync_file_range(WAIT_AFTER)");
}

void pageout(void *addr, size_t len)
{
	if (madvise(addr, len, MADV_PAGEOUT))
		fail("madvise(MADV_PAGEOUT)");
}

static const struct scenario *const groups[] = {
	reclaim_scenarios, fsync_scenarios, truncate_scenarios, fb_scenarios,
	selftest_scenarios, bench_scenarios,
};

const struct scenario *find_scenario(const char *name)
{
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		for (const struct scenario *s = groups[g]; s->name; s++)
			if (!strcmp(s->name, name))
				return s;
	return NULL;
}
