// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_addr.c - addresses, prefixes, MACs: parsing, arithmetic, edges */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "addr.h"

/* parse @in and expect it to print as @out */
static void roundtrip(const char *in, int family, const char *out)
{
	char buf[ADDR_STRLEN];
	struct addr a;

	assert_int_equal(addr_parse(in, &a), 0);
	assert_int_equal(a.family, family);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), out);
}

static void parse_good_addresses(void **state)
{
	(void)state;
	roundtrip("203.0.113.1", AF_INET, "203.0.113.1");
	roundtrip("0.0.0.0", AF_INET, "0.0.0.0");
	roundtrip("255.255.255.255", AF_INET, "255.255.255.255");
	roundtrip("2001:db8::1", AF_INET6, "2001:db8::1");
	roundtrip("[::1]", AF_INET6, "::1");
	roundtrip("::", AF_INET6, "::");
	roundtrip("2001:DB8:0:0:0:0:0:1", AF_INET6, "2001:db8::1");
	roundtrip("::ffff:203.0.113.1", AF_INET6, "::ffff:203.0.113.1");
}

static void parse_bad_addresses(void **state)
{
	static const char *const bad[] = {
		"", "[]", "[", "[::1", "::1]", "[203.0.113.1]", "203.0.113", "203.0.113.256",
		"203.0.113.1 ", " 203.0.113.1", "01.2.3.4", "1.2.3.4.5", "fe80::1%eth0",
		"2001:db8:::1", "1:2:3:4:5:6:7:8:9", "localhost", "[[::1]]",
		"0x7f.0.0.1", "1.2.3.4/24",
		"1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb",
	};
	struct addr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (addr_parse(bad[i], &a) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
	}
}

static void format_unset_and_small_buffer(void **state)
{
	char buf[ADDR_STRLEN], tiny[4];
	struct addr a = { 0 };

	(void)state;
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "*");
	assert_int_equal(addr_parse("203.0.113.1", &a), 0);
	addr_format(&a, tiny, sizeof(tiny));
	assert_true(strlen(tiny) < sizeof(tiny));
}

static void predicates(void **state)
{
	struct addr a, b, none = { 0 };

	(void)state;
	assert_true(addr_is_any(&none));
	addr_parse("0.0.0.0", &a);
	assert_true(addr_is_any(&a));
	addr_parse("::", &a);
	assert_true(addr_is_any(&a));
	addr_parse("::1", &a);
	assert_false(addr_is_any(&a));
	assert_true(addr_is_loopback(&a));
	addr_parse("127.255.0.3", &a);
	assert_true(addr_is_loopback(&a));
	addr_parse("128.0.0.1", &a);
	assert_false(addr_is_loopback(&a));
	addr_parse("::ffff:127.0.0.1", &a);
	assert_true(addr_is_loopback(&a));
	assert_false(addr_is_loopback(&none));

	addr_parse("203.0.113.1", &a);
	addr_parse("203.0.113.1", &b);
	assert_true(addr_equal(&a, &b));
	addr_parse("203.0.113.2", &b);
	assert_false(addr_equal(&a, &b));
	assert_false(addr_equal(&a, &none));
	assert_true(addr_equal(&none, &none));
}

static void mapped_addresses(void **state)
{
	struct addr m, v4;
	char buf[ADDR_STRLEN];

	(void)state;
	assert_int_equal(addr_parse("::ffff:198.51.100.7", &m), 0);
	assert_int_equal(addr_parse("198.51.100.7", &v4), 0);
	assert_true(addr_is_v4mapped(&m));
	assert_false(addr_is_v4mapped(&v4));
	assert_false(addr_equal(&m, &v4));
	addr_unmap(&m);
	assert_int_equal(m.family, AF_INET);
	assert_true(addr_equal(&m, &v4));
	assert_string_equal(addr_format(&m, buf, sizeof(buf)), "198.51.100.7");
	/* not mapped: untouched */
	addr_parse("2001:db8::ffff:1", &m);
	addr_unmap(&m);
	assert_int_equal(m.family, AF_INET6);
}

