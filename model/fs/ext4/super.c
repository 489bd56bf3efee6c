// SPDX-License-Identifier: GPL-2.0
/*
 * Mounting the model's ext4 on a block device, and creating its files.
 *
 * There is no on-disk metadata: the block bitmap and the block maps live
 * in memory, and only file data is on the device.  Files are created
 * before the machine runs, as if a previous boot had written them: their
 * blocks are allocated contiguously and their initial bytes written
 * straight to the device.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/blkdev.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>

#include "ext4.h"

const struct address_space_operations *ext4_get_aops(void);

static const struct super_operations ext4_sops = {
	.evict_inode = ext4_evict_inode,
};

int ext4_fill_super(struct super_block *sb, struct block_device *bdev,
		    unsigned int blocksize, sector_t nr_blocks)
{
	if (blocksize != 1024 && blocksize != 2048 && blocksize != 4096)
		return -EINVAL;
	memset(sb, 0, sizeof(*sb));
	sb->s_blocksize = blocksize;
	sb->s_blocksize_bits = (unsigned int)__builtin_ctz(blocksize);
	sb->s_bdev = bdev;
	sb->s_op = &ext4_sops;
	sb->s_nr_blocks = nr_blocks;
	sb->s_next_block = 1;
	sb->s_next_ino = 12;
	sb->s_block_bitmap = calloc((nr_blocks + BITS_PER_LONG - 1) / BITS_PER_LONG,
				    sizeof(unsigned long));
	if (!sb->s_block_bitmap)
		return -ENOMEM;
	spin_lock_init(&sb->s_alloc_lock);
	spin_lock_init(&sb->s_inode_list_lock);
	INIT_LIST_HEAD(&sb->s_inodes);
	if (nr_blocks < 2 * EXT4_JOURNAL_BLOCKS)
		return -ENOSPC;
	/* The journal takes the blocks after block 0, as mkfs lays it out. */
	for (sector_t b = 1; b <= EXT4_JOURNAL_BLOCKS; b++)
		sb->s_block_bitmap[b / BITS_PER_LONG] |= BIT(b % BITS_PER_LONG);
	sb->s_next_block = EXT4_JOURNAL_BLOCKS + 1;
	sb->s_journal = calloc(1, sizeof(journal_t));
	if (!sb->s_journal)
		return -ENOMEM;
	return jbd2_journal_init(sb->s_journal, bdev, blocksize, 1,
				 EXT4_JOURNAL_BLOCKS);
}

void ext4_put_super(struct super_block *sb)
{
	while (!list_empty(&sb->s_inodes))
		ext4_destroy_inode(list_first_entry(&sb->s_inodes, struct inode,
						    i_sb_list));
	if (sb->s_journal) {
		jbd2_journal_stop_thread(sb->s_journal);
		jbd2_journal_destroy(sb->s_journal);
		free(sb->s_journal);
		sb->s_journal = NULL;
	}
	free(sb->s_block_bitmap);
	spin_lock_destroy(&sb->s_alloc_lock);
	spin_lock_destroy(&sb->s_inode_list_lock);
}

/*
 * Write a new file's first @size bytes (@data, or zeroes) to its blocks:
 * one pwrite() per run of consecutive blocks, not one per block, since
 * every run of the model boots a machine.
 */
static int ext4_write_initial(struct inode *inode, loff_t size,
			      const void *data)
{
	struct super_block *sb = inode->i_sb;
	size_t bsize = sb->s_blocksize;
	sector_t nr_blocks = DIV_ROUND_UP((u64)size, bsize);
	unsigned char *buf;
	int err = 0;

	if (!nr_blocks)
		return 0;
	buf = calloc(nr_blocks, bsize);
	if (!buf)
		return -ENOMEM;
	if (data)
		memcpy(buf, data, (size_t)size);
	for (sector_t b = 0, n; b < nr_blocks && !err; b += n) {
		sector_t first = inode->i_blocks_map[b];

		for (n = 1; b + n < nr_blocks &&
			    inode->i_blocks_map[b + n] == first + n; n++)
			;
		err = blkdev_write(sb->s_bdev, buf + b * bsize, n * bsize,
				   (u64)first * bsize);
	}
	free(buf);
	return err;
}

/*
 * Create a file of @size bytes (at most @max_size) holding @data, which
 * may be NULL for zeroes.  Returns NULL if the device is too small.
 */
struct inode *ext4_create(struct super_block *sb, const char *name,
			  loff_t size, loff_t max_size, const void *data)
{
	struct inode *inode;
	unsigned int bsize = (unsigned int)sb->s_blocksize;
	unsigned long max_pages = DIV_ROUND_UP((u64)max_size, PAGE_SIZE);
	sector_t nr_blocks = DIV_ROUND_UP((u64)size, bsize);

	if (size < 0 || max_size < size || !max_size)
		return NULL;
	inode = calloc(1, sizeof(*inode));
	if (!inode)
		return NULL;
	inode->i_ino = sb->s_next_ino++;
	inode->i_name = name;
	inode->i_sb = sb;
	inode->i_blkbits = sb->s_blocksize_bits;
	inode->i_size = size;
	inode->i_mapping = &inode->i_data;
	inode->i_max_blocks = max_pages * (PAGE_SIZE / bsize);
	inode->i_blocks_map = calloc(inode->i_max_blocks, sizeof(sector_t));
	inode->i_nlink = 1;
	atomic_set(&inode->i_count, 1);		/* its name's */
	inode->i_op = &ext4_file_inode_operations;
	inode->i_fop = &ext4_file_operations;
	init_rwsem(&inode->i_rwsem);
	init_rwsem(&inode->i_data_sem);
	init_rwsem(&inode->i_mmap_sem);
	INIT_LIST_HEAD(&inode->i_io_list);
	address_space_init(&inode->i_data, inode, ext4_get_aops(), max_pages);
	spin_lock(&sb->s_inode_list_lock);
	list_add_tail(&inode->i_sb_list, &sb->s_inodes);
	spin_unlock(&sb->s_inode_list_lock);

	for (sector_t b = 0; b < nr_blocks; b++) {
		inode->i_blocks_map[b] = ext4_new_block(sb);
		if (!inode->i_blocks_map[b]) {
			ext4_destroy_inode(inode);
			return NULL;
		}
	}
	if (ext4_write_initial(inode, size, data)) {
		ext4_destroy_inode(inode);
		return NULL;
	}
	return inode;
}

/*
 * Forget an inode at unmount: its pages must be gone (the machine's
 * memory goes with it), its blocks are freed.
 */
void ext4_destroy_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;

	inode_wb_list_del(inode);
	spin_lock(&sb->s_inode_list_lock);
	list_del(&inode->i_sb_list);
	spin_unlock(&sb->s_inode_list_lock);
	for (sector_t b = 0; b < inode->i_max_blocks; b++)
		if (inode->i_blocks_map[b])
			ext4_free_block(sb, inode->i_blocks_map[b]);
	address_space_destroy(&inode->i_data);
	destroy_rwsem(&inode->i_rwsem);
	destroy_rwsem(&inode->i_data_sem);
	destroy_rwsem(&inode->i_mmap_sem);
	free(inode->i_blocks_map);
	free(inode);
}
