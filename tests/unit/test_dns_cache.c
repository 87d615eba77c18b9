// SPDX-License-Identifier: GPL-2.0-or-later
/* test_dns_cache.c - the answer cache: keys (name case, type, query bits,
 * upstream set), TTLs aged on the way out, expiry and caps, negative
 * caching from the SOA (RFC 2308), the answers never kept, clock eviction,
 * the OPT record rebuilt without the first client's options */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dns/cache.h"

#define T0	1000000ull	/* a monotonic "now", ms */

static struct addr up1, up2;

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A message being built: counts kept in the header as records are added */
struct b {
	uint8_t m[4096];
	size_t len;
};

/* start() - header (QR, RD, RA, @rcode) and one question for @name/@type */
static void start(struct b *b, const char *name, unsigned type, unsigned rcode)
{
	memset(b, 0, sizeof(*b));
	put16(b->m, 0x4242);
	put16(b->m + 2, 0x8180 | rcode);
	put16(b->m + 4, 1);
	b->len = DNS_HDR + dns_name_wire(name, b->m + DNS_HDR, 256);
	put16(b->m + b->len, type);
	put16(b->m + b->len + 2, DNS_C_IN);
	b->len += 4;
}

/* rr() - a record in section @sec (0 answer, 1 authority, 2 additional),
 * owner name a pointer to the question */
static void rr(struct b *b, int sec, unsigned type, uint32_t ttl, const void *rd, size_t rdlen)
{
	uint8_t *c = b->m + 6 + 2 * sec;

	put16(b->m + b->len, 0xc00c);
	put16(b->m + b->len + 2, type);
	put16(b->m + b->len + 4, DNS_C_IN);
	put32(b->m + b->len + 6, ttl);
	put16(b->m + b->len + 10, (unsigned)rdlen);
	memcpy(b->m + b->len + 12, rd, rdlen);
	b->len += 12 + rdlen;
	put16(c, (unsigned)(c[0] << 8 | c[1]) + 1);
}

static void a_rr(struct b *b, uint32_t ttl, uint8_t last)
{
	uint8_t ip[4] = { 192, 0, 2, last };

	rr(b, 0, DNS_T_A, ttl, ip, 4);
}

/* one_a() - a NOERROR answer for @name A with one record */
static void one_a(struct b *b, const char *name, uint32_t ttl, uint8_t last)
{
	start(b, name, DNS_T_A, 0);
	a_rr(b, ttl, last);
}

/* soa() - an SOA in the authority section: "ns" "h" then five numbers */
static void soa(struct b *b, uint32_t ttl, uint32_t minimum)
{
	uint8_t rd[4 + 3 + 20] = { 2, 'n', 's', 0, 1, 'h', 0 };

	put32(rd + 7 + 16, minimum);
	rr(b, 1, DNS_T_SOA, ttl, rd, sizeof(rd));
}

/* opt() - an OPT record with a cookie option */
static void opt(struct b *b)
{
	uint8_t *p = b->m + b->len;

	p[0] = 0;
	put16(p + 1, DNS_T_OPT);
	put16(p + 3, 1232);
	put32(p + 5, 0x8000);			/* DO */
	put16(p + 9, 12);
	put16(p + 11, 10);			/* COOKIE, 8 bytes */
	put16(p + 13, 8);
	memcpy(p + 15, "cookie!!", 8);
	b->len += 11 + 12;
	put16(b->m + 10, (unsigned)(b->m[10] << 8 | b->m[11]) + 1);
}

static uint8_t qwire[DNS_NAME_MAX];
/* the answer being built and the one served, for every test */
static struct b b;
static uint8_t out[4096];

/* key() - the key for @name/@type asked of @up (variant RD) */
static struct cache_key key(const char *name, unsigned type, const struct addr *up)
{
	struct cache_key k = { .qname = qwire, .qtype = (uint16_t)type, .qclass = DNS_C_IN,
			       .variant = 1, .ups = up, .nup = 1 };

