// SPDX-License-Identifier: GPL-2.0-or-later
/* netconf.c - links, addresses, routes and sysctls of the current network
 * namespace, through libnl-route-3.
 *
 * libnl folds kernel errors into its own NLE_* codes, losing e.g. ENETUNREACH;
 * an error callback keeps the kernel's errno so that callers see -errno.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

#include "cleanup.h"
#include "netconf.h"

/* One request's socket and the kernel errno seen in its error ack */
struct nc {
	struct nl_sock *sk;
	int syserr;
};

/* Remember the kernel's errno; libnl then returns its own code for it */
static int nc_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nc *nc = arg;

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
static int nc_ret(struct nc *nc, int ret)
{
	if (ret >= 0)
		return 0;
	if (nc->syserr)
		return -nc->syserr;
	return -nc_nlerr_to_errno(ret);
}

/* Open a route socket with the error callback installed */
static int nc_open(struct nc *nc)
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
	nl_socket_modify_err_cb(nc->sk, NL_CB_CUSTOM, nc_err_cb, nc);
	return 0;
}

static void nc_close(struct nc *nc)
{
	if (nc->sk)
		nl_socket_free(nc->sk);
	nc->sk = NULL;
}

/**
 * netconf_link_index() - ifindex of @name
 * @name:	link name
 *
 * Return: the ifindex, or -ENODEV
 */
int netconf_link_index(const char *name)
{
	unsigned idx;

	if (!name || !*name || strlen(name) >= IFNAMSIZ)
		return -ENODEV;
	idx = if_nametoindex(name);
	if (!idx)
		return -ENODEV;
	return (int)idx;
}

/* The requests netconf sends, one each on a fresh socket (nc_request()) */
enum nc_req {
	NC_LINK_ADD,		/* @obj: rtnl_link, created exclusively */
	NC_LINK_CHANGE,		/* @obj: rtnl_link by index, @arg: the change */
	NC_LINK_DEL,		/* @obj: rtnl_link by index */
	NC_LINK_GET,		/* @obj: name, @arg: struct rtnl_link ** out */
	NC_ADDR_ADD,		/* @obj: rtnl_addr, added exclusively */
	NC_ADDR_DEL,		/* @obj: rtnl_addr */
	NC_ROUTE_ADD,		/* @obj: rtnl_route, added exclusively */
	NC_ROUTE_DEL,		/* @obj: rtnl_route */
};

/* Open a socket, send one @req about @obj (and @arg), close: 0 or -errno */
static int nc_request(enum nc_req req, void *obj, void *arg)
{
	struct nc nc;
	int ret;

	ret = nc_open(&nc);
	if (ret < 0)
		return ret;
	switch (req) {
	case NC_LINK_ADD:
		ret = rtnl_link_add(nc.sk, obj, NLM_F_CREATE | NLM_F_EXCL);
		break;
	case NC_LINK_CHANGE:
		ret = rtnl_link_change(nc.sk, obj, arg, 0);
		break;
	case NC_LINK_DEL:
		ret = rtnl_link_delete(nc.sk, obj);
		break;
	case NC_LINK_GET:
		ret = rtnl_link_get_kernel(nc.sk, 0, obj, arg);
		break;
	case NC_ADDR_ADD:
		ret = rtnl_addr_add(nc.sk, obj, NLM_F_EXCL);
		break;
	case NC_ADDR_DEL:
		ret = rtnl_addr_delete(nc.sk, obj, 0);
		break;
	case NC_ROUTE_ADD:
		ret = rtnl_route_add(nc.sk, obj, NLM_F_EXCL);
		break;
	case NC_ROUTE_DEL:
		ret = rtnl_route_delete(nc.sk, obj, 0);
		break;
	}
	ret = nc_ret(&nc, ret);
	nc_close(&nc);
	return ret;
}

/* Whether @name fits a link name: 1..IFNAMSIZ-1 bytes */
static int nc_ifname_fits(const char *name)
{
	return name && *name && strlen(name) < IFNAMSIZ;
}