static void sockaddr_roundtrip(void **state)
{
	struct sockaddr_storage ss;
	struct addr a, b, none = { 0 };
	uint16_t port = 0;

	(void)state;
	addr_parse("2001:db8::5", &a);
	assert_int_equal(addr_to_sockaddr(&a, 8080, &ss), sizeof(struct sockaddr_in6));
	assert_int_equal(ntohs(((struct sockaddr_in6 *)&ss)->sin6_port), 8080);
	assert_int_equal(addr_from_sockaddr((struct sockaddr *)&ss, &b, &port), 0);
	assert_true(addr_equal(&a, &b));
	assert_int_equal(port, 8080);

	addr_parse("203.0.113.10", &a);
	assert_int_equal(addr_to_sockaddr(&a, 53, &ss), sizeof(struct sockaddr_in));
	assert_int_equal(addr_from_sockaddr((struct sockaddr *)&ss, &b, NULL), 0);
	assert_true(addr_equal(&a, &b));

	assert_int_equal(addr_to_sockaddr(&none, 1, &ss), sizeof(struct sockaddr_in));
	assert_int_equal(((struct sockaddr_in *)&ss)->sin_addr.s_addr, htonl(INADDR_ANY));

	ss.ss_family = AF_UNIX;
	assert_int_equal(addr_from_sockaddr((struct sockaddr *)&ss, &b, &port),
			 -EAFNOSUPPORT);
}

static void cidr_parse_and_format(void **state)
{
	static const char *const bad[] = {
		"10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8",
		"10.0.0.0/08", "10.0.0.0/8/8", "/8", "10.0.0.0/ 8", "10.0.0.0/8 ",
		"10.0.0.0/99999999999999999999", "[10.0.0.0]/8", "fd00::/64x", "",
	};
	char buf[CIDR_STRLEN];
	struct cidr c;
	size_t i;

	(void)state;
	assert_int_equal(cidr_parse("10.88.0.5/16", &c), 0);
	assert_int_equal(c.prefix, 16);
	assert_string_equal(cidr_format(&c, buf, sizeof(buf)), "10.88.0.5/16");
	cidr_network(&c);
	assert_string_equal(cidr_format(&c, buf, sizeof(buf)), "10.88.0.0/16");

	assert_int_equal(cidr_parse("203.0.113.1", &c), 0);
	assert_int_equal(c.prefix, 32);
	assert_int_equal(cidr_parse("2001:db8::1", &c), 0);
	assert_int_equal(c.prefix, 128);
	assert_int_equal(cidr_parse("[fd00::]/64", &c), 0);
	assert_int_equal(c.prefix, 64);
	assert_int_equal(cidr_parse("0.0.0.0/0", &c), 0);
	assert_int_equal(c.prefix, 0);
	assert_int_equal(cidr_parse("::/0", &c), 0);
	assert_int_equal(cidr_parse("fd00::1/128", &c), 0);
	assert_string_equal(cidr_format(&c, buf, sizeof(buf)), "fd00::1/128");
	assert_int_equal(cidr_parse("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128", &c), 0);
	assert_true(strlen(cidr_format(&c, buf, sizeof(buf))) < CIDR_STRLEN);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cidr_parse(bad[i], &c) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
	}
}

static void network_clears_host_bits(void **state)
{
	char buf[CIDR_STRLEN];
	struct cidr c;

	(void)state;
	cidr_parse("10.1.2.3/0", &c);
	cidr_network(&c);
	assert_string_equal(cidr_format(&c, buf, sizeof(buf)), "0.0.0.0/0");
	cidr_parse("10.1.2.3/32", &c);
	cidr_network(&c);
	assert_string_equal(cidr_format(&c, buf, sizeof(buf)), "10.1.2.3/32");
	cidr_parse("10.1.2.255/25", &c);
	cidr_network(&c);
	assert_string_equal(cidr_format(&c, buf, sizeof(buf)), "10.1.2.128/25");
	cidr_parse("2001:db8:ffff:ffff::1/33", &c);
	cidr_network(&c);
	assert_string_equal(cidr_format(&c, buf, sizeof(buf)), "2001:db8:8000::/33");
}

