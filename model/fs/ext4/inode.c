// SPDX-License-Identifier: GPL-2.0
/*
 * ext4 inode data paths: block mapping, reading pages, ->page_mkwrite,
 * ->writepage, truncate and hole punching.
 *
 * ext4_writepage() is the function of the 2018 report: it takes the page's
 * buffers with page_buffers(), whose BUG_ON(!PagePrivate(page)) fires when
 * a page was dirtied after reclaim dropped its buffers.  This is ext4 as in
 * Linux 4.4, the kernel of the report; ext4 turned that BUG into a warning
 * and a silent skip only in 2022, which the 6.12 policies run instead
 * (ext4_writepage_without_buffers()).  Under bounce, data-integrity
 * writeback of a pinned page submits a stable copy of it, as ext4's fscrypt
 * path submits its ciphertext (ext4_stable_copy()).
 *
 * Page faults and ->page_mkwrite are serialised against truncate and hole
 * punching by i_mmap_sem, as in Linux 4.18 (EXT4_I(inode)->i_mmap_sem;
 * since 5.15 the same lock is the mapping's invalidate_lock, taken by
 * filemap_fault() itself): the punch holds it for write from the removal
 * of the page cache to the freeing of the blocks, so no fault can map a
 * page there, nor ->page_mkwrite map its buffers onto blocks about to be
 * freed.
 *
 * Locking: i_rwsem (truncate, punch) -> i_mmap_sem -> PG_locked ->
 * i_data_sem (the block map) -> s_alloc_lock; a fault takes i_mmap_sem
 * under mmap_sem.
 */
#include <errno.h>
#include <string.h>

#include <linux/blkdev.h>
#include <linux/pagemap.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>
#include <linux/writeback.h>

#include "../../mm/pin_policy.h"
#include "ext4.h"

sector_t ext4_bmap(struct inode *inode, sector_t iblock)
{
	sector_t blk = 0;

	down_read(&inode->i_data_sem);
	if (iblock < inode->i_max_blocks)
		blk = inode->i_blocks_map[iblock];
	up_read(&inode->i_data_sem);
	return blk;
}

static void map_bh(struct buffer_head *bh, struct super_block *sb,
		   sector_t block)
{
	bh->b_bdev = sb->s_bdev;
	bh->b_blocknr = block;
	set_buffer_mapped(bh);
}

/* Map file block @iblock into @bh, allocating it when @create. */
int ext4_get_block(struct inode *inode, sector_t iblock,
		   struct buffer_head *bh, int create)
{
	struct super_block *sb = inode->i_sb;
	sector_t blk;

	if (iblock >= inode->i_max_blocks)
		return -EFBIG;
	down_write(&inode->i_data_sem);
	blk = inode->i_blocks_map[iblock];
	if (!blk && create) {
		blk = ext4_new_block(sb);
		if (!blk) {
			up_write(&inode->i_data_sem);
			return -ENOSPC;
		}
		inode->i_blocks_map[iblock] = blk;
		set_buffer_new(bh);
	}
	up_write(&inode->i_data_sem);
	if (blk)
		map_bh(bh, sb, blk);
	return 0;
}

/*
 * ->readpage, as ext4_mpage_readpages() does it: read every block of the
 * page straight into the frame (zeroes for holes and beyond EOF), attach
 * no buffers, mark the page uptodate and unlock it.
 */
static int ext4_readpage(struct file *file, struct page *page)
{
	struct inode *inode = page->mapping->host;
	unsigned int bsize = i_blocksize(inode);
	unsigned int per_page = PAGE_SIZE / bsize;
	loff_t size = i_size_read(inode);
	char *frame = page_address(page);
	int err = 0;

	(void)file;
	for (unsigned int i = 0; i < per_page; i++) {
		sector_t iblock = (sector_t)page->index * per_page + i;
		loff_t pos = (loff_t)iblock * bsize;
		sector_t blk = pos < size ? ext4_bmap(inode, iblock) : 0;

		data_race_begin();
		if (blk)
			err = blkdev_read(inode->i_sb->s_bdev, frame + i * bsize,
					  bsize, (u64)blk * bsize);
		else
			memset(frame + i * bsize, 0, bsize);
		data_race_end();
		if (err)
			break;
	}
	count_vm_event(PGPGIN);
	if (!err)
		SetPageUptodate(page);
	else
		SetPageError(page);
	unlock_page(page);
	return err;
}

