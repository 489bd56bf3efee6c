// SPDX-License-Identifier: GPL-2.0
/*
 * The built-in scenarios: every scenarios/NAME.ini, embedded into the
 * library at build time (harness/embed-scenarios.sh makes the table) and
 * parsed once, when the library is loaded.  The build also checks every
 * file with `pinmm check`, so a file that does not parse fails the build;
 * should one get through anyway, it stays listed with its error
 * (pinmm_scenario_error()) and scenario_find() does not return it.
 *
 * A NAME with a '/' or ending in .ini is a path instead: the file is
 * parsed on first use and kept for the life of the process.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <pinmm/pinmm.h>

#include "scenario.h"

#define BUILTIN_ERRLEN 4096

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static char **builtin_errors;	/* per embedded file: NULL when it parsed */
static int nr_builtin;

static void builtin_parse(void)
{
	for (nr_builtin = 0; scn_embedded[nr_builtin].name; nr_builtin++)
		;
	builtin_errors = calloc((size_t)nr_builtin + 1, sizeof(*builtin_errors));
	for (int i = 0; i < nr_builtin; i++) {
		const struct scn_embedded *e = &scn_embedded[i];
		struct scenario *scn = &scn_embedded_storage[i];
		char *err = malloc(BUILTIN_ERRLEN);
		struct scenario tmp = { 0 };

		if (!err || scenario_parse(&tmp, e->name, e->path, e->text,
					   strlen(e->text), err, BUILTIN_ERRLEN)) {
			scenario_free(&tmp);
			if (builtin_errors)
				builtin_errors[i] = err ? err : strdup("out of memory");
			else
				free(err);
			continue;	/* keeps its name, and no description */
		}
		free(err);
		*scn = tmp;
	}
}

static __attribute__((constructor)) void builtin_init(void)
{
	pthread_once(&builtin_once, builtin_parse);
}

static int builtin_index(const char *name)
{
	pthread_once(&builtin_once, builtin_parse);
	for (int i = 0; i < nr_builtin; i++)
		if (!strcmp(scn_embedded[i].name, name))
			return i;
	return -1;
}

/* ---- scenarios given by path ---- */

struct loaded {
	struct loaded *next;
	char *path;
	struct scenario *scn;
};

static pthread_mutex_t loaded_lock = PTHREAD_MUTEX_INITIALIZER;
static struct loaded *loaded;	/* kept for the life of the process */

static const struct scenario *scenario_by_path(const char *path)
{
	struct loaded *l;
	struct scenario *scn;

	pthread_mutex_lock(&loaded_lock);
	for (l = loaded; l; l = l->next) {
		if (!strcmp(l->path, path)) {
			pthread_mutex_unlock(&loaded_lock);
			return l->scn;
		}
	}
	scn = scenario_load(path, NULL, 0);
	l = scn ? calloc(1, sizeof(*l)) : NULL;
	if (l)
		l->path = strdup(path);
	if (!l || !l->path) {
		if (l)
			free(l);
		scenario_free(scn);
		pthread_mutex_unlock(&loaded_lock);
		return NULL;
	}
	l->scn = scn;
	l->next = loaded;
	loaded = l;
	pthread_mutex_unlock(&loaded_lock);
	return scn;
}

bool pinmm_scenario_is_file(const char *arg)
{
	size_t n = strlen(arg);

	return strchr(arg, '/') || (n >= 4 && !strcmp(arg + n - 4, ".ini"));
}

const struct scenario *scenario_find(const char *name)
{
	int i;

	if (pinmm_scenario_is_file(name))
		return scenario_by_path(name);
	i = builtin_index(name);
	if (i < 0 || (builtin_errors && builtin_errors[i]))
		return NULL;
	return &scn_embedded_storage[i];
}

/* ---- the public side ---- */

const char *pinmm_scenario_text(const char *name)
{
	int i = builtin_index(name);

	return i < 0 ? NULL : scn_embedded[i].text;
}

const char *pinmm_scenario_error(const char *name)
{
	int i = builtin_index(name);

	if (i < 0 || !builtin_errors)
		return NULL;
	return builtin_errors[i];
}

int pinmm_scenario_check(const char *path, char *err, size_t len)
{
	struct scenario *scn = scenario_load(path, err, len);

	if (!scn)
		return -1;
	scenario_free(scn);
	return 0;
}
