// SPDX-License-Identifier: GPL-2.0
/*
 * Page faults on shared file mappings, CPU loads and stores through the
 * page tables, and zapping PTEs.
 *
 * A shared file mapping starts write-protected: the first store faults, so
 * that ->page_mkwrite can allocate blocks and dirty the page before the PTE
 * becomes writable.  Writeback (page_mkclean) write-protects the PTEs again
 * each time it cleans the page, so that the next store is seen too.
 *
 * A CPU store is modelled under the page-table lock: the PTE is checked,
 * its dirty and accessed bits set and the bytes written as one step.  That
 * is the guarantee the TLB flush gives the kernel: once page_mkclean()
 * returns, no store goes through the old writable PTE.
 *
 * Private (copy-on-write) file mappings are not modelled: do_mmap()
 * refuses them.
 *
 * Locking: mmap_sem (read) -> PG_locked -> page_table_lock.
 * Each mapped PTE holds one page reference and one _mapcount.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/sched.h>
#include <linux/swap.h>
#include <linux/tracepoint.h>

pte_t *vma_pte(struct vm_area_struct *vma, unsigned long address)
{
	return &vma->ptes[(address - vma->vm_start) >> PAGE_SHIFT];
}

static pte_t mk_pte(struct page *page)
{
	return (pte_t){ (page_to_pfn(page) << PTE_PFN_SHIFT) | _PAGE_PRESENT };
}

static int __do_fault(struct vm_fault *vmf)
{
	int ret = vmf->vma->vm_ops->fault(vmf);

	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	if (!(ret & VM_FAULT_LOCKED))
		lock_page(vmf->page);
	return ret;
}

/* Install the PTE for vmf->page, which is locked; its reference moves in. */
static int finish_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	pte_t entry;

	spin_lock(&mm->page_table_lock);
	if (!pte_none(ptep_get(vmf->pte))) {
		spin_unlock(&mm->page_table_lock);
		return VM_FAULT_NOPAGE;
	}
	entry = pte_mkyoung(mk_pte(vmf->page));
	if (vmf->flags & FAULT_FLAG_WRITE)
		entry = pte_mkdirty(pte_mkwrite(entry));
	page_add_file_rmap(vmf->page);
	set_pte(vmf->pte, entry);
	spin_unlock(&mm->page_table_lock);
	return 0;
}

/*
 * ->page_mkwrite: on success the page comes back locked, still in the
 * mapping, with its blocks allocated and its buffers dirty.
 */
static int do_page_mkwrite(struct vm_fault *vmf)
{
	struct page *page = vmf->page;
	int ret;

	count_vm_event(PAGE_MKWRITE);
	ret = vmf->vma->vm_ops->page_mkwrite(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))
		return ret;
	if (!(ret & VM_FAULT_LOCKED)) {
		lock_page(page);
		if (!page->mapping) {
			unlock_page(page);
			return VM_FAULT_NOPAGE;
		}
		ret |= VM_FAULT_LOCKED;
	}
	return ret;
}

/* Dirty the page after a write fault, then unlock it. */
static void fault_dirty_shared_page(struct page *page)
{
	set_page_dirty(page);
	unlock_page(page);
}

static int do_read_fault(struct vm_fault *vmf)
{
	int ret = __do_fault(vmf);

	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	ret |= finish_fault(vmf);
	unlock_page(vmf->page);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		put_page(vmf->page);
	return ret;
}

static int do_shared_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	int ret, tmp;

	ret = __do_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))
		return ret;
	if (vma->vm_ops->page_mkwrite) {
		unlock_page(vmf->page);
		tmp = do_page_mkwrite(vmf);
		if (tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)) {
			put_page(vmf->page);
			return tmp;
		}
	}
	ret |= finish_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)) {
		unlock_page(vmf->page);
		put_page(vmf->page);
		return ret;
	}
	fault_dirty_shared_page(vmf->page);
	return ret;
}

