/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Buffer heads (fs/buffer.c): the blocks of a page cache page, as the
 * filesystem sees them.
 */
#ifndef _LINUX_BUFFER_HEAD_H
#define _LINUX_BUFFER_HEAD_H

#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/fs.h>
#include <linux/mm.h>

enum bh_state_bits {
	BH_Uptodate,
	BH_Dirty,
	BH_Lock,
	BH_Req,
	BH_Mapped,
	BH_New,
	BH_Async_Read,
	BH_Async_Write,
	BH_Delay,
	BH_Unwritten,
	BH_Write_EIO,
};

struct buffer_head;
typedef void(bh_end_io_t)(struct buffer_head *bh, int uptodate);

struct buffer_head {
	unsigned long b_state;
	struct buffer_head *b_this_page;	/* circular list of the page */
	struct page *b_page;
	sector_t b_blocknr;
	size_t b_size;
	char *b_data;				/* inside the page frame */
	struct block_device *b_bdev;
	bh_end_io_t *b_end_io;
	atomic_t b_count;
};

#define BUFFER_FNS(bit, name)                                                  \
	static inline void set_buffer_##name(struct buffer_head *bh)           \
	{                                                                      \
		set_bit(BH_##bit, &bh->b_state);                               \
	}                                                                      \
	static inline void clear_buffer_##name(struct buffer_head *bh)         \
	{                                                                      \
		clear_bit(BH_##bit, &bh->b_state);                             \
	}                                                                      \
	static inline bool buffer_##name(const struct buffer_head *bh)         \
	{                                                                      \
		return test_bit(BH_##bit, &bh->b_state);                       \
	}
#define TAS_BUFFER_FNS(bit, name)                                              \
	static inline bool test_set_buffer_##name(struct buffer_head *bh)      \
	{                                                                      \
		return test_and_set_bit(BH_##bit, &bh->b_state);               \
	}                                                                      \
	static inline bool test_clear_buffer_##name(struct buffer_head *bh)    \
	{                                                                      \
		return test_and_clear_bit(BH_##bit, &bh->b_state);             \
	}

BUFFER_FNS(Uptodate, uptodate)
BUFFER_FNS(Dirty, dirty)
TAS_BUFFER_FNS(Dirty, dirty)
BUFFER_FNS(Lock, locked)
BUFFER_FNS(Req, req)
BUFFER_FNS(Mapped, mapped)
BUFFER_FNS(New, new)
BUFFER_FNS(Async_Write, async_write)
BUFFER_FNS(Delay, delay)
BUFFER_FNS(Unwritten, unwritten)
BUFFER_FNS(Write_EIO, write_io_error)

static inline unsigned long page_private(const struct page *page)
{
	return READ_ONCE(((struct page *)page)->private);
}

/*
 * page_buffers() is a macro, as in the kernel, so that its BUG_ON reports
 * the line of the filesystem that called it: "kernel BUG at
 * fs/ext4/inode.c:NNN!".
 */
#define page_buffers(page)                                                     \
	({                                                                     \
		BUG_ON(!PagePrivate(page));                                    \
		((struct buffer_head *)page_private(page));                    \
	})
#define page_has_buffers(page) PagePrivate(page)
#define MAX_BUF_PER_PAGE (PAGE_SIZE / 512)

/* Where the buffer's bytes start in its page. */
static inline unsigned long bh_offset(const struct buffer_head *bh)
{
	return (unsigned long)(bh->b_data - (char *)page_address(bh->b_page));
}

typedef int(get_block_t)(struct inode *inode, sector_t iblock,
			 struct buffer_head *bh_result, int create);

void attach_page_buffers(struct page *page, struct buffer_head *head);
void create_empty_buffers(struct page *page, unsigned long blocksize,
			  unsigned long b_state);
int try_to_free_buffers(struct page *page);
int try_to_release_page(struct page *page, gfp_t gfp_mask);
int __set_page_dirty_buffers(struct page *page);
void block_invalidatepage(struct page *page, unsigned int offset,
			  unsigned int length);
void mark_buffer_dirty(struct buffer_head *bh);
void mark_buffer_async_write(struct buffer_head *bh);
void end_buffer_async_write(struct buffer_head *bh, int uptodate);
void lock_buffer(struct buffer_head *bh);
void unlock_buffer(struct buffer_head *bh);
void wait_on_buffer(struct buffer_head *bh);
int submit_bh(int op, struct buffer_head *bh);
int submit_bh_copy(struct buffer_head *bh, char *data);
int block_page_mkwrite(struct vm_area_struct *vma, struct vm_fault *vmf,
		       get_block_t get_block);
int __block_write_begin(struct page *page, loff_t pos, unsigned int len,
			get_block_t *get_block);
int block_commit_write(struct page *page, unsigned int from, unsigned int to);
void buffer_heads_exit(void);
long nr_buffer_heads(void);

#define REQ_OP_READ 0
#define REQ_OP_WRITE 1

#define page_for_each_buffer(bh, head)                                         \
	for (bh = (head); bh; bh = (bh->b_this_page == (head) ? NULL : bh->b_this_page))

#endif /* _LINUX_BUFFER_HEAD_H */
