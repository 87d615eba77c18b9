// SPDX-License-Identifier: GPL-2.0-or-later
/* frame.c - bounds-checked parsing of guest frames; header builders; checksums */

#include <string.h>
#include <sys/socket.h>

#include "frame.h"

#define IP6_MAX_EXT	8

static const char *const frame_err_names[FRAME_ERR_MAX] = {
	[FRAME_OK] = "ok",
	[FRAME_ERR_SHORT] = "short",
	[FRAME_ERR_ETHTYPE] = "ethertype",
	[FRAME_ERR_ARP] = "arp",
	[FRAME_ERR_IP_VERSION] = "ip-version",
	[FRAME_ERR_IP_HDR] = "ip-header",
	[FRAME_ERR_FRAGMENT] = "fragment",
	[FRAME_ERR_IP6_EXT] = "ipv6-extension",
	[FRAME_ERR_TCP] = "tcp-header",
	[FRAME_ERR_UDP] = "udp-header",
	[FRAME_ERR_ICMP] = "icmp-header",
	[FRAME_ERR_PROTO] = "protocol",
};

const char *frame_err_name(int err)
{
	if (err < 0 || err >= FRAME_ERR_MAX)
		return "unknown";
	return frame_err_names[err];
}

/* TCP options: MSS, window scale, SACK-permitted; anything malformed fails the frame */
static int parse_tcp_options(const uint8_t *o, size_t len, struct frame *f)
{
	size_t i = 0;

	while (i < len) {
		uint8_t kind = o[i], olen;

		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return -FRAME_ERR_TCP;
		olen = o[i + 1];
		if (olen < 2 || olen > len - i)
			return -FRAME_ERR_TCP;
		if (kind == 2 && olen == 4)
			f->mss = get_be16(o + i + 2);
		else if (kind == 3 && olen == 3)
			f->wscale = (int8_t)(o[i + 2] > 14 ? 14 : o[i + 2]);
		else if (kind == 4 && olen == 2)
			f->sack_ok = 1;
		i += olen;
	}
	return 0;
}

