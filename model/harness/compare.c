// SPDX-License-Identifier: GPL-2.0
/*
 * pinmm compare: the designs side by side on the catalog (pinmm.h).
 *
 * Each cell is a scenario under a policy, run in deterministic mode over
 * a fixed range of seeds (each seed also seeds the strategy), so that its
 * numbers are model time and model events: the same on any machine, under
 * any load.  A cell's verdict is the most severe one any of its runs
 * reached, with how many did; the counters are summed over the runs, and
 * fsync latency is taken over every fsync of every run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <pinmm/pinmm.h>

const char *const *pinmm_catalog_names(void)
{
	/* docs/catalog.md's rows, in its order; munmap-after-writeback is
	 * the kernel's alone. */
	static const char *const catalog[] = {
		"baseline", "seed-bug", "dma-writeback", "fsync-during-dma",
		"longterm-fsync", "journal-deadlock", "truncate-during-dma",
		"isize-extend", "memory-failure", "fb-defio", "multi-pin",
		"many-refs", "fsync-after-skip", "fsync-own-pin", NULL,
	};

	return catalog;
}

/* From the least to the most severe: the cell shows the worst. */
static const enum pinmm_verdict severity[] = {
	PINMM_PASS, PINMM_WARN, PINMM_REFUSED, PINMM_DATA_LOSS,
	PINMM_HANG, PINMM_OOPS, PINMM_ERROR,
};

static int severity_of(enum pinmm_verdict v)
{
	for (int i = 0; i < (int)(sizeof(severity) / sizeof(severity[0])); i++)
		if (severity[i] == v)
			return i;
	return 0;
}

static const char *result_why(const struct pinmm_result *r)
{
	const char *const whys[] = { r->oops, r->hang, r->error, r->refused,
				     r->loss, r->warn };

	for (unsigned int i = 0; i < sizeof(whys) / sizeof(whys[0]); i++)
		if (whys[i][0])
			return whys[i];
	return "";
}

static long counter(const struct pinmm_result *r, const char *name)
{
	long v = pinmm_result_counter(r, name);

	return v < 0 ? 0 : v;
}

