// SPDX-License-Identifier: GPL-2.0
/*
 * Buffer heads: the blocks behind a page cache page.
 *
 * A page's buffers form a ring (b_this_page) hung off page->private with
 * PG_private set; attaching them takes a page reference and dropping them
 * puts it, as attach_page_buffers() and __clear_page_buffers() do.
 *
 * drop_buffers() frees the ring when no buffer is busy (dirty, locked or
 * referenced).  Reclaim gets here through try_to_release_page() on a clean
 * page: after that, the page has no buffers, and whoever dirties it again
 * without going through ->page_mkwrite leaves a dirty page without
 * buffers for ->writepage to find.
 *
 * Locking: mapping->private_lock protects page->private and the ring
 * against concurrent attach/drop and against __set_page_dirty_buffers()
 * walking it.  BH_Lock is a sleeping bit lock on one buffer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/blkdev.h>
#include <linux/buffer_head.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>
#include <linux/writeback.h>

void __set_page_dirty(struct page *page, struct address_space *mapping);

static long buffer_heads;	/* live buffer heads, for leak checks */

long nr_buffer_heads(void)
{
	return __atomic_load_n(&buffer_heads, __ATOMIC_RELAXED);
}

static struct buffer_head *alloc_buffer_head(void)
{
	struct buffer_head *bh = calloc(1, sizeof(*bh));

	if (bh)
		__atomic_add_fetch(&buffer_heads, 1, __ATOMIC_RELAXED);
	return bh;
}

static void free_buffer_head(struct buffer_head *bh)
{
	__atomic_sub_fetch(&buffer_heads, 1, __ATOMIC_RELAXED);
	free(bh);
}

void attach_page_buffers(struct page *page, struct buffer_head *head)
{
	get_page(page);
	WRITE_ONCE(page->private, (unsigned long)head);
	SetPagePrivate(page);
}

static void __clear_page_buffers(struct page *page)
{
	ClearPagePrivate(page);
	WRITE_ONCE(page->private, 0);
	put_page(page);
}

static struct buffer_head *alloc_page_buffers(struct page *page,
					      unsigned long size)
{
	struct buffer_head *head = NULL, *bh;
	long offset = (long)PAGE_SIZE;

	while ((offset -= (long)size) >= 0) {
		bh = alloc_buffer_head();
		if (!bh)
			goto no_grow;
		bh->b_this_page = head;
		bh->b_page = page;
		bh->b_size = size;
		bh->b_data = (char *)page_address(page) + offset;
		head = bh;
	}
	return head;
no_grow:
	while (head) {
		bh = head;
		head = head->b_this_page;
		free_buffer_head(bh);
	}
	return NULL;
}

void create_empty_buffers(struct page *page, unsigned long blocksize,
			  unsigned long b_state)
{
	struct buffer_head *bh, *head, *tail;
	struct address_space *mapping = page_mapping(page);

	head = alloc_page_buffers(page, blocksize);
	BUG_ON(!head);	/* the model's allocations do not fail */
	bh = head;
	do {
		bh->b_state |= b_state;
		tail = bh;
		bh = bh->b_this_page;
	} while (bh);
	tail->b_this_page = head;

	spin_lock(&mapping->private_lock);
	if (PageUptodate(page) || PageDirty(page)) {
		bh = head;
		do {
			if (PageDirty(page))
				set_buffer_dirty(bh);
			if (PageUptodate(page))
				set_buffer_uptodate(bh);
			bh = bh->b_this_page;
		} while (bh != head);
	}
	attach_page_buffers(page, head);
	spin_unlock(&mapping->private_lock);
}

static bool buffer_busy(struct buffer_head *bh)
{
	return atomic_read(&bh->b_count) ||
	       (READ_ONCE(bh->b_state) & (BIT(BH_Dirty) | BIT(BH_Lock)));
}