	k.qname_len = dns_name_wire(name, qwire, sizeof(qwire));
	return k;
}

static int setup(void **state)
{
	(void)state;
	cache_reset();
	addr_parse("192.0.2.53", &up1);
	addr_parse("2001:db8::53", &up2);
	return 0;
}

static void keys(void **state)
{
	struct cache_key k = key("www.Example.com", DNS_T_A, &up1);
	struct dns_msg m;
	size_t n;

	(void)state;
	one_a(&b, "www.example.com", 300, 7);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), 0);

	/* same question, another case and ID */
	k = key("WWW.example.COM", DNS_T_A, &up1);
	n = cache_get(&k, 0x1111, out, sizeof(out), T0 + 10);
	assert_int_equal(n, b.len);
	assert_int_equal(dns_parse(out, n, &m), 0);
	assert_int_equal(m.id, 0x1111);
	assert_int_equal(m.ancount, 1);
	assert_memory_equal(out + DNS_HDR, "\003WWW\007example\003COM", 17);
	assert_memory_equal(out + n - 4, "\300\000\002\007", 4);

	/* another type, upstream set, query variant, name: no */
	k = key("www.example.com", DNS_T_AAAA, &up1);
	assert_int_equal(cache_get(&k, 1, out, sizeof(out), T0), 0);
	k = key("www.example.com", DNS_T_A, &up2);
	assert_int_equal(cache_get(&k, 1, out, sizeof(out), T0), 0);
	k = key("www.example.com", DNS_T_A, &up1);
	k.variant = 1 | 4;
	assert_int_equal(cache_get(&k, 1, out, sizeof(out), T0), 0);
	k = key("www.example.co", DNS_T_A, &up1);
	assert_int_equal(cache_get(&k, 1, out, sizeof(out), T0), 0);
	k = key("www.example.com", DNS_T_A, &up1);
	k.nup = 0;
	assert_int_equal(cache_get(&k, 1, out, sizeof(out), T0), 0);
	/* another network, same upstream: an answer of one network's query
	 * (forged or not) never reaches another */
	k = key("www.example.com", DNS_T_A, &up1);
	k.netid = 7;
	assert_int_equal(cache_get(&k, 1, out, sizeof(out), T0), 0);
	/* a second upstream in the set is another set */
	{
		struct addr two[2] = { up1, up2 };

		k = key("www.example.com", DNS_T_A, two);
		k.nup = 2;
		assert_int_equal(cache_get(&k, 1, out, sizeof(out), T0), 0);
	}
}

static void ttl_aging(void **state)
{
	struct cache_key k = key("a.test", DNS_T_A, &up1);
	size_t n;

	(void)state;
	one_a(&b, "a.test", 100, 1);
	a_rr(&b, 50, 2);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), 0);
	n = cache_get(&k, 1, out, sizeof(out), T0 + 10500);
	assert_int_equal(n, b.len);
	/* TTLs at 12 + 8 + 4 + 6 and one record (16 bytes) later */
	assert_int_equal(get32(out + 30), 90);
	assert_int_equal(get32(out + 46), 40);
	/* the stored copy is untouched: later reads age from the original */
	n = cache_get(&k, 1, out, sizeof(out), T0 + 49999);
	assert_int_equal(get32(out + 30), 51);
	assert_int_equal(get32(out + 46), 1);
	/* the smallest TTL ran out */
	assert_int_equal(cache_get(&k, 1, out, sizeof(out), T0 + 50000), 0);
}

static void ttl_cap(void **state)
{
	struct cache_key k = key("long.test", DNS_T_A, &up1);

	(void)state;
	one_a(&b, "long.test", 86400, 1);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), 0);
	assert_true(cache_get(&k, 1, out, sizeof(out), T0 + CACHE_TTL_MAX * 1000ull - 1));
	assert_int_equal(get32(out + 33), 86400 - CACHE_TTL_MAX + 1);
	assert_int_equal(cache_get(&k, 1, out, sizeof(out), T0 + CACHE_TTL_MAX * 1000ull), 0);
}

