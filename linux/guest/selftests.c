// SPDX-License-Identifier: GPL-2.0
/*
 * pinmm-guest: the kernel's own gup tests, from the same source tree
 * (tools/testing/selftests/mm/gup_test.c and gup_longterm.c, built by
 * linux/rig.sh as static programs), run under the booted policy.
 *
 * Every line they print goes to the console as "PINMM-ST <run> <line>",
 * and their exit status as "PINMM-STEXIT <run> <status>"; linux/rig.py
 * parses the TAP results and linux/check.py checks them per policy.
 *
 * gup_test runs its benchmarks on private anonymous memory, on a shared
 * mapping of an ext4 file and on a shared mapping of a tmpfs file;
 * gup_longterm runs its matrix with /tmp on tmpfs and its working
 * directory (the "local tmpfile") on the ext4 file system under test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

static const char *st_dir;

static void make_sized(const char *path, size_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || ftruncate(fd, size))
		env_fail("create %s: %s", path, strerror(errno));
	close(fd);
}

static void run(const char *tag, const char *prog, char *const args[])
{
	char *path = path_in(st_dir, prog), line[1024];
	char *argv[16] = { path };
	int p[2], status, i;
	FILE *out;
	pid_t pid;

	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	if (pipe(p))
		fail("pipe");
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		if (chdir(mnt_dir))
			_exit(126);
		execv(path, argv);
		_exit(127);
	}
	close(p[1]);
	out = fdopen(p[0], "r");
	while (fgets(line, sizeof(line), out)) {
		line[strcspn(line, "\n")] = 0;
		printf("PINMM-ST %s %s\n", tag, line);
	}
	fclose(out);
	if (waitpid(pid, &status, 0) != pid)
		fail("waitpid");
	printf("PINMM-STEXIT %s %d\n", tag,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	fflush(stdout);
}

static void scen_gup_selftests(void)
{
	char *ext4_file = path_in(mnt_dir, "gup_test_file");
	char *tmpfs_file = "/tmp/gup_test_file";

	st_dir = getenv("PINMM_SELFTESTS");
	if (!st_dir)
		env_fail("PINMM_SELFTESTS is not set");
	if (mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL) &&
	    errno != EBUSY)
		env_fail("mount debugfs: %s", strerror(errno));
	if (access("/sys/kernel/debug/gup_test", R_OK))
		env_fail("no /sys/kernel/debug/gup_test: CONFIG_GUP_TEST is off");
	/* The guest's own /tmp, so that gup_longterm's tmpfile() is tmpfs. */
	if (mount("tmpfs", "/tmp", "tmpfs", 0, "size=16m"))
		env_fail("mount tmpfs on /tmp: %s", strerror(errno));
	make_sized(ext4_file, 1 << 20);
	make_sized(tmpfs_file, 1 << 20);

	run("gup_fast-anon", "gup_test", (char *[]){ "-u", "-m", "1", NULL });
	run("pin_fast-anon", "gup_test", (char *[]){ "-a", "-m", "1", NULL });
	run("pin_longterm-anon", "gup_test", (char *[]){ "-L", "-m", "1", NULL });
	run("pin_fast-ext4-shared", "gup_test",
	    (char *[]){ "-a", "-m", "1", "-S", "-f", ext4_file, NULL });
	run("pin_longterm-ext4-shared", "gup_test",
	    (char *[]){ "-L", "-m", "1", "-S", "-f", ext4_file, NULL });
	run("pin_longterm-tmpfs-shared", "gup_test",
	    (char *[]){ "-L", "-m", "1", "-S", "-f", tmpfs_file, NULL });
	run("gup_longterm", "gup_longterm", (char *[]){ NULL });
	printf("PINMM-SELFTESTS-DONE\n");
	fflush(stdout);
}

const struct scenario selftest_scenarios[] = {
	{ "gup-selftests", scen_gup_selftests },
	{ NULL, NULL },
};
