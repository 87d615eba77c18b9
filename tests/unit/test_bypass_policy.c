// SPDX-License-Identifier: GPL-2.0-or-later
/* test_bypass_policy.c - which destinations get a host socket: remote peers
 * only; never the host's loopback (also v4-mapped), unspecified, multicast,
 * the container's networks or exclusions; sockaddr parsing of short,
 * truncated and foreign input; published ports by container port */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "bypass/policy.h"

static enum policy_verdict verdict(const struct policy *p, const char *a)
{
	struct addr x;

	assert_int_equal(addr_parse(a, &x), 0);
	addr_unmap(&x);
	return policy_connect(p, &x);
}

static void test_connect(void **state)
{
	struct policy p;

	(void)state;
	policy_init(&p);
	assert_int_equal(verdict(&p, "2001:db8:2::10"), POLICY_TAP);	/* no -6 */
	p.ipv6 = 1;
	assert_int_equal(verdict(&p, "203.0.113.10"), POLICY_HOST);
	assert_int_equal(verdict(&p, "2001:db8:2::10"), POLICY_HOST);
	assert_int_equal(verdict(&p, "::ffff:203.0.113.10"), POLICY_HOST);
	assert_int_equal(verdict(&p, "127.0.0.1"), POLICY_TAP);
	assert_int_equal(verdict(&p, "127.255.0.9"), POLICY_TAP);
	assert_int_equal(verdict(&p, "::ffff:127.0.0.1"), POLICY_TAP);
	assert_int_equal(verdict(&p, "::1"), POLICY_TAP);
	assert_int_equal(verdict(&p, "0.0.0.0"), POLICY_TAP);
	assert_int_equal(verdict(&p, "::"), POLICY_TAP);
	assert_int_equal(verdict(&p, "10.0.2.2"), POLICY_TAP);
	assert_int_equal(verdict(&p, "10.0.2.100"), POLICY_TAP);
	assert_int_equal(verdict(&p, "fd00::2"), POLICY_TAP);
	assert_int_equal(verdict(&p, "fe80::1"), POLICY_TAP);
	assert_int_equal(verdict(&p, "224.0.0.1"), POLICY_TAP);
	assert_int_equal(verdict(&p, "255.255.255.255"), POLICY_TAP);
	assert_int_equal(verdict(&p, "ff02::1"), POLICY_TAP);
	assert_int_equal(policy_add_exclude(&p, "203.0.113.0/24"), 0);
	assert_int_equal(verdict(&p, "203.0.113.10"), POLICY_TAP);
	assert_int_equal(verdict(&p, "198.51.100.2"), POLICY_HOST);
	assert_int_equal(policy_add_exclude(&p, "bad"), -EINVAL);
}

static void test_sockaddr(void **state)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6, .sin6_port = htons(80) };
	struct sockaddr_in s4 = { .sin_family = AF_INET, .sin_port = htons(9000) };
	uint16_t port;
	struct addr a;
	char junk[8] = { 1, 0 };

	(void)state;
	inet_pton(AF_INET, "203.0.113.10", &s4.sin_addr);
	assert_int_equal(policy_sockaddr(&s4, sizeof(s4), sizeof(s4), &a, &port), AF_INET);
	assert_int_equal(port, 9000);
	assert_int_equal(policy_sockaddr(&s4, sizeof(s4), 4, &a, &port), -EINVAL);
	assert_int_equal(policy_sockaddr(&s4, 8, 8, &a, &port), -EINVAL);
	assert_int_equal(policy_sockaddr(&s4, 1, 1, &a, &port), -EINVAL);
	assert_int_equal(policy_sockaddr(junk, sizeof(junk), sizeof(junk), &a, &port),
			 -EAFNOSUPPORT);
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &s6.sin6_addr);
	assert_int_equal(policy_sockaddr(&s6, sizeof(s6), sizeof(s6), &a, &port), AF_INET6);
	assert_int_equal(a.family, AF_INET);	/* unmapped */
	assert_int_equal(policy_sockaddr(&s6, sizeof(s6), 20, &a, &port), -EINVAL);
	junk[0] = 0;
	junk[1] = 0;
	assert_int_equal(policy_sockaddr(junk, 2, 2, &a, &port), AF_UNSPEC);
}

static void test_bind(void **state)
{
	struct policy p;
	struct addr any = { 0 }, mine, other;
	char err[128];

	(void)state;
	policy_init(&p);
	assert_int_equal(portspec_parse("8080:80", &p.ports[0], err, sizeof(err)), 0);
	assert_int_equal(portspec_parse("5000-5001:6000-6001/udp", &p.ports[1], err,
					sizeof(err)), 0);
	p.nports = 2;
	assert_int_equal(addr_parse("10.0.2.100", &mine), 0);
	assert_int_equal(addr_parse("203.0.113.1", &other), 0);
	assert_non_null(policy_bind(&p, IPPROTO_TCP, &any, 80));
	assert_non_null(policy_bind(&p, IPPROTO_TCP, &mine, 80));
	assert_null(policy_bind(&p, IPPROTO_TCP, &other, 80));
	assert_null(policy_bind(&p, IPPROTO_UDP, &any, 80));
	assert_null(policy_bind(&p, IPPROTO_TCP, &any, 81));
	assert_ptr_equal(policy_bind(&p, IPPROTO_UDP, &any, 6001), &p.ports[1]);
	assert_null(policy_bind(&p, IPPROTO_UDP, &any, 6002));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connect),
		cmocka_unit_test(test_sockaddr),
		cmocka_unit_test(test_bind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
