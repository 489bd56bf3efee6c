/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_COMPLETION_H
#define _LINUX_COMPLETION_H

#include <linux/wait.h>

struct completion {
	unsigned int done;
	const char *name;
	struct wait_queue_head wait;
};

void init_completion_named(struct completion *x, const char *name);
#define init_completion(x) init_completion_named((x), #x)
void destroy_completion(struct completion *x);
void complete(struct completion *x);
void complete_all(struct completion *x);
void wait_for_completion(struct completion *x);
bool completion_done(struct completion *x);

#endif /* _LINUX_COMPLETION_H */