static int drop_buffers(struct page *page, struct buffer_head **buffers_to_free)
{
	struct buffer_head *head = page_buffers(page);
	struct buffer_head *bh = head;

	do {
		if (buffer_busy(bh))
			return 0;
		bh = bh->b_this_page;
	} while (bh != head);
	__clear_page_buffers(page);
	*buffers_to_free = head;
	return 1;
}

/*
 * Free the page's buffers if none is busy.  Returns 1 if it did.  A page
 * whose buffers are all clean is not dirty either: its dirty state is
 * cancelled, as the kernel does for filesystems that write buffers by
 * hand.
 */
int try_to_free_buffers(struct page *page)
{
	struct address_space *mapping = page_mapping(page);
	struct buffer_head *buffers_to_free = NULL;
	int ret;

	BUG_ON(!PageLocked(page));
	if (PageWriteback(page))
		return 0;
	if (!mapping) {
		ret = drop_buffers(page, &buffers_to_free);
		goto out;
	}
	spin_lock(&mapping->private_lock);
	ret = drop_buffers(page, &buffers_to_free);
	if (ret)
		cancel_dirty_page(page);
	spin_unlock(&mapping->private_lock);
out:
	if (buffers_to_free) {
		struct buffer_head *bh = buffers_to_free;

		do {
			struct buffer_head *next = bh->b_this_page;

			free_buffer_head(bh);
			bh = next;
		} while (bh != buffers_to_free);
		count_vm_event(BUFFERS_DROPPED);
		trace_event("drop_buffers", page, page_count(page));
	}
	return ret;
}

/*
 * ->set_page_dirty of buffer-backed mappings: every buffer becomes dirty
 * (if the page has any), then the page.  A page without buffers simply
 * becomes dirty: nothing here notices that it has nothing to write with.
 */
int __set_page_dirty_buffers(struct page *page)
{
	struct address_space *mapping = page_mapping(page);
	int newly_dirty;

	if (unlikely(!mapping))
		return !TestSetPageDirty(page);
	spin_lock(&mapping->private_lock);
	if (page_has_buffers(page)) {
		struct buffer_head *head = page_buffers(page);
		struct buffer_head *bh = head;

		do {
			set_buffer_dirty(bh);
			bh = bh->b_this_page;
		} while (bh != head);
	}
	newly_dirty = !TestSetPageDirty(page);
	spin_unlock(&mapping->private_lock);
	if (newly_dirty) {
		__set_page_dirty(page, mapping);
		__mark_inode_dirty(mapping->host, I_DIRTY_PAGES);
	}
	return newly_dirty;
}

void mark_buffer_dirty(struct buffer_head *bh)
{
	struct page *page = bh->b_page;
	struct address_space *mapping;

	if (buffer_dirty(bh))
		return;
	if (test_set_buffer_dirty(bh))
		return;
	if (TestSetPageDirty(page))
		return;
	mapping = page_mapping(page);
	if (mapping) {
		__set_page_dirty(page, mapping);
		__mark_inode_dirty(mapping->host, I_DIRTY_PAGES);
	}
}

void lock_buffer(struct buffer_head *bh)
{
	might_sleep();
	if (test_and_set_bit_lock(BH_Lock, &bh->b_state))
		wait_on_bit_lock(&bh->b_state, BH_Lock, "__lock_buffer",
				 WCHAN_OTHER, bh);
}

void unlock_buffer(struct buffer_head *bh)
{
	clear_bit_unlock(BH_Lock, &bh->b_state);
	smp_mb();
	wake_up_bit(&bh->b_state, BH_Lock);
}

void wait_on_buffer(struct buffer_head *bh)
{
	wait_on_bit(&bh->b_state, BH_Lock, "wait_on_buffer", WCHAN_OTHER, bh);
}

/* Serialises the "last async buffer of the page" check (BH_Uptodate_Lock). */
static spinlock_t async_write_lock = {
	.raw = PTHREAD_MUTEX_INITIALIZER,
	.name = "BH_Uptodate_Lock",
};

