// SPDX-License-Identifier: GPL-2.0-or-later
/* ndp.c - neighbour and router advertisements */

#include <string.h>

#include "ndp.h"
#include "tap.h"

#define ND_RS	133
#define ND_RA	134
#define ND_NS	135
#define ND_NA	136

void ndp_link_local(const struct ctx *c, struct in6_addr *a)
{
	const uint8_t *m = c->conf.gw_mac;
	uint8_t *b = a->s6_addr;

	memset(a, 0, sizeof(*a));
	b[0] = 0xfe;
	b[1] = 0x80;
	b[8] = m[0] ^ 0x02;
	b[9] = m[1];
	b[10] = m[2];
	b[11] = 0xff;
	b[12] = 0xfe;
	b[13] = m[3];
	b[14] = m[4];
	b[15] = m[5];
}

/* ICMPv6 message of @len bytes at @ic (inside @buf) to the guest */
static void ndp_send(struct ctx *c, uint8_t *buf, uint8_t *ic, size_t len,
		     const struct in6_addr *src, const struct in6_addr *dst)
{
	uint16_t ck;

	ic[2] = ic[3] = 0;
	ck = csum_fold(csum_add(ic, len, csum_pseudo(AF_INET6, src, dst, IPPROTO_ICMPV6, len)));
	memcpy(ic + 2, &ck, 2);
	tap_put_headers(c, buf, AF_INET6, src, dst, IPPROTO_ICMPV6, len);
	tap_send(c, buf, (size_t)(ic + len - buf));
}

static void ndp_na(struct ctx *c, const struct frame *f)
{
	uint8_t buf[TAP_HDR_LEN + ETH_HDR_LEN + IP6_HDR_LEN + 32];
	uint8_t *ic = buf + TAP_HDR_LEN + ETH_HDR_LEN + IP6_HDR_LEN;
	struct in6_addr target, dst;

	if (f->l4_len < 24 || IN6_IS_ADDR_UNSPECIFIED(&f->saddr.v6))
		return;			/* short, or duplicate address detection */
	memcpy(&target, f->l4 + 8, 16);
	if (IN6_IS_ADDR_MULTICAST(&target) || !memcmp(&target, &f->saddr.v6, 16))
		return;
	dst = f->saddr.v6;
	memset(ic, 0, 32);
	ic[0] = ND_NA;
	ic[4] = 0x80 | 0x40 | 0x20;	/* router, solicited, override */
	memcpy(ic + 8, &target, 16);
	ic[24] = 2;			/* target link-layer address */
	ic[25] = 1;
	memcpy(ic + 26, c->conf.gw_mac, 6);
	ndp_send(c, buf, ic, 32, &target, &dst);
}

static void ndp_ra(struct ctx *c, const struct frame *f)
{
	uint8_t buf[TAP_HDR_LEN + ETH_HDR_LEN + IP6_HDR_LEN + 88];
	uint8_t *ic = buf + TAP_HDR_LEN + ETH_HDR_LEN + IP6_HDR_LEN, *o;
	struct in6_addr src, dst;
	size_t len = 16;

	ndp_link_local(c, &src);
	if (IN6_IS_ADDR_UNSPECIFIED(&f->saddr.v6)) {	/* to all nodes */
		memset(&dst, 0, sizeof(dst));
		dst.s6_addr[0] = 0xff;
		dst.s6_addr[1] = 0x02;
		dst.s6_addr[15] = 1;
	} else {
		dst = f->saddr.v6;
	}
	memset(ic, 0, 88);
	ic[0] = ND_RA;
	ic[4] = 64;			/* current hop limit */
	ic[5] = 0x40;			/* other configuration (DNS) by DHCPv6 */
	put_be16(ic + 6, 1800);		/* router lifetime */
	o = ic + len;			/* source link-layer address */
	o[0] = 1;
	o[1] = 1;
	memcpy(o + 2, c->conf.gw_mac, 6);
	len += 8;
	o = ic + len;			/* MTU */
	o[0] = 5;
	o[1] = 1;
	put_be32(o + 4, c->conf.mtu);
	len += 8;
	o = ic + len;			/* prefix information */
	o[0] = 3;
	o[1] = 4;
	o[2] = (uint8_t)c->conf.prefix6;
	/* on-link, autonomous; in pasta's view on-link only: the guest holds
	 * the host's address already, a second one from the prefix is noise */
	o[3] = c->conf.host_view ? 0x80 : 0xc0;
	put_be32(o + 4, 86400);
	put_be32(o + 8, 14400);
	memcpy(o + 16, &c->conf.net6, 16);
	len += 32;
	if (!c->conf.disable_dns && !IN6_IS_ADDR_UNSPECIFIED(&c->conf.dns6)) {
		o = ic + len;		/* recursive DNS server */
		o[0] = 25;
		o[1] = 3;
		put_be32(o + 4, 1800);
		memcpy(o + 8, &c->conf.dns6, 16);
		len += 24;
	}
	ndp_send(c, buf, ic, len, &src, &dst);
}

void ndp_input(struct ctx *c, const struct frame *f)
{
	if (f->hop_limit != 255 || f->icmp_code != 0)
		return;			/* RFC 4861: not from the link */
	if (f->icmp_type == ND_RS)
		ndp_ra(c, f);
	else if (f->icmp_type == ND_NS)
		ndp_na(c, f);
}
