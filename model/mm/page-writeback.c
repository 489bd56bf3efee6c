// SPDX-License-Identifier: GPL-2.0
/*
 * Dirtying pages and writing them back: set_page_dirty(),
 * clear_page_dirty_for_io(), write_cache_pages().
 *
 * A page is dirty when PG_dirty is set and its slot has the dirty mark;
 * the inode is then on the bdi's dirty list.  Writeback finds dirty pages
 * by the mark, locks each, and asks clear_page_dirty_for_io() whether it
 * still needs writing.  That function is where PTE dirtiness is folded into
 * PG_dirty: page_mkclean() write-protects every PTE, and if any was dirty
 * or writable the page is dirtied again before PG_dirty is tested and
 * cleared.  Under the seed policy page_mkclean() skips a DMA-pinned page
 * for cleaning writeback (WB_SYNC_NONE) and waits for its unpin for
 * data-integrity writeback (WB_SYNC_ALL): the sync mode is plumbed in from
 * the writeback_control, as the seed's series did.  Under bounce, cleaning
 * writeback leaves a page a device may have pinned dirty, without touching
 * its PTEs (Kara's RFC 3/5), and data-integrity writeback writes a stable
 * copy of it (fs/ext4/inode.c).
 *
 * Locking: PG_locked -> private_lock -> xa_lock.
 */
#include <errno.h>

#include <linux/buffer_head.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>
#include <linux/writeback.h>

#include "pin_policy.h"

void mapping_set_error(struct address_space *mapping, int error)
{
	if (!error)
		return;
	set_bit(error == -ENOSPC ? AS_ENOSPC : AS_EIO, &mapping->flags);
}

void account_page_dirtied(struct page *page, struct address_space *mapping)
{
	(void)page;
	(void)mapping;
	count_vm_event(NR_DIRTIED);
}

/* Tag a newly dirty page in its mapping (fs/buffer.c's __set_page_dirty). */
void __set_page_dirty(struct page *page, struct address_space *mapping)
{
	spin_lock(&mapping->i_pages.xa_lock);
	if (page->mapping) {
		account_page_dirtied(page, mapping);
		page_cache_tag_set(mapping, page->index, PAGECACHE_TAG_DIRTY);
	}
	spin_unlock(&mapping->i_pages.xa_lock);
}

int __set_page_dirty_nobuffers(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	if (TestSetPageDirty(page))
		return 0;
	if (!mapping)
		return 1;
	__set_page_dirty(page, mapping);
	if (mapping->host)
		__mark_inode_dirty(mapping->host, I_DIRTY_PAGES);
	return 1;
}

int set_page_dirty(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	if (PageReclaim(page))
		ClearPageReclaim(page);
	if (mapping)
		return mapping->a_ops->set_page_dirty(page);
	if (!PageDirty(page) && !TestSetPageDirty(page))
		return 1;
	return 0;
}

/*
 * The release of a gup'ed page: the page lock keeps truncate from taking
 * the page's buffers away in the middle of ->set_page_dirty.
 */
int set_page_dirty_lock(struct page *page)
{
	int ret;

	lock_page(page);
	ret = set_page_dirty(page);
	unlock_page(page);
	trace_event("set_page_dirty_lock", page, ret);
	return ret;
}

void cancel_dirty_page(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	if (!PageDirty(page))
		return;
	if (mapping) {
		spin_lock(&mapping->i_pages.xa_lock);
		if (TestClearPageDirty(page) && page->mapping == mapping)
			page_cache_tag_clear(mapping, page->index,
					     PAGECACHE_TAG_DIRTY);
		spin_unlock(&mapping->i_pages.xa_lock);
	} else {
		ClearPageDirty(page);
	}
}

/*
 * Clear a page's dirty state for I/O.  Returns 1 if the page was dirty and
 * must be written.  The page is locked.
 */
int clear_page_dirty_for_io(struct page *page, int sync_mode)
{
	struct address_space *mapping = page_mapping(page);
	bool skip_pinned_pages = (sync_mode != WB_SYNC_ALL);

	BUG_ON(!PageLocked(page));
	if (writeback_pinned(page, sync_mode) == PINNED_WB_SKIP)
		return 0;
	if (mapping && mapping_cap_account_dirty(mapping)) {
		/*
		 * Write-protect the PTEs first, then move their dirtiness to
		 * the page: a store after this point faults and dirties the
		 * page again, so it is never lost between the two steps.
		 */
		if (page_mkclean(page, skip_pinned_pages))
			set_page_dirty(page);
		if (TestClearPageDirty(page)) {
			spin_lock(&mapping->i_pages.xa_lock);
			if (page->mapping == mapping)
				page_cache_tag_clear(mapping, page->index,
						     PAGECACHE_TAG_DIRTY);
			spin_unlock(&mapping->i_pages.xa_lock);
			return 1;
		}
		return 0;
	}
	return TestClearPageDirty(page);
}

