/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fake DMA device (drivers/dma/pinmm_dma.c): what an RDMA NIC or a GPU
 * driver does with user memory.  It pins a range of a process's mapping
 * with get_user_pages(FOLL_WRITE), writes into the pinned pages from the
 * device side (no PTE, no fault, no dirty bit), and releases them, dirty
 * or clean.
 */
#ifndef _LINUX_DMA_DEV_H
#define _LINUX_DMA_DEV_H

#include <linux/mm.h>

struct dma_dev {
	const char *name;
	struct mm_struct *mm;
	unsigned long start;		/* user address of the pinned range */
	unsigned long nr_pages;
	struct page **pages;
	bool pinned;
	bool longterm;
	bool write;			/* pinned with FOLL_WRITE */
	bool plain;			/* FOLL_GET: references, not a pin */
	u64 pattern_seq;		/* for the bytes each burst writes */
};

void dma_dev_init(struct dma_dev *dev, const char *name);
int dma_dev_pin(struct dma_dev *dev, struct mm_struct *mm,
		unsigned long start, unsigned long nr_pages, bool longterm,
		bool write);
/*
 * The same with get_user_pages() flags: FOLL_GET takes plain references,
 * as a driver not converted to pin_user_pages() does, and the release
 * then puts them with set_page_dirty_lock() and put_page().
 */
int dma_dev_pin_flags(struct dma_dev *dev, struct mm_struct *mm,
		      unsigned long start, unsigned long nr_pages,
		      unsigned int gup_flags);
int dma_dev_write(struct dma_dev *dev, unsigned long offset, size_t len,
		  u64 seed);
int dma_dev_release(struct dma_dev *dev, bool dirty);

/*
 * The bytes a device writes at @pos of a burst with @seed: each aligned
 * 8-byte word of the stream is one hash of (seed, word index).
 */
#define DMA_PATTERN_SEED_MUL 0x9e3779b97f4a7c15ULL
#define DMA_PATTERN_WORD_MUL 0xbf58476d1ce4e5b9ULL

/* The word whose first step, seed and index mixed, is @x. */
static inline u64 dma_pattern_mix(u64 x)
{
	x ^= x >> 29;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 32);
}

static inline u64 dma_pattern_word(u64 seed, u64 word)
{
	return dma_pattern_mix(seed * DMA_PATTERN_SEED_MUL +
			       word * DMA_PATTERN_WORD_MUL);
}

static inline u8 dma_pattern_byte(u64 seed, u64 pos)
{
	return (u8)(dma_pattern_word(seed, pos / 8) >> (8 * (pos % 8)));
}

static inline void dma_pattern_fill(u8 *buf, u64 seed, u64 pos, size_t len)
{
	size_t i = 0;

	for (; i < len && (pos + i) % 8; i++)
		buf[i] = dma_pattern_byte(seed, pos + i);
	if (i + 8 <= len) {
		/* The first step of the next word: one addition, not a multiply. */
		u64 x = seed * DMA_PATTERN_SEED_MUL +
			(pos + i) / 8 * DMA_PATTERN_WORD_MUL;

		for (; i + 8 <= len; i += 8, x += DMA_PATTERN_WORD_MUL) {
			u64 w = dma_pattern_mix(x);

			__builtin_memcpy(buf + i, &w, 8);	/* little-endian host */
		}
	}
	for (; i < len; i++)
		buf[i] = dma_pattern_byte(seed, pos + i);
}

#endif /* _LINUX_DMA_DEV_H */
