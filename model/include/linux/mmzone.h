/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Nodes and zones.  One zone per node: the model's memory is small and
 * uniform.  The node carries the LRU lists under lru_lock and, for the seed
 * policy, pinned_dma_lock (the seed's zone_gup_lock()).
 */
#ifndef _LINUX_MMZONE_H
#define _LINUX_MMZONE_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#define MAX_NUMNODES 4

enum lru_list {
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS,
};

struct lruvec {
	struct list_head lists[NR_LRU_LISTS];
	unsigned long nr_pages[NR_LRU_LISTS];	/* under lru_lock */
};

struct pglist_data;

struct zone {
	spinlock_t lock;		/* the free list */
	struct list_head free_list;
	unsigned long nr_free;
	unsigned long watermark_min, watermark_low, watermark_high;
	struct pglist_data *zone_pgdat;
	unsigned long zone_start_pfn, spanned_pages;
};

typedef struct pglist_data {
	struct zone node_zones[1];
	int node_id;
	spinlock_t lru_lock;
	struct lruvec lruvec;
	unsigned long nr_isolated_file;	/* under lru_lock */
	spinlock_t pinned_dma_lock;	/* seed: zone_gup_lock() (mm/pin_policy.h) */
	struct wait_queue_head kswapd_wait;
	struct task_struct *kswapd;
	bool kswapd_wakeup;		/* under kswapd_wait.lock */
} pg_data_t;

extern struct pglist_data *node_data[MAX_NUMNODES];
extern int nr_online_nodes;
#define NODE_DATA(nid) (node_data[(nid)])

#endif /* _LINUX_MMZONE_H */
