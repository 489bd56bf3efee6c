// SPDX-License-Identifier: GPL-2.0
/*
 * pinmm-guest: init of the UML guest, its environment checks and its
 * watchdog.
 *
 * Booted as init= in a UML guest whose root is the host's / over hostfs:
 *   PINMM_SCEN=<scenario> PINMM_RUN=<dir> [PINMM_TIMEOUT=<s>]
 * It mounts /proc and the ext4 image (/dev/ubdb) on <dir>/mnt, checks
 * that the guest can run user programs correctly, runs the scenario in a
 * child process and watches it: the kernel log for a BUG or a hung task
 * report, and the clock. It powers off without syncing (a sync could
 * wait forever behind a hung fsync).
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

const char *run_dir, *mnt_dir, *file_path;
const char *blk_path = "/dev/ubdb";

static void power_off(void)
{
	fflush(stdout);
	/* no sync(): it could wait forever behind a hung writeback */
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

/* ---- the FP state survives context switches -------------------------- */

/*
 * Load a pattern into vector registers, bounce a byte through two pipes
 * with another process @rounds times (every read switches to it, and it
 * loads its own pattern), and read the registers back. The system calls
 * are made from the same asm block, so nothing else touches the
 * registers. UML saves and restores them with PTRACE_GETREGSET and
 * SETREGSET of the host's whole XSAVE area; ymm and zmm16-31 live past
 * its legacy part.
 */
#define PINGPONG(load, save, clobber)					\
	asm volatile(load						\
		     "1:\n\t"						\
		     "mov $1, %%eax\n\t"				\
		     "mov %[out], %%edi\n\t"				\
		     "mov %[buf], %%rsi\n\t"				\
		     "mov $1, %%edx\n\t"				\
		     "syscall\n\t"					\
		     "xor %%eax, %%eax\n\t"				\
		     "mov %[in], %%edi\n\t"				\
		     "mov %[buf], %%rsi\n\t"				\
		     "mov $1, %%edx\n\t"				\
		     "syscall\n\t"					\
		     "decl %[n]\n\t"					\
		     "jnz 1b\n\t"					\
		     save						\
		     : [n] "+r" (rounds)				\
		     : [pat] "r" (pat), [back] "r" (back),		\
		       [in] "r" (in), [out] "r" (out), [buf] "r" (&c)	\
		     : "rax", "rdi", "rsi", "rdx", "rcx", "r11",	\
		       "memory", clobber)

static void pingpong_xmm(const uint8_t *pat, uint8_t *back, int in, int out,
			 int rounds)
{
	char c = 0;

	PINGPONG("movdqu (%[pat]), %%xmm8\n\t",
		 "movdqu %%xmm8, (%[back])\n\t", "xmm8");
}

__attribute__((target("avx")))
static void pingpong_ymm(const uint8_t *pat, uint8_t *back, int in, int out,
			 int rounds)
{
	char c = 0;

	PINGPONG("vmovdqu (%[pat]), %%ymm9\n\t",
		 "vmovdqu %%ymm9, (%[back])\n\t", "xmm9");
}

__attribute__((target("avx512f")))
static void pingpong_zmm(const uint8_t *pat, uint8_t *back, int in, int out,
			 int rounds)
{
	char c = 0;

	PINGPONG("vmovdqu64 (%[pat]), %%zmm17\n\t",
		 "vmovdqu64 %%zmm17, (%[back])\n\t", "xmm17");
}

static int cpu_has_avx(int avx512)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE) ||
	    !(c & bit_AVX))
		return 0;
	if (!avx512)
		return 1;
	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_AVX512F);
}

/* One process's side: returns 1 if every register came back intact. */
static int fp_side(int which, int in, int out)
{
	static void (*const fns[])(const uint8_t *, uint8_t *, int, int, int) = {
		pingpong_xmm, pingpong_ymm, pingpong_zmm,
	};
	static const int bytes[] = { 16, 32, 64 };
	uint8_t pat[64], back[64];
	int ok = 1;

	for (int k = 0; k < 3; k++) {
		if (k && !cpu_has_avx(k == 2))
			break;
		for (int i = 0; i < 64; i++)
			pat[i] = (uint8_t)(i * 37 + which * 101 + k * 11 + 1);
		memset(back, 0, sizeof(back));
		fns[k](pat, back, in, out, 200);
		ok &= !memcmp(pat, back, bytes[k]);
	}
	return ok;
}

/*
 * An environment check, not part of any verdict: if the guest cannot
 * keep a process's FP registers, nothing it runs means anything.
 */
