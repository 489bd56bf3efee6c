// SPDX-License-Identifier: GPL-2.0
/*
 * The page cache: lookup, insertion and removal, the page lock, writeback
 * completion, and the fault handler of file mappings.
 *
 * A page cache page holds one reference for the cache itself; lookups take
 * another (find_get_page).  Removal (__delete_from_page_cache) clears
 * page->mapping, so that whoever still holds a reference can tell that the
 * page was truncated or reclaimed while it was not looking: every path
 * that locks a page it looked up re-checks page->mapping.
 *
 * Locking:
 *   mapping->i_pages.xa_lock: the slots, the marks (dirty, writeback,
 *   towrite), page->mapping and page->index of cached pages, nrpages.
 *   It nests inside mapping->private_lock (__set_page_dirty_buffers) and
 *   the page-table lock (set_page_dirty from try_to_unmap or zap).
 *   PG_locked: a sleeping bit lock, taken before any of the above.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/buffer_head.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/printk.h>
#include <linux/rmap.h>
#include <linux/sched.h>
#include <linux/swap.h>
#include <linux/tracepoint.h>
#include <linux/writeback.h>

void address_space_init(struct address_space *mapping, struct inode *host,
			const struct address_space_operations *a_ops,
			unsigned long max_pages)
{
	size_t words = (max_pages + BITS_PER_LONG - 1) / BITS_PER_LONG;

	memset(mapping, 0, sizeof(*mapping));
	mapping->host = host;
	mapping->a_ops = a_ops;
	mapping->account_dirty = true;
	spin_lock_init(&mapping->i_pages.xa_lock);
	spin_lock_init(&mapping->private_lock);
	init_rwsem(&mapping->i_mmap_rwsem);
	INIT_LIST_HEAD(&mapping->i_mmap);
	mapping->i_pages.nr_slots = max_pages;
	mapping->i_pages.slots = calloc(max_pages ? max_pages : 1,
					sizeof(struct page *));
	for (int tag = 0; tag < NR_PAGECACHE_TAGS; tag++)
		mapping->i_pages.marks[tag] =
			calloc(words ? words : 1, sizeof(unsigned long));
}

void address_space_destroy(struct address_space *mapping)
{
	free(mapping->i_pages.slots);
	for (int tag = 0; tag < NR_PAGECACHE_TAGS; tag++)
		free(mapping->i_pages.marks[tag]);
	spin_lock_destroy(&mapping->i_pages.xa_lock);
	spin_lock_destroy(&mapping->private_lock);
	destroy_rwsem(&mapping->i_mmap_rwsem);
}

/* Marks: under xa_lock, except page_cache_tag_get() which is a hint. */
static unsigned long *mark_word(struct address_space *mapping, pgoff_t index,
				int tag)
{
	return &mapping->i_pages.marks[tag][index / BITS_PER_LONG];
}

void page_cache_tag_set(struct address_space *mapping, pgoff_t index, int tag)
{
	unsigned long *w = mark_word(mapping, index, tag);

	WRITE_ONCE(*w, *w | BIT(index % BITS_PER_LONG));
}

void page_cache_tag_clear(struct address_space *mapping, pgoff_t index,
			  int tag)
{
	unsigned long *w = mark_word(mapping, index, tag);

	WRITE_ONCE(*w, *w & ~BIT(index % BITS_PER_LONG));
}

bool page_cache_tag_get(struct address_space *mapping, pgoff_t index, int tag)
{
	return READ_ONCE(*mark_word(mapping, index, tag)) &
	       BIT(index % BITS_PER_LONG);
}

bool mapping_tagged(struct address_space *mapping, int tag)
{
	size_t words = (mapping->i_pages.nr_slots + BITS_PER_LONG - 1) /
		       BITS_PER_LONG;

	for (size_t i = 0; i < words; i++)
		if (READ_ONCE(mapping->i_pages.marks[tag][i]))
			return true;
	return false;
}

struct page *find_get_page(struct address_space *mapping, pgoff_t offset)
{
	struct page *page = NULL;

