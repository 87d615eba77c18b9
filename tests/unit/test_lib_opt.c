// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_opt.c - numeric option values and child argument lists */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "opt.h"

static void number_in_range_is_parsed(void **state)
{
	char err[128] = "";
	long long v = -1;

	(void)state;
	assert_int_equal(opt_number("--mtu", "1500", 1280, 65521, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 1500);
	assert_int_equal(opt_number("--mtu", "1280", 1280, 65521, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 1280);
	assert_int_equal(opt_number("--mtu", "65521", 1280, 65521, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 65521);
	assert_int_equal(opt_number("--log-size-max", "-1", LLONG_MIN, LLONG_MAX, &v,
				    err, sizeof(err)), 0);
	assert_int_equal(v, -1);
	assert_string_equal(err, "");
}

static void bad_number_names_option_range_and_value(void **state)
{
	char err[128];
	long long v = 7;

	(void)state;
	assert_int_equal(opt_number("--mtu", "x", 1280, 65521, &v, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "--mtu: expected a number from 1280 to 65521, got 'x'");
	assert_int_equal(opt_number("--mtu", "65522", 1280, 65521, &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(opt_number("--mtu", "1279", 1280, 65521, &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(opt_number("--mtu", "", 1280, 65521, &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(opt_number("--mtu", "1500k", 1280, 65521, &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(opt_number("-t", "99999999999999999999", 0, INT_MAX, &v,
				    err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "-t: expected a number from 0 to 2147483647, "
			    "got '99999999999999999999'");
	assert_int_equal(opt_number("--log-size-max", "big", LLONG_MIN, LLONG_MAX, &v,
				    err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "--log-size-max: expected a number, got 'big'");
	assert_int_equal(v, 7);
}

static void argv_add_appends_and_terminates(void **state)
{
	const char *argv[6];
	size_t n = 0;

	(void)state;
	assert_int_equal(opt_argv_add(argv, 6, &n, "mon", "-c", "id", NULL), 0);
	assert_int_equal(n, 3);
	assert_null(argv[3]);
	assert_int_equal(opt_argv_add(argv, 6, &n, "-t", NULL), 0);
	assert_int_equal(opt_argv_add(argv, 6, &n, NULL), 0);
	assert_int_equal(n, 4);
	assert_string_equal(argv[0], "mon");
	assert_string_equal(argv[2], "id");
	assert_string_equal(argv[3], "-t");
	assert_null(argv[4]);
}

static void argv_add_refuses_what_does_not_fit(void **state)
{
	const char *argv[4];
	size_t n = 0;

	(void)state;
	assert_int_equal(opt_argv_add(argv, 4, &n, "a", "b", NULL), 0);
	/* a pair never goes in half */
	assert_int_equal(opt_argv_add(argv, 4, &n, "-x", "y", NULL), -E2BIG);
	assert_int_equal(n, 2);
	assert_null(argv[2]);
	assert_int_equal(opt_argv_add(argv, 4, &n, "c", NULL), 0);
	assert_int_equal(n, 3);
	assert_null(argv[3]);
	assert_int_equal(opt_argv_add(argv, 4, &n, "d", NULL), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(number_in_range_is_parsed),
		cmocka_unit_test(bad_number_names_option_range_and_value),
		cmocka_unit_test(argv_add_appends_and_terminates),
		cmocka_unit_test(argv_add_refuses_what_does_not_fit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
