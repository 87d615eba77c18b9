/* SPDX-License-Identifier: GPL-2.0-or-later
 * conf.h - defaults (slirp4netns's addresses), resolver discovery, and the
 * mapping from a destination the guest sees to the host socket address
 */
#ifndef SLIRP_CONF_H
#define SLIRP_CONF_H

#include "ctx.h"

/**
 * conf_defaults() - fill @conf with slirp4netns's defaults: 10.0.2.0/24
 * (guest .100, gateway .2, DNS .3), fd00::/64 (::100, ::2, ::3), MTU 65520
 * @conf:	configuration to fill
 */
void conf_defaults(struct slirp_conf *conf);

/**
 * conf_set_cidr4() - use the IPv4 network @cidr ("10.0.2.0/24") with
 * slirp4netns's offsets: gateway .2, DNS .3, guest .100
 * @conf:	configuration
 * @cidr:	text, prefix length 1..30 (.100 must fit for prefixes up to /25)
 *
 * Return: 0, or -EINVAL
 */
int conf_set_cidr4(struct slirp_conf *conf, const char *cidr);

/**
 * conf_read_resolv() - take the first usable "nameserver" of a resolv.conf
 * @conf:	configuration; resolver and resolver_len are set
 * @path:	file to read
 *
 * Return: 0, -ENOENT if the file has no nameserver, or -errno from open
 */
int conf_read_resolv(struct slirp_conf *conf, const char *path);

/**
 * conf_map_dst() - where a guest's packet to @daddr:@port really goes
 * @conf:	configuration
 * @family:	AF_INET or AF_INET6 (the guest's packet)
 * @daddr:	destination the guest used (struct in_addr / struct in6_addr)
 * @port:	destination port, host order (0 for ICMP)
 * @proto:	IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP or IPPROTO_ICMPV6
 * @sa:		host socket address out
 * @salen:	its length out
 *
 * The gateway maps to the host's loopback (unless disabled), the DNS
 * address on port 53 to the resolver; other addresses of the virtual
 * networks, multicast and broadcast are refused.
 *
 * Return: 0, or -EHOSTUNREACH / -EACCES when the destination is refused
 */
int conf_map_dst(const struct slirp_conf *conf, int family, const void *daddr,
		 uint16_t port, int proto, struct sockaddr_storage *sa,
		 socklen_t *salen);

/**
 * conf_set_outbound() - the source address of outbound connections
 * (--outbound-addr, --outbound-addr6): an address (IPv6 also with its zone,
 * "fe80::10%eth0"), or an interface whose first address of @family is taken
 * (a global one for IPv6)
 * @conf:	configuration; out4 or out6 is set
 * @family:	AF_INET or AF_INET6
 * @spec:	address or interface name
 *
 * Return: 0, -EINVAL (not an address, no such interface), or
 * -EADDRNOTAVAIL (the interface has no address of @family)
 */
int conf_set_outbound(struct slirp_conf *conf, int family, const char *spec);

/**
 * conf_check_outbound() - whether the --outbound-addr/--outbound-addr6
 * addresses can be bound here (an address of this host, a link-local one
 * with its zone): checked at start-up, so that a wrong address is refused by
 * name instead of failing every connection later
 * @conf:	configuration
 * @err:	message naming the option, the address and the error
 * @errlen:	size of @err
 *
 * Return: 0, or -errno from bind()
 */
int conf_check_outbound(const struct slirp_conf *conf, char *err, size_t errlen);

/**
 * conf_bind_outbound() - bind a new outbound socket to the configured
 * source address for its family, unless @dst is the host's loopback
 * @conf:	configuration
 * @fd:		unbound TCP or UDP socket
 * @dst:	where it will connect or send to (its family decides)
 *
 * Return: 0 (bound, or nothing to do), or -errno from bind()
 */
int conf_bind_outbound(const struct slirp_conf *conf, int fd, const struct sockaddr *dst);

#endif /* SLIRP_CONF_H */
