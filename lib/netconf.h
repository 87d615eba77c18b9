/* SPDX-License-Identifier: GPL-2.0-or-later
 * netconf.h - configure links, addresses, routes and sysctls in the current
 * network namespace (libnl-route-3).  Callers enter the namespace first
 * (ns_enter_*) or run these in a child that did.
 *
 * All functions return 0 or -errno, and log nothing: the caller, who knows
 * the context, logs "netconf_addr_add(eth0, 10.0.2.100/24): File exists".
 */
#ifndef BURROW_NETCONF_H
#define BURROW_NETCONF_H

#include <stdint.h>
#include <sys/types.h>

#include "addr.h"

/** netconf_link_index() - ifindex of @name, or -ENODEV */
int netconf_link_index(const char *name);

/** netconf_link_up() - set IFF_UP on @name */
int netconf_link_up(const char *name);

/** netconf_link_down() - clear IFF_UP on @name */
int netconf_link_down(const char *name);

/** netconf_link_set_mtu() - set the MTU of @name */
int netconf_link_set_mtu(const char *name, unsigned mtu);

/** netconf_link_set_mac() - set the hardware address of @name */
int netconf_link_set_mac(const char *name, const uint8_t mac[6]);

/** netconf_link_get_mac() - read the hardware address of @name */
int netconf_link_get_mac(const char *name, uint8_t mac[6]);

/** netconf_link_rename() - rename @name to @newname (link must be down) */
int netconf_link_rename(const char *name, const char *newname);

/** netconf_link_delete() - delete @name; -ENODEV if absent */
int netconf_link_delete(const char *name);

/**
 * netconf_link_move_ns() - move @name into the network namespace behind @netns_fd
 */
int netconf_link_move_ns(const char *name, int netns_fd);

/**
 * netconf_veth_create() - create a veth pair @name / @peer in this namespace;
 * if @peer_netns_fd >= 0 the peer is created directly in that namespace
 */
int netconf_veth_create(const char *name, const char *peer, int peer_netns_fd);

/** netconf_bridge_create() - create a Linux bridge @name (-EEXIST if present) */
int netconf_bridge_create(const char *name);

/** netconf_link_set_master() - enslave @name to bridge @master */
int netconf_link_set_master(const char *name, const char *master);

/** netconf_addr_add() - add @c (address/prefix) to @name; IPv6 with nodad */
int netconf_addr_add(const char *name, const struct cidr *c);

/** netconf_addr_del() - remove @c from @name */
int netconf_addr_del(const char *name, const struct cidr *c);

/**
 * netconf_route_add() - add a route to @dst via @gw (either may be NULL:
 * @dst NULL is the default route, @gw NULL is a link route) on @dev
 */
int netconf_route_add(const char *dev, const struct cidr *dst, const struct addr *gw);

/**
 * netconf_route_del() - remove a route given as to netconf_route_add()
 * (-ESRCH if there is none)
 */
int netconf_route_del(const char *dev, const struct cidr *dst, const struct addr *gw);

/**
 * netconf_sysctl_set() - write @value to /proc/sys/@key ("net/ipv4/ip_forward";
 * the dotted form "net.ipv4.ip_forward" is accepted too)
 */
int netconf_sysctl_set(const char *key, const char *value);

/**
 * netconf_sysctl_get() - read /proc/sys/@key into @buf (trailing newline removed)
 */
int netconf_sysctl_get(const char *key, char *buf, size_t len);

#endif /* BURROW_NETCONF_H */
