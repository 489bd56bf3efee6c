// SPDX-License-Identifier: GPL-2.0
/*
 * bench_model: the model's half of make bench (scripts/bench-model.sh).
 *
 * What each design costs in the model, every figure next to a floor
 * measured in the same process, right before or after it:
 *
 *   pin     pinning and releasing N pages that get_user_pages() already
 *           looked up (the design's part of gup: a reference and the
 *           policy's pin hook, then put_user_pages()), 1 and 512 pages a
 *           call, on one thread and on two threads pinning the same pages;
 *           floor: a bare atomic increment and decrement of the same
 *           pages' _refcount
 *   gup     the same with the whole of get_user_pages() (page table walk
 *           under mmap_sem), same floor
 *   wb      data-integrity writeback of a mapping whose every page was
 *           stored to; floor: sequential 4 KiB pwrite()s of the same bytes
 *           to a file of the same kind, in the same directory, as the
 *           model's block device
 *   mkclean page_mkclean() of a page mapped 1, 8, 64 and 512 times, every
 *           PTE dirty; floor: the single mapping's time, times the number
 *           of mappings (a linear walk)
 *   meta    struct page's size (floor: the kernel's 64 bytes) and the peak
 *           RSS of a machine per GiB it models (floor: the GiB of page
 *           frames itself), in a child process of its own
 *
 * Every policy of pin_policies[] is measured, back to back, round after
 * round. Within a round, the pin figures keep the fastest of 8 passes
 * and page_mkclean the median call: the host may be shared, and a pass
 * or a call that another process interrupted measures that process.
 * Each sample is one line of JSON on stdout:
 *
 *   {"figure": F, "unit": U, "policy": P, "round": R, "value": V,
 *    "floor": X, "floor_name": N}
 *
 * Usage: bench_model [--quick] [--rounds N] [--policy NAME]...
 *                    [--figure pin|wb|mkclean|meta]...
 * No figure is judged here; --quick makes every size tiny (a smoke test).
 */
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

static void bench_rss(const char *policy, int round);
static void bench_pin(const char *policy, int round);
static void bench_writeback(const char *policy, int round);
static void bench_mkclean(const char *policy, int round);

static int quick, rounds = 5;
static const char *only[8];
static int nr_only;

static const struct {
	const char *name;
	void (*fn)(const char *policy, int round);
} figures[] = {
	{ "meta", bench_rss },
	{ "pin", bench_pin },
	{ "wb", bench_writeback },
	{ "mkclean", bench_mkclean },
};
#define NR_FIGURES (sizeof(figures) / sizeof(figures[0]))
static bool figure_on[NR_FIGURES];

static struct {
	unsigned long pin_pages, pin_reps, wb_pages, wb_reps, mk_reps;
	unsigned long rss_pages;
} sz = { 2048, 8, 4096, 4, 200, 32768 };

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void sample(const char *figure, const char *unit, const char *policy,
		   int round, double value, double floor, const char *floor_name)
{
	printf("{\"figure\": \"%s\", \"unit\": \"%s\", \"policy\": \"%s\", "
	       "\"round\": %d, \"value\": %.6g, \"floor\": %.6g, "
	       "\"floor_name\": \"%s\"}\n",
	       figure, unit, policy, round, value, floor, floor_name);
	fflush(stdout);
}

static void die(const char *what)
{
	fprintf(stderr, "bench_model: %s\n", what);
	exit(1);
}

static int write_all(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n = fd < 0 ? -1 : write(fd, s, strlen(s));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static struct test_machine *boot(const struct tm_config *cfg)
{
	void *state = (void *)cfg;

	if (tm_setup(&state))
		die("cannot boot the machine");
	return state;
}

/* A machine whose file is @n pages, with room to cache all of them. */
static struct test_machine *boot_file(const char *policy, unsigned long n)
{
	const struct tm_config cfg = {
		.policy = policy, .blocksize = 4096, .memory_pages = n + 256,
		.size = n * PAGE_SIZE, .max_size = n * PAGE_SIZE,
	};

	return boot(&cfg);
}

static void shutdown(struct test_machine *tm)
{
	void *state = tm;

	tm_teardown(&state);
}

/* ---- pin and release -------------------------------------------------- */

enum pin_how { PIN_FLOOR, PIN_GRAB, PIN_GUP };

struct pinner {
	struct mm_struct *mm;
	unsigned long addr;
	struct page **pages;	/* what gup returned once, for FLOOR and GRAB */
	unsigned long npages, per_call, reps;
	enum pin_how how;
	pthread_barrier_t *start;
	double ns;		/* this thread's fastest pass */
};

/*
 * The design's part of get_user_pages() on pages already looked up: what
 * its loop does after __get_user_pages() took the reference.
 */
static void grab(struct page **pages, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		/* follow_page_mask()'s reference, then get_user_pages()'s pin */
		if (pin_ops.grab_page)
			pin_ops.grab_page(pages[i]);
		else
			get_page(pages[i]);
		if (pin_ops.pin_page)
			pin_ops.pin_page(pages[i]);
		count_vm_event(NR_FOLL_PIN_ACQUIRED);
	}
}

