// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_netconf.c - links, addresses, routes and sysctls, in a private
 * network namespace that the test process makes for itself (root only), over
 * one socket; a second namespace for sockets and sysctls made elsewhere
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
static struct netconf nc = NETCONF_INIT;	/* a socket in our namespace */

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
	if (netconf_open(&nc, -1)) {
		print_error("netconf_open: failed\n");
		return -1;
	}
	have_ns = 1;
	return 0;
}

static int teardown_ns(void **state)
{
	(void)state;
	netconf_close(&nc);
	netconf_close(&nc);	/* twice: harmless */
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

/* A plain veth pair @a / @b, @b in namespace @ns (-1: ours) */
static int mkveth(const char *a, const char *b, int ns)
{
	struct netconf_veth v = { .name = a, .peer = b, .peer_netns_fd = ns };

	return netconf_veth_create(&nc, &v);
}

static void loopback_up(void **state)
{
	(void)state;
	NEED_NS();
	assert_int_equal(netconf_link_index(&nc, "lo"), 1);
	assert_int_equal(netconf_link_up(&nc, "lo"), 0);
	assert_true(can_bind("127.0.0.1"));
	assert_int_equal(netconf_link_index(&nc, "nosuchlink0"), -ENODEV);
	assert_int_equal(netconf_link_up(&nc, "nosuchlink0"), -ENODEV);
}

static void veth_mtu_mac_rename(void **state)
{
	uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 }, got[6];

	(void)state;
	NEED_NS();
	assert_int_equal(mkveth("tva", "tvb", -1), 0);
	assert_int_equal(mkveth("tva", "tvc", -1), -EEXIST);
	assert_true(netconf_link_index(&nc, "tvb") > 0);
	assert_int_equal(netconf_link_set_mtu(&nc, "tva", 1400), 0);
	assert_int_equal(netconf_link_set_mac(&nc, "tva", mac), 0);
	assert_int_equal(netconf_link_get_mac(&nc, "tva", got), 0);
	assert_memory_equal(mac, got, 6);
	assert_int_equal(netconf_link_rename(&nc, "tvb", "tvr"), 0);
	assert_int_equal(netconf_link_index(&nc, "tvb"), -ENODEV);
	assert_true(netconf_link_index(&nc, "tvr") > 0);
	assert_int_equal(netconf_link_up(&nc, "tva"), 0);
	assert_int_equal(netconf_link_up(&nc, "tvr"), 0);
	assert_int_equal(netconf_link_down(&nc, "tvr"), 0);
	assert_int_equal(netconf_link_delete(&nc, "tva"), 0);
	assert_int_equal(netconf_link_index(&nc, "tvr"), -ENODEV);
	assert_int_equal(netconf_link_delete(&nc, "tva"), -ENODEV);
}

static void addresses_and_routes(void **state)
{
	struct cidr c4 = cidr("198.51.100.1/24"), c6 = cidr("2001:db8:1::1/64");
	struct cidr net = cidr("203.0.113.0/24"), net6 = cidr("2001:db8:2::/48");
	struct addr gw4 = addr("198.51.100.2"), gw6 = addr("2001:db8:1::2");
	struct addr far = addr("203.0.113.250");

	(void)state;
	NEED_NS();
	assert_int_equal(mkveth("tra", "trb", -1), 0);
	assert_int_equal(netconf_link_up(&nc, "tra"), 0);
	assert_int_equal(netconf_link_up(&nc, "trb"), 0);
	assert_int_equal(netconf_addr_add(&nc, "tra", &c4), 0);
	assert_int_equal(netconf_addr_add(&nc, "tra", &c4), -EEXIST);
	assert_int_equal(netconf_addr_add(&nc, "tra", &c6), 0);
	assert_true(can_bind("198.51.100.1"));
	assert_true(can_bind("2001:db8:1::1"));	/* nodad: usable at once */

	assert_int_equal(netconf_route_add(&nc, "tra", NULL, &gw4), 0);
	assert_int_equal(netconf_route_add(&nc, "tra", NULL, &gw4), -EEXIST);
	assert_int_equal(netconf_route_add(&nc, NULL, &net, &gw4), 0);
	assert_int_equal(netconf_route_add(&nc, "tra", NULL, &gw6), 0);
	assert_int_equal(netconf_route_add(&nc, "tra", &net6, NULL), 0);
	assert_int_equal(netconf_route_add(&nc, NULL, &net6, &far), -EINVAL);
	assert_int_equal(netconf_route_add(&nc, "tra", &net, &far), -ENETUNREACH);
	assert_int_equal(netconf_route_add(&nc, NULL, NULL, NULL), -EINVAL);

	assert_int_equal(netconf_route_del(&nc, NULL, &net, &gw4), 0);
	assert_int_equal(netconf_route_del(&nc, NULL, &net, &gw4), -ESRCH);
	assert_int_equal(netconf_route_del(&nc, "tra", NULL, &gw6), 0);
	assert_int_equal(netconf_addr_del(&nc, "tra", &c4), 0);
	assert_int_equal(netconf_addr_del(&nc, "tra", &c4), -EADDRNOTAVAIL);
	assert_false(can_bind("198.51.100.1"));
	assert_int_equal(netconf_link_delete(&nc, "tra"), 0);
}

