// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_subid.c - /etc/subuid and /etc/subgid parsing */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "subid.h"

static struct subid_ranges r;
static char err[256];

static int parse(const char *text, const char *name, unsigned long id)
{
	err[0] = '\0';
	return subid_parse(text, strlen(text), "/etc/subuid", name, id, &r,
			   err, sizeof(err));
}

static void by_name_and_by_uid(void **state)
{
	(void)state;
	assert_int_equal(parse("alice:100000:65536\n1000:200000:10\nbob:300000:5\n",
			       "alice", 1000), 2);
	assert_int_equal(r.r[0].start, 100000);
	assert_int_equal(r.r[0].count, 65536);
	assert_int_equal(r.r[0].line, 1);
	assert_int_equal(r.r[1].start, 200000);
	assert_int_equal(r.r[1].count, 10);
	assert_int_equal(r.r[1].line, 2);
	/* no name known: numeric lines only */
	assert_int_equal(parse("alice:100000:65536\n1000:200000:10\n", NULL, 1000), 1);
	assert_int_equal(r.r[0].start, 200000);
	/* a name that looks like another user's prefix does not match */
	assert_int_equal(parse("alice2:100000:65536\nalic:5:5\n", "alice", 1000), 0);
	/* numbers with leading zeros are still numbers */
	assert_int_equal(parse("01000:7:3\n", "alice", 1000), 1);
}

static void comments_blank_lines_and_whitespace(void **state)
{
	(void)state;
	assert_int_equal(parse("# comment\n\n   \n\t# indented comment\n"
			       "  alice:10:20  \r\n", "alice", 1000), 1);
	assert_int_equal(r.r[0].start, 10);
	assert_int_equal(r.r[0].count, 20);
	assert_int_equal(r.r[0].line, 5);
	/* no trailing newline, and an empty buffer */
	assert_int_equal(parse("alice:1:2", "alice", 1000), 1);
	assert_int_equal(parse("", "alice", 1000), 0);
	assert_int_equal(subid_parse(NULL, 0, "f", "alice", 1, &r, err, sizeof(err)), 0);
}

static void bad_line_of_user_names_file_and_line(void **state)
{
	(void)state;
	assert_int_equal(parse("alice:1:2\nalice:x:3\n", "alice", 1000), -EINVAL);
	assert_string_equal(err, "/etc/subuid:2: bad start 'x'");
	assert_int_equal(parse("\n\nalice:5:\n", "alice", 1000), -EINVAL);
	assert_string_equal(err, "/etc/subuid:3: bad count ''");
	assert_int_equal(parse("alice:5:0\n", "alice", 1000), -EINVAL);
	assert_string_equal(err, "/etc/subuid:1: count is 0");
	assert_int_equal(parse("alice:5\n", "alice", 1000), -EINVAL);
	assert_string_equal(err, "/etc/subuid:1: expected NAME:START:COUNT, missing COUNT");
	assert_int_equal(parse("alice:5:6:7\n", "alice", 1000), -EINVAL);
	assert_string_equal(err, "/etc/subuid:1: expected NAME:START:COUNT, too many fields");
	assert_int_equal(parse("alice:-5:6\n", "alice", 1000), -EINVAL);
	assert_int_equal(parse("alice: 5:6\n", "alice", 1000), -EINVAL);
	assert_int_equal(parse("1000:5:+6\n", "alice", 1000), -EINVAL);
	assert_string_equal(err, "/etc/subuid:1: bad count '+6'");
	/* lines nobody can own are errors whoever asks */
	assert_int_equal(parse("garbage\n", "alice", 1000), -EINVAL);
	assert_string_equal(err, "/etc/subuid:1: expected NAME:START:COUNT, no ':'");
	assert_int_equal(parse(":1:2\n", "alice", 1000), -EINVAL);
	assert_string_equal(err, "/etc/subuid:1: empty user name");
}

static void bad_line_of_other_user_is_skipped(void **state)
{
	(void)state;
	assert_int_equal(parse("bob:x:1\nalice:1:2\ncarol:1:0\n", "alice", 1000), 1);
	assert_int_equal(r.skipped, 2);
	assert_int_equal(r.first_skipped, 1);
}