/* Transport header of an IP packet whose l4/l4_len/proto are set */
static int parse_l4(struct frame *f)
{
	const uint8_t *p = f->l4;
	size_t len = f->l4_len;

	switch (f->proto) {
	case IPPROTO_TCP: {
		size_t doff;

		if (len < TCP_HDR_LEN)
			return -FRAME_ERR_SHORT;
		doff = (size_t)(p[12] >> 4) * 4;
		if (doff < TCP_HDR_LEN || doff > len)
			return -FRAME_ERR_TCP;
		f->sport = get_be16(p);
		f->dport = get_be16(p + 2);
		f->seq = get_be32(p + 4);
		f->ack = get_be32(p + 8);
		f->tcp_flags = p[13] & 0x3f;
		f->window = get_be16(p + 14);
		f->payload = p + doff;
		f->payload_len = len - doff;
		return parse_tcp_options(p + TCP_HDR_LEN, doff - TCP_HDR_LEN, f);
	}
	case IPPROTO_UDP: {
		size_t ulen;

		if (len < UDP_HDR_LEN)
			return -FRAME_ERR_SHORT;
		ulen = get_be16(p + 4);
		if (ulen < UDP_HDR_LEN || ulen > len)
			return -FRAME_ERR_UDP;
		f->sport = get_be16(p);
		f->dport = get_be16(p + 2);
		f->payload = p + UDP_HDR_LEN;
		f->payload_len = ulen - UDP_HDR_LEN;
		return 0;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (f->proto == IPPROTO_ICMP && f->family != AF_INET)
			return -FRAME_ERR_PROTO;
		if (f->proto == IPPROTO_ICMPV6 && f->family != AF_INET6)
			return -FRAME_ERR_PROTO;
		if (len < 8)
			return -FRAME_ERR_ICMP;
		f->icmp_type = p[0];
		f->icmp_code = p[1];
		f->echo_id = get_be16(p + 4);
		f->echo_seq = get_be16(p + 6);
		f->payload = p + 8;
		f->payload_len = len - 8;
		return 0;
	default:
		return -FRAME_ERR_PROTO;
	}
}

static int parse_ip4(const uint8_t *p, size_t len, struct frame *f)
{
	size_t ihl, tot;
	uint16_t frag;

	if (len < IP4_HDR_LEN)
		return -FRAME_ERR_SHORT;
	if (p[0] >> 4 != 4)
		return -FRAME_ERR_IP_VERSION;
	ihl = (size_t)(p[0] & 0x0f) * 4;
	tot = get_be16(p + 2);
	if (ihl < IP4_HDR_LEN || tot < ihl || tot > len)
		return -FRAME_ERR_IP_HDR;
	frag = get_be16(p + 6);
	if (frag & 0x3fff)		/* MF set or a non-zero offset */
		return -FRAME_ERR_FRAGMENT;
	f->family = AF_INET;
	f->hop_limit = p[8];
	f->proto = p[9];
	memcpy(&f->saddr.v4, p + 12, 4);
	memcpy(&f->daddr.v4, p + 16, 4);
	f->l4 = p + ihl;
	f->l4_len = tot - ihl;
	return parse_l4(f);
}

static int parse_ip6(const uint8_t *p, size_t len, struct frame *f)
{
	size_t plen, off = IP6_HDR_LEN;
	uint8_t next;
	int n;

	if (len < IP6_HDR_LEN)
		return -FRAME_ERR_SHORT;
	if (p[0] >> 4 != 6)
		return -FRAME_ERR_IP_VERSION;
	plen = get_be16(p + 4);
	if (plen > len - IP6_HDR_LEN)
		return -FRAME_ERR_IP_HDR;
	f->family = AF_INET6;
	f->hop_limit = p[7];
	memcpy(&f->saddr.v6, p + 8, 16);
	memcpy(&f->daddr.v6, p + 24, 16);
	next = p[6];
	len = IP6_HDR_LEN + plen;
	for (n = 0; ; n++) {
		if (next == 44)
			return -FRAME_ERR_FRAGMENT;
		if (next != 0 && next != 43 && next != 60)
			break;
		if (n >= IP6_MAX_EXT || len - off < 8)
			return -FRAME_ERR_IP6_EXT;
		next = p[off];
		off += ((size_t)p[off + 1] + 1) * 8;
		if (off > len)
			return -FRAME_ERR_IP6_EXT;
	}
	f->proto = next;
	f->l4 = p + off;
	f->l4_len = len - off;
	return parse_l4(f);
}

int frame_parse(const uint8_t *buf, size_t len, struct frame *f)
{
	memset(f, 0, sizeof(*f));
	f->wscale = -1;
	if (len < ETH_HDR_LEN)
		return -FRAME_ERR_SHORT;
	f->dst_mac = buf;
	f->src_mac = buf + 6;
	f->ethertype = get_be16(buf + 12);
	buf += ETH_HDR_LEN;
	len -= ETH_HDR_LEN;

	switch (f->ethertype) {
	case ETHTYPE_ARP:
		if (len < 28)
			return -FRAME_ERR_SHORT;
		/* Ethernet hardware, IPv4 protocol, 6/4 address lengths */
		if (get_be16(buf) != 1 || get_be16(buf + 2) != ETHTYPE_IP4 ||
		    buf[4] != 6 || buf[5] != 4)
			return -FRAME_ERR_ARP;
		f->arp_op = get_be16(buf + 6);
		f->arp_sha = buf + 8;
		f->arp_spa = buf + 14;
		f->arp_tha = buf + 18;
		f->arp_tpa = buf + 24;
		return 0;
	case ETHTYPE_IP4:
		return parse_ip4(buf, len, f);
	case ETHTYPE_IP6:
		return parse_ip6(buf, len, f);
	default:
		return -FRAME_ERR_ETHTYPE;
	}
}

uint32_t csum_add(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *p = buf;
	uint64_t s = sum;

	while (len >= 32) {
		uint32_t w[8];

		memcpy(w, p, 32);
		s += (uint64_t)w[0] + w[1] + w[2] + w[3] + w[4] + w[5] + w[6] + w[7];
		p += 32;
		len -= 32;
	}
	while (len >= 4) {
		uint32_t w;

		memcpy(&w, p, 4);
		s += w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t w;

		memcpy(&w, p, 2);
		s += w;
		p += 2;
		len -= 2;
	}
	if (len) {
		uint8_t last[2] = { p[0], 0 };
		uint16_t w;

		memcpy(&w, last, 2);
		s += w;
	}
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t csum_pseudo(int family, const void *src, const void *dst,
		     uint8_t proto, size_t len)
{
	uint8_t ph[40];

	if (family == AF_INET) {
		memcpy(ph, src, 4);
		memcpy(ph + 4, dst, 4);
		ph[8] = 0;
		ph[9] = proto;
		put_be16(ph + 10, (uint16_t)len);
		put_be16(ph + 12, (uint16_t)(len >> 16));	/* above 64 KiB (BIG TCP) */
		return csum_add(ph, 14, 0);
	}
	memcpy(ph, src, 16);
	memcpy(ph + 16, dst, 16);
	put_be32(ph + 32, (uint32_t)len);
	ph[36] = ph[37] = ph[38] = 0;
	ph[39] = proto;
	return csum_add(ph, 40, 0);
}

size_t frame_put_eth(uint8_t *b, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(b, dst, 6);
	memcpy(b + 6, src, 6);
	put_be16(b + 12, type);
	return ETH_HDR_LEN;
}

size_t frame_put_ip(uint8_t *b, int family, const void *src, const void *dst,
		    uint8_t proto, size_t l4_len)
{
	uint16_t c;

	if (family == AF_INET) {
		b[0] = 0x45;
		b[1] = 0;
		/* above 64 KiB: 0, the receiver takes the frame's length (BIG TCP) */
		put_be16(b + 2, IP4_HDR_LEN + l4_len > 65535 ? 0 : (uint16_t)(IP4_HDR_LEN + l4_len));
		put_be16(b + 4, 0);
		put_be16(b + 6, 0x4000);	/* DF */
		b[8] = 64;
		b[9] = proto;
		b[10] = b[11] = 0;
		memcpy(b + 12, src, 4);
		memcpy(b + 16, dst, 4);
		c = csum_fold(csum_add(b, IP4_HDR_LEN, 0));
		memcpy(b + 10, &c, 2);
		return IP4_HDR_LEN;
	}
	b[0] = 0x60;
	b[1] = b[2] = b[3] = 0;
	put_be16(b + 4, (uint16_t)l4_len);
	b[6] = proto;
	b[7] = 255;
	memcpy(b + 8, src, 16);
	memcpy(b + 24, dst, 16);
	return IP6_HDR_LEN;
}