void end_buffer_async_write(struct buffer_head *bh, int uptodate)
{
	struct page *page = bh->b_page;
	struct buffer_head *first, *tmp;

	if (uptodate) {
		set_buffer_uptodate(bh);
	} else {
		set_buffer_write_io_error(bh);
		clear_buffer_uptodate(bh);
		if (page->mapping)
			mapping_set_error(page->mapping, -EIO);
		SetPageError(page);
	}
	first = page_buffers(page);
	spin_lock(&async_write_lock);
	clear_buffer_async_write(bh);
	unlock_buffer(bh);
	tmp = bh->b_this_page;
	while (tmp != bh) {
		if (buffer_async_write(tmp)) {
			spin_unlock(&async_write_lock);
			return;
		}
		tmp = tmp->b_this_page;
	}
	spin_unlock(&async_write_lock);
	(void)first;
	end_page_writeback(page);
}

void mark_buffer_async_write(struct buffer_head *bh)
{
	bh->b_end_io = end_buffer_async_write;
	set_buffer_async_write(bh);
}

/*
 * Submit one buffer: the block device transfers the bytes synchronously
 * and the completion runs at once, in the submitter's context.
 */
static int __submit_bh(int op, struct buffer_head *bh, char *data)
{
	u64 offset = (u64)bh->b_blocknr * bh->b_size;
	int err;

	BUG_ON(!buffer_locked(bh));
	BUG_ON(!buffer_mapped(bh));
	BUG_ON(!bh->b_end_io);
	data_race_begin();
	if (op == REQ_OP_WRITE)
		err = blkdev_write(bh->b_bdev, data, bh->b_size, offset);
	else
		err = blkdev_read(bh->b_bdev, data, bh->b_size, offset);
	data_race_end();
	if (op == REQ_OP_WRITE && !err)
		trace_block_write_page(bh->b_bdev, bh->b_page, data, bh->b_size,
				       offset);
	bh->b_end_io(bh, err == 0);
	return err;
}

int submit_bh(int op, struct buffer_head *bh)
{
	return __submit_bh(op, bh, bh->b_data);
}

/*
 * Write @bh's block from @data, a copy of the buffer's bytes, in place of
 * the page (ext4's bounce pages: the bio carries the copy, the completion
 * is the page's).
 */
int submit_bh_copy(struct buffer_head *bh, char *data)
{
	return __submit_bh(REQ_OP_WRITE, bh, data);
}

static void discard_buffer(struct buffer_head *bh)
{
	lock_buffer(bh);
	clear_buffer_dirty(bh);
	bh->b_bdev = NULL;
	__atomic_and_fetch(&bh->b_state,
			   ~(BIT(BH_Mapped) | BIT(BH_Req) | BIT(BH_New) |
			     BIT(BH_Delay) | BIT(BH_Unwritten)),
			   __ATOMIC_SEQ_CST);
	unlock_buffer(bh);
}

/*
 * Invalidate the buffers of [offset, offset + length) of a locked page
 * (truncate, hole punch).  When the whole page goes, its buffers go too.
 */
void block_invalidatepage(struct page *page, unsigned int offset,
			  unsigned int length)
{
	struct buffer_head *head, *bh, *next;
	unsigned int curr_off = 0;
	unsigned int stop = length + offset;

	BUG_ON(!PageLocked(page));
	if (!page_has_buffers(page))
		return;
	BUG_ON(stop > PAGE_SIZE || stop < length);
	head = page_buffers(page);
	bh = head;
	do {
		unsigned int next_off = curr_off + (unsigned int)bh->b_size;

		next = bh->b_this_page;
		if (next_off > stop)
			break;
		if (offset <= curr_off)
			discard_buffer(bh);
		curr_off = next_off;
		bh = next;
	} while (bh != head);
	if (length == PAGE_SIZE)
		try_to_release_page(page, 0);
}

