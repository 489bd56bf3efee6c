// SPDX-License-Identifier: GPL-2.0
/*
 * Truncation and hole punching of the page cache, and
 * pagecache_isize_extended().
 *
 * A truncated page is unmapped from every VMA, its buffers invalidated
 * (dropped when the whole page goes), its dirty state cancelled, and it is
 * removed from the page cache.  Whoever still holds a reference (a device
 * that pinned it) keeps an orphan page with no mapping: writing it is
 * harmless, and nothing writes it back.
 *
 * Locking: the caller holds the inode lock (i_rwsem).  Each page is
 * locked, and waited on for writeback, before it is removed.
 */
#include <errno.h>
#include <string.h>

#include <linux/buffer_head.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>

static void do_invalidatepage(struct page *page, unsigned int offset,
			      unsigned int length)
{
	struct address_space *mapping = page_mapping(page);

	if (mapping && mapping->a_ops->invalidatepage)
		mapping->a_ops->invalidatepage(page, offset, length);
	else
		block_invalidatepage(page, offset, length);
}

static void truncate_complete_page(struct address_space *mapping,
				   struct page *page)
{
	if (page->mapping != mapping)
		return;
	if (page_has_private(page))
		do_invalidatepage(page, 0, PAGE_SIZE);
	cancel_dirty_page(page);
	ClearPageMappedToDisk(page);
	delete_from_page_cache(page);
	count_vm_event(PGTRUNCATE);
	trace_event("truncate_page", page, 0);
}

/* Remove one locked page from the page cache. */
int truncate_inode_page(struct address_space *mapping, struct page *page)
{
	if (page->mapping != mapping)
		return -EIO;
	if (page_mapped(page))
		unmap_mapping_pages(mapping, page->index, 1, false);
	truncate_complete_page(mapping, page);
	return 0;
}

static void zero_user_segment(struct page *page, unsigned int start,
			      unsigned int end)
{
	data_race_begin();
	memset((char *)page_address(page) + start, 0, end - start);
	data_race_end();
}

static void truncate_partial_page(struct address_space *mapping, pgoff_t index,
				  unsigned int start, unsigned int end)
{
	struct page *page = find_lock_page(mapping, index);

	if (!page)
		return;
	wait_on_page_writeback(page);
	zero_user_segment(page, start, end);
	if (page_has_private(page))
		do_invalidatepage(page, start, end - start);
	unlock_page(page);
	put_page(page);
}

#define TRUNC_BATCH 16

/*
 * Remove the pages of [lstart, lend] (bytes, inclusive; lend == -1: to the
 * end) from the page cache; zero the parts of partial pages.
 */
void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart,
				loff_t lend)
{
	pgoff_t start = (pgoff_t)((lstart + PAGE_SIZE - 1) >> PAGE_SHIFT);
	unsigned int partial_start = (unsigned int)(lstart & (PAGE_SIZE - 1));
	unsigned int partial_end;
	pgoff_t end, index;
	struct page *pages[TRUNC_BATCH];

	if (lend == -1) {
		end = (pgoff_t)-1;
		partial_end = 0;
	} else {
		end = (pgoff_t)((lend + 1) >> PAGE_SHIFT);
		partial_end = (unsigned int)((lend + 1) & (PAGE_SIZE - 1));
	}
	trace_truncate_range_begin(mapping->host, lstart, lend);

	index = start;
	while (end && index < end) {
		unsigned int nr = find_get_pages_range(mapping, &index, end - 1,
						       TRUNC_BATCH, pages);

		if (!nr)
			break;
		for (unsigned int i = 0; i < nr; i++) {
			struct page *page = pages[i];

			lock_page(page);
			wait_on_page_writeback(page);
			truncate_inode_page(mapping, page);
			unlock_page(page);
			put_page(page);
		}
	}
	if (partial_start) {
		unsigned int top = PAGE_SIZE;

		if (start > end) {
			/* Truncation within a single page. */
			top = partial_end;
			partial_end = 0;
		}
		truncate_partial_page(mapping, start - 1, partial_start, top);
	}
	if (partial_end)
		truncate_partial_page(mapping, end, 0, partial_end);
	trace_truncate_range(mapping->host, lstart, lend);
}

void truncate_inode_pages(struct address_space *mapping, loff_t lstart)
{
	truncate_inode_pages_range(mapping, lstart, (loff_t)-1);
}

/* Every page of an inode being evicted (nothing maps it any more). */
void truncate_inode_pages_final(struct address_space *mapping)
{
	truncate_inode_pages(mapping, 0);
}

/* Unmap, truncate, and unmap again: a racing fault may have mapped a page. */
void truncate_pagecache(struct inode *inode, loff_t newsize)
{
	struct address_space *mapping = inode->i_mapping;
	loff_t holebegin = round_up(newsize, (loff_t)PAGE_SIZE);

	unmap_mapping_range(mapping, holebegin, 0, 1);
	truncate_inode_pages(mapping, newsize);
	unmap_mapping_range(mapping, holebegin, 0, 1);
}

/* Hole punch: the caller frees the blocks afterwards. */
void truncate_pagecache_range(struct inode *inode, loff_t lstart, loff_t lend)
{
	struct address_space *mapping = inode->i_mapping;
	loff_t unmap_start = round_up(lstart, (loff_t)PAGE_SIZE);
	loff_t unmap_end = round_down(1 + lend, (loff_t)PAGE_SIZE) - 1;

	if (unmap_end > unmap_start)
		unmap_mapping_range(mapping, unmap_start,
				    1 + unmap_end - unmap_start, 0);
	truncate_inode_pages_range(mapping, lstart, lend);
}

/*
 * i_size grew from @from to @to.  If the block size is smaller than a page
 * and the page straddling the old size got new blocks inside i_size, its
 * PTEs must be write-protected so that the next store faults and
 * ->page_mkwrite allocates those blocks.  Under the seed policy this waits
 * for a DMA pin (skip_pinned_pages = false).
 */
void pagecache_isize_extended(struct inode *inode, loff_t from, loff_t to)
{
	unsigned int bsize = i_blocksize(inode);
	loff_t rounded_from;
	struct page *page;
	pgoff_t index;
	bool skip_pinned_pages = false;
	unsigned long waits;

	WARN_ON(to > i_size_read(inode));
	if (from >= to || bsize == PAGE_SIZE)
		return;
	rounded_from = round_up(from, (loff_t)bsize);
	if (to <= rounded_from || !(rounded_from & (PAGE_SIZE - 1)))
		return;
	index = (pgoff_t)(from >> PAGE_SHIFT);
	page = find_lock_page(inode->i_mapping, index);
	if (!page)
		return;
	waits = current->pin_waits;
	if (page_mkclean(page, skip_pinned_pages))
		set_page_dirty(page);
	if (current->pin_waits != waits)
		count_vm_event(ISIZE_EXTEND_WAITED_UNPIN);
	unlock_page(page);
	put_page(page);
}
