/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The designs being compared, as the few places where they differ.
 *
 * A policy is chosen when the machine boots and never changes while it
 * runs.  Each hook stands for a place that a design's patches changed, and
 * the code of each design lives in the file the patch touched (mm/gup.c,
 * mm/rmap.c, mm/swap.c); this table only says which one runs.  A NULL hook
 * is the 2018 kernel's behaviour.
 */
#ifndef _LINUX_PIN_POLICY_H
#define _LINUX_PIN_POLICY_H

#include <linux/mm_types.h>

struct pin_policy {
	const char *name;
	const char *description;
	/* mm/gup.c: at the end of get_user_pages(), for each page. */
	void (*pin_page)(struct page *page);
	/* put_user_page(): undo pin_page(), before the reference is put. */
	void (*unpin_page)(struct page *page);
	/* Is the page DMA-pinned, as far as this design can tell? */
	bool (*page_dma_pinned)(struct page *page);
	/* mm/rmap.c: page_mkclean()'s per-VMA step. */
	bool (*page_mkclean_one)(struct page *page, struct vm_area_struct *vma,
				 unsigned long address, void *arg);
	/* mm/rmap.c: may try_to_unmap_one() unmap this page? */
	bool (*may_unmap)(struct page *page);
	/* mm/swap.c: may an LRU-add path put this page on a list? */
	bool (*may_add_to_lru)(struct page *page);
};

extern const struct pin_policy *pin_policy;
extern const struct pin_policy pin_policy_vanilla;
extern const struct pin_policy pin_policy_seed;
extern const struct pin_policy *const pin_policies[];

/* Does the policy keep @page off the LRU lists (seed: it is pinned)? */
static inline bool pin_policy_refuses_lru(struct page *page)
{
	return pin_policy->may_add_to_lru && !pin_policy->may_add_to_lru(page);
}

const struct pin_policy *pin_policy_find(const char *name);
void pin_policy_set(const struct pin_policy *policy);

#endif /* _LINUX_PIN_POLICY_H */
