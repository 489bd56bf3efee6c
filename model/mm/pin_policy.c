// SPDX-License-Identifier: GPL-2.0
/*
 * The table of designs (mm/pin_policy.h): each era's hooks, each design's
 * hooks, and the policies that pair them.  The hooks' code is in the files
 * the patches touched; this file only says which runs.
 */
#include <string.h>

#include "pin_policy.h"

/*
 * Linux 6.12 as shipped: FOLL_PIN accounting (5.7), reclaim that keeps
 * pinned pages (6.4), ext4's warning in place of its BUG (2022), and the
 * refusal of long-term writable pins of file mappings (6.5).  Writeback
 * and page_mkclean() ignore pins.
 */
static const struct pin_ops linux_6_12 = {
	.may_pin = writable_file_mapping_allowed,
	.grab_page = try_grab_page,
	.unpin_page = foll_unpin_page,
	.page_maybe_dma_pinned = foll_page_maybe_dma_pinned,
	.may_reclaim = reclaim_may_reclaim_pinned,
	.writepage_without_buffers = ext4_writepage_without_buffers,
	.punch_hole_writes_back = ext4_punch_hole_writes_back,
};

/* The seed's series (July 2018), on the kernel of its time. */
static const struct pin_ops seed_ops = {
	.pin_page = seed_pin_page_for_dma,
	.unpin_page = seed_unpin_page_for_dma,
	.page_maybe_dma_pinned = seed_page_dma_pinned,
	.page_mkclean_one = page_mkclean_one_pinned,
	.may_unmap = seed_may_unmap,
	.may_add_to_lru = seed_may_add_to_lru,
};

/* Kara's RFC (February 2023), on 6.12. */
static const struct pin_ops bounce_ops = {
	.may_pin = bounce_may_pin,
	.pin_page = bounce_pin_page,
	.writeback_pinned = bounce_writeback_pinned,
};

const struct pin_policy pin_policies[] = {
	{
		.name = "vanilla",
		.description = "Linux 4.x as of 2018: gup takes a page reference and nothing else",
		.era_name = "4.18",
	},
	{
		.name = "seed",
		.description = "the 2018 seed: pinned pages tracked in page->lru, off the LRU, "
			       "refused by try_to_unmap, skipped or waited for by page_mkclean",
		.era_name = "4.18",
		.design = &seed_ops,
	},
	{
		.name = "upstream",
		.description = "Linux 6.12: FOLL_PIN bias, reclaim keeps pinned pages, ext4 warns "
			       "and drops a dirty page without buffers, long-term writable file pins refused",
		.era_name = "6.12",
		.era = &linux_6_12,
	},
	{
		.name = "bounce",
		.description = "Kara's 2023 RFC on 6.12: cleaning writeback leaves pinned pages dirty, "
			       "data-integrity writeback writes a stable copy, nothing waits for a pin",
		.era_name = "6.12",
		.era = &linux_6_12,
		.design = &bounce_ops,
	},
	{ 0 }
};

const struct pin_policy *pin_policy = &pin_policies[0];
struct pin_ops pin_ops;

const struct pin_policy *pin_policy_find(const char *name)
{
	for (const struct pin_policy *pp = pin_policies; pp->name; pp++)
		if (!strcmp(pp->name, name))
			return pp;
	return NULL;
}

#define LAYER(field) (design && design->field ? design->field : era->field)

/* The design's hooks over the era's: what the call sites run. */
void pin_policy_set(const struct pin_policy *policy)
{
	static const struct pin_ops kernel_2018;
	const struct pin_ops *era = policy->era ? policy->era : &kernel_2018;
	const struct pin_ops *design = policy->design;

	pin_policy = policy;
	pin_ops = (struct pin_ops){
		.may_pin = LAYER(may_pin),
		.grab_page = LAYER(grab_page),
		.pin_page = LAYER(pin_page),
		.unpin_page = LAYER(unpin_page),
		.page_maybe_dma_pinned = LAYER(page_maybe_dma_pinned),
		.page_mkclean_one = LAYER(page_mkclean_one),
		.may_unmap = LAYER(may_unmap),
		.may_add_to_lru = LAYER(may_add_to_lru),
		.may_reclaim = LAYER(may_reclaim),
		.writeback_pinned = LAYER(writeback_pinned),
		.writepage_without_buffers = LAYER(writepage_without_buffers),
		.punch_hole_writes_back = LAYER(punch_hole_writes_back),
	};
}
