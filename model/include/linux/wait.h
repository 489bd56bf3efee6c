/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wait queues, on top of schedule() and wake_up_process().
 */
#ifndef _LINUX_WAIT_H
#define _LINUX_WAIT_H

#include <linux/list.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

struct wait_queue_entry;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry, void *key);

#define WQ_FLAG_EXCLUSIVE 0x01

struct wait_queue_entry {
	unsigned int flags;
	void *private;		/* the task */
	wait_queue_func_t func;
	struct list_head entry;
};

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;
typedef struct wait_queue_entry wait_queue_entry_t;

void __init_waitqueue_head(struct wait_queue_head *wq_head, const char *name);
#define init_waitqueue_head(wq_head) __init_waitqueue_head((wq_head), #wq_head ".lock")
void destroy_waitqueue_head(struct wait_queue_head *wq_head);
int default_wake_function(struct wait_queue_entry *wq_entry, void *key);
void init_wait_entry(struct wait_queue_entry *wq_entry, int flags);
void prepare_to_wait(struct wait_queue_head *wq_head,
		     struct wait_queue_entry *wq_entry, int state);
void prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
			       struct wait_queue_entry *wq_entry, int state);
void finish_wait(struct wait_queue_head *wq_head,
		 struct wait_queue_entry *wq_entry);
void __wake_up(struct wait_queue_head *wq_head, int nr_exclusive, void *key);
void __wake_up_locked(struct wait_queue_head *wq_head, int nr_exclusive,
		      void *key);
bool waitqueue_active(struct wait_queue_head *wq_head);
void exit_wait_queue(struct task_struct *t);

#define wake_up(wq) __wake_up((wq), 1, NULL)
#define wake_up_all(wq) __wake_up((wq), 0, NULL)

#define DEFINE_WAIT(name)                                                      \
	struct wait_queue_entry name = {                                       \
		.private = current,                                            \
		.func = default_wake_function,                                 \
		.entry = LIST_HEAD_INIT((name).entry),                         \
	}

/*
 * wait_event(): sleep uninterruptibly until @condition holds.  @what names
 * the wait for the hang report.
 */
#define wait_event_named(wq_head, condition, what)                             \
	do {                                                                   \
		DEFINE_WAIT(__wq_entry);                                       \
		if (condition)                                                 \
			break;                                                 \
		set_wchan((what), WCHAN_EVENT, &(wq_head));                    \
		for (;;) {                                                     \
			prepare_to_wait(&(wq_head), &__wq_entry,               \
					TASK_UNINTERRUPTIBLE);                 \
			if (condition)                                         \
				break;                                         \
			schedule();                                            \
		}                                                              \
		finish_wait(&(wq_head), &__wq_entry);                          \
		clear_wchan();                                                 \
	} while (0)
#define wait_event(wq_head, condition)                                         \
	wait_event_named(wq_head, condition, #condition)

/* Bit waits (wait_on_bit / wake_up_bit), keyed by word and bit. */
struct wait_bit_key {
	const void *flags;
	int bit_nr;
};

struct wait_bit_queue_entry {
	struct wait_bit_key key;
	struct wait_queue_entry wq_entry;
};

struct wait_queue_head *bit_waitqueue(const void *word, int bit);
int wake_bit_function(struct wait_queue_entry *wq_entry, void *key);
void wake_up_bit(void *word, int bit);
void wait_on_bit(unsigned long *word, int bit, const char *what,
		 enum wchan_type type, const void *obj);
void wait_on_bit_lock(unsigned long *word, int bit, const char *what,
		      enum wchan_type type, const void *obj);
void wait_bit_init(void);
void wait_bit_exit(void);

#endif /* _LINUX_WAIT_H */