/*
 * PASSES passes of @reps each over the pages, the fastest kept: on a
 * host shared with other work, the pass that no other process
 * interrupted. (The rounds give the median and the spread.)
 */
#define PASSES 8

static void pin_pass(struct pinner *p)
{
	struct page *got[512];

	for (unsigned long r = 0; r < p->reps; r++) {
		for (unsigned long i = 0; i < p->npages; i += p->per_call) {
			struct page **pg = p->pages + i;
			unsigned long n = p->per_call;

			switch (p->how) {
			case PIN_FLOOR:
				for (unsigned long k = 0; k < n; k++)
					__atomic_add_fetch(&pg[k]->_refcount.counter,
							   1, __ATOMIC_SEQ_CST);
				for (unsigned long k = 0; k < n; k++)
					__atomic_sub_fetch(&pg[k]->_refcount.counter,
							   1, __ATOMIC_SEQ_CST);
				break;
			case PIN_GRAB:
				grab(pg, n);
				put_user_pages(pg, n);
				break;
			case PIN_GUP:
				if (get_user_pages(p->mm, p->addr + i * PAGE_SIZE,
						   n, FOLL_WRITE, got) != (long)n)
					die("get_user_pages came back short");
				put_user_pages(got, n);
				break;
			}
		}
	}
}

static void pin_loop(void *arg)
{
	struct pinner *p = arg;

	p->ns = 0;
	for (int pass = 0; pass < PASSES; pass++) {
		double t0, t;

		pthread_barrier_wait(p->start);
		t0 = now_ns();
		pin_pass(p);
		t = now_ns() - t0;
		if (!pass || t < p->ns)
			p->ns = t;
	}
}

/* ns per page pinned and released, per thread (wall time / its pages) */
static double pin_run(struct pinner *tmpl, enum pin_how how, int threads)
{
	struct pinner p[2];
	struct task_call tc;
	pthread_barrier_t start;
	double ns;

	pthread_barrier_init(&start, NULL, threads);
	for (int t = 0; t < threads; t++) {
		p[t] = *tmpl;
		p[t].how = how;
		p[t].start = &start;
	}
	if (threads == 2)
		task_call_start(&tc, pin_loop, &p[1], "bench-pinner");
	pin_loop(&p[0]);
	ns = p[0].ns;
	if (threads == 2) {
		if (!task_call_join(&tc))
			die("the second pinner died");
		ns = ns > p[1].ns ? ns : p[1].ns;
	}
	pthread_barrier_destroy(&start);
	return ns / ((double)tmpl->npages * tmpl->reps);
}

static void bench_pin(const char *policy, int round)
{
	const unsigned long n = sz.pin_pages;
	struct test_machine *tm = boot_file(policy, n);
	struct pinner tmpl = { .mm = tm->mm, .npages = n, .reps = sz.pin_reps };
	static const unsigned long per_call[] = { 1, 512 };

	tmpl.addr = tm_mmap(tm, tm->mm, 0, n, true);
	tmpl.pages = calloc(n, sizeof(*tmpl.pages));
	if (!tmpl.pages)
		die("out of memory");
	/* fault every page in for write, and keep the pointers */
	for (unsigned long i = 0; i < n; i += 512)
		if (get_user_pages(tm->mm, tmpl.addr + i * PAGE_SIZE, 512,
				   FOLL_WRITE, tmpl.pages + i) != 512)
			die("cannot fault the pages in");
	put_user_pages(tmpl.pages, n);

	for (int c = 0; c < 2; c++) {
		for (int threads = 1; threads <= 2; threads++) {
			char fig[96];
			double floor, grabbed, gup;

			tmpl.per_call = per_call[c];
			floor = pin_run(&tmpl, PIN_FLOOR, threads);
			grabbed = pin_run(&tmpl, PIN_GRAB, threads);
			gup = pin_run(&tmpl, PIN_GUP, threads);
			snprintf(fig, sizeof(fig),
				 "pin+release, %lu a call, %d thread%s",
				 per_call[c], threads, threads > 1 ? "s" : "");
			sample(fig, "ns/page", policy, round, grabbed, floor,
			       "atomic inc+dec");
			snprintf(fig, sizeof(fig),
				 "get_user_pages+release, %lu a call, %d thread%s",
				 per_call[c], threads, threads > 1 ? "s" : "");
			sample(fig, "ns/page", policy, round, gup, floor,
			       "atomic inc+dec");
		}
	}
	free(tmpl.pages);
	shutdown(tm);
}

