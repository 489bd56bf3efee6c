// SPDX-License-Identifier: GPL-2.0
/*
 * Schedules (include/pinmm/pinmm.h): what replays a deterministic run
 * exactly, its file format, replay, and minimisation.
 *
 * Locking: none; every function here runs whole runs, one at a time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pinmm/pinmm.h>

/* ---- schedule files ---- */

/*
 * A run of a scenario file records the file's text: the schedule replays
 * the run it was written from, even once the file changed or is gone, or
 * when a built-in has the file's name.
 */
int pinmm_schedule_from_result(struct pinmm_schedule *s,
			       const struct pinmm_result *r,
			       const char *strategy, uint64_t strategy_seed)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->scenario, sizeof(s->scenario), "%s", r->scenario);
	if (r->scenario_file[0]) {
		snprintf(s->scenario_file, sizeof(s->scenario_file), "%s",
			 r->scenario_file);
		s->scenario_text = strdup(r->scenario_text ? r->scenario_text : "");
		if (!s->scenario_text)
			return -ENOMEM;
	}
	snprintf(s->policy, sizeof(s->policy), "%s", r->policy);
	s->seed = r->seed;
	snprintf(s->strategy, sizeof(s->strategy), "%s", strategy);
	s->strategy_seed = strategy_seed;
	snprintf(s->verdict, sizeof(s->verdict), "%s",
		 pinmm_verdict_name(r->verdict));
	snprintf(s->oops, sizeof(s->oops), "%s", r->oops);
	s->decisions = calloc((size_t)r->nr_decisions + 1, sizeof(*s->decisions));
	if (!s->decisions)
		return -ENOMEM;
	memcpy(s->decisions, r->decisions,
	       (size_t)r->nr_decisions * sizeof(*s->decisions));
	s->nr_decisions = r->nr_decisions;
	return 0;
}

void pinmm_schedule_free(struct pinmm_schedule *s)
{
	free(s->decisions);
	free(s->scenario_text);
	s->decisions = NULL;
	s->scenario_text = NULL;
	s->nr_decisions = 0;
}

/* The text's lines, each behind "| " (empty ones as "|"). */
static void write_text(FILE *f, const char *text)
{
	int lines = 0;

	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	if (*text && text[strlen(text) - 1] != '\n')
		lines++;
	fprintf(f, "scenario_text %d\n", lines);
	while (*text) {
		size_t n = strcspn(text, "\n");

		fprintf(f, "|%s%.*s\n", n ? " " : "", (int)n, text);
		text += n + (text[n] == '\n');
	}
}

/*
 * The format: "key value" lines, then "decisions N" and N decisions, one
 * "pid" per choice point, a line holding up to 32 of them.  Lines starting
 * with '#' are comments.  A scenario file's run has "scenario_file PATH"
 * and "scenario_text N", followed by the file's N lines, each behind "| ".
 */
int pinmm_schedule_write(const char *path, const struct pinmm_schedule *s)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "# pinmm schedule: 'pinmm replay %s' reruns this run exactly\n",
		path);
	fprintf(f, "scenario %s\npolicy %s\nseed %llu\nstrategy %s\nstrategy_seed %llu\n",
		s->scenario, s->policy, (unsigned long long)s->seed, s->strategy,
		(unsigned long long)s->strategy_seed);
	if (s->scenario_text) {
		fprintf(f, "scenario_file %s\n", s->scenario_file);
		write_text(f, s->scenario_text);
	}
	fprintf(f, "verdict %s\n", s->verdict);
	if (s->oops[0])
		fprintf(f, "oops %s\n", s->oops);
	fprintf(f, "decisions %d\n", s->nr_decisions);
	for (int i = 0; i < s->nr_decisions; i++)
		fprintf(f, "%d%s", s->decisions[i].pid,
			(i % 32 == 31 || i + 1 == s->nr_decisions) ? "\n" : " ");
	if (fclose(f))
		return -errno;
	return 0;
}

