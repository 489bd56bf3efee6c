/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fsync latency: how long each fsync of a run took, in the run's clock
 * (model time in deterministic mode, so that designs can be compared on
 * any machine).  Every run records it; pinmm compare reports p50 and p99.
 */
#ifndef _HARNESS_LATENCY_H
#define _HARNESS_LATENCY_H

#include <stdint.h>

int fsync_latency_start(void);
void fsync_latency_stop(void);
/* The fsyncs that returned, oldest first: a malloc'ed array, and its size. */
uint64_t *fsync_latency_collect(int *nr);

#endif /* _HARNESS_LATENCY_H */
