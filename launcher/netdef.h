/* SPDX-License-Identifier: GPL-2.0-or-later
 * netdef.h - rootful bridge networks: one netavark network definition (the
 * "network_info" entry burrow-bridge reads) per network, as JSON under
 * "networks" in the state directory; the default network "burrow" is
 * 10.89.0.0/24 on the bridge burrow0 and is made on first use
 */
#ifndef BURROW_LAUNCHER_NETDEF_H
#define BURROW_LAUNCHER_NETDEF_H

#include <stddef.h>

#include <jansson.h>

#include "addr.h"

#define NETDEF_DEFAULT "burrow"
#define NETDEF_MAX_SUBNETS 8
#define NETDEF_NAME_MAX 32	/* longest network name (lib/name.h rule) */

/* `burrow network create` options */
struct netdef_opts {
	const char *subnets[NETDEF_MAX_SUBNETS];	/* --subnet, IPv4 or IPv6 */
	size_t nsubnets;
	int ipv6;		/* --ipv6: an IPv6 subnet too (fd89:0:0:N::/64 if none given) */
	int internal;		/* --internal: no masquerade, no default route */
	int disable_dns;	/* --disable-dns: no burrow-dns for this network */
};

/**
 * netdef_load() - a network's definition, making the default one if missing
 * @name:	network name
 * @out:	new reference
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, -ENOENT (no such network) or -errno
 */
int netdef_load(const char *name, json_t **out, char *err, size_t errlen);

/**
 * netdef_create() - a new network: `burrow network create [--subnet CIDR]...
 *		     [--ipv6] [--internal] [--disable-dns] NAME`
 * @name:	network name
 * @o:		options; no subnet: the next free 10.89.N.0/24 (and with
 *		--ipv6 fd89:0:0:N::/64) on bridge burrowN; the gateway of each
 *		subnet is its first address; DNS (burrow-dns on the gateways)
 *		is on unless disabled or burrow-dns is not installed
 * @dns_off:	out: set when DNS was wanted but burrow-dns is not installed
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -errno (-EEXIST, -EPERM rootless, -EINVAL bad subnets)
 */
int netdef_create(const char *name, const struct netdef_opts *o, int *dns_off, char *err,
		  size_t errlen);

/**
 * netdef_parse_subnet() - parse a --subnet value: IPv4 with a prefix of 8 to
 *			   30, or IPv6 with 8 to 124; host bits are cleared
 * @s:		text
 * @c:		result
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL
 */
int netdef_parse_subnet(const char *s, struct cidr *c, char *err, size_t errlen);

/**
 * netdef_all() - every network definition (for `burrow network ls`)
 *
 * Return: a JSON array (new reference; empty when rootless)
 */
json_t *netdef_all(void);

/**
 * netdef_remove() - remove a network's definition; refused while a
 *		     container uses it (pods are the caller's to check)
 * @name:	network name
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, -ENOENT, -EBUSY, -EPERM (rootless) or -errno
 */
int netdef_remove(const char *name, char *err, size_t errlen);

/**
 * netdef_name() - the network name of a --network value
 * @mode:	"bridge" or "bridge:NAME"
 *
 * Return: a pointer into @mode, or NETDEF_DEFAULT
 */
const char *netdef_name(const char *mode);

#endif /* BURROW_LAUNCHER_NETDEF_H */
