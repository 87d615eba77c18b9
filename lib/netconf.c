// SPDX-License-Identifier: GPL-2.0-or-later
/* netconf.c - links, addresses, routes and sysctls of a network namespace,
 * through libnl-route-3 (objects for links, addresses, routes) and libnl-3's
 * message builder for the few attributes libnl-route-3 has no setter for
 * (a bridge's forwarding delay, a port's hairpin mode).
 *
 * libnl folds kernel errors into its own NLE_* codes, losing e.g. ENETUNREACH;
 * an error callback keeps the kernel's errno so that callers see -errno.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/inet6.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

#include "cleanup.h"
#include "netconf.h"

#ifndef IFLA_BRPORT_MODE
#define IFLA_BRPORT_MODE 4
#endif

/* Receive buffer: replies and dumps are read whole, without peeking first */
#define NC_BUFSIZE 32768

/* Remember the kernel's errno; libnl then returns its own code for it */
static int nc_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct netconf *nc = arg;

	(void)nla;
	nc->syserr = e->error < 0 ? -e->error : e->error;
	return NL_STOP;
}

/* libnl error codes that do not come from the kernel, as errno values */
static int nc_nlerr_to_errno(int nlerr)
{
	static const struct { int nle, err; } map[] = {
		{ NLE_INTR, EINTR },		{ NLE_BAD_SOCK, EBADF },
		{ NLE_AGAIN, EAGAIN },		{ NLE_NOMEM, ENOMEM },
		{ NLE_EXIST, EEXIST },		{ NLE_INVAL, EINVAL },
		{ NLE_RANGE, ERANGE },		{ NLE_MSGSIZE, EMSGSIZE },
		{ NLE_OPNOTSUPP, EOPNOTSUPP },	{ NLE_AF_NOSUPPORT, EAFNOSUPPORT },
		{ NLE_OBJ_NOTFOUND, ENOENT },	{ NLE_NOADDR, EADDRNOTAVAIL },
		{ NLE_BUSY, EBUSY },		{ NLE_NOACCESS, EACCES },
		{ NLE_PERM, EPERM },		{ NLE_NODEV, ENODEV },
		{ NLE_MISSING_ATTR, EINVAL },	{ NLE_AF_MISMATCH, EAFNOSUPPORT },
	};
	unsigned i;

	if (nlerr < 0)
		nlerr = -nlerr;
	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (map[i].nle == nlerr)
			return map[i].err;
	return EIO;
}

/* Turn a libnl return value into 0 or -errno, preferring the kernel's errno */
static int nc_ret(struct netconf *nc, int ret)
{
	if (ret >= 0)
		return 0;
	if (nc->syserr)
		return -nc->syserr;
	return -nc_nlerr_to_errno(ret);
}

/* Enter the namespace behind @netns_fd (-1: stay), this thread's own kept in *@back */
static int nc_enter(int netns_fd, int *back)
{
	int ret;

	*back = -1;
	if (netns_fd < 0)
		return 0;
	/* setns() moves only this thread: remember this thread's namespace */
	*back = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*back < 0)
		return -errno;
	if (setns(netns_fd, CLONE_NEWNET)) {
		ret = -errno;
		close(*back);
		*back = -1;
		return ret;
	}
	return 0;
}

/* Go back to the namespace nc_enter() kept */
static int nc_leave(int back)
{
	int ret = 0;

	if (back < 0)
		return 0;
	if (setns(back, CLONE_NEWNET))
		ret = -errno;
	close(back);
	return ret;
}

/* Open and bind a route socket in the current namespace, error callback set */
static int nc_connect(struct netconf *nc)
{
	int ret;

	nc->syserr = 0;
	nc->sk = nl_socket_alloc();
	if (!nc->sk)
		return -ENOMEM;
	ret = nl_connect(nc->sk, NETLINK_ROUTE);
	if (ret < 0) {
		nl_socket_free(nc->sk);
		nc->sk = NULL;
		return -nc_nlerr_to_errno(ret);
	}
	nl_socket_disable_msg_peek(nc->sk);
	nl_socket_set_msg_buf_size(nc->sk, NC_BUFSIZE);
	nl_socket_modify_err_cb(nc->sk, NL_CB_CUSTOM, nc_err_cb, nc);
	return 0;
}

/**
 * netconf_open() - open an rtnetlink socket in the namespace behind @netns_fd
 * @nc:		socket state (stays where it is until netconf_close())
 * @netns_fd:	network namespace, or -1 for the current one
 *
 * The calling thread enters the namespace only to create the socket (a
 * socket stays in the namespace it was made in) and returns at once.
 *
 * Return: 0, or -errno (of setns() there or back, or of the socket; on any
 * error no socket is left open)
 */
int netconf_open(struct netconf *nc, int netns_fd)
{
	int back, ret, ret2;

	nc->sk = NULL;
	ret = nc_enter(netns_fd, &back);
	if (ret)
		return ret;
	ret = nc_connect(nc);
	ret2 = nc_leave(back);
	if (ret2 && !ret) {
		netconf_close(nc);
		ret = ret2;
	}
	return ret;
}

