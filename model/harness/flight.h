/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flight recorder: the last events of every task and page, kept in a
 * ring in every run and shown when a run fails.
 */
#ifndef _HARNESS_FLIGHT_H
#define _HARNESS_FLIGHT_H

int flight_recorder_start(void);
void flight_recorder_stop(void);
/*
 * The last events, oldest first: those of the pages in @pfns and the
 * task-level ones (no page); all of them if @nr_pfns is 0.  Malloc'ed.
 */
char *flight_recorder_dump(const unsigned long *pfns, int nr_pfns);
/* The page of @pid's last event, in @pfns[0]; returns 0 or 1. */
int flight_last_page_of(int pid, unsigned long *pfns);

#endif /* _HARNESS_FLIGHT_H */
