/* SPDX-License-Identifier: GPL-2.0-or-later
 * zone.h - the names of one network: container names and aliases to
 * addresses, addresses back to names, the network's subnets.  Built once per
 * reload from a lib/dnsrec record; lookups allocate nothing.
 */
#ifndef DNS_ZONE_H
#define DNS_ZONE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "dnsrec.h"

struct zone_entry {
	uint32_t hash;
	uint32_t ctr;		/* index into net.ctr; UINT32_MAX: empty slot */
	const char *name;
};

struct zone {
	struct dnsrec_net net;	/* owned; names lower-cased */
	struct zone_entry *tab;
	size_t mask;		/* table size - 1 (a power of two) */
	uint32_t netid;		/* the server's id of the network, kept over
				 * reloads (quotas, cache); set by the server */
};

enum zone_result {
	ZONE_OTHER = 0,		/* not a name of this network: forward it */
	ZONE_FOUND,		/* a container's name (addresses may be none) */
	ZONE_NXDOMAIN,		/* under the search domain, but no such container */
};

/**
 * zone_build() - index the names of @n
 * @z:		zone to fill
 * @n:		network record; its container list is moved into @z
 *
 * Return: 0, or -ENOMEM (then @z is empty and @n unchanged)
 */
int zone_build(struct zone *z, struct dnsrec_net *n);

/**
 * zone_free() - release @z
 */
void zone_free(struct zone *z);

/**
 * zone_lookup() - addresses for @name ("web" or "web.dns.podman")
 * @z:		zone
 * @name:	lower-case dotted name
 * @family:	AF_INET for A, AF_INET6 for AAAA, 0 for neither (existence only)
 * @out:	addresses found (every container with that name)
 * @max:	room in @out
 * @n:		out: how many
 *
 * Return: enum zone_result
 */
enum zone_result zone_lookup(const struct zone *z, const char *name, int family,
			     struct addr *out, size_t max, size_t *n);

/**
 * zone_ctr_by_addr() - the container holding address @a on this network
 *
 * Return: the record, or NULL
 */
const struct dnsrec_ctr *zone_ctr_by_addr(const struct zone *z, const struct addr *a);

/**
 * zone_in_subnet() - whether @a lies inside one of the network's subnets
 */
int zone_in_subnet(const struct zone *z, const struct addr *a);

#endif /* DNS_ZONE_H */
