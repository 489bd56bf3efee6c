/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The unstable-write counter: a page written to the block device while a
 * device held it pinned for write (its bytes may change under the write).
 * Counted in every run as unstable_writes (docs/catalog.md names it).
 */
#ifndef _HARNESS_UNSTABLE_H
#define _HARNESS_UNSTABLE_H

int unstable_writes_start(unsigned long max_pfn);
void unstable_writes_stop(void);

#endif /* _HARNESS_UNSTABLE_H */
