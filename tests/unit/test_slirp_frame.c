// SPDX-License-Identifier: GPL-2.0-or-later
/* test_slirp_frame.c - guest frame parser, checksums, DHCP parsers */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "slirp/dhcp.h"
#include "slirp/frame.h"

static size_t build_ip4_tcp(uint8_t *b, size_t payload, const uint8_t *opts, size_t optlen)
{
	size_t tcphl = TCP_HDR_LEN + optlen;
	struct in_addr s, d;

	memset(b, 0, 2048);
	inet_pton(AF_INET, "10.0.2.100", &s);
	inet_pton(AF_INET, "203.0.113.10", &d);
	frame_put_eth(b, (const uint8_t *)"\x52\x55\x0a\x00\x02\x02", (const uint8_t *)"\x02\x00\x00\x00\x00\x01", ETHTYPE_IP4);
	frame_put_ip(b + 14, AF_INET, &s, &d, IPPROTO_TCP, tcphl + payload);
	put_be16(b + 34, 40000);
	put_be16(b + 36, 80);
	put_be32(b + 38, 1000);
	put_be32(b + 42, 2000);
	b[46] = (uint8_t)((tcphl / 4) << 4);
	b[47] = TCPF_SYN;
	put_be16(b + 48, 64240);
	if (optlen)
		memcpy(b + 54, opts, optlen);
	return 14 + 20 + tcphl + payload;
}

static void tcp_syn_with_options(void **state)
{
	static const uint8_t opts[] = { 2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2, 0, 0 };
	uint8_t b[2048];
	struct frame f;
	size_t len = build_ip4_tcp(b, 0, opts, sizeof(opts));

	(void)state;
	assert_int_equal(frame_parse(b, len, &f), 0);
	assert_int_equal(f.family, AF_INET);
	assert_int_equal(f.proto, IPPROTO_TCP);
	assert_int_equal(f.sport, 40000);
	assert_int_equal(f.dport, 80);
	assert_int_equal(f.seq, 1000);
	assert_int_equal(f.tcp_flags, TCPF_SYN);
	assert_int_equal(f.mss, 1460);
	assert_int_equal(f.wscale, 7);
	assert_int_equal(f.sack_ok, 1);
	assert_int_equal(f.payload_len, 0);
}

static void tcp_payload_and_truncation(void **state)
{
	uint8_t b[2048];
	struct frame f;
	size_t len = build_ip4_tcp(b, 100, NULL, 0), i;

	(void)state;
	assert_int_equal(frame_parse(b, len, &f), 0);
	assert_int_equal(f.payload_len, 100);
	assert_ptr_equal(f.payload, b + 54);
	/* every shorter prefix is rejected without reading past it */
	for (i = 0; i < len; i++)
		assert_true(frame_parse(b, i, &f) < 0);
	/* trailing Ethernet padding is ignored */
	assert_int_equal(frame_parse(b, len + 10, &f), 0);
	assert_int_equal(f.payload_len, 100);
}

static void bad_headers_are_counted_by_reason(void **state)
{
	static const uint8_t bad_opt[] = { 2, 9, 0, 0 };	/* option longer than the header */
	uint8_t b[2048];
	struct frame f;
	size_t len;

	(void)state;
	len = build_ip4_tcp(b, 0, bad_opt, sizeof(bad_opt));
	assert_int_equal(frame_parse(b, len, &f), -FRAME_ERR_TCP);
	len = build_ip4_tcp(b, 0, NULL, 0);
	b[14] = 0x44;			/* IHL 16 bytes */
	assert_int_equal(frame_parse(b, len, &f), -FRAME_ERR_IP_HDR);
	len = build_ip4_tcp(b, 0, NULL, 0);
	b[14] = 0x65;			/* version 6 in an IPv4 EtherType */
	assert_int_equal(frame_parse(b, len, &f), -FRAME_ERR_IP_VERSION);
	len = build_ip4_tcp(b, 0, NULL, 0);
	put_be16(b + 20, 0x2000);	/* more fragments */
	assert_int_equal(frame_parse(b, len, &f), -FRAME_ERR_FRAGMENT);
	len = build_ip4_tcp(b, 0, NULL, 0);
	b[46] = 0xf0;			/* data offset 60 > segment */
	assert_int_equal(frame_parse(b, len, &f), -FRAME_ERR_TCP);
	put_be16(b + 12, 0x88cc);
	assert_int_equal(frame_parse(b, len, &f), -FRAME_ERR_ETHTYPE);
	assert_string_equal(frame_err_name(FRAME_ERR_FRAGMENT), "fragment");
}