/* A write to a present, write-protected PTE of a shared mapping. */
static int wp_page_shared(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct page *page = vmf->page;
	pte_t entry;

	if (vma->vm_ops->page_mkwrite) {
		int tmp = do_page_mkwrite(vmf);

		if (tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)) {
			put_page(page);
			return tmp;
		}
	} else {
		lock_page(page);
	}
	spin_lock(&mm->page_table_lock);
	entry = ptep_get(vmf->pte);
	if (!pte_present(entry) || pte_pfn(entry) != page_to_pfn(page)) {
		/* Unmapped or replaced meanwhile: retry the access. */
		spin_unlock(&mm->page_table_lock);
		unlock_page(page);
		put_page(page);
		return VM_FAULT_NOPAGE;
	}
	/* wp_page_reuse() */
	set_pte(vmf->pte, pte_mkyoung(pte_mkdirty(pte_mkwrite(entry))));
	spin_unlock(&mm->page_table_lock);
	fault_dirty_shared_page(page);
	put_page(page);
	return 0;
}

static int do_fault(struct vm_fault *vmf)
{
	if (!(vmf->flags & FAULT_FLAG_WRITE))
		return do_read_fault(vmf);
	return do_shared_fault(vmf);
}

/* Called with mmap_sem held for read. */
int handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
		    unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_fault vmf = {
		.vma = vma,
		.flags = flags,
		.address = address & PAGE_MASK,
		.pgoff = vma->vm_pgoff + ((address - vma->vm_start) >> PAGE_SHIFT),
		.pte = vma_pte(vma, address),
	};
	pte_t entry;
	int ret = 0;

	count_vm_event(PGFAULT);
	if ((flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_WRITE))
		return VM_FAULT_SIGBUS;
	trace_span_begin(flags & FAULT_FLAG_WRITE ? "write_fault" : "read_fault",
			 NULL, (long)vmf.pgoff);
	spin_lock(&mm->page_table_lock);
	entry = ptep_get(vmf.pte);
	if (!pte_present(entry)) {
		spin_unlock(&mm->page_table_lock);
		ret = do_fault(&vmf);
		goto out;
	}
	if ((flags & FAULT_FLAG_WRITE) && !pte_write(entry)) {
		vmf.page = pfn_to_page(pte_pfn(entry));
		get_page(vmf.page);
		spin_unlock(&mm->page_table_lock);
		ret = wp_page_shared(&vmf);
		goto out;
	}
	entry = pte_mkyoung(entry);
	if (flags & FAULT_FLAG_WRITE)
		entry = pte_mkdirty(entry);
	set_pte(vmf.pte, entry);
	spin_unlock(&mm->page_table_lock);
out:
	trace_span_end(flags & FAULT_FLAG_WRITE ? "write_fault" : "read_fault",
		       NULL, ret);
	return ret;
}

/*
 * One CPU access to one page: succeed under the page-table lock if the PTE
 * allows it, else fault and retry.  Returns 0, -ENOMEM, or the signal the
 * access raises, negated: -SIGSEGV outside a mapping or writing a
 * read-only one, -SIGBUS when the fault finds no page to map (beyond EOF).
 */
static int user_access_page(struct mm_struct *mm, unsigned long addr,
			    void *buf, size_t len, bool write)
{
	struct vm_area_struct *vma;
	int ret = 0;

	down_read(&mm->mmap_sem);
	vma = find_vma(mm, addr);
	if (!vma || addr < vma->vm_start || (write && !(vma->vm_flags & VM_WRITE))) {
		ret = -SIGSEGV;
		goto out;
	}
	for (;;) {
		pte_t *ptep = vma_pte(vma, addr);
		pte_t pte;

		spin_lock(&mm->page_table_lock);
		pte = ptep_get(ptep);
		if (pte_present(pte) && (!write || pte_write(pte))) {
			struct page *page = pfn_to_page(pte_pfn(pte));
			unsigned int off = (unsigned int)(addr & ~PAGE_MASK);
			unsigned char *frame = page_address(page);

			pte = pte_mkyoung(pte);
			if (write)
				pte = pte_mkdirty(pte);
			set_pte(ptep, pte);
			if (write)
				trace_user_store_begin(page, off, buf, len);
			data_race_begin();
			if (write)
				memcpy(frame + off, buf, len);
			else
				memcpy(buf, frame + off, len);
			data_race_end();
			if (write)
				trace_user_store(page, off, buf, len);
			trace_event(write ? "store" : "load", page, (long)len);
			spin_unlock(&mm->page_table_lock);
			break;
		}
		spin_unlock(&mm->page_table_lock);
		int fault = handle_mm_fault(vma, addr, write ? FAULT_FLAG_WRITE : 0);

		if (fault & VM_FAULT_OOM) {
			ret = -ENOMEM;
			break;
		}
		if (fault & VM_FAULT_SIGBUS) {
			ret = -SIGBUS;
			break;
		}
	}
out:
	up_read(&mm->mmap_sem);
	return ret;
}

