// SPDX-License-Identifier: GPL-2.0
/*
 * get_user_pages() and the release of what it returned.
 *
 * gup walks the task's page tables under mmap_sem (read), faults in what is
 * missing (for write when FOLL_WRITE, so ->page_mkwrite runs once, here)
 * and takes a reference on each page.  A device may then write the pages
 * by DMA for as long as it likes; mm is not told.
 *
 * The seed policy's tracking is here too, as the seed's series put it: at
 * the end of get_user_pages(), each page is pinned under the node's
 * pinned_dma_lock.  A page already pinned gets its count raised; any other
 * page is taken off the LRU and gets count 1 and the pinned flag, both kept
 * in the page->lru words.  put_user_page() drops the count and, at zero,
 * clears the flag and puts the page back on the LRU (the series' later
 * revision), before dropping gup's reference.
 *
 * A page that another task has isolated from the LRU at that moment (kswapd
 * holds it on a private list) cannot be pinned: its page->lru words belong
 * to that list.  The seed then leaves it unpinned, and counts
 * dma_pin_isolate_failed; the run shows what follows.
 *
 * On Linux 6.12 (the upstream and bounce policies) the same calls are
 * pin_user_pages() and unpin_user_page(), and FOLL_GET asks for plain
 * references (get_user_pages() of a driver not converted to FOLL_PIN,
 * released with put_page()): FOLL_PIN accounting adds
 * GUP_PIN_COUNTING_BIAS to the page's reference count for each pin, and
 * page_maybe_dma_pinned() is a guess from the count; gup refuses a
 * long-term writable pin of a file mapping that needs dirty tracking
 * (writable_file_mapping_allowed(), 6.5).
 *
 * Locking: mmap_sem (read) -> page_table_lock.  pinned_dma_lock -> lru_lock.
 */
#include <errno.h>

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/swap.h>
#include <linux/tracepoint.h>

#include "pin_policy.h"

static struct page *follow_page_mask(struct vm_area_struct *vma,
				     unsigned long address,
				     unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *ptep = vma_pte(vma, address);
	struct page *page = NULL;
	pte_t pte;

	spin_lock(&mm->page_table_lock);
	pte = ptep_get(ptep);
	if (!pte_present(pte))
		goto out;
	if ((flags & FOLL_WRITE) && !pte_write(pte))
		goto out;
	page = pfn_to_page(pte_pfn(pte));
	if (pin_ops.grab_page && !(flags & FOLL_GET))
		pin_ops.grab_page(page);
	else
		get_page(page);
	if (flags & FOLL_WRITE)
		set_pte(ptep, pte_mkdirty(pte_mkyoung(pte)));
	else
		set_pte(ptep, pte_mkyoung(pte));
out:
	spin_unlock(&mm->page_table_lock);
	return page;
}

static int faultin_page(struct vm_area_struct *vma, unsigned long address,
			unsigned int flags)
{
	int ret = handle_mm_fault(vma, address,
				  (flags & FOLL_WRITE) ? FAULT_FLAG_WRITE : 0);

	if (ret & VM_FAULT_OOM)
		return -ENOMEM;
	if (ret & VM_FAULT_SIGBUS)
		return -EFAULT;
	return 0;
}

static long __get_user_pages(struct mm_struct *mm, unsigned long start,
			     unsigned long nr_pages, unsigned int gup_flags,
			     struct page **pages)
{
	unsigned long i;

	for (i = 0; i < nr_pages; i++) {
		unsigned long addr = start + i * PAGE_SIZE;
		struct vm_area_struct *vma = find_vma(mm, addr);
		struct page *page;
		int ret;

		if (!vma || addr < vma->vm_start)
			return i ? (long)i : -EFAULT;
		if ((gup_flags & FOLL_WRITE) && !(vma->vm_flags & VM_WRITE))
			return i ? (long)i : -EFAULT;
		if (pin_ops.may_pin && !pin_ops.may_pin(vma, gup_flags))
			return i ? (long)i : -EFAULT;
		while (!(page = follow_page_mask(vma, addr, gup_flags))) {
			ret = faultin_page(vma, addr, gup_flags);
			if (ret)
				return i ? (long)i : ret;
			cond_resched();
		}
		/* From here a device may write the page (if FOLL_WRITE). */
		trace_dma_map_page(page, gup_flags & FOLL_WRITE);
		pages[i] = page;
	}
	return (long)i;
}