static void ipv6_udp_and_extension_headers(void **state)
{
	uint8_t b[256];
	struct in6_addr s, d;
	struct frame f;
	size_t len;

	(void)state;
	memset(b, 0, sizeof(b));
	inet_pton(AF_INET6, "fd00::100", &s);
	inet_pton(AF_INET6, "2001:db8:2::10", &d);
	frame_put_eth(b, (const uint8_t *)"\x33\x33\0\0\0\1", (const uint8_t *)"\2\0\0\0\0\1", ETHTYPE_IP6);
	frame_put_ip(b + 14, AF_INET6, &s, &d, 0, 8 + 8 + 4);	/* hop-by-hop first */
	b[54] = IPPROTO_UDP;		/* next header after hop-by-hop */
	b[55] = 0;			/* 8 bytes */
	put_be16(b + 62, 5353);
	put_be16(b + 64, 53);
	put_be16(b + 66, 12);
	memcpy(b + 70, "abcd", 4);
	len = 74;
	assert_int_equal(frame_parse(b, len, &f), 0);
	assert_int_equal(f.family, AF_INET6);
	assert_int_equal(f.proto, IPPROTO_UDP);
	assert_int_equal(f.dport, 53);
	assert_int_equal(f.payload_len, 4);
	assert_memory_equal(&f.daddr.v6, &d, 16);
	b[55] = 200;			/* extension longer than the packet */
	assert_int_equal(frame_parse(b, len, &f), -FRAME_ERR_IP6_EXT);
	b[55] = 0;
	b[54] = 44;			/* fragment header */
	assert_int_equal(frame_parse(b, len, &f), -FRAME_ERR_FRAGMENT);
	b[54] = IPPROTO_UDP;
	put_be16(b + 66, 40);		/* UDP length beyond the packet */
	assert_int_equal(frame_parse(b, len, &f), -FRAME_ERR_UDP);
}

static void arp_request(void **state)
{
	uint8_t b[42];
	struct frame f;

	(void)state;
	memset(b, 0, sizeof(b));
	frame_put_eth(b, (const uint8_t *)"\xff\xff\xff\xff\xff\xff", (const uint8_t *)"\2\0\0\0\0\1", ETHTYPE_ARP);
	put_be16(b + 14, 1);
	put_be16(b + 16, ETHTYPE_IP4);
	b[18] = 6;
	b[19] = 4;
	put_be16(b + 20, 1);
	assert_int_equal(frame_parse(b, sizeof(b), &f), 0);
	assert_int_equal(f.arp_op, 1);
	assert_ptr_equal(f.arp_tpa, b + 38);
	b[19] = 16;
	assert_int_equal(frame_parse(b, sizeof(b), &f), -FRAME_ERR_ARP);
	assert_int_equal(frame_parse(b, 41, &f), -FRAME_ERR_SHORT);
}

