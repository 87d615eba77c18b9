/* SPDX-License-Identifier: GPL-2.0-or-later
 * setup.h - one container's network setup and teardown as a transaction:
 * bridge, veth, addresses, routes, sysctls, IPAM, nftables elements, record.
 * A failure half way rolls back every step already done; teardown removes
 * exactly what the record says was made and succeeds when it is already gone.
 */
#ifndef BRIDGE_SETUP_H
#define BRIDGE_SETUP_H

#include <stddef.h>

#include "options.h"
#include "state.h"

/**
 * br_setup() - set up @o's networks in the namespace at @netns
 * @root:	state folder
 * @o:		request
 * @netns:	network namespace path (/run/netns/NAME, /proc/PID/ns/net)
 * @out:	what was made (addresses, MACs) for the caller's result
 * @err:	reason on failure, naming the object or field
 * @errlen:	size of @err
 *
 * A call for a container already set up with all its links present only
 * re-applies the firewall elements (podman network reload) and returns the
 * existing record.  BURROW_BRIDGE_FAIL=STEP in the environment makes the
 * call fail after STEP (bridge, ipam, veth, addr, route, ports, nft, state)
 * to test the rollback.
 *
 * Return: 0, or -errno
 */
int br_setup(const char *root, const struct bo_options *o, const char *netns,
	     struct st_ctr *out, char *err, size_t errlen);

/**
 * br_teardown() - undo br_setup() for container @key
 * @root:	state folder
 * @key:	container key (netavark: the container ID)
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0 (also when nothing was there), or -errno
 */
int br_teardown(const char *root, const char *key, char *err, size_t errlen);

/**
 * br_set_addrs() - give container @key, set up with no subnet (CNI dhcp
 *		    IPAM needs the link before it can lease), its addresses:
 *		    on its interface, default routes via the gateways, port
 *		    forwards to them, all in the record
 * @root:	state folder
 * @key:	container key
 * @netns:	its network namespace path
 * @ips:	addresses with prefix
 * @gws:	gateway of each (family 0: none)
 * @n:		how many (at most BO_MAX_SUBNETS)
 * @route_default: add default routes via the gateways
 * @out:	the record as updated
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -errno (the caller tears the container down)
 */
int br_set_addrs(const char *root, const char *key, const char *netns,
		 const struct cidr *ips, const struct addr *gws, size_t n, int route_default,
		 struct st_ctr *out, char *err, size_t errlen);

/**
 * br_sweep() - tear down what belongs to dead containers: records a setup
 *		or teardown killed half way left, and containers whose
 *		namespace is gone (none of their host veths exists any more)
 * @root:	state folder
 * @err:	first failure
 * @errlen:	size of @err
 *
 * Return: 0, or -errno
 */
int br_sweep(const char *root, char *err, size_t errlen);

/**
 * br_reload() - br_sweep(), then put back our nftables table from the
 *		 records (after `nft flush ruleset` or a firewall reload)
 *
 * Return: 0, or -errno
 */
int br_reload(const char *root, char *err, size_t errlen);

/**
 * br_check() - verify that @key's links and addresses are in place (CNI CHECK)
 *
 * Return: 0, -ENOENT if not set up, or -errno with @err set
 */
int br_check(const char *root, const char *key, const char *netns, char *err, size_t errlen);

#endif /* BRIDGE_SETUP_H */
