// SPDX-License-Identifier: GPL-2.0-or-later
/* test_bridge_netavark.c - NETAVARK_DNS_PORT and NETAVARK_FW /
 * --firewall-driver as netavark reads them, and netavark's words for what
 * is refused */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bridge/netavark.h"

static void test_dns_port(void **state)
{
	static const struct { const char *v; int ok; uint16_t port; const char *why; } cases[] = {
		{ "1153", 1, 1153, NULL },
		{ "65535", 1, 65535, NULL },
		{ "53", 1, 53, NULL },
		{ "abc", 0, 0, "Invalid NETAVARK_DNS_PORT abc: invalid digit found in string" },
		{ "", 0, 0, "cannot parse integer from empty string" },
		{ "70000", 0, 0, "number too large to fit in target type" },
		{ "-1", 0, 0, "invalid digit" },
		{ " 53", 0, 0, "invalid digit" },
		{ "53x", 0, 0, "invalid digit" },
		{ "0", 0, 0, "port 0" },
	};
	char e[256];
	uint16_t port;
	size_t i;

	(void)state;
	unsetenv("NETAVARK_DNS_PORT");
	assert_int_equal(nv_dns_port(&port, e, sizeof(e)), 0);
	assert_int_equal(port, 53);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		setenv("NETAVARK_DNS_PORT", cases[i].v, 1);
		e[0] = '\0';
		if (cases[i].ok) {
			assert_int_equal(nv_dns_port(&port, e, sizeof(e)), 0);
			assert_int_equal(port, cases[i].port);
		} else {
			assert_int_equal(nv_dns_port(&port, e, sizeof(e)), -EINVAL);
			assert_non_null(strstr(e, cases[i].why));
		}
	}
	unsetenv("NETAVARK_DNS_PORT");
}

static void test_firewall_driver(void **state)
{
	char e[512];

	(void)state;
	unsetenv("NETAVARK_FW");
	assert_int_equal(nv_firewall_driver(NULL, e, sizeof(e)), 0);
	setenv("NETAVARK_FW", "", 1);
	assert_int_equal(nv_firewall_driver(NULL, e, sizeof(e)), 0);
	setenv("NETAVARK_FW", "NFTables", 1);
	assert_int_equal(nv_firewall_driver(NULL, e, sizeof(e)), 0);
	setenv("NETAVARK_FW", "iptables", 1);
	assert_int_equal(nv_firewall_driver(NULL, e, sizeof(e)), -EINVAL);
	assert_non_null(strstr(e, "Must provide a valid firewall backend, got iptables (NETAVARK_FW)"));
	/* the option wins over the variable, both ways */
	assert_int_equal(nv_firewall_driver("nftables", e, sizeof(e)), 0);
	setenv("NETAVARK_FW", "nftables", 1);
	assert_int_equal(nv_firewall_driver("firewalld", e, sizeof(e)), -EINVAL);
	assert_non_null(strstr(e, "got firewalld (--firewall-driver)"));
	assert_int_equal(nv_firewall_driver("none", e, sizeof(e)), -EINVAL);
	unsetenv("NETAVARK_FW");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dns_port),
		cmocka_unit_test(test_firewall_driver),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
