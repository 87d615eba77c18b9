/* SPDX-License-Identifier: GPL-2.0-or-later
 * netconf.h - links, addresses, routes and sysctls of a network namespace,
 * through libnl-route-3: the one such layer of burrow (burrow-bridge,
 * burrow-netns, burrow-slirp and the launcher all use it).
 *
 * A struct netconf is an rtnetlink socket opened in one namespace (the
 * current one, or the one behind an fd: a bridge configures the host and a
 * container side by side); every request of it goes over that socket.
 * Links are named; a name that does not exist is -ENODEV.
 *
 * All functions return 0 (or what they say) or -errno, the kernel's own
 * errno where the kernel refused, and log nothing: the caller, who knows the
 * context, logs "netconf_addr_add(eth0, 10.0.2.100/24): File exists".
 */
#ifndef BURROW_NETCONF_H
#define BURROW_NETCONF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "addr.h"

struct nl_sock;
struct nl_msg;

/*
 * An rtnetlink socket in one network namespace, and the kernel's errno of
 * its last refused request.  Zero-filled (or NETCONF_INIT) it is closed;
 * once opened it must stay where it is (its error callback points at it).
 */
struct netconf {
	struct nl_sock *sk;
	int syserr;
};

#define NETCONF_INIT { .sk = NULL, .syserr = 0 }

/**
 * netconf_open() - open an rtnetlink socket in the namespace behind @netns_fd
 * @nc:		socket state
 * @netns_fd:	network namespace, or -1 for the current one
 *
 * Return: 0, or -errno (of setns() there or back, or of the socket)
 */
int netconf_open(struct netconf *nc, int netns_fd);

/** netconf_close() - close the socket (safe twice, and on NETCONF_INIT) */
void netconf_close(struct netconf *nc);

/**
 * netconf_loopback_up() - set "lo" of the current network namespace up
 *			   (a new namespace starts with it down), on a socket
 *			   of its own
 */
int netconf_loopback_up(void);

/** netconf_link_index() - ifindex of @name, or -ENODEV */
int netconf_link_index(struct netconf *nc, const char *name);

/** netconf_link_is_bridge() - 1 if @name is a bridge, 0 if another kind, -ENODEV if absent */
int netconf_link_is_bridge(struct netconf *nc, const char *name);

/** netconf_link_get_mac() - hardware address of @name (-ENODATA if it has no 6-byte one) */
int netconf_link_get_mac(struct netconf *nc, const char *name, uint8_t mac[6]);

/** netconf_link_up() - set IFF_UP on @name */
int netconf_link_up(struct netconf *nc, const char *name);

/** netconf_link_down() - clear IFF_UP on @name */
int netconf_link_down(struct netconf *nc, const char *name);

/** netconf_link_set_mtu() - set the MTU of @name (-EINVAL if the driver refuses it) */
int netconf_link_set_mtu(struct netconf *nc, const char *name, unsigned mtu);

/** netconf_link_set_mac() - set the hardware address of @name */
int netconf_link_set_mac(struct netconf *nc, const char *name, const uint8_t mac[6]);

/** netconf_link_rename() - rename @name to @newname (-EBUSY if up, -EEXIST if taken) */
int netconf_link_rename(struct netconf *nc, const char *name, const char *newname);

/** netconf_link_move_ns() - move @name into the network namespace behind @netns_fd */
int netconf_link_move_ns(struct netconf *nc, const char *name, int netns_fd);

/** netconf_link_set_master() - enslave @name to bridge @master */
int netconf_link_set_master(struct netconf *nc, const char *name, const char *master);

/** netconf_link_set_hairpin() - turn on hairpin mode of bridge port @name */
int netconf_link_set_hairpin(struct netconf *nc, const char *name);

/**
 * netconf_link_set_addrgen_none() - no IPv6 link-local address (nor DAD,
 *				     router solicitations) when @name comes
 *				     up; call while it is down
 */
int netconf_link_set_addrgen_none(struct netconf *nc, const char *name);

/** netconf_link_delete() - delete @name (-ENODEV if absent) */
int netconf_link_delete(struct netconf *nc, const char *name);

