// SPDX-License-Identifier: GPL-2.0
/*
 * The dpor search loses nothing: on small programs (two or three tasks, a
 * few loads and stores of a few words, spinlock, rwlock, mutex and rwsem
 * sections, stores
 * with preemption disabled, bit ops on a flags word and whole-word loads of
 * it, and the harness storing between two det_run() calls, run as real
 * tasks under the deterministic scheduler), the set of
 * end states dpor reaches equals the set that running every interleaving
 * reaches.  The programs are small enough that the unreduced search takes
 * milliseconds; the whole machine is tested against sampled runs instead
 * (test_explore.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched_det.h>
#include <linux/spinlock.h>

#include "../harness/dpor.h"
#include "../harness/strategy.h"

#define TASKS 3
#define OPS 4
#define WORDS 3

enum op_kind {
	LOAD,
	STORE,
	LOCKED_ADD,
	READ_LOCKED_LOAD,	/* read_lock(), load, read_unlock() */
	WRITE_LOCKED_ADD,	/* write_lock(), load, store, write_unlock() */
	NOPREEMPT_STORE,	/* a store with preemption disabled */
	SET_BIT,		/* set_bit() of bit @word of the flags word */
	TEST_BIT,
	TEST_AND_SET_BIT,
	FLAGS_LOAD,		/* READ_ONCE() of the whole flags word */
	SEM_READ_LOAD,		/* down_read(), load, up_read() */
	SEM_WRITE_ADD,		/* down_write(), load, store, up_write() */
	MUTEX_ADD,		/* mutex_lock(), load, store, mutex_unlock() */
	NR_RANDOM_OPS,
	/*
	 * A section whose data are plain accesses, as the model's code is
	 * under a lock, with a point on the task's own word in the middle:
	 * another task can find the lock taken.  Not in random programs,
	 * whose unlocked accesses to the word would race with the plain ones.
	 */
	PLAIN_LOCKED_ADD = NR_RANDOM_OPS,
	OWN_LOAD,		/* READ_ONCE() of the task's own word */
	/* Time: not in random programs, whose runs are too short for it. */
	WORK,			/* ten points on the task's own word: 0.5 us */
	CLOCK_LOAD,		/* ktime_get_us() */
	SLEEP,			/* fsleep(1): a timer 1 us on */
	NR_OPS
};

struct op {
	enum op_kind kind;
	int word;
};

struct prog {
	int nr_tasks;
	int nr_ops[TASKS];
	struct op op[TASKS][OPS];
	/*
	 * > 0: the harness stores 99 to word harness_word - 1 once task 0
	 * has finished, between two det_run() calls.
	 */
	int harness_word;
};

static const struct prog *prog;
static long mem[WORDS];
static unsigned long flags_word;
static long own[TASKS];
static long seen[TASKS][OPS];
static spinlock_t lock;
static rwlock_t rwlock;
static struct rw_semaphore sem;
static struct mutex mutex;
static int finished; /* by the tasks, for the harness: not a point */
static int task0_finished;