static void contains_and_overlaps(void **state)
{
	struct cidr a, b;
	struct addr x;

	(void)state;
	cidr_parse("10.88.0.7/16", &a);	/* host bits set: still the /16 */
	addr_parse("10.88.255.255", &x);
	assert_true(cidr_contains(&a, &x));
	addr_parse("10.89.0.0", &x);
	assert_false(cidr_contains(&a, &x));
	addr_parse("::ffff:10.88.0.1", &x);	/* other family: never */
	assert_false(cidr_contains(&a, &x));

	cidr_parse("0.0.0.0/0", &a);
	addr_parse("255.255.255.255", &x);
	assert_true(cidr_contains(&a, &x));
	cidr_parse("::/0", &a);
	assert_false(cidr_contains(&a, &x));

	cidr_parse("10.0.0.0/8", &a);
	cidr_parse("10.200.0.0/16", &b);
	assert_true(cidr_overlaps(&a, &b));
	assert_true(cidr_overlaps(&b, &a));
	cidr_parse("11.0.0.0/16", &b);
	assert_false(cidr_overlaps(&a, &b));
	cidr_parse("10.0.0.1/32", &b);
	assert_true(cidr_overlaps(&a, &b));
	cidr_parse("10.0.0.2/32", &a);
	assert_false(cidr_overlaps(&a, &b));
	cidr_parse("fd00::/64", &a);
	cidr_parse("fd00:0:0:0:8000::/65", &b);
	assert_true(cidr_overlaps(&a, &b));
	cidr_parse("fd00:0:0:1::/64", &b);
	assert_false(cidr_overlaps(&a, &b));
	cidr_parse("0.0.0.0/0", &b);
	assert_false(cidr_overlaps(&a, &b));
}

static void nth_ipv4(void **state)
{
	char buf[ADDR_STRLEN];
	struct cidr c;
	struct addr a;
	uint64_t n;

	(void)state;
	cidr_parse("10.88.0.9/16", &c);
	assert_int_equal(cidr_nth(&c, 0, &a), 0);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "10.88.0.0");
	assert_int_equal(cidr_nth(&c, 258, &a), 0);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "10.88.1.2");
	assert_int_equal(cidr_nth(&c, 65535, &a), 0);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "10.88.255.255");
	assert_int_equal(cidr_nth(&c, 65536, &a), -ERANGE);
	assert_int_equal(cidr_offset(&c, &a, &n), 0);
	assert_int_equal(n, 65535);

	cidr_parse("203.0.113.1/32", &c);
	assert_int_equal(cidr_nth(&c, 0, &a), 0);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "203.0.113.1");
	assert_int_equal(cidr_nth(&c, 1, &a), -ERANGE);

	cidr_parse("0.0.0.0/0", &c);
	assert_int_equal(cidr_nth(&c, 0xffffffffu, &a), 0);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "255.255.255.255");
	assert_int_equal(cidr_nth(&c, 0x100000000ull, &a), -ERANGE);
	assert_int_equal(cidr_offset(&c, &a, &n), 0);
	assert_int_equal(n, 0xffffffffu);

	addr_parse("10.0.0.1", &a);
	cidr_parse("10.88.0.0/16", &c);
	assert_int_equal(cidr_offset(&c, &a, &n), -ERANGE);
}

static void nth_ipv6(void **state)
{
	char buf[ADDR_STRLEN];
	struct cidr c;
	struct addr a;
	uint64_t n;

	(void)state;
	cidr_parse("fd00::/64", &c);
	assert_int_equal(cidr_nth(&c, UINT64_MAX, &a), 0);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "fd00::ffff:ffff:ffff:ffff");
	assert_int_equal(cidr_offset(&c, &a, &n), 0);
	assert_true(n == UINT64_MAX);
	assert_int_equal(cidr_nth(&c, 0x10001, &a), 0);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "fd00::1:1");

	cidr_parse("2001:db8::/120", &c);
	assert_int_equal(cidr_nth(&c, 255, &a), 0);
	assert_int_equal(cidr_nth(&c, 256, &a), -ERANGE);

	cidr_parse("fd00::1/128", &c);
	assert_int_equal(cidr_nth(&c, 0, &a), 0);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "fd00::1");
	assert_int_equal(cidr_nth(&c, 1, &a), -ERANGE);

	/* /0: any 64-bit offset fits; an address above 2^64 has no 64-bit offset */
	cidr_parse("::/0", &c);
	assert_int_equal(cidr_nth(&c, UINT64_MAX, &a), 0);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "::ffff:ffff:ffff:ffff");
	addr_parse("::1:0:0:0:0", &a);
	assert_int_equal(cidr_offset(&c, &a, &n), -ERANGE);
	addr_parse("ffff::", &a);
	assert_int_equal(cidr_offset(&c, &a, &n), -ERANGE);

	/* /56: offsets above 2^64 exist but are refused by cidr_offset */
	cidr_parse("2001:db8:0:100::/56", &c);
	addr_parse("2001:db8:0:101::2", &a);
	assert_int_equal(cidr_offset(&c, &a, &n), -ERANGE);
	assert_int_equal(cidr_nth(&c, 2, &a), 0);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "2001:db8:0:100::2");
}

