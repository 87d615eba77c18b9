/* SPDX-License-Identifier: GPL-2.0-or-later
 * policy.h - which socket calls of a container get a host socket
 *
 * Pure functions: a socket address read from the container in, a verdict out.
 * A destination outside the container's own networks goes to a host socket;
 * everything local to the container (its addresses, its loopback, the
 * gateway that burrow-slirp answers on), anything excluded, and anything that
 * would name the host itself (loopback, unspecified, multicast) is left to
 * the container's own network namespace, where burrow-slirp's policy holds.
 */
#ifndef BURROW_BYPASS_POLICY_H
#define BURROW_BYPASS_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "addr.h"
#include "portspec.h"

#define POLICY_MAX_EXCLUDE 16
#define POLICY_MAX_PORTS 32

/* the container's own networks, exclusions and published ports */
struct policy {
	struct cidr local[4];		/* the container's networks (tap side) */
	size_t nlocal;
	struct cidr exclude[POLICY_MAX_EXCLUDE];
	size_t nexclude;
	struct port_fwd ports[POLICY_MAX_PORTS];
	size_t nports;
	int ipv6;			/* IPv6 destinations may be bypassed (the
					 * container's own network has IPv6 too) */
};

enum policy_verdict {
	POLICY_TAP = 0,		/* leave the call alone: the container's netns */
	POLICY_HOST,		/* a host socket */
};

/**
 * policy_init() - the defaults of burrow-slirp: 10.0.2.0/24 and fd00::/64 local
 * @p:		policy to fill
 */
void policy_init(struct policy *p);

/**
 * policy_add_local() - add a network of the container ("10.0.2.0/24")
 * @p:		policy
 * @cidr:	text
 *
 * Return: 0, -EINVAL (bad text) or -ENOSPC (table full)
 */
int policy_add_local(struct policy *p, const char *cidr);

/**
 * policy_add_exclude() - never bypass destinations in @cidr
 * @p:		policy
 * @cidr:	text
 *
 * Return: 0, -EINVAL or -ENOSPC
 */
int policy_add_exclude(struct policy *p, const char *cidr);

/**
 * policy_sockaddr() - parse a socket address copied from the container
 * @buf:	bytes as read from the container
 * @len:	length the container passed (may exceed what was read)
 * @got:	bytes actually read into @buf
 * @a:		address out (v4-mapped IPv6 unmapped to IPv4)
 * @port:	port out, host order
 *
 * Return: AF_INET or AF_INET6, AF_UNSPEC for an AF_UNSPEC address (a UDP
 * disconnect), or -EINVAL / -EAFNOSUPPORT (short or other family)
 */
int policy_sockaddr(const void *buf, size_t len, size_t got, struct addr *a, uint16_t *port);

/**
 * policy_connect() - verdict for connect() or sendto() toward @dst
 * @p:		policy
 * @dst:	destination, unmapped
 *
 * Return: POLICY_HOST for a destination outside the container's networks
 * that names neither the host itself nor an exclusion, and for IPv6 only
 * when @p->ipv6 is set (bypass never reaches what the container's own
 * network could not); else POLICY_TAP
 */
enum policy_verdict policy_connect(const struct policy *p, const struct addr *dst);

/**
 * policy_bind() - the published port a bind() inside the container takes
 * @p:		policy
 * @proto:	IPPROTO_TCP or IPPROTO_UDP
 * @a:		address the container binds (unmapped)
 * @port:	port the container binds, host order
 *
 * Return: the forward whose container port range holds @port, when @a is
 * the any address or one of the container's own; else NULL
 */
const struct port_fwd *policy_bind(const struct policy *p, int proto, const struct addr *a,
				   uint16_t port);

#endif /* BURROW_BYPASS_POLICY_H */