static int user_access(struct mm_struct *mm, unsigned long addr, void *buf,
		       size_t len, bool write)
{
	while (len) {
		size_t n = min_t(size_t, len, PAGE_SIZE - (addr & ~PAGE_MASK));
		int ret = user_access_page(mm, addr, buf, n, write);

		if (ret)
			return ret;
		addr += n;
		buf = (char *)buf + n;
		len -= n;
	}
	return 0;
}

int user_store(struct mm_struct *mm, unsigned long addr, const void *buf,
	       size_t len)
{
	return user_access(mm, addr, (void *)buf, len, true);
}

int user_load(struct mm_struct *mm, unsigned long addr, void *buf, size_t len)
{
	return user_access(mm, addr, buf, len, false);
}

/*
 * Clear the PTEs of [start, start + size) in @vma.  A dirty PTE dirties its
 * page first: that is how stores through a writable PTE reach writeback
 * when the mapping goes away.
 */
void zap_page_range(struct vm_area_struct *vma, unsigned long start,
		    unsigned long size)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long end = start + size;

	for (unsigned long addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *ptep = vma_pte(vma, addr);
		struct page *page;
		pte_t pte;

		spin_lock(&mm->page_table_lock);
		pte = ptep_get(ptep);
		if (!pte_present(pte)) {
			spin_unlock(&mm->page_table_lock);
			continue;
		}
		page = pfn_to_page(pte_pfn(pte));
		set_pte(ptep, (pte_t){ 0 });
		if (pte_dirty(pte))
			set_page_dirty(page);
		if (pte_young(pte))
			mark_page_accessed(page);
		page_remove_rmap(page);
		spin_unlock(&mm->page_table_lock);
		put_page(page);
	}
}

/* Unmap the file pages [start, start + nr) from every VMA that maps them. */
void unmap_mapping_pages(struct address_space *mapping, pgoff_t start,
			 pgoff_t nr, bool even_cows)
{
	struct vm_area_struct *vma;
	pgoff_t last = nr ? start + nr - 1 : (pgoff_t)-1;

	(void)even_cows;
	down_read(&mapping->i_mmap_rwsem);
	list_for_each_entry(vma, &mapping->i_mmap, shared) {
		pgoff_t vstart = vma->vm_pgoff;
		pgoff_t vend = vstart + ((vma->vm_end - vma->vm_start) >> PAGE_SHIFT) - 1;
		pgoff_t zs = max(start, vstart), ze = min(last, vend);

		if (zs > ze)
			continue;
		zap_page_range(vma, vma->vm_start + ((zs - vstart) << PAGE_SHIFT),
			       (ze - zs + 1) << PAGE_SHIFT);
	}
	up_read(&mapping->i_mmap_rwsem);
}

void unmap_mapping_range(struct address_space *mapping, loff_t holebegin,
			 loff_t holelen, int even_cows)
{
	pgoff_t start = (pgoff_t)((holebegin + PAGE_SIZE - 1) >> PAGE_SHIFT);
	pgoff_t nr = 0;

	if (holelen) {
		loff_t hlen = (holelen + PAGE_SIZE - 1) & ~(loff_t)(PAGE_SIZE - 1);

		nr = (pgoff_t)(hlen >> PAGE_SHIFT);
	}
	unmap_mapping_pages(mapping, start, nr, even_cows);
}
