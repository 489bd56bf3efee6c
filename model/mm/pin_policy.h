/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The designs being compared, as the few decisions where they differ.
 * This header is the model's own: no kernel has it, and nothing under
 * include/linux/ knows about policies.
 *
 * A policy is two layers of the same hooks.  The era is the kernel it
 * runs on: the 2018 kernel of the seed's report, or Linux 6.12 with what
 * mm and ext4 learnt about pins since (FOLL_PIN accounting, reclaim that
 * keeps pinned folios, ext4's warning in place of its BUG, the refusal of
 * long-term writable file pins).  The design is the pinning design on top
 * of it: none, the seed's (July 2018) or bounce (February 2023).
 *
 * Each hook is one decision, called where the kernel makes it; its code
 * lives in the file that the era's or the design's patch touched (mm/gup.c,
 * mm/rmap.c, mm/vmscan.c, mm/page-writeback.c, fs/ext4/...), and the table
 * in mm/pin_policy.c only says which runs.
 *
 * One NULL convention: a NULL hook leaves the decision to the layer
 * below, the design's to its era's, the era's to the 2018 kernel,
 * whose behaviour is the code at the hook's call site.  A policy is chosen
 * when the machine boots and never changes while it runs: pin_policy_set()
 * folds its two layers into pin_ops, which the call sites read.
 */
#ifndef _MM_PIN_POLICY_H
#define _MM_PIN_POLICY_H

#include <linux/mm.h>

struct inode;
struct vm_area_struct;
struct writeback_control;

/* What writeback does with a page a device may have pinned. */
enum pinned_writeback {
	PINNED_WB_WRITE,	/* write the page itself, as if not pinned */
	PINNED_WB_SKIP,		/* leave it dirty, buffers and PTEs as they are */
	PINNED_WB_COPY,		/* write a stable copy; leave the page dirty */
};

struct pin_ops {
	/*
	 * mm/gup.c: may gup pin a page of @vma with @gup_flags?  NULL: yes.
	 * A refusal fails get_user_pages() with -EFAULT.
	 */
	bool (*may_pin)(struct vm_area_struct *vma, unsigned int gup_flags);
	/*
	 * Take gup's reference on a page, under the page table lock, unless
	 * FOLL_GET asked for a plain one.  NULL: get_page().
	 */
	void (*grab_page)(struct page *page);
	/*
	 * At the end of get_user_pages(), each page before the device may
	 * write it: what the design does with a newly pinned page.  NULL:
	 * nothing.
	 */
	void (*pin_page)(struct page *page);
	/* put_user_page(): undo pin_page(), before gup's hold is dropped. */
	void (*unpin_page)(struct page *page);
	/* May a device have pinned the page?  NULL: this kernel cannot tell. */
	bool (*page_maybe_dma_pinned)(struct page *page);
	/* mm/rmap.c: page_mkclean()'s per-VMA step.  NULL: clean every PTE. */
	bool (*page_mkclean_one)(struct page *page, struct vm_area_struct *vma,
				 unsigned long address, void *arg);
	/* mm/rmap.c: may try_to_unmap_one() unmap this page?  NULL: yes. */
	bool (*may_unmap)(struct page *page);
	/* mm/swap.c: may an LRU-add path put this page on a list?  NULL: yes. */
	bool (*may_add_to_lru)(struct page *page);
	/*
	 * mm/vmscan.c: may reclaim, having unmapped the page, go on to write
	 * it, release its buffers and free it?  NULL: yes.
	 */
	bool (*may_reclaim)(struct page *page);
	/*
	 * mm/page-writeback.c and ext4: what writeback of @sync_mode does
	 * with the locked page.  NULL: PINNED_WB_WRITE.
	 */
	enum pinned_writeback (*writeback_pinned)(struct page *page, int sync_mode);
	/*
	 * fs/ext4: ->writepage found the dirty page without buffers.  NULL:
	 * page_buffers() BUGs, as in 2018.  Returns what ->writepage returns.
	 */
	int (*writepage_without_buffers)(struct page *page,
					 struct writeback_control *wbc);
	/*
	 * fs/ext4: does hole punch write the range's dirty pages out before
	 * it drops them from the page cache?  NULL: yes, as 2018's
	 * ext4_punch_hole() did (a data-integrity writeback, so the seed's
	 * waits for an unpin there).
	 */
	bool (*punch_hole_writes_back)(struct inode *inode);
};

