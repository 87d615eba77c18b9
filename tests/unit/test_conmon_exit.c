// SPDX-License-Identifier: GPL-2.0-or-later
/* test_conmon_exit.c - exit codes, exit files, OOM counter parsing */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conmon/exit.h"

static void exit_codes(void **state)
{
	(void)state;
	assert_int_equal(exit_code_from_status(0), 0);
	assert_int_equal(exit_code_from_status(1 << 8), 1);
	assert_int_equal(exit_code_from_status(255 << 8), 255);
	assert_int_equal(exit_code_from_status(SIGKILL), 137);
	assert_int_equal(exit_code_from_status(SIGTERM), 143);
}

static void exit_file_is_bare_decimal(void **state)
{
	char dir[] = "/tmp/test_conmon_exit.XXXXXX", path[64], buf[16];
	int fd;
	ssize_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(exit_write_file(dir, "ctr", 137), 0);
	snprintf(path, sizeof(path), "%s/ctr", dir);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	assert_int_equal(n, 3);
	assert_memory_equal(buf, "137", 3);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);	/* no temporary file left */
	assert_true(exit_write_file("/nonexistent/dir", "ctr", 0) < 0);
}

static void oom_counter(void **state)
{
	(void)state;
	assert_int_equal(oom_parse_count("low 0\nhigh 0\nmax 3\noom 2\noom_kill 2\n"), 2);
	assert_int_equal(oom_parse_count("oom_kill_disable 0\nunder_oom 0\noom_kill 7\n"), 7);
	assert_int_equal(oom_parse_count("oom 1\n"), -1);
	assert_int_equal(oom_parse_count(""), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exit_codes),
		cmocka_unit_test(exit_file_is_bare_decimal),
		cmocka_unit_test(oom_counter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