	if (offset >= mapping->i_pages.nr_slots)
		return NULL;
	spin_lock(&mapping->i_pages.xa_lock);
	page = mapping->i_pages.slots[offset];
	if (page)
		get_page(page);
	spin_unlock(&mapping->i_pages.xa_lock);
	return page;
}

struct page *find_lock_page(struct address_space *mapping, pgoff_t offset)
{
	struct page *page;

repeat:
	page = find_get_page(mapping, offset);
	if (!page)
		return NULL;
	lock_page(page);
	if (unlikely(page->mapping != mapping)) {
		unlock_page(page);
		put_page(page);
		goto repeat;
	}
	return page;
}

/*
 * Up to @nr_pages cached pages from *@start to @end, with references;
 * *@start is left after the last one returned.
 */
unsigned int find_get_pages_range(struct address_space *mapping,
				  pgoff_t *start, pgoff_t end,
				  unsigned int nr_pages, struct page **pages)
{
	unsigned int ret = 0;
	pgoff_t index = *start;

	spin_lock(&mapping->i_pages.xa_lock);
	for (; index <= end && index < mapping->i_pages.nr_slots; index++) {
		struct page *page = mapping->i_pages.slots[index];

		if (!page)
			continue;
		get_page(page);
		pages[ret++] = page;
		if (ret == nr_pages) {
			index++;
			break;
		}
	}
	spin_unlock(&mapping->i_pages.xa_lock);
	*start = index;
	return ret;
}

unsigned int find_get_pages_range_tag(struct address_space *mapping,
				      pgoff_t *index, pgoff_t end, int tag,
				      unsigned int nr_pages, struct page **pages)
{
	unsigned int ret = 0;
	pgoff_t i = *index;

	spin_lock(&mapping->i_pages.xa_lock);
	for (; i <= end && i < mapping->i_pages.nr_slots; i++) {
		struct page *page = mapping->i_pages.slots[i];

		if (!page || !page_cache_tag_get(mapping, i, tag))
			continue;
		get_page(page);
		pages[ret++] = page;
		if (ret == nr_pages) {
			i++;
			break;
		}
	}
	spin_unlock(&mapping->i_pages.xa_lock);
	*index = i;
	return ret;
}

/* WB_SYNC_ALL: freeze the set of pages to write (the towrite mark). */
void tag_pages_for_writeback(struct address_space *mapping, pgoff_t start,
			     pgoff_t end)
{
	spin_lock(&mapping->i_pages.xa_lock);
	for (pgoff_t i = start; i <= end && i < mapping->i_pages.nr_slots; i++)
		if (page_cache_tag_get(mapping, i, PAGECACHE_TAG_DIRTY))
			page_cache_tag_set(mapping, i, PAGECACHE_TAG_TOWRITE);
	spin_unlock(&mapping->i_pages.xa_lock);
}

/* Insert a new, locked page: the cache's reference is taken here. */
static int add_to_page_cache_locked(struct page *page,
				    struct address_space *mapping,
				    pgoff_t offset)
{
	if (offset >= mapping->i_pages.nr_slots)
		return -EFBIG;
	get_page(page);
	spin_lock(&mapping->i_pages.xa_lock);
	if (mapping->i_pages.slots[offset]) {
		spin_unlock(&mapping->i_pages.xa_lock);
		put_page(page);
		return -EEXIST;
	}
	page->mapping = mapping;
	page->index = offset;
	mapping->i_pages.slots[offset] = page;
	mapping->nrpages++;
	trace_mm_filemap_add_to_page_cache(page);
	spin_unlock(&mapping->i_pages.xa_lock);
	return 0;
}

int add_to_page_cache_lru(struct page *page, struct address_space *mapping,
			  pgoff_t offset, gfp_t gfp)
{
	int ret;

	(void)gfp;
	set_bit(PG_locked, &page->flags);
	ret = add_to_page_cache_locked(page, mapping, offset);
	if (ret) {
		clear_bit(PG_locked, &page->flags);
		return ret;
	}
	lru_cache_add(page);
	return 0;
}

