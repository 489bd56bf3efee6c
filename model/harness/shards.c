// SPDX-License-Identifier: GPL-2.0
/*
 * An exploration split into shards (--shard I/N) runs wherever a batch
 * engine puts it (GNU parallel, here or over ssh; a Slurm job array): each
 * shard writes a summary, and pinmm_explore_merge() adds them up exactly.
 * A summary is one JSON object: what was explored (scenario, policy, seed,
 * strategy, shard I of N), the counts, whether its part of the tree was
 * done, its first failing schedule, and every distinct end-state digest,
 * so that the merged number of distinct end states is that of the union.
 *
 * Locking: none; each call works on its own data.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "end_states.h"

static void add_u64(json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_int64((int64_t)v));
}

static json_object *digests_json(const struct end_states *set)
{
	json_object *a = json_object_new_array();
	char hex[17];

	for (size_t i = 0; i < set->cap; i++) {
		if (!set->slot[i])
			continue;
		snprintf(hex, sizeof(hex), "%016" PRIx64, set->slot[i]);
		json_object_array_add(a, json_object_new_string(hex));
	}
	return a;
}

int explore_write_summary(const char *path, const struct pinmm_shard_info *info,
			  const struct pinmm_explore_status *st,
			  const struct end_states *set)
{
	json_object *o = json_object_new_object(),
		    *v = json_object_new_object();
	FILE *f;
	int err = 0;

	json_object_object_add(o, "scenario",
			       json_object_new_string(info->scenario));
	json_object_object_add(o, "policy",
			       json_object_new_string(info->policy));
	add_u64(o, "seed", info->seed);
	json_object_object_add(o, "strategy",
			       json_object_new_string(info->strategy));
	add_u64(o, "shard", info->shard);
	add_u64(o, "shards", info->shards);
	add_u64(o, "explored", st->explored);
	add_u64(o, "failures", st->failures);
	add_u64(o, "races", st->races);
	for (int i = 0; i <= PINMM_ERROR; i++)
		if (st->verdicts[i])
			add_u64(v, pinmm_verdict_name(i), st->verdicts[i]);
	json_object_object_add(o, "verdicts", v);
	json_object_object_add(o, "complete",
			       json_object_new_boolean(st->exhausted));
	add_u64(o, "max_choice_points", st->max_choice_points);
	json_object_object_add(o, "elapsed_s",
			       json_object_new_double(st->elapsed_s));
	json_object_object_add(o, "first_failure",
			       json_object_new_string(st->first_failure));
	json_object_object_add(o, "first_verdict",
			       json_object_new_string(st->first_verdict));
	json_object_object_add(o, "end_states", digests_json(set));
	f = fopen(path, "w");
	if (!f || fprintf(f, "%s\n",
			  json_object_to_json_string_ext(
				  o, JSON_C_TO_STRING_PLAIN)) < 0)
		err = -errno;
	if (f && fclose(f) && !err)
		err = -errno;
	json_object_put(o);
	return err;
}

static uint64_t get_u64(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v)
		       ? (uint64_t)json_object_get_int64(v)
		       : 0;
}

static const char *get_str(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) &&
			       json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v)
		       : NULL;
}

/* The first summary names the exploration; every other must be of it. */
static int same_exploration(json_object *o, const char *path,
			    struct pinmm_shard_info *info, bool first,
			    struct pinmm_explore_status *st)
{
	const char *scn = get_str(o, "scenario"), *pol = get_str(o, "policy");
	const char *strat = get_str(o, "strategy");

	if (!scn || !pol || !strat ||
	    !json_object_object_get_ex(o, "shards", NULL) ||
	    !json_object_object_get_ex(o, "end_states", NULL)) {
		snprintf(st->error, sizeof(st->error),
			 "%.200s: not an exploration summary", path);
		return -EINVAL;
	}
	if (first) {
		snprintf(info->scenario, sizeof(info->scenario), "%s", scn);
		snprintf(info->policy, sizeof(info->policy), "%s", pol);
		snprintf(info->strategy, sizeof(info->strategy), "%s", strat);
		info->seed = get_u64(o, "seed");
		info->shards = (unsigned int)get_u64(o, "shards");
		return 0;
	}
	if (strcmp(scn, info->scenario) || strcmp(pol, info->policy) ||
	    strcmp(strat, info->strategy) || get_u64(o, "seed") != info->seed ||
	    get_u64(o, "shards") != info->shards) {
		snprintf(st->error, sizeof(st->error),
			 "%.200s: another exploration than the first file's",
			 path);
		return -EINVAL;
	}
	return 0;
}