/*
 * Returns the number of pages pinned, or a negative errno if none was.
 * On a short count, the caller must release the pages it got.
 */
long get_user_pages(struct mm_struct *mm, unsigned long start,
		    unsigned long nr_pages, unsigned int gup_flags,
		    struct page **pages)
{
	long got;

	if (!nr_pages || (start & ~PAGE_MASK) || !pages)
		return -EINVAL;
	/*
	 * A short count returns pages the caller must release with
	 * put_user_pages(), which reports them unmapped.
	 */
	trace_span_begin("get_user_pages", NULL, (long)nr_pages);
	down_read(&mm->mmap_sem);
	got = __get_user_pages(mm, start, nr_pages, gup_flags, pages);
	up_read(&mm->mmap_sem);
	for (long i = 0; i < got; i++) {
		/* The seed pins whatever gup returns: 2018 had no FOLL_PIN. */
		if (pin_ops.pin_page)
			pin_ops.pin_page(pages[i]);
		if (!(gup_flags & FOLL_GET))
			count_vm_event(NR_FOLL_PIN_ACQUIRED);
	}
	trace_span_end("get_user_pages", NULL, got);
	return got;
}

void put_user_page(struct page *page)
{
	if (pin_ops.unpin_page)
		pin_ops.unpin_page(page);
	count_vm_event(NR_FOLL_PIN_RELEASED);
	put_page(page);
}

/*
 * The release of pages a device wrote: set_page_dirty_lock() and put, as
 * drivers did in 2018, in the form put_user_pages_dirty_lock() gave it
 * later that year: a page that is already dirty is not locked again.
 * That check races with clear_page_dirty_for_io(), harmlessly: if it sees
 * the page dirty, the writeback that is clearing it will write it; if it
 * sees it clean, the page is dirtied again and written once more.  It also
 * keeps the release from taking the page lock that a data-integrity
 * writeback holds while it waits for this very unpin (seed policy).
 */
void put_user_pages_dirty_lock(struct page **pages, unsigned long npages)
{
	for (unsigned long i = 0; i < npages; i++) {
		if (!PageDirty(pages[i]))
			set_page_dirty_lock(pages[i]);
		put_user_page(pages[i]);
	}
}

void put_user_pages(struct page **pages, unsigned long npages)
{
	for (unsigned long i = 0; i < npages; i++)
		put_user_page(pages[i]);
}

bool page_maybe_dma_pinned(struct page *page)
{
	bool ret = pin_ops.page_maybe_dma_pinned &&
		   pin_ops.page_maybe_dma_pinned(page);

	trace_page_maybe_dma_pinned(page, ret);
	return ret;
}

/* ---- Linux 6.12: FOLL_PIN accounting and the long-term refusal ---- */

/*
 * try_grab_folio(FOLL_PIN) of a small page: the reference gup takes is
 * GUP_PIN_COUNTING_BIAS references, taken under the page table lock, so
 * that the page looks pinned from the moment a device can have it.
 */
void try_grab_page(struct page *page)
{
	VM_BUG_ON_PAGE(page_ref_count(page) <= 0, page);
	page_ref_add(page, GUP_PIN_COUNTING_BIAS);
}

/* unpin_user_page(): all but the reference put_user_page() puts. */
void foll_unpin_page(struct page *page)
{
	VM_BUG_ON_PAGE(page_count(page) < (int)GUP_PIN_COUNTING_BIAS, page);
	page_ref_sub_return(page, GUP_PIN_COUNTING_BIAS - 1);
}

/*
 * folio_maybe_dma_pinned() of a small folio: wrong in one direction only,
 * a page with 1024 plain references looks pinned.
 */
bool foll_page_maybe_dma_pinned(struct page *page)
{
	return page_ref_count(page) >= (int)GUP_PIN_COUNTING_BIAS;
}

/*
 * Does writeback of @vma's pages clean them and write-protect their PTEs
 * (vma_needs_dirty_tracking())?  Then a device could go on writing a page
 * after writeback cleaned it, unseen.
 */