/* Called under xa_lock; the cache's reference is the caller's to drop. */
void __delete_from_page_cache(struct page *page)
{
	struct address_space *mapping = page->mapping;

	VM_BUG_ON_PAGE(page_mapped(page), page);
	mapping->i_pages.slots[page->index] = NULL;
	for (int tag = 0; tag < NR_PAGECACHE_TAGS; tag++)
		page_cache_tag_clear(mapping, page->index, tag);
	mapping->nrpages--;
	WRITE_ONCE(page->mapping, NULL);
	trace_mm_filemap_delete_from_page_cache(page);
}

void delete_from_page_cache(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	BUG_ON(!PageLocked(page));
	spin_lock(&mapping->i_pages.xa_lock);
	__delete_from_page_cache(page);
	spin_unlock(&mapping->i_pages.xa_lock);
	put_page(page);
}

/* ---- the page lock and writeback completion ---- */

void wake_up_page(struct page *page, int bit)
{
	wake_up_bit(&page->flags, bit);
}

void wait_on_page_bit(struct page *page, int bit_nr)
{
	wait_on_bit(&page->flags, bit_nr,
		    bit_nr == PG_locked ? "wait_on_page_locked" :
					  "wait_on_page_writeback",
		    WCHAN_PAGE, page);
}

void __lock_page(struct page *page)
{
	wait_on_bit_lock(&page->flags, PG_locked, "__lock_page", WCHAN_PAGE,
			 page);
}

void unlock_page(struct page *page)
{
	VM_BUG_ON_PAGE(!PageLocked(page), page);
	clear_bit_unlock(PG_locked, &page->flags);
	smp_mb();
	wake_up_page(page, PG_locked);
}

void rotate_reclaimable_page(struct page *page);

static int test_clear_page_writeback(struct page *page)
{
	struct address_space *mapping = page_mapping(page);
	int ret;

	if (!mapping)
		return TestClearPageWriteback(page);
	spin_lock(&mapping->i_pages.xa_lock);
	ret = TestClearPageWriteback(page);
	if (ret && page->mapping == mapping)
		page_cache_tag_clear(mapping, page->index,
				     PAGECACHE_TAG_WRITEBACK);
	spin_unlock(&mapping->i_pages.xa_lock);
	return ret;
}

int test_set_page_writeback(struct page *page)
{
	struct address_space *mapping = page_mapping(page);
	int ret;

	if (!mapping)
		return TestSetPageWriteback(page);
	spin_lock(&mapping->i_pages.xa_lock);
	ret = TestSetPageWriteback(page);
	if (!ret) {
		page_cache_tag_set(mapping, page->index,
				   PAGECACHE_TAG_WRITEBACK);
		if (!PageDirty(page))
			page_cache_tag_clear(mapping, page->index,
					     PAGECACHE_TAG_DIRTY);
		page_cache_tag_clear(mapping, page->index,
				     PAGECACHE_TAG_TOWRITE);
	}
	spin_unlock(&mapping->i_pages.xa_lock);
	return ret;
}

void end_page_writeback(struct page *page)
{
	if (PageReclaim(page)) {
		ClearPageReclaim(page);
		rotate_reclaimable_page(page);
	}
	if (!test_clear_page_writeback(page))
		BUG();
	smp_mb();
	wake_up_page(page, PG_writeback);
}

/* ---- reading pages in, and the fault handler ---- */

static int page_cache_read(struct file *file, pgoff_t offset)
{
	struct address_space *mapping = file->f_mapping;
	struct page *page = alloc_page(GFP_KERNEL);
	int ret;

	if (!page)
		return -ENOMEM;
	ret = add_to_page_cache_lru(page, mapping, offset, GFP_KERNEL);
	if (ret == 0)
		ret = mapping->a_ops->readpage(file, page);
	else if (ret == -EEXIST)
		ret = 0;	/* someone else read it in */
	put_page(page);
	return ret;
}

/* The page at @index, read in if need be, uptodate, with a reference. */
struct page *read_mapping_page(struct address_space *mapping, pgoff_t index)
{
	struct file file = { .f_inode = mapping->host, .f_mapping = mapping };
	struct page *page;
	int err;

	for (;;) {
		page = find_get_page(mapping, index);
		if (page)
			break;
		err = page_cache_read(&file, index);
		if (err)
			return NULL;
	}
	wait_on_page_locked(page);
	if (!PageUptodate(page)) {
		put_page(page);
		return NULL;
	}
	return page;
}

