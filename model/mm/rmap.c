// SPDX-License-Identifier: GPL-2.0
/*
 * Reverse mapping of file pages: walk the VMAs of page->mapping->i_mmap
 * that cover page->index, and act on the PTE that maps the page in each.
 *
 * page_mkclean() write-protects and cleans those PTEs so that the next
 * store faults and is seen by ->page_mkwrite.  It is how writeback keeps
 * the page's dirty state honest, and the place where the seed changes
 * writeback: under the seed policy a DMA-pinned page is skipped (cleaning
 * writeback) or waited for (data-integrity writeback and the others).
 *
 * try_to_unmap() removes the PTEs so that reclaim can free the page; the
 * seed makes it refuse a DMA-pinned page.
 *
 * Locking:
 *   PG_locked (the caller's)
 *     mapping->i_mmap_rwsem (read)
 *       zone_gup_lock (seed: pinned_dma_lock)
 *         mm->page_table_lock
 *           mapping->private_lock, i_pages.xa_lock (set_page_dirty)
 *   The seed's wait for an unpin drops pinned_dma_lock around schedule().
 */
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/sched.h>
#include <linux/swap.h>
#include <linux/tracepoint.h>

#include "pin_policy.h"

void page_add_file_rmap(struct page *page)
{
	atomic_inc(&page->_mapcount);
}

void page_remove_rmap(struct page *page)
{
	VM_BUG_ON_PAGE(!page_mapped(page), page);
	atomic_dec(&page->_mapcount);
}

unsigned long vma_address(struct page *page, struct vm_area_struct *vma)
{
	return vma->vm_start + ((page->index - vma->vm_pgoff) << PAGE_SHIFT);
}

static bool vma_covers(struct vm_area_struct *vma, pgoff_t pgoff)
{
	pgoff_t npages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;

	return pgoff >= vma->vm_pgoff && pgoff < vma->vm_pgoff + npages;
}

/*
 * rmap_walk_file().  The page is locked, so page->mapping and page->index
 * cannot change under the walk.
 */
void rmap_walk(struct page *page, struct rmap_walk_control *rwc)
{
	struct address_space *mapping = page_mapping(page);
	struct vm_area_struct *vma;

	VM_BUG_ON_PAGE(!PageLocked(page), page);
	if (!mapping)
		return;
	down_read(&mapping->i_mmap_rwsem);
	list_for_each_entry(vma, &mapping->i_mmap, shared) {
		if (!vma_covers(vma, page->index))
			continue;
		if (rwc->invalid_vma && rwc->invalid_vma(vma, rwc->arg))
			continue;
		if (!rwc->rmap_one(page, vma, vma_address(page, vma), rwc->arg))
			break;
	}
	up_read(&mapping->i_mmap_rwsem);
}

/* The PTE of @vma at @address if it maps @page, with the PTL held. */
static pte_t *page_vma_mapped(struct page *page, struct vm_area_struct *vma,
			      unsigned long address)
{
	pte_t *ptep = vma_pte(vma, address);
	pte_t pte;

	spin_lock(&vma->vm_mm->page_table_lock);
	pte = ptep_get(ptep);
	if (pte_present(pte) && pte_pfn(pte) == page_to_pfn(page))
		return ptep;
	spin_unlock(&vma->vm_mm->page_table_lock);
	return NULL;
}

/* ---- page_referenced ---- */

struct page_referenced_arg {
	int referenced;
	unsigned long vm_flags;
};

static bool page_referenced_one(struct page *page, struct vm_area_struct *vma,
				unsigned long address, void *arg)
{
	struct page_referenced_arg *pra = arg;
	pte_t *ptep = page_vma_mapped(page, vma, address);
	pte_t pte;

	if (!ptep)
		return true;
	pte = ptep_get(ptep);
	if (pte_young(pte)) {
		set_pte(ptep, pte_mkold(pte));	/* ptep_clear_flush_young() */
		pra->referenced++;
		pra->vm_flags |= vma->vm_flags;
	}
	spin_unlock(&vma->vm_mm->page_table_lock);
	return true;
}

/*
 * How many PTEs referenced @page since the last call (clearing their
 * accessed bits).  Without the page lock, a page that cannot be locked
 * counts as referenced, as in the kernel.
 */
int page_referenced(struct page *page, int is_locked, unsigned long *vm_flags)
{
	struct page_referenced_arg pra = { 0 };
	struct rmap_walk_control rwc = {
		.rmap_one = page_referenced_one,
		.arg = &pra,
	};
	bool we_locked = false;

	*vm_flags = 0;
	if (!page_mapped(page) || !page_mapping(page))
		return 0;
	if (!is_locked) {
		we_locked = trylock_page(page);
		if (!we_locked)
			return 1;
	}
	rmap_walk(page, &rwc);
	*vm_flags = pra.vm_flags;
	if (we_locked)
		unlock_page(page);
	return pra.referenced;
}

/* ---- page_mkclean ---- */

/* Clean and write-protect the PTE of @vma that maps @page; 1 if it did. */
static int page_mkclean_ptes(struct page *page, struct vm_area_struct *vma,
			     unsigned long address)
{
	pte_t *ptep = page_vma_mapped(page, vma, address);
	pte_t pte;
	int ret = 0;

	if (!ptep)
		return 0;
	pte = ptep_get(ptep);
	if (pte_dirty(pte) || pte_write(pte)) {
		/* ptep_clear_flush(); set_pte_at() */
		set_pte(ptep, pte_wrprotect(pte_mkclean(pte)));
		ret = 1;
	}
	spin_unlock(&vma->vm_mm->page_table_lock);
	if (ret) {
		count_vm_event(MKCLEAN_PTES_CLEANED);
		trace_event("mkclean", page, page_mapcount(page));
	}
	return ret;
}