static void cell_add(struct pinmm_compare_cell *c, const struct pinmm_result *r)
{
	c->runs++;
	c->verdicts[r->verdict]++;
	if (c->runs == 1 || severity_of(r->verdict) > severity_of(c->verdict)) {
		c->verdict = r->verdict;
		snprintf(c->why, sizeof(c->why), "%s", result_why(r));
		/* One line: the first of a multi-line report. */
		c->why[strcspn(c->why, "\n")] = '\0';
	}
	c->bytes_lost += r->bytes_lost;
	c->fsync_lost += r->fsync_lost;
	c->fsync_misses += r->fsync_lost > 0;
	c->unstable_writes += counter(r, "unstable_writes");
	c->unstable_bytes += counter(r, "unstable_bytes");
	c->unpin_waits += counter(r, "mkclean_pinned_waits");
	c->refused_pins += counter(r, "foll_longterm_refused");
	c->pin_false_positives += counter(r, "pin_false_positive");
	c->bounce_copies += counter(r, "bounce_copies");
	c->bounce_bytes += counter(r, "bounce_bytes");
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The nearest-rank percentile @p of @n sorted values. */
static uint64_t percentile(const uint64_t *v, int n, int p)
{
	int rank = (p * n + 99) / 100;

	return n ? v[rank > 0 ? rank - 1 : 0] : 0;
}

static int compare_cell(const char *scenario, const char *policy,
			const struct pinmm_compare_options *o,
			struct pinmm_compare_cell *c, char *err, size_t len)
{
	struct pinmm_options ro = {
		.sched = PINMM_SCHED_DET,
		.strategy = o->strategy ? o->strategy : "random",
	};
	uint64_t *lat = NULL;
	int nr_lat = 0;

	memset(c, 0, sizeof(*c));
	snprintf(c->scenario, sizeof(c->scenario), "%s", scenario);
	snprintf(c->policy, sizeof(c->policy), "%s", policy);
	for (int i = 0; i < o->seeds; i++) {
		struct pinmm_result r;
		uint64_t *more;

		ro.strategy_seed = o->first_seed + (uint64_t)i;
		if (pinmm_run(scenario, policy, o->first_seed + (uint64_t)i,
			      &ro, &r)) {
			snprintf(err, len, "%s under %s: %s", scenario, policy,
				 r.error);
			pinmm_result_free(&r);
			free(lat);
			return -1;
		}
		cell_add(c, &r);
		more = realloc(lat, (size_t)(nr_lat + r.nr_fsyncs + 1) *
					    sizeof(*lat));
		if (more) {
			lat = more;
			memcpy(lat + nr_lat, r.fsync_us,
			       (size_t)r.nr_fsyncs * sizeof(*lat));
			nr_lat += r.nr_fsyncs;
		}
		pinmm_result_free(&r);
	}
	qsort(lat, (size_t)nr_lat, sizeof(*lat), cmp_u64);
	c->nr_fsyncs = nr_lat;
	c->fsync_p50_us = percentile(lat, nr_lat, 50);
	c->fsync_p99_us = percentile(lat, nr_lat, 99);
	free(lat);
	return 0;
}

int pinmm_compare(const char *const *scenarios, int nr_scenarios,
		  const char *const *policies, int nr_policies,
		  const struct pinmm_compare_options *opts,
		  struct pinmm_compare_cell *cells, char *err, size_t len)
{
	for (int s = 0; s < nr_scenarios; s++) {
		for (int p = 0; p < nr_policies; p++) {
			struct pinmm_compare_cell *c =
				&cells[s * nr_policies + p];

			if (compare_cell(scenarios[s], policies[p], opts, c,
					 err, len))
				return -1;
			if (opts->progress)
				opts->progress(c, opts->arg);
		}
	}
	return 0;
}

/* "pass", or "oops 9/10" when not every run reached it. */
static const char *cell_verdict(const struct pinmm_compare_cell *c, char *buf,
				size_t len)
{
	const char *name = pinmm_verdict_name(c->verdict);

	if (c->verdicts[c->verdict] == c->runs)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%s %d/%d", name, c->verdicts[c->verdict],
			 c->runs);
	return buf;
}

static const char *const columns[] = {
	"scenario", "design", "verdict", "bytes lost", "fsync misses",
	"unstable writes", "unstable bytes", "unpin waits", "fsync p50 us",
	"fsync p99 us", "refused", "bounce bytes", "pin FPs",
};

/* A latency, or "-" when no fsync returned. */
static const char *latency(const struct pinmm_compare_cell *c, uint64_t us,
			   char *buf, size_t len)
{
	if (!c->nr_fsyncs)
		return "-";
	snprintf(buf, len, "%llu", (unsigned long long)us);
	return buf;
}

static void print_row(FILE *out, const struct pinmm_compare_cell *c, bool md)
{
	char v[32], p50[24], p99[24];

	cell_verdict(c, v, sizeof(v));
	fprintf(out, md ? "| `%s` | %s | %s | %lld | %d | %ld | %ld | %ld | %s | %s | %ld | %ld | %ld |\n" :
			  "%-20s %-8s %-12s %10lld %12d %15ld %14ld %11ld %12s %12s %7ld %12ld %7ld\n",
		c->scenario, c->policy, v, c->bytes_lost + c->fsync_lost,
		c->fsync_misses, c->unstable_writes, c->unstable_bytes,
		c->unpin_waits, latency(c, c->fsync_p50_us, p50, sizeof(p50)),
		latency(c, c->fsync_p99_us, p99, sizeof(p99)), c->refused_pins,
		c->bounce_bytes, c->pin_false_positives);
}

