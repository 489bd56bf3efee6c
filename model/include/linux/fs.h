/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inodes, address spaces and superblocks.
 */
#ifndef _LINUX_FS_H
#define _LINUX_FS_H

#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct page;
struct writeback_control;
struct inode;
struct super_block;
struct block_device;
struct bdi_writeback;

/*
 * The page cache of one file: the kernel's xarray, as an array indexed by
 * page index (files in the model are small and have a maximum size), with
 * the kernel's three marks.  Under xa_lock.
 */
#define PAGECACHE_TAG_DIRTY 0
#define PAGECACHE_TAG_WRITEBACK 1
#define PAGECACHE_TAG_TOWRITE 2
#define NR_PAGECACHE_TAGS 3

struct page_tree {
	spinlock_t xa_lock;
	struct page **slots;
	unsigned long nr_slots;
	unsigned long *marks[NR_PAGECACHE_TAGS];
};

struct address_space_operations {
	int (*writepage)(struct page *page, struct writeback_control *wbc);
	int (*readpage)(struct file *file, struct page *page);
	int (*writepages)(struct address_space *mapping,
			  struct writeback_control *wbc);
	int (*set_page_dirty)(struct page *page);
	void (*invalidatepage)(struct page *page, unsigned int offset,
			       unsigned int length);
	int (*releasepage)(struct page *page, gfp_t gfp);
};

#define AS_EIO 0
#define AS_ENOSPC 1
#define AS_STABLE_WRITES 2	/* writers wait for writeback */
#define AS_NO_LRU 8	/* pages never on an LRU (fbdev memory) */

struct address_space {
	struct inode *host;
	struct page_tree i_pages;
	unsigned long nrpages;		/* under xa_lock */
	struct rw_semaphore i_mmap_rwsem;
	struct list_head i_mmap;	/* VMAs, under i_mmap_rwsem */
	const struct address_space_operations *a_ops;
	unsigned long flags;		/* AS_* */
	spinlock_t private_lock;	/* buffer heads of the pages */
	bool account_dirty;		/* mapping_cap_account_dirty() */
};

static inline bool mapping_cap_account_dirty(struct address_space *mapping)
{
	return mapping->account_dirty;
}

static inline bool mapping_cap_writeback_dirty(struct address_space *mapping)
{
	return mapping->account_dirty;
}

void mapping_set_error(struct address_space *mapping, int error);

/* i_state */
#define I_DIRTY_PAGES (1 << 2)
#define I_SYNC (1 << 7)

struct inode {
	unsigned long i_ino;
	const char *i_name;
	loff_t i_size;			/* i_size_read() / i_size_write() */
	unsigned int i_blkbits;
	struct super_block *i_sb;
	struct address_space *i_mapping;
	struct address_space i_data;
	struct rw_semaphore i_rwsem;	/* inode_lock(): truncate, write */
	/* Writeback: the inode's place on its bdi_writeback's dirty list. */
	unsigned long i_state;		/* under wb->list_lock */
	u64 dirtied_when;
	struct list_head i_io_list;
	struct list_head i_sb_list;
	/* The filesystem's block map (ext4: the extent tree). */
	struct rw_semaphore i_data_sem;
	sector_t *i_blocks_map;		/* file block -> disk block; 0: hole */
	unsigned long i_max_blocks;
	void *i_private;		/* fb_defio: the fb_info */
	/*
	 * Its names (i_nlink, under the inode lock: the model's files have
	 * one until unlinked) and references (i_count, atomic: its name, and
	 * each open file); the last iput() of an unlinked inode evicts it.
	 */
	unsigned int i_nlink;
	atomic_t i_count;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;	/* what an open file gets */
	/*
	 * ext4's EXT4_I(inode)->i_mmap_sem (Linux 4.18; since 5.15 it is the
	 * mapping's invalidate_lock): page faults and ->page_mkwrite take it
	 * for read, truncate and hole punching for write.
	 */
	struct rw_semaphore i_mmap_sem;
};

static inline loff_t i_size_read(const struct inode *inode)
{
	return READ_ONCE(((struct inode *)inode)->i_size);
}

static inline void i_size_write(struct inode *inode, loff_t i_size)
{
	WRITE_ONCE(inode->i_size, i_size);
}

static inline unsigned int i_blocksize(const struct inode *inode)
{
	return 1U << inode->i_blkbits;
}

static inline void inode_lock(struct inode *inode)
{
	down_write(&inode->i_rwsem);
}

static inline void inode_unlock(struct inode *inode)
{
	up_write(&inode->i_rwsem);
}

/* The attributes notify_change() changes: the size, for truncate(2). */
#define ATTR_SIZE (1 << 3)

struct iattr {
	unsigned int ia_valid;
	loff_t ia_size;
};

struct vm_area_struct;

struct inode_operations {
	/* Called with the inode locked. */
	int (*setattr)(struct inode *inode, struct iattr *attr);
	/* Remove the inode's name; called with it locked. */
	int (*unlink)(struct inode *inode);
};

#define FALLOC_FL_KEEP_SIZE 0x01
#define FALLOC_FL_PUNCH_HOLE 0x02

struct file_operations {
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	int (*fsync)(struct file *file, loff_t start, loff_t end, int datasync);
	long (*fallocate)(struct file *file, int mode, loff_t offset,
			  loff_t len);
	int (*release)(struct inode *inode, struct file *file);
};

struct super_operations {
	/* The last reference to an unlinked inode is gone: free its data. */
	void (*evict_inode)(struct inode *inode);
};

void address_space_init(struct address_space *mapping, struct inode *host,
			const struct address_space_operations *a_ops,
			unsigned long max_pages);
void address_space_destroy(struct address_space *mapping);

struct super_block {
	unsigned long s_blocksize;
	unsigned int s_blocksize_bits;
	struct block_device *s_bdev;
	struct bdi_writeback *s_wb;	/* the bdi's one writeback context */
	spinlock_t s_inode_list_lock;
	struct list_head s_inodes;
	/* The block allocator: a bitmap of the device's blocks. */
	spinlock_t s_alloc_lock;
	unsigned long *s_block_bitmap;
	sector_t s_nr_blocks;
	sector_t s_next_block;
	unsigned long s_next_ino;
	struct journal_s *s_journal;
	const struct super_operations *s_op;
};

/*
 * The VFS entries the system calls use (fs/open.c, fs/inode.c,
 * fs/file_table.c): open files, truncate(2), fallocate(2), unlink(2), and
 * the references that keep files and inodes alive.
 */
void file_init(struct file *file, struct inode *inode);
struct file *dentry_open(struct inode *inode);
int filp_close(struct file *file);
struct file *get_file(struct file *file);
void fput(struct file *file);
void files_teardown(void);
int do_truncate(struct file *file, loff_t length);
int vfs_fallocate(struct file *file, int mode, loff_t offset, loff_t len);
int vfs_unlink(struct inode *inode);
void ihold(struct inode *inode);
void iput(struct inode *inode);

/* fsync (fs/sync.c) */
int vfs_fsync_range(struct file *file, loff_t start, loff_t end, int datasync);
int vfs_fsync(struct file *file, int datasync);
int filemap_write_and_wait_range(struct address_space *mapping, loff_t lstart,
				 loff_t lend);
int filemap_fdatawrite_range(struct address_space *mapping, loff_t start,
			     loff_t end, int sync_mode);
int filemap_fdatawait_range(struct address_space *mapping, loff_t start,
			    loff_t end);
void sync_filesystem(struct super_block *sb);

#endif /* _LINUX_FS_H */