/**
 * netconf_close() - close the socket
 * @nc:		socket state; NETCONF_INIT or closed already is fine
 */
void netconf_close(struct netconf *nc)
{
	if (nc->sk)
		nl_socket_free(nc->sk);
	nc->sk = NULL;
}

/**
 * netconf_loopback_up() - set "lo" of the current network namespace up, on
 *			   a socket of its own
 *
 * Return: 0, or -errno
 */
int netconf_loopback_up(void)
{
	struct netconf nc = NETCONF_INIT;
	int ret;

	ret = netconf_open(&nc, -1);
	if (ret)
		return ret;
	ret = netconf_link_up(&nc, "lo");
	netconf_close(&nc);
	return ret;
}

/* Whether @name fits a link name: 1..IFNAMSIZ-1 bytes */
static int nc_ifname_fits(const char *name)
{
	return name && *name && strlen(name) < IFNAMSIZ;
}

/* The kernel's view of link @name (a new object to put), or NULL with *@ret set */
static struct rtnl_link *nc_link_get(struct netconf *nc, const char *name, int *ret)
{
	struct rtnl_link *link = NULL;

	if (!nc_ifname_fits(name)) {
		*ret = -ENODEV;
		return NULL;
	}
	nc->syserr = 0;
	*ret = nc_ret(nc, rtnl_link_get_kernel(nc->sk, 0, name, &link));
	if (*ret == -ENOENT)
		*ret = -ENODEV;
	return *ret ? NULL : link;
}

/**
 * netconf_link_index() - ifindex of @name
 * @nc:		socket
 * @name:	link name
 *
 * Return: the ifindex, or -ENODEV (or another -errno)
 */
int netconf_link_index(struct netconf *nc, const char *name)
{
	struct rtnl_link *link;
	int ret;

	link = nc_link_get(nc, name, &ret);
	if (!link)
		return ret;
	ret = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return ret > 0 ? ret : -ENODEV;
}

/**
 * netconf_link_is_bridge() - whether @name is a bridge
 * @nc:		socket
 * @name:	link name
 *
 * Return: 1 if it is, 0 if it is another kind of link, -ENODEV if absent
 */
int netconf_link_is_bridge(struct netconf *nc, const char *name)
{
	struct rtnl_link *link;
	const char *kind;
	int ret;

	link = nc_link_get(nc, name, &ret);
	if (!link)
		return ret;
	kind = rtnl_link_get_type(link);
	ret = kind && !strcmp(kind, "bridge");
	rtnl_link_put(link);
	return ret;
}

/**
 * netconf_link_get_mac() - hardware address of @name
 * @nc:		socket
 * @name:	link name
 * @mac:	six bytes out
 *
 * Return: 0, or -errno (-ENODATA if the link has no 6-byte address)
 */
int netconf_link_get_mac(struct netconf *nc, const char *name, uint8_t mac[6])
{
	struct rtnl_link *link;
	struct nl_addr *a;
	int ret;

	link = nc_link_get(nc, name, &ret);
	if (!link)
		return ret;
	a = rtnl_link_get_addr(link);
	if (!a || nl_addr_get_len(a) != 6)
		ret = -ENODATA;
	else
		memcpy(mac, nl_addr_get_binary_addr(a), 6);
	rtnl_link_put(link);
	return ret;
}

/* What nc_link_set() changes: the NC_SET_* bits of @what, with their values */
struct nc_change {
	unsigned what;
	unsigned mtu;
	const uint8_t *mac;
	const char *newname;
	int netns_fd;
	int master;		/* ifindex */
};

#define NC_SET_UP	(1U << 0)
#define NC_SET_DOWN	(1U << 1)
#define NC_SET_MTU	(1U << 2)
#define NC_SET_MAC	(1U << 3)
#define NC_SET_NAME	(1U << 4)
#define NC_SET_NETNS	(1U << 5)
#define NC_SET_MASTER	(1U << 6)
#define NC_SET_ADDRGEN	(1U << 7)	/* IPv6 address generation: none */

/* A link object carrying the changes @w, or NULL */
static struct rtnl_link *nc_change_obj(const struct nc_change *w)
{
	struct rtnl_link *c = rtnl_link_alloc();
	struct nl_addr *mac;

	if (!c)
		return NULL;
	if (w->what & NC_SET_UP)
		rtnl_link_set_flags(c, IFF_UP);
	if (w->what & NC_SET_DOWN)
		rtnl_link_unset_flags(c, IFF_UP);
	if (w->what & NC_SET_MTU)
		rtnl_link_set_mtu(c, w->mtu);
	if (w->what & NC_SET_MAC) {
		mac = nl_addr_build(AF_LLC, w->mac, 6);
		if (!mac)
			goto fail;
		rtnl_link_set_addr(c, mac);
		nl_addr_put(mac);
	}
	if (w->what & NC_SET_NAME)
		rtnl_link_set_name(c, w->newname);
	if (w->what & NC_SET_NETNS)
		rtnl_link_set_ns_fd(c, w->netns_fd);
	if (w->what & NC_SET_MASTER)
		rtnl_link_set_master(c, w->master);
	if ((w->what & NC_SET_ADDRGEN) &&
	    rtnl_link_inet6_set_addr_gen_mode(c, IN6_ADDR_GEN_MODE_NONE) < 0)
		goto fail;
	return c;
fail:
	rtnl_link_put(c);
	return NULL;
}

