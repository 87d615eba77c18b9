// SPDX-License-Identifier: GPL-2.0-or-later
/* test_dns_msg.c - DNS message parser and builder: names, compression
 * pointers (loops, forward jumps, out of bounds), truncated messages, EDNS,
 * answers and their limits, reverse names */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "dns/msg.h"

/* a query for www.Example.com A with id 0x1234, RD */
static const uint8_t query[] = {
	0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
	3, 'w', 'w', 'w', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
	0, 1, 0, 1,
};

static void parse_query(void **state)
{
	struct dns_msg m;

	(void)state;
	assert_int_equal(dns_parse(query, sizeof(query), &m), 0);
	assert_int_equal(m.id, 0x1234);
	assert_int_equal(m.qdcount, 1);
	assert_string_equal(m.name, "www.example.com");
	assert_true(m.name_plain);
	assert_int_equal(m.qtype, DNS_T_A);
	assert_int_equal(m.qclass, DNS_C_IN);
	assert_int_equal(m.qend, sizeof(query));
	assert_int_equal(m.udp_size, 512);
}

static void every_truncation_fails_cleanly(void **state)
{
	struct dns_msg m;
	size_t l;

	(void)state;
	for (l = 0; l < DNS_HDR; l++)
		assert_int_equal(dns_parse(query, l, &m), -EBADMSG);
	for (l = DNS_HDR; l < sizeof(query); l++)
		assert_int_equal(dns_parse(query, l, &m), -EINVAL);
}