/* Map (allocating if need be) the buffers of [pos, pos + len) of a page. */
int __block_write_begin(struct page *page, loff_t pos, unsigned int len,
			get_block_t *get_block)
{
	unsigned int from = (unsigned int)(pos & (PAGE_SIZE - 1));
	unsigned int to = from + len;
	struct inode *inode = page->mapping->host;
	unsigned int blocksize = i_blocksize(inode);
	struct buffer_head *bh, *head;
	unsigned int block_start, block_end;
	sector_t block;
	int err = 0;

	BUG_ON(!PageLocked(page));
	if (!page_has_buffers(page))
		create_empty_buffers(page, blocksize, 0);
	head = page_buffers(page);
	block = (sector_t)page->index << (PAGE_SHIFT - inode->i_blkbits);
	for (bh = head, block_start = 0; bh != head || !block_start;
	     block++, block_start = block_end, bh = bh->b_this_page) {
		block_end = block_start + blocksize;
		if (block_end <= from || block_start >= to) {
			if (PageUptodate(page))
				set_buffer_uptodate(bh);
			continue;
		}
		if (!buffer_mapped(bh)) {
			err = get_block(inode, block, bh, 1);
			if (err)
				break;
			if (buffer_new(bh))
				clear_buffer_new(bh);
		}
		if (PageUptodate(page))
			set_buffer_uptodate(bh);
	}
	return err;
}

int block_commit_write(struct page *page, unsigned int from, unsigned int to)
{
	struct buffer_head *bh, *head = page_buffers(page);
	unsigned int block_start, block_end;
	bool partial = false;

	for (bh = head, block_start = 0; bh != head || !block_start;
	     block_start = block_end, bh = bh->b_this_page) {
		block_end = block_start + (unsigned int)bh->b_size;
		if (block_end <= from || block_start >= to) {
			if (!buffer_uptodate(bh))
				partial = true;
		} else {
			set_buffer_uptodate(bh);
			mark_buffer_dirty(bh);
		}
	}
	if (!partial)
		SetPageUptodate(page);
	return 0;
}

/*
 * ->page_mkwrite for block filesystems: lock the page, make sure it is
 * still ours and inside i_size, give it mapped buffers up to i_size, dirty
 * them and the page.  Returns 0 with the page locked, or a negative errno
 * with it unlocked.
 */
int block_page_mkwrite(struct vm_area_struct *vma, struct vm_fault *vmf,
		       get_block_t get_block)
{
	struct page *page = vmf->page;
	struct inode *inode = vma->vm_file->f_inode;
	unsigned long end;
	loff_t size;
	int ret;

	lock_page(page);
	size = i_size_read(inode);
	if (page->mapping != inode->i_mapping || page_offset(page) > size) {
		ret = -EFAULT;	/* truncated meanwhile */
		goto out_unlock;
	}
	if (((page->index + 1) << PAGE_SHIFT) > (unsigned long)size)
		end = (unsigned long)size & ~PAGE_MASK;
	else
		end = PAGE_SIZE;
	ret = __block_write_begin(page, 0, (unsigned int)end, get_block);
	if (!ret)
		ret = block_commit_write(page, 0, (unsigned int)end);
	if (ret < 0)
		goto out_unlock;
	set_page_dirty(page);
	wait_for_stable_page(page);
	return 0;
out_unlock:
	unlock_page(page);
	return ret;
}

/* Machine teardown: free the buffer rings still attached to pages. */
void buffer_heads_teardown(void)
{
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);
		struct buffer_head *head, *bh;

		if (!PagePrivate(page))
			continue;
		head = (struct buffer_head *)page->private;
		bh = head;
		do {
			struct buffer_head *next = bh->b_this_page;

			free_buffer_head(bh);
			bh = next;
		} while (bh && bh != head);
		ClearPagePrivate(page);
		page->private = 0;
	}
}
