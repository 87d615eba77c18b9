// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_log.c - log level names */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "log.h"

static void level_names_parse(void **state)
{
	(void)state;
	assert_int_equal(log_level_parse("error"), LOG_LVL_ERROR);
	assert_int_equal(log_level_parse("WARN"), LOG_LVL_WARN);
	assert_int_equal(log_level_parse("warning"), LOG_LVL_WARN);
	assert_int_equal(log_level_parse("info"), LOG_LVL_INFO);
	assert_int_equal(log_level_parse("debug"), LOG_LVL_DEBUG);
	assert_int_equal(log_level_parse("trace"), LOG_LVL_DEBUG);
	assert_int_equal(log_level_parse("loud"), -1);
}

static void message_below_threshold_is_dropped(void **state)
{
	(void)state;
	log_init("test", LOG_LVL_ERROR, 0);
	debug("not printed %d", 1);
	log_set_level(LOG_LVL_DEBUG);
	debug("printed %d", 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(level_names_parse),
		cmocka_unit_test(message_below_threshold_is_dropped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
