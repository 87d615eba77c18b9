/* SPDX-License-Identifier: GPL-2.0-or-later
 * link.h - bridges, veth pairs, addresses and routes over rtnetlink (libmnl),
 * in the current network namespace or in a container's, one socket each.
 *
 * All functions return 0 or -errno and log nothing; the caller names the
 * object in its message.
 */
#ifndef BRIDGE_LINK_H
#define BRIDGE_LINK_H

#include <stdint.h>

#include "addr.h"
#include "nl.h"

/* An rtnetlink socket (lib/nl.h) bound in one network namespace */
struct lk {
	struct nl nl;
};

/**
 * lk_open() - open an rtnetlink socket in the namespace behind @netns_fd
 * @l:		socket state
 * @netns_fd:	namespace, or -1 for the current one
 *
 * Return: 0, or -errno (setns failures included)
 */
int lk_open(struct lk *l, int netns_fd);

/**
 * LK_INIT - a closed socket: lk_close() is safe on it (no zeroing of the
 * receive buffer, whose pages would then all be touched)
 */
#define LK_INIT(l) ((l)->nl.sock = NULL)

/** lk_close() - close the socket (safe twice) */
void lk_close(struct lk *l);

/** lk_index() - ifindex of @name, or -ENODEV */
int lk_index(struct lk *l, const char *name);

/**
 * lk_mac_local() - make @mac a locally administered unicast address
 * @mac:	address, changed in place (the other 46 bits are kept)
 */
void lk_mac_local(uint8_t mac[6]);

/**
 * lk_mac_random() - a random locally administered unicast address
 * @mac:	out: the address (getrandom)
 *
 * Return: 0, or -errno from getrandom()
 */
int lk_mac_random(uint8_t mac[6]);

/**
 * lk_bridge_add() - create bridge @name, up, with @mtu (0: default) and a
 *		     random address of its own (lk_mac_random()), so that it
 *		     never takes a port's address when ports come and go
 * @l:		socket
 * @name:	bridge name
 * @mtu:	MTU or 0
 *
 * Return: 0 created, -EEXIST if a link of that name exists, or -errno
 */
int lk_bridge_add(struct lk *l, const char *name, unsigned mtu);

/**
 * lk_is_bridge() - 1 if @name is a bridge, 0 if another kind, -ENODEV if absent
 */
int lk_is_bridge(struct lk *l, const char *name);

/**
 * lk_veth_add() - create veth @host (enslaved to @master) whose peer @peer
 *		   is created in the namespace behind @peer_ns_fd; both are down
 * @l:		socket in the host namespace
 * @host:	host end name
 * @master:	bridge ifindex
 * @mtu:	MTU for both ends, 0 for default
 * @peer:	container end name
 * @peer_ns_fd:	container namespace
 * @peer_mac:	MAC of the container end, or NULL for a random one
 *
 * Return: 0, or -errno (-EEXIST: a name is taken)
 */
int lk_veth_add(struct lk *l, const char *host, int master, unsigned mtu,
		const char *peer, int peer_ns_fd, const uint8_t *peer_mac);

/** lk_set_up() - set IFF_UP on @ifindex */
int lk_set_up(struct lk *l, int ifindex);

/**
 * lk_set_addrgen_none() - no IPv6 link-local address (nor DAD, router
 *			   solicitations) when @ifindex comes up; call while down
 */
int lk_set_addrgen_none(struct lk *l, int ifindex);

/** lk_set_hairpin() - turn on hairpin mode of bridge port @ifindex */
int lk_set_hairpin(struct lk *l, int ifindex);

/** lk_get_mac() - hardware address of @ifindex */
int lk_get_mac(struct lk *l, int ifindex, uint8_t mac[6]);

/** lk_del() - delete link @name (-ENODEV if absent) */
int lk_del(struct lk *l, const char *name);

/**
 * lk_addr_add() - add @c to @ifindex (IPv6: no DAD); -EEXIST if present
 */
int lk_addr_add(struct lk *l, int ifindex, const struct cidr *c);

/** lk_addr_del() - remove @c from @ifindex */
int lk_addr_del(struct lk *l, int ifindex, const struct cidr *c);

/**
 * lk_addr_has() - whether @ifindex carries address @c (address and prefix)
 *
 * Return: 1 if it does, 0 if not, -errno if the dump failed
 */
int lk_addr_has(struct lk *l, int ifindex, const struct cidr *c);

/**
 * lk_route_add() - route @dst (NULL: default) via @gw (NULL: on-link) on @ifindex
 */
int lk_route_add(struct lk *l, int ifindex, const struct cidr *dst, const struct addr *gw);

/**
 * lk_route_find() - whether a route of the main table overlaps @c on an
 *		     interface other than @except_dev
 * @l:		socket
 * @c:		prefix
 * @except_dev: ifindex to ignore (0: none)
 * @dev:	out: the interface of the first such route
 *
 * Return: 1 found, 0 none, or -errno
 */
int lk_route_find(struct lk *l, const struct cidr *c, int except_dev, int *dev);

/**
 * lk_sysctl() - write @value to /proc/sys/@key in the namespace behind
 *		 @netns_fd (-1: current)
 */
int lk_sysctl(int netns_fd, const char *key, const char *value);

#endif /* BRIDGE_LINK_H */
