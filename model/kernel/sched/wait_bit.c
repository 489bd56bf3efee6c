// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting on a bit of a word: page flags (PG_locked, PG_writeback) and
 * buffer-head state (BH_Lock).  As in the kernel, waiters hash into a small
 * table of wait queues and a wake-up only wakes the entries whose key
 * (word, bit) matches.
 */
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/wait.h>

#define WAIT_TABLE_BITS 8
#define WAIT_TABLE_SIZE (1 << WAIT_TABLE_BITS)

static struct wait_queue_head bit_wait_table[WAIT_TABLE_SIZE];

void wait_bit_init(void)
{
	for (int i = 0; i < WAIT_TABLE_SIZE; i++)
		init_waitqueue_head(&bit_wait_table[i]);
}

void wait_bit_exit(void)
{
	for (int i = 0; i < WAIT_TABLE_SIZE; i++)
		destroy_waitqueue_head(&bit_wait_table[i]);
}

struct wait_queue_head *bit_waitqueue(const void *word, int bit)
{
	u64 val = (u64)(uintptr_t)word << 6 | (u64)bit;

	val *= 0x61c8864680b583ebULL;
	return &bit_wait_table[val >> (64 - WAIT_TABLE_BITS)];
}

int wake_bit_function(struct wait_queue_entry *wq_entry, void *arg)
{
	struct wait_bit_key *key = arg;
	struct wait_bit_queue_entry *wait =
		container_of(wq_entry, struct wait_bit_queue_entry, wq_entry);

	if (wait->key.flags != key->flags || wait->key.bit_nr != key->bit_nr)
		return 0;
	return default_wake_function(wq_entry, key);
}

void wake_up_bit(void *word, int bit)
{
	struct wait_bit_key key = { .flags = word, .bit_nr = bit };
	struct wait_queue_head *wq = bit_waitqueue(word, bit);

	smp_mb();
	if (waitqueue_active(wq))
		__wake_up(wq, 1, &key);
}

static void bit_wait_setup(struct wait_bit_queue_entry *wbq, void *word,
			   int bit)
{
	init_wait_entry(&wbq->wq_entry, 0);
	wbq->wq_entry.func = wake_bit_function;
	wbq->key.flags = word;
	wbq->key.bit_nr = bit;
}

/* Sleep until @bit of @word is clear. */
void wait_on_bit(unsigned long *word, int bit, const char *what,
		 enum wchan_type type, const void *obj)
{
	struct wait_queue_head *wq = bit_waitqueue(word, bit);
	struct wait_bit_queue_entry wbq;

	might_sleep();
	if (!test_bit((unsigned int)bit, word))
		return;
	bit_wait_setup(&wbq, word, bit);
	set_wchan(what, type, obj);
	for (;;) {
		prepare_to_wait(wq, &wbq.wq_entry, TASK_UNINTERRUPTIBLE);
		if (!test_bit((unsigned int)bit, word))
			break;
		schedule();
	}
	finish_wait(wq, &wbq.wq_entry);
	clear_wchan();
	/* A non-exclusive waiter passes an exclusive wake-up on. */
	wake_up_bit(word, bit);
}

/* Sleep until this task is the one that set @bit of @word. */
void wait_on_bit_lock(unsigned long *word, int bit, const char *what,
		      enum wchan_type type, const void *obj)
{
	struct wait_queue_head *wq = bit_waitqueue(word, bit);
	struct wait_bit_queue_entry wbq;

	might_sleep();
	bit_wait_setup(&wbq, word, bit);
	set_wchan(what, type, obj);
	for (;;) {
		prepare_to_wait_exclusive(wq, &wbq.wq_entry,
					  TASK_UNINTERRUPTIBLE);
		if (!test_and_set_bit_lock((unsigned int)bit, word))
			break;
		schedule();
	}
	finish_wait(wq, &wbq.wq_entry);
	clear_wchan();
}
