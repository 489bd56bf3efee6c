/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HARNESS_TRACE_H
#define _HARNESS_TRACE_H

#include <linux/types.h>

struct page;

void chrome_trace_start(void);
bool chrome_trace_active(void);
void chrome_trace_event(char ph, const char *name, struct page *page, long arg);
int chrome_trace_finish(const char *path, const char *scenario,
			const char *policy, u64 seed, const char *verdict);

#endif /* _HARNESS_TRACE_H */
