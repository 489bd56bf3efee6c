/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct page, the VMA, the mm and the page-table entry.
 *
 * struct page is 64 bytes, as in the kernel (checked at compile time).  That
 * is why the seed cannot simply add a pin count: it reuses the two words of
 * page->lru, which are free while a pinned page is kept off every LRU list.
 * Bit 0 of the first word is left alone: in the kernel it marks a tail
 * page (compound_head), and it is tested on pages that may be anything.
 */
#ifndef _LINUX_MM_TYPES_H
#define _LINUX_MM_TYPES_H

#include <assert.h>
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

struct address_space;

struct page {
	unsigned long flags;		/* PG_*, and the node id on top */
	union {
		struct {	/* page cache pages */
			union {
				/* On an LRU list, on the free list, or on a
				 * reclaimer's private isolation list. */
				struct list_head lru;
				/* Seed policy: a pinned page is on no list
				 * (mm/pin_policy.h). */
				struct {
					unsigned long dma_pinned_flags;
					atomic_t dma_pinned_count;
				};
			};
			struct address_space *mapping;
			pgoff_t index;
			unsigned long private;	/* buffer_head ring */
		};
	};
	atomic_t _mapcount;		/* PTEs mapping the page, minus one */
	atomic_t _refcount;
	unsigned long memcg_data;	/* the kernel's mem_cgroup; unused */
};

static_assert(sizeof(struct page) == 64, "struct page must be 64 bytes");

/* Page-table entries: x86's bit positions. */
typedef struct {
	unsigned long pte;
} pte_t;

#define _PAGE_PRESENT 0x001UL
#define _PAGE_RW 0x002UL
#define _PAGE_ACCESSED 0x020UL
#define _PAGE_DIRTY 0x040UL
#define PTE_PFN_SHIFT 12

static inline bool pte_none(pte_t pte) { return !pte.pte; }
static inline bool pte_present(pte_t pte) { return pte.pte & _PAGE_PRESENT; }
static inline bool pte_write(pte_t pte) { return pte.pte & _PAGE_RW; }
static inline bool pte_dirty(pte_t pte) { return pte.pte & _PAGE_DIRTY; }
static inline bool pte_young(pte_t pte) { return pte.pte & _PAGE_ACCESSED; }
static inline unsigned long pte_pfn(pte_t pte) { return pte.pte >> PTE_PFN_SHIFT; }
static inline pte_t pte_wrprotect(pte_t pte) { pte.pte &= ~_PAGE_RW; return pte; }
static inline pte_t pte_mkwrite(pte_t pte) { pte.pte |= _PAGE_RW; return pte; }
static inline pte_t pte_mkclean(pte_t pte) { pte.pte &= ~_PAGE_DIRTY; return pte; }
static inline pte_t pte_mkdirty(pte_t pte) { pte.pte |= _PAGE_DIRTY; return pte; }
static inline pte_t pte_mkyoung(pte_t pte) { pte.pte |= _PAGE_ACCESSED; return pte; }
static inline pte_t pte_mkold(pte_t pte) { pte.pte &= ~_PAGE_ACCESSED; return pte; }

/*
 * PTEs are written under the page-table lock but read without it by the
 * hang report and by tests, so they are accessed as whole words.
 */
static inline pte_t ptep_get(pte_t *ptep)
{
	return (pte_t){ READ_ONCE(ptep->pte) };
}

static inline void set_pte(pte_t *ptep, pte_t pte)
{
	WRITE_ONCE(ptep->pte, pte.pte);
}

#define VM_READ 0x00000001UL
#define VM_WRITE 0x00000002UL
#define VM_EXEC 0x00000004UL
#define VM_SHARED 0x00000008UL
#define VM_MAYWRITE 0x00000020UL
#define VM_LOCKED 0x00002000UL
#define VM_IO 0x00004000UL

struct vm_fault;
struct vm_area_struct;

struct vm_operations_struct {
	int (*fault)(struct vm_fault *vmf);
	int (*page_mkwrite)(struct vm_fault *vmf);
};

struct file_operations;

/*
 * An open file.  f_count: the references of the open file itself and of
 * the VMAs that map it (fget/fput); the last fput releases it.
 */
struct file {
	struct inode *f_inode;
	struct address_space *f_mapping;
	const struct file_operations *f_op;
	atomic_t f_count;
	struct list_head f_list;	/* the live files, for teardown */
};

struct vm_area_struct {
	unsigned long vm_start, vm_end;
	pgoff_t vm_pgoff;		/* offset in the file, in pages */
	unsigned long vm_flags;
	struct mm_struct *vm_mm;
	struct file *vm_file;
	const struct vm_operations_struct *vm_ops;
	struct list_head vm_list;	/* mm->mmap */
	struct list_head shared;	/* mapping->i_mmap */
	pte_t *ptes;			/* this VMA's page table */
};

struct mm_struct {
	struct list_head mmap;		/* VMAs */
	struct rw_semaphore mmap_sem;
	spinlock_t page_table_lock;	/* the PTEs of every VMA */
	unsigned long mmap_base;	/* next free address for mmap() */
	const char *owner;
};

#endif /* _LINUX_MM_TYPES_H */
