// SPDX-License-Identifier: GPL-2.0
/*
 * The distinct end states (pinmm_result.end_state) an exploration reached:
 * an open addressing set of digests, 0 marking a free slot (a digest of 0
 * is kept as 1).  Locking: none; a set belongs to one exploration.
 */
#include <stdlib.h>
#include <string.h>

#include "end_states.h"

void end_states_free(struct end_states *set)
{
	free(set->slot);
	memset(set, 0, sizeof(*set));
}

static bool end_states_grow(struct end_states *set)
{
	size_t cap = set->cap ? 2 * set->cap : 1024;
	uint64_t *slot = calloc(cap, sizeof(*slot));

	if (!slot)
		return false;
	for (size_t i = 0; i < set->cap; i++) {
		size_t j = set->slot[i] & (cap - 1);

		if (!set->slot[i])
			continue;
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = set->slot[i];
	}
	free(set->slot);
	set->slot = slot;
	set->cap = cap;
	return true;
}

/* True when @h had not been seen. */
bool end_states_add(struct end_states *set, uint64_t h)
{
	size_t j;

	h = h ? h : 1;
	if (2 * (set->nr + 1) > set->cap && !end_states_grow(set))
		return false;
	for (j = h & (set->cap - 1); set->slot[j]; j = (j + 1) & (set->cap - 1))
		if (set->slot[j] == h)
			return false;
	set->slot[j] = h;
	set->nr++;
	return true;
}
