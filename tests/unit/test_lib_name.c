// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_name.c - the name rule shared by burrow-bridge and the DNS records */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "name.h"

static void good_names_pass(void **state)
{
	(void)state;
	assert_true(name_valid("podman", 64));
	assert_true(name_valid("podman-1.x_y", 64));
	assert_true(name_valid("0", 64));
	assert_true(name_valid("a..b", 64));	/* one component, not a parent */
	assert_true(name_valid("8965724ea9dc4ae9a20be3318243602b2236eb5a0d6cd5659520aadb55aec77b", 65));
}

/* Never an option, a hidden or relative path component, or a path */
static void unsafe_names_refused(void **state)
{
	static const char *bad[] = {
		"", "-", "-x", "--help", ".", "..", ".x", "../x", "_x",
		"a/b", "/a", "a b", "a\tb", "a\nb", "a:b", "a*", "é",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (name_valid(bad[i], 64))
			fail_msg("'%s' accepted", bad[i]);
	assert_false(name_valid(NULL, 64));
}

static void length_bounded_by_buffer(void **state)
{
	char s[70];

	(void)state;
	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	s[63] = '\0';
	assert_true(name_valid(s, 64));		/* 63 bytes + NUL fit */
	s[63] = 'a';
	s[64] = '\0';
	assert_false(name_valid(s, 64));	/* 64 bytes do not */
	assert_false(name_valid("a", 1));
	assert_false(name_valid("a", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_names_pass),
		cmocka_unit_test(unsafe_names_refused),
		cmocka_unit_test(length_bounded_by_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