static void set_field(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%.*s", (int)size - 1, src);
}

static int parse_error(char *err, size_t len, const char *path, int line,
		       const char *what)
{
	snprintf(err, len, "%s:%d: %s", path, line, what);
	return -EINVAL;
}

int pinmm_schedule_read(const char *path, struct pinmm_schedule *s, char *err,
			size_t len)
{
	FILE *f = fopen(path, "r");
	char buf[1100];
	int line = 0, want = -1, got = 0, ret = 0, text_lines = -1;
	size_t text_used = 0;

	memset(s, 0, sizeof(*s));
	if (!f) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -errno;
	}
	while (fgets(buf, sizeof(buf), f)) {
		char key[32], val[512];
		unsigned long long n;

		line++;
		buf[strcspn(buf, "\n")] = '\0';
		if (text_lines > 0) {
			const char *t = buf + (buf[0] && buf[1] == ' ' ? 2 : 1);
			size_t tlen;

			if (buf[0] != '|') {
				ret = parse_error(err, len, path, line,
						  "expected a line of the scenario's text, behind '| '");
				goto out;
			}
			tlen = strlen(t);
			memcpy(s->scenario_text + text_used, t, tlen);
			text_used += tlen;
			s->scenario_text[text_used++] = '\n';
			text_lines--;
			continue;
		}
		if (!buf[0] || buf[0] == '#')
			continue;
		if (want >= 0) {
			for (char *p = buf, *end; *p; p = end) {
				long pid = strtol(p, &end, 10);

				if (end == p) {
					if (*p == ' ') {
						end = p + 1;
						continue;
					}
					ret = parse_error(err, len, path, line,
							  "expected a pid");
					goto out;
				}
				if (got == want || pid <= 0 || pid > 1000) {
					ret = parse_error(err, len, path, line,
							  got == want ? "more decisions than announced" :
									"bad pid");
					goto out;
				}
				s->decisions[got++].pid = (int)pid;
			}
			continue;
		}
		if (sscanf(buf, "%31s %511[^\n]", key, val) != 2) {
			ret = parse_error(err, len, path, line, "expected 'key value'");
			goto out;
		}
		if (!strcmp(key, "scenario")) {
			set_field(s->scenario, sizeof(s->scenario), val);
		} else if (!strcmp(key, "scenario_file")) {
			set_field(s->scenario_file, sizeof(s->scenario_file), val);
		} else if (!strcmp(key, "scenario_text")) {
			char *end;
			long lines = strtol(val, &end, 10);

			if (*end || lines < 0 || lines > 100000 || s->scenario_text) {
				ret = parse_error(err, len, path, line,
						  "expected one line count, of at most 100000 lines");
				goto out;
			}
			text_lines = (int)lines;
			s->scenario_text = calloc((size_t)lines + 1, sizeof(buf));
			if (!s->scenario_text) {
				ret = -ENOMEM;
				goto out;
			}
		} else if (!strcmp(key, "policy")) {
			set_field(s->policy, sizeof(s->policy), val);
		} else if (!strcmp(key, "strategy")) {
			set_field(s->strategy, sizeof(s->strategy), val);
		} else if (!strcmp(key, "verdict")) {
			set_field(s->verdict, sizeof(s->verdict), val);
		} else if (!strcmp(key, "oops")) {
			set_field(s->oops, sizeof(s->oops), val);
		} else if (!strcmp(key, "seed") || !strcmp(key, "strategy_seed") ||
			   !strcmp(key, "decisions")) {
			char *end;

			n = strtoull(val, &end, 10);
			if (*end || val[0] == '-') {
				ret = parse_error(err, len, path, line, "expected a number");
				goto out;
			}
			if (key[0] == 'd') {
				if (n > 10000000) {
					ret = parse_error(err, len, path, line,
							  "too many decisions");
					goto out;
				}
				want = (int)n;
				s->decisions = calloc(n + 1, sizeof(*s->decisions));
				if (!s->decisions) {
					ret = -ENOMEM;
					goto out;
				}
			} else if (!strcmp(key, "seed")) {
				s->seed = n;
			} else {
				s->strategy_seed = n;
			}
		} else {
			ret = parse_error(err, len, path, line, "unknown key");
			goto out;
		}
	}
	if (want < 0 || got != want || !s->scenario[0] || !s->policy[0] ||
	    text_lines > 0)
		ret = parse_error(err, len, path, line,
				  text_lines > 0 ? "fewer lines of scenario text than announced" :
				  want < 0 ? "no 'decisions' line" :
				  got != want ? "fewer decisions than announced" :
						"scenario or policy missing");
	s->nr_decisions = got;
