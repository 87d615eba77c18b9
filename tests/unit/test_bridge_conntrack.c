// SPDX-License-Identifier: GPL-2.0-or-later
/* test_bridge_conntrack.c - which conntrack entries a teardown or setup drops */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "bridge/conntrack.h"

/* 16-byte address buffer as a dump gives it */
static const uint8_t *ip(const char *s, uint8_t *buf)
{
	struct addr a;

	memset(buf, 0, 16);
	assert_int_equal(addr_parse(s, &a), 0);
	memcpy(buf, &a.v6, a.family == AF_INET ? 4 : 16);
	return buf;
}

static void by_address_in_either_tuple(void **state)
{
	struct addr ctr;
	struct ct_filter f = { .addrs = &ctr, .naddrs = 1 };
	uint8_t b1[16], b2[16], b3[16], b4[16];

	(void)state;
	assert_int_equal(addr_parse("10.77.0.2", &ctr), 0);
	/* inbound through a DNAT: the container is the reply source */
	assert_int_equal(ct_match(&f, AF_INET, ip("198.51.100.2", b1), ip("198.51.100.1", b2),
				  ip("10.77.0.2", b3), ip("198.51.100.2", b4), IPPROTO_UDP, 5300), 1);
	/* outbound from the container: original source */
	assert_int_equal(ct_match(&f, AF_INET, ip("10.77.0.2", b1), ip("203.0.113.10", b2),
				  ip("203.0.113.10", b3), ip("198.51.100.1", b4), IPPROTO_TCP, 80), 1);
	/* a neighbour's flow stays */
	assert_int_equal(ct_match(&f, AF_INET, ip("10.77.0.3", b1), ip("203.0.113.10", b2),
				  ip("203.0.113.10", b3), ip("198.51.100.1", b4), IPPROTO_TCP, 80), 0);
	/* the same bytes in the other family are another address */
	assert_int_equal(ct_match(&f, AF_INET6, ip("10.77.0.2", b1), ip("10.77.0.2", b2),
				  ip("10.77.0.2", b3), ip("10.77.0.2", b4), IPPROTO_TCP, 80), 0);
}

static void by_forwarded_port(void **state)
{
	struct ct_ports p = { .proto = IPPROTO_UDP, .lo = 5300, .hi = 5302 };
	struct ct_filter f = { .ports = &p, .nports = 1 };
	uint8_t b1[16], b2[16], b3[16], b4[16];

	(void)state;
	ip("198.51.100.2", b1);
	ip("198.51.100.1", b2);
	ip("198.51.100.1", b3);
	ip("198.51.100.2", b4);
	assert_int_equal(ct_match(&f, AF_INET, b1, b2, b3, b4, IPPROTO_UDP, 5300), 1);
	assert_int_equal(ct_match(&f, AF_INET, b1, b2, b3, b4, IPPROTO_UDP, 5302), 1);
	assert_int_equal(ct_match(&f, AF_INET, b1, b2, b3, b4, IPPROTO_UDP, 5303), 0);
	assert_int_equal(ct_match(&f, AF_INET, b1, b2, b3, b4, IPPROTO_TCP, 5300), 0);
	assert_int_equal(ct_match(&f, AF_INET6, b1, b2, b3, b4, IPPROTO_UDP, 5301), 1);
	/* a forward bound to one host address leaves the others alone */
	assert_int_equal(addr_parse("127.0.0.1", &p.dst), 0);
	assert_int_equal(ct_match(&f, AF_INET, b1, b2, b3, b4, IPPROTO_UDP, 5300), 0);
	assert_int_equal(ct_match(&f, AF_INET, b1, ip("127.0.0.1", b2), b3, b4, IPPROTO_UDP, 5300), 1);
	assert_int_equal(ct_match(&f, AF_INET6, b1, b2, b3, b4, IPPROTO_UDP, 5300), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(by_address_in_either_tuple),
		cmocka_unit_test(by_forwarded_port),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
