// SPDX-License-Identifier: GPL-2.0-or-later
/* test_netns_config.c - the link/addr/route/sysctl grammar of burrow-netns */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "netns/config.h"

/* Parse the words of @line (space separated, at most 8) */
static int parse(const char *group, const char *line, struct config_op *op, char *err)
{
	static char copy[256];
	char *argv[9], *tok, *save = NULL;
	int argc = 0;

	strcpy(copy, line);
	for (tok = strtok_r(copy, " ", &save); tok && argc < 8; tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	err[0] = '\0';
	return config_parse(group, argc, argv, op, err, 256);
}

static void link_actions(void **state)
{
	struct config_op op;
	char err[256];

	(void)state;
	assert_int_equal(parse("link", "up eth0", &op, err), 0);
	assert_int_equal(op.kind, CFG_LINK_UP);
	assert_string_equal(op.dev, "eth0");
	assert_int_equal(parse("link", "set-mtu eth0 1500", &op, err), 0);
	assert_int_equal(op.mtu, 1500);
	assert_int_equal(parse("link", "set-mtu eth0 15x", &op, err), -EINVAL);
	assert_non_null(strstr(err, "bad MTU"));
	assert_int_equal(parse("link", "set-mtu eth0 67", &op, err), -EINVAL);
	assert_int_equal(parse("link", "set-mtu eth0 -1", &op, err), -EINVAL);
	assert_int_equal(parse("link", "set-mac eth0 02:00:00:00:00:01", &op, err), 0);
	assert_int_equal(op.mac[0], 2);
	assert_int_equal(op.mac[5], 1);
	assert_int_equal(parse("link", "set-mac eth0 zz", &op, err), -EINVAL);
	assert_int_equal(parse("link", "add-veth v0 v1", &op, err), 0);
	assert_null(op.target);
	assert_int_equal(parse("link", "add-veth v0 v1 other", &op, err), 0);
	assert_string_equal(op.target, "other");
	assert_int_equal(parse("link", "move v0 /proc/1/ns/net", &op, err), 0);
	assert_string_equal(op.target, "/proc/1/ns/net");
	assert_int_equal(parse("link", "rename v0 averyveryverylongname", &op, err), -EINVAL);
	assert_int_equal(parse("link", "up a/b", &op, err), -EINVAL);
	/* lib/name's link-name rule, the same as burrow-bridge's: no DEL, no
	 * byte above 0x7f (the kernel would take them) */
	assert_int_equal(parse("link", "up a\x7f", &op, err), -EINVAL);
	assert_non_null(strstr(err, "bad link name"));
	assert_int_equal(parse("link", "rename v0 \xc3\xa9th0", &op, err), -EINVAL);
	assert_int_equal(parse("link", "up eth0.100", &op, err), 0);
	assert_int_equal(parse("link", "up", &op, err), -EINVAL);
	assert_int_equal(parse("link", "up a b", &op, err), -EINVAL);
	assert_int_equal(parse("link", "explode eth0", &op, err), -EINVAL);
	assert_non_null(strstr(err, "unknown action"));
	assert_int_equal(parse("link", "", &op, err), -EINVAL);
}

static void addresses(void **state)
{
	struct config_op op;
	char err[256];

	(void)state;
	assert_int_equal(parse("addr", "add eth0 10.0.2.100/24", &op, err), 0);
	assert_int_equal(op.kind, CFG_ADDR_ADD);
	assert_int_equal(op.cidr.prefix, 24);
	assert_int_equal(parse("addr", "del eth0 fd00::2/64", &op, err), 0);
	assert_int_equal(op.kind, CFG_ADDR_DEL);
	assert_int_equal(op.cidr.addr.family, AF_INET6);
	assert_int_equal(parse("addr", "add eth0 10.0.2.300/24", &op, err), -EINVAL);
	assert_int_equal(parse("addr", "add eth0", &op, err), -EINVAL);
	assert_int_equal(parse("addr", "flush eth0 10.0.0.1/8", &op, err), -EINVAL);
}

static void routes(void **state)
{
	struct config_op op;
	char err[256];

	(void)state;
	assert_int_equal(parse("route", "add default via 10.0.2.2 dev eth0", &op, err), 0);
	assert_int_equal(op.kind, CFG_ROUTE_ADD);
	assert_false(op.has_dst);
	assert_true(op.has_gw);
	assert_string_equal(op.dev, "eth0");
	assert_int_equal(parse("route", "add default via fd00::2", &op, err), 0);
	assert_null(op.dev);
	assert_int_equal(parse("route", "del 10.1.0.0/16 dev eth0", &op, err), 0);
	assert_int_equal(op.kind, CFG_ROUTE_DEL);
	assert_true(op.has_dst);
	assert_false(op.has_gw);
	assert_int_equal(parse("route", "add default", &op, err), -EINVAL);
	assert_int_equal(parse("route", "add default via", &op, err), -EINVAL);
	assert_int_equal(parse("route", "add default via 1.2.3.4 via 1.2.3.5", &op, err), -EINVAL);
	assert_int_equal(parse("route", "add 10.0.0.0/8 via fd00::1", &op, err), -EINVAL);
	assert_int_equal(parse("route", "add bogus dev eth0", &op, err), -EINVAL);
	assert_int_equal(parse("route", "add default metric 5", &op, err), -EINVAL);
}

static void sysctls(void **state)
{
	struct config_op op;
	char err[256];

	(void)state;
	assert_int_equal(parse("sysctl", "net.ipv4.ip_forward=1", &op, err), 0);
	assert_int_equal(op.kind, CFG_SYSCTL_SET);
	assert_string_equal(op.key, "net.ipv4.ip_forward");
	assert_string_equal(op.value, "1");
	assert_int_equal(parse("sysctl", "net/ipv4/ping_group_range=0", &op, err), 0);
	assert_int_equal(parse("sysctl", "net.ipv4.ip_forward", &op, err), 0);
	assert_int_equal(op.kind, CFG_SYSCTL_GET);
	assert_int_equal(parse("sysctl", "kernel.hostname=x", &op, err), -EINVAL);
	assert_int_equal(parse("sysctl", "net/../kernel/x=1", &op, err), -EINVAL);
	assert_int_equal(parse("sysctl", "=1", &op, err), -EINVAL);
	assert_int_equal(parse("sysctl", "", &op, err), -EINVAL);
	assert_int_equal(parse("bogus", "x", &op, err), -EINVAL);
}

static void describe(void **state)
{
	struct config_op op;
	char err[256], buf[256];

	(void)state;
	assert_int_equal(parse("addr", "add eth0 10.0.2.100/24", &op, err), 0);
	assert_string_equal(config_describe(&op, buf, sizeof(buf)),
			    "netconf_addr_add(eth0, 10.0.2.100/24)");
	assert_int_equal(parse("route", "add default via 10.0.2.2", &op, err), 0);
	assert_string_equal(config_describe(&op, buf, sizeof(buf)),
			    "netconf_route_add(-, default via 10.0.2.2)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(link_actions),
		cmocka_unit_test(addresses),
		cmocka_unit_test(routes),
		cmocka_unit_test(sysctls),
		cmocka_unit_test(describe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
