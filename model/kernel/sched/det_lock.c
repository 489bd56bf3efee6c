// SPDX-License-Identifier: GPL-2.0
/*
 * Locks under the deterministic scheduler (det.c): a task that finds a
 * spinlock, an rwlock_t, a mutex or an rw_semaphore taken against it is
 * BLOCKED until a release lets it try again (det_wait_for_lock()), which
 * is what spinning amounts to when one task runs at a time, and what
 * sleeping on the lock's wait queue amounts to for the sleeping locks
 * (they set the wait channel around it); and every release is told to a search that records steps, a
 * writer's as a write of the lock, a reader's as a read.  The attempt that
 * found the lock taken is told too: it changed nothing, so no later step
 * depends on it (it would otherwise race with the holder's release, and
 * the search would run the attempt after the release as another trace of
 * the same order of the sections); and the release that lets the spinners
 * try again wakes them, as a wake-up does.
 *
 * Locking: none; everything here runs on one host thread.
 */
#include <linux/bug.h>

#include "det_internal.h"

static void __det_block_on_lock(const void *lock, const char *name, bool read)
{
	struct task_struct *cur = current;
	struct det_task *d = cur->det;

	set_wait_lock(d, lock);
	d->wait_lock_name = name;
	set_state(d, DET_BLOCKED);
	note(DET_NOTE_BLOCKED, NULL, lock);
	d->pending = lock;	/* when it runs again, it retries the lock */
	d->pending_load = read;
	det_switch_to_main(cur, false);
	set_wait_lock(d, NULL);
	d->pending = NULL;
	d->pending_load = false;
}

void det_lock_acquired(const void *lock)
{
#ifdef PINMM_TSAN
	__tsan_acquire((void *)lock);
#else
	(void)lock;
#endif
}

/* The tasks spinning on @lock try it again. */
static void wake_lock_waiters(const void *lock)
{
	for (int i = 0; det.nr_spinning && i < det.nr_tasks; i++) {
		struct det_task *d = det.tasks[i]->det;

		if (d && d->state == DET_BLOCKED && d->wait_lock == lock) {
			set_wait_lock(d, NULL);
			det_sync_clock(d);
			set_state(d, DET_READY);
			if (det.cur || det_harness_acts())
				note(DET_NOTE_WAKE, det.tasks[i], NULL);
		}
	}
}

/*
 * A release writes the lock; a reader's (@shared) only reads it, as its
 * acquisition did.  @wake: no holder is left, the spinners try again.
 */
static void __det_lock_released(const void *lock, bool shared, bool wake)
{
#ifdef PINMM_TSAN
	__tsan_release((void *)lock);
#endif
	if (det.cur)
		note(shared ? DET_NOTE_RELEASE_SHARED : DET_NOTE_RELEASE, NULL,
		     lock);
	else if (det_harness_acts())
		note(shared ? DET_NOTE_TOUCH_LOAD : DET_NOTE_TOUCH, NULL, lock);
	if (wake)
		wake_lock_waiters(lock);
}

void det_wait_for_lock(const void *lock, const char *name, bool read,
		       bool (*busy)(const void *lock))
{
	struct task_struct *t = current;

	while (busy(lock)) {
		BUG_ON(!t);
		det_ignore_begin();
		__det_block_on_lock(lock, name, read);
		det_ignore_end();
		if (__atomic_load_n(&t->killed, __ATOMIC_ACQUIRE))
			do_exit();
	}
}

void det_trylock(const void *lock)
{
	det_ignore_begin();
	if (det.cur)
		note(DET_NOTE_TRYLOCK, NULL, lock);
	det_ignore_end();
}

void det_lock_released(const void *lock)
{
	det_ignore_begin();
	__det_lock_released(lock, false, true);
	det_ignore_end();
}

void det_lock_released_shared(const void *lock, bool last)
{
	det_ignore_begin();
	__det_lock_released(lock, true, last);
	det_ignore_end();
}