/* 2018: clean every PTE, whatever holds the page. */
static bool page_mkclean_one(struct page *page, struct vm_area_struct *vma,
			     unsigned long address, void *arg)
{
	struct page_mkclean_info *mki = arg;

	mki->cleaned += page_mkclean_ptes(page, vma, address);
	return true;
}

/*
 * Seed: wait until the page is no longer DMA-pinned.  Called and returns
 * with pinned_dma_lock held; drops it around each schedule().  The task
 * stays TASK_RUNNING, so schedule() only yields: this is the busy wait the
 * reviewers asked to replace with a wait queue, kept as it was posted.
 */
static void wait_for_dma_pinned_to_clear(struct page *page)
{
	struct zone *zone = page_zone(page);

	if (!PageDmaPinnedFlags(page))
		return;
	count_vm_event(MKCLEAN_PINNED_WAITS);
	current->pin_waits++;
	trace_event("wait_for_unpin", page, 0);
	set_wchan("wait_for_dma_pinned_to_clear", WCHAN_PAGE, page);
	set_polling();
	while (PageDmaPinnedFlags(page)) {
		spin_unlock(zone_gup_lock(zone));
		count_vm_event(MKCLEAN_PINNED_WAIT_LOOPS);
		schedule();
		spin_lock(zone_gup_lock(zone));
	}
	clear_wchan();
	trace_event("unpin_seen", page, 0);
}

/* Seed: page_mkclean_one() with the skip-or-wait choice. */
bool page_mkclean_one_pinned(struct page *page, struct vm_area_struct *vma,
			     unsigned long address, void *arg)
{
	struct page_mkclean_info *mki = arg;
	struct zone *zone = page_zone(page);

	/* Serialize with get_user_pages. */
	spin_lock(zone_gup_lock(zone));
	if (PageDmaPinned(page) && mki->skip_pinned_pages) {
		spin_unlock(zone_gup_lock(zone));
		mki->skipped++;
		count_vm_event(MKCLEAN_PINNED_SKIPPED);
		trace_event("mkclean_skip_pinned", page, 0);
		return false;
	}
	/*
	 * The seed drops the lock while it calls the mmu notifiers (the
	 * model has none), then retakes it: the pin state may change here.
	 */
	spin_unlock(zone_gup_lock(zone));
	spin_lock(zone_gup_lock(zone));
	wait_for_dma_pinned_to_clear(page);
	mki->cleaned += page_mkclean_ptes(page, vma, address);
	spin_unlock(zone_gup_lock(zone));
	return true;
}

int page_mkclean(struct page *page, bool skip_pinned_pages)
{
	struct page_mkclean_info mki = {
		.skip_pinned_pages = skip_pinned_pages,
	};
	struct rmap_walk_control rwc = {
		.arg = &mki,
		.rmap_one = pin_ops.page_mkclean_one ?: page_mkclean_one,
	};

	BUG_ON(!PageLocked(page));
	if (!page_mapped(page))
		return 0;
	if (!page_mapping(page))
		return 0;
	trace_span_begin("page_mkclean", page, skip_pinned_pages);
	rmap_walk(page, &rwc);
	trace_span_end("page_mkclean", page, mki.cleaned);
	return mki.cleaned && !mki.skipped;
}

/* ---- try_to_unmap ---- */

static bool try_to_unmap_one(struct page *page, struct vm_area_struct *vma,
			     unsigned long address, void *arg)
{
	enum ttu_flags flags = (enum ttu_flags)(uintptr_t)arg;
	pte_t *ptep;
	pte_t pte;

	if (pin_ops.may_unmap && !pin_ops.may_unmap(page)) {
		count_vm_event(TTU_PINNED_REFUSED);
		trace_event("ttu_refused_pinned", page, 0);
		return false;
	}
	ptep = page_vma_mapped(page, vma, address);
	if (!ptep)
		return true;
	pte = ptep_get(ptep);
	if (!(flags & TTU_IGNORE_ACCESS) && pte_young(pte)) {
		/* Referenced since reclaim looked: keep it mapped. */
		set_pte(ptep, pte_mkold(pte));
		spin_unlock(&vma->vm_mm->page_table_lock);
		return false;
	}
	set_pte(ptep, (pte_t){ 0 });	/* ptep_clear_flush() */
	/* Move the dirty bit to the page. */
	if (pte_dirty(pte))
		set_page_dirty(page);
	page_remove_rmap(page);
	spin_unlock(&vma->vm_mm->page_table_lock);
	put_page(page);
	trace_event("unmap", page, page_mapcount(page));
	return true;
}

/* Returns true if the page is no longer mapped anywhere. */
bool try_to_unmap(struct page *page, enum ttu_flags flags)
{
	struct rmap_walk_control rwc = {
		.rmap_one = try_to_unmap_one,
		.arg = (void *)(uintptr_t)flags,
	};

	trace_span_begin("try_to_unmap", page, 0);
	rmap_walk(page, &rwc);
	trace_span_end("try_to_unmap", page, page_mapcount(page));
	return !page_mapcount(page);
}