/* Apply @w to the link @name in one request: named in the request itself,
 * or, for a rename, by its ifindex */
static int nc_link_set(struct netconf *nc, const char *name, const struct nc_change *w)
{
	struct rtnl_link *c, *orig;
	int ret, idx = 0;

	if (!nc_ifname_fits(name))
		return -ENODEV;
	if (w->what & NC_SET_NAME) {
		idx = netconf_link_index(nc, name);
		if (idx < 0)
			return idx;
	}
	c = nc_change_obj(w);
	orig = rtnl_link_alloc();
	ret = -ENOMEM;
	if (c && orig) {
		if (idx)
			rtnl_link_set_ifindex(orig, idx);
		else
			rtnl_link_set_name(c, name);
		nc->syserr = 0;
		ret = nc_ret(nc, rtnl_link_change(nc->sk, orig, c, 0));
	}
	if (orig)
		rtnl_link_put(orig);
	if (c)
		rtnl_link_put(c);
	return ret;
}

/**
 * netconf_link_up() - set IFF_UP on @name
 * @nc:		socket
 * @name:	link name
 *
 * Return: 0, or -errno
 */
int netconf_link_up(struct netconf *nc, const char *name)
{
	return nc_link_set(nc, name, &(struct nc_change){ .what = NC_SET_UP });
}

/**
 * netconf_link_down() - clear IFF_UP on @name
 * @nc:		socket
 * @name:	link name
 *
 * Return: 0, or -errno
 */
int netconf_link_down(struct netconf *nc, const char *name)
{
	return nc_link_set(nc, name, &(struct nc_change){ .what = NC_SET_DOWN });
}

/**
 * netconf_link_set_mtu() - set the MTU of @name
 * @nc:		socket
 * @name:	link name
 * @mtu:	new MTU
 *
 * Return: 0, or -errno (-EINVAL if the driver refuses the value)
 */
int netconf_link_set_mtu(struct netconf *nc, const char *name, unsigned mtu)
{
	return nc_link_set(nc, name, &(struct nc_change){ .what = NC_SET_MTU, .mtu = mtu });
}

/**
 * netconf_link_set_mac() - set the hardware address of @name
 * @nc:		socket
 * @name:	link name
 * @mac:	six bytes
 *
 * Return: 0, or -errno
 */
int netconf_link_set_mac(struct netconf *nc, const char *name, const uint8_t mac[6])
{
	return nc_link_set(nc, name, &(struct nc_change){ .what = NC_SET_MAC, .mac = mac });
}

/**
 * netconf_link_rename() - rename @name to @newname (the link must be down)
 * @nc:		socket
 * @name:	current name
 * @newname:	new name (less than IFNAMSIZ bytes)
 *
 * Return: 0, or -errno (-EBUSY if the link is up, -EEXIST if taken)
 */
int netconf_link_rename(struct netconf *nc, const char *name, const char *newname)
{
	if (!nc_ifname_fits(newname))
		return -EINVAL;
	return nc_link_set(nc, name, &(struct nc_change){ .what = NC_SET_NAME, .newname = newname });
}

/**
 * netconf_link_move_ns() - move @name into the network namespace behind @netns_fd
 * @nc:		socket
 * @name:	link name
 * @netns_fd:	fd of the target network namespace
 *
 * Return: 0, or -errno
 */
int netconf_link_move_ns(struct netconf *nc, const char *name, int netns_fd)
{
	if (netns_fd < 0)
		return -EBADF;
	return nc_link_set(nc, name, &(struct nc_change){ .what = NC_SET_NETNS, .netns_fd = netns_fd });
}

/**
 * netconf_link_set_master() - enslave @name to bridge @master
 * @nc:		socket
 * @name:	port link
 * @master:	bridge
 *
 * Return: 0, or -errno (-ENODEV if either is absent)
 */
int netconf_link_set_master(struct netconf *nc, const char *name, const char *master)
{
	int midx;

	midx = netconf_link_index(nc, master);
	if (midx < 0)
		return midx;
	return nc_link_set(nc, name, &(struct nc_change){ .what = NC_SET_MASTER, .master = midx });
}

/**
 * netconf_link_set_addrgen_none() - no IPv6 link-local address (nor DAD,
 *				     router solicitations) when @name comes up
 * @nc:		socket
 * @name:	link name, down
 *
 * Return: 0, or -errno
 */
int netconf_link_set_addrgen_none(struct netconf *nc, const char *name)
{
	return nc_link_set(nc, name, &(struct nc_change){ .what = NC_SET_ADDRGEN });
}

