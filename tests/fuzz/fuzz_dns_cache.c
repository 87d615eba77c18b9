// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_dns_cache.c - libFuzzer target for burrow-dns's answer cache: any
 * upstream answer, kept or not, is served back within the client's limit,
 * parses again, carries the client's ID, and no TTL grows; hostile records
 * (compression pointers, lengths, OPT, SOA) never make the TTL rewriting
 * read or write out of bounds */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns/cache.h"

/* check() - abort (a finding) when @cond does not hold */
static void check(int cond)
{
	if (!cond)
		abort();
}

/* ttls_not_above() - every record of @out has a TTL no larger than the same
 * record of @in (both parsed the same way; the OPT is rebuilt, skip it) */
static void ttls_not_above(const uint8_t *in, size_t inlen, const uint8_t *out, size_t outlen,
			   size_t qend)
{
	size_t n = (size_t)(out[6] << 8 | out[7]) + (size_t)(out[8] << 8 | out[9]) +
		   (size_t)(out[10] << 8 | out[11]);
	size_t pi = qend, po = qend;

	for (; n; n--) {
		struct dns_rr a, b;

		check(!dns_rr_next(out, outlen, &po, &b));
		if (b.type == DNS_T_OPT)
			continue;
		check(!dns_rr_next(in, inlen, &pi, &a));
		check(b.ttl <= a.ttl && b.type == a.type);
	}
}

/**
 * LLVMFuzzerTestOneInput() - keep one answer, serve it at several ages and
 *			      limits
 * @data:	fuzzer input: one byte of age (seconds), then the DNS answer
 * @size:	its length
 *
 * Return: 0
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t limits[] = { 0, 12, 40, 512, CACHE_MSG_MAX, 4096 };
	static uint8_t out[4096 + 64];
	struct addr up = { .family = AF_INET };
	struct cache_key k = { .ups = &up, .nup = 1, .variant = 1 };
	const uint64_t now = 1000000;
	struct dns_msg m;
	size_t i, n;
	uint8_t age;

	if (size < 1 || size > 65535)
		return 0;
	age = data[0];
	data++;
	size--;
	cache_reset();
	if (dns_parse(data, size, &m) || m.qdcount < 1) {
		/* any key for a message that does not parse */
		k.qname = (const uint8_t *)"\001a\000";
		k.qname_len = 3;
		k.qtype = DNS_T_A;
		k.qclass = DNS_C_IN;
		check(cache_put(&k, data, size, now) != 0);
		return 0;
	}
	k.qname = m.qname;
	k.qname_len = m.qname_len;
	k.qtype = m.qtype;
	k.qclass = m.qclass;
	if (cache_put(&k, data, size, now))
		return 0;
	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		n = cache_get(&k, 0xbeef, out, limits[i], now + (uint64_t)age * 1000);
		check(n <= limits[i]);
		if (!n)
			continue;
		check(n >= DNS_HDR && out[0] == 0xbe && out[1] == 0xef);
		check(dns_parse(out, n, &m) == 0);
		if (!(out[2] & (DNS_F_TC >> 8)))
			ttls_not_above(data, size, out, n, m.qend);
	}
	return 0;
}