/*
 * ->fault of a file mapping: return the page locked (VM_FAULT_LOCKED)
 * with a reference that the PTE will own.
 */
int filemap_fault(struct vm_fault *vmf)
{
	struct file *file = vmf->vma->vm_file;
	struct address_space *mapping = file->f_mapping;
	struct inode *inode = mapping->host;
	pgoff_t offset = vmf->pgoff;
	struct page *page;
	int ret = 0;

retry_find:
	if (offset >= DIV_ROUND_UP((u64)i_size_read(inode), PAGE_SIZE))
		return VM_FAULT_SIGBUS;
	page = find_get_page(mapping, offset);
	if (!page) {
		count_vm_event(PGMAJFAULT);
		ret = VM_FAULT_MAJOR;
		int err = page_cache_read(file, offset);

		if (err == -ENOMEM)
			return VM_FAULT_OOM;
		if (err < 0)
			return VM_FAULT_SIGBUS;
		goto retry_find;
	}
	lock_page(page);
	if (unlikely(page->mapping != mapping)) {
		unlock_page(page);
		put_page(page);
		goto retry_find;
	}
	if (unlikely(!PageUptodate(page))) {
		unlock_page(page);
		put_page(page);
		return VM_FAULT_SIGBUS;
	}
	/* Truncated while we were reading it? */
	if (unlikely(offset >= DIV_ROUND_UP((u64)i_size_read(inode), PAGE_SIZE))) {
		unlock_page(page);
		put_page(page);
		return VM_FAULT_SIGBUS;
	}
	vmf->page = page;
	return ret | VM_FAULT_LOCKED;
}

/*
 * try_to_release_page(): ask the filesystem to free the page's buffers.
 * Not while the page is under writeback.
 */
int try_to_release_page(struct page *page, gfp_t gfp_mask)
{
	struct address_space *mapping = page_mapping(page);

	BUG_ON(!PageLocked(page));
	if (PageWriteback(page))
		return 0;
	if (mapping && mapping->a_ops->releasepage)
		return mapping->a_ops->releasepage(page, gfp_mask);
	return try_to_free_buffers(page);
}

/* ---- fdatawrite / fdatawait ---- */

int filemap_fdatawrite_range(struct address_space *mapping, loff_t start,
			     loff_t end, int sync_mode)
{
	struct writeback_control wbc = {
		.sync_mode = sync_mode,
		.nr_to_write = 0x7fffffffffffffffL,
		.range_start = start,
		.range_end = end,
	};

	return do_writepages(mapping, &wbc);
}

static int filemap_check_errors(struct address_space *mapping)
{
	int ret = 0;

	if (test_bit(AS_ENOSPC, &mapping->flags) &&
	    test_and_clear_bit(AS_ENOSPC, &mapping->flags))
		ret = -ENOSPC;
	if (test_bit(AS_EIO, &mapping->flags) &&
	    test_and_clear_bit(AS_EIO, &mapping->flags))
		ret = -EIO;
	return ret;
}

int filemap_fdatawait_range(struct address_space *mapping, loff_t start,
			    loff_t end)
{
	pgoff_t index = (pgoff_t)(start >> PAGE_SHIFT);
	pgoff_t last = (pgoff_t)(end >> PAGE_SHIFT);
	struct page *pages[16];
	unsigned int nr;

	while (index <= last &&
	       (nr = find_get_pages_range_tag(mapping, &index, last,
					      PAGECACHE_TAG_WRITEBACK, 16,
					      pages))) {
		for (unsigned int i = 0; i < nr; i++) {
			wait_on_page_writeback(pages[i]);
			put_page(pages[i]);
		}
	}
	return filemap_check_errors(mapping);
}

int filemap_write_and_wait_range(struct address_space *mapping, loff_t lstart,
				 loff_t lend)
{
	int err = filemap_fdatawrite_range(mapping, lstart, lend, WB_SYNC_ALL);
	int err2;

	if (err == -EIO)
		return err;
	err2 = filemap_fdatawait_range(mapping, lstart, lend);
	return err ? err : err2;
}