static void task_fn(void *arg)
{
	int t = (int)(intptr_t)arg;

	for (int i = 0; i < prog->nr_ops[t]; i++) {
		const struct op *o = &prog->op[t][i];

		switch (o->kind) {
		case LOAD:
			seen[t][i] = READ_ONCE(mem[o->word]);
			break;
		case STORE:
			WRITE_ONCE(mem[o->word], 10 * t + i + 1);
			break;
		case LOCKED_ADD: /* a critical section: lock, load, store */
			spin_lock(&lock);
			seen[t][i] = READ_ONCE(mem[o->word]);
			WRITE_ONCE(mem[o->word], seen[t][i] + t + 1);
			spin_unlock(&lock);
			break;
		case READ_LOCKED_LOAD:
			read_lock(&rwlock);
			seen[t][i] = READ_ONCE(mem[o->word]);
			read_unlock(&rwlock);
			break;
		case WRITE_LOCKED_ADD:
			write_lock(&rwlock);
			seen[t][i] = READ_ONCE(mem[o->word]);
			WRITE_ONCE(mem[o->word], seen[t][i] + t + 1);
			write_unlock(&rwlock);
			break;
		case SEM_READ_LOAD:
			down_read(&sem);
			seen[t][i] = READ_ONCE(mem[o->word]);
			up_read(&sem);
			break;
		case SEM_WRITE_ADD:
			down_write(&sem);
			seen[t][i] = READ_ONCE(mem[o->word]);
			WRITE_ONCE(mem[o->word], seen[t][i] + t + 1);
			up_write(&sem);
			break;
		case MUTEX_ADD:
			mutex_lock(&mutex);
			seen[t][i] = READ_ONCE(mem[o->word]);
			WRITE_ONCE(mem[o->word], seen[t][i] + t + 1);
			mutex_unlock(&mutex);
			break;
		case NOPREEMPT_STORE:
			preempt_disable();
			WRITE_ONCE(mem[o->word], 10 * t + i + 1);
			preempt_enable();
			break;
		case SET_BIT:
			set_bit((unsigned int)o->word, &flags_word);
			break;
		case TEST_BIT:
			seen[t][i] = test_bit((unsigned int)o->word, &flags_word);
			break;
		case TEST_AND_SET_BIT:
			seen[t][i] = test_and_set_bit((unsigned int)o->word,
						      &flags_word);
			break;
		case FLAGS_LOAD:
			seen[t][i] = (long)READ_ONCE(flags_word);
			break;
		case PLAIN_LOCKED_ADD:
			spin_lock(&lock);
			seen[t][i] = mem[o->word];
			(void)READ_ONCE(own[t]);
			mem[o->word] = seen[t][i] + t + 1;
			spin_unlock(&lock);
			break;
		case OWN_LOAD:
			(void)READ_ONCE(own[t]);
			break;
		case WORK:
			for (int k = 0; k < 10; k++)
				(void)READ_ONCE(own[t]);
			break;
		case CLOCK_LOAD:
			seen[t][i] = (long)ktime_get_us();
			break;
		case SLEEP:
			fsleep(1);
			break;
		case NR_OPS:
			break;
		}
	}
	if (!t)
		__atomic_store_n(&task0_finished, 1, __ATOMIC_RELEASE);
	__atomic_add_fetch(&finished, 1, __ATOMIC_RELEASE);
}

static bool first_finished(void *arg)
{
	(void)arg;
	return __atomic_load_n(&task0_finished, __ATOMIC_ACQUIRE);
}

static bool all_finished(void *arg)
{
	(void)arg;
	return __atomic_load_n(&finished, __ATOMIC_ACQUIRE) == prog->nr_tasks;
}

static uint64_t end_state(void)
{
	uint64_t h = 0x2545f4914f6cdd1dULL;

	for (int w = 0; w < WORDS; w++)
		h = (h ^ (uint64_t)mem[w]) * 0x9e3779b97f4a7c15ULL;
	h = (h ^ flags_word) * 0x9e3779b97f4a7c15ULL;
	for (int t = 0; t < TASKS; t++)
		for (int i = 0; i < OPS; i++)
			h = (h ^ (uint64_t)seen[t][i]) * 0x9e3779b97f4a7c15ULL;
	return h;
}