static void print_json(FILE *out, const struct pinmm_compare_cell *cells,
		       int nr, const struct pinmm_compare_options *o)
{
	struct json_object *top = json_object_new_object();
	struct json_object *arr = json_object_new_array();

	json_object_object_add(top, "sched", json_object_new_string("det"));
	json_object_object_add(top, "strategy",
			       json_object_new_string(o->strategy ? o->strategy : "random"));
	json_object_object_add(top, "seeds", json_object_new_int(o->seeds));
	json_object_object_add(top, "first_seed", json_object_new_int64((int64_t)o->first_seed));
	for (int i = 0; i < nr; i++) {
		const struct pinmm_compare_cell *c = &cells[i];
		struct json_object *cell = json_object_new_object();
		struct json_object *verdicts = json_object_new_object();
		struct json_object *ctr = json_object_new_object();

		for (int v = 0; v <= PINMM_ERROR; v++)
			if (c->verdicts[v])
				json_object_object_add(verdicts, pinmm_verdict_name(v),
						       json_object_new_int(c->verdicts[v]));
#define J_INT(obj, name, val) json_object_object_add(obj, name, json_object_new_int64((int64_t)(val)))
		json_object_object_add(cell, "scenario", json_object_new_string(c->scenario));
		json_object_object_add(cell, "policy", json_object_new_string(c->policy));
		json_object_object_add(cell, "verdict",
				       json_object_new_string(pinmm_verdict_name(c->verdict)));
		json_object_object_add(cell, "why", json_object_new_string(c->why));
		J_INT(cell, "runs", c->runs);
		json_object_object_add(cell, "verdicts", verdicts);
		J_INT(cell, "bytes_lost", c->bytes_lost);
		J_INT(cell, "fsync_lost", c->fsync_lost);
		J_INT(cell, "fsync_misses", c->fsync_misses);
		J_INT(cell, "fsyncs", c->nr_fsyncs);
		json_object_object_add(cell, "fsync_p50_us", c->nr_fsyncs ?
				       json_object_new_int64((int64_t)c->fsync_p50_us) : NULL);
		json_object_object_add(cell, "fsync_p99_us", c->nr_fsyncs ?
				       json_object_new_int64((int64_t)c->fsync_p99_us) : NULL);
		J_INT(ctr, "unstable_writes", c->unstable_writes);
		J_INT(ctr, "unstable_bytes", c->unstable_bytes);
		J_INT(ctr, "mkclean_pinned_waits", c->unpin_waits);
		J_INT(ctr, "pin_false_positive", c->pin_false_positives);
		J_INT(ctr, "bounce_copies", c->bounce_copies);
		J_INT(ctr, "bounce_bytes", c->bounce_bytes);
		J_INT(ctr, "foll_longterm_refused", c->refused_pins);
#undef J_INT
		json_object_object_add(cell, "counters", ctr);
		json_object_array_add(arr, cell);
	}
	json_object_object_add(top, "cells", arr);
	fprintf(out, "%s\n", json_object_to_json_string_ext(top, JSON_C_TO_STRING_PLAIN));
	json_object_put(top);
}

void pinmm_compare_print(FILE *out, const struct pinmm_compare_cell *cells,
			 int nr, const struct pinmm_compare_options *o,
			 enum pinmm_compare_format format)
{
	const int nr_cols = (int)(sizeof(columns) / sizeof(columns[0]));

	if (format == PINMM_COMPARE_JSON) {
		print_json(out, cells, nr, o);
		return;
	}
	if (format == PINMM_COMPARE_MARKDOWN) {
		for (int i = 0; i < nr_cols; i++)
			fprintf(out, "| %s ", columns[i]);
		fprintf(out, "|\n");
		for (int i = 0; i < nr_cols; i++)
			fprintf(out, "|%s", i < 3 ? "---" : "---:");
		fprintf(out, "|\n");
	} else {
		fprintf(out, "%-20s %-8s %-12s %10s %12s %15s %14s %11s %12s %12s %7s %12s %7s\n",
			columns[0], columns[1], columns[2], columns[3], columns[4],
			columns[5], columns[6], columns[7], columns[8], columns[9],
			columns[10], columns[11], columns[12]);
	}
	for (int i = 0; i < nr; i++)
		print_row(out, &cells[i], format == PINMM_COMPARE_MARKDOWN);
	fprintf(out, "%s%d deterministic runs a cell (seeds %llu-%llu, strategy %s); "
		"counts summed over them, latency over every fsync, in model time\n",
		format == PINMM_COMPARE_MARKDOWN ? "\n" : "", o->seeds,
		(unsigned long long)o->first_seed,
		(unsigned long long)(o->first_seed + (uint64_t)o->seeds - 1),
		o->strategy ? o->strategy : "random");
}