static void negative(void **state)
{
	struct cache_key k = key("nx.test", DNS_T_A, &up1);
	struct dns_msg m;
	size_t n;

	(void)state;
	/* NXDOMAIN: min(SOA TTL 3600, MINIMUM 60) */
	start(&b, "nx.test", DNS_T_A, DNS_R_NXDOMAIN);
	soa(&b, 3600, 60);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), 0);
	n = cache_get(&k, 9, out, sizeof(out), T0 + 20000);
	assert_int_equal(n, b.len);
	assert_int_equal(dns_parse(out, n, &m), 0);
	assert_int_equal(m.rcode, DNS_R_NXDOMAIN);
	assert_int_equal(get32(out + 25 + 6), 40);	/* the SOA's TTL: 60 - 20 */
	assert_int_equal(cache_get(&k, 1, out, sizeof(out), T0 + 60000), 0);

	/* NODATA: NOERROR, no answers, an SOA; capped at 5 minutes */
	k = key("nodata.test", DNS_T_AAAA, &up1);
	start(&b, "nodata.test", DNS_T_AAAA, 0);
	soa(&b, 86400, 86400);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), 0);
	assert_true(cache_get(&k, 1, out, sizeof(out), T0 + CACHE_NEG_TTL_MAX * 1000ull - 1));
	assert_int_equal(cache_get(&k, 1, out, sizeof(out), T0 + CACHE_NEG_TTL_MAX * 1000ull), 0);

	/* without an SOA there is no negative TTL: not kept */
	k = key("nosoa.test", DNS_T_A, &up1);
	start(&b, "nosoa.test", DNS_T_A, DNS_R_NXDOMAIN);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), -EPERM);
	start(&b, "nosoa.test", DNS_T_A, 0);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), -EPERM);
	/* MINIMUM 0 */
	start(&b, "nosoa.test", DNS_T_A, DNS_R_NXDOMAIN);
	soa(&b, 60, 0);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), -ERANGE);
	assert_int_equal(cache_get(&k, 1, out, sizeof(out), T0), 0);
}

