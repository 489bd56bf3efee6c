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
 *
 * The guest's / is the host's, and the run directory may well be under
 * the host's /tmp, so /tmp is replaced only in gup_longterm's own mount
 * namespace (its tmpfile() goes to /tmp whatever TMPDIR says), after it
 * has its working directory and its program open.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

const char *st_dir;

void make_sized(const char *path, size_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || ftruncate(fd, size))
		env_fail("create %s: %s", path, strerror(errno));
	close(fd);
}

/* In the child: a mount namespace of its own, with a tmpfs on /tmp. */
static void private_tmp(void)
{
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("tmpfs", "/tmp", "tmpfs", 0, "size=16m")) {
		printf("PINMM-ENV private /tmp: %s\n", strerror(errno));
		_exit(125);
	}
}

/*
 * Run @prog (in st_dir, or an absolute path) with its working directory
 * on the ext4 image, and relay every line it prints as "PINMM-ST <tag>".
 */
void run_relayed(const char *tag, const char *prog, char *const args[],
		 int own_tmp)
{
	char *path = prog[0] == '/' ? strdup(prog) : path_in(st_dir, prog);
	char line[1024];
	char *argv[48] = { path };
	int p[2], status, i, exe;
	FILE *out;
	pid_t pid;

	for (i = 0; args[i] && i < 46; i++)
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
		exe = open(path, O_RDONLY | O_CLOEXEC);
		if (exe < 0 || chdir(mnt_dir))
			_exit(126);
		if (own_tmp)
			private_tmp();
		fexecve(exe, argv, environ);
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
	free(path);
}

/* debugfs for /sys/kernel/debug/gup_test, and where the programs are. */
void selftests_setup(void)
{
	st_dir = getenv("PINMM_SELFTESTS");
	if (!st_dir)
		env_fail("PINMM_SELFTESTS is not set");
	if (mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL) &&
	    errno != EBUSY)
		env_fail("mount debugfs: %s", strerror(errno));
	if (access("/sys/kernel/debug/gup_test", R_OK))
		env_fail("no /sys/kernel/debug/gup_test: CONFIG_GUP_TEST is off");
}

static void scen_gup_selftests(void)
{
	char *ext4_file = path_in(mnt_dir, "gup_test_file");
	char *tmpfs_dir = path_in(run_dir, "tmpfs");
	char *tmpfs_file = path_in(tmpfs_dir, "gup_test_file");

	selftests_setup();
	if ((mkdir(tmpfs_dir, 0755) && errno != EEXIST) ||
	    mount("tmpfs", tmpfs_dir, "tmpfs", 0, "size=16m"))
		env_fail("mount tmpfs on %s: %s", tmpfs_dir, strerror(errno));
	make_sized(ext4_file, 1 << 20);
	make_sized(tmpfs_file, 1 << 20);

	run_relayed("gup_fast-anon", "gup_test",
		    (char *[]){ "-u", "-m", "1", NULL }, 0);
	run_relayed("pin_fast-anon", "gup_test",
		    (char *[]){ "-a", "-m", "1", NULL }, 0);
	run_relayed("pin_longterm-anon", "gup_test",
		    (char *[]){ "-L", "-m", "1", NULL }, 0);
	run_relayed("pin_fast-ext4-shared", "gup_test",
		    (char *[]){ "-a", "-m", "1", "-S", "-f", ext4_file, NULL }, 0);
	run_relayed("pin_longterm-ext4-shared", "gup_test",
		    (char *[]){ "-L", "-m", "1", "-S", "-f", ext4_file, NULL }, 0);
	run_relayed("pin_longterm-tmpfs-shared", "gup_test",
		    (char *[]){ "-L", "-m", "1", "-S", "-f", tmpfs_file, NULL }, 0);
	run_relayed("gup_longterm", "gup_longterm", (char *[]){ NULL }, 1);
	printf("PINMM-SELFTESTS-DONE\n");
	fflush(stdout);
}

const struct scenario selftest_scenarios[] = {
	{ "gup-selftests", scen_gup_selftests },
	{ NULL, NULL },
};
