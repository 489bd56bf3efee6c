// SPDX-License-Identifier: GPL-2.0
/*
 * jbd2: handles, transactions and commits (see include/linux/jbd2.h).
 *
 * The commit is done by kjournald2, on request (jbd2_log_start_commit(),
 * from fsync or a forced commit) or every j_commit_interval.  It writes one
 * commit block per transaction into the journal's area of the device, a
 * real write, so that the device sees the journal's traffic.
 *
 * A task's open handle is in current->journal_info; a nested start on the
 * same journal takes another reference on it instead of a new handle, as
 * in the kernel.
 *
 * Locking: j_state_lock, an rwlock as in the kernel, protects the
 * transaction pointers, their states and the sequence numbers; read for
 * looking, written for changing them.  t_updates is an atomic_t raised
 * under the read lock, so that a commit that has locked the transaction
 * (write lock) sees no new handle.  No sleeping with it held: the waits
 * drop it.  j_handles_lock (the model's own) guards the list of handles.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/blkdev.h>
#include <linux/bug.h>
#include <linux/jbd2.h>
#include <linux/ktime.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>

int jbd2_journal_init(journal_t *journal, struct block_device *bdev,
		      unsigned int blocksize, u64 first, u64 nr_blocks)
{
	if (!nr_blocks)
		return -EINVAL;
	memset(journal, 0, sizeof(*journal));
	rwlock_init(&journal->j_state_lock);
	spin_lock_init(&journal->j_handles_lock);
	init_waitqueue_head(&journal->j_wait_transaction_locked);
	init_waitqueue_head(&journal->j_wait_updates);
	init_waitqueue_head(&journal->j_wait_commit);
	init_waitqueue_head(&journal->j_wait_done_commit);
	journal->j_transaction_sequence = 1;
	journal->j_dev = bdev;
	journal->j_blocksize = blocksize;
	journal->j_first = first;
	journal->j_last = first + nr_blocks;
	journal->j_head = first;
	INIT_LIST_HEAD(&journal->j_handles);
	return 0;
}

void jbd2_journal_destroy(journal_t *journal)
{
	/* Handles of tasks that died holding them (see jbd2.h). */
	while (!list_empty(&journal->j_handles)) {
		handle_t *handle = list_first_entry(&journal->j_handles,
						    handle_t, h_list);

		list_del(&handle->h_list);
		free(handle);
	}
	free(journal->j_running_transaction);
	free(journal->j_committing_transaction);
	rwlock_destroy(&journal->j_state_lock);
	spin_lock_destroy(&journal->j_handles_lock);
	destroy_waitqueue_head(&journal->j_wait_transaction_locked);
	destroy_waitqueue_head(&journal->j_wait_updates);
	destroy_waitqueue_head(&journal->j_wait_commit);
	destroy_waitqueue_head(&journal->j_wait_done_commit);
}

/* A new running transaction; j_state_lock held for writing. */
static transaction_t *jbd2_get_transaction(journal_t *journal)
{
	transaction_t *t = calloc(1, sizeof(*t));

	BUG_ON(!t);
	t->t_tid = journal->j_transaction_sequence++;
	t->t_state = T_RUNNING;
	journal->j_running_transaction = t;
	return t;
}

static bool transaction_unlocked(journal_t *journal, transaction_t *t)
{
	bool ret;

	read_lock(&journal->j_state_lock);
	ret = journal->j_running_transaction != t || t->t_state != T_LOCKED;
	read_unlock(&journal->j_state_lock);
	return ret;
}

/*
 * Join the running transaction, making one if there is none.  A locked
 * one (a commit waits for its handles) cannot be joined: wait until the
 * commit has moved it out of the way.
 */
