// SPDX-License-Identifier: GPL-2.0
/*
 * Address spaces and their VMAs: mmap() of a file, munmap(), exit.
 *
 * Each VMA carries its own PTE array (one entry per page); all PTEs of an
 * mm are under mm->page_table_lock.  A shared file VMA is also on its
 * mapping's i_mmap list, which is what rmap walks.
 *
 * A VMA holds a reference to its file, put after mmap_sem is dropped.
 *
 * Locking: mmap_sem (write) -> i_mmap_rwsem (write).
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>

#define MMAP_BASE 0x7f0000000000UL
#define MMAP_GAP (1UL << 30)

struct mm_struct *mm_alloc(const char *owner)
{
	struct mm_struct *mm = calloc(1, sizeof(*mm));

	if (!mm)
		return NULL;
	INIT_LIST_HEAD(&mm->mmap);
	init_rwsem(&mm->mmap_sem);
	spin_lock_init(&mm->page_table_lock);
	mm->mmap_base = MMAP_BASE;
	mm->owner = owner;
	return mm;
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	list_for_each_entry(vma, &mm->mmap, vm_list)
		if (addr < vma->vm_end)
			return addr >= vma->vm_start ? vma : NULL;
	return NULL;
}

/*
 * Map @len bytes of @file from page @pgoff, shared.  Returns the address,
 * or a negative errno cast to unsigned long.
 */
unsigned long do_mmap(struct mm_struct *mm, struct file *file,
		      unsigned long len, unsigned long vm_flags, pgoff_t pgoff)
{
	struct address_space *mapping = file->f_mapping;
	struct vm_area_struct *vma;
	unsigned long npages = DIV_ROUND_UP(len, PAGE_SIZE);

	if (!len || !(vm_flags & VM_SHARED))
		return (unsigned long)-EINVAL;
	if (pgoff + npages > mapping->i_pages.nr_slots)
		return (unsigned long)-EINVAL;
	vma = calloc(1, sizeof(*vma));
	if (!vma)
		return (unsigned long)-ENOMEM;
	vma->ptes = calloc(npages, sizeof(pte_t));
	if (!vma->ptes) {
		free(vma);
		return (unsigned long)-ENOMEM;
	}
	vma->vm_mm = mm;
	vma->vm_file = get_file(file);
	vma->vm_pgoff = pgoff;
	vma->vm_flags = vm_flags | VM_READ | (vm_flags & VM_WRITE ? VM_MAYWRITE : 0);
	if (file->f_op && file->f_op->mmap)
		file->f_op->mmap(file, vma);

	down_write(&mm->mmap_sem);
	vma->vm_start = mm->mmap_base;
	vma->vm_end = vma->vm_start + npages * PAGE_SIZE;
	mm->mmap_base += round_up(npages * PAGE_SIZE, MMAP_GAP);
	list_add_tail(&vma->vm_list, &mm->mmap);
	down_write(&mapping->i_mmap_rwsem);
	list_add_tail(&vma->shared, &mapping->i_mmap);
	up_write(&mapping->i_mmap_rwsem);
	up_write(&mm->mmap_sem);
	return vma->vm_start;
}

/*
 * Take @vma out of its mm and mapping and free it; its file reference is
 * returned for the caller to put once mmap_sem is dropped (the kernel
 * defers that fput too: the last one may evict an unlinked file).
 */
static struct file *remove_vma(struct vm_area_struct *vma)
{
	struct file *file = vma->vm_file;
	struct address_space *mapping = file->f_mapping;

	zap_page_range(vma, vma->vm_start, vma->vm_end - vma->vm_start);
	down_write(&mapping->i_mmap_rwsem);
	list_del(&vma->shared);
	up_write(&mapping->i_mmap_rwsem);
	list_del(&vma->vm_list);
	free(vma->ptes);
	free(vma);
	return file;
}

/* Only whole VMAs are unmapped: the scenarios never split one. */
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	struct vm_area_struct *vma;
	struct file *file = NULL;
	int ret = 0;

	down_write(&mm->mmap_sem);
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start != start ||
	    vma->vm_end - vma->vm_start != round_up(len, PAGE_SIZE))
		ret = -EINVAL;
	else
		file = remove_vma(vma);
	up_write(&mm->mmap_sem);
	if (file)
		fput(file);
	return ret;
}

void exit_mmap(struct mm_struct *mm)
{
	down_write(&mm->mmap_sem);
	while (!list_empty(&mm->mmap)) {
		struct vm_area_struct *vma;
		struct file *file;

		vma = list_first_entry(&mm->mmap, struct vm_area_struct, vm_list);
		file = remove_vma(vma);
		up_write(&mm->mmap_sem);
		fput(file);
		down_write(&mm->mmap_sem);
	}
	up_write(&mm->mmap_sem);
}

/*
 * The machine stopped with tasks killed mid-path: free the mm's memory
 * without touching pages, whose state may be half-changed.
 */
void mm_free_dead(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *next;

	list_for_each_entry_safe(vma, next, &mm->mmap, vm_list) {
		free(vma->ptes);
		free(vma);
	}
	destroy_rwsem(&mm->mmap_sem);
	spin_lock_destroy(&mm->page_table_lock);
	free(mm);
}

void mmput(struct mm_struct *mm)
{
	if (!mm)
		return;
	exit_mmap(mm);
	destroy_rwsem(&mm->mmap_sem);
	spin_lock_destroy(&mm->page_table_lock);
	free(mm);
}
