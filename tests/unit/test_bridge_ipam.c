// SPDX-License-Identifier: GPL-2.0-or-later
/* test_bridge_ipam.c - leases on disk, address arithmetic */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr.h"
#include "bridge/ipam.h"

static char root[64];

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/test_bridge_ipam.XXXXXX");
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static struct bo_subnet subnet(const char *net, const char *gw)
{
	struct bo_subnet s;

	memset(&s, 0, sizeof(s));
	assert_int_equal(cidr_parse(net, &s.net), 0);
	cidr_network(&s.net);
	if (gw)
		assert_int_equal(addr_parse(gw, &s.gw), 0);
	return s;
}

static const char *fmt(const struct addr *a)
{
	static char buf[ADDR_STRLEN];

	return addr_format(a, buf, sizeof(buf));
}

static void next_skips_gateway_and_broadcast(void **state)
{
	struct bo_subnet s = subnet("10.1.0.0/29", "10.1.0.1");
	struct addr a;
	char owner[16];
	int i;

	(void)state;
	/* .2 .. .6 are usable: 5 addresses */
	for (i = 0; i < 5; i++) {
		snprintf(owner, sizeof(owner), "c%d", i);
		assert_int_equal(ipam_next(root, "n", owner, &s, 0, &a), 0);
		assert_int_not_equal(a.v4.s_addr, 0);
	}
	assert_int_equal(ipam_next(root, "n", "full", &s, 0, &a), -ENOSPC);
	assert_int_equal(ipam_count(root, "n"), 5);
	/* freeing one makes exactly that one available again */
	assert_int_equal(addr_parse("10.1.0.4", &a), 0);
	assert_int_equal(ipam_release(root, "n", "c2", &a), 0);
	assert_int_equal(ipam_next(root, "n", "again", &s, 0, &a), 0);
	assert_string_equal(fmt(&a), "10.1.0.4");
}

static void reserve_is_exclusive(void **state)
{
	struct addr a;

	(void)state;
	assert_int_equal(addr_parse("10.2.0.9", &a), 0);
	assert_int_equal(ipam_reserve(root, "r", "one", &a), 0);
	assert_int_equal(ipam_reserve(root, "r", "one", &a), 0);
	assert_int_equal(ipam_reserve(root, "r", "two", &a), -EADDRINUSE);
	/* release by someone else is ignored */
	assert_int_equal(ipam_release(root, "r", "two", &a), 0);
	assert_int_equal(ipam_count(root, "r"), 1);
	assert_int_equal(ipam_release(root, "r", "one", &a), 0);
	assert_int_equal(ipam_count(root, "r"), 0);
}

static void ipv6_and_lease_range(void **state)
{
	struct bo_subnet s = subnet("fd00:1::/64", "fd00:1::1");
	struct addr a;

	(void)state;
	assert_int_equal(ipam_next(root, "v6", "x", &s, 1, &a), 0);
	assert_string_equal(fmt(&a), "fd00:1::2");
	s = subnet("10.3.0.0/24", NULL);
	assert_int_equal(addr_parse("10.3.0.100", &s.start), 0);
	assert_int_equal(addr_parse("10.3.0.101", &s.end), 0);
	assert_int_equal(ipam_next(root, "lr", "a", &s, 0, &a), 0);
	assert_string_equal(fmt(&a), "10.3.0.100");
	assert_int_equal(ipam_next(root, "lr", "b", &s, 0, &a), 0);
	assert_string_equal(fmt(&a), "10.3.0.101");
	assert_int_equal(ipam_next(root, "lr", "c", &s, 0, &a), -ENOSPC);
}

/* What a setup killed half way leaves, found by owner: its leases and the
 * empty file of a kill between create and write; others' leases stay. */
static void release_owner_sweeps_killed_setup(void **state)
{
	struct bo_subnet s = subnet("10.4.0.0/24", "10.4.0.1");
	char path[256];
	struct addr a;
	FILE *f;

	(void)state;
	assert_int_equal(ipam_next(root, "k", "dead", &s, 0, &a), 0);
	assert_int_equal(ipam_next(root, "k", "alive", &s, 0, &a), 0);
	assert_int_equal(ipam_next(root, "k", "dead", &s, 0, &a), 0);
	snprintf(path, sizeof(path), "%s/ipam/k/10.4.0.77", root);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(ipam_count(root, "k"), 4);
	assert_int_equal(ipam_release_owner(root, "k", "dead"), 0);
	assert_int_equal(ipam_count(root, "k"), 1);
	assert_int_equal(addr_parse("10.4.0.3", &a), 0);
	assert_int_equal(ipam_reserve(root, "k", "other", &a), -EADDRINUSE);
	/* a network with no leases at all */
	assert_int_equal(ipam_release_owner(root, "none", "dead"), 0);
}

static void address_arithmetic(void **state)
{
	struct cidr c, d;
	struct addr a;
	uint64_t n;

	(void)state;
	assert_int_equal(cidr_parse("10.0.0.77/24", &c), 0);
	cidr_network(&c);
	assert_int_equal(cidr_nth(&c, 255, &a), 0);
	assert_string_equal(fmt(&a), "10.0.0.255");
	assert_int_equal(cidr_nth(&c, 256, &a), -ERANGE);
	assert_int_equal(cidr_offset(&c, &a, &n), 0);
	assert_int_equal(n, 255);
	assert_int_equal(cidr_parse("10.0.0.128/25", &d), 0);
	assert_true(cidr_overlaps(&c, &d));
	assert_int_equal(cidr_parse("10.0.1.0/24", &d), 0);
	assert_false(cidr_overlaps(&c, &d));
	assert_int_equal(cidr_parse("10.0.0.0/33", &d), -EINVAL);
	assert_int_equal(cidr_parse("fd00::/129", &d), -EINVAL);
	assert_int_equal(cidr_parse("fd00::ff/120", &d), 0);
	cidr_network(&d);
	assert_int_equal(cidr_nth(&d, 0x1ff, &a), -ERANGE);
	assert_int_equal(cidr_parse("1.2.3.4", &d), 0);
	assert_int_equal(d.prefix, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(next_skips_gateway_and_broadcast, setup, teardown),
		cmocka_unit_test_setup_teardown(reserve_is_exclusive, setup, teardown),
		cmocka_unit_test_setup_teardown(ipv6_and_lease_range, setup, teardown),
		cmocka_unit_test_setup_teardown(release_owner_sweeps_killed_setup, setup, teardown),
		cmocka_unit_test(address_arithmetic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