static void start_this_handle(journal_t *journal, handle_t *handle)
{
	transaction_t *t;

	for (;;) {
		tid_t tid;

		read_lock(&journal->j_state_lock);
		t = journal->j_running_transaction;
		if (!t) {
			/* Making one takes the lock for writing, as there. */
			read_unlock(&journal->j_state_lock);
			write_lock(&journal->j_state_lock);
			if (!journal->j_running_transaction)
				jbd2_get_transaction(journal);
			write_unlock(&journal->j_state_lock);
			continue;
		}
		if (t->t_state != T_LOCKED)
			break;
		/* Once the lock is dropped, the commit may free @t. */
		tid = t->t_tid;
		read_unlock(&journal->j_state_lock);
		trace_event("jbd2_wait_transaction_locked", NULL, tid);
		wait_event_named(journal->j_wait_transaction_locked,
				 transaction_unlocked(journal, t),
				 "wait_transaction_locked");
	}
	atomic_inc(&t->t_updates);
	handle->h_transaction = t;
	read_unlock(&journal->j_state_lock);
	trace_event("jbd2_handle_start", NULL, t->t_tid);
}

handle_t *jbd2_journal_start(journal_t *journal, int nblocks)
{
	handle_t *handle = current->journal_info;

	(void)nblocks;
	if (handle && handle->h_journal == journal) {
		handle->h_ref++;
		return handle;
	}
	WARN_ON(handle);
	handle = calloc(1, sizeof(*handle));
	BUG_ON(!handle);
	handle->h_journal = journal;
	handle->h_ref = 1;
	/* On the list before any wait: a task killed waiting leaks nothing. */
	spin_lock(&journal->j_handles_lock);
	list_add(&handle->h_list, &journal->j_handles);
	spin_unlock(&journal->j_handles_lock);
	start_this_handle(journal, handle);
	current->journal_info = handle;
	return handle;
}

int jbd2_journal_stop(handle_t *handle)
{
	journal_t *journal = handle->h_journal;
	transaction_t *t = handle->h_transaction;
	tid_t tid;
	bool wake;

	if (--handle->h_ref > 0)
		return 0;
	spin_lock(&journal->j_handles_lock);
	list_del(&handle->h_list);
	spin_unlock(&journal->j_handles_lock);
	tid = t->t_tid;
	wake = atomic_dec_and_test(&t->t_updates);
	/* From here the commit may free @t. */
	if (wake)
		wake_up_all(&journal->j_wait_updates);
	trace_event("jbd2_handle_stop", NULL, tid);
	current->journal_info = NULL;
	free(handle);
	return 0;
}

tid_t jbd2_running_tid(journal_t *journal)
{
	tid_t tid = 0;

	read_lock(&journal->j_state_lock);
	if (journal->j_running_transaction)
		tid = journal->j_running_transaction->t_tid;
	else if (journal->j_committing_transaction)
		tid = journal->j_committing_transaction->t_tid;
	read_unlock(&journal->j_state_lock);
	return tid;
}

int jbd2_log_start_commit(journal_t *journal, tid_t tid)
{
	bool wake = false;

	write_lock(&journal->j_state_lock);
	if ((int)(tid - journal->j_commit_request) > 0) {
		journal->j_commit_request = tid;
		wake = true;
	}
	write_unlock(&journal->j_state_lock);
	if (wake)
		wake_up_all(&journal->j_wait_commit);
	return wake;
}

static bool commit_done(journal_t *journal, tid_t tid)
{
	bool done;

	read_lock(&journal->j_state_lock);
	done = (int)(journal->j_commit_sequence - tid) >= 0;
	read_unlock(&journal->j_state_lock);
	return done;
}

/*
 * The waiter's condition reads j_commit_sequence without the lock, as the
 * kernel's does; the commit writes it with WRITE_ONCE() under the lock.
 */
static bool commit_seen(journal_t *journal, tid_t tid)
{
	return (int)(READ_ONCE(journal->j_commit_sequence) - tid) >= 0;
}

int jbd2_log_wait_commit(journal_t *journal, tid_t tid)
{
	while (!commit_done(journal, tid))
		wait_event_named(journal->j_wait_done_commit,
				 commit_seen(journal, tid),
				 "jbd2_log_wait_commit");
	return 0;
}

/* fsync: commit the transaction @tid if it is not committed yet, and wait. */
int jbd2_complete_transaction(journal_t *journal, tid_t tid)
{
	if (!tid || commit_done(journal, tid))
		return 0;
	jbd2_log_start_commit(journal, tid);
	return jbd2_log_wait_commit(journal, tid);
}

int jbd2_journal_force_commit(journal_t *journal)
{
	return jbd2_complete_transaction(journal, jbd2_running_tid(journal));
}

