/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jbd2: the journal of ext4, as far as the model needs it: handles, a
 * running and a committing transaction, and the commit thread.
 *
 * A handle pins the running transaction open (t_updates).  A commit first
 * locks the running transaction (T_LOCKED: new handles wait until it is
 * out of the way), then waits for its open handles to stop, then writes a
 * commit block.  So a task that holds a handle and waits for something
 * that needs a new handle deadlocks against a pending commit: that is the
 * journal-deadlock scenario of the seed's design.
 */
#ifndef _LINUX_JBD2_H
#define _LINUX_JBD2_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

typedef unsigned int tid_t;

enum transaction_state {
	T_RUNNING,
	T_LOCKED,	/* a commit is waiting for the open handles */
	T_COMMIT,
	T_FINISHED,
};

typedef struct transaction_s {
	tid_t t_tid;
	enum transaction_state t_state;
	atomic_t t_updates;	/* open handles; taken under j_state_lock */
} transaction_t;

struct block_device;

typedef struct journal_s {
	rwlock_t j_state_lock;
	transaction_t *j_running_transaction;
	transaction_t *j_committing_transaction;
	tid_t j_transaction_sequence;	/* the next transaction's tid */
	tid_t j_commit_sequence;	/* the last committed tid */
	tid_t j_commit_request;		/* the highest tid asked for */
	struct wait_queue_head j_wait_transaction_locked;
	struct wait_queue_head j_wait_updates;
	struct wait_queue_head j_wait_commit;
	struct wait_queue_head j_wait_done_commit;
	struct task_struct *j_task;	/* kjournald2 */
	u64 j_commit_interval;		/* us; 0: commit only when asked */
	u64 j_last_commit;
	struct block_device *j_dev;
	u64 j_first, j_last, j_head;	/* the journal's blocks */
	unsigned int j_blocksize;
	/*
	 * Open handles, under j_handles_lock (the model's own: the kernel
	 * keeps no such list).  A task that oopses dies with its handle open,
	 * as in the kernel; the journal frees what is left when it is
	 * destroyed (host memory, not a kernel behaviour).
	 */
	spinlock_t j_handles_lock;
	struct list_head j_handles;
} journal_t;

typedef struct jbd2_journal_handle {
	transaction_t *h_transaction;
	journal_t *h_journal;
	int h_ref;
	struct list_head h_list;	/* journal->j_handles */
} handle_t;

int jbd2_journal_init(journal_t *journal, struct block_device *bdev,
		      unsigned int blocksize, u64 first, u64 nr_blocks);
void jbd2_journal_destroy(journal_t *journal);
void jbd2_journal_start_thread(journal_t *journal, u64 commit_interval);
void jbd2_journal_stop_thread(journal_t *journal);

handle_t *jbd2_journal_start(journal_t *journal, int nblocks);
int jbd2_journal_stop(handle_t *handle);
int jbd2_log_start_commit(journal_t *journal, tid_t tid);
int jbd2_log_wait_commit(journal_t *journal, tid_t tid);
int jbd2_complete_transaction(journal_t *journal, tid_t tid);
int jbd2_journal_force_commit(journal_t *journal);
tid_t jbd2_running_tid(journal_t *journal);

#endif /* _LINUX_JBD2_H */
