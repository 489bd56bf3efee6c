/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HARNESS_TRACE_H
#define _HARNESS_TRACE_H

#include <linux/types.h>

struct page;

/* --trace: record the run's events and spans, from now until stopped. */
int chrome_trace_start(void);
void chrome_trace_stop(void);
/* Write what was recorded to @path; 0 or a negative errno. */
int chrome_trace_finish(const char *path, const char *scenario,
			const char *policy, u64 seed, const char *verdict);

#endif /* _HARNESS_TRACE_H */
