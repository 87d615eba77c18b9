// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_name.c - the one name rule: burrow-bridge, the DNS records, the
 * launcher's containers, pods and networks, burrow-netns, burrow-mon -n */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <errno.h>
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

/* The launcher's and burrow-netns's old rules allowed a leading '_' */
static void one_rule_for_all(void **state)
{
	(void)state;
	assert_false(name_valid("_x", 65));
	assert_true(name_valid("x_", 65));
}

static void hex_names_are_ids(void **state)
{
	(void)state;
	assert_true(name_is_hex("0"));
	assert_true(name_is_hex("1f047dfd01fb"));
	assert_true(name_is_hex("db"));
	assert_false(name_is_hex("DEADBEEF"));	/* IDs are lowercase */
	assert_false(name_is_hex("web"));
	assert_false(name_is_hex("db-1"));
	assert_false(name_is_hex(""));
	assert_false(name_is_hex(NULL));
}

static void check_names_the_rule(void **state)
{
	char err[512], big[100];

	(void)state;
	assert_int_equal(name_check("container name", "web", 64, NAME_NOT_HEX, err,
				    sizeof(err)), 0);
	assert_int_equal(name_check("container name", "db", 64, 0, err, sizeof(err)), 0);

	assert_int_equal(name_check("container name", "../x", 64, 0, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "container name '../x' starts with '.'"));
	assert_non_null(strstr(err, "1 to 63 characters, an ASCII letter or digit, then "
				    "letters, digits, '_', '.' or '-'"));
	assert_int_equal(name_check("pod name", "-rf", 64, 0, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "pod name '-rf' starts with '-'"));
	/* a newline never reaches the message raw: no forged second line */
	assert_int_equal(name_check("container name", "a\nb 1 running", 64, 0, err,
				    sizeof(err)), -EINVAL);
	assert_null(strchr(err, '\n'));
	assert_non_null(strstr(err, "'a\\nb 1 running' holds '\\n'"));
	assert_int_equal(name_check("x", "", 64, 0, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "x '' is empty"));
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(name_check("x", big, 64, 0, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "...' is 99 characters long"));
	assert_int_equal(name_check("container name", "1f047d", 64, NAME_NOT_HEX, err,
				    sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'1f047d' is made only of hex digits"));
}

/* link names: the kernel's rule, printable ASCII only */
static void interface_names(void **state)
{
	static const char *good[] = { "eth0", "lo", "eth0.100", "br-1a2b", "_x", "-x", "x@y",
				      "cni-podman0", "123456789012345" };
	static const char *bad[] = { "", ".", "..", "a/b", "eth0:1", "a b", "a\tb", "a\nb",
				     "a\x7f", "\xc3\xa9th0", "1234567890123456" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!name_ifname_valid(good[i]))
			fail_msg("'%s' refused", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (name_ifname_valid(bad[i]))
			fail_msg("'%s' accepted", bad[i]);
	assert_false(name_ifname_valid(NULL));
}

static void quote_escapes(void **state)
{
	char q[64];

	(void)state;
	assert_string_equal(name_quote("a\x01'\\\t\xc3", q, sizeof(q)), "a\\x01\\'\\\\\\t\\xc3");
	assert_string_equal(name_quote(NULL, q, sizeof(q)), "");
	assert_string_equal(name_quote("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
				       q, 16), "aaaaaaaaaaaa...");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_names_pass),
		cmocka_unit_test(unsafe_names_refused),
		cmocka_unit_test(length_bounded_by_buffer),
		cmocka_unit_test(one_rule_for_all),
		cmocka_unit_test(hex_names_are_ids),
		cmocka_unit_test(check_names_the_rule),
		cmocka_unit_test(interface_names),
		cmocka_unit_test(quote_escapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
