/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page flags and their accessors, named as in the kernel.
 */
#ifndef _LINUX_PAGE_FLAGS_H
#define _LINUX_PAGE_FLAGS_H

#include <linux/bitops.h>
#include <linux/mm_types.h>

enum pageflags {
	PG_locked,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_active,
	PG_error,
	PG_private,	/* page->private holds buffer heads */
	PG_writeback,
	PG_mappedtodisk,
	PG_reclaim,
	PG_unevictable,
	PG_hwpoison,
	PG_buddy,	/* on a zone's free list (the kernel's PageBuddy type) */
	__NR_PAGEFLAGS,
};

#define NODES_PGSHIFT 56

#define PAGEFLAG(uname, lname)                                                 \
	static inline bool Page##uname(const struct page *page)                \
	{                                                                      \
		return test_bit(PG_##lname, &page->flags);                     \
	}                                                                      \
	static inline void SetPage##uname(struct page *page)                   \
	{                                                                      \
		set_bit(PG_##lname, &page->flags);                             \
	}                                                                      \
	static inline void ClearPage##uname(struct page *page)                 \
	{                                                                      \
		clear_bit(PG_##lname, &page->flags);                           \
	}                                                                      \
	static inline bool TestSetPage##uname(struct page *page)               \
	{                                                                      \
		return test_and_set_bit(PG_##lname, &page->flags);             \
	}                                                                      \
	static inline bool TestClearPage##uname(struct page *page)             \
	{                                                                      \
		return test_and_clear_bit(PG_##lname, &page->flags);           \
	}

PAGEFLAG(Locked, locked)
PAGEFLAG(Referenced, referenced)
PAGEFLAG(Uptodate, uptodate)
PAGEFLAG(Dirty, dirty)
PAGEFLAG(LRU, lru)
PAGEFLAG(Active, active)
PAGEFLAG(Error, error)
PAGEFLAG(Private, private)
PAGEFLAG(Writeback, writeback)
PAGEFLAG(MappedToDisk, mappedtodisk)
PAGEFLAG(Reclaim, reclaim)
PAGEFLAG(Unevictable, unevictable)
PAGEFLAG(HWPoison, hwpoison)
PAGEFLAG(Buddy, buddy)

/* Flags that must be clear when a page is freed (bad_page() otherwise). */
#define PAGE_FLAGS_CHECK_AT_FREE                                               \
	(BIT(PG_lru) | BIT(PG_locked) | BIT(PG_private) | BIT(PG_writeback) |  \
	 BIT(PG_active) | BIT(PG_unevictable) | BIT(PG_buddy))
#define PAGE_FLAGS_MASK ((1UL << __NR_PAGEFLAGS) - 1)

/*
 * The node field is set when the page is allocated and no bit op writes
 * it: a load of the field's first bit, as an object of the search.
 */
static inline int page_to_nid(const struct page *page)
{
	sched_point_load(det_bit_obj(&page->flags, NODES_PGSHIFT));
	return (int)(__atomic_load_n(&page->flags, __ATOMIC_RELAXED) >>
		     NODES_PGSHIFT);
}

#endif /* _LINUX_PAGE_FLAGS_H */
