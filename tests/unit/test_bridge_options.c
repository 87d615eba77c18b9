// SPDX-License-Identifier: GPL-2.0-or-later
/* test_bridge_options.c - netavark options JSON parsing */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <netinet/in.h>

#include "addr.h"
#include "bridge/options.h"

/* The exact JSON Podman 4.3.1 sent (recorded) */
static const char podman_setup[] =
	"{\"container_id\":\"8965724ea9dc4ae9a20be3318243602b2236eb5a0d6cd5659520aadb55aec77b\","
	"\"container_name\":\"w2\",\"port_mappings\":[{\"host_ip\":\"\",\"container_port\":80,"
	"\"host_port\":8088,\"range\":1,\"protocol\":\"tcp\"}],\"networks\":{\"wnet\":{\"static_ips\":"
	"[\"10.77.0.2\"],\"aliases\":[\"8965724ea9dc\"],\"interface_name\":\"eth0\"}},\"network_info\":"
	"{\"wnet\":{\"name\":\"wnet\",\"id\":\"31230141a6e24b26d479b354f82fe5a8bf02d470ba75c1cfd7c3d199ee1167a9\","
	"\"driver\":\"bridge\",\"network_interface\":\"podman1\",\"created\":\"2026-11-22T16:12:17.108600611Z\","
	"\"subnets\":[{\"subnet\":\"10.77.0.0/24\",\"gateway\":\"10.77.0.1\"}],\"ipv6_enabled\":false,"
	"\"internal\":false,\"dns_enabled\":true,\"ipam_options\":{\"driver\":\"host-local\"}}}}";

static int parse(const char *s, struct bo_options *o, char *err, size_t len)
{
	return bo_parse_netavark(s, strlen(s), o, err, len);
}

static void recorded_podman_input(void **state)
{
	struct bo_options o;
	char err[256] = "", buf[CIDR_STRLEN];

	(void)state;
	assert_int_equal(parse(podman_setup, &o, err, sizeof(err)), 0);
	assert_string_equal(o.container_name, "w2");
	assert_int_equal(o.nnets, 1);
	assert_string_equal(o.nets[0].name, "wnet");
	assert_string_equal(o.nets[0].bridge, "podman1");
	assert_string_equal(o.nets[0].ifname, "eth0");
	assert_int_equal(o.nets[0].nsubnets, 1);
	assert_string_equal(cidr_format(&o.nets[0].subnets[0].net, buf, sizeof(buf)), "10.77.0.0/24");
	assert_string_equal(addr_format(&o.nets[0].subnets[0].gw, buf, sizeof(buf)), "10.77.0.1");
	assert_int_equal(o.nets[0].nstatic, 1);
	assert_true(o.nets[0].masquerade);
	assert_true(o.nets[0].route_default);
	assert_int_equal(o.nports, 1);
	assert_int_equal(o.ports[0].proto, IPPROTO_TCP);
	assert_int_equal(o.ports[0].host_port, 8088);
	assert_int_equal(o.ports[0].ctr_port, 80);
	assert_int_equal(o.ports[0].range, 1);
	assert_int_equal(o.ports[0].host_ip.family, 0);
}

static void protocol_list_and_range(void **state)
{
	struct bo_options o;
	char err[256] = "";
	const char *s = "{\"container_id\":\"abc\",\"port_mappings\":[{\"host_ip\":\"127.0.0.1\","
			"\"container_port\":9000,\"host_port\":8000,\"range\":11,\"protocol\":\"tcp,udp\"}],"
			"\"networks\":{}}";

	(void)state;
	assert_int_equal(parse(s, &o, err, sizeof(err)), 0);
	assert_int_equal(o.nports, 2);
	assert_int_equal(o.ports[0].proto, IPPROTO_TCP);
	assert_int_equal(o.ports[1].proto, IPPROTO_UDP);
	assert_int_equal(o.ports[1].range, 11);
	assert_int_equal(o.ports[1].host_ip.family, AF_INET);
}

