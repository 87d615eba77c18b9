/* SPDX-License-Identifier: GPL-2.0-or-later
 * dns.h - name service for dns_enabled networks: record the container in
 * burrow-dns's records (lib/dnsrec.h) and start the daemon or make it
 * reload; on teardown remove the container again (the daemon exits with
 * the last network).
 */
#ifndef BRIDGE_DNS_H
#define BRIDGE_DNS_H

#include <stddef.h>

#include "options.h"
#include "state.h"

/**
 * dns_setup() - serve names for @c's dns_enabled networks
 * @json:	netavark's options JSON as read (aliases, dns_servers and
 *		network_dns_servers are taken from it)
 * @len:	its length
 * @o:		the parsed options (container name and ID)
 * @c:		what br_setup() made (addresses, gateways, flags)
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Returns once burrow-dns listens on every gateway of those networks, on
 * the first such network's dns_port (NETAVARK_DNS_PORT) if it starts now;
 * a running one keeps its port.
 * BURROW_DNS_BIN names the daemon (default: burrow-dns beside this
 * program); BURROW_DNS_LOG, if set, is a file for its messages.
 *
 * Return: 0 (also when no network has DNS), or -errno with @err set
 */
int dns_setup(const char *json, size_t len, const struct bo_options *o,
	      const struct st_ctr *c, char *err, size_t errlen);

/**
 * dns_teardown() - forget container @o in the networks it names, tell the daemon
 *		    (nothing to do unless one of @o's networks has DNS)
 * @o:		the parsed options (container ID, networks)
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0 (also when it was not recorded), or -errno with @err set
 */
int dns_teardown(const struct bo_options *o, char *err, size_t errlen);

/**
 * dns_update() - `netavark update NET --network-dns-servers LIST`: the
 *		  resolvers burrow-dns forwards network @net's other queries to
 * @net:	network name
 * @servers:	comma-separated addresses; empty: back to the host's resolvers
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0 (also when no container of @net has DNS records now), or -errno
 * with @err set
 */
int dns_update(const char *net, const char *servers, char *err, size_t errlen);

#endif /* BRIDGE_DNS_H */