/*
 * bounce: the stable copy of a page a device may be writing, written in
 * the page's place by data-integrity writeback.  ext4's fscrypt path does
 * the same with its ciphertext (ext4_bio_write_folio() submits a bounce
 * page; ext4_finish_bio() frees it and ends writeback on the page cache
 * page): the copy is taken here, with the page locked, and what the device
 * writes after it stays dirty in the page for the next writeback.  Like
 * fscrypt's first bounce page, data integrity needs it to make progress:
 * the allocation reclaims and retries.
 */
static struct page *ext4_stable_copy(struct page *page)
{
	struct page *copy = alloc_page(GFP_NOFS);

	if (!copy)
		return NULL;
	data_race_begin();	/* the device may be writing the page */
	memcpy(page_address(copy), page_address(page), PAGE_SIZE);
	data_race_end();
	count_vm_event(BOUNCE_COPIES);
	count_vm_events(BOUNCE_BYTES, PAGE_SIZE);
	trace_event("bounce_copy", page, page_to_pfn(copy));
	return copy;
}

/*
 * What bounce assumes about space (Dave Chinner's question of 2023): a
 * page that stays dirty never goes clean and dirty again, so
 * ->page_mkwrite() never reserves its blocks again.  They were mapped
 * when the pin faulted the page in for write; a dirty buffer inside
 * i_size without a block would be dropped here, silently.  Say so.
 */
static void ext4_stable_copy_check_space(struct page *page, unsigned int len)
{
	struct buffer_head *bh, *head = page_buffers(page);
	unsigned int block_start = 0;

	bh = head;
	do {
		if (block_start < len && buffer_dirty(bh) &&
		    WARN(!buffer_mapped(bh),
			 "bounce: page %lu of a pinned range has a dirty block without space",
			 page->index))
			return;
		block_start += (unsigned int)bh->b_size;
		bh = bh->b_this_page;
	} while (bh != head);
}

/*
 * Write the dirty, mapped buffers of [0, len) of a locked page: the page
 * goes under writeback, is unlocked, and each buffer is submitted; the last
 * completion ends the page's writeback.  (ext4_bio_write_page().)  The
 * bytes come from the page, or from a stable copy of it when writeback
 * says so (bounce), which leaves the page and what it wrote dirty.
 */
static int ext4_bio_write_page(struct page *page, unsigned int len,
			       struct writeback_control *wbc)
{
	struct buffer_head *bh, *head, *async[MAX_BUF_PER_PAGE];
	struct page *copy = NULL;
	unsigned int block_start;
	int nr_async = 0, nr_submitted = 0;
	int ret = 0;

	BUG_ON(!PageLocked(page));
	BUG_ON(PageWriteback(page));
	/*
	 * Asked again now that the PTEs are clean: a pin that came after
	 * clear_page_dirty_for_io() asked is too late to skip the page for,
	 * but not to write a copy of it.
	 */
	if (writeback_pinned(page, wbc->sync_mode) != PINNED_WB_WRITE) {
		ext4_stable_copy_check_space(page, len);
		copy = ext4_stable_copy(page);
	}
	set_page_writeback(page);
	ClearPageError(page);

	bh = head = page_buffers(page);
	block_start = 0;
	do {
		if (block_start >= len) {
			clear_buffer_dirty(bh);
			set_buffer_uptodate(bh);
		} else if (!buffer_dirty(bh) || !buffer_mapped(bh)) {
			/* A hole: nothing to write, and nothing will be. */
			if (!buffer_mapped(bh))
				clear_buffer_dirty(bh);
		} else {
			lock_buffer(bh);
			if (test_clear_buffer_dirty(bh))
				mark_buffer_async_write(bh);
			else
				unlock_buffer(bh);
			/* A stable copy leaves what it writes dirty. */
			if (copy)
				set_buffer_dirty(bh);
		}
		block_start += (unsigned int)bh->b_size;
		bh = bh->b_this_page;
	} while (bh != head);
	/*
	 * The device may go on writing the page after the copy, and nothing
	 * would tell the filesystem: keep it dirty for the next writeback.
	 */
	if (copy)
		__set_page_dirty_nobuffers(page);
	trace_writeback_page_io(page, page_address(copy ? copy : page));
	/*
	 * Which buffers to submit is read while the page is locked: once it
	 * is unlocked, the last write's end may end its writeback, and
	 * reclaim may free the buffers that were not written; one not yet
	 * submitted is still under async write, which keeps them all.
	 */
	do {
		if (buffer_async_write(bh))
			async[nr_async++] = bh;
		bh = bh->b_this_page;
	} while (bh != head);
	unlock_page(page);