/* A link object naming @name by its ifindex, or NULL with *ret set */
static struct rtnl_link *nc_link_by_index(const char *name, int *ret)
{
	struct rtnl_link *link;
	int idx;

	idx = netconf_link_index(name);
	if (idx < 0) {
		*ret = idx;
		return NULL;
	}
	link = rtnl_link_alloc();
	if (!link) {
		*ret = -ENOMEM;
		return NULL;
	}
	rtnl_link_set_ifindex(link, idx);
	return link;
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

/* Apply @w to the link @name in one request */
static int nc_link_set(const char *name, const struct nc_change *w)
{
	struct rtnl_link *c, *orig = NULL;
	struct nl_addr *mac = NULL;
	int ret = -ENOMEM;

	c = rtnl_link_alloc();
	if (!c)
		return -ENOMEM;
	if (w->what & NC_SET_UP)
		rtnl_link_set_flags(c, IFF_UP);
	if (w->what & NC_SET_DOWN)
		rtnl_link_unset_flags(c, IFF_UP);
	if (w->what & NC_SET_MTU)
		rtnl_link_set_mtu(c, w->mtu);
	if (w->what & NC_SET_MAC) {
		mac = nl_addr_build(AF_LLC, w->mac, 6);
		if (!mac)
			goto out;
		rtnl_link_set_addr(c, mac);
	}
	if (w->what & NC_SET_NAME)
		rtnl_link_set_name(c, w->newname);
	if (w->what & NC_SET_NETNS)
		rtnl_link_set_ns_fd(c, w->netns_fd);
	if (w->what & NC_SET_MASTER)
		rtnl_link_set_master(c, w->master);
	orig = nc_link_by_index(name, &ret);
	if (orig) {
		ret = nc_request(NC_LINK_CHANGE, orig, c);
		rtnl_link_put(orig);
	}
out:
	if (mac)
		nl_addr_put(mac);
	rtnl_link_put(c);
	return ret;
}

/**
 * netconf_link_up() - set IFF_UP on @name
 * @name:	link name
 *
 * Return: 0, or -errno
 */
int netconf_link_up(const char *name)
{
	return nc_link_set(name, &(struct nc_change){ .what = NC_SET_UP });
}

/**
 * netconf_link_down() - clear IFF_UP on @name
 * @name:	link name
 *
 * Return: 0, or -errno
 */
int netconf_link_down(const char *name)
{
	return nc_link_set(name, &(struct nc_change){ .what = NC_SET_DOWN });
}

/**
 * netconf_link_set_mtu() - set the MTU of @name
 * @name:	link name
 * @mtu:	new MTU
 *
 * Return: 0, or -errno (-EINVAL if the driver refuses the value)
 */
int netconf_link_set_mtu(const char *name, unsigned mtu)
{
	return nc_link_set(name, &(struct nc_change){ .what = NC_SET_MTU, .mtu = mtu });
}

/**
 * netconf_link_set_mac() - set the hardware address of @name
 * @name:	link name
 * @mac:	six bytes
 *
 * Return: 0, or -errno
 */
int netconf_link_set_mac(const char *name, const uint8_t mac[6])
{
	return nc_link_set(name, &(struct nc_change){ .what = NC_SET_MAC, .mac = mac });
}

/**
 * netconf_link_get_mac() - read the hardware address of @name
 * @name:	link name
 * @mac:	six bytes out
 *
 * Return: 0, or -errno (-EINVAL if the link has no 6-byte address)
 */
int netconf_link_get_mac(const char *name, uint8_t mac[6])
{
	struct rtnl_link *link = NULL;
	struct nl_addr *a;
	int ret;

	if (netconf_link_index(name) < 0)
		return -ENODEV;
	ret = nc_request(NC_LINK_GET, (void *)name, &link);
	if (ret < 0)
		return ret;
	a = rtnl_link_get_addr(link);
	if (!a || nl_addr_get_len(a) != 6)
		ret = -EINVAL;
	else
		memcpy(mac, nl_addr_get_binary_addr(a), 6);
	rtnl_link_put(link);
	return ret;
}

/**
 * netconf_link_rename() - rename @name to @newname (link must be down)
 * @name:	current name
 * @newname:	new name (less than IFNAMSIZ bytes)
 *
 * Return: 0, or -errno (-EBUSY if the link is up, -EEXIST if taken)
 */
int netconf_link_rename(const char *name, const char *newname)
{
	if (!nc_ifname_fits(newname))
		return -EINVAL;
	return nc_link_set(name, &(struct nc_change){ .what = NC_SET_NAME, .newname = newname });
}

/**
 * netconf_link_delete() - delete @name
 * @name:	link name
 *
 * Return: 0, or -errno (-ENODEV if absent)
 */
int netconf_link_delete(const char *name)
{
	struct rtnl_link *link;
	int ret;

	link = nc_link_by_index(name, &ret);
	if (!link)
		return ret;
	ret = nc_request(NC_LINK_DEL, link, NULL);
	rtnl_link_put(link);
	return ret;
}

/**
 * netconf_link_move_ns() - move @name into the network namespace behind @netns_fd
 * @name:	link name
 * @netns_fd:	fd of the target network namespace
 *
 * Return: 0, or -errno
 */
int netconf_link_move_ns(const char *name, int netns_fd)
{
	if (netns_fd < 0)
		return -EBADF;
	return nc_link_set(name, &(struct nc_change){ .what = NC_SET_NETNS, .netns_fd = netns_fd });
}

/**
 * netconf_veth_create() - create a veth pair @name / @peer in this namespace;
 * if @peer_netns_fd >= 0 the peer is created directly in that namespace
 * @name:	link name here
 * @peer:	peer link name
 * @peer_netns_fd: network namespace of the peer, or -1 for this one
 *
 * Return: 0, or -errno (-EEXIST if a name is taken)
 */
int netconf_veth_create(const char *name, const char *peer, int peer_netns_fd)
{
	struct rtnl_link *link, *p;
	int ret;

	if (!nc_ifname_fits(name) || !nc_ifname_fits(peer))
		return -EINVAL;
	link = rtnl_link_veth_alloc();
	if (!link)
		return -ENOMEM;
	rtnl_link_set_name(link, name);
	p = rtnl_link_veth_get_peer(link);
	rtnl_link_set_name(p, peer);
	if (peer_netns_fd >= 0)
		rtnl_link_set_ns_fd(p, peer_netns_fd);
	rtnl_link_put(p);
	ret = nc_request(NC_LINK_ADD, link, NULL);
	rtnl_link_veth_release(link);
	return ret;
}

/**
 * netconf_bridge_create() - create a Linux bridge @name
 * @name:	bridge name
 *
 * Return: 0, or -errno (-EEXIST if present)
 */
int netconf_bridge_create(const char *name)
{
	struct rtnl_link *link;
	int ret;

	if (!nc_ifname_fits(name))
		return -EINVAL;
	link = rtnl_link_alloc();
	if (!link)
		return -ENOMEM;
	rtnl_link_set_name(link, name);
	ret = rtnl_link_set_type(link, "bridge");
	if (ret < 0)
		ret = -nc_nlerr_to_errno(ret);
	else
		ret = nc_request(NC_LINK_ADD, link, NULL);
	rtnl_link_put(link);
	return ret;
}

/**
 * netconf_link_set_master() - enslave @name to bridge @master
 * @name:	port link
 * @master:	bridge
 *
 * Return: 0, or -errno (-ENODEV if either is absent)
 */
int netconf_link_set_master(const char *name, const char *master)
{
	int midx;

	midx = netconf_link_index(master);
	if (midx < 0)
		return midx;
	return nc_link_set(name, &(struct nc_change){ .what = NC_SET_MASTER, .master = midx });
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
static struct rtnl_addr *nc_addr_obj(const char *name, const struct cidr *c, int *ret)
{
	struct rtnl_addr *ra;
	struct nl_addr *local;
	int idx;

	if (!nc_cidr_valid(c)) {
		*ret = -EINVAL;
		return NULL;
	}
	idx = netconf_link_index(name);
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
static int nc_addr_change(const char *name, const struct cidr *c, int add)
{
	struct rtnl_addr *ra;
	int ret;

	ra = nc_addr_obj(name, c, &ret);
	if (!ra)
		return ret;
	if (add && c->addr.family == AF_INET6)
		rtnl_addr_set_flags(ra, IFA_F_NODAD);
	ret = nc_request(add ? NC_ADDR_ADD : NC_ADDR_DEL, ra, NULL);
	rtnl_addr_put(ra);
	return ret;
}

/**
 * netconf_addr_add() - add @c (address/prefix) to @name; IPv6 with nodad
 * @name:	link name
 * @c:		address and prefix length
 *
 * Return: 0, or -errno (-EEXIST if already there)
 */
int netconf_addr_add(const char *name, const struct cidr *c)
{
	return nc_addr_change(name, c, 1);
}

/**
 * netconf_addr_del() - remove @c from @name
 * @name:	link name
 * @c:		address and prefix length
 *
 * Return: 0, or -errno (-EADDRNOTAVAIL if not there)
 */
int netconf_addr_del(const char *name, const struct cidr *c)
{
	return nc_addr_change(name, c, 0);
}

/* Clear the host bits of @a beyond @prefix (route destinations must be networks) */
static void nc_mask(struct addr *a, unsigned prefix)
{
	uint8_t *b = a->family == AF_INET ? (uint8_t *)&a->v4 : (uint8_t *)&a->v6;
	unsigned len = a->family == AF_INET ? 4 : 16, i;

	for (i = 0; i < len; i++) {
		if (prefix >= 8) {
			prefix -= 8;
			continue;
		}
		b[i] &= (uint8_t)(0xff << (8 - prefix));
		prefix = 0;
	}
}

/* Route object for @dst via @gw on @dev, or NULL with *ret set */
static struct rtnl_route *nc_route_obj(const char *dev, const struct cidr *dst,
				       const struct addr *gw, int *ret)
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
		idx = netconf_link_index(dev);
		if (idx < 0) {
			*ret = idx;
			return NULL;
		}
	}
	if (dst) {
		d = *dst;
		nc_mask(&d.addr, d.prefix);
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
static int nc_route_change(const char *dev, const struct cidr *dst,
			   const struct addr *gw, int add)
{
	struct rtnl_route *r;
	int ret;

	r = nc_route_obj(dev, dst, gw, &ret);
	if (!r)
		return ret;
	ret = nc_request(add ? NC_ROUTE_ADD : NC_ROUTE_DEL, r, NULL);
	rtnl_route_put(r);
	return ret;
}

/**
 * netconf_route_add() - add a route to @dst via @gw (either may be NULL:
 * @dst NULL is the default route, @gw NULL is a link route) on @dev
 * @dev:	output link (may be NULL when @gw is given)
 * @dst:	destination prefix, NULL for the default route of @gw's family
 * @gw:		gateway, NULL for a link route
 *
 * Return: 0, or -errno (-EEXIST, -ENETUNREACH, ...)
 */
int netconf_route_add(const char *dev, const struct cidr *dst, const struct addr *gw)
{
	return nc_route_change(dev, dst, gw, 1);
}

/**
 * netconf_route_del() - remove a route added by netconf_route_add()
 * @dev:	output link (may be NULL)
 * @dst:	destination prefix, NULL for the default route
 * @gw:		gateway (may be NULL)
 *
 * Return: 0, or -errno (-ESRCH if there is no such route)
 */
int netconf_route_del(const char *dev, const struct cidr *dst, const struct addr *gw)
{
	return nc_route_change(dev, dst, gw, 0);
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
