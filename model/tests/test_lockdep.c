// SPDX-License-Identifier: GPL-2.0
/*
 * Lock-order checking: an inversion is reported with both chains even
 * though nothing deadlocked, and a consistent order is not.
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

static void test_consistent_order_is_not_reported(void **state)
{
	spinlock_t outer, inner;

	(void)state;
	spin_lock_init(&outer);
	spin_lock_init(&inner);
	for (int i = 0; i < 3; i++) {
		spin_lock(&outer);
		spin_lock(&inner);
		spin_unlock(&inner);
		spin_unlock(&outer);
	}
	assert_int_equal(lockdep_inversions(), 0);
	assert_string_equal(lockdep_report(), "");
}

static void test_inversion_is_reported_with_both_chains(void **state)
{
	spinlock_t a, b;

	(void)state;
	spin_lock_init(&a);
	spin_lock_init(&b);
	spin_lock(&a);
	spin_lock(&b);
	spin_unlock(&b);
	spin_unlock(&a);
	assert_int_equal(lockdep_inversions(), 0);
	/* The other order, later, with no deadlock in sight. */
	spin_lock(&b);
	spin_lock(&a);
	spin_unlock(&a);
	spin_unlock(&b);
	assert_int_equal(lockdep_inversions(), 1);
	assert_int_equal(vm_event_read(LOCKDEP_INVERSIONS), 1);
	assert_non_null(strstr(lockdep_report(), "this chain:  lockdep-test: &b -> &a"));
	assert_non_null(strstr(lockdep_report(), "other chain: lockdep-test: &a -> &b"));
	assert_non_null(strstr(dmesg(), "possible circular locking dependency"));
}

static void test_a_cycle_through_a_third_class_is_found(void **state)
{
	spinlock_t x, y;
	struct mutex m;

	(void)state;
	spin_lock_init(&x);
	spin_lock_init(&y);
	mutex_init(&m);
	mutex_lock(&m);		/* m -> x */
	spin_lock(&x);
	spin_unlock(&x);
	mutex_unlock(&m);
	spin_lock(&x);		/* x -> y */
	spin_lock(&y);
	spin_unlock(&y);
	spin_unlock(&x);
	assert_int_equal(lockdep_inversions(), 0);
	spin_lock(&y);		/* y -> m would close m -> x -> y */
	assert_int_equal(mutex_trylock(&m), 1);
	mutex_unlock(&m);
	spin_unlock(&y);
	assert_int_equal(lockdep_inversions(), 1);
	mutex_destroy(&m);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
