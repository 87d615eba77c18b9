// SPDX-License-Identifier: GPL-2.0-or-later
/* link.c - rtnetlink requests for bridges, veths, addresses and routes */

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "cleanup.h"
#include "link.h"

#ifndef IFLA_BRPORT_MODE
#define IFLA_BRPORT_MODE 4
#endif

/* Enter @fd's namespace, remembering the current one in *@back. */
static int lk_enter(int fd, int *back)
{
	*back = -1;
	if (fd < 0)
		return 0;
	*back = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*back < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET)) {
		int rc = -errno;

		close(*back);
		*back = -1;
		return rc;
	}
	return 0;
}

/* Return to the namespace saved by lk_enter(). */
static int lk_leave(int back)
{
	int rc = 0;

	if (back < 0)
		return 0;
	if (setns(back, CLONE_NEWNET))
		rc = -errno;
	close(back);
	return rc;
}

int lk_open(struct lk *l, int netns_fd)
{
	int one = 1, rc;

	/* no memset: the 32 KiB receive buffer would be touched page by page */
	l->nl.sock = NULL;
	rc = nl_open_netns(&l->nl, NETLINK_ROUTE, netns_fd);
	if (rc)
		return rc;
	/* extended acks and strict checks help error messages, best effort */
	setsockopt(mnl_socket_get_fd(l->nl.sock), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return 0;
}

void lk_close(struct lk *l)
{
	nl_close(&l->nl);
}

/* Put an ifinfomsg after @nlh. */
static struct ifinfomsg *lk_ifi(struct nlmsghdr *nlh, int index)
{
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	return ifi;
}

struct lk_linkinfo {
	int index;
	uint8_t mac[6];
	int has_mac;
	char kind[16];
};

/* Collect index, address and kind of a link reply. */
static int lk_link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lk_linkinfo *li = data;
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct nlattr *a, *b;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	li->index = ifi->ifi_index;
	mnl_attr_for_each(a, nlh, sizeof(*ifi)) {
		if (mnl_attr_get_type(a) == IFLA_ADDRESS && mnl_attr_get_payload_len(a) == 6) {
			memcpy(li->mac, mnl_attr_get_payload(a), 6);
			li->has_mac = 1;
		} else if (mnl_attr_get_type(a) == IFLA_LINKINFO) {
			mnl_attr_for_each_nested(b, a)
				if (mnl_attr_get_type(b) == IFLA_INFO_KIND)
					snprintf(li->kind, sizeof(li->kind), "%s", mnl_attr_get_str(b));
		}
	}
	return MNL_CB_OK;
}

/* RTM_GETLINK by name or index. */
static int lk_get(struct lk *l, const char *name, int index, struct lk_linkinfo *li)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg_start(&l->nl, buf, RTM_GETLINK, 0);

	memset(li, 0, sizeof(*li));
	lk_ifi(nlh, index);
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nl_request(&l->nl, nlh, lk_link_cb, li);
}

int lk_index(struct lk *l, const char *name)
{
	struct lk_linkinfo li;
	int rc = lk_get(l, name, 0, &li);

	if (rc)
		return rc == -ENOENT ? -ENODEV : rc;
	return li.index > 0 ? li.index : -ENODEV;
}

int lk_is_bridge(struct lk *l, const char *name)
{
	struct lk_linkinfo li;
	int rc = lk_get(l, name, 0, &li);

	if (rc)
		return rc == -ENOENT ? -ENODEV : rc;
	return !strcmp(li.kind, "bridge");
}

int lk_get_mac(struct lk *l, int ifindex, uint8_t mac[6])
{
	struct lk_linkinfo li;
	int rc = lk_get(l, NULL, ifindex, &li);

	if (rc)
		return rc;
	if (!li.has_mac)
		return -ENODATA;
	memcpy(mac, li.mac, 6);
	return 0;
}

void lk_mac_local(uint8_t mac[6])
{
	mac[0] = (uint8_t)((mac[0] & ~0x01) | 0x02);
}

int lk_mac_random(uint8_t mac[6])
{
	ssize_t n = getrandom(mac, 6, 0);

	if (n < 0)
		return -errno;
	if (n != 6)
		return -EIO;
	lk_mac_local(mac);
	return 0;
}

