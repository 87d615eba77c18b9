// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_netconf.c - links, addresses, routes and sysctls, in a private
 * network namespace that the test process makes for itself (root only)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr.h"
#include "netconf.h"

static int have_ns;

/* Every test runs in one fresh network namespace: nothing leaks to the host */
static int setup_ns(void **state)
{
	(void)state;
	if (geteuid() != 0)
		return 0;	/* these tests need root; as a user they skip */
	/* as root a namespace of our own is always possible: not getting one
	 * is a failure, never a reason to skip every test */
	if (unshare(CLONE_NEWNET)) {
		print_error("unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return -1;
	}
	have_ns = 1;
	return 0;
}

#define NEED_NS() do { if (!have_ns) skip(); } while (0)

static struct cidr cidr(const char *s)
{
	struct cidr c;

	assert_int_equal(cidr_parse(s, &c), 0);
	return c;
}

static struct addr addr(const char *s)
{
	struct addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

/* bind() to @s succeeds only once the address is configured and not tentative */
static int can_bind(const char *s)
{
	struct sockaddr_storage ss;
	struct addr a = addr(s);
	size_t len = addr_to_sockaddr(&a, 0, &ss);
	int fd = socket(a.family, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret;

	assert_true(fd >= 0);
	ret = bind(fd, (struct sockaddr *)&ss, (socklen_t)len);
	close(fd);
	return ret == 0;
}

static void loopback_up(void **state)
{
	(void)state;
	NEED_NS();
	assert_int_equal(netconf_link_index("lo"), 1);
	assert_int_equal(netconf_link_up("lo"), 0);
	assert_true(can_bind("127.0.0.1"));
	assert_int_equal(netconf_link_index("nosuchlink0"), -ENODEV);
	assert_int_equal(netconf_link_up("nosuchlink0"), -ENODEV);
}

static void veth_mtu_mac_rename(void **state)
{
	uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 }, got[6];

	(void)state;
	NEED_NS();
	assert_int_equal(netconf_veth_create("tva", "tvb", -1), 0);
	assert_int_equal(netconf_veth_create("tva", "tvc", -1), -EEXIST);
	assert_true(netconf_link_index("tvb") > 0);
	assert_int_equal(netconf_link_set_mtu("tva", 1400), 0);
	assert_int_equal(netconf_link_set_mac("tva", mac), 0);
	assert_int_equal(netconf_link_get_mac("tva", got), 0);
	assert_memory_equal(mac, got, 6);
	assert_int_equal(netconf_link_rename("tvb", "tvr"), 0);
	assert_int_equal(netconf_link_index("tvb"), -ENODEV);
	assert_true(netconf_link_index("tvr") > 0);
	assert_int_equal(netconf_link_up("tva"), 0);
	assert_int_equal(netconf_link_up("tvr"), 0);
	assert_int_equal(netconf_link_down("tvr"), 0);
	assert_int_equal(netconf_link_delete("tva"), 0);
	assert_int_equal(netconf_link_index("tvr"), -ENODEV);
	assert_int_equal(netconf_link_delete("tva"), -ENODEV);
}

static void addresses_and_routes(void **state)
{
	struct cidr c4 = cidr("198.51.100.1/24"), c6 = cidr("2001:db8:1::1/64");
	struct cidr net = cidr("203.0.113.0/24"), net6 = cidr("2001:db8:2::/48");
	struct addr gw4 = addr("198.51.100.2"), gw6 = addr("2001:db8:1::2");
	struct addr far = addr("203.0.113.250");

	(void)state;
	NEED_NS();
	assert_int_equal(netconf_veth_create("tra", "trb", -1), 0);
	assert_int_equal(netconf_link_up("tra"), 0);
	assert_int_equal(netconf_link_up("trb"), 0);
	assert_int_equal(netconf_addr_add("tra", &c4), 0);
	assert_int_equal(netconf_addr_add("tra", &c4), -EEXIST);
	assert_int_equal(netconf_addr_add("tra", &c6), 0);
	assert_true(can_bind("198.51.100.1"));
	assert_true(can_bind("2001:db8:1::1"));	/* nodad: usable at once */

	assert_int_equal(netconf_route_add("tra", NULL, &gw4), 0);
	assert_int_equal(netconf_route_add("tra", NULL, &gw4), -EEXIST);
	assert_int_equal(netconf_route_add(NULL, &net, &gw4), 0);
	assert_int_equal(netconf_route_add("tra", NULL, &gw6), 0);
	assert_int_equal(netconf_route_add("tra", &net6, NULL), 0);
	assert_int_equal(netconf_route_add(NULL, &net6, &far), -EINVAL);
	assert_int_equal(netconf_route_add("tra", &net, &far), -ENETUNREACH);
	assert_int_equal(netconf_route_add(NULL, NULL, NULL), -EINVAL);

	assert_int_equal(netconf_route_del(NULL, &net, &gw4), 0);
	assert_int_equal(netconf_route_del(NULL, &net, &gw4), -ESRCH);
	assert_int_equal(netconf_route_del("tra", NULL, &gw6), 0);
	assert_int_equal(netconf_addr_del("tra", &c4), 0);
	assert_int_equal(netconf_addr_del("tra", &c4), -EADDRNOTAVAIL);
	assert_false(can_bind("198.51.100.1"));
	assert_int_equal(netconf_link_delete("tra"), 0);
}

static void bridge_and_master(void **state)
{
	(void)state;
	NEED_NS();
	assert_int_equal(netconf_bridge_create("tbr0"), 0);
	assert_int_equal(netconf_bridge_create("tbr0"), -EEXIST);
	assert_int_equal(netconf_veth_create("tba", "tbb", -1), 0);
	assert_int_equal(netconf_link_set_master("tba", "tbr0"), 0);
	assert_int_equal(netconf_link_set_master("tba", "nosuchbr"), -ENODEV);
	assert_int_equal(netconf_link_delete("tba"), 0);
	assert_int_equal(netconf_link_delete("tbr0"), 0);
}

static void move_between_namespaces(void **state)
{
	int here, other;

	(void)state;
	NEED_NS();
	here = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(here >= 0);
	assert_int_equal(unshare(CLONE_NEWNET), 0);
	other = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(other >= 0);
	assert_int_equal(setns(here, CLONE_NEWNET), 0);

	/* peer made directly in the other namespace */
	assert_int_equal(netconf_veth_create("tma", "tmb", other), 0);
	assert_int_equal(netconf_link_index("tmb"), -ENODEV);
	/* and one end moved there afterwards */
	assert_int_equal(netconf_veth_create("tmc", "tmd", -1), 0);
	assert_int_equal(netconf_link_move_ns("tmd", other), 0);
	assert_int_equal(netconf_link_index("tmd"), -ENODEV);
	assert_int_equal(netconf_link_move_ns("tmd", -1), -EBADF);

	assert_int_equal(setns(other, CLONE_NEWNET), 0);
	assert_true(netconf_link_index("tmb") > 0);
	assert_true(netconf_link_index("tmd") > 0);
	assert_int_equal(setns(here, CLONE_NEWNET), 0);
	assert_int_equal(netconf_link_delete("tma"), 0);
	assert_int_equal(netconf_link_delete("tmc"), 0);
	close(other);
	close(here);
}

static void sysctls(void **state)
{
	char buf[64];

	(void)state;
	NEED_NS();
	assert_int_equal(netconf_sysctl_set("net/ipv4/ip_forward", "1"), 0);
	assert_int_equal(netconf_sysctl_get("net.ipv4.ip_forward", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1");
	assert_int_equal(netconf_sysctl_set("net.ipv4.ip_forward", "0"), 0);
	assert_int_equal(netconf_sysctl_get("net/ipv4/ip_forward", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0");
	assert_int_equal(netconf_sysctl_get("net/ipv4/no_such_key", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(netconf_sysctl_get("../etc/passwd", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(netconf_sysctl_set("/etc/passwd", "x"), -EINVAL);
	assert_int_equal(netconf_sysctl_get("net/ipv4/ip_forward", buf, 1), -EOVERFLOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loopback_up),
		cmocka_unit_test(veth_mtu_mac_rename),
		cmocka_unit_test(addresses_and_routes),
		cmocka_unit_test(bridge_and_master),
		cmocka_unit_test(move_between_namespaces),
		cmocka_unit_test(sysctls),
	};
	return cmocka_run_group_tests(tests, setup_ns, NULL);
}