	for (int i = 0; i < nr_async; i++) {
		int err;

		bh = async[i];
		err = copy ? submit_bh_copy(bh, (char *)page_address(copy) +
						    bh_offset(bh)) :
			     submit_bh(REQ_OP_WRITE, bh);

		if (err && !ret)
			ret = err;
		nr_submitted++;
	}
	if (!nr_submitted)
		end_page_writeback(page);
	if (copy)
		put_page(copy);
	count_vm_event(NR_WRITTEN);
	trace_event("writepage", page, nr_submitted);
	return ret;
}

/*
 * Linux 6.12 (mpage_prepare_extent_to_map(), since 2022): a dirty page
 * without buffers was dirtied behind the filesystem's back.  Warn, clear
 * its dirty state and skip it: what was in it never reaches the disk.
 * (6.12 looks before folio_clear_dirty_for_io(); the model's ->writepage
 * sees the page after it, so its PTEs are already clean: the same loss.)
 */
int ext4_writepage_without_buffers(struct page *page,
				   struct writeback_control *wbc)
{
	struct inode *inode = page->mapping->host;

	pr_warn("EXT4-fs warning (device pinmm): mpage_prepare_extent_to_map: inode #%lu: comm %s: page %lu does not have buffers attached\n",
		inode->i_ino, current ? current->comm : "?", page->index);
	count_vm_event(WRITEPAGE_NO_BUFFERS);
	trace_event("writepage_no_buffers", page, 0);
	cancel_dirty_page(page);
	unlock_page(page);
	return 0;
}

static int ext4_writepage(struct page *page, struct writeback_control *wbc)
{
	struct inode *inode = page->mapping->host;
	loff_t size = i_size_read(inode);
	unsigned int len;
	struct buffer_head *page_bufs;

	if ((loff_t)page->index == size >> PAGE_SHIFT)
		len = (unsigned int)(size & ~PAGE_MASK);
	else
		len = PAGE_SIZE;
	if (!page_has_buffers(page) && pin_ops.writepage_without_buffers)
		return pin_ops.writepage_without_buffers(page, wbc);
	page_bufs = page_buffers(page);
	(void)page_bufs;
	if (page_offset(page) >= size) {
		/* Wholly outside i_size: truncate will remove it. */
		unlock_page(page);
		return 0;
	}
	return ext4_bio_write_page(page, len, wbc);
}

/*
 * ext4 holds a journal handle while it prepares and submits a batch of
 * pages (ext4_writepages() in ordered mode starts one before
 * mpage_prepare_extent_to_map(), which clears the pages' dirty state; the
 * journalled-data path starts one per page).  Whatever clear_page_dirty_for_io()
 * waits for, it waits for with the handle open.
 */
static int ext4_writepages(struct address_space *mapping,
			   struct writeback_control *wbc)
{
	handle_t *handle;
	int ret;

	handle = ext4_journal_start(mapping->host, EXT4_HT_WRITE_PAGE, 1);
	ret = write_cache_pages(mapping, wbc, __writepage, mapping);
	ext4_journal_stop(handle);
	return ret;
}

static int ext4_set_page_dirty(struct page *page)
{
	return __set_page_dirty_buffers(page);
}

static void ext4_invalidatepage(struct page *page, unsigned int offset,
				unsigned int length)
{
	block_invalidatepage(page, offset, length);
}

static int ext4_releasepage(struct page *page, gfp_t wait)
{
	(void)wait;
	return try_to_free_buffers(page);
}

static const struct address_space_operations ext4_aops = {
	.readpage = ext4_readpage,
	.writepage = ext4_writepage,
	.writepages = ext4_writepages,
	.set_page_dirty = ext4_set_page_dirty,
	.invalidatepage = ext4_invalidatepage,
	.releasepage = ext4_releasepage,
};

const struct address_space_operations *ext4_get_aops(void)
{
	return &ext4_aops;
}