int lk_bridge_add(struct lk *l, const char *name, unsigned mtu)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg_start(&l->nl, buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifi = lk_ifi(nlh, 0);
	struct nlattr *info, *data;
	uint8_t mac[6];
	int rc;

	/* an address given at creation is "set" (addr_assign_type 3): the
	 * bridge keeps it instead of taking its lowest port's, which changes
	 * whenever a port leaves and leaves the other containers with a
	 * stale neighbour entry for their gateway */
	rc = lk_mac_random(mac);
	if (rc)
		return rc;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(mac), mac);
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	/* no STP delay: ports forward at once */
	mnl_attr_put_u32(nlh, IFLA_BR_FORWARD_DELAY, 0);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nl_request(&l->nl, nlh, NULL, NULL);
}

int lk_veth_add(struct lk *l, const char *host, int master, unsigned mtu,
		const char *peer, int peer_ns_fd, const uint8_t *peer_mac)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg_start(&l->nl, buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct nlattr *info, *data, *pinfo;
	struct ifinfomsg *pifi;

	lk_ifi(nlh, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, host);
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	if (master > 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	pinfo = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifi));
	memset(pifi, 0, sizeof(*pifi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	if (peer_mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, peer_mac);
	if (peer_ns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_ns_fd);
	mnl_attr_nest_end(nlh, pinfo);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nl_request(&l->nl, nlh, NULL, NULL);
}

int lk_set_up(struct lk *l, int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg_start(&l->nl, buf, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = lk_ifi(nlh, ifindex);

	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return nl_request(&l->nl, nlh, NULL, NULL);
}

/* RTM_NEWLINK on @ifindex setting the u8 @type in @outer/@inner; @kind, if
 * given, is put as IFLA_INFO_SLAVE_KIND before @inner */
static int lk_set_nested_u8(struct lk *l, int ifindex, uint16_t outer, const char *kind,
			    uint16_t inner, uint16_t type, uint8_t value)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg_start(&l->nl, buf, RTM_NEWLINK, 0);
	struct nlattr *o, *i;

	lk_ifi(nlh, ifindex);
	o = mnl_attr_nest_start(nlh, outer);
	if (kind)
		mnl_attr_put_strz(nlh, IFLA_INFO_SLAVE_KIND, kind);
	i = mnl_attr_nest_start(nlh, inner);
	mnl_attr_put_u8(nlh, type, value);
	mnl_attr_nest_end(nlh, i);
	mnl_attr_nest_end(nlh, o);
	return nl_request(&l->nl, nlh, NULL, NULL);
}

int lk_set_hairpin(struct lk *l, int ifindex)
{
	return lk_set_nested_u8(l, ifindex, IFLA_LINKINFO, "bridge", IFLA_INFO_SLAVE_DATA,
				IFLA_BRPORT_MODE, 1);
}

int lk_set_addrgen_none(struct lk *l, int ifindex)
{
	return lk_set_nested_u8(l, ifindex, IFLA_AF_SPEC, NULL, AF_INET6,
				IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
}

int lk_del(struct lk *l, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg_start(&l->nl, buf, RTM_DELLINK, 0);
	int rc;

	lk_ifi(nlh, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	rc = nl_request(&l->nl, nlh, NULL, NULL);
	return rc == -ENOENT ? -ENODEV : rc;
}

/* RTM_NEWADDR / RTM_DELADDR */
static int lk_addr(struct lk *l, int type, int flags, int ifindex, const struct cidr *c)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg_start(&l->nl, buf, type, flags);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	size_t alen = c->addr.family == AF_INET ? 4 : 16;

	ifa->ifa_family = (uint8_t)c->addr.family;
	ifa->ifa_prefixlen = (uint8_t)c->prefix;
	ifa->ifa_index = (unsigned)ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	if (c->addr.family == AF_INET6)
		ifa->ifa_flags = IFA_F_NODAD;
	mnl_attr_put(nlh, IFA_LOCAL, alen, &c->addr.v6);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, &c->addr.v6);
	return nl_request(&l->nl, nlh, NULL, NULL);
}

int lk_addr_add(struct lk *l, int ifindex, const struct cidr *c)
{
	return lk_addr(l, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifindex, c);
}

int lk_addr_del(struct lk *l, int ifindex, const struct cidr *c)
{
	return lk_addr(l, RTM_DELADDR, 0, ifindex, c);
}

int lk_route_add(struct lk *l, int ifindex, const struct cidr *dst, const struct addr *gw)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg_start(&l->nl, buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	int family = dst ? dst->addr.family : gw->family;

	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = (uint8_t)(dst ? dst->prefix : 0);
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	if (dst)
		mnl_attr_put(nlh, RTA_DST, family == AF_INET ? 4 : 16, &dst->addr.v6);
	if (gw)
		mnl_attr_put(nlh, RTA_GATEWAY, family == AF_INET ? 4 : 16, &gw->v6);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	return nl_request(&l->nl, nlh, NULL, NULL);
}

struct lk_route_q {
	const struct cidr *c;
	int except;
	int found;
	int dev;
};

/* Check one route of a dump against the query. */
static int lk_route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lk_route_q *q = data;
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct cidr r = { .addr.family = rtm->rtm_family, .prefix = rtm->rtm_dst_len };
	struct nlattr *a;
	unsigned table = rtm->rtm_table;
	int oif = 0;

	if (nlh->nlmsg_type != RTM_NEWROUTE || rtm->rtm_type != RTN_UNICAST ||
	    rtm->rtm_dst_len == 0)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*rtm)) {
		switch (mnl_attr_get_type(a)) {
		case RTA_DST:
			if (mnl_attr_get_payload_len(a) <= sizeof(r.addr.v6))
				memcpy(&r.addr.v6, mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));
			break;
		case RTA_OIF:
			oif = (int)mnl_attr_get_u32(a);
			break;
		case RTA_TABLE:
			table = mnl_attr_get_u32(a);
			break;
		}
	}
	if (table != RT_TABLE_MAIN || (q->except && oif == q->except))
		return MNL_CB_OK;
	if (!q->found) {
		const struct cidr *c = q->c;
		const struct cidr *s = c->prefix <= r.prefix ? c : &r;
		const struct cidr *g = s == c ? &r : c;
		struct cidr x = { .addr = g->addr, .prefix = s->prefix }, y = *s;
		size_t len = c->addr.family == AF_INET ? 4 : 16, i;
		uint8_t *bx = (uint8_t *)&x.addr.v6, *by = (uint8_t *)&y.addr.v6;

		for (i = 0; i < len; i++) {
			unsigned bits = s->prefix > i * 8 ? s->prefix - i * 8 : 0;
			uint8_t m = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);

			if ((bx[i] & m) != (by[i] & m))
				return MNL_CB_OK;
		}
		q->found = 1;
		q->dev = oif;
	}
	return MNL_CB_OK;
}