/* Send @msg (freed) on @nc and wait for the ack: 0 or -errno */
static int nc_send(struct netconf *nc, struct nl_msg *msg)
{
	nc->syserr = 0;
	return nc_ret(nc, nl_send_sync(nc->sk, msg));
}

/* A new RTM_NEWLINK request with @flags (NLM_F_*) and @ifi, or NULL */
static struct nl_msg *nc_newlink_msg(int flags, const struct ifinfomsg *ifi)
{
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, flags);

	if (msg && nlmsg_append(msg, (void *)ifi, sizeof(*ifi), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/**
 * netconf_link_set_hairpin() - turn on hairpin mode of bridge port @name
 * @nc:		socket
 * @name:	a port of a bridge
 *
 * libnl-route-3 has no setter for a port's IFLA_INFO_SLAVE_DATA: built here.
 *
 * Return: 0, or -errno
 */
int netconf_link_set_hairpin(struct netconf *nc, const char *name)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nlattr *info, *data;
	struct nl_msg *msg;

	if (!nc_ifname_fits(name))
		return -ENODEV;
	msg = nc_newlink_msg(0, &ifi);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, IFLA_IFNAME, name) < 0 ||
	    !(info = nla_nest_start(msg, IFLA_LINKINFO)) ||
	    nla_put_string(msg, IFLA_INFO_SLAVE_KIND, "bridge") < 0 ||
	    !(data = nla_nest_start(msg, IFLA_INFO_SLAVE_DATA)) ||
	    nla_put_u8(msg, IFLA_BRPORT_MODE, 1) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, data);
	nla_nest_end(msg, info);
	return nc_send(nc, msg);
}

/**
 * netconf_link_delete() - delete @name
 * @nc:		socket
 * @name:	link name
 *
 * Return: 0, or -errno (-ENODEV if absent)
 */
int netconf_link_delete(struct netconf *nc, const char *name)
{
	struct rtnl_link *link;
	int ret;

	if (!nc_ifname_fits(name))
		return -ENODEV;
	link = rtnl_link_alloc();
	if (!link)
		return -ENOMEM;
	rtnl_link_set_name(link, name);
	nc->syserr = 0;
	ret = nc_ret(nc, rtnl_link_delete(nc->sk, link));
	rtnl_link_put(link);
	return ret == -ENOENT ? -ENODEV : ret;
}

/* Set name, MTU and address of one veth end; 0 or -ENOMEM */
static int nc_veth_end(struct rtnl_link *end, const char *name, unsigned mtu, const uint8_t *mac)
{
	struct nl_addr *a;

	rtnl_link_set_name(end, name);
	if (mtu)
		rtnl_link_set_mtu(end, mtu);
	if (!mac)
		return 0;
	a = nl_addr_build(AF_LLC, mac, 6);
	if (!a)
		return -ENOMEM;
	rtnl_link_set_addr(end, a);
	nl_addr_put(a);
	return 0;
}

/**
 * netconf_veth_create() - create the veth pair @v (both ends down)
 * @nc:		socket in the namespace of @v->name
 * @v:		names, namespace of the peer, master, MTU, address of the peer
 *
 * Return: 0, or -errno (-EEXIST if a name is taken, -ENODEV if @v->master is absent)
 */
int netconf_veth_create(struct netconf *nc, const struct netconf_veth *v)
{
	struct rtnl_link *link, *peer;
	int ret, master = 0;

	if (!nc_ifname_fits(v->name) || !nc_ifname_fits(v->peer))
		return -EINVAL;
	if (v->master) {
		master = netconf_link_index(nc, v->master);
		if (master < 0)
			return master;
	}
	link = rtnl_link_veth_alloc();
	if (!link)
		return -ENOMEM;
	peer = rtnl_link_veth_get_peer(link);
	ret = nc_veth_end(link, v->name, v->mtu, NULL);
	if (!ret)
		ret = nc_veth_end(peer, v->peer, v->mtu, v->peer_mac);
	if (master)
		rtnl_link_set_master(link, master);
	if (v->peer_netns_fd >= 0)
		rtnl_link_set_ns_fd(peer, v->peer_netns_fd);
	rtnl_link_put(peer);
	if (!ret) {
		nc->syserr = 0;
		ret = nc_ret(nc, rtnl_link_add(nc->sk, link, NLM_F_CREATE | NLM_F_EXCL));
	}
	rtnl_link_veth_release(link);
	return ret;
}

/**
 * netconf_mac_local() - make @mac a locally administered unicast address
 * @mac:	address, changed in place (the other 46 bits are kept)
 */
void netconf_mac_local(uint8_t mac[6])
{
	mac[0] = (uint8_t)((mac[0] & ~0x01) | 0x02);
}

/**
 * netconf_mac_random() - a random locally administered unicast address
 * @mac:	out: the address
 *
 * Return: 0, or -errno from getrandom()
 */
int netconf_mac_random(uint8_t mac[6])
{
	ssize_t n = getrandom(mac, 6, 0);

	if (n < 0)
		return -errno;
	if (n != 6)
		return -EIO;
	netconf_mac_local(mac);
	return 0;
}