static void numbers_are_overflow_checked(void **state)
{
	unsigned long v;

	(void)state;
	assert_int_equal(subid_parse_number("4294967295", 10, &v), 0);
	assert_int_equal(v, 4294967295UL);
	assert_int_equal(subid_parse_number("4294967296", 10, &v), -ERANGE);
	assert_int_equal(subid_parse_number("99999999999999999999999", 23, &v), -ERANGE);
	assert_int_equal(subid_parse_number("", 0, &v), -EINVAL);
	assert_int_equal(subid_parse_number("12a", 3, &v), -EINVAL);

	/* the last valid ID is 4294967294 */
	assert_int_equal(parse("alice:4294967294:1\n", "alice", 1000), 1);
	assert_int_equal(parse("alice:4294967294:2\n", "alice", 1000), -EINVAL);
	assert_string_equal(err, "/etc/subuid:1: range 4294967294+2 goes past ID 4294967294");
	assert_int_equal(parse("alice:0:4294967295\n", "alice", 1000), 1);
	assert_int_equal(parse("alice:4294967295:1\n", "alice", 1000), -EINVAL);
	assert_string_equal(err, "/etc/subuid:1: bad start '4294967295' (above 4294967294)");
	assert_int_equal(parse("alice:1:18446744073709551617\n", "alice", 1000), -EINVAL);
	assert_string_equal(err, "/etc/subuid:1: bad count '18446744073709551617' (above 4294967295)");
}

static void overlapping_ranges_are_detected(void **state)
{
	(void)state;
	assert_int_equal(parse("alice:100:50\nbob:120:10\n1000:149:1\n", "alice", 1000),
			 -EINVAL);
	assert_string_equal(err, "/etc/subuid:3: range 149-149 overlaps range 100-149 of line 1");
	assert_int_equal(parse("alice:100:50\nalice:100:50\n", "alice", 1000), -EINVAL);
	/* adjacent is fine */
	assert_int_equal(parse("alice:100:50\nalice:150:50\nalice:50:50\n", "alice", 1000), 3);
}

static void too_many_ranges(void **state)
{
	size_t cap = (SUBID_MAX_RANGES + 1) * 32, off = 0, last = 0;
	char *buf = malloc(cap);
	int i;

	(void)state;
	assert_non_null(buf);
	for (i = 0; i <= SUBID_MAX_RANGES; i++) {
		last = off;	/* where the line over the limit starts */
		off += (size_t)snprintf(buf + off, cap - off, "alice:%d:1\n", 1000 + i * 2);
	}
	assert_int_equal(subid_parse(buf, off, "f", "alice", 1, &r, err, sizeof(err)), -E2BIG);
	assert_int_equal(subid_parse(buf, last, "f", "alice", 1, &r, err, sizeof(err)),
			 SUBID_MAX_RANGES);
	free(buf);
}

static void read_file_and_missing_file(void **state)
{
	char path[] = "/tmp/test_lib_subid.XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "alice:7:8\nalice:q:1\n", 20), 20);
	close(fd);
	assert_int_equal(subid_read(path, "alice", 1000, &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ":2: bad start 'q'"));
	assert_int_equal(strncmp(err, path, strlen(path)), 0);
	assert_int_equal(subid_read(path, "bob", 1001, &r, err, sizeof(err)), 0);
	assert_int_equal(r.skipped, 1);	/* alice's bad line, not bob's problem */
	unlink(path);
	assert_int_equal(subid_read(path, "alice", 1000, &r, err, sizeof(err)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(by_name_and_by_uid),
		cmocka_unit_test(comments_blank_lines_and_whitespace),
		cmocka_unit_test(bad_line_of_user_names_file_and_line),
		cmocka_unit_test(bad_line_of_other_user_is_skipped),
		cmocka_unit_test(numbers_are_overflow_checked),
		cmocka_unit_test(overlapping_ranges_are_detected),
		cmocka_unit_test(too_many_ranges),
		cmocka_unit_test(read_file_and_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