/* The policies of @cells, in order: those of its first scenario. */
static int cell_policies(const struct pinmm_compare_cell *cells, int nr)
{
	int n = 0;

	while (n < nr && !strcmp(cells[n].scenario, cells[0].scenario))
		n++;
	return n;
}

/* One line per scenario with fsyncs: its p50 and p99 under each design. */
static int write_plot_data(FILE *f, const struct pinmm_compare_cell *cells,
			   int nr, int nr_p)
{
	int rows = 0;

	for (int s = 0; s + nr_p <= nr; s += nr_p) {
		bool any = false;

		for (int p = 0; p < nr_p; p++)
			any |= cells[s + p].nr_fsyncs > 0;
		if (!any)
			continue;
		fprintf(f, "%s", cells[s].scenario);
		for (int p = 0; p < nr_p; p++) {
			const struct pinmm_compare_cell *c = &cells[s + p];

			if (c->nr_fsyncs)
				fprintf(f, " %llu %llu",
					(unsigned long long)(c->fsync_p50_us ? c->fsync_p50_us : 1),
					(unsigned long long)(c->fsync_p99_us ? c->fsync_p99_us : 1));
			else
				fprintf(f, " - -");
		}
		fprintf(f, "\n");
		rows++;
	}
	return rows;
}

static bool policy_has_fsyncs(const struct pinmm_compare_cell *cells, int nr,
			      int nr_p, int p)
{
	for (int s = 0; s + nr_p <= nr; s += nr_p)
		if (cells[s + p].nr_fsyncs)
			return true;
	return false;
}

int pinmm_compare_plot(const char *png, const struct pinmm_compare_cell *cells,
		       int nr, char *err, size_t len)
{
	char data[] = "/tmp/pinmm-compare-XXXXXX";
	int nr_p = cell_policies(cells, nr);
	int fd = mkstemp(data);
	FILE *f, *gp;
	int rows, ret;

	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		snprintf(err, len, "cannot write the plot's data: %s", strerror(errno));
		return -1;
	}
	rows = write_plot_data(f, cells, nr, nr_p);
	fclose(f);
	if (!rows) {
		unlink(data);
		snprintf(err, len, "no scenario of the comparison calls fsync");
		return -1;
	}
	gp = popen("gnuplot", "w");
	if (!gp) {
		unlink(data);
		snprintf(err, len, "cannot run gnuplot: %s", strerror(errno));
		return -1;
	}
	fprintf(gp, "set terminal png size 1200,%d font ',10'\n"
		    "set output '%s'\n"
		    "set datafile missing '-'\n"
		    "set style data histograms\n"
		    "set style histogram clustered gap 1\n"
		    "set style fill solid 0.8 border -1\n"
		    "set logscale y\n"
		    "set ylabel 'fsync latency, us of model time (log)'\n"
		    "set xtics rotate by -30\n"
		    "set key outside right top\n"
		    "set grid ytics\n"
		    "set multiplot layout 2,1\n",
		700, png);
	for (int q = 0; q < 2; q++) {
		fprintf(gp, "set title 'fsync latency per design: %s (a missing bar: no fsync returned)'\n",
			q ? "p99" : "p50");
		fprintf(gp, "plot ");
		for (int p = 0, n = 0; p < nr_p; p++) {
			/* A design none of whose fsyncs returned has no bars. */
			if (!policy_has_fsyncs(cells, nr, nr_p, p))
				continue;
			fprintf(gp, "%s'%s' using %d:xtic(1) title '%s'",
				n++ ? ", " : "", data, 2 + 2 * p + q, cells[p].policy);
		}
		fprintf(gp, "\n");
	}
	fprintf(gp, "unset multiplot\n");
	ret = pclose(gp);
	unlink(data);
	if (ret == 127 << 8) {
		snprintf(err, len, "gnuplot is not installed (Debian: gnuplot-nox)");
		return -1;
	}
	if (ret) {
		snprintf(err, len, "gnuplot failed (status %d)", ret);
		return -1;
	}
	return 0;
}