/**
 * netconf_bridge_create() - create bridge @name
 * @nc:		socket
 * @name:	bridge name
 * @mtu:	MTU, or 0 for the default
 * @up:		whether it is created up
 *
 * No forwarding delay: ports forward at once.  An address given at creation
 * is "set" (addr_assign_type 3): the bridge keeps it instead of taking its
 * lowest port's, which changes whenever a port leaves and leaves the other
 * ports' hosts with a stale neighbour entry for it.  libnl-route-3 has no
 * setter for the forwarding delay: the request is built here.
 *
 * Return: 0, or -errno (-EEXIST if a link of that name exists)
 */
int netconf_bridge_create(struct netconf *nc, const char *name, unsigned mtu, int up)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nlattr *info, *data;
	struct nl_msg *msg;
	uint8_t mac[6];
	int ret;

	if (!nc_ifname_fits(name))
		return -EINVAL;
	ret = netconf_mac_random(mac);
	if (ret)
		return ret;
	if (up) {
		ifi.ifi_flags = IFF_UP;
		ifi.ifi_change = IFF_UP;
	}
	msg = nc_newlink_msg(NLM_F_CREATE | NLM_F_EXCL, &ifi);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, IFLA_IFNAME, name) < 0 ||
	    nla_put(msg, IFLA_ADDRESS, sizeof(mac), mac) < 0 ||
	    (mtu && nla_put_u32(msg, IFLA_MTU, mtu) < 0) ||
	    !(info = nla_nest_start(msg, IFLA_LINKINFO)) ||
	    nla_put_string(msg, IFLA_INFO_KIND, "bridge") < 0 ||
	    !(data = nla_nest_start(msg, IFLA_INFO_DATA)) ||
	    nla_put_u32(msg, IFLA_BR_FORWARD_DELAY, 0) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, data);
	nla_nest_end(msg, info);
	return nc_send(nc, msg);
}

/* Build a libnl address from @a with prefix length @prefix, or NULL */
static struct nl_addr *nc_addr_build(const struct addr *a, unsigned prefix)
{
	struct nl_addr *na;

	if (a->family == AF_INET)
		na = nl_addr_build(AF_INET, &a->v4, sizeof(a->v4));
	else if (a->family == AF_INET6)
		na = nl_addr_build(AF_INET6, &a->v6, sizeof(a->v6));
	else
		return NULL;
	if (na)
		nl_addr_set_prefixlen(na, prefix);
	return na;
}

/* Whether libnl address @na holds the same address as @a */
static int nc_addr_same(struct nl_addr *na, const struct addr *a)
{
	size_t len = a->family == AF_INET ? sizeof(a->v4) : sizeof(a->v6);

	return na && nl_addr_get_family(na) == a->family && nl_addr_get_len(na) == len &&
	       !memcmp(nl_addr_get_binary_addr(na), &a->v6, len);
}

/* Check family and prefix length of @c */
static int nc_cidr_valid(const struct cidr *c)
{
	if (!c)
		return 0;
	if (c->addr.family == AF_INET)
		return c->prefix <= 32;
	if (c->addr.family == AF_INET6)
		return c->prefix <= 128;
	return 0;
}

/* Address object for @c on @name, or NULL with *ret set */
static struct rtnl_addr *nc_addr_obj(struct netconf *nc, const char *name,
				     const struct cidr *c, int *ret)
{
	struct rtnl_addr *ra;
	struct nl_addr *local;
	int idx;

	if (!nc_cidr_valid(c)) {
		*ret = -EINVAL;
		return NULL;
	}
	idx = netconf_link_index(nc, name);
	if (idx < 0) {
		*ret = idx;
		return NULL;
	}
	ra = rtnl_addr_alloc();
	local = nc_addr_build(&c->addr, c->prefix);
	if (!ra || !local) {
		if (ra)
			rtnl_addr_put(ra);
		if (local)
			nl_addr_put(local);
		*ret = -ENOMEM;
		return NULL;
	}
	rtnl_addr_set_ifindex(ra, idx);
	rtnl_addr_set_family(ra, c->addr.family);
	rtnl_addr_set_local(ra, local);
	rtnl_addr_set_prefixlen(ra, (int)c->prefix);
	nl_addr_put(local);
	*ret = 0;
	return ra;
}

/* Add (@add; IPv6 with nodad) or delete @c on @name */
static int nc_addr_change(struct netconf *nc, const char *name, const struct cidr *c, int add)
{
	struct rtnl_addr *ra;
	int ret;

	ra = nc_addr_obj(nc, name, c, &ret);
	if (!ra)
		return ret;
	if (add && c->addr.family == AF_INET6)
		rtnl_addr_set_flags(ra, IFA_F_NODAD);
	nc->syserr = 0;
	ret = add ? rtnl_addr_add(nc->sk, ra, NLM_F_EXCL) : rtnl_addr_delete(nc->sk, ra, 0);
	ret = nc_ret(nc, ret);
	rtnl_addr_put(ra);
	return ret;
}