/* Each bad input fails with a message naming the field */
static void bad_inputs_name_the_field(void **state)
{
	static const struct { const char *json, *msg; } cases[] = {
		{ "{", "invalid JSON" },
		{ "[]", "options: expected object, got array" },
		{ "{\"networks\":{}}", "options.container_id: missing" },
		{ "{\"container_id\":7}", "options.container_id: expected string, got integer" },
		{ "{\"container_id\":\"../x\"}", "container_id: bad container ID" },
		{ "{\"container_id\":\"-x\"}", "container_id: bad container ID" },
		{ "{\"container_id\":\"a\",\"networks\":{\"-n\":{\"interface_name\":\"eth0\"}}}",
		  "networks: bad network name '-n'" },
		{ "{\"container_id\":\"a\",\"port_mappings\":{}}", "options.port_mappings: expected array, got object" },
		{ "{\"container_id\":\"a\",\"port_mappings\":[{\"container_port\":0}]}",
		  "port_mappings[0].container_port: 0 out of range" },
		{ "{\"container_id\":\"a\",\"port_mappings\":[{\"container_port\":80,\"range\":65535,\"host_port\":2}]}",
		  "port_mappings[0].range" },
		{ "{\"container_id\":\"a\",\"port_mappings\":[{\"container_port\":80,\"host_ip\":\"1.2.3\"}]}",
		  "port_mappings[0].host_ip: bad address" },
		{ "{\"container_id\":\"a\",\"port_mappings\":[{\"container_port\":80,\"host_ip\":\"::1\"}]}",
		  "port_mappings[0].host_ip: ::1 cannot be forwarded" },
		{ "{\"container_id\":\"a\",\"port_mappings\":[{\"container_port\":80},{\"container_port\":80}]}",
		  "port_mappings[1]: host port 80/tcp already forwarded" },
		{ "{\"container_id\":\"a\",\"networks\":{\"n\":{\"interface_name\":\"eth0\"}}}",
		  "network_info.n: missing" },
		{ "{\"container_id\":\"a\",\"networks\":{\"n\":{}},\"network_info\":{}}",
		  "networks.n.interface_name: missing" },
		{ "{\"container_id\":\"a\",\"networks\":{\"n\":{\"interface_name\":\"a/b\"}},\"network_info\":{}}",
		  "networks.n.interface_name: bad interface name" },
		{ "{\"container_id\":\"a\",\"networks\":{\"n\":{\"interface_name\":\"eth0\"}},"
		  "\"network_info\":{\"n\":{\"driver\":\"macvlan\",\"network_interface\":\"x\"}}}",
		  "network_info.n.driver: unsupported driver 'macvlan'" },
		{ "{\"container_id\":\"a\",\"networks\":{\"n\":{\"interface_name\":\"eth0\"}},"
		  "\"network_info\":{\"n\":{\"network_interface\":\"b0\",\"subnets\":[{\"subnet\":\"10.0.0.0/33\"}]}}}",
		  "network_info.n.subnets[0].subnet: bad prefix" },
		{ "{\"container_id\":\"a\",\"networks\":{\"n\":{\"interface_name\":\"eth0\"}},"
		  "\"network_info\":{\"n\":{\"network_interface\":\"b0\",\"subnets\":[{\"subnet\":\"10.0.0.0/24\",\"gateway\":\"10.1.0.1\"}]}}}",
		  "network_info.n.subnets[0].gateway" },
		{ "{\"container_id\":\"a\",\"networks\":{\"n\":{\"interface_name\":\"eth0\",\"static_ips\":[\"10.9.0.2\"]}},"
		  "\"network_info\":{\"n\":{\"network_interface\":\"b0\",\"subnets\":[{\"subnet\":\"10.0.0.0/24\"}]}}}",
		  "networks.n.static_ips[0]: not in any subnet" },
		{ "{\"container_id\":\"a\",\"networks\":{\"n\":{\"interface_name\":\"eth0\"}},"
		  "\"network_info\":{\"n\":{\"network_interface\":\"b0\",\"options\":{\"mtu\":\"9x\"}}}}",
		  "network_info.n.options.mtu: bad MTU" },
		{ "{\"container_id\":\"a\",\"networks\":{\"n\":{\"interface_name\":\"eth0\"}},"
		  "\"network_info\":{\"n\":{\"network_interface\":\"b0\",\"internal\":\"yes\"}}}",
		  "network_info.n.internal: expected boolean, got string" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bo_options o;
		char err[256] = "";

		assert_int_equal(parse(cases[i].json, &o, err, sizeof(err)), -22);
		if (!strstr(err, cases[i].msg))
			fail_msg("case %zu: '%s' does not contain '%s'", i, err, cases[i].msg);
	}
}

static void internal_and_isolate(void **state)
{
	struct bo_options o;
	char err[256] = "";
	const char *s = "{\"container_id\":\"a\",\"networks\":{\"n\":{\"interface_name\":\"eth1\","
			"\"static_mac\":\"02:00:00:00:00:01\"}},\"network_info\":{\"n\":{\"network_interface\":\"b0\","
			"\"internal\":true,\"options\":{\"isolate\":\"strict\",\"mtu\":\"9000\"},"
			"\"subnets\":[{\"subnet\":\"fd00::/64\",\"gateway\":\"fd00::1\"}]}}}";

	(void)state;
	assert_int_equal(parse(s, &o, err, sizeof(err)), 0);
	assert_true(o.nets[0].internal);
	assert_false(o.nets[0].masquerade);
	assert_false(o.nets[0].route_default);
	assert_int_equal(o.nets[0].isolate, BO_ISOLATE_STRICT);
	assert_int_equal(o.nets[0].mtu, 9000);
	assert_true(o.nets[0].has_mac);
	assert_int_equal(o.nets[0].mac[5], 1);
	assert_int_equal(o.nets[0].subnets[0].net.addr.family, AF_INET6);
}

/* Config addresses are plain: the brackets lib/addr.h takes are refused */
static void config_addresses_have_no_brackets(void **state)
{
	struct addr a;
	struct cidr c;

	(void)state;
	assert_int_equal(bo_parse_addr("2001:db8::1", &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(bo_parse_addr("[2001:db8::1]", &a), -EINVAL);
	assert_int_equal(bo_parse_addr("192.0.2.1", &a), 0);
	assert_int_equal(bo_parse_addr("", &a), -EINVAL);
	assert_int_equal(bo_parse_cidr("fd00::/64", &c), 0);
	assert_int_equal(c.prefix, 64);
	assert_int_equal(bo_parse_cidr("[fd00::]/64", &c), -EINVAL);
	assert_int_equal(bo_parse_cidr("10.88.0.0/33", &c), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recorded_podman_input),
		cmocka_unit_test(protocol_list_and_range),
		cmocka_unit_test(bad_inputs_name_the_field),
		cmocka_unit_test(internal_and_isolate),
		cmocka_unit_test(config_addresses_have_no_brackets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