struct pin_policy {
	const char *name;
	const char *description;
	const char *era_name;		/* the kernel it runs on */
	const struct pin_ops *era;	/* NULL: the 2018 kernel as it was */
	const struct pin_ops *design;	/* NULL: no pinning design */
};

extern const struct pin_policy *pin_policy;
extern struct pin_ops pin_ops;		/* pin_policy's, design over era */
extern const struct pin_policy pin_policies[];	/* ends with a NULL name */

const struct pin_policy *pin_policy_find(const char *name);
void pin_policy_set(const struct pin_policy *policy);

/* Does the policy keep @page off the LRU lists (seed: it is pinned)? */
static inline bool pin_policy_refuses_lru(struct page *page)
{
	return pin_ops.may_add_to_lru && !pin_ops.may_add_to_lru(page);
}

static inline enum pinned_writeback writeback_pinned(struct page *page,
						     int sync_mode)
{
	return pin_ops.writeback_pinned ?
		       pin_ops.writeback_pinned(page, sync_mode) :
		       PINNED_WB_WRITE;
}

/* mm/gup.c: the running policy's answer (a guess under FOLL_PIN's bias). */
bool page_maybe_dma_pinned(struct page *page);

/* ---- Linux 6.12 (mm/gup.c, mm/vmscan.c, fs/ext4/inode.c) ---- */

/* A pin adds this to a small page's reference count (FOLL_PIN, 5.7). */
#define GUP_PIN_COUNTING_BIAS (1U << 10)

bool writable_file_mapping_allowed(struct vm_area_struct *vma,
				   unsigned int gup_flags);
void try_grab_page(struct page *page);
void foll_unpin_page(struct page *page);
bool foll_page_maybe_dma_pinned(struct page *page);
bool reclaim_may_reclaim_pinned(struct page *page);
int ext4_writepage_without_buffers(struct page *page,
				   struct writeback_control *wbc);
bool ext4_punch_hole_writes_back(struct inode *inode);

/* ---- bounce (mm/gup.c, mm/page-writeback.c) ---- */

bool bounce_may_pin(struct vm_area_struct *vma, unsigned int gup_flags);
void bounce_pin_page(struct page *page);
enum pinned_writeback bounce_writeback_pinned(struct page *page, int sync_mode);

/* ---- the seed (mm/gup.c, mm/rmap.c) ---- */

/*
 * The pinned flag lives in page->dma_pinned_flags, the first word of
 * page->lru.  On a list that word is an aligned pointer, so bit 1 reads
 * as clear; it may be read without a lock for that reason.
 */
#define PAGE_DMA_PINNED 0x2UL
#define PAGE_DMA_PINNED_FLAGS (PAGE_DMA_PINNED)

static inline bool PageDmaPinnedFlags(const struct page *page)
{
	return READ_ONCE(page->dma_pinned_flags) & PAGE_DMA_PINNED_FLAGS;
}

static inline bool PageDmaPinned(const struct page *page)
{
	return READ_ONCE(page->dma_pinned_flags) & PAGE_DMA_PINNED;
}

static inline void SetPageDmaPinned(struct page *page)
{
	WRITE_ONCE(page->dma_pinned_flags, PAGE_DMA_PINNED);
}

static inline void ClearPageDmaPinned(struct page *page)
{
	WRITE_ONCE(page->dma_pinned_flags, 0);
}

/* The seed's zone_gup_lock(): the node's pinned_dma_lock. */
static inline spinlock_t *zone_gup_lock(struct zone *zone)
{
	return &zone->zone_pgdat->pinned_dma_lock;
}

void seed_pin_page_for_dma(struct page *page);
void seed_unpin_page_for_dma(struct page *page);
bool seed_page_dma_pinned(struct page *page);
bool seed_may_unmap(struct page *page);
bool seed_may_add_to_lru(struct page *page);
bool page_mkclean_one_pinned(struct page *page, struct vm_area_struct *vma,
			     unsigned long address, void *arg);

#endif /* _MM_PIN_POLICY_H */