int lk_route_find(struct lk *l, const struct cidr *c, int except_dev, int *dev)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg_start(&l->nl, buf, RTM_GETROUTE, NLM_F_DUMP);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	struct lk_route_q q = { .c = c, .except = except_dev };
	int rc;

	rtm->rtm_family = (uint8_t)c->addr.family;
	rc = nl_request(&l->nl, nlh, lk_route_cb, &q);
	if (rc)
		return rc;
	if (dev)
		*dev = q.dev;
	return q.found;
}

struct lk_addr_q {
	int ifindex;
	const struct cidr *c;
	int found;
};

/* Match one address of a dump against the query. */
static int lk_addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lk_addr_q *q = data;
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	size_t len = q->c->addr.family == AF_INET ? 4 : 16;
	const void *local = NULL, *any = NULL;
	struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWADDR || (int)ifa->ifa_index != q->ifindex ||
	    ifa->ifa_family != q->c->addr.family || ifa->ifa_prefixlen != q->c->prefix)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*ifa)) {
		if (mnl_attr_get_payload_len(a) != len)
			continue;
		if (mnl_attr_get_type(a) == IFA_LOCAL)
			local = mnl_attr_get_payload(a);
		else if (mnl_attr_get_type(a) == IFA_ADDRESS)
			any = mnl_attr_get_payload(a);
	}
	if (!local)
		local = any;
	if (local && !memcmp(local, &q->c->addr.v6, len))
		q->found = 1;
	return MNL_CB_OK;
}

int lk_addr_has(struct lk *l, int ifindex, const struct cidr *c)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_msg_start(&l->nl, buf, RTM_GETADDR, NLM_F_DUMP);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	struct lk_addr_q q = { .ifindex = ifindex, .c = c };
	int rc;

	ifa->ifa_family = (uint8_t)c->addr.family;
	rc = nl_request(&l->nl, nlh, lk_addr_cb, &q);
	return rc ? rc : q.found;
}

int lk_sysctl(int netns_fd, const char *key, const char *value)
{
	char path[256];
	int back, rc, fd;
	size_t len = strlen(value);

	rc = lk_enter(netns_fd, &back);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		rc = -errno;
	else {
		if (write(fd, value, len) != (ssize_t)len)
			rc = -errno ? -errno : -EIO;
		close(fd);
	}
	if (lk_leave(back) && !rc)
		rc = -EIO;
	return rc;
}