/* ---- writeback of a dirtied mapping ------------------------------------ */

/* The floor: the same bytes, 4 KiB pwrite()s, to a file like the bdev's. */
static double pwrite_floor(unsigned long pages)
{
	const char *dir = getenv("TMPDIR");
	char path[256], buf[4096], *whole;
	double t0, t;
	int fd;

	snprintf(path, sizeof(path), "%s/pinmm-bench-XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		die("cannot create the pwrite floor's file");
	unlink(path);
	memset(buf, 0xa5, sizeof(buf));
	/*
	 * The model's device file gets the file's data at boot in one
	 * pwrite() per extent (ext4_create()): so does this one, because
	 * the host's page cache then holds it in large folios, and a 4 KiB
	 * write into one costs more than into a small one.
	 */
	if (ftruncate(fd, (off_t)pages * 4096))
		die("ftruncate");
	whole = malloc(pages * 4096);
	if (!whole)
		die("out of memory");
	memset(whole, 0x5a, pages * 4096);
	if (pwrite(fd, whole, pages * 4096, 0) != (ssize_t)(pages * 4096))
		die("pwrite");
	free(whole);
	t0 = now_ns();
	for (unsigned long i = 0; i < pages; i++)
		if (pwrite(fd, buf, 4096, (off_t)i * 4096) != 4096)
			die("pwrite");
	t = now_ns() - t0;
	close(fd);
	return t;
}

static void bench_writeback(const char *policy, int round)
{
	const unsigned long n = sz.wb_pages;
	struct test_machine *tm = boot_file(policy, n);
	unsigned long addr = tm_mmap(tm, tm->mm, 0, n, true);
	static char buf[4096];

	for (unsigned long r = 0; r < sz.wb_reps; r++) {
		double floor, t0, t;

		memset(buf, (int)r + 1, sizeof(buf));
		for (unsigned long i = 0; i < n; i++)
			if (user_store(tm->mm, addr + i * PAGE_SIZE, buf,
				       sizeof(buf)))
				die("store");
		floor = pwrite_floor(n);
		t0 = now_ns();
		tm_writeback(tm, WB_SYNC_ALL);
		t = now_ns() - t0;
		/* MB/s: bytes per microsecond */
		sample("writeback of a dirtied mapping", "MB/s", policy, round,
		       n * 4096.0 / (t / 1e3), n * 4096.0 / (floor / 1e3),
		       "sequential 4 KiB pwrite");
	}
	shutdown(tm);
}

/* ---- page_mkclean against the number of mappings ------------------------ */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median time of a call (a call the host interrupted is an outlier). */
static double mkclean_ns(struct test_machine *tm, struct page *page,
			 const unsigned long *addr, int maps)
{
	double *t = calloc(sz.mk_reps, sizeof(*t)), med;

	if (!t)
		die("out of memory");
	for (unsigned long r = 0; r < sz.mk_reps; r++) {
		double t0;

		for (int m = 0; m < maps; m++)
			if (user_store(tm->mm, addr[m], &r, 1))
				die("store");
		lock_page(page);
		t0 = now_ns();
		page_mkclean(page, false);
		t[r] = now_ns() - t0;
		unlock_page(page);
	}
	qsort(t, sz.mk_reps, sizeof(*t), cmp_double);
	med = t[sz.mk_reps / 2];
	free(t);
	return med;
}

static void bench_mkclean(const char *policy, int round)
{
	static const int maps[] = { 1, 8, 64, 512 };
	const struct tm_config cfg = {
		.policy = policy, .blocksize = 4096, .memory_pages = 256,
		.size = PAGE_SIZE, .max_size = PAGE_SIZE,
	};
	struct test_machine *tm = boot(&cfg);
	unsigned long addr[512];
	struct page *page;
	double one = 0;
	int mapped = 0;

	for (int k = 0; k < 4; k++) {
		char fig[64];
		double ns;

		if (quick && maps[k] > 8)
			break;
		while (mapped < maps[k]) {
			addr[mapped] = tm_mmap(tm, tm->mm, 0, 1, true);
			if (user_store(tm->mm, addr[mapped], "", 1))
				die("store");
			mapped++;
		}
		page = tm_cached_page(tm->inode->i_mapping, 0);
		ns = mkclean_ns(tm, page, addr, maps[k]);
		if (maps[k] == 1)
			one = ns;
		snprintf(fig, sizeof(fig), "page_mkclean, %d mapping%s",
			 maps[k], maps[k] > 1 ? "s" : "");
		sample(fig, "ns/call", policy, round, ns, one * maps[k],
		       "1 mapping x N");
	}
	shutdown(tm);
}

/* ---- metadata and memory -------------------------------------------------- */

/* @field ("VmHWM", "VmRSS") of /proc/self/status, in KiB */
static long status_kib(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	size_t len = strlen(field);
	char line[256];
	long kib = -1;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':' &&
		    sscanf(line + len + 1, "%ld", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

/*
 * In a child of its own, so that nothing else the bench did counts: boot
 * a machine whose file fills its memory, reset the peak RSS (the boot's
 * buffer of the file's initial bytes is gone by then), store to every
 * page of the file through a mapping, and report the peak less what the
 * process held before the boot (the bench's own memory, inherited from
 * its parent): page frames, struct pages, page tables, buffer heads.
 */
static void bench_rss(const char *policy, int round)
{
	const unsigned long n = sz.rss_pages;
	double modelled_mib = (n + 256) * PAGE_SIZE / 1048576.0;
	long kib = 0;
	int fd[2];
	pid_t pid;

	if (pipe(fd))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		long before = status_kib("VmRSS");
		struct test_machine *tm = boot_file(policy, n);
		unsigned long addr = tm_mmap(tm, tm->mm, 0, n, true);

		if (write_all("/proc/self/clear_refs", "5"))
			_exit(1);
		for (unsigned long i = 0; i < n; i++)
			if (user_store(tm->mm, addr + i * PAGE_SIZE, "x", 1))
				_exit(1);
		kib = status_kib("VmHWM") - before;
		if (write(fd[1], &kib, sizeof(kib)) != sizeof(kib))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	if (read(fd[0], &kib, sizeof(kib)) != sizeof(kib) || kib <= 0)
		die("the RSS child failed");
	close(fd[0]);
	waitpid(pid, NULL, 0);
	/* MiB of peak RSS per GiB of memory the machine models */
	sample("peak RSS per GiB modelled", "MiB", policy, round,
	       kib / 1024.0 * 1024 / modelled_mib, 1024,
	       "the GiB of page frames");
	sample("metadata per page (struct page)", "bytes", policy, round,
	       sizeof(struct page), 64, "the kernel's struct page");
}

static bool wanted(const char *policy)
{
	if (!nr_only)
		return true;
	for (int i = 0; i < nr_only; i++)
		if (!strcmp(only[i], policy))
			return true;
	return false;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_model [--quick] [--rounds N] [--policy NAME]...\n"
		"                   [--figure pin|wb|mkclean|meta]...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quick", no_argument, NULL, 'q' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "policy", required_argument, NULL, 'p' },
		{ "figure", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	bool some = false;
	char *end;
	size_t f;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'q':
			quick = 1;
			break;
		case 'r':
			rounds = strtol(optarg, &end, 10);
			if (*end || rounds < 1 || rounds > 1000) {
				fprintf(stderr, "bench_model: --rounds %s: expected 1 to 1000\n",
					optarg);
				usage();
			}
			break;
		case 'p':
			if (!pin_policy_find(optarg)) {
				fprintf(stderr, "bench_model: unknown policy %s\n",
					optarg);
				usage();
			}
			if (nr_only < 8)
				only[nr_only++] = optarg;
			break;
		case 'f':
			for (f = 0; f < NR_FIGURES; f++)
				if (!strcmp(figures[f].name, optarg))
					break;
			if (f == NR_FIGURES) {
				fprintf(stderr, "bench_model: unknown figure %s\n",
					optarg);
				usage();
			}
			figure_on[f] = some = true;
			break;
		default:
			usage();
		}
	}
	if (optind < argc)
		usage();
	if (quick) {
		rounds = 1;
		sz.pin_pages = 512;
		sz.pin_reps = 1;
		sz.wb_pages = 64;
		sz.wb_reps = 1;
		sz.mk_reps = 2;
		sz.rss_pages = 1024;
	}
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; pin_policies[i].name; i++) {
			const char *p = pin_policies[i].name;

			if (!wanted(p))
				continue;
			for (f = 0; f < NR_FIGURES; f++)
				if (!some || figure_on[f])
					figures[f].fn(p, r);
		}
	}
	return 0;
}
