/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reverse mapping: from a page to the PTEs that map it (mm/rmap.c).
 */
#ifndef _LINUX_RMAP_H
#define _LINUX_RMAP_H

#include <linux/mm.h>

struct rmap_walk_control {
	void *arg;
	/* Return false to stop the walk. */
	bool (*rmap_one)(struct page *page, struct vm_area_struct *vma,
			 unsigned long addr, void *arg);
	bool (*invalid_vma)(struct vm_area_struct *vma, void *arg);
};

void rmap_walk(struct page *page, struct rmap_walk_control *rwc);
unsigned long vma_address(struct page *page, struct vm_area_struct *vma);

void page_add_file_rmap(struct page *page);
void page_remove_rmap(struct page *page);

int page_referenced(struct page *page, int is_locked, unsigned long *vm_flags);

/*
 * page_mkclean(): write-protect and clean every PTE that maps @page.
 * @skip_pinned_pages is the seed's argument: under the seed policy a
 * DMA-pinned page is skipped (true) or waited for (false).  Returns
 * whether something was cleaned (and, in the seed, nothing skipped).
 */
int page_mkclean(struct page *page, bool skip_pinned_pages);

enum ttu_flags {
	TTU_IGNORE_MLOCK = 0x8,
	TTU_IGNORE_ACCESS = 0x10,
	TTU_IGNORE_HWPOISON = 0x20,
	TTU_BATCH_FLUSH = 0x40,
};

bool try_to_unmap(struct page *page, enum ttu_flags flags);

/* The per-VMA work of page_mkclean(): what it found. */
struct page_mkclean_info {
	int cleaned;
	int skipped;
	bool skip_pinned_pages;
};

#endif /* _LINUX_RMAP_H */