static void never_kept(void **state)
{
	struct cache_key k;
	struct cache_stats s;
	unsigned rc;

	(void)state;
	k = key("n.test", DNS_T_A, &up1);
	/* truncated */
	one_a(&b, "n.test", 60, 1);
	b.m[2] |= DNS_F_TC >> 8;
	assert_int_equal(cache_put(&k, b.m, b.len, T0), -EPERM);
	/* SERVFAIL, REFUSED, every other RCODE */
	for (rc = 1; rc < 16; rc++) {
		if (rc == DNS_R_NXDOMAIN)
			continue;
		start(&b, "n.test", DNS_T_A, rc);
		a_rr(&b, 60, 1);
		soa(&b, 60, 60);
		assert_int_equal(cache_put(&k, b.m, b.len, T0), -EPERM);
	}
	/* another question: name, type; none at all */
	one_a(&b, "m.test", 60, 1);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), -EBADMSG);
	start(&b, "n.test", DNS_T_AAAA, 0);
	a_rr(&b, 60, 1);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), -EBADMSG);
	start(&b, "n.test", DNS_T_A, 0);
	put16(b.m + 4, 0);
	b.len = DNS_HDR;
	assert_int_equal(cache_put(&k, b.m, b.len, T0), -EBADMSG);
	/* a query, not an answer */
	one_a(&b, "n.test", 60, 1);
	b.m[2] &= 0x7f;
	assert_int_equal(cache_put(&k, b.m, b.len, T0), -EBADMSG);
	/* TTL 0 anywhere, or with the top bit set */
	one_a(&b, "n.test", 60, 1);
	a_rr(&b, 0, 2);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), -ERANGE);
	one_a(&b, "n.test", 0x80000000u, 1);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), -ERANGE);
	one_a(&b, "n.test", 60, 1);
	rr(&b, 2, DNS_T_A, 0, "\300\000\002\011", 4);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), -ERANGE);
	/* a name pointing into a TTL field (30: the first record's): aging
	 * that TTL would change the name */
	one_a(&b, "n.test", 60, 1);
	rr(&b, 0, 5, 60, "\300\036", 2);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), -EBADMSG);
	/* TSIG */
	one_a(&b, "n.test", 60, 1);
	rr(&b, 2, DNS_T_TSIG, 60, "x", 1);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), -EPERM);
	/* longer than a slot */
	start(&b, "n.test", DNS_T_A, 0);
	while (b.len < CACHE_MSG_MAX)
		a_rr(&b, 60, 1);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), -EMSGSIZE);
	/* a record cut short, bytes after the last record */
	one_a(&b, "n.test", 60, 1);
	assert_int_equal(cache_put(&k, b.m, b.len - 1, T0), -EBADMSG);
	assert_int_equal(cache_put(&k, b.m, b.len + 1, T0), -EBADMSG);
	/* a compressed question (a pointer to the ID's zero byte: the root) */
	start(&b, "n.test", DNS_T_A, 0);
	b.m[0] = 0;
	memcpy(b.m + DNS_HDR, "\300\000\000\001\000\001", 6);
	b.len = DNS_HDR + 6;
	a_rr(&b, 60, 1);
	k.qname = (const uint8_t *)"";
	k.qname_len = 1;
	assert_int_equal(cache_put(&k, b.m, b.len, T0), -EBADMSG);
	k = key("n.test", DNS_T_A, &up1);

	assert_int_equal(cache_get(&k, 1, out, sizeof(out), T0), 0);
	cache_get_stats(&s);
	assert_int_equal(s.stored, 0);
	assert_int_equal(s.entries, 0);
}

static void opt_rebuilt(void **state)
{
	struct cache_key k = key("o.test", DNS_T_A, &up1);
	struct dns_msg m;
	size_t n, plain;

	(void)state;
	k.variant = 1 | 4 | 8;
	one_a(&b, "o.test", 60, 1);
	plain = b.len;
	opt(&b);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), 0);
	n = cache_get(&k, 1, out, sizeof(out), T0);
	assert_int_equal(n, plain + 11);		/* the cookie is gone */
	assert_int_equal(dns_parse(out, n, &m), 0);
	assert_int_equal(m.arcount, 1);
	assert_memory_equal(out + plain, "\000\000\051\004\320\000\000\200\000\000\000", 11);
	/* too long for the client: question only, TC */
	n = cache_get(&k, 1, out, plain, T0);
	assert_int_equal(n, DNS_HDR + 8 + 4);
	assert_true(out[2] & (DNS_F_TC >> 8));
	assert_int_equal(dns_parse(out, n, &m), 0);
	assert_int_equal(m.ancount + m.nscount + m.arcount, 0);

	/* an OPT before another record, or with an extended RCODE: not kept */
	one_a(&b, "o.test", 60, 1);
	opt(&b);
	rr(&b, 2, DNS_T_A, 60, "\300\000\002\011", 4);
	assert_int_equal(cache_put(&k, b.m, b.len, T0), -EPERM);
	one_a(&b, "o.test", 60, 1);
	opt(&b);
	b.m[b.len - 12 - 6] = 1;
	assert_int_equal(cache_put(&k, b.m, b.len, T0), -EPERM);
}