/**
 * netconf_addr_add() - add @c (address/prefix) to @name; IPv6 with nodad
 * @nc:		socket
 * @name:	link name
 * @c:		address and prefix length
 *
 * Return: 0, or -errno (-EEXIST if already there)
 */
int netconf_addr_add(struct netconf *nc, const char *name, const struct cidr *c)
{
	return nc_addr_change(nc, name, c, 1);
}

/**
 * netconf_addr_del() - remove @c from @name
 * @nc:		socket
 * @name:	link name
 * @c:		address and prefix length
 *
 * Return: 0, or -errno (-EADDRNOTAVAIL if not there)
 */
int netconf_addr_del(struct netconf *nc, const char *name, const struct cidr *c)
{
	return nc_addr_change(nc, name, c, 0);
}

/**
 * netconf_addr_has() - whether @name carries @c
 * @nc:		socket
 * @name:	link name
 * @c:		address and prefix length, both must match
 *
 * Return: 1 if it does, 0 if not, or -errno (-ENODEV if @name is absent)
 */
int netconf_addr_has(struct netconf *nc, const char *name, const struct cidr *c)
{
	struct nl_cache *cache;
	struct nl_object *o;
	int idx, found = 0;

	if (!nc_cidr_valid(c))
		return -EINVAL;
	idx = netconf_link_index(nc, name);
	if (idx < 0)
		return idx;
	nc->syserr = 0;
	idx = nc_ret(nc, rtnl_addr_alloc_cache(nc->sk, &cache)) ?: idx;
	if (idx < 0)
		return idx;
	for (o = nl_cache_get_first(cache); o && !found; o = nl_cache_get_next(o)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)o;

		found = rtnl_addr_get_ifindex(ra) == idx &&
			rtnl_addr_get_prefixlen(ra) == (int)c->prefix &&
			nc_addr_same(rtnl_addr_get_local(ra), &c->addr);
	}
	nl_cache_free(cache);
	return found;
}

/* Route object for @dst via @gw on @dev, or NULL with *ret set */
static struct rtnl_route *nc_route_obj(struct netconf *nc, const char *dev,
				       const struct cidr *dst, const struct addr *gw, int *ret)
{
	struct rtnl_nexthop *nh;
	struct rtnl_route *r;
	struct nl_addr *na;
	struct cidr d;
	int family, idx = 0;

	*ret = -EINVAL;
	if (dst && !nc_cidr_valid(dst))
		return NULL;
	if (gw && gw->family != AF_INET && gw->family != AF_INET6)
		return NULL;
	if (!dev && !gw)
		return NULL;
	family = dst ? dst->addr.family : gw ? gw->family : AF_INET;
	if (gw && gw->family != family)
		return NULL;
	if (dev) {
		idx = netconf_link_index(nc, dev);
		if (idx < 0) {
			*ret = idx;
			return NULL;
		}
	}
	if (dst) {
		d = *dst;
		cidr_network(&d);	/* route destinations are networks */
	} else {
		memset(&d, 0, sizeof(d));
		d.addr.family = family;
	}

	*ret = -ENOMEM;
	r = rtnl_route_alloc();
	if (!r)
		return NULL;
	rtnl_route_set_family(r, (uint8_t)family);
	rtnl_route_set_table(r, RT_TABLE_MAIN);
	rtnl_route_set_protocol(r, RTPROT_BOOT);
	rtnl_route_set_type(r, RTN_UNICAST);
	na = nc_addr_build(&d.addr, d.prefix);
	if (!na)
		goto fail;
	rtnl_route_set_dst(r, na);
	nl_addr_put(na);

	nh = rtnl_route_nh_alloc();
	if (!nh)
		goto fail;
	if (idx)
		rtnl_route_nh_set_ifindex(nh, idx);
	if (gw) {
		na = nc_addr_build(gw, gw->family == AF_INET ? 32 : 128);
		if (!na) {
			rtnl_route_nh_free(nh);
			goto fail;
		}
		rtnl_route_nh_set_gateway(nh, na);
		nl_addr_put(na);
	}
	rtnl_route_add_nexthop(r, nh);
	*ret = 0;
	return r;
fail:
	rtnl_route_put(r);
	return NULL;
}

/* Add (@add) or delete the route described by @dev, @dst, @gw */
static int nc_route_change(struct netconf *nc, const char *dev, const struct cidr *dst,
			   const struct addr *gw, int add)
{
	struct rtnl_route *r;
	int ret;

	r = nc_route_obj(nc, dev, dst, gw, &ret);
	if (!r)
		return ret;
	nc->syserr = 0;
	ret = add ? rtnl_route_add(nc->sk, r, NLM_F_EXCL) : rtnl_route_delete(nc->sk, r, 0);
	ret = nc_ret(nc, ret);
	rtnl_route_put(r);
	return ret;
}

