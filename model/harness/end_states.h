/* SPDX-License-Identifier: GPL-2.0 */
/* The set of end-state digests of an exploration (end_states.c). */
#ifndef _HARNESS_END_STATES_H
#define _HARNESS_END_STATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct end_states {
	uint64_t *slot;
	size_t cap, nr;
};

/* True when @h had not been seen (false too when out of memory). */
bool end_states_add(struct end_states *set, uint64_t h);
void end_states_free(struct end_states *set);

#include <pinmm/pinmm.h>

/* A shard's summary, for pinmm_explore_merge() (shards.c). */
int explore_write_summary(const char *path, const struct pinmm_shard_info *info,
			  const struct pinmm_explore_status *st,
			  const struct end_states *set);

#endif /* _HARNESS_END_STATES_H */