out:
	fclose(f);
	if (ret)
		pinmm_schedule_free(s);
	return ret;
}

int pinmm_replay(const struct pinmm_schedule *s, const struct pinmm_options *base,
		 struct pinmm_result *r)
{
	struct pinmm_options opts = base ? *base : (struct pinmm_options){ 0 };

	opts.sched = PINMM_SCHED_DET;
	opts.strategy = "fifo";
	opts.forced = s->decisions;
	opts.nr_forced = s->nr_decisions;
	if (s->scenario_text)
		return pinmm_run_text(s->scenario, s->scenario_file,
				      s->scenario_text, s->policy, s->seed, &opts,
				      r);
	return pinmm_run(s->scenario, s->policy, s->seed, &opts, r);
}

/* ---- minimisation ---- */

static bool same_failure(const struct pinmm_result *r,
			 const struct pinmm_schedule *s)
{
	return !strcmp(pinmm_verdict_name(r->verdict), s->verdict) &&
	       !strcmp(r->oops, s->oops);
}

static int count_preemptions(const struct pinmm_schedule *s)
{
	int n = 0;

	for (int i = 0; i < s->nr_decisions; i++)
		n += s->decisions[i].preemption;
	return n;
}

/*
 * Greedily, from the last preemption to the first: make that decision
 * continue the running task instead, keep the decisions before it, let
 * the run after it go its default way, and keep the change if the same
 * failure still happens.
 */
int pinmm_minimize(const struct pinmm_schedule *in, struct pinmm_schedule *out,
		   char *err, size_t len)
{
	struct pinmm_schedule cur;
	struct pinmm_result r;
	int ret;

	/* Replay once to learn where the preemptions are. */
	ret = pinmm_replay(in, NULL, &r);
	if (ret || !same_failure(&r, in)) {
		snprintf(err, len, "the schedule does not replay to its %s",
			 in->verdict);
		pinmm_result_free(&r);
		return ret ? ret : -EINVAL;
	}
	pinmm_schedule_from_result(&cur, &r, in->strategy, in->strategy_seed);
	pinmm_result_free(&r);

	for (int i = cur.nr_decisions - 1; i >= 0; i--) {
		struct pinmm_schedule trial = cur;
		struct pinmm_decision *d = &cur.decisions[i];

		if (!d->preemption || !d->cur_pid)
			continue;
		/* The decisions before, and this one left to the running task. */
		trial.nr_decisions = i + 1;
		trial.decisions = calloc((size_t)i + 1, sizeof(*trial.decisions));
		if (!trial.decisions)
			break;
		memcpy(trial.decisions, cur.decisions, (size_t)i * sizeof(*cur.decisions));
		trial.decisions[i] = *d;
		trial.decisions[i].pid = d->cur_pid;
		ret = pinmm_replay(&trial, NULL, &r);
		free(trial.decisions);
		if (!ret && same_failure(&r, in)) {
			pinmm_schedule_free(&cur);
			pinmm_schedule_from_result(&cur, &r, in->strategy,
						   in->strategy_seed);
			if (i > cur.nr_decisions)
				i = cur.nr_decisions;
		}
		pinmm_result_free(&r);
	}
	*out = cur;
	return count_preemptions(out);
}
