/* SPDX-License-Identifier: GPL-2.0-or-later
 * ndp.h - IPv6 neighbour discovery towards the guest: neighbour
 * advertisements for every address but its own, router advertisements with
 * the prefix, MTU and DNS server (RDNSS)
 */
#ifndef SLIRP_NDP_H
#define SLIRP_NDP_H

#include <netinet/in.h>

#include "ctx.h"
#include "frame.h"

/**
 * ndp_input() - answer router and neighbour solicitations
 * @c:		context
 * @f:		parsed ICMPv6 frame of type 133..137
 */
void ndp_input(struct ctx *c, const struct frame *f);

/**
 * ndp_link_local() - our link-local address (EUI-64 of the gateway MAC)
 * @c:		context
 * @a:		result
 */
void ndp_link_local(const struct ctx *c, struct in6_addr *a);

#endif /* SLIRP_NDP_H */