static void pointers(void **state)
{
	uint8_t msg[64] = { 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
	uint8_t wire[DNS_NAME_MAX];
	size_t wl, end;

	(void)state;
	/* 12: "a" "b" root; 16: "c" then pointer to 12 */
	memcpy(msg + 12, "\001a\001b\000\001c\300\014", 10);
	assert_int_equal(dns_name_read(msg, 22, 17, wire, &wl, &end), 0);
	assert_int_equal(wl, 7);
	assert_memory_equal(wire, "\001c\001a\001b", 7);
	assert_int_equal(end, 21);
	/* pointer to itself */
	memcpy(msg + 12, "\300\014", 2);
	assert_int_equal(dns_name_read(msg, 14, 12, wire, &wl, &end), -EINVAL);
	/* forward pointer */
	memcpy(msg + 12, "\300\016\001a\000", 5);
	assert_int_equal(dns_name_read(msg, 17, 12, wire, &wl, &end), -EINVAL);
	/* loop through a label: 12 "a" then pointer back to 12 */
	memcpy(msg + 12, "\001a\300\014", 4);
	assert_int_equal(dns_name_read(msg, 16, 12, wire, &wl, &end), -EINVAL);
	/* two pointers bouncing: 12 -> 14 is forward, refused */
	memcpy(msg + 12, "\300\016\300\014", 4);
	assert_int_equal(dns_name_read(msg, 16, 12, wire, &wl, &end), -EINVAL);
	/* pointer cut in half, pointer beyond the end, label types 01/10 */
	memcpy(msg + 12, "\300", 1);
	assert_int_equal(dns_name_read(msg, 13, 12, wire, &wl, &end), -EINVAL);
	memcpy(msg + 12, "\100a", 2);
	assert_int_equal(dns_name_read(msg, 14, 12, wire, &wl, &end), -EINVAL);
	memcpy(msg + 12, "\200a", 2);
	assert_int_equal(dns_name_read(msg, 14, 12, wire, &wl, &end), -EINVAL);
	/* label running past the end */
	memcpy(msg + 12, "\005ab", 3);
	assert_int_equal(dns_name_read(msg, 15, 12, wire, &wl, &end), -EINVAL);
	/* into the header (byte 1 of the ID as a label length): no name there */
	msg[1] = 0;
	memcpy(msg + 12, "\300\001", 2);
	assert_int_equal(dns_name_read(msg, 14, 12, wire, &wl, &end), -EINVAL);
}

static void name_too_long(void **state)
{
	uint8_t msg[600] = { 0 };
	size_t pos = 12, end, i;

	(void)state;
	/* 5 labels of 63 = 320 bytes: over 255 */
	for (i = 0; i < 5; i++) {
		msg[pos++] = 63;
		memset(msg + pos, 'x', 63);
		pos += 63;
	}
	msg[pos++] = 0;
	assert_int_equal(dns_name_read(msg, pos, 12, NULL, NULL, &end), -EINVAL);
	/* exactly 255: 3 x 63 + 1 x 61 labels + root = 4 + 189 + 61 + 1 = 255 */
	pos = 12;
	for (i = 0; i < 3; i++) {
		msg[pos++] = 63;
		memset(msg + pos, 'y', 63);
		pos += 63;
	}
	msg[pos++] = 61;
	memset(msg + pos, 'z', 61);
	pos += 61;
	msg[pos++] = 0;
	assert_int_equal(pos - 12, 255);
	assert_int_equal(dns_name_read(msg, pos, 12, NULL, NULL, &end), 0);
}

static void text_of_odd_bytes(void **state)
{
	char text[DNS_TEXT_MAX];

	(void)state;
	assert_int_equal(dns_name_text((const uint8_t *)"\003A.b\000", 6, text), 0);
	assert_string_equal(text, "a?b");
	assert_int_equal(dns_name_text((const uint8_t *)"\000", 1, text), 1);
	assert_string_equal(text, "");
	assert_int_equal(dns_name_text((const uint8_t *)"\003Web\005Dns_x\000", 11, text), 1);
	assert_string_equal(text, "web.dns_x");
}

static void edns_size(void **state)
{
	uint8_t q[sizeof(query) + 11];
	struct dns_msg m;

	(void)state;
	memcpy(q, query, sizeof(query));
	q[11] = 1;				/* ARCOUNT */
	memcpy(q + sizeof(query), "\000\000\051\020\000\000\000\000\000\000\000", 11);
	assert_int_equal(dns_parse(q, sizeof(q), &m), 0);
	assert_int_equal(m.udp_size, 4096);
	q[sizeof(query) + 3] = 0x01;		/* 256: raised to 512 */
	q[sizeof(query) + 4] = 0x00;
	assert_int_equal(dns_parse(q, sizeof(q), &m), 0);
	assert_int_equal(m.udp_size, 512);
	/* rdlen beyond the end */
	q[sizeof(query) + 10] = 9;
	assert_int_equal(dns_parse(q, sizeof(q), &m), -EINVAL);
}

static void build_answers(void **state)
{
	struct dns_msg m, r;
	struct addr addrs[3];
	struct dns_answer a = { .authoritative = 1, .ttl = 0, .addrs = addrs, .naddrs = 3 };
	uint8_t out[512];
	size_t len;

	(void)state;
	assert_int_equal(dns_parse(query, sizeof(query), &m), 0);
	addr_parse("10.0.0.1", &addrs[0]);
	addr_parse("10.0.0.2", &addrs[1]);
	addr_parse("fd00::1", &addrs[2]);
	len = dns_build(&m, &a, out, sizeof(out));
	assert_int_equal(len, sizeof(query) + 2 * 16 + 28);
	assert_int_equal(dns_parse(out, len, &r), 0);
	assert_int_equal(r.id, 0x1234);
	assert_true(r.flags & DNS_F_QR);
	assert_true(r.flags & DNS_F_AA);
	assert_true(r.flags & DNS_F_RD);
	assert_false(r.flags & DNS_F_TC);
	assert_int_equal(r.ancount, 3);
	assert_string_equal(r.name, "www.example.com");
	/* no room for the third: TC, two answers */
	len = dns_build(&m, &a, out, sizeof(query) + 2 * 16 + 27);
	assert_int_equal(dns_parse(out, len, &r), 0);
	assert_true(r.flags & DNS_F_TC);
	assert_int_equal(r.ancount, 2);
	/* no room for the question */
	len = dns_build(&m, &a, out, 20);
	assert_int_equal(len, DNS_HDR);
	assert_int_equal(out[3] & 0xf, DNS_R_SERVFAIL);
	assert_int_equal(dns_build(&m, &a, out, 5), 0);
	/* an error with and without the question */
	len = dns_error(&m, 1, DNS_R_REFUSED, out, sizeof(out));
	assert_int_equal(len, sizeof(query));
	assert_int_equal(out[3] & 0xf, DNS_R_REFUSED);
	len = dns_error(&m, 0, DNS_R_FORMERR, out, sizeof(out));
	assert_int_equal(len, DNS_HDR);
	assert_int_equal(out[5], 0);
}

static void build_ptr(void **state)
{
	struct dns_msg m, r;
	const char *names[] = { "web.dns.podman", "bad..name", "alias.dns.podman" };
	struct dns_answer a = { .authoritative = 1, .names = names, .nnames = 3 };
	uint8_t out[512];
	size_t len;

	(void)state;
	assert_int_equal(dns_parse(query, sizeof(query), &m), 0);
	len = dns_build(&m, &a, out, sizeof(out));
	assert_int_equal(dns_parse(out, len, &r), 0);
	assert_int_equal(r.ancount, 2);		/* the invalid name is left out */
}

static void truncate_response(void **state)
{
	uint8_t msg[200];
	struct dns_msg m;
	struct addr ad;
	struct dns_answer a = { .addrs = &ad, .naddrs = 1 };
	size_t len;

	(void)state;
	addr_parse("10.0.0.1", &ad);
	assert_int_equal(dns_parse(query, sizeof(query), &m), 0);
	len = dns_build(&m, &a, msg, sizeof(msg));
	len = dns_truncate(msg, len, m.qend);
	assert_int_equal(len, sizeof(query));
	assert_true(msg[2] & (DNS_F_TC >> 8));
	assert_int_equal(msg[7], 0);
	assert_int_equal(dns_truncate(msg, 5, 33), 5);
	assert_int_equal(dns_truncate(msg, 20, 33), DNS_HDR);
}

static void reverse_names(void **state)
{
	struct addr a;
	char buf[ADDR_STRLEN];

	(void)state;
	assert_int_equal(dns_ptr_addr("3.0.81.10.in-addr.arpa", &a), 0);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "10.81.0.3");
	assert_int_equal(dns_ptr_addr(
		"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.8.0.0.0.0.d.f.ip6.arpa", &a), 0);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "fd00:86::1");
	assert_int_equal(dns_ptr_addr("0.81.10.in-addr.arpa", &a), -EINVAL);
	assert_int_equal(dns_ptr_addr("1.3.0.81.10.in-addr.arpa", &a), -EINVAL);
	assert_int_equal(dns_ptr_addr("256.0.81.10.in-addr.arpa", &a), -EINVAL);
	assert_int_equal(dns_ptr_addr("01.0.81.10.in-addr.arpa", &a), -EINVAL);
	assert_int_equal(dns_ptr_addr(".0.81.10.in-addr.arpa", &a), -EINVAL);
	assert_int_equal(dns_ptr_addr("in-addr.arpa", &a), -EINVAL);
	assert_int_equal(dns_ptr_addr(
		"g.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.8.0.0.0.0.d.f.ip6.arpa", &a), -EINVAL);
	assert_int_equal(dns_ptr_addr("1.0.ip6.arpa", &a), -EINVAL);
}

static void name_wire(void **state)
{
	uint8_t w[DNS_NAME_MAX];

	(void)state;
	assert_int_equal(dns_name_wire("a.bc.", w, sizeof(w)), 6);
	assert_memory_equal(w, "\001a\002bc\000", 6);
	assert_int_equal(dns_name_wire("", w, sizeof(w)), 1);
	assert_int_equal(dns_name_wire("a..b", w, sizeof(w)), 0);
	assert_int_equal(dns_name_wire(".a", w, sizeof(w)), 0);
	assert_int_equal(dns_name_wire("a.bc", w, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_query),
		cmocka_unit_test(every_truncation_fails_cleanly),
		cmocka_unit_test(pointers),
		cmocka_unit_test(name_too_long),
		cmocka_unit_test(text_of_odd_bytes),
		cmocka_unit_test(edns_size),
		cmocka_unit_test(build_answers),
		cmocka_unit_test(build_ptr),
		cmocka_unit_test(truncate_response),
		cmocka_unit_test(reverse_names),
		cmocka_unit_test(name_wire),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