/*
 * bounce: writing a page a device may be writing would put on the disk a
 * state the page was never in, and cleaning it would lose track of the
 * device's writes.  So cleaning writeback leaves it dirty, with its buffers
 * and its PTEs as they are: only data-integrity writeback writes it, from a
 * stable copy, and nothing ever waits for the unpin, however long the pin
 * lasts.  The page keeps its blocks: the pin faulted it in for write, so
 * ->page_mkwrite() mapped them, and a page that never goes clean needs no
 * second reservation (fs/ext4/inode.c checks it at the copy).
 */
enum pinned_writeback bounce_writeback_pinned(struct page *page, int sync_mode)
{
	if (!page_maybe_dma_pinned(page))
		return PINNED_WB_WRITE;
	if (sync_mode == WB_SYNC_ALL)
		return PINNED_WB_COPY;
	count_vm_event(WRITEBACK_SKIPPED);
	trace_event("writeback_skipped_pinned", page, 0);
	return PINNED_WB_SKIP;
}

void redirty_page_for_writepage(struct writeback_control *wbc,
				struct page *page)
{
	wbc->pages_skipped++;
	__set_page_dirty_nobuffers(page);
}

/* Only bdis that need stable pages make writers wait for writeback. */
void wait_for_stable_page(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	if (mapping && test_bit(AS_STABLE_WRITES, &mapping->flags))
		wait_on_page_writeback(page);
}

#define WB_BATCH 16

/*
 * Write the dirty pages of @mapping in the range of @wbc, calling
 * @writepage for each page that clear_page_dirty_for_io() says needs it.
 * WB_SYNC_NONE skips pages under writeback; WB_SYNC_ALL waits for them and
 * writes what was dirty when it started (the towrite mark).
 */
int write_cache_pages(struct address_space *mapping,
		      struct writeback_control *wbc, writepage_t writepage,
		      void *data)
{
	struct page *pages[WB_BATCH];
	pgoff_t index, end;
	int tag, ret = 0;
	bool done = false;

	if (wbc->range_cyclic) {
		index = 0;
		end = (pgoff_t)-1;
	} else {
		index = (pgoff_t)(wbc->range_start >> PAGE_SHIFT);
		end = (pgoff_t)(wbc->range_end >> PAGE_SHIFT);
	}
	if (wbc->sync_mode == WB_SYNC_ALL || wbc->tagged_writepages) {
		tag_pages_for_writeback(mapping, index, end);
		tag = PAGECACHE_TAG_TOWRITE;
	} else {
		tag = PAGECACHE_TAG_DIRTY;
	}
	while (!done && index <= end) {
		unsigned int nr = find_get_pages_range_tag(mapping, &index, end,
							   tag, WB_BATCH, pages);

		if (!nr)
			break;
		for (unsigned int i = 0; i < nr; i++) {
			struct page *page = pages[i];
			unsigned long waits = current->pin_waits;

			if (done) {
				put_page(page);
				continue;
			}
			lock_page(page);
			if (unlikely(page->mapping != mapping) || !PageDirty(page))
				goto continue_unlock;
			if (PageWriteback(page)) {
				if (wbc->sync_mode == WB_SYNC_NONE)
					goto continue_unlock;
				wait_on_page_writeback(page);
			}
			BUG_ON(PageWriteback(page));
			if (!clear_page_dirty_for_io(page, wbc->sync_mode))
				goto continue_unlock;
			if (current->pin_waits != waits)
				count_vm_event(WB_SYNC_ALL_WAITED_UNPIN);
			trace_wbc_writepage(page);
			trace_span_begin("writepage", page, wbc->sync_mode);
			ret = writepage(page, wbc, data);
			trace_span_end("writepage", page, ret);
			if (ret < 0)
				done = true;
			if (--wbc->nr_to_write <= 0 &&
			    wbc->sync_mode == WB_SYNC_NONE)
				done = true;
			put_page(page);
			continue;
continue_unlock:
			unlock_page(page);
			put_page(page);
		}
		cond_resched();
	}
	return ret;
}

int __writepage(struct page *page, struct writeback_control *wbc, void *data)
{
	struct address_space *mapping = data;
	int ret = mapping->a_ops->writepage(page, wbc);

	mapping_set_error(mapping, ret);
	return ret;
}

int generic_writepages(struct address_space *mapping,
		       struct writeback_control *wbc)
{
	return write_cache_pages(mapping, wbc, __writepage, mapping);
}

int do_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	if (wbc->nr_to_write <= 0)
		return 0;
	if (mapping->a_ops->writepages)
		return mapping->a_ops->writepages(mapping, wbc);
	return generic_writepages(mapping, wbc);
}
