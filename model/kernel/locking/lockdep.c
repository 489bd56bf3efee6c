// SPDX-License-Identifier: GPL-2.0
/*
 * Lock-order checking in the spirit of lockdep.
 *
 * A lock class is a lock's initialisation site, named by the text of its
 * spin_lock_init() / mutex_init() / init_rwsem() / init_waitqueue_head()
 * argument, as lockdep keys a class by the static key of that call site:
 * all the inodes' "&mapping->private_lock" are one class.  Every
 * acquisition while other locks are held records the edges
 * held-class -> new-class, each with the first chain that made it; an
 * acquisition whose new edge closes a cycle is an inversion, reported
 * with both chains, whether or not this run deadlocked on it.
 *
 * Bit locks (PG_locked, BH_Lock) are not classes, as in the kernel.
 *
 * Locking: lockdep_lock, a host mutex of this file; it is taken inside
 * the lock being acquired and takes nothing else.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/lockdep.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/vmstat.h>

#define MAX_LOCK_CLASSES 128
#define CHAIN_LEN 200

struct lock_edge {
	bool set;
	char chain[CHAIN_LEN];
};

static pthread_mutex_t lockdep_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *class_names[MAX_LOCK_CLASSES];
static int nr_classes;
static struct lock_edge edges[MAX_LOCK_CLASSES][MAX_LOCK_CLASSES];
static char report[2048];
static int inversions;
/* The class of a name pointer: see class_of(). */
#define CLASS_CACHE 512		/* a power of two */
static struct {
	const char *name;
	int class;
} class_cache[CLASS_CACHE];

void lockdep_reset(void)
{
	pthread_mutex_lock(&lockdep_lock);
	/*
	 * Only the classes the last run met have edges, and an edge's chain
	 * is written when it is set: clearing the whole matrix (3 MB) took
	 * an eighth of an exploration's time, one boot per schedule.
	 */
	for (int i = 0; i < nr_classes; i++)
		for (int j = 0; j < nr_classes; j++)
			edges[i][j].set = false;
	nr_classes = 0;
	memset(class_cache, 0, sizeof(class_cache));
	report[0] = '\0';
	inversions = 0;
	pthread_mutex_unlock(&lockdep_lock);
}

const char *lockdep_report(void)
{
	return report;
}

int lockdep_inversions(void)
{
	return inversions;
}

/*
 * Names are string literals of their init site: compare by text.  Every
 * acquisition looks up its lock's class and those of the locks held, so
 * the class of each name pointer met is kept in a small hash table,
 * emptied with the classes.  A class's text is in class_names[] once, so
 * a pointer's class found by text stays its class.
 */
static inline unsigned int class_hash(const char *name)
{
	return (unsigned int)(((uintptr_t)name * 0x9e3779b97f4a7c15ULL) >> 55) &
	       (CLASS_CACHE - 1);
}

static int class_lookup(const char *name)
{
	for (int i = 0; i < nr_classes; i++)
		if (class_names[i] == name)
			return i;
	for (int i = 0; i < nr_classes; i++)
		if (!strcmp(class_names[i], name))
			return i;
	if (nr_classes == MAX_LOCK_CLASSES)
		return -1;
	class_names[nr_classes] = name;
	return nr_classes++;
}

static int class_of(const char *name)
{
	unsigned int h = class_hash(name);
	int class;

	for (int probe = 0; probe < 8; probe++, h = (h + 1) & (CLASS_CACHE - 1)) {
		if (class_cache[h].name == name)
			return class_cache[h].class;
		if (!class_cache[h].name)
			break;
	}
	class = class_lookup(name);
	if (class >= 0 && !class_cache[h].name) {
		class_cache[h].name = name;
		class_cache[h].class = class;
	}
	return class;
}

/* Is there a path @from ->* @to?  Depth-first over the edge matrix. */
static bool reaches(int from, int to, bool *seen, int *path, int *len)
{
	if (from == to) {
		path[(*len)++] = to;
		return true;
	}
	seen[from] = true;
	for (int next = 0; next < nr_classes; next++) {
		if (!edges[from][next].set || seen[next])
			continue;
		if (reaches(next, to, seen, path, len)) {
			path[(*len)++] = from;
			return true;
		}
	}
	return false;
}

static void describe_chain(struct task_struct *t, const char *name, char *buf,
			   size_t len)
{
	size_t used = (size_t)snprintf(buf, len, "%s:", t->comm);

	for (int i = 0; i < t->lockdep_depth && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, " %s ->",
					 t->held_locks[i].name);
	if (used < len)
		snprintf(buf + used, len - used, " %s", name);
}

static void report_inversion(struct task_struct *t, int held, int new,
			     const char *name)
{
	bool seen[MAX_LOCK_CLASSES] = { false };
	int path[MAX_LOCK_CLASSES], len = 0;
	char now[CHAIN_LEN];
	size_t used;

	reaches(new, held, seen, path, &len);
	describe_chain(t, name, now, sizeof(now));
	inversions++;
	count_vm_event(LOCKDEP_INVERSIONS);
	if (report[0])
		return;
	used = (size_t)snprintf(report, sizeof(report),
				"possible circular locking dependency: %s -> %s, but %s -> ... -> %s was seen\n"
				"  this chain:  %s\n",
				class_names[held], class_names[new],
				class_names[new], class_names[held], now);
	/* path[] is to..from reversed: walk it from @new to @held. */
	for (int i = len - 1; i > 0 && used < sizeof(report); i--)
		used += (size_t)snprintf(report + used, sizeof(report) - used,
					 "  other chain: %s\n",
					 edges[path[i]][path[i - 1]].chain);
}

/*
 * @t is acquiring the lock named @name; its held locks are
 * t->held_locks[0 .. lockdep_depth).
 */
void lockdep_acquire(struct task_struct *t, const char *name)
{
	int new;

	if (!t || !name)
		return;
	pthread_mutex_lock(&lockdep_lock);
	new = class_of(name);
	for (int i = 0; new >= 0 && i < t->lockdep_depth; i++) {
		int held = class_of(t->held_locks[i].name);
		struct lock_edge *e;

		if (held < 0 || held == new)
			continue;
		e = &edges[held][new];
		if (e->set)
			continue;
		{
			bool seen[MAX_LOCK_CLASSES] = { false };
			int path[MAX_LOCK_CLASSES], len = 0;

			if (reaches(new, held, seen, path, &len))
				report_inversion(t, held, new, name);
		}
		e->set = true;
		describe_chain(t, name, e->chain, sizeof(e->chain));
	}
	pthread_mutex_unlock(&lockdep_lock);
	if (inversions == 1 && report[0] && !t->lockdep_reported) {
		t->lockdep_reported = true;
		pr_warn("WARNING: possible circular locking dependency detected\n%s",
			report);
	}
}
