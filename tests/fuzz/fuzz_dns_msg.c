// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_dns_msg.c - libFuzzer target for burrow-dns's message parser and the
 * answers built from what it parsed: any input parses or fails without
 * reading out of bounds or looping; answers fit their buffer and parse back;
 * a network record parsed from the same bytes never crashes the daemon's
 * name table either */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns/msg.h"
#include "dns/zone.h"
#include "dnsrec.h"

/* check() - abort (a finding) when @cond does not hold */
static void check(int cond)
{
	if (!cond)
		abort();
}

/* one zone built once, to look the fuzzed names up in */
static struct zone *the_zone(void)
{
	static const char rec[] = "listen 10.9.0.1/24\nctr a 10.9.0.2 fd00::2 web,alias -\n"
				  "ctr b 10.9.0.3 - db,alias -\n";
	static struct zone z;
	static int built;
	struct dnsrec_net n;

	if (!built) {
		dnsrec_init(&n, "f");
		check(!dnsrec_parse(rec, sizeof(rec) - 1, &n, NULL, 0));
		check(!zone_build(&z, &n));
		built = 1;
	}
	return &z;
}

/**
 * LLVMFuzzerTestOneInput() - parse one message and answer it every way
 * @data:	fuzzer input (a DNS message; also tried as a record file)
 * @size:	its length
 *
 * Return: 0
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[DNS_UDP_MAX], copy[70000];
	static const size_t limits[] = { 0, 11, 12, 40, 512, sizeof(out) };
	struct addr addrs[8], pa;
	const char *names[] = { "web.dns.podman", "alias.dns.podman" };
	struct dns_msg m, r;
	struct dnsrec_net n;
	size_t i, len, cnt;
	int rc;

	if (size > sizeof(copy))
		return 0;
	memcpy(copy, data, size);
	rc = dns_parse(copy, size, &m);
	if (rc == 0 && m.qdcount) {
		struct dns_answer a = { .addrs = addrs, .names = names, .nnames = 2 };

		check(m.qend <= size && m.qname_len <= DNS_NAME_MAX && strlen(m.name) < DNS_TEXT_MAX);
		zone_lookup(the_zone(), m.name, AF_INET, addrs, 8, &cnt);
		a.naddrs = cnt;
		if (!dns_ptr_addr(m.name, &pa))
			zone_ctr_by_addr(the_zone(), &pa);
		for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
			len = dns_build(&m, &a, out, limits[i]);
			check(len <= limits[i]);
			if (len >= DNS_HDR)
				check(dns_parse(out, len, &r) == 0);
			len = dns_error(&m, 1, DNS_R_REFUSED, out, limits[i]);
			check(len <= limits[i]);
		}
		len = dns_truncate(copy, size, m.qend);
		check(len <= size);
	} else if (rc == -EINVAL) {
		check(dns_error(&m, 0, DNS_R_FORMERR, out, sizeof(out)) == DNS_HDR);
	}
	/* the same bytes as a records file */
	dnsrec_init(&n, "f");
	dnsrec_parse((const char *)data, size, &n, NULL, 0);
	dnsrec_free(&n);
	return 0;
}
