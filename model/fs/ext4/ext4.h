/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's ext4: the parts of ext4 that the 2018 crash goes through.
 *
 * Files have a block map (i_blocks_map) instead of an extent tree, and the
 * data path is ext4's data=journal-style one that uses the generic
 * write_cache_pages() with ->writepage, as in the seed's backtrace
 * (ext4_writepage <- __writepage <- write_cache_pages <- ext4_writepages).
 * Pages are read without buffers (ext4_mpage_readpages) and get buffers
 * from ->page_mkwrite; ->writepage asks for them with page_buffers().
 */
#ifndef _FS_EXT4_H
#define _FS_EXT4_H

#include <linux/buffer_head.h>
#include <linux/fs.h>
#include <linux/jbd2.h>

struct block_device;

int ext4_fill_super(struct super_block *sb, struct block_device *bdev,
		    unsigned int blocksize, sector_t nr_blocks);
void ext4_put_super(struct super_block *sb);
struct inode *ext4_create(struct super_block *sb, const char *name,
			  loff_t size, loff_t max_size, const void *data);
void ext4_evict_inode(struct inode *inode);
void ext4_destroy_inode(struct inode *inode);
extern const struct file_operations ext4_file_operations;
extern const struct inode_operations ext4_file_inode_operations;

int ext4_get_block(struct inode *inode, sector_t iblock,
		   struct buffer_head *bh_result, int create);

/* ext4_jbd2.c: handles on the superblock's journal. */
#define EXT4_HT_WRITE_PAGE 3
#define EXT4_HT_TRUNCATE 8
#define EXT4_HT_MAP_BLOCKS 9
handle_t *ext4_journal_start(struct inode *inode, int type, int nblocks);
int ext4_journal_stop(handle_t *handle);
int ext4_convert_unwritten_extents(struct inode *inode, loff_t offset,
				   size_t len);

#define EXT4_JOURNAL_BLOCKS 32

/* balloc.c */
sector_t ext4_new_block(struct super_block *sb);
void ext4_free_block(struct super_block *sb, sector_t block);
sector_t ext4_free_blocks_count(struct super_block *sb);

/* Where the bytes of file block @iblock live on the device; 0: a hole. */
sector_t ext4_bmap(struct inode *inode, sector_t iblock);

#endif /* _FS_EXT4_H */
