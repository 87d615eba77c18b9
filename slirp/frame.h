/* SPDX-License-Identifier: GPL-2.0-or-later
 * frame.h - parse Ethernet frames from the guest (pure, bounds-checked) and
 * build the headers of frames to the guest; Internet checksums
 */
#ifndef SLIRP_FRAME_H
#define SLIRP_FRAME_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define ETH_ALEN_	6
#define ETH_HDR_LEN	14
#define IP4_HDR_LEN	20
#define IP6_HDR_LEN	40
#define TCP_HDR_LEN	20
#define UDP_HDR_LEN	8

#define ETHTYPE_IP4	0x0800
#define ETHTYPE_ARP	0x0806
#define ETHTYPE_IP6	0x86dd

#define TCPF_FIN	0x01
#define TCPF_SYN	0x02
#define TCPF_RST	0x04
#define TCPF_PSH	0x08
#define TCPF_ACK	0x10
#define TCPF_URG	0x20

/* Why a frame was dropped; index into the drop counters */
enum frame_err {
	FRAME_OK = 0,
	FRAME_ERR_SHORT,	/* shorter than its headers claim */
	FRAME_ERR_ETHTYPE,	/* not ARP, IPv4 or IPv6 */
	FRAME_ERR_ARP,		/* not an Ethernet/IPv4 ARP packet */
	FRAME_ERR_IP_VERSION,	/* version field does not match the EtherType */
	FRAME_ERR_IP_HDR,	/* bad IPv4 header length or total length */
	FRAME_ERR_FRAGMENT,	/* fragments are not reassembled */
	FRAME_ERR_IP6_EXT,	/* bad or too many IPv6 extension headers */
	FRAME_ERR_TCP,		/* bad TCP data offset or options */
	FRAME_ERR_UDP,		/* bad UDP length */
	FRAME_ERR_ICMP,		/* ICMP shorter than its header */
	FRAME_ERR_PROTO,	/* transport protocol not handled */
	FRAME_ERR_MAX
};

/* One parsed frame; pointers point into the caller's buffer */
struct frame {
	const uint8_t *dst_mac, *src_mac;
	uint16_t ethertype;

	/* ARP (ethertype ETHTYPE_ARP) */
	uint16_t arp_op;
	const uint8_t *arp_sha, *arp_spa, *arp_tha, *arp_tpa;

	/* IP */
	int family;			/* AF_INET, AF_INET6, 0 for ARP */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} saddr, daddr;
	uint8_t proto;			/* IPPROTO_TCP, _UDP, _ICMP, _ICMPV6 */
	uint8_t hop_limit;
	const uint8_t *l4;		/* transport header */
	size_t l4_len;			/* transport header + payload */

	/* TCP and UDP */
	uint16_t sport, dport;
	/* TCP */
	uint32_t seq, ack;
	uint8_t tcp_flags;
	uint16_t window;
	uint16_t mss;			/* 0: no MSS option */
	int8_t wscale;			/* -1: no window scale option */
	uint8_t sack_ok;		/* SACK-permitted option seen */
	/* ICMP / ICMPv6 */
	uint8_t icmp_type, icmp_code;
	uint16_t echo_id, echo_seq;	/* echo request/reply only */

	const uint8_t *payload;		/* TCP/UDP data, ICMP body after 8 bytes */
	size_t payload_len;
};

/**
 * frame_parse() - parse an Ethernet frame from the guest
 * @buf:	frame, starting with the Ethernet header
 * @len:	bytes in @buf
 * @f:		result, valid only when 0 is returned
 *
 * Every length is checked against @len before it is used; nothing is read
 * outside @buf.  IP fragments and unknown protocols are rejected.
 *
 * Return: 0, or -enum frame_err (the reason to count the drop under)
 */
int frame_parse(const uint8_t *buf, size_t len, struct frame *f);

/**
 * frame_err_name() - short name of a drop reason, for logs and statistics
 * @err:	enum frame_err value (positive)
 *
 * Return: static string
 */
const char *frame_err_name(int err);

/**
 * csum_add() - add @len bytes at @buf to a 32-bit one's complement sum
 * @buf:	data
 * @len:	length (odd lengths are padded with a zero byte)
 * @sum:	running sum
 *
 * Return: new running sum (not folded)
 */
uint32_t csum_add(const void *buf, size_t len, uint32_t sum);

/**
 * csum_fold() - fold a running sum into the 16-bit checksum (complemented)
 * @sum:	running sum
 *
 * Return: checksum, in the byte order of the summed data
 */
uint16_t csum_fold(uint32_t sum);

/**
 * csum_pseudo() - running sum of the IPv4 or IPv6 pseudo-header
 * @family:	AF_INET or AF_INET6
 * @src:	source address (struct in_addr or struct in6_addr)
 * @dst:	destination address
 * @proto:	transport protocol
 * @len:	transport length (header + payload)
 *
 * Return: running sum
 */
uint32_t csum_pseudo(int family, const void *src, const void *dst,
		     uint8_t proto, size_t len);

/**
 * frame_put_eth() - write an Ethernet header
 * @b:		output, at least ETH_HDR_LEN bytes
 * @dst:	destination MAC
 * @src:	source MAC
 * @type:	EtherType, host order
 *
 * Return: ETH_HDR_LEN
 */
size_t frame_put_eth(uint8_t *b, const uint8_t *dst, const uint8_t *src, uint16_t type);

/**
 * frame_put_ip() - write an IPv4 (with checksum) or IPv6 header
 * @b:		output, IP4_HDR_LEN or IP6_HDR_LEN bytes
 * @family:	AF_INET or AF_INET6
 * @src:	source address
 * @dst:	destination address
 * @proto:	transport protocol
 * @l4_len:	transport length
 *
 * Return: header length written
 */
size_t frame_put_ip(uint8_t *b, int family, const void *src, const void *dst,
		    uint8_t proto, size_t l4_len);

/* Big-endian accessors that never assume alignment */
static inline uint16_t get_be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void put_be16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v & 0xff; }
static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24; p[1] = (v >> 16) & 0xff; p[2] = (v >> 8) & 0xff; p[3] = v & 0xff;
}

#endif /* SLIRP_FRAME_H */