static int block_page_mkwrite_return(int err)
{
	if (err == 0)
		return VM_FAULT_LOCKED;
	if (err == -EFAULT || err == -EAGAIN)
		return VM_FAULT_NOPAGE;
	if (err == -ENOMEM)
		return VM_FAULT_OOM;
	return VM_FAULT_SIGBUS;
}

/*
 * Block allocation on the first store: under a handle, as in ext4, and
 * under i_mmap_sem, so that no punch or truncate frees the blocks it maps.
 */
static int ext4_page_mkwrite(struct vm_fault *vmf)
{
	struct inode *inode = vmf->vma->vm_file->f_inode;
	handle_t *handle;
	int err;

	down_read(&inode->i_mmap_sem);
	handle = ext4_journal_start(inode, EXT4_HT_WRITE_PAGE, 1);
	err = block_page_mkwrite(vmf->vma, vmf, ext4_get_block);
	ext4_journal_stop(handle);
	up_read(&inode->i_mmap_sem);
	return block_page_mkwrite_return(err);
}

/* A page fault reads a page in only when no punch or truncate is running. */
static int ext4_filemap_fault(struct vm_fault *vmf)
{
	struct inode *inode = vmf->vma->vm_file->f_inode;
	int ret;

	down_read(&inode->i_mmap_sem);
	ret = filemap_fault(vmf);
	up_read(&inode->i_mmap_sem);
	return ret;
}

static const struct vm_operations_struct ext4_file_vm_ops = {
	.fault = ext4_filemap_fault,
	.page_mkwrite = ext4_page_mkwrite,
};

static int ext4_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &ext4_file_vm_ops;
	return 0;
}

/* Free the blocks of file blocks [first, last]. */
static void ext4_free_range(struct inode *inode, sector_t first, sector_t last)
{
	down_write(&inode->i_data_sem);
	for (sector_t b = first; b <= last && b < inode->i_max_blocks; b++) {
		if (!inode->i_blocks_map[b])
			continue;
		ext4_free_block(inode->i_sb, inode->i_blocks_map[b]);
		inode->i_blocks_map[b] = 0;
	}
	up_write(&inode->i_data_sem);
}

/* ->setattr, called with the inode locked: the size change of truncate(2). */
static int ext4_setattr(struct inode *inode, struct iattr *attr)
{
	loff_t oldsize, newsize = attr->ia_size;

	if (!(attr->ia_valid & ATTR_SIZE))
		return 0;
	if ((u64)newsize > (u64)inode->i_max_blocks << inode->i_blkbits)
		return -EFBIG;
	oldsize = i_size_read(inode);
	i_size_write(inode, newsize);
	if (newsize > oldsize)
		pagecache_isize_extended(inode, oldsize, newsize);
	/*
	 * No fault may map a page of the range, or blocks behind it, while
	 * the cache and the blocks beyond the new size go.
	 */
	down_write(&inode->i_mmap_sem);
	truncate_pagecache(inode, newsize);
	if (newsize < oldsize) {
		sector_t first = (sector_t)DIV_ROUND_UP((u64)newsize,
							i_blocksize(inode));
		handle_t *handle = ext4_journal_start(inode, EXT4_HT_TRUNCATE, 1);

		ext4_free_range(inode, first, inode->i_max_blocks - 1);
		ext4_journal_stop(handle);
	}
	up_write(&inode->i_mmap_sem);
	return 0;
}

/*
 * Linux 6.12 (ext4_truncate_page_cache_block_range() in 6.12.117): the
 * punch writes the range out only for data=journal, which the model does
 * not have; the pages are dropped dirty, pinned or not.
 */
bool ext4_punch_hole_writes_back(struct inode *inode)
{
	return false;
}