static void variants(void **state)
{
	static const uint8_t q[] = {
		0x12, 0x34, 0x01, 0x10, 0, 1, 0, 0, 0, 0, 0, 1,
		1, 'x', 0, 0, 1, 0, 1,
		0, 0, 41, 0x10, 0, 0, 0, 0x80, 0, 0, 0,
	};
	uint8_t q2[sizeof(q) + 12];
	struct dns_msg m;

	(void)state;
	assert_int_equal(dns_parse(q, sizeof(q), &m), 0);
	assert_int_equal(cache_variant(&m), 1 | 2 | 4 | 8);
	/* a client subnet option: never from or into the cache */
	memcpy(q2, q, sizeof(q));
	q2[sizeof(q) - 1] = 8;
	memcpy(q2 + sizeof(q), "\000\010\000\004\000\001\000\000", 8);
	assert_int_equal(dns_parse(q2, sizeof(q) + 8, &m), 0);
	assert_int_equal(cache_variant(&m), -1);
	/* a cookie is fine */
	q2[sizeof(q)] = 0;
	q2[sizeof(q) + 1] = 10;
	assert_int_equal(dns_parse(q2, sizeof(q) + 8, &m), 0);
	assert_int_equal(cache_variant(&m), 1 | 2 | 4 | 8);
	/* another opcode */
	memcpy(q2, q, sizeof(q));
	q2[2] |= 2 << 3;
	assert_int_equal(dns_parse(q2, sizeof(q), &m), 0);
	assert_int_equal(cache_variant(&m), -1);
}

static void eviction(void **state)
{
	struct cache_stats s;
	struct cache_key k;
	char name[32];
	size_t i;

	(void)state;
	for (i = 0; i < CACHE_ENTRIES; i++) {
		snprintf(name, sizeof(name), "n%zu.test", i);
		k = key(name, DNS_T_A, &up1);
		start(&b, name, DNS_T_A, 0);
		a_rr(&b, 600, 1);
		assert_int_equal(cache_put(&k, b.m, b.len, T0), 0);
	}
	/* n0 was used since: the clock passes it over and takes n1 */
	k = key("n0.test", DNS_T_A, &up1);
	assert_true(cache_get(&k, 1, out, sizeof(out), T0 + 1000));
	k = key("new.test", DNS_T_A, &up1);
	one_a(&b, "new.test", 600, 1);
	assert_int_equal(cache_put(&k, b.m, b.len, T0 + 1000), 0);
	cache_get_stats(&s);
	assert_int_equal(s.entries, CACHE_ENTRIES);
	assert_int_equal(s.evicted, 1);
	assert_true(cache_get(&k, 1, out, sizeof(out), T0 + 1000));
	k = key("n0.test", DNS_T_A, &up1);
	assert_true(cache_get(&k, 1, out, sizeof(out), T0 + 1000));
	k = key("n1.test", DNS_T_A, &up1);
	assert_false(cache_get(&k, 1, out, sizeof(out), T0 + 1000));
	k = key("n2.test", DNS_T_A, &up1);
	assert_true(cache_get(&k, 1, out, sizeof(out), T0 + 1000));

	/* a new answer for a kept question replaces it in place */
	one_a(&b, "n2.test", 600, 99);
	assert_int_equal(cache_put(&k, b.m, b.len, T0 + 2000), 0);
	assert_true(cache_get(&k, 1, out, sizeof(out), T0 + 2000));
	assert_int_equal(out[b.len - 1], 99);
	cache_get_stats(&s);
	assert_int_equal(s.entries, CACHE_ENTRIES);
	assert_int_equal(s.evicted, 1);

	/* expired slots are taken before live ones */
	cache_clear();
	cache_get_stats(&s);
	assert_int_equal(s.entries, 0);
	assert_false(cache_get(&k, 1, out, sizeof(out), T0 + 2000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(keys, setup),
		cmocka_unit_test_setup(ttl_aging, setup),
		cmocka_unit_test_setup(ttl_cap, setup),
		cmocka_unit_test_setup(negative, setup),
		cmocka_unit_test_setup(never_kept, setup),
		cmocka_unit_test_setup(opt_rebuilt, setup),
		cmocka_unit_test_setup(variants, setup),
		cmocka_unit_test_setup(eviction, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
