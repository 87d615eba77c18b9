// SPDX-License-Identifier: GPL-2.0-or-later
/* test_launcher_attach.c - the detach keys ctrl-p ctrl-q, across reads */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "launcher/attach.h"

static void plain_input_passes(void **state)
{
	struct attach_keys k = { 0 };
	char out[16];
	size_t n;

	(void)state;
	assert_int_equal(attach_scan_keys(&k, "ls -l\r", 6, out, &n), 0);
	assert_int_equal(n, 6);
	assert_memory_equal(out, "ls -l\r", 6);
}

static void detach_in_one_read(void **state)
{
	struct attach_keys k = { 0 };
	char out[16];
	size_t n;

	(void)state;
	assert_int_equal(attach_scan_keys(&k, "ab\x10\x11zz", 6, out, &n), 1);
	assert_int_equal(n, 2);
	assert_memory_equal(out, "ab", 2);
}

static void detach_split_across_reads(void **state)
{
	struct attach_keys k = { 0 };
	char out[16];
	size_t n;

	(void)state;
	assert_int_equal(attach_scan_keys(&k, "x\x10", 2, out, &n), 0);
	assert_int_equal(n, 1);		/* ctrl-p held back */
	assert_int_equal(attach_scan_keys(&k, "\x11", 1, out, &n), 1);
	assert_int_equal(n, 0);
}

static void ctrl_p_alone_is_passed_on(void **state)
{
	struct attach_keys k = { 0 };
	char out[16];
	size_t n;

	(void)state;
	/* ctrl-p then another key: both go through, in order */
	assert_int_equal(attach_scan_keys(&k, "\x10", 1, out, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(attach_scan_keys(&k, "c", 1, out, &n), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(out, "\x10" "c", 2);
	/* ctrl-p ctrl-p ctrl-q: the first is passed, the pair detaches */
	assert_int_equal(attach_scan_keys(&k, "\x10\x10\x11", 3, out, &n), 1);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 0x10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_input_passes),
		cmocka_unit_test(detach_in_one_read),
		cmocka_unit_test(detach_split_across_reads),
		cmocka_unit_test(ctrl_p_alone_is_passed_on),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
