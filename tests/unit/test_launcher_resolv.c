// SPDX-License-Identifier: GPL-2.0-or-later
/* test_launcher_resolv.c - a bridge container's resolv.conf */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "launcher/resolv.h"

static const char host[] =
	"# generated\n"
	"domain corp.test\n"
	"search a.test b.test\n"
	"nameserver 127.0.0.53\n"
	"nameserver 192.0.2.53\n"
	"nameserver ::1\n"
	"nameserver 2001:db8::53\n"
	"options ndots:2 timeout:1\n";

static void network_dns_servers_first(void **state)
{
	const char *servers[] = { "10.89.7.1", "fd89:7::1" }, *search[] = { "dns.podman" };
	char out[512];

	(void)state;
	assert_true(resolv_build(host, strlen(host), servers, 2, search, 1, 1, out,
				 sizeof(out)) > 0);
	assert_string_equal(out, "search dns.podman corp.test a.test b.test\n"
			    "nameserver 10.89.7.1\nnameserver fd89:7::1\n"
			    "options ndots:2 timeout:1\n");
	/* no IPv6 in the container: no IPv6 server */
	assert_true(resolv_build(host, strlen(host), servers, 2, search, 1, 0, out,
				 sizeof(out)) > 0);
	assert_null(strstr(out, "fd89"));
}

static void host_resolvers_without_loopback(void **state)
{
	char out[512];

	(void)state;
	assert_true(resolv_build(host, strlen(host), NULL, 0, NULL, 0, 1, out, sizeof(out)) > 0);
	assert_string_equal(out, "search corp.test a.test b.test\n"
			    "nameserver 192.0.2.53\nnameserver 2001:db8::53\n"
			    "options ndots:2 timeout:1\n");
	assert_true(resolv_build(host, strlen(host), NULL, 0, NULL, 0, 0, out, sizeof(out)) > 0);
	assert_null(strstr(out, "2001:db8::53"));
}

static void only_loopback_gives_nothing(void **state)
{
	static const char lo[] = "nameserver 127.0.0.1\nnameserver ::1\n";
	char out[64];

	(void)state;
	assert_int_equal(resolv_build(lo, strlen(lo), NULL, 0, NULL, 0, 1, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(resolv_build(NULL, 0, NULL, 0, NULL, 0, 1, out, sizeof(out)), 0);
}

static void too_small(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(resolv_build(host, strlen(host), NULL, 0, NULL, 0, 1, out, sizeof(out)),
			 -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(network_dns_servers_first),
		cmocka_unit_test(host_resolvers_without_loopback),
		cmocka_unit_test(only_loopback_gives_nothing),
		cmocka_unit_test(too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