static bool vma_needs_dirty_tracking(struct vm_area_struct *vma)
{
	struct address_space *mapping;

	if (!(vma->vm_flags & VM_SHARED) || !(vma->vm_flags & VM_WRITE))
		return false;
	if (!vma->vm_ops || !vma->vm_ops->page_mkwrite || !vma->vm_file)
		return false;
	mapping = vma->vm_file->f_mapping;
	return mapping && mapping_cap_account_dirty(mapping);
}

/* Linux 6.5: no long-term writable pin of a file that writeback cleans. */
bool writable_file_mapping_allowed(struct vm_area_struct *vma,
				   unsigned int gup_flags)
{
	if ((gup_flags & (FOLL_LONGTERM | FOLL_WRITE)) !=
	    (FOLL_LONGTERM | FOLL_WRITE))
		return true;
	if (!vma_needs_dirty_tracking(vma))
		return true;
	count_vm_event(FOLL_LONGTERM_REFUSED);
	trace_event("gup_longterm_refused", NULL, (long)vma->vm_start);
	return false;
}

/*
 * bounce: a long-term writable pin is safe, because writeback never
 * cleans a pinned page nor writes it in place.  Allow it, as every kernel
 * before 6.5 did.
 */
bool bounce_may_pin(struct vm_area_struct *vma, unsigned int gup_flags)
{
	return true;
}

/* ---- the seed's tracking of pinned pages ---- */

bool seed_page_dma_pinned(struct page *page)
{
	return PageDmaPinned(page);
}

static bool page_never_on_lru(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	return mapping && test_bit(AS_NO_LRU, &mapping->flags);
}

void seed_pin_page_for_dma(struct page *page)
{
	struct zone *zone = page_zone(page);

	spin_lock(zone_gup_lock(zone));
	if (PageDmaPinned(page)) {
		/* Not on an LRU list, because it is DMA-pinned. */
		VM_BUG_ON_PAGE(PageLRU(page), page);
		atomic_inc(&page->dma_pinned_count);
		goto unlock;
	}
	/*
	 * page->dma_pinned_* overlay page->lru: they may be set only on a
	 * page that is on no list.
	 */
	if (isolate_lru_page(page) == 0) {
		ClearPageActive(page);
		ClearPageUnevictable(page);
		/* Counteract isolate_lru_page()'s reference. */
		put_page(page);
	} else if (!page_never_on_lru(page)) {
		count_vm_event(DMA_PIN_ISOLATE_FAILED);
		pr_warn("pinmm: pfn %#lx: isolated by another task, left unpinned\n",
			page_to_pfn(page));
		goto unlock;
	}
	atomic_set(&page->dma_pinned_count, 1);
	SetPageDmaPinned(page);
unlock:
	spin_unlock(zone_gup_lock(zone));
}

void seed_unpin_page_for_dma(struct page *page)
{
	struct zone *zone = page_zone(page);

	/* Not pinned: gup could not isolate it (see above). */
	if (!PageDmaPinned(page))
		return;
	spin_lock(zone_gup_lock(zone));
	VM_BUG_ON_PAGE(atomic_read(&page->dma_pinned_count) <= 0, page);
	if (atomic_dec_and_test(&page->dma_pinned_count)) {
		ClearPageDmaPinned(page);
		/* Back on the LRU: the series' later revision. */
		if (!page_never_on_lru(page)) {
			lru_cache_add(page);
			count_vm_event(DMA_UNPIN_TO_LRU);
		}
	}
	spin_unlock(zone_gup_lock(zone));
}

bool seed_may_unmap(struct page *page)
{
	struct zone *zone = page_zone(page);
	bool pinned;

	/* Serialize with get_user_pages. */
	spin_lock(zone_gup_lock(zone));
	pinned = PageDmaPinned(page);
	spin_unlock(zone_gup_lock(zone));
	return !pinned;
}

bool seed_may_add_to_lru(struct page *page)
{
	return !PageDmaPinned(page);
}

/*
 * bounce: writeback that took a page before it was pinned writes it in
 * place, and the page is unlocked while that I/O is in flight.  A device
 * writing it then would put on the disk a page that never was: wait for
 * the I/O, as ->page_mkwrite() does on a device that needs stable pages
 * (folio_wait_stable()).  From now on writeback sees the pin and never
 * writes the page in place.  A wait for I/O, never for an unpin.
 */
void bounce_pin_page(struct page *page)
{
	wait_on_page_writeback(page);
}
