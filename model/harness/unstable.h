/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the harness knows about pins that the kernel cannot: which pages a
 * device holds, and for write.  From it, every run counts
 *
 *   unstable_writes      pages written to the block device while a device
 *                        held them for write (in place, not from a copy);
 *   pinned_writes        pages written in place while a device held them
 *                        at all, for read or write: what the kernel's
 *                        /proc/pinmm unstable_writes counts, since
 *                        folio_maybe_dma_pinned() cannot tell the two;
 *   unstable_bytes       bytes that reached the device different from the
 *                        page's bytes at the moment writeback took them;
 *   pin_false_positive   page_maybe_dma_pinned() answers "pinned" for a
 *                        page no device holds.
 *
 * docs/catalog.md names them; docs/differential.md says which of the
 * kernel's /proc/pinmm counters each one is held against.
 */
#ifndef _HARNESS_UNSTABLE_H
#define _HARNESS_UNSTABLE_H

int unstable_writes_start(unsigned long max_pfn);
void unstable_writes_stop(void);

#endif /* _HARNESS_UNSTABLE_H */