static void check_fp_state(void)
{
	int ab[2], ba[2], status, ok;
	pid_t kid;

	if (pipe(ab) || pipe(ba))
		env_fail("pipe: %s", strerror(errno));
	kid = fork();
	if (kid == 0)
		_exit(fp_side(1, ab[0], ba[1]) ? 0 : 1);
	/* the parent starts the ping-pong: it writes first */
	ok = fp_side(0, ba[0], ab[1]);
	if (waitpid(kid, &status, 0) != kid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		ok = 0;
	if (!ok) {
		printf("PINMM-ENV vector registers were not preserved across context switches\n");
		power_off();
	}
	kv("fp_state_check", "xmm%s%s preserved over 200 round trips",
	   cpu_has_avx(0) ? " ymm" : "", cpu_has_avx(1) ? " zmm" : "");
}

/* ---- the watchdog --------------------------------------------------------- */

static char logbuf[1 << 18];

static const char *klog_find(const char *needle)
{
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, logbuf, sizeof(logbuf) - 1);

	if (n < 0)
		return NULL;
	logbuf[n] = 0;
	return strstr(logbuf, needle);
}

/* Does SIGKILL end a scenario that hangs? (The seed's waits say no.) */
static void try_sigkill(pid_t kid)
{
	int status;

	kill(kid, SIGKILL);
	for (int i = 0; i < 20; i++) {
		if (waitpid(kid, &status, WNOHANG) == kid) {
			kv("sigkill_ended", "1");
			return;
		}
		msleep(50);
	}
	kv("sigkill_ended", "0");
}

static void watch(pid_t kid, int timeout)
{
	uint64_t start = now_ns();
	int status;

	for (;;) {
		const char *hit;

		if (waitpid(kid, &status, WNOHANG) == kid) {
			if (WIFSIGNALED(status))
				printf("PINMM-EXIT signal=%d\n", WTERMSIG(status));
			else
				printf("PINMM-EXIT status=%d\n", WEXITSTATUS(status));
			return;
		}
		hit = klog_find("blocked for more than");
		if (hit || now_ns() - start > timeout * 1000000000ULL) {
			printf("PINMM-HANG %s\n", hit ? "hung task detector" :
			       "watchdog: scenario did not finish");
			msleep(300);	/* let the report reach the console */
			write_str("/proc/sysrq-trigger", "w");
			msleep(300);
			try_sigkill(kid);
			power_off();
		}
		if (klog_find("kernel BUG at")) {
			printf("PINMM-OOPS\n");
			msleep(300);
			power_off();
		}
		msleep(50);
	}
}

static int guest_init(void)
{
	const char *scen = getenv("PINMM_SCEN");
	const char *tmo = getenv("PINMM_TIMEOUT");
	int timeout = tmo ? atoi(tmo) : 60;
	const struct scenario *s;
	pid_t kid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	run_dir = getenv("PINMM_RUN");
	if (!scen || !run_dir) {
		printf("PINMM-ENV PINMM_SCEN and PINMM_RUN must be set\n");
		power_off();
	}
	/*
	 * The root is the host's / over hostfs: without the guest's own
	 * /proc and /sys, programs would read the host's.
	 */
	if (mount("proc", "/proc", "proc", 0, NULL) ||
	    mount("sysfs", "/sys", "sysfs", 0, NULL)) {
		printf("PINMM-ENV mount /proc, /sys: %s\n", strerror(errno));
		power_off();
	}
	if (access("/proc/pinmm", R_OK)) {
		printf("PINMM-ENV no /proc/pinmm: not a pinmm kernel\n");
		power_off();
	}
	s = find_scenario(scen);
	if (!s) {
		printf("PINMM-ENV unknown scenario %s\n", scen);
		power_off();
	}
	mnt_dir = path_in(run_dir, "mnt");
	file_path = path_in(mnt_dir, "file");

	check_fp_state();
	write_str("/proc/sys/kernel/hung_task_timeout_secs", "3");
	write_str("/proc/sys/kernel/hung_task_warnings", "-1");
	write_str("/proc/sys/vm/dirty_writeback_centisecs", "100");
	write_str("/proc/sys/vm/dirty_expire_centisecs", "300");
	if (mount(blk_path, mnt_dir, "ext4", 0, NULL)) {
		printf("PINMM-ENV mount %s: %s\n", blk_path, strerror(errno));
		power_off();
	}
	read_counters(&cnt_start);
	printf("PINMM-START scenario=%s\n", scen);

	kid = fork();
	if (kid == 0) {
		prctl(PR_SET_NAME, "pinmm-scenario");
		s->fn();
		exit(0);
	}
	watch(kid, timeout);
	umount(mnt_dir);
	printf("PINMM-DONE\n");
	power_off();
	return 0;
}

int main(int argc, char **argv)
{
	if (getpid() == 1)
		return guest_init();
	fprintf(stderr, "pinmm-guest: run me as init in the pinmm UML guest\n");
	return 2;
}