/* One run of the program under @spec, following @forced first. */
static uint64_t run_prog(const char *spec, const struct pinmm_decision *forced,
			 int nr_forced, struct pinmm_result *r)
{
	struct task_struct *t[TASKS], *hung;
	struct decision f[512];
	struct strategy s;
	char err[64];
	uint64_t h;

	assert_int_equal(strategy_parse(&s, spec, 0, 0, err, sizeof(err)), 0);
	assert_true(nr_forced <= 512);
	for (int i = 0; i < nr_forced; i++)
		f[i] = (struct decision){.pid = forced[i].pid,
					 .explored = forced[i].explored};
	s.forced = f;
	s.nr_forced = (size_t)nr_forced;
	memset(mem, 0, sizeof(mem));
	flags_word = 0;
	memset(seen, 0, sizeof(seen));
	finished = 0;
	task0_finished = 0;
	spin_lock_init(&lock);
	rwlock_init(&rwlock);
	init_rwsem(&sem);
	mutex_init(&mutex);
	sched_init(1);
	det_init(&s.ops, 0);
	for (int i = 0; i < prog->nr_tasks; i++)
		t[i] = kthread_run(task_fn, (void *)(intptr_t)i, "t");
	if (prog->harness_word) {
		assert_int_equal(det_run(first_finished, NULL, false, 0, 0, &hung),
				 DET_DONE);
		WRITE_ONCE(mem[prog->harness_word - 1], 99);
	}
	assert_int_equal(det_run(all_finished, NULL, false, 0, 0, &hung), DET_DONE);
	for (int i = 0; i < prog->nr_tasks; i++) {
		task_join(t[i]);
		task_free(t[i]);
	}
	det_exit();
	destroy_rwsem(&sem);
	mutex_destroy(&mutex);
	h = end_state();
	memset(r, 0, sizeof(*r));
	r->nr_decisions = (int)s.nr_log;
	r->decisions = calloc(s.nr_log + 1, sizeof(*r->decisions));
	assert_non_null(r->decisions);
	for (size_t i = 0; i < s.nr_log; i++)
		r->decisions[i] = (struct pinmm_decision){
			.pid = s.log[i].pid,
			.runnable = s.log[i].runnable,
			.sleep = s.log[i].sleep,
			.explored = s.log[i].explored,
		};
	dpor_take_events(&s, r);
	strategy_free(&s);
	return h;
}

static void result_free(struct pinmm_result *r)
{
	free(r->decisions);
	free(r->events);
}

struct states {
	uint64_t h[4096];
	int nr;
	int runs;
};

static void add_state(struct states *st, uint64_t h)
{
	st->runs++;
	for (int i = 0; i < st->nr; i++)
		if (st->h[i] == h)
			return;
	assert_true(st->nr < 4096);
	st->h[st->nr++] = h;
}

/*
 * Every interleaving: the same tree walk as dpor's, with every task
 * to be tried at every choice and no sleep sets.
 */
