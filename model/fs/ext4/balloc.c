// SPDX-License-Identifier: GPL-2.0
/*
 * The block allocator: a bitmap of the device's blocks.  Block 0 is never
 * handed out (it stands for a hole in the block map).
 *
 * Locking: sb->s_alloc_lock.
 */
#include <linux/bitops.h>
#include <linux/printk.h>

#include "ext4.h"

sector_t ext4_new_block(struct super_block *sb)
{
	sector_t block = 0;

	spin_lock(&sb->s_alloc_lock);
	for (sector_t i = 0; i < sb->s_nr_blocks; i++) {
		sector_t b = (sb->s_next_block + i) % sb->s_nr_blocks;
		unsigned long *w = &sb->s_block_bitmap[b / BITS_PER_LONG];

		if (!b || (*w & BIT(b % BITS_PER_LONG)))
			continue;
		*w |= BIT(b % BITS_PER_LONG);
		sb->s_next_block = b + 1;
		block = b;
		break;
	}
	spin_unlock(&sb->s_alloc_lock);
	if (!block)
		pr_warn("EXT4-fs: no free blocks\n");
	return block;
}

void ext4_free_block(struct super_block *sb, sector_t block)
{
	spin_lock(&sb->s_alloc_lock);
	WARN_ON(!(sb->s_block_bitmap[block / BITS_PER_LONG] &
		  BIT(block % BITS_PER_LONG)));
	sb->s_block_bitmap[block / BITS_PER_LONG] &= ~BIT(block % BITS_PER_LONG);
	spin_unlock(&sb->s_alloc_lock);
}

sector_t ext4_free_blocks_count(struct super_block *sb)
{
	sector_t nr = 0;

	spin_lock(&sb->s_alloc_lock);
	for (sector_t b = 1; b < sb->s_nr_blocks; b++)
		if (!(sb->s_block_bitmap[b / BITS_PER_LONG] & BIT(b % BITS_PER_LONG)))
			nr++;
	spin_unlock(&sb->s_alloc_lock);
	return nr;
}
