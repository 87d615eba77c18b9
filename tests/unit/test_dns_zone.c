// SPDX-License-Identifier: GPL-2.0-or-later
/* test_dns_zone.c - per-network name table: names, search domain, aliases
 * shared by several containers, case, reverse lookups, subnets; and the
 * resolv.conf parser of fwd.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "dns/fwd.h"
#include "dns/zone.h"

static const char rec[] =
	"listen 10.9.0.1/24\n"
	"listen fd00:9::1/64\n"
	"ctr a 10.9.0.2 fd00:9::2 Web,shared -\n"
	"ctr b 10.9.0.3 - db,shared -\n";

static void lookups(void **state)
{
	struct dnsrec_net n;
	struct zone z;
	struct addr out[8], a;
	char buf[ADDR_STRLEN];
	size_t cnt;

	(void)state;
	dnsrec_init(&n, "net");
	assert_int_equal(dnsrec_parse(rec, strlen(rec), &n, NULL, 0), 0);
	assert_int_equal(zone_build(&z, &n), 0);
	assert_int_equal(n.nctr, 0);		/* moved */
	assert_int_equal(zone_lookup(&z, "web", AF_INET, out, 8, &cnt), ZONE_FOUND);
	assert_int_equal(cnt, 1);
	assert_string_equal(addr_format(&out[0], buf, sizeof(buf)), "10.9.0.2");
	assert_int_equal(zone_lookup(&z, "web.dns.podman", AF_INET6, out, 8, &cnt), ZONE_FOUND);
	assert_string_equal(addr_format(&out[0], buf, sizeof(buf)), "fd00:9::2");
	assert_int_equal(zone_lookup(&z, "db", AF_INET6, out, 8, &cnt), ZONE_FOUND);
	assert_int_equal(cnt, 0);
	assert_int_equal(zone_lookup(&z, "shared", AF_INET, out, 8, &cnt), ZONE_FOUND);
	assert_int_equal(cnt, 2);
	assert_int_equal(zone_lookup(&z, "shared", AF_INET, out, 1, &cnt), ZONE_FOUND);
	assert_int_equal(cnt, 1);
	assert_int_equal(zone_lookup(&z, "nobody.dns.podman", AF_INET, out, 8, &cnt), ZONE_NXDOMAIN);
	assert_int_equal(zone_lookup(&z, "nobody", AF_INET, out, 8, &cnt), ZONE_OTHER);
	assert_int_equal(zone_lookup(&z, "web.example", AF_INET, out, 8, &cnt), ZONE_OTHER);
	assert_int_equal(zone_lookup(&z, "dns.podman", AF_INET, out, 8, &cnt), ZONE_FOUND);
	assert_int_equal(zone_lookup(&z, "xdns.podman", AF_INET, out, 8, &cnt), ZONE_OTHER);
	addr_parse("10.9.0.3", &a);
	assert_non_null(zone_ctr_by_addr(&z, &a));
	assert_string_equal(zone_ctr_by_addr(&z, &a)->id, "b");
	assert_true(zone_in_subnet(&z, &a));
	addr_parse("10.9.1.3", &a);
	assert_null(zone_ctr_by_addr(&z, &a));
	assert_false(zone_in_subnet(&z, &a));
	addr_parse("fd00:9::77", &a);
	assert_true(zone_in_subnet(&z, &a));
	zone_free(&z);
	dnsrec_free(&n);
}

static void empty_zone(void **state)
{
	struct dnsrec_net n;
	struct zone z;
	struct addr out[2];
	size_t cnt;

	(void)state;
	dnsrec_init(&n, "e");
	assert_int_equal(zone_build(&z, &n), 0);
	assert_int_equal(zone_lookup(&z, "x", AF_INET, out, 2, &cnt), ZONE_OTHER);
	zone_free(&z);
}

static void resolv_conf(void **state)
{
	struct addr a[4];
	char buf[ADDR_STRLEN];

	(void)state;
	assert_int_equal(fwd_parse_resolv("# x\nsearch a\nnameserver 127.0.0.53\n"
					  "nameserver fe80::1%eth0\n  nameserver\t2001:db8::53\n"
					  "nameserver bogus\nnameserver 0.0.0.0\noptions edns0", a, 4), 2);
	assert_string_equal(addr_format(&a[0], buf, sizeof(buf)), "127.0.0.53");
	assert_string_equal(addr_format(&a[1], buf, sizeof(buf)), "2001:db8::53");
	assert_int_equal(fwd_parse_resolv("nameserver 1.1.1.1\nnameserver 1.1.1.2\n", a, 1), 1);
	assert_int_equal(fwd_parse_resolv("", a, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lookups),
		cmocka_unit_test(empty_zone),
		cmocka_unit_test(resolv_conf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