static void explore(bool reduce, struct states *st)
{
	struct dpor_tree t = {0};
	struct pinmm_decision *prefix = NULL;
	int nr_prefix = 0;

	memset(st, 0, sizeof(*st));
	for (;;) {
		struct pinmm_result r;

		add_state(st, run_prog(reduce ? "dpor" : "fifo", prefix,
				       nr_prefix, &r));
		free(prefix);
		prefix = NULL;
		assert_int_equal(dpor_tree_grow(&t, &r), 0);
		if (reduce) {
			assert_int_equal(dpor_add_races(&t, &r), 0);
		} else {
			for (int d = 0; d < t.nr; d++) {
				t.node[d].backtrack = t.node[d].runnable;
				t.node[d].sleep = 0;
			}
		}
		result_free(&r);
		if (dpor_next(&t, true, &prefix, &nr_prefix) <= 0)
			break;
		assert_true(st->runs < 100000);
	}
	dpor_tree_free(&t);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int total_all, total_reduced;

/* dpor's end states are every interleaving's, in no more runs; its runs. */
static int check_prog(const struct prog *p, int *nr_states)
{
	static struct states all, reduced;

	prog = p;
	explore(false, &all);
	explore(true, &reduced);
	qsort(all.h, (size_t)all.nr, sizeof(all.h[0]), cmp_u64);
	qsort(reduced.h, (size_t)reduced.nr, sizeof(reduced.h[0]), cmp_u64);
	assert_int_equal(reduced.nr, all.nr);
	assert_memory_equal(reduced.h, all.h,
			    (size_t)all.nr * sizeof(all.h[0]));
	assert_true(reduced.runs <= all.runs);
	total_all += all.runs;
	total_reduced += reduced.runs;
	if (nr_states)
		*nr_states = all.nr;
	return reduced.runs;
}

/* check_prog(), and the unreduced search reaches @nr end states. */
static void check_prog_states(const struct prog *p, int nr)
{
	int states;

	check_prog(p, &states);
	assert_int_equal(states, nr);
}

/* Two stores racing with a load: the load sees 0, 1 or 11 (three states). */
static void test_store_store_load(void **state)
{
	const struct prog p = {
		.nr_tasks = 3,
		.nr_ops = {1, 1, 1},
		.op = {{{STORE, 0}}, {{STORE, 0}}, {{LOAD, 0}}},
	};

	(void)state;
	check_prog(&p, NULL);
}

static void test_locked_increments(void **state)
{
	const struct prog p = {
		.nr_tasks = 3,
		.nr_ops = {2, 2, 1},
		.op = {{{LOCKED_ADD, 0}, {LOAD, 1}},
		       {{STORE, 1}, {LOCKED_ADD, 0}},
		       {{LOAD, 0}}},
	};

	(void)state;
	check_prog(&p, NULL);
}

/*
 * Readers of one rwlock commute; writers do not.  Two tasks each take the
 * lock twice around loads of different words: as readers, dpor needs no
 * more runs than the top of its tree always tries (see dpor_ours()); as
 * writers, every order of the four sections is its own trace.
 */
static void test_rwlock_readers_commute(void **state)
{
	const struct prog readers = {
		.nr_tasks = 2,
		.nr_ops = {2, 2},
		.op = {{{READ_LOCKED_LOAD, 0}, {READ_LOCKED_LOAD, 0}},
		       {{READ_LOCKED_LOAD, 1}, {READ_LOCKED_LOAD, 1}}},
	};
	const struct prog writers = {
		.nr_tasks = 2,
		.nr_ops = {2, 2},
		.op = {{{WRITE_LOCKED_ADD, 0}, {WRITE_LOCKED_ADD, 0}},
		       {{WRITE_LOCKED_ADD, 1}, {WRITE_LOCKED_ADD, 1}}},
	};
	int r = check_prog(&readers, NULL), w = check_prog(&writers, NULL);

	(void)state;
	print_message("rwlock: readers %d runs, writers %d\n", r, w);
	assert_true(r < w);
}

/*
 * The same for a sleeping lock: readers of one rw_semaphore commute, and
 * a task that finds it taken sleeps until the holder lets go (each
 * section has a point inside, where the other task can try the lock).
 * Writers of a mutex are every order again.
 */
static void test_rwsem_readers_commute(void **state)
{
	const struct prog readers = {
		.nr_tasks = 2,
		.nr_ops = {2, 2},
		.op = {{{SEM_READ_LOAD, 0}, {SEM_READ_LOAD, 0}},
		       {{SEM_READ_LOAD, 1}, {SEM_READ_LOAD, 1}}},
	};
	const struct prog writers = {
		.nr_tasks = 2,
		.nr_ops = {2, 2},
		.op = {{{SEM_WRITE_ADD, 0}, {SEM_WRITE_ADD, 0}},
		       {{SEM_WRITE_ADD, 1}, {SEM_WRITE_ADD, 1}}},
	};
	const struct prog mutexes = {
		.nr_tasks = 2,
		.nr_ops = {2, 2},
		.op = {{{MUTEX_ADD, 0}, {MUTEX_ADD, 0}},
		       {{MUTEX_ADD, 1}, {MUTEX_ADD, 1}}},
	};
	int r = check_prog(&readers, NULL), w = check_prog(&writers, NULL);
	int m = check_prog(&mutexes, NULL);

	(void)state;
	print_message("rwsem: readers %d runs, writers %d; mutex %d\n", r, w, m);
	assert_true(r < w);
	assert_int_equal(m, w);
}

/*
 * Two writers of one word under a sleeping lock: the word ends at 3
 * whoever goes first, and each sees 0 or the other's 1 or 2.  A lost
 * update (both see 0) would be a third state: the lock's look and take
 * must be one step.
 */
static void test_sleeping_lock_sections_exclude(void **state)
{
	const struct prog sem_writers = {
		.nr_tasks = 2,
		.nr_ops = {1, 1},
		.op = {{{SEM_WRITE_ADD, 0}}, {{SEM_WRITE_ADD, 0}}},
	};
	const struct prog mutex_writers = {
		.nr_tasks = 2,
		.nr_ops = {1, 1},
		.op = {{{MUTEX_ADD, 0}}, {{MUTEX_ADD, 0}}},
	};

	(void)state;
	check_prog_states(&sem_writers, 2);
	check_prog_states(&mutex_writers, 2);
}

/*
 * The order of two sections whose data the search does not see (plain
 * accesses under the lock) is the order of their acquisitions, and dpor
 * must run both.  (Here the top of the tree, which tries every task, runs
 * both whatever the races say; the record tests below check where a
 * lock's races are reversed.)
 */
static void test_sections_ordered_by_their_lock_alone(void **state)
{
	const struct prog p = {
		.nr_tasks = 2,
		.nr_ops = {3, 3},
		.op = {{{OWN_LOAD, 0}, {OWN_LOAD, 0}, {PLAIN_LOCKED_ADD, 0}},
		       {{OWN_LOAD, 0}, {OWN_LOAD, 0}, {PLAIN_LOCKED_ADD, 0}}},
	};

	(void)state;
	check_prog_states(&p, 2); /* who went first */
}

/*
 * What a task reads of the clock follows from what happens before its
 * read, not from how many steps of an unrelated task the schedule put
 * first: every task's time is its own (kernel/sched/det.c).  With one
 * clock that every step moved, the second read here would see 1 or 2 us
 * as task 0's work fell before or after it, and dpor, which takes the
 * two tasks as independent, would run only one of them.
 */
static void test_a_clock_read_follows_from_its_past(void **state)
{
	const struct prog p = {
		.nr_tasks = 2,
		.nr_ops = {2, 2},
		.op = {{{WORK, 0}, {WORK, 0}}, {{CLOCK_LOAD, 0}, {CLOCK_LOAD, 0}}},
	};

	(void)state;
	check_prog_states(&p, 1);
}

/*
 * A timer: task 1 sleeps 1 us, then loads the word task 0 stores after
 * 1 us of work, and reads the clock.  The timer expires when task 0's
 * time reaches it; the load sees either value (the woken task and the
 * store race, and nothing records who made the sleeper runnable), and
 * the clock reads the deadline, whoever ran in the meantime.
 */
static void test_a_timer_wakes_at_its_deadline(void **state)
{
	const struct prog p = {
		.nr_tasks = 2,
		.nr_ops = {3, 3},
		.op = {{{WORK, 0}, {WORK, 0}, {STORE, 0}},
		       {{SLEEP, 0}, {LOAD, 0}, {CLOCK_LOAD, 0}}},
	};

	(void)state;
	check_prog_states(&p, 2);
}

/*
 * What the scheduler records when a task finds a lock taken: its attempt
 * as a failed step on the lock, and its retry as woken by the step that
 * released it.  Task 0 takes the lock and stops at the point inside its
 * section; task 1 then tries the lock.
 */
static void test_a_failed_acquisition_is_recorded_as_such(void **state)
{
	const struct prog p = {
		.nr_tasks = 2,
		.nr_ops = {1, 1},
		.op = {{{PLAIN_LOCKED_ADD, 0}}, {{PLAIN_LOCKED_ADD, 0}}},
	};
	struct pinmm_decision forced[8];
	struct pinmm_result r;
	int failed = -1, release = -1, retry = -1;

	(void)state;
	prog = &p;
	/* Task 0 (pid 1) into its section, then task 1 (pid 2), twice. */
	for (int i = 0; i < 8; i++)
		forced[i] = (struct pinmm_decision){.pid = i < 2 ? 1 : 2};
	run_prog("dpor", forced, 4, &r);
	for (int k = 0; k < r.nr_events; k++) {
		const struct pinmm_event *e = &r.events[k];

		if (e->failed) {
			assert_int_equal(failed, -1);
			assert_int_equal(e->pid, 2);
			assert_int_equal(e->nr_objs, 1);
			assert_ptr_equal(e->obj[0], &lock);
			failed = k;
		} else if (failed >= 0 && release < 0 && e->pid == 1) {
			for (int i = 0; i < e->nr_objs; i++)
				if (e->obj[i] == &lock)
					release = k;
		} else if (failed >= 0 && retry < 0 && e->pid == 2) {
			retry = k;
		}
	}
	assert_true(failed >= 0 && release > failed && retry > release);
	assert_int_equal(r.events[retry].waker, release);
	assert_ptr_equal(r.events[retry].obj[0], &lock);
	assert_false(r.events[retry].failed);
	result_free(&r);
}

/*
 * The analysis of a run's record @ev, with tasks 1 to 3 runnable at each
 * of its choices (the steps whose .decision is set, in order), into @t.
 */
static void analyse_record(struct pinmm_event *ev, int nr_events,
			   struct dpor_tree *t)
{
	struct pinmm_decision dec[8];
	struct pinmm_result r = {.decisions = dec, .events = ev,
				 .nr_events = nr_events};

	for (int i = 0; i < nr_events; i++) {
		if (ev[i].decision < 0)
			continue;
		assert_int_equal(ev[i].decision, r.nr_decisions);
		assert_true(r.nr_decisions < 8);
		dec[r.nr_decisions++] = (struct pinmm_decision){
			.pid = ev[i].pid, .runnable = 1u << 1 | 1u << 2 | 1u << 3};
	}
	memset(t, 0, sizeof(*t));
	assert_int_equal(dpor_tree_grow(t, &r), 0);
	assert_int_equal(dpor_add_races(t, &r), 0);
}

/*
 * The same, as the analysis sees a run (dpor_add_races() on a record):
 * after two choices of task 3's, task 1 takes lock L (choice 2), runs in
 * its section (3), task 2 finds L taken (4), task 1 releases it, which
 * lets task 2 try again.  The attempt races with the acquisition: task 2
 * is to be tried at choice 2.  It does not race with the release (trying
 * task 1 at choice 4 would run the same order of the sections again), nor
 * does the retry, which the release woke.
 */
static void test_a_failed_acquisition_races_with_the_holders_alone(void **state)
{
	static int l, x, y, z;
	struct pinmm_event ev[] = {
		{.pid = 3, .decision = 0, .waker = -1, .nr_objs = 1, .obj = {&z}},
		{.pid = 3, .decision = 1, .waker = -1, .nr_objs = 1, .obj = {&z}},
		{.pid = 1, .decision = 2, .waker = -1, .nr_objs = 1, .obj = {&l}},
		{.pid = 1, .decision = 3, .waker = -1, .nr_objs = 1, .obj = {&x}},
		{.pid = 2, .decision = 4, .waker = -1, .nr_objs = 1, .obj = {&l},
		 .failed = true},
		{.pid = 1, .decision = -1, .waker = -1, .nr_objs = 2,
		 .obj = {&y, &l}},
		{.pid = 2, .decision = -1, .waker = 5, .nr_objs = 1, .obj = {&l}},
	};
	struct dpor_tree t;

	(void)state;
	analyse_record(ev, 7, &t);
	assert_int_equal(t.node[2].backtrack, 1u << 1 | 1u << 2);
	assert_int_equal(t.node[3].backtrack, 1u << 1);
	assert_int_equal(t.node[4].backtrack, 1u << 2);
	dpor_tree_free(&t);
}

/*
 * Task 1 takes lock L (choice 2), runs in its section (3) and releases L
 * in a step that begins with a store to its own word (4); task 2 then
 * takes L (5).  Task 2 could not have taken L anywhere before the release
 * once task 1 held it: the race is with task 1's acquisition (task 2 is
 * to be tried at choice 2), not with the release (at choice 4 it could
 * only find L taken).  A try (spin_trylock()) would fail there instead,
 * another outcome: that race stays at the release.
 */
static void test_an_acquisition_races_with_the_holders_acquisition(void **state)
{
	static int l, x, y, z;
	struct pinmm_event ev[] = {
		{.pid = 3, .decision = 0, .waker = -1, .nr_objs = 1, .obj = {&z}},
		{.pid = 3, .decision = 1, .waker = -1, .nr_objs = 1, .obj = {&z}},
		{.pid = 1, .decision = 2, .waker = -1, .nr_objs = 1, .obj = {&l}},
		{.pid = 1, .decision = 3, .waker = -1, .nr_objs = 1, .obj = {&x}},
		{.pid = 1, .decision = 4, .waker = -1, .nr_objs = 2,
		 .obj = {&y, &l}, .releases = 1u << 1},
		{.pid = 2, .decision = 5, .waker = -1, .nr_objs = 1, .obj = {&l}},
	};

	(void)state;
	for (int try = 0; try < 2; try++) {
		struct dpor_tree t;

		ev[5].trylock = try;
		analyse_record(ev, 6, &t);
		assert_int_equal(t.node[2].backtrack,
				 try ? 1u << 1 : 1u << 1 | 1u << 2);
		assert_int_equal(t.node[4].backtrack,
				 try ? 1u << 1 | 1u << 2 : 1u << 1);
		dpor_tree_free(&t);
	}
}

/*
 * A store with preemption disabled is no scheduling point, but the step
 * that runs it touches the word: a load in another task races with it.
 */
static void test_store_without_preemption(void **state)
{
	const struct prog p = {
		.nr_tasks = 2,
		.nr_ops = {2, 1},
		.op = {{{LOAD, 1}, {NOPREEMPT_STORE, 0}}, {{LOAD, 0}}},
	};

	(void)state;
	check_prog(&p, NULL);
}

/*
 * The harness's store between two runs is part of the step that ended the
 * first: a task's load of that word sees 0 or 99.
 */
static void test_harness_between_runs(void **state)
{
	const struct prog p = {
		.nr_tasks = 2,
		.nr_ops = {1, 2},
		.op = {{{STORE, 1}}, {{LOAD, 0}, {LOAD, 1}}},
		.harness_word = 1,
	};

	(void)state;
	check_prog(&p, NULL);
}

/*
 * Bit ops on different bits of one word commute; on one bit they do not.
 * Two tasks each test-and-set two bits: on bits of their own, no more
 * runs than the top of dpor's tree always tries; on the same two bits,
 * each order of the pairs is its own trace.
 */
static void test_bits_of_one_word_commute(void **state)
{
	const struct prog apart = {
		.nr_tasks = 2,
		.nr_ops = {2, 2},
		.op = {{{TEST_AND_SET_BIT, 0}, {TEST_AND_SET_BIT, 1}},
		       {{TEST_AND_SET_BIT, 2}, {SET_BIT, 2}}},
	};
	const struct prog together = {
		.nr_tasks = 2,
		.nr_ops = {2, 2},
		.op = {{{TEST_AND_SET_BIT, 0}, {TEST_AND_SET_BIT, 1}},
		       {{TEST_AND_SET_BIT, 1}, {TEST_AND_SET_BIT, 0}}},
	};
	int a, b, states;

	(void)state;
	a = check_prog(&apart, &states);
	assert_int_equal(states, 1);
	b = check_prog(&together, &states);
	/* Both bits to one task, or bit 0 to task 0 and bit 1 to task 1. */
	assert_int_equal(states, 3);
	print_message("bits: apart %d runs, together %d\n", a, b);
	assert_true(a < b);
}

/*
 * A load of the whole word conflicts with every bit's write: it sees
 * none, the first, or both of another task's two bits (three states),
 * and a test_bit() of a bit no one sets sees 0 in every order.
 */
static void test_word_load_sees_every_bit(void **state)
{
	const struct prog p = {
		.nr_tasks = 2,
		.nr_ops = {2, 2},
		.op = {{{SET_BIT, 0}, {SET_BIT, 2}},
		       {{TEST_BIT, 1}, {FLAGS_LOAD, 0}}},
	};
	int states;

	(void)state;
	check_prog(&p, &states);
	assert_int_equal(states, 3);
}

static u64 rng = 42;

static unsigned int rnd(unsigned int n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)(rng >> 33) % n;
}