static void sizes(void **state)
{
	struct cidr c;

	(void)state;
	cidr_parse("10.88.0.9/16", &c);
	assert_true(cidr_size(&c) == 65536);
	cidr_parse("203.0.113.1", &c);
	assert_true(cidr_size(&c) == 1);
	cidr_parse("0.0.0.0/0", &c);
	assert_true(cidr_size(&c) == 0x100000000ull);
	cidr_parse("2001:db8::/120", &c);
	assert_true(cidr_size(&c) == 256);
	cidr_parse("fd00::/65", &c);
	assert_true(cidr_size(&c) == 1ULL << 63);
	/* 2^64 and more saturate */
	cidr_parse("fd00::/64", &c);
	assert_true(cidr_size(&c) == UINT64_MAX);
	cidr_parse("::/0", &c);
	assert_true(cidr_size(&c) == UINT64_MAX);
	c.prefix = 129;
	assert_true(cidr_size(&c) == 0);
	c.addr.family = 0;
	c.prefix = 0;
	assert_true(cidr_size(&c) == 0);
}

static void invalid_cidr_struct(void **state)
{
	struct cidr c = { .addr = { .family = AF_INET }, .prefix = 40 };
	struct addr a = { 0 };
	uint64_t n;

	(void)state;
	assert_int_equal(cidr_nth(&c, 0, &a), -ERANGE);
	c.addr.family = 0;
	assert_int_equal(cidr_nth(&c, 0, &a), -ERANGE);
	assert_int_equal(cidr_offset(&c, &a, &n), -ERANGE);
}

static void mac_addresses(void **state)
{
	static const char *const bad[] = {
		"", "aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff:00", "aa:bb:cc:dd:ee:fg",
		"aa-bb:cc:dd:ee:ff", "a:bb:cc:dd:ee:fff", "aabb.ccdd.eeff", "aa:bb:cc:dd:ee:ff ",
		"aa bb cc dd ee ff",
	};
	char buf[MAC_STRLEN];
	uint8_t mac[6];
	size_t i;

	(void)state;
	assert_int_equal(mac_parse("02:42:AC:11:00:02", mac), 0);
	assert_int_equal(mac[2], 0xac);
	assert_string_equal(mac_format(mac, buf), "02:42:ac:11:00:02");
	assert_int_equal(mac_parse("ff-ff-ff-ff-ff-ff", mac), 0);
	assert_string_equal(mac_format(mac, buf), "ff:ff:ff:ff:ff:ff");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (mac_parse(bad[i], mac) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_good_addresses),
		cmocka_unit_test(parse_bad_addresses),
		cmocka_unit_test(format_unset_and_small_buffer),
		cmocka_unit_test(predicates),
		cmocka_unit_test(mapped_addresses),
		cmocka_unit_test(sockaddr_roundtrip),
		cmocka_unit_test(cidr_parse_and_format),
		cmocka_unit_test(network_clears_host_bits),
		cmocka_unit_test(contains_and_overlaps),
		cmocka_unit_test(nth_ipv4),
		cmocka_unit_test(nth_ipv6),
		cmocka_unit_test(sizes),
		cmocka_unit_test(invalid_cidr_struct),
		cmocka_unit_test(mac_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
