/* SPDX-License-Identifier: GPL-2.0-or-later
 * ipam.h - address leases of burrow-bridge's own IPAM: one file per leased
 * address under ROOT/ipam/NETWORK/, naming its owner.  Callers hold the state
 * lock (state_lock()) so that concurrent setups never hand out one address twice.
 */
#ifndef BRIDGE_IPAM_H
#define BRIDGE_IPAM_H

#include "addr.h"
#include "options.h"

/**
 * ipam_reserve() - lease a given address to @owner
 * @root:	state folder
 * @net:	network name
 * @owner:	lease owner (container key)
 * @a:		address
 *
 * Return: 0 (also when @owner already holds it), -EADDRINUSE if another
 * owner does, or -errno
 */
int ipam_reserve(const char *root, const char *net, const char *owner,
		 const struct addr *a);

/**
 * ipam_next() - lease the next free address of a subnet to @owner, skipping
 *		 the network, gateway and broadcast addresses
 * @root:	state folder
 * @net:	network name
 * @owner:	lease owner
 * @s:		subnet (with optional lease range)
 * @idx:	subnet index in the network (keeps a "last given" marker per subnet)
 * @out:	the leased address
 *
 * Return: 0, -ENOSPC when the subnet is full, or -errno
 */
int ipam_next(const char *root, const char *net, const char *owner,
	      const struct bo_subnet *s, unsigned idx, struct addr *out);

/**
 * ipam_release() - drop @owner's lease of @a (nothing if not @owner's)
 *
 * Return: 0, or -errno
 */
int ipam_release(const char *root, const char *net, const char *owner,
		 const struct addr *a);

/**
 * ipam_release_owner() - drop every lease of @owner in @net, and the empty
 *			  lease files a kill between create and write left
 *			  (callers hold the state lock, so no setup is
 *			  writing one): for a record that does not name its
 *			  addresses (a setup killed half way)
 *
 * Return: 0, or -errno
 */
int ipam_release_owner(const char *root, const char *net, const char *owner);

/**
 * ipam_count() - number of leases held in @net (for tests and teardown checks)
 *
 * Return: count, or -errno
 */
int ipam_count(const char *root, const char *net);

#endif /* BRIDGE_IPAM_H */
