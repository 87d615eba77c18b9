// SPDX-License-Identifier: GPL-2.0-or-later
/* test_slirp_nsfwd.c - pasta's -T/-U lists: ports, ranges, mapping and
 * exclusions taken, an address refused, the quota of ports per protocol
 * across several options */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "slirp/nsfwd.h"

static void test_lists(void **state)
{
	struct ctx c;
	char e[256];

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(nsfwd_wanted(&c), 0);
	c.conf.auto_udp_ns = 1;
	assert_int_equal(nsfwd_wanted(&c), 1);
	c.conf.auto_udp_ns = 0;
	assert_int_equal(nsfwd_parse("5432", IPPROTO_TCP, e, sizeof(e)), 0);
	assert_int_equal(nsfwd_wanted(&c), 1);
	assert_int_equal(nsfwd_parse("8000-8009:9000-9009,~8005", IPPROTO_TCP, e, sizeof(e)), 0);
	/* pasta: an address binds only -t and -u */
	assert_int_equal(nsfwd_parse("127.0.0.1/80", IPPROTO_TCP, e, sizeof(e)), -EINVAL);
	assert_non_null(strstr(e, "only binds -t and -u"));
	assert_int_equal(nsfwd_parse("0", IPPROTO_UDP, e, sizeof(e)), -EINVAL);
	assert_int_equal(nsfwd_parse("80-70", IPPROTO_UDP, e, sizeof(e)), -EINVAL);
	/* "all but" lists would be every non-ephemeral port: over the quota */
	assert_int_equal(nsfwd_parse("~22", IPPROTO_UDP, e, sizeof(e)), -EINVAL);
}

static void test_quota(void **state)
{
	char e[256];

	(void)state;
	/* 1 + 9 TCP ports taken above; UDP has its own 1024 */
	assert_int_equal(nsfwd_parse("10000-11013", IPPROTO_TCP, e, sizeof(e)), 0);
	assert_int_equal(nsfwd_parse("20000", IPPROTO_TCP, e, sizeof(e)), -ENOSPC);
	assert_non_null(strstr(e, "more than 1024 ports"));
	assert_int_equal(nsfwd_parse("1-1024", IPPROTO_UDP, e, sizeof(e)), 0);
	assert_int_equal(nsfwd_parse("2000", IPPROTO_UDP, e, sizeof(e)), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_quota),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
