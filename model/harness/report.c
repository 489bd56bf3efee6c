// SPDX-License-Identifier: GPL-2.0
/*
 * Reports of a run: readable text, and JSON (json-c).
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <pinmm/pinmm.h>

/* The lines of @log from the first "cut here" to the next "end trace". */
static void print_log_block(FILE *out, const char *log, const char *start_marker)
{
	const char *start = log ? strstr(log, start_marker) : NULL;
	const char *end;

	if (!start)
		return;
	while (start > log && start[-1] != '\n')
		start--;
	end = strstr(start, "---[ end trace");
	end = end ? strchr(end, '\n') : NULL;
	if (!end)
		end = start + strlen(start);
	fprintf(out, "%.*s\n", (int)(end - start), start);
}

void pinmm_result_print(FILE *out, const struct pinmm_result *r, bool verbose)
{
	fprintf(out, "%s, policy %s, seed %llu: %s\n", r->scenario, r->policy,
		(unsigned long long)r->seed, pinmm_verdict_name(r->verdict));
	if (r->error[0])
		fprintf(out, "  error: %s\n", r->error);
	if (r->refused[0])
		fprintf(out, "  refused: %s\n", r->refused);
	if (r->signals[0])
		fprintf(out, "  signal: %s\n", r->signals);
	if (r->oops[0])
		print_log_block(out, r->log, "kernel BUG at");
	else if (r->warnings)
		print_log_block(out, r->log, "WARNING:");
	if (r->hang[0])
		fprintf(out, "%s", r->hang);
	if (r->lockdep[0])
		fprintf(out, "  lockdep: %s", r->lockdep);
	if (r->fsync_lost > 0)
		fprintf(out, "  promised but not on the device: %lld bytes (when an fsync or sync returned, or at a check_disk)\n",
			r->fsync_lost);
	if (r->bytes_lost > 0)
		fprintf(out, "  data loss: %lld bytes\n", r->bytes_lost);
	if (r->bytes_lost > 0 || r->fsync_lost > 0)
		fprintf(out, "  first: %s\n", r->loss);
	else if (r->bytes_checked)
		fprintf(out, "  bytes lost: 0 (block device checked against the shadow)\n");
	if (r->flight && r->flight[0])
		fprintf(out, "  last events before the failure:\n%s", r->flight);
	if (verbose && r->log)
		fprintf(out, "  kernel log:\n%s", r->log);
	fprintf(out, "  counters:");
	int col = 12;

	for (int i = 0; i < r->nr_counters; i++) {
		const struct pinmm_counter *c = &r->counters[i];
		char item[96];
		int n;

		if (!c->value && !verbose)
			continue;
		n = snprintf(item, sizeof(item), " %s=%ld", c->name, c->value);
		if (col + n > 100) {
			fprintf(out, "\n   ");
			col = 3;
		}
		fputs(item, out);
		col += n;
	}
	fprintf(out, "\n");
}

static json_object *string_or_null(const char *s)
{
	return s && s[0] ? json_object_new_string(s) : NULL;
}

static struct json_object *fsync_latencies(const struct pinmm_result *r)
{
	struct json_object *arr = json_object_new_array();

	for (int i = 0; arr && i < r->nr_fsyncs; i++)
		json_object_array_add(arr, json_object_new_int64((int64_t)r->fsync_us[i]));
	return arr;
}

char *pinmm_result_to_json(const struct pinmm_result *r)
{
	json_object *obj = json_object_new_object();
	json_object *counters = json_object_new_object();
	char *text, digest[17];

	if (!obj || !counters)
		return NULL;
	json_object_object_add(obj, "scenario", json_object_new_string(r->scenario));
	json_object_object_add(obj, "scenario_file", string_or_null(r->scenario_file));
	json_object_object_add(obj, "policy", json_object_new_string(r->policy));
	json_object_object_add(obj, "seed", json_object_new_uint64(r->seed));
	json_object_object_add(obj, "verdict",
			       json_object_new_string(pinmm_verdict_name(r->verdict)));
	json_object_object_add(obj, "bytes_lost",
			       r->bytes_checked || r->bytes_lost ?
				       json_object_new_int64(r->bytes_lost) : NULL);
	json_object_object_add(obj, "fsync_lost", json_object_new_int64(r->fsync_lost));
	json_object_object_add(obj, "fsync_latency_us", fsync_latencies(r));
	json_object_object_add(obj, "loss", string_or_null(r->loss));
	json_object_object_add(obj, "oops", string_or_null(r->oops));
	json_object_object_add(obj, "oops_task", string_or_null(r->oops_task));
	if (r->oops[0]) {
		json_object *trace = json_object_new_array();
		char *names = strdup(r->oops_functions);

		for (char *save = NULL, *tok = strtok_r(names, " ", &save); tok;
		     tok = strtok_r(NULL, " ", &save))
			json_object_array_add(trace, json_object_new_string(tok));
		free(names);
		json_object_object_add(obj, "call_trace", trace);
	}
	json_object_object_add(obj, "warn", string_or_null(r->warn));
	json_object_object_add(obj, "hang", string_or_null(r->hang));
	json_object_object_add(obj, "hang_class", string_or_null(r->hang_class));
	json_object_object_add(obj, "lockdep", string_or_null(r->lockdep));
	json_object_object_add(obj, "refused", string_or_null(r->refused));
	json_object_object_add(obj, "error", string_or_null(r->error));
	json_object_object_add(obj, "signals", string_or_null(r->signals));
	json_object_object_add(obj, "duration_us",
			       json_object_new_uint64(r->duration_us));
	snprintf(digest, sizeof(digest), "%016llx",
		 (unsigned long long)r->end_state);
	json_object_object_add(obj, "end_state", json_object_new_string(digest));
	for (int i = 0; i < r->nr_counters; i++)
		json_object_object_add(counters, r->counters[i].name,
				       json_object_new_int64(r->counters[i].value));
	json_object_object_add(obj, "counters", counters);
	text = strdup(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN));
	json_object_put(obj);
	return text;
}
