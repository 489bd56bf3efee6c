// SPDX-License-Identifier: GPL-2.0
/*
 * Wait queues.  The entry is queued and the task's state set under the
 * queue's lock; the waker walks the queue under the same lock.  Together
 * with schedule()'s re-check of the state, no wake-up is lost.
 */
#include <linux/bug.h>
#include <linux/wait.h>

void __init_waitqueue_head(struct wait_queue_head *wq_head, const char *name)
{
	__spin_lock_init(&wq_head->lock, name);
	INIT_LIST_HEAD(&wq_head->head);
}

void destroy_waitqueue_head(struct wait_queue_head *wq_head)
{
	spin_lock_destroy(&wq_head->lock);
}

int default_wake_function(struct wait_queue_entry *wq_entry, void *key)
{
	(void)key;
	return wake_up_process(wq_entry->private);
}

void init_wait_entry(struct wait_queue_entry *wq_entry, int flags)
{
	wq_entry->flags = (unsigned int)flags;
	wq_entry->private = current;
	wq_entry->func = default_wake_function;
	INIT_LIST_HEAD(&wq_entry->entry);
}

/* Where current's entry is queued, for exit_wait_queue(). */
static void queued_on(struct wait_queue_head *wq_head,
		      struct wait_queue_entry *wq_entry)
{
	if (!current)
		return;
	current->wait_head = wq_head;
	current->wait_entry = wq_entry;
}

void prepare_to_wait(struct wait_queue_head *wq_head,
		     struct wait_queue_entry *wq_entry, int state)
{
	/*
	 * The entry stays queued between the iterations of a wait loop, so
	 * a waker may be reading its flags: write them under the lock.
	 */
	spin_lock(&wq_head->lock);
	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	if (list_empty(&wq_entry->entry))
		list_add(&wq_entry->entry, &wq_head->head);
	queued_on(wq_head, wq_entry);
	set_current_state(state);
	spin_unlock(&wq_head->lock);
}

void prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
			       struct wait_queue_entry *wq_entry, int state)
{
	spin_lock(&wq_head->lock);
	wq_entry->flags |= WQ_FLAG_EXCLUSIVE;	/* see prepare_to_wait() */
	if (list_empty(&wq_entry->entry))
		list_add_tail(&wq_entry->entry, &wq_head->head);
	queued_on(wq_head, wq_entry);
	set_current_state(state);
	spin_unlock(&wq_head->lock);
}

void finish_wait(struct wait_queue_head *wq_head,
		 struct wait_queue_entry *wq_entry)
{
	__set_current_state(TASK_RUNNING);
	if (!list_empty(&wq_entry->entry)) {
		spin_lock(&wq_head->lock);
		list_del_init(&wq_entry->entry);
		queued_on(NULL, NULL);
		spin_unlock(&wq_head->lock);
	} else {
		queued_on(NULL, NULL);
	}
}

/*
 * A task killed while it waits (the machine stops after an oops or a
 * hang) leaves by do_exit() from schedule(), past its finish_wait(): take
 * its entry, which lives on its stack, off the queue, or the next wake-up
 * of that queue would call into a dead stack.
 */
void exit_wait_queue(struct task_struct *t)
{
	struct wait_queue_head *wq_head = t->wait_head;

	if (!wq_head)
		return;
	spin_lock(&wq_head->lock);
	if (!list_empty(&t->wait_entry->entry))
		list_del_init(&t->wait_entry->entry);
	spin_unlock(&wq_head->lock);
	t->wait_head = NULL;
	t->wait_entry = NULL;
}

/*
 * Wake the non-exclusive waiters and up to @nr_exclusive exclusive ones
 * (0: all).  A wake function returning 0 did not wake its task (a bit wait
 * for another bit) and does not count.
 */
/* The caller holds wq_head->lock. */
void __wake_up_locked(struct wait_queue_head *wq_head, int nr_exclusive,
		      void *key)
{
	struct wait_queue_entry *curr, *next;

	list_for_each_entry_safe(curr, next, &wq_head->head, entry) {
		unsigned int flags = curr->flags;
		int ret = curr->func(curr, key);

		if (ret < 0)
			break;
		if (ret && (flags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive)
			break;
	}
}

void __wake_up(struct wait_queue_head *wq_head, int nr_exclusive, void *key)
{
	spin_lock(&wq_head->lock);
	__wake_up_locked(wq_head, nr_exclusive, key);
	spin_unlock(&wq_head->lock);
}

bool waitqueue_active(struct wait_queue_head *wq_head)
{
	return !list_empty(&wq_head->head);
}
