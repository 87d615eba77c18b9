// SPDX-License-Identifier: GPL-2.0-or-later
/* test_conmon_ctl.c - control FIFO messages */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conmon/ctl.h"

static void parse_messages(void **state)
{
	struct ctl_msg m;

	(void)state;
	assert_int_equal(ctl_parse_line("1 30 100", 8, &m), 0);
	assert_int_equal(m.type, CTL_WINDOW_RESIZE);
	assert_int_equal(m.a, 30);
	assert_int_equal(m.b, 100);
	assert_int_equal(ctl_parse_line("2 0 0 ", 6, &m), 0);
	assert_int_equal(m.type, CTL_REOPEN_LOG);
	assert_int_equal(ctl_parse_line("1 30", 4, &m), -EINVAL);
	assert_int_equal(ctl_parse_line("1 30 x", 6, &m), -EINVAL);
	assert_int_equal(ctl_parse_line("1 30 40 50", 10, &m), -EINVAL);
	assert_int_equal(ctl_parse_line("", 0, &m), -EINVAL);
	assert_int_equal(ctl_parse_line("1 99999999999 1", 15, &m), -EINVAL);
}

static int seen[8][3], nseen;

static void record(const struct ctl_msg *m, void *arg)
{
	(void)arg;
	seen[nseen][0] = m->type;
	seen[nseen][1] = m->a;
	seen[nseen][2] = m->b;
	nseen++;
}

static void fifo_lines_split_across_writes(void **state)
{
	char dir[] = "/tmp/test_conmon_ctl.XXXXXX", path[64];
	struct ctl_fifo f;
	int w;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(ctl_open(&f, dir, "ctl"), 0);
	snprintf(path, sizeof(path), "%s/ctl", dir);
	w = open(path, O_WRONLY);
	assert_true(w >= 0);
	assert_int_equal(write(w, "1 24 8", 6), 6);
	assert_int_equal(ctl_read(&f, record, NULL), 0);
	assert_int_equal(write(w, "0\nbogus\n2 0 0\n", 14), 14);
	assert_int_equal(ctl_read(&f, record, NULL), 2);
	assert_int_equal(nseen, 2);
	assert_int_equal(seen[0][0], 1);
	assert_int_equal(seen[0][1], 24);
	assert_int_equal(seen[0][2], 80);
	assert_int_equal(seen[1][0], 2);
	close(w);
	/* the writer went away: no EOF spin, nothing to read */
	assert_int_equal(ctl_read(&f, record, NULL), 0);
	ctl_close(&f);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_messages),
		cmocka_unit_test(fifo_lines_split_across_writes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