/*
 * The harness's store after task 0 has finished lands before task 1's
 * section on the word, inside it (task 1 preempted between its load and
 * its store) or after it: three end states.  In the schedule that runs
 * task 1 to its end first, every task has exited by the time the harness
 * stores, and the store must still be recorded, or its race with task 1's
 * store is never reversed and the middle state is lost (found by the
 * random programs once they had sleeping locks).
 */
static void test_harness_after_every_task_exited(void **state)
{
	const struct prog p = {
		.nr_tasks = 2,
		.nr_ops = {1, 3},
		.op = {{{TEST_BIT, 2}},
		       {{READ_LOCKED_LOAD, 1}, {LOAD, 0}, {WRITE_LOCKED_ADD, 2}}},
		.harness_word = 3,
	};

	(void)state;
	check_prog_states(&p, 3);
}

/*
 * Random programs of two or three tasks on two or three words, small
 * enough for every interleaving: three tasks get two ops each at most and
 * no critical section (each is three points).
 */
static void test_random_programs(void **state)
{
	int n = getenv("PINMM_TEST_RUNS") ? 4 : 40;

	(void)state;
	for (int k = 0; k < n; k++) {
		struct prog p = {.nr_tasks = 2 + (int)rnd(2)};
		int words = 2 + (int)rnd(2);

		for (int t = 0; t < p.nr_tasks; t++) {
			p.nr_ops[t] = 1 + (int)rnd(p.nr_tasks == 2 ? 3 : 2);
			for (int i = 0; i < p.nr_ops[t]; i++) {
				/* Three tasks: no sections (each is three points). */
				enum op_kind kind =
					p.nr_tasks == 2 ? rnd(NR_RANDOM_OPS) :
					(enum op_kind[]){LOAD, STORE,
							 NOPREEMPT_STORE, SET_BIT,
							 TEST_AND_SET_BIT,
							 FLAGS_LOAD}[rnd(6)];

				p.op[t][i] = (struct op){
					kind, (int)rnd((unsigned int)words)};
			}
		}
		p.harness_word = (int)rnd((unsigned int)words + 1);
		check_prog(&p, NULL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_store_load),
		cmocka_unit_test(test_locked_increments),
		cmocka_unit_test(test_rwlock_readers_commute),
		cmocka_unit_test(test_rwsem_readers_commute),
		cmocka_unit_test(test_sleeping_lock_sections_exclude),
		cmocka_unit_test(test_store_without_preemption),
		cmocka_unit_test(test_sections_ordered_by_their_lock_alone),
		cmocka_unit_test(test_a_clock_read_follows_from_its_past),
		cmocka_unit_test(test_a_timer_wakes_at_its_deadline),
		cmocka_unit_test(test_a_failed_acquisition_is_recorded_as_such),
		cmocka_unit_test(test_a_failed_acquisition_races_with_the_holders_alone),
		cmocka_unit_test(test_an_acquisition_races_with_the_holders_acquisition),
		cmocka_unit_test(test_harness_between_runs),
		cmocka_unit_test(test_harness_after_every_task_exited),
		cmocka_unit_test(test_bits_of_one_word_commute),
		cmocka_unit_test(test_word_load_sees_every_bit),
		cmocka_unit_test(test_random_programs),
	};

	int ret = cmocka_run_group_tests(tests, NULL, NULL);

	print_message("every interleaving: %d runs; dpor: %d\n", total_all,
		      total_reduced);
	return ret;
}
