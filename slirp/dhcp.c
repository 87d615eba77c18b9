// SPDX-License-Identifier: GPL-2.0-or-later
/* dhcp.c - DHCPv4 and DHCPv6 servers for the single guest */

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "dhcp.h"
#include "ndp.h"
#include "tap.h"

#define BOOTP_FIXED	236
#define DHCP_MAGIC	0x63825363
#define LEASE_SECONDS	86400

enum { DHCPDISCOVER = 1, DHCPOFFER, DHCPREQUEST, DHCPDECLINE, DHCPACK, DHCPNAK, DHCPRELEASE,
       DHCPINFORM };
enum { D6_SOLICIT = 1, D6_ADVERTISE, D6_REQUEST, D6_CONFIRM, D6_RENEW, D6_REBIND, D6_REPLY,
       D6_RELEASE, D6_DECLINE, D6_RECONFIGURE, D6_INFO_REQUEST };

int dhcp_parse(const uint8_t *p, size_t len, struct dhcp_req *r)
{
	size_t i = BOOTP_FIXED + 4;

	memset(r, 0, sizeof(*r));
	if (len < BOOTP_FIXED + 4 || p[0] != 1 || p[1] != 1 || p[2] != 6)
		return -EINVAL;
	if (get_be32(p + BOOTP_FIXED) != DHCP_MAGIC)
		return -EINVAL;
	r->xid = get_be32(p + 4);
	memcpy(r->chaddr, p + 28, 6);
	while (i < len) {
		uint8_t code = p[i], olen;

		if (code == 255)
			break;
		if (code == 0) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return -EINVAL;
		olen = p[i + 1];
		if (olen > len - i - 2)
			return -EINVAL;
		if (code == 53 && olen == 1)
			r->msg_type = p[i + 2];
		i += 2 + (size_t)olen;
	}
	return r->msg_type ? 0 : -EINVAL;
}

static uint8_t *opt4(uint8_t *o, uint8_t code, const void *data, uint8_t len)
{
	o[0] = code;
	o[1] = len;
	memcpy(o + 2, data, len);
	return o + 2 + len;
}

void dhcp_input(struct ctx *c, const struct frame *f)
{
	static uint8_t buf[TAP_HDR_LEN + ETH_HDR_LEN + IP4_HDR_LEN + UDP_HDR_LEN + 300];
	const struct slirp_conf *cf = &c->conf;
	uint8_t *uh = buf + TAP_HDR_LEN + ETH_HDR_LEN + IP4_HDR_LEN;
	uint8_t *b = uh + UDP_HDR_LEN, *o;
	struct in_addr bcast = { .s_addr = INADDR_BROADCAST };
	struct dhcp_req r;
	uint32_t v, mask = htonl(~0u << (32 - cf->prefix4));
	uint8_t type, mtu[2];
	size_t len;
	uint16_t ck;

	if (f->sport != 68 || dhcp_parse(f->payload, f->payload_len, &r))
		return;
	if (r.msg_type == DHCPDISCOVER)
		type = DHCPOFFER;
	else if (r.msg_type == DHCPREQUEST || r.msg_type == DHCPINFORM)
		type = DHCPACK;
	else
		return;
	memset(b, 0, 300);
	b[0] = 2;			/* BOOTREPLY */
	b[1] = 1;
	b[2] = 6;
	put_be32(b + 4, r.xid);
	memcpy(b + 10, f->payload + 10, 2);	/* flags */
	if (r.msg_type != DHCPINFORM)
		memcpy(b + 16, &cf->guest4, 4);	/* yiaddr */
	memcpy(b + 20, &cf->gw4, 4);	/* siaddr */
	memcpy(b + 28, r.chaddr, 6);
	put_be32(b + BOOTP_FIXED, DHCP_MAGIC);
	o = b + BOOTP_FIXED + 4;
	o = opt4(o, 53, &type, 1);
	o = opt4(o, 54, &cf->gw4, 4);
	v = htonl(LEASE_SECONDS);
	o = opt4(o, 51, &v, 4);
	o = opt4(o, 1, &mask, 4);
	o = opt4(o, 3, &cf->gw4, 4);
	if (!cf->disable_dns && cf->dns4.s_addr)
		o = opt4(o, 6, &cf->dns4, 4);
	put_be16(mtu, (uint16_t)(cf->mtu > 65535 ? 65535 : cf->mtu));
	o = opt4(o, 26, mtu, 2);
	*o++ = 255;
	len = (size_t)(o - b);
	if (len < 300)
		len = 300;		/* BOOTP minimum */
	put_be16(uh, 67);
	put_be16(uh + 2, 68);
	put_be16(uh + 4, (uint16_t)(UDP_HDR_LEN + len));
	uh[6] = uh[7] = 0;
	ck = csum_fold(csum_add(uh, UDP_HDR_LEN + len,
				csum_pseudo(AF_INET, &cf->gw4, &bcast, IPPROTO_UDP, UDP_HDR_LEN + len)));
	memcpy(uh + 6, &ck, 2);
	tap_put_headers(c, buf, AF_INET, &cf->gw4, &bcast, IPPROTO_UDP, UDP_HDR_LEN + len);
	memcpy(buf + TAP_HDR_LEN, r.chaddr, 6);	/* unicast to the client's MAC */
	tap_send(c, buf, (size_t)(uh + UDP_HDR_LEN + len - buf));
}