/**
 * netconf_route_add() - add a route to @dst via @gw (either may be NULL:
 * @dst NULL is the default route, @gw NULL is a link route) on @dev
 * @nc:		socket
 * @dev:	output link (may be NULL when @gw is given)
 * @dst:	destination prefix, NULL for the default route of @gw's family
 * @gw:		gateway, NULL for a link route
 *
 * Return: 0, or -errno (-EEXIST, -ENETUNREACH, ...)
 */
int netconf_route_add(struct netconf *nc, const char *dev, const struct cidr *dst,
		      const struct addr *gw)
{
	return nc_route_change(nc, dev, dst, gw, 1);
}

/**
 * netconf_route_del() - remove a route added by netconf_route_add()
 * @nc:		socket
 * @dev:	output link (may be NULL)
 * @dst:	destination prefix, NULL for the default route
 * @gw:		gateway (may be NULL)
 *
 * Return: 0, or -errno (-ESRCH if there is no such route)
 */
int netconf_route_del(struct netconf *nc, const char *dev, const struct cidr *dst,
		      const struct addr *gw)
{
	return nc_route_change(nc, dev, dst, gw, 0);
}

/* ifindex of the first next hop of @r, or 0 */
static int nc_route_oif(struct rtnl_route *r)
{
	struct rtnl_nexthop *nh = rtnl_route_get_nnexthops(r) > 0 ? rtnl_route_nexthop_n(r, 0) : NULL;

	return nh ? rtnl_route_nh_get_ifindex(nh) : 0;
}

/* Whether route @r of the main table overlaps @c on a link other than @except */
static int nc_route_overlaps(struct rtnl_route *r, const struct cidr *c, int except)
{
	struct nl_addr *dst = rtnl_route_get_dst(r);
	struct cidr rc = { .addr.family = c->addr.family };
	size_t len = c->addr.family == AF_INET ? 4 : 16;

	if (rtnl_route_get_table(r) != RT_TABLE_MAIN || rtnl_route_get_type(r) != RTN_UNICAST ||
	    !dst || nl_addr_get_prefixlen(dst) == 0 || nl_addr_get_len(dst) != len ||
	    (except && nc_route_oif(r) == except))
		return 0;
	memcpy(&rc.addr.v6, nl_addr_get_binary_addr(dst), len);
	rc.prefix = nl_addr_get_prefixlen(dst);
	return cidr_overlaps(&rc, c);
}

/* Name of link @ifindex into @dev (IFNAMSIZ bytes), "?" if it has none */
static void nc_link_name(struct netconf *nc, int ifindex, char *dev)
{
	struct rtnl_link *link = NULL;
	const char *name;

	snprintf(dev, IFNAMSIZ, "?");
	if (ifindex <= 0 || rtnl_link_get_kernel(nc->sk, ifindex, NULL, &link) < 0)
		return;
	name = rtnl_link_get_name(link);
	if (name)
		snprintf(dev, IFNAMSIZ, "%s", name);
	rtnl_link_put(link);
}

/**
 * netconf_route_overlap() - whether a unicast route of the main table (not
 *			     a default route) overlaps @c on a link other
 *			     than @except
 * @nc:		socket
 * @c:		prefix
 * @except:	link whose routes do not count, or NULL
 * @dev:	out: the link of the first such route ("?" if unnamed), IFNAMSIZ bytes
 *
 * Return: 1 found, 0 none, or -errno
 */
int netconf_route_overlap(struct netconf *nc, const struct cidr *c, const char *except,
			  char *dev)
{
	struct nl_cache *cache;
	struct nl_object *o;
	int ex = 0, ret, oif = -1;

	if (!nc_cidr_valid(c))
		return -EINVAL;
	if (except) {
		ex = netconf_link_index(nc, except);
		if (ex == -ENODEV)
			ex = 0;
		if (ex < 0)
			return ex;
	}
	nc->syserr = 0;
	ret = nc_ret(nc, rtnl_route_alloc_cache(nc->sk, c->addr.family, 0, &cache));
	if (ret)
		return ret;
	for (o = nl_cache_get_first(cache); o && oif < 0; o = nl_cache_get_next(o))
		if (nc_route_overlaps((struct rtnl_route *)o, c, ex))
			oif = nc_route_oif((struct rtnl_route *)o);
	nl_cache_free(cache);
	if (oif < 0)
		return 0;
	nc_link_name(nc, oif, dev);
	return 1;
}

/* Sequence numbers of batched requests (libnl's own start at the time) */
#define NC_BATCH_SEQ 0x80000000U

/**
 * netconf_batch_link_delete() - add the deletion of link @name to @b
 * @b:		batch
 * @name:	link name
 *
 * Return: 0, -ENOSPC if @b is full, -EINVAL for a bad name, or -ENOMEM
 */
