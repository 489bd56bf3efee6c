/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The LRU lists (mm/swap.c) and reclaim (mm/vmscan.c).
 */
#ifndef _LINUX_SWAP_H
#define _LINUX_SWAP_H

#include <linux/mm.h>

void lru_cache_add(struct page *page);
void putback_lru_page(struct page *page);
int isolate_lru_page(struct page *page);
void mark_page_accessed(struct page *page);
void activate_page(struct page *page);
void del_page_from_lru_list(struct page *page, struct lruvec *lruvec,
			    enum lru_list lru);
void add_page_to_lru_list(struct page *page, struct lruvec *lruvec,
			  enum lru_list lru);
enum lru_list page_lru(struct page *page);

struct scan_control {
	unsigned long nr_to_reclaim;
	unsigned long nr_scanned;
	unsigned long nr_reclaimed;
	int priority;
	gfp_t gfp_mask;
};

unsigned long shrink_node(pg_data_t *pgdat, struct scan_control *sc);
unsigned long try_to_free_pages(gfp_t gfp_mask, unsigned long nr_to_reclaim);
void wakeup_kswapd(pg_data_t *pgdat);
void kswapd_run(pg_data_t *pgdat, unsigned long interval_us,
		unsigned long nr_to_reclaim);
void kswapd_stop(pg_data_t *pgdat);
int remove_mapping(struct address_space *mapping, struct page *page);

#endif /* _LINUX_SWAP_H */
