// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the scenario file parser (make fuzz).  Any input
 * must parse or be rejected with FILE:LINE errors: no crash, no leak, no
 * sanitizer report, no hang, and every error line names the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char err[8192];
	static char tiny[7];
	struct scenario scn = { 0 };
	int n;

	n = scenario_parse(&scn, "fuzz", "fuzz.ini", (const char *)data, size,
			   err, sizeof(err));
	if (n) {
		/* every line of the report is "fuzz.ini:..." */
		for (const char *l = err; l; l = strchr(l, '\n')) {
			if (*l == '\n')
				l++;
			if (strncmp(l, "fuzz.ini:", 9))
				abort();
		}
	} else {
		/* a valid scenario is complete */
		if (!scn.description || scn.nr_actors < 1 ||
		    scn.nr_actors > SCN_MAX_ACTORS || scn.nr_files > SCN_MAX_FILES)
			abort();
		for (int a = 0; a < scn.nr_actors; a++)
			for (int i = 0; i < scn.actors[a].nr_steps; i++) {
				const struct scn_step *st = &scn.actors[a].steps[i];

				if (st->op == OP_NONE || st->op >= NR_SCN_OPS)
					abort();
				if (st->op == OP_DMA && !st->len)
					abort();
			}
	}
	scenario_free(&scn);

	/* the same input with an error buffer too small for one line */
	memset(&scn, 0, sizeof(scn));
	if (scenario_parse(&scn, "fuzz", "fuzz.ini", (const char *)data, size,
			   tiny, sizeof(tiny)) != n)
		abort();
	if (strlen(tiny) >= sizeof(tiny))
		abort();
	scenario_free(&scn);
	return 0;
}
