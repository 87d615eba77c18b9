// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_log.c - log level names, the threshold and the message format */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "log.h"

static void level_names_parse(void **state)
{
	(void)state;
	assert_int_equal(log_level_parse("error"), LOG_LVL_ERROR);
	assert_int_equal(log_level_parse("fatal"), LOG_LVL_ERROR);
	assert_int_equal(log_level_parse("WARN"), LOG_LVL_WARN);
	assert_int_equal(log_level_parse("warning"), LOG_LVL_WARN);
	assert_int_equal(log_level_parse("info"), LOG_LVL_INFO);
	assert_int_equal(log_level_parse("debug"), LOG_LVL_DEBUG);
	assert_int_equal(log_level_parse("trace"), LOG_LVL_DEBUG);
	assert_int_equal(log_level_parse("loud"), -1);
	assert_int_equal(log_level_parse(""), -1);
}

/* stderr is pointed at a temporary file while a test logs; these read it */
static int saved_stderr = -1;
static FILE *captured;

static void capture_start(void)
{
	fflush(stderr);
	captured = tmpfile();
	assert_non_null(captured);
	saved_stderr = dup(STDERR_FILENO);
	assert_true(saved_stderr >= 0);
	assert_int_equal(dup2(fileno(captured), STDERR_FILENO), STDERR_FILENO);
}

/* Put stderr back and return what was written to it (static buffer). */
static const char *capture_end(void)
{
	static char out[4096];
	size_t n;

	fflush(stderr);
	assert_int_equal(dup2(saved_stderr, STDERR_FILENO), STDERR_FILENO);
	close(saved_stderr);
	rewind(captured);
	n = fread(out, 1, sizeof(out) - 1, captured);
	out[n] = '\0';
	fclose(captured);
	return out;
}

static void message_below_threshold_is_dropped(void **state)
{
	(void)state;
	log_init("test", LOG_LVL_ERROR, 0);
	capture_start();
	debug("not printed %d", 1);
	info("not printed %d", 2);
	warn("not printed %d", 3);
	log_set_level(LOG_LVL_DEBUG);
	debug("printed %d", 4);
	assert_string_equal(capture_end(), "test: printed 4\n");
}

static void threshold_keeps_its_level_and_above(void **state)
{
	(void)state;
	log_init("prog", LOG_LVL_WARN, 0);
	capture_start();
	err("e");
	warn("w");
	info("i");
	debug("d");
	assert_string_equal(capture_end(), "prog: e\nprog: warning: w\n");
}

static void message_keeps_errno(void **state)
{
	(void)state;
	log_init("prog", LOG_LVL_DEBUG, 0);
	capture_start();
	errno = EBADF;
	err("open(%s): %s", "/x", strerror(errno));
	assert_int_equal(errno, EBADF);
	assert_string_equal(capture_end(), "prog: open(/x): Bad file descriptor\n");
}

static void long_message_is_cut_not_overrun(void **state)
{
	char big[3000];

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_init("p", LOG_LVL_ERROR, 0);
	capture_start();
	err("%s", big);
	/* "p: " + at most 1023 bytes of the message + "\n" */
	assert_int_equal(strlen(capture_end()), 3 + 1023 + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(level_names_parse),
		cmocka_unit_test(message_below_threshold_is_dropped),
		cmocka_unit_test(threshold_keeps_its_level_and_above),
		cmocka_unit_test(message_keeps_errno),
		cmocka_unit_test(long_message_is_cut_not_overrun),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