/* a second network namespace beside the test's own: fds of both in @here and
 * @other; the caller stays in @here */
static void second_netns(int *here, int *other)
{
	*here = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(*here >= 0);
	assert_int_equal(unshare(CLONE_NEWNET), 0);
	*other = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(*other >= 0);
	assert_int_equal(setns(*here, CLONE_NEWNET), 0);
}

static void bridge_and_master(void **state)
{
	(void)state;
	NEED_NS();
	assert_int_equal(netconf_bridge_create(&nc, "tbr0", 0, 0), 0);
	assert_int_equal(netconf_bridge_create(&nc, "tbr0", 0, 0), -EEXIST);
	assert_int_equal(mkveth("tba", "tbb", -1), 0);
	assert_int_equal(netconf_link_set_master(&nc, "tba", "tbr0"), 0);
	assert_int_equal(netconf_link_set_master(&nc, "tba", "nosuchbr"), -ENODEV);
	assert_int_equal(netconf_link_delete(&nc, "tba"), 0);
	assert_int_equal(netconf_link_delete(&nc, "tbr0"), 0);
}

static void move_between_namespaces(void **state)
{
	struct netconf o = NETCONF_INIT;
	char buf[16];
	int here, other;

	(void)state;
	NEED_NS();
	second_netns(&here, &other);
	/* a socket in the other namespace, made from here: we stay here */
	assert_int_equal(netconf_open(&o, other), 0);
	assert_int_equal(netconf_link_index(&o, "lo"), 1);
	assert_true(netconf_link_index(&nc, "lo") == 1);

	/* peer made directly in the other namespace */
	assert_int_equal(mkveth("tma", "tmb", other), 0);
	assert_int_equal(netconf_link_index(&nc, "tmb"), -ENODEV);
	/* and one end moved there afterwards */
	assert_int_equal(mkveth("tmc", "tmd", -1), 0);
	assert_int_equal(netconf_link_move_ns(&nc, "tmd", other), 0);
	assert_int_equal(netconf_link_index(&nc, "tmd"), -ENODEV);
	assert_int_equal(netconf_link_move_ns(&nc, "tmd", -1), -EBADF);
	assert_true(netconf_link_index(&o, "tmb") > 0);
	assert_true(netconf_link_index(&o, "tmd") > 0);
	assert_int_equal(netconf_link_up(&o, "tmb"), 0);

	/* a sysctl of the other namespace, set from here */
	assert_int_equal(netconf_sysctl_set_in(other, "net/ipv4/ip_forward", "1"), 0);
	assert_int_equal(netconf_sysctl_get("net/ipv4/ip_forward", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0");
	assert_int_equal(setns(other, CLONE_NEWNET), 0);
	assert_int_equal(netconf_sysctl_get("net/ipv4/ip_forward", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1");
	assert_int_equal(setns(here, CLONE_NEWNET), 0);

	assert_int_equal(netconf_link_delete(&nc, "tma"), 0);
	assert_int_equal(netconf_link_delete(&nc, "tmc"), 0);
	assert_int_equal(netconf_link_index(&o, "tmb"), -ENODEV);
	netconf_close(&o);
	close(other);
	close(here);
}

/* What burrow-bridge makes: a bridge up with its MTU and own address, a
 * veth enslaved to it with its peer in another namespace */
static void bridge_with_port_in_other_namespace(void **state)
{
	uint8_t pmac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x42 }, mac[6], mac2[6];
	struct netconf o = NETCONF_INIT;
	struct netconf_veth v = { .name = "tpa", .peer = "eth0", .master = "tbr1",
				  .mtu = 1400, .peer_mac = pmac };
	struct cidr ctr = cidr("198.51.100.7/24"), other_pfx = cidr("198.51.100.7/25");
	struct cidr brip = cidr("198.51.100.1/24"), wide = cidr("198.51.0.0/16");
	struct cidr far = cidr("203.0.113.0/24");
	struct addr gw = addr("198.51.100.1");
	struct netconf_batch b = { .n = 0 };
	char dev[IFNAMSIZ];
	int here, other;

	(void)state;
	NEED_NS();
	second_netns(&here, &other);
	assert_int_equal(netconf_open(&o, other), 0);
	v.peer_netns_fd = other;

	assert_int_equal(netconf_veth_create(&nc, &v), -ENODEV);	/* no bridge yet */
	assert_int_equal(netconf_link_is_bridge(&nc, "tbr1"), -ENODEV);
	assert_int_equal(netconf_bridge_create(&nc, "tbr1", 1400, 1), 0);
	assert_int_equal(netconf_link_is_bridge(&nc, "tbr1"), 1);
	assert_int_equal(netconf_link_is_bridge(&nc, "lo"), 0);
	assert_int_equal(netconf_link_get_mac(&nc, "tbr1", mac), 0);
	assert_int_equal(mac[0] & 0x03, 0x02);		/* local, unicast */

	assert_int_equal(netconf_veth_create(&nc, &v), 0);
	assert_int_equal(netconf_veth_create(&nc, &v), -EEXIST);
	assert_int_equal(netconf_link_set_addrgen_none(&nc, "tpa"), 0);
	assert_int_equal(netconf_link_set_hairpin(&nc, "tpa"), 0);
	assert_int_equal(netconf_link_set_hairpin(&nc, "nosuch0"), -ENODEV);
	assert_int_equal(netconf_link_up(&nc, "tpa"), 0);
	assert_int_equal(netconf_link_get_mac(&o, "eth0", mac2), 0);
	assert_memory_equal(mac2, pmac, 6);
	/* the bridge keeps its own address with a port in it */
	assert_int_equal(netconf_link_get_mac(&nc, "tbr1", mac2), 0);
	assert_memory_equal(mac, mac2, 6);

	/* the container end: address, up, default route via the bridge */
	assert_int_equal(netconf_link_set_addrgen_none(&o, "eth0"), 0);
	assert_int_equal(netconf_addr_add(&o, "eth0", &ctr), 0);
	assert_int_equal(netconf_addr_has(&o, "eth0", &ctr), 1);
	assert_int_equal(netconf_addr_has(&o, "eth0", &other_pfx), 0);
	assert_int_equal(netconf_addr_has(&nc, "eth0", &ctr), -ENODEV);
	assert_int_equal(netconf_link_up(&o, "eth0"), 0);
	assert_int_equal(netconf_route_add(&o, "eth0", NULL, &gw), 0);
	assert_int_equal(netconf_route_add(&o, "eth0", NULL, &gw), -EEXIST);

	/* the bridge's prefix overlaps a route on the bridge itself only */
	assert_int_equal(netconf_addr_add(&nc, "tbr1", &brip), 0);
	assert_int_equal(netconf_route_overlap(&nc, &wide, "tbr1", dev), 0);
	assert_int_equal(netconf_route_overlap(&nc, &wide, NULL, dev), 1);
	assert_string_equal(dev, "tbr1");
	assert_int_equal(netconf_route_overlap(&nc, &far, NULL, dev), 0);
	assert_int_equal(netconf_route_overlap(&nc, &wide, "nosuch0", dev), 1);

	/* deletions made ready first, sent later: the absent one says so */
	assert_int_equal(netconf_batch_link_delete(&b, "tpa"), 0);
	assert_int_equal(netconf_batch_link_delete(&b, "nosuch0"), 0);
	assert_int_equal(netconf_batch_link_delete(&b, "tbr1"), 0);
	assert_int_equal(netconf_batch_link_delete(&b, ""), -EINVAL);
	assert_int_equal(netconf_batch_send(&nc, &b), -ENODEV);
	assert_int_equal(b.err[0], 0);
	assert_int_equal(b.err[1], -ENODEV);
	assert_int_equal(b.err[2], 0);
	netconf_batch_free(&b);
	netconf_batch_free(&b);
	assert_int_equal(netconf_link_index(&nc, "tbr1"), -ENODEV);
	assert_int_equal(netconf_link_index(&o, "eth0"), -ENODEV);	/* with its pair */
	netconf_close(&o);
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

static void mac_local_bits_set_and_rest_kept(void **state)
{
	uint8_t a[6] = { 0xff, 0x11, 0x22, 0x33, 0x44, 0x55 };
	uint8_t b[6] = { 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 };

	(void)state;
	netconf_mac_local(a);
	assert_int_equal(a[0], 0xfe);	/* multicast bit off, local bit on */
	assert_int_equal(a[5], 0x55);
	netconf_mac_local(b);
	assert_int_equal(b[0], 0x02);
	assert_int_equal(b[5], 0x01);
}

static void mac_random_is_local_unicast_and_differs(void **state)
{
	uint8_t m[6], first[6];
	int i, same = 0;

	(void)state;
	assert_int_equal(netconf_mac_random(first), 0);
	for (i = 0; i < 64; i++) {
		assert_int_equal(netconf_mac_random(m), 0);
		assert_int_equal(m[0] & 0x01, 0);
		assert_int_equal(m[0] & 0x02, 0x02);
		same += !memcmp(m, first, 6);
	}
	assert_int_equal(same, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loopback_up),
		cmocka_unit_test(veth_mtu_mac_rename),
		cmocka_unit_test(addresses_and_routes),
		cmocka_unit_test(bridge_and_master),
		cmocka_unit_test(move_between_namespaces),
		cmocka_unit_test(bridge_with_port_in_other_namespace),
		cmocka_unit_test(mac_local_bits_set_and_rest_kept),
		cmocka_unit_test(mac_random_is_local_unicast_and_differs),
		cmocka_unit_test(sysctls),
	};
	return cmocka_run_group_tests(tests, setup_ns, teardown_ns);
}
