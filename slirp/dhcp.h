/* SPDX-License-Identifier: GPL-2.0-or-later
 * dhcp.h - DHCPv4 and stateful/stateless DHCPv6 answers for guests that ask:
 * the one guest address, gateway, DNS server, MTU
 */
#ifndef SLIRP_DHCP_H
#define SLIRP_DHCP_H

#include <stddef.h>
#include <stdint.h>

#include "ctx.h"
#include "frame.h"

/* What a DHCP request asked for, parsed from untrusted bytes */
struct dhcp_req {
	uint8_t msg_type;		/* DHCPv4: option 53; DHCPv6: message type */
	uint32_t xid;
	uint8_t chaddr[6];		/* DHCPv4 client hardware address */
	const uint8_t *client_id;	/* DHCPv6 option 1 */
	size_t client_id_len;
	int has_ia_na;			/* DHCPv6 IA_NA present */
	uint32_t iaid;
	int rapid_commit;
};

/**
 * dhcp_parse() - parse a DHCPv4 (BOOTP) request payload
 * @p:		UDP payload
 * @len:	its length
 * @r:		result
 *
 * Return: 0, or -EINVAL if it is not a well-formed BOOTREQUEST
 */
int dhcp_parse(const uint8_t *p, size_t len, struct dhcp_req *r);

/**
 * dhcp6_parse() - parse a DHCPv6 client message payload
 * @p:		UDP payload
 * @len:	its length
 * @r:		result (client_id points into @p)
 *
 * Return: 0, or -EINVAL
 */
int dhcp6_parse(const uint8_t *p, size_t len, struct dhcp_req *r);

/**
 * dhcp_input() - answer DHCPDISCOVER with an offer, DHCPREQUEST with an ack
 * @c:		context
 * @f:		parsed UDP frame to port 67
 */
void dhcp_input(struct ctx *c, const struct frame *f);

/**
 * dhcp6_input() - answer Solicit, Request, Renew, Rebind, Confirm and
 * Information-request
 * @c:		context
 * @f:		parsed UDP frame to port 547
 */
void dhcp6_input(struct ctx *c, const struct frame *f);

#endif /* SLIRP_DHCP_H */