/*
 * The committer's own locked transaction: no new handle can join it.  It
 * frees the transaction when the commit is done, so the last handle's
 * decrement must happen before: an acquire.
 */
static bool updates_done(transaction_t *t)
{
	return atomic_read_acquire(&t->t_updates) == 0;
}

static void jbd2_journal_commit_transaction(journal_t *journal)
{
	transaction_t *t;
	unsigned char *block;

	write_lock(&journal->j_state_lock);
	t = journal->j_running_transaction;
	if (!t) {
		write_unlock(&journal->j_state_lock);
		return;
	}
	t->t_state = T_LOCKED;
	write_unlock(&journal->j_state_lock);
	trace_span_begin("jbd2_commit", NULL, t->t_tid);

	/* Wait for the transaction's handles to stop. */
	wait_event_named(journal->j_wait_updates, updates_done(t),
			 "jbd2_journal_commit_transaction: t_updates");

	write_lock(&journal->j_state_lock);
	t->t_state = T_COMMIT;
	journal->j_committing_transaction = t;
	journal->j_running_transaction = NULL;
	write_unlock(&journal->j_state_lock);
	wake_up_all(&journal->j_wait_transaction_locked);

	/* The commit block. */
	block = calloc(1, journal->j_blocksize);
	BUG_ON(!block);
	memcpy(block, "JBD2COMMIT", 10);
	memcpy(block + 12, &t->t_tid, sizeof(t->t_tid));
	blkdev_write(journal->j_dev, block, journal->j_blocksize,
		     journal->j_head * journal->j_blocksize);
	free(block);

	write_lock(&journal->j_state_lock);
	if (++journal->j_head == journal->j_last)
		journal->j_head = journal->j_first;
	t->t_state = T_FINISHED;
	WRITE_ONCE(journal->j_commit_sequence, t->t_tid);
	journal->j_committing_transaction = NULL;
	journal->j_last_commit = ktime_get_us();
	write_unlock(&journal->j_state_lock);
	trace_span_end("jbd2_commit", NULL, t->t_tid);
	free(t);
	wake_up_all(&journal->j_wait_done_commit);
}

/*
 * Is a commit asked for, or due?  The kernel's kjournald2 holds the lock
 * for writing while it looks; here it looks with the lock read, and takes
 * it for writing only to ask for a commit whose time has come: the same
 * decisions, and a look that commutes with other readers'.
 */
static bool commit_wanted(journal_t *journal)
{
	bool want, due;

	read_lock(&journal->j_state_lock);
	want = journal->j_commit_sequence != journal->j_commit_request;
	due = !want && journal->j_commit_interval &&
	      journal->j_running_transaction &&
	      ktime_get_us() >= journal->j_last_commit + journal->j_commit_interval;
	read_unlock(&journal->j_state_lock);
	if (!due)
		return want;
	write_lock(&journal->j_state_lock);
	if (journal->j_running_transaction &&
	    journal->j_commit_sequence == journal->j_commit_request)
		journal->j_commit_request = journal->j_running_transaction->t_tid;
	want = journal->j_commit_sequence != journal->j_commit_request;
	write_unlock(&journal->j_state_lock);
	return want;
}

static void kjournald2(void *arg)
{
	journal_t *journal = arg;

	journal->j_last_commit = ktime_get_us();
	while (!kthread_should_stop()) {
		DEFINE_WAIT(wait);

		if (commit_wanted(journal)) {
			jbd2_journal_commit_transaction(journal);
			continue;
		}
		prepare_to_wait(&journal->j_wait_commit, &wait, TASK_INTERRUPTIBLE);
		if (!commit_wanted(journal) && !kthread_should_stop())
			schedule_timeout(journal->j_commit_interval ?
						 (long)journal->j_commit_interval :
						 1000000);
		finish_wait(&journal->j_wait_commit, &wait);
	}
}

void jbd2_journal_start_thread(journal_t *journal, u64 commit_interval)
{
	journal->j_commit_interval = commit_interval;
	journal->j_task = kthread_run(kjournald2, journal, "jbd2/pinmm0-8");
}

void jbd2_journal_stop_thread(journal_t *journal)
{
	if (!journal->j_task)
		return;
	kthread_stop(journal->j_task);
	task_free(journal->j_task);
	journal->j_task = NULL;
}
