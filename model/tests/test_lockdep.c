// SPDX-License-Identifier: GPL-2.0
/*
 * Lock-order checking: an inversion is reported with both chains even
 * though nothing deadlocked, and a consistent order is not.
 *
 * The tests feed the acquisitions to the bookkeeping (lock_acquired(),
 * which is what spin_lock() and mutex_lock() call) without taking host
 * locks in an inverted order, which ThreadSanitizer's own deadlock
 * detector would rightly report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/panic.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/vmstat.h>

static int setup(void **state)
{
	(void)state;
	sched_init(1);
	printk_reset(0);
	vm_events_reset();
	lockdep_reset();
	task_adopt_current("lockdep-test");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	task_unadopt_current();
	return 0;
}

static int outer, inner, a, b, x, y, m;

static void take(const void *lock, const char *name, bool sleeping)
{
	lock_acquired(lock, name, sleeping);
}

static void drop(const void *lock)
{
	lock_released(lock);
}

static void test_consistent_order_is_not_reported(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++) {
		take(&outer, "&outer", false);
		take(&inner, "&inner", false);
		drop(&inner);
		drop(&outer);
	}
	assert_int_equal(lockdep_inversions(), 0);
	assert_string_equal(lockdep_report(), "");
}

static void test_inversion_is_reported_with_both_chains(void **state)
{
	(void)state;
	take(&a, "&a", false);
	take(&b, "&b", false);
	drop(&b);
	drop(&a);
	assert_int_equal(lockdep_inversions(), 0);
	/* The other order, later, with no deadlock in sight. */
	take(&b, "&b", false);
	take(&a, "&a", false);
	drop(&a);
	drop(&b);
	assert_int_equal(lockdep_inversions(), 1);
	assert_int_equal(vm_event_read(LOCKDEP_INVERSIONS), 1);
	assert_non_null(strstr(lockdep_report(), "this chain:  lockdep-test: &b -> &a"));
	assert_non_null(strstr(lockdep_report(), "other chain: lockdep-test: &a -> &b"));
	assert_non_null(strstr(dmesg(), "possible circular locking dependency"));
}

static void test_a_cycle_through_a_third_class_is_found(void **state)
{
	(void)state;
	take(&m, "&m", true);	/* m -> x */
	take(&x, "&x", false);
	drop(&x);
	drop(&m);
	take(&x, "&x", false);	/* x -> y */
	take(&y, "&y", false);
	drop(&y);
	drop(&x);
	assert_int_equal(lockdep_inversions(), 0);
	take(&y, "&y", false);	/* y -> m closes m -> x -> y */
	take(&m, "&m", true);
	drop(&m);
	drop(&y);
	assert_int_equal(lockdep_inversions(), 1);
	assert_non_null(strstr(lockdep_report(), "&y -> &m"));
}

static void test_real_locks_go_through_lockdep(void **state)
{
	spinlock_t one, two;

	(void)state;
	spin_lock_init(&one);
	spin_lock_init(&two);
	spin_lock(&one);
	spin_lock(&two);
	spin_unlock(&two);
	spin_unlock(&one);
	/* The edge one -> two is known: the reverse acquisition of the
	 * bookkeeping alone is an inversion. */
	take(&two, "&two", false);
	take(&one, "&one", false);
	drop(&one);
	drop(&two);
	assert_int_equal(lockdep_inversions(), 1);
	spin_lock_destroy(&one);
	spin_lock_destroy(&two);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_consistent_order_is_not_reported,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_inversion_is_reported_with_both_chains,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_cycle_through_a_third_class_is_found,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_locks_go_through_lockdep,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
