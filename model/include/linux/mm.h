/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core of mm: page references, page frames, faults, gup.
 */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <linux/bug.h>
#include <linux/mm_types.h>
#include <linux/mmzone.h>
#include <linux/page-flags.h>
#include <linux/vmstat.h>

/* Memory: mem_map[] describes the frames; the frames are host memory. */
extern struct page *mem_map;
extern unsigned long max_pfn;
extern unsigned char *page_frames;

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map);
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return &mem_map[pfn];
}

static inline bool pfn_valid(unsigned long pfn)
{
	return pfn < max_pfn;
}

/* The frame is found from the page, never stored in it. */
static inline void *page_address(const struct page *page)
{
	return page_frames + page_to_pfn(page) * PAGE_SIZE;
}

static inline struct zone *page_zone(const struct page *page)
{
	return &NODE_DATA(page_to_nid(page))->node_zones[0];
}

static inline pg_data_t *page_pgdat(const struct page *page)
{
	return NODE_DATA(page_to_nid(page));
}

/* Reference counts. */
static inline int page_ref_count(const struct page *page)
{
	return atomic_read(&page->_refcount);
}
#define page_count(page) page_ref_count(page)

static inline void set_page_count(struct page *page, int v)
{
	atomic_set(&page->_refcount, v);
}

static inline void page_ref_inc(struct page *page)
{
	atomic_inc(&page->_refcount);
}

static inline void page_ref_add(struct page *page, int nr)
{
	atomic_add(nr, &page->_refcount);
}

static inline int page_ref_sub_return(struct page *page, int nr)
{
	return atomic_sub_return(nr, &page->_refcount);
}

static inline bool page_ref_freeze(struct page *page, int count)
{
	return atomic_cmpxchg(&page->_refcount, count, 0) == count;
}

static inline void page_ref_unfreeze(struct page *page, int count)
{
	VM_BUG_ON_PAGE(page_count(page) != 0, page);
	atomic_set(&page->_refcount, count);
}

static inline bool get_page_unless_zero(struct page *page)
{
	return atomic_add_unless(&page->_refcount, 1, 0);
}

static inline void get_page(struct page *page)
{
	VM_BUG_ON_PAGE(page_ref_count(page) <= 0, page);
	page_ref_inc(page);
}

void __put_page(struct page *page);
void put_page(struct page *page);

static inline int page_mapcount(const struct page *page)
{
	return atomic_read(&page->_mapcount) + 1;
}

static inline bool page_mapped(const struct page *page)
{
	return atomic_read(&page->_mapcount) >= 0;
}

static inline struct address_space *page_mapping(const struct page *page)
{
	return READ_ONCE(((struct page *)page)->mapping);
}

static inline bool page_has_private(const struct page *page)
{
	return PagePrivate(page);
}

/* Page allocator (mm/page_alloc.c). */
int mem_init(unsigned long nr_pages, int nr_nodes);
void mem_exit(void);
unsigned long zone_free_pages(struct zone *zone);
bool take_page_off_buddy(struct page *page);
struct page *alloc_page(gfp_t gfp);
void free_unref_page(struct page *page);
void bad_page(struct page *page, const char *reason);

/* Dirtying (mm/page-writeback.c). */
int set_page_dirty(struct page *page);
int set_page_dirty_lock(struct page *page);
int __set_page_dirty_nobuffers(struct page *page);
int clear_page_dirty_for_io(struct page *page, int sync_mode);
void account_page_dirtied(struct page *page, struct address_space *mapping);
void cancel_dirty_page(struct page *page);

/* Faults (mm/memory.c). */
#define FAULT_FLAG_WRITE 0x01

#define VM_FAULT_OOM 0x0001
#define VM_FAULT_SIGBUS 0x0002
#define VM_FAULT_MAJOR 0x0004
#define VM_FAULT_NOPAGE 0x0100
#define VM_FAULT_LOCKED 0x0200
#define VM_FAULT_RETRY 0x0400
#define VM_FAULT_ERROR (VM_FAULT_OOM | VM_FAULT_SIGBUS)

struct vm_fault {
	struct vm_area_struct *vma;
	unsigned int flags;
	pgoff_t pgoff;
	unsigned long address;
	struct page *page;
	pte_t *pte;
};

int handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
		    unsigned int flags);
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
pte_t *vma_pte(struct vm_area_struct *vma, unsigned long address);
void zap_page_range(struct vm_area_struct *vma, unsigned long start,
		    unsigned long size);
void unmap_mapping_range(struct address_space *mapping, loff_t holebegin,
			 loff_t holelen, int even_cows);
void unmap_mapping_pages(struct address_space *mapping, pgoff_t start,
			 pgoff_t nr, bool even_cows);

/* User access: a CPU load or store through the task's page tables. */
int user_store(struct mm_struct *mm, unsigned long addr, const void *buf,
	       size_t len);
int user_load(struct mm_struct *mm, unsigned long addr, void *buf, size_t len);

/* mmap (mm/mmap.c). */
struct mm_struct *mm_alloc(const char *owner);
void mmput(struct mm_struct *mm);
void mm_free_dead(struct mm_struct *mm);
unsigned long do_mmap(struct mm_struct *mm, struct file *file,
		      unsigned long len, unsigned long vm_flags, pgoff_t pgoff);
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);
void exit_mmap(struct mm_struct *mm);

/* get_user_pages and its release (mm/gup.c). */
#define FOLL_WRITE 0x01
#define FOLL_GET 0x04	/* plain references, not a pin (see mm/gup.c) */
#define FOLL_LONGTERM 0x10000
#define FOLL_PIN 0x40000

long get_user_pages(struct mm_struct *mm, unsigned long start,
		    unsigned long nr_pages, unsigned int gup_flags,
		    struct page **pages);
void put_user_page(struct page *page);
void put_user_pages_dirty_lock(struct page **pages, unsigned long npages);
void put_user_pages(struct page **pages, unsigned long npages);

/* Truncation (mm/truncate.c). */
struct inode;
void truncate_pagecache(struct inode *inode, loff_t newsize);
void truncate_inode_pages_final(struct address_space *mapping);
void truncate_pagecache_range(struct inode *inode, loff_t lstart, loff_t lend);
void pagecache_isize_extended(struct inode *inode, loff_t from, loff_t to);

/* Memory failure (mm/memory-failure.c). */
int memory_failure(unsigned long pfn, int flags);

#endif /* _LINUX_MM_H */