/* A veth pair to create: netconf_veth_create() */
struct netconf_veth {
	const char *name;		/* the end in the socket's namespace */
	const char *peer;		/* the other end */
	int peer_netns_fd;		/* the peer's namespace, -1: the socket's */
	const char *master;		/* bridge of @name, or NULL */
	unsigned mtu;			/* both ends, 0: the default */
	const uint8_t *peer_mac;	/* 6 bytes, or NULL: the kernel's random one */
};

/**
 * netconf_veth_create() - create the veth pair @v (both ends down)
 *
 * Return: 0, or -errno (-EEXIST if a name is taken, -ENODEV if @v->master is absent)
 */
int netconf_veth_create(struct netconf *nc, const struct netconf_veth *v);

/**
 * netconf_bridge_create() - create bridge @name with @mtu (0: default), up
 *			     if @up, with no forwarding delay and a random
 *			     address of its own (netconf_mac_random()), so that
 *			     it never takes a port's address as ports come and go
 *
 * Return: 0, or -errno (-EEXIST if a link of that name exists)
 */
int netconf_bridge_create(struct netconf *nc, const char *name, unsigned mtu, int up);

/**
 * netconf_mac_local() - make @mac a locally administered unicast address
 *			 (the other 46 bits are kept)
 */
void netconf_mac_local(uint8_t mac[6]);

/** netconf_mac_random() - a random locally administered unicast address (getrandom) */
int netconf_mac_random(uint8_t mac[6]);

/** netconf_addr_add() - add @c (address/prefix) to @name; IPv6 with nodad (-EEXIST if there) */
int netconf_addr_add(struct netconf *nc, const char *name, const struct cidr *c);

/** netconf_addr_del() - remove @c from @name (-EADDRNOTAVAIL if not there) */
int netconf_addr_del(struct netconf *nc, const char *name, const struct cidr *c);

/** netconf_addr_has() - 1 if @name carries @c (address and prefix), 0 if not */
int netconf_addr_has(struct netconf *nc, const char *name, const struct cidr *c);

/**
 * netconf_route_add() - add a route to @dst via @gw on @dev (@dst NULL: the
 *			 default route; @gw NULL: a link route; @dev NULL: any)
 *
 * Return: 0, or -errno (-EEXIST, -ENETUNREACH, ...)
 */
int netconf_route_add(struct netconf *nc, const char *dev, const struct cidr *dst,
		      const struct addr *gw);

/** netconf_route_del() - remove a route given as to netconf_route_add() (-ESRCH if none) */
int netconf_route_del(struct netconf *nc, const char *dev, const struct cidr *dst,
		      const struct addr *gw);

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
			  char *dev);

/* Link deletions made ready now and sent later without allocating
 * anything (by a child that shares our memory): netconf_batch_*() */
#define NETCONF_BATCH_MAX 32
struct netconf_batch {
	struct nl_msg *msg[NETCONF_BATCH_MAX];
	int err[NETCONF_BATCH_MAX];	/* per request, after netconf_batch_send() */
	size_t n;
};

/**
 * netconf_batch_link_delete() - add the deletion of link @name to @b
 *
 * Return: 0, -ENOSPC if @b is full, or -ENOMEM
 */
int netconf_batch_link_delete(struct netconf_batch *b, const char *name);

/**
 * netconf_batch_send() - send each request of @b in turn on @nc (the socket
 *			  the batch was made for) and wait for its ack; no
 *			  allocation
 *
 * Return: 0, or the first error (each request's in @b->err)
 */
int netconf_batch_send(struct netconf *nc, struct netconf_batch *b);

/** netconf_batch_free() - free the requests of @b (safe on a zero-filled one) */
void netconf_batch_free(struct netconf_batch *b);

/**
 * netconf_sysctl_set() - write @value to /proc/sys/@key of the current
 *			  namespace ("net/ipv4/ip_forward"; the dotted form
 *			  "net.ipv4.ip_forward" is accepted too)
 */
int netconf_sysctl_set(const char *key, const char *value);

/**
 * netconf_sysctl_set_in() - netconf_sysctl_set() in the network namespace
 *			     behind @netns_fd (-1: the current one)
 */
int netconf_sysctl_set_in(int netns_fd, const char *key, const char *value);

/** netconf_sysctl_get() - read /proc/sys/@key into @buf (trailing newline removed) */
int netconf_sysctl_get(const char *key, char *buf, size_t len);

#endif /* BURROW_NETCONF_H */