static void checksum_known_values(void **state)
{
	/* RFC 1071 example */
	static const uint8_t data[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	uint8_t ip[20];
	struct in_addr s, d;
	uint16_t ck;

	(void)state;
	ck = csum_fold(csum_add(data, sizeof(data), 0));
	assert_int_equal(ntohs(ck), (uint16_t)~0xddf2);
	/* an IPv4 header with its checksum sums to zero */
	inet_pton(AF_INET, "10.0.2.2", &s);
	inet_pton(AF_INET, "10.0.2.100", &d);
	frame_put_ip(ip, AF_INET, &s, &d, IPPROTO_UDP, 100);
	assert_int_equal(csum_fold(csum_add(ip, 20, 0)), 0);
	/* odd lengths pad with zero */
	assert_int_equal(csum_fold(csum_add("\x01", 1, 0)), csum_fold(csum_add("\x01\x00", 2, 0)));
}

/* Frames above 64 KiB (BIG TCP): IP total length 0, the pseudo-header sum takes
 * all 32 bits of the length, as the kernel's csum_tcpudp_magic() does */
static void big_frame_headers(void **state)
{
	uint8_t ip[20];
	struct in_addr s, d;
	uint32_t len = 261920 + 20, ref;

	(void)state;
	inet_pton(AF_INET, "10.0.2.2", &s);
	inet_pton(AF_INET, "10.0.2.100", &d);
	frame_put_ip(ip, AF_INET, &s, &d, IPPROTO_TCP, len);
	assert_int_equal(ip[2], 0);
	assert_int_equal(ip[3], 0);
	assert_int_equal(csum_fold(csum_add(ip, 20, 0)), 0);
	frame_put_ip(ip, AF_INET, &s, &d, IPPROTO_TCP, 65535 - 20);
	assert_int_equal((ip[2] << 8) | ip[3], 65535);
	/* 10.0.2.2 + 10.0.2.100 + protocol + both halves of the length */
	ref = 0x0a00 + 0x0202 + 0x0a00 + 0x0264 + IPPROTO_TCP + (len >> 16) + (len & 0xffff);
	while (ref >> 16)
		ref = (ref & 0xffff) + (ref >> 16);
	assert_int_equal(ntohs(csum_fold(csum_pseudo(AF_INET, &s, &d, IPPROTO_TCP, len))),
			 (uint16_t)~ref);
	len = 1500;
	ref = 0x0a00 + 0x0202 + 0x0a00 + 0x0264 + IPPROTO_TCP + len;
	assert_int_equal(ntohs(csum_fold(csum_pseudo(AF_INET, &s, &d, IPPROTO_TCP, len))),
			 (uint16_t)~ref);
}

static void dhcp_parsers(void **state)
{
	uint8_t p[300];
	struct dhcp_req r;

	(void)state;
	memset(p, 0, sizeof(p));
	p[0] = 1;
	p[1] = 1;
	p[2] = 6;
	put_be32(p + 4, 0x12345678);
	memcpy(p + 28, "\2\0\0\0\0\1", 6);
	put_be32(p + 236, 0x63825363);
	p[240] = 53;
	p[241] = 1;
	p[242] = 1;
	p[243] = 255;
	assert_int_equal(dhcp_parse(p, 244, &r), 0);
	assert_int_equal(r.msg_type, 1);
	assert_int_equal(r.xid, 0x12345678);
	p[241] = 200;			/* option runs past the end */
	assert_int_not_equal(dhcp_parse(p, 244, &r), 0);

	memset(p, 0, sizeof(p));
	p[0] = 11;			/* information-request */
	put_be16(p + 4, 1);		/* client id, 4 bytes */
	put_be16(p + 6, 4);
	assert_int_equal(dhcp6_parse(p, 12, &r), 0);
	assert_int_equal(r.msg_type, 11);
	assert_int_equal(r.client_id_len, 4);
	assert_int_not_equal(dhcp6_parse(p, 10, &r), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tcp_syn_with_options),
		cmocka_unit_test(tcp_payload_and_truncation),
		cmocka_unit_test(bad_headers_are_counted_by_reason),
		cmocka_unit_test(ipv6_udp_and_extension_headers),
		cmocka_unit_test(arp_request),
		cmocka_unit_test(checksum_known_values),
		cmocka_unit_test(big_frame_headers),
		cmocka_unit_test(dhcp_parsers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