static void add_shard(json_object *o, struct pinmm_explore_status *st,
		      struct end_states *set, bool *complete)
{
	json_object *v, *a;

	st->explored += get_u64(o, "explored");
	st->failures += get_u64(o, "failures");
	st->races += get_u64(o, "races");
	if (json_object_object_get_ex(o, "verdicts", &v))
		for (int i = 0; i <= PINMM_ERROR; i++)
			st->verdicts[i] += get_u64(v, pinmm_verdict_name(i));
	if (get_u64(o, "max_choice_points") > st->max_choice_points)
		st->max_choice_points = get_u64(o, "max_choice_points");
	if (!json_object_object_get_ex(o, "complete", &v) ||
	    !json_object_get_boolean(v))
		*complete = false;
	if (json_object_object_get_ex(o, "elapsed_s", &v) &&
	    json_object_get_double(v) > st->elapsed_s)
		st->elapsed_s = json_object_get_double(v); /* the slowest */
	if (!st->first_failure[0] && get_str(o, "first_failure") &&
	    get_str(o, "first_failure")[0]) {
		snprintf(st->first_failure, sizeof(st->first_failure), "%s",
			 get_str(o, "first_failure"));
		snprintf(st->first_verdict, sizeof(st->first_verdict), "%s",
			 get_str(o, "first_verdict")
				 ? get_str(o, "first_verdict")
				 : "");
	}
	json_object_object_get_ex(o, "end_states", &a);
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		uint64_t h = strtoull(
			json_object_get_string(json_object_array_get_idx(a, i)),
			NULL, 16);

		if (end_states_add(set, h)) {
			st->end_states++;
			st->end_state_sum += h;
		}
	}
}

static int merge_one(const char *path, bool first,
		     struct pinmm_shard_info *info,
		     struct pinmm_explore_status *st, struct end_states *set,
		     uint64_t *seen, bool *complete)
{
	json_object *o = json_object_from_file(path);
	uint64_t shard;
	int err;

	if (!o) {
		snprintf(st->error, sizeof(st->error),
			 "%.200s: cannot read it as JSON", path);
		return -EINVAL;
	}
	err = same_exploration(o, path, info, first, st);
	shard = get_u64(o, "shard");
	if (!err && (info->shards < 1 || info->shards > 4096 ||
		     shard >= info->shards)) {
		snprintf(st->error, sizeof(st->error),
			 "%.200s: shard %llu of %u does not exist", path,
			 (unsigned long long)shard, info->shards);
		err = -EINVAL;
	} else if (!err && (seen[shard / 64] & (1ULL << (shard % 64)))) {
		snprintf(st->error, sizeof(st->error),
			 "%.200s: shard %llu/%u is there twice", path,
			 (unsigned long long)shard, info->shards);
		err = -EINVAL;
	}
	if (!err) {
		seen[shard / 64] |= 1ULL << (shard % 64);
		add_shard(o, st, set, complete);
	}
	json_object_put(o);
	return err;
}

/*
 * The shards 0..N-1 of one exploration, each once: their sums, the union
 * of their end states; complete when every shard ran its part of the tree.
 */
int pinmm_explore_merge(const char *const *paths, int nr,
			struct pinmm_shard_info *info,
			struct pinmm_explore_status *st)
{
	struct end_states set = {0};
	uint64_t seen[4096 / 64] = {0};
	bool complete = true;
	int err = 0;

	memset(st, 0, sizeof(*st));
	memset(info, 0, sizeof(*info));
	for (int i = 0; i < nr && !err; i++)
		err = merge_one(paths[i], i == 0, info, st, &set, seen,
				&complete);
	for (unsigned int s = 0; !err && s < info->shards; s++)
		if (!(seen[s / 64] & (1ULL << (s % 64)))) {
			snprintf(st->error, sizeof(st->error),
				 "shard %u/%u is missing", s, info->shards);
			err = -EINVAL;
		}
	if (!nr) {
		snprintf(st->error, sizeof(st->error), "no summaries to merge");
		err = -EINVAL;
	}
	st->exhausted = !err && complete;
	end_states_free(&set);
	return err;
}