int dhcp6_parse(const uint8_t *p, size_t len, struct dhcp_req *r)
{
	size_t i = 4;

	memset(r, 0, sizeof(*r));
	if (len < 4)
		return -EINVAL;
	r->msg_type = p[0];
	r->xid = (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	while (i < len) {
		uint16_t code, olen;

		if (len - i < 4)
			return -EINVAL;
		code = get_be16(p + i);
		olen = get_be16(p + i + 2);
		if (olen > len - i - 4)
			return -EINVAL;
		if (code == 1 && olen <= 128) {
			r->client_id = p + i + 4;
			r->client_id_len = olen;
		} else if (code == 3 && olen >= 12) {
			r->has_ia_na = 1;
			r->iaid = get_be32(p + i + 4);
		} else if (code == 14) {
			r->rapid_commit = 1;
		}
		i += 4 + (size_t)olen;
	}
	return 0;
}

static uint8_t *opt6(uint8_t *o, uint16_t code, const void *data, uint16_t len)
{
	put_be16(o, code);
	put_be16(o + 2, len);
	if (len)
		memcpy(o + 4, data, len);
	return o + 4 + len;
}

void dhcp6_input(struct ctx *c, const struct frame *f)
{
	static uint8_t buf[TAP_HDR_LEN + ETH_HDR_LEN + IP6_HDR_LEN + UDP_HDR_LEN + 512];
	const struct slirp_conf *cf = &c->conf;
	uint8_t *uh = buf + TAP_HDR_LEN + ETH_HDR_LEN + IP6_HDR_LEN;
	uint8_t *b = uh + UDP_HDR_LEN, *o, duid[10], ia[40];
	struct in6_addr src;
	struct dhcp_req r;
	uint8_t type;
	size_t len;
	uint16_t ck;

	if (f->sport != 546 || dhcp6_parse(f->payload, f->payload_len, &r) || !r.client_id)
		return;
	switch (r.msg_type) {
	case D6_SOLICIT:
		type = r.rapid_commit ? D6_REPLY : D6_ADVERTISE;
		break;
	case D6_REQUEST: case D6_CONFIRM: case D6_RENEW: case D6_REBIND: case D6_INFO_REQUEST:
		type = D6_REPLY;
		break;
	default:
		return;
	}
	b[0] = type;
	b[1] = (uint8_t)(r.xid >> 16);
	b[2] = (uint8_t)(r.xid >> 8);
	b[3] = (uint8_t)r.xid;
	o = b + 4;
	o = opt6(o, 1, r.client_id, (uint16_t)r.client_id_len);
	put_be16(duid, 3);		/* DUID-LL, Ethernet */
	put_be16(duid + 2, 1);
	memcpy(duid + 4, cf->gw_mac, 6);
	o = opt6(o, 2, duid, sizeof(duid));
	if (r.has_ia_na && r.msg_type != D6_INFO_REQUEST && r.msg_type != D6_CONFIRM) {
		put_be32(ia, r.iaid);
		put_be32(ia + 4, LEASE_SECONDS / 2);
		put_be32(ia + 8, LEASE_SECONDS * 4 / 5);
		put_be16(ia + 12, 5);	/* IAADDR */
		put_be16(ia + 14, 24);
		memcpy(ia + 16, &cf->guest6, 16);
		put_be32(ia + 32, LEASE_SECONDS);
		put_be32(ia + 36, LEASE_SECONDS);
		o = opt6(o, 3, ia, sizeof(ia));
	}
	if (r.rapid_commit && r.msg_type == D6_SOLICIT)
		o = opt6(o, 14, NULL, 0);
	if (!cf->disable_dns)
		o = opt6(o, 23, &cf->dns6, 16);
	len = (size_t)(o - b);
	ndp_link_local(c, &src);
	put_be16(uh, 547);
	put_be16(uh + 2, 546);
	put_be16(uh + 4, (uint16_t)(UDP_HDR_LEN + len));
	uh[6] = uh[7] = 0;
	ck = csum_fold(csum_add(uh, UDP_HDR_LEN + len,
				csum_pseudo(AF_INET6, &src, &f->saddr.v6, IPPROTO_UDP,
					    UDP_HDR_LEN + len)));
	memcpy(uh + 6, &ck, 2);
	tap_put_headers(c, buf, AF_INET6, &src, &f->saddr.v6, IPPROTO_UDP, UDP_HDR_LEN + len);
	tap_send(c, buf, (size_t)(uh + UDP_HDR_LEN + len - buf));
}
