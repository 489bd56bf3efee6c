// SPDX-License-Identifier: GPL-2.0
/*
 * Event counters (see include/linux/vmstat.h).
 */
#include <linux/vmstat.h>

atomic_long_t vm_events[NR_VM_EVENT_ITEMS];

#define VM_EVENT_NAME(e, name) [e] = name,
const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	FOR_ALL_VM_EVENTS(VM_EVENT_NAME)
};

void vm_events_reset(void)
{
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		atomic_long_set(&vm_events[i], 0);
}