int netconf_batch_link_delete(struct netconf_batch *b, const char *name)
{
	struct rtnl_link *link;
	struct nl_msg *msg = NULL;
	int ret;

	if (b->n >= NETCONF_BATCH_MAX)
		return -ENOSPC;
	if (!nc_ifname_fits(name))
		return -EINVAL;
	link = rtnl_link_alloc();
	if (!link)
		return -ENOMEM;
	rtnl_link_set_name(link, name);
	ret = rtnl_link_build_delete_request(link, &msg);
	rtnl_link_put(link);
	if (ret < 0)
		return -nc_nlerr_to_errno(ret);
	/* a sequence number of our own: libnl's counters of the socket stay
	 * as they are, for its requests after the batch */
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlmsg_hdr(msg)->nlmsg_seq = NC_BATCH_SEQ + (uint32_t)b->n;
	b->err[b->n] = 0;
	b->msg[b->n++] = msg;
	return 0;
}

/* Read until the ack of sequence number @seq: its error (0 or -errno), or
 * -errno of the socket */
static int nc_batch_ack(int fd, uint32_t seq)
{
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *h;
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_seq != seq || h->nlmsg_type != NLMSG_ERROR)
				continue;
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				return -EIO;
			return e->error;
		}
	}
}

/**
 * netconf_batch_send() - send each request of @b in turn and wait for its ack
 * @nc:		the socket the batch was made for
 * @b:		batch; @b->err[i] gets the result of request i
 *
 * Plain send() and recv() on the socket's fd, into a buffer on the stack:
 * nothing is allocated, so a child sharing our memory (clone(CLONE_VM)) can
 * call this while we go on.
 *
 * Return: 0, or the first error (-ENODEV for a link already gone, too)
 */
int netconf_batch_send(struct netconf *nc, struct netconf_batch *b)
{
	int fd = nl_socket_get_fd(nc->sk), first = 0;
	size_t i;

	for (i = 0; i < b->n; i++) {
		struct nlmsghdr *h = nlmsg_hdr(b->msg[i]);

		if (send(fd, h, h->nlmsg_len, 0) < 0)
			b->err[i] = -errno;
		else
			b->err[i] = nc_batch_ack(fd, h->nlmsg_seq);
		if (b->err[i] == -ENOENT)
			b->err[i] = -ENODEV;
		if (b->err[i] && !first)
			first = b->err[i];
	}
	return first;
}

/**
 * netconf_batch_free() - free the requests of @b
 * @b:		batch; zero-filled is fine
 */
void netconf_batch_free(struct netconf_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		nlmsg_free(b->msg[i]);
	b->n = 0;
}
/* Open /proc/sys/@key with @flags: "net/ipv4/ip_forward" as is,
 * "net.ipv4.ip_forward" with the dots turned into slashes; no "..", no
 * leading '/'.  Return: the fd, or -errno */
static int nc_sysctl_open(const char *key, int flags)
{
	char path[PATH_MAX];
	size_t i, off;
	int fd;

	if (!key || !*key || key[0] == '/' || key[0] == '.' || strstr(key, ".."))
		return -EINVAL;
	off = (size_t)snprintf(path, sizeof(path), "/proc/sys/");
	if (off + strlen(key) >= sizeof(path))
		return -ENAMETOOLONG;
	strcpy(path + off, key);
	if (!strchr(key, '/'))
		for (i = off; path[i]; i++)
			if (path[i] == '.')
				path[i] = '/';
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/**
 * netconf_sysctl_set() - write @value to /proc/sys/@key ("net/ipv4/ip_forward";
 *			  the dotted form "net.ipv4.ip_forward" works too)
 * @key:	sysctl name
 * @value:	text to write
 *
 * Return: 0, or -errno
 */
int netconf_sysctl_set(const char *key, const char *value)
{
	_cleanup_close_ int fd = -1;
	size_t len = strlen(value);
	ssize_t n;

	fd = nc_sysctl_open(key, O_WRONLY);
	if (fd < 0)
		return fd;
	n = write(fd, value, len);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	return 0;
}

/**
 * netconf_sysctl_get() - read /proc/sys/@key into @buf (trailing newline removed)
 * @key:	sysctl name (slashes or dots)
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: 0, or -errno (-EOVERFLOW if @buf is too small)
 */
int netconf_sysctl_get(const char *key, char *buf, size_t len)
{
	_cleanup_close_ int fd = -1;
	ssize_t n;

	if (!len)
		return -EINVAL;
	fd = nc_sysctl_open(key, O_RDONLY);
	if (fd < 0)
		return fd;
	n = read(fd, buf, len);
	if (n < 0)
		return -errno;
	if ((size_t)n == len)
		return -EOVERFLOW;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

/**
 * netconf_sysctl_set_in() - netconf_sysctl_set() in the network namespace
 *			     behind @netns_fd
 * @netns_fd:	network namespace (-1: the current one)
 * @key:	sysctl name
 * @value:	text to write
 *
 * /proc/sys/net shows the namespace of the thread that opens it: this thread
 * enters @netns_fd for the open and write, and comes back.
 *
 * Return: 0, or -errno (of setns() there or back too)
 */
int netconf_sysctl_set_in(int netns_fd, const char *key, const char *value)
{
	int back, ret, ret2;

	ret = nc_enter(netns_fd, &back);
	if (ret)
		return ret;
	ret = netconf_sysctl_set(key, value);
	ret2 = nc_leave(back);
	return ret ? ret : ret2;
}
