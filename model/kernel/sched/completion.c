// SPDX-License-Identifier: GPL-2.0
/*
 * Completions: the handshakes of a scenario ("the device releases after
 * that process's fsync returns") are completions, so a task that waits on
 * one forever is a hung task with a name.
 */
#include <limits.h>

#include <linux/completion.h>

void init_completion_named(struct completion *x, const char *name)
{
	x->done = 0;
	x->name = name;
	init_waitqueue_head(&x->wait);
}

void destroy_completion(struct completion *x)
{
	destroy_waitqueue_head(&x->wait);
}

/*
 * The wake-up happens under the lock: a waiter cannot see ->done, return
 * and free the completion (often on its stack) while complete() still
 * touches it.
 */
void complete(struct completion *x)
{
	spin_lock(&x->wait.lock);
	if (x->done != UINT_MAX)
		x->done++;
	__wake_up_locked(&x->wait, 0, NULL);
	spin_unlock(&x->wait.lock);
}

void complete_all(struct completion *x)
{
	spin_lock(&x->wait.lock);
	x->done = UINT_MAX;
	__wake_up_locked(&x->wait, 0, NULL);
	spin_unlock(&x->wait.lock);
}

static bool try_wait_for_completion(struct completion *x)
{
	bool ret = false;

	spin_lock(&x->wait.lock);
	if (x->done) {
		if (x->done != UINT_MAX)
			x->done--;
		ret = true;
	}
	spin_unlock(&x->wait.lock);
	return ret;
}

void wait_for_completion(struct completion *x)
{
	might_sleep();
	wait_event_named(x->wait, try_wait_for_completion(x), x->name);
}

bool completion_done(struct completion *x)
{
	bool done;

	spin_lock(&x->wait.lock);
	done = x->done != 0;
	spin_unlock(&x->wait.lock);
	return done;
}
