/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page cache (mm/filemap.c).
 */
#ifndef _LINUX_PAGEMAP_H
#define _LINUX_PAGEMAP_H

#include <linux/fs.h>
#include <linux/mm.h>

static inline loff_t page_offset(const struct page *page)
{
	return (loff_t)page->index << PAGE_SHIFT;
}

/* Page lock: PG_locked, a sleeping bit lock. */
static inline bool trylock_page(struct page *page)
{
	return !test_and_set_bit_lock(PG_locked, &page->flags);
}

void __lock_page(struct page *page);
static inline void lock_page(struct page *page)
{
	might_sleep();
	if (!trylock_page(page))
		__lock_page(page);
}

void unlock_page(struct page *page);
void wait_on_page_bit(struct page *page, int bit_nr);
void wake_up_page(struct page *page, int bit);

static inline void wait_on_page_locked(struct page *page)
{
	if (PageLocked(page))
		wait_on_page_bit(page, PG_locked);
}

static inline void wait_on_page_writeback(struct page *page)
{
	if (PageWriteback(page))
		wait_on_page_bit(page, PG_writeback);
}

void end_page_writeback(struct page *page);
int test_set_page_writeback(struct page *page);
#define set_page_writeback(page) test_set_page_writeback(page)
void wait_for_stable_page(struct page *page);

struct page *find_get_page(struct address_space *mapping, pgoff_t offset);
struct page *find_lock_page(struct address_space *mapping, pgoff_t offset);
int add_to_page_cache_lru(struct page *page, struct address_space *mapping,
			  pgoff_t offset, gfp_t gfp);
void __delete_from_page_cache(struct page *page);
void delete_from_page_cache(struct page *page);
unsigned int find_get_pages_range_tag(struct address_space *mapping,
				      pgoff_t *index, pgoff_t end, int tag,
				      unsigned int nr_pages, struct page **pages);
unsigned int find_get_pages_range(struct address_space *mapping,
				  pgoff_t *start, pgoff_t end,
				  unsigned int nr_pages, struct page **pages);
void tag_pages_for_writeback(struct address_space *mapping, pgoff_t start,
			     pgoff_t end);
bool mapping_tagged(struct address_space *mapping, int tag);
void page_cache_tag_set(struct address_space *mapping, pgoff_t index, int tag);
void page_cache_tag_clear(struct address_space *mapping, pgoff_t index,
			  int tag);
bool page_cache_tag_get(struct address_space *mapping, pgoff_t index, int tag);
int filemap_fault(struct vm_fault *vmf);
struct page *read_mapping_page(struct address_space *mapping, pgoff_t index);

#endif /* _LINUX_PAGEMAP_H */