/* fallocate(FALLOC_FL_PUNCH_HOLE): drop the cache, free whole blocks. */
static int ext4_punch_hole(struct inode *inode, loff_t offset, loff_t length)
{
	unsigned int bsize;
	sector_t first, last;

	if (offset < 0 || length <= 0)
		return -EINVAL;
	inode_lock(inode);
	bsize = i_blocksize(inode);
	if (offset + length > i_size_read(inode))
		length = i_size_read(inode) - offset;
	if (length <= 0)
		goto out;
	/* Write out the dirty pages of the range first, as 2018's ext4 did. */
	if ((!pin_ops.punch_hole_writes_back ||
	     pin_ops.punch_hole_writes_back(inode)) &&
	    mapping_tagged(inode->i_mapping, PAGECACHE_TAG_DIRTY))
		filemap_write_and_wait_range(inode->i_mapping, offset,
					     offset + length - 1);
	/*
	 * Keep page faults from instantiating pages, and ->page_mkwrite from
	 * mapping buffers onto blocks, between the page cache's removal and
	 * the blocks' freeing.
	 */
	down_write(&inode->i_mmap_sem);
	truncate_pagecache_range(inode, offset, offset + length - 1);
	first = (sector_t)DIV_ROUND_UP((u64)offset, bsize);
	last = (sector_t)((u64)(offset + length) / bsize);
	if (last > first) {
		handle_t *handle = ext4_journal_start(inode, EXT4_HT_TRUNCATE, 1);

		ext4_free_range(inode, first, last - 1);
		ext4_journal_stop(handle);
	}
	up_write(&inode->i_mmap_sem);
out:
	inode_unlock(inode);
	return 0;
}

/* ->fallocate: of its modes, the model's ext4 punches holes. */
static long ext4_fallocate(struct file *file, int mode, loff_t offset,
			   loff_t len)
{
	if (mode != (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	return ext4_punch_hole(file->f_inode, offset, len);
}

/*
 * ->release: ext4 writes out a file truncated to 0 at close when it has
 * delayed allocations (auto_da_alloc); the model allocates at
 * ->page_mkwrite, so there is nothing to do but let the file go.
 */
static int ext4_release_file(struct inode *inode, struct file *file)
{
	(void)inode;
	(void)file;
	return 0;
}

/* unlink(2) of the file's only name: the directory is not modelled. */
static int ext4_unlink(struct inode *inode)
{
	WRITE_ONCE(inode->i_nlink, inode->i_nlink - 1);
	return 0;
}

/*
 * The last reference to a file with no name is gone: its pages leave the
 * page cache (a device may still hold some pinned: they are orphans), it
 * leaves the writeback lists, and its blocks are freed.
 */
void ext4_evict_inode(struct inode *inode)
{
	handle_t *handle;

	truncate_inode_pages_final(inode->i_mapping);
	inode_wb_list_del(inode);
	handle = ext4_journal_start(inode, EXT4_HT_TRUNCATE, 1);
	i_size_write(inode, 0);
	ext4_free_range(inode, 0, inode->i_max_blocks - 1);
	ext4_journal_stop(handle);
}

/* Write and wait for the data, then commit the journal and wait for it. */
static int ext4_sync_file(struct file *file, loff_t start, loff_t end, int datasync)
{
	journal_t *journal = file->f_inode->i_sb->s_journal;
	int ret;

	(void)datasync;
	ret = filemap_write_and_wait_range(file->f_mapping, start, end);
	if (ret)
		return ret;
	if (journal)
		ret = jbd2_complete_transaction(journal, jbd2_running_tid(journal));
	return ret;
}

/*
 * The end of a direct I/O that wrote into unwritten extents: convert them
 * to written, under a handle.  (The model's block map has no unwritten
 * state; what matters is the handle the completion must get.)
 */
int ext4_convert_unwritten_extents(struct inode *inode, loff_t offset,
				   size_t len)
{
	handle_t *handle;

	(void)offset;
	(void)len;
	handle = ext4_journal_start(inode, EXT4_HT_MAP_BLOCKS, 1);
	trace_event("ext4_convert_unwritten_extents", NULL, (long)inode->i_ino);
	return ext4_journal_stop(handle);
}

const struct file_operations ext4_file_operations = {
	.mmap = ext4_file_mmap,
	.fsync = ext4_sync_file,
	.fallocate = ext4_fallocate,
	.release = ext4_release_file,
};

const struct inode_operations ext4_file_inode_operations = {
	.setattr = ext4_setattr,
	.unlink = ext4_unlink,
};

handle_t *ext4_journal_start(struct inode *inode, int type, int nblocks)
{
	journal_t *journal = inode->i_sb->s_journal;

	(void)type;
	return journal ? jbd2_journal_start(journal, nblocks) : NULL;
}

int ext4_journal_stop(handle_t *handle)
{
	return handle ? jbd2_journal_stop(handle) : 0;
}
