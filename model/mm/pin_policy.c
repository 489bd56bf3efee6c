// SPDX-License-Identifier: GPL-2.0
/*
 * The table of designs.  See include/linux/pin_policy.h.
 */
#include <string.h>

#include <linux/pin_policy.h>
#include <linux/rmap.h>

bool seed_page_dma_pinned(struct page *page);
void seed_pin_page_for_dma(struct page *page);
void seed_unpin_page_for_dma(struct page *page);
bool seed_may_unmap(struct page *page);
bool seed_may_add_to_lru(struct page *page);

const struct pin_policy pin_policy_vanilla = {
	.name = "vanilla",
	.description = "Linux 4.x as of 2018: gup takes a page reference and nothing else",
	.page_mkclean_one = page_mkclean_one,
};

const struct pin_policy pin_policy_seed = {
	.name = "seed",
	.description = "the 2018 seed: pinned pages tracked in page->lru, off the LRU, "
		       "refused by try_to_unmap, skipped or waited for by page_mkclean",
	.pin_page = seed_pin_page_for_dma,
	.unpin_page = seed_unpin_page_for_dma,
	.page_dma_pinned = seed_page_dma_pinned,
	.page_mkclean_one = page_mkclean_one_pinned,
	.may_unmap = seed_may_unmap,
	.may_add_to_lru = seed_may_add_to_lru,
};

const struct pin_policy *const pin_policies[] = {
	&pin_policy_vanilla,
	&pin_policy_seed,
	NULL,
};

const struct pin_policy *pin_policy = &pin_policy_vanilla;

const struct pin_policy *pin_policy_find(const char *name)
{
	for (int i = 0; pin_policies[i]; i++)
		if (!strcmp(pin_policies[i]->name, name))
			return pin_policies[i];
	return NULL;
}

void pin_policy_set(const struct pin_policy *policy)
{
	pin_policy = policy;
}
