// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_stubdns.c - libFuzzer target for the stub DNS server's query parser:
 * any input, over UDP and TCP limits, gives a bounded, well-formed reply */
#define STUBDNS_NO_MAIN
#include "../tools/stubdns.c"

/* Configure two names once, as "stubdns peer.test=... peer.test=..." would */
static void setup(void)
{
	if (n_entries)
		return;
	strcpy(entries[0].name, "peer.test");
	addr_parse("203.0.113.10", &entries[0].addr);
	strcpy(entries[1].name, "peer.test");
	addr_parse("2001:db8:2::10", &entries[1].addr);
	n_entries = 2;
}

/**
 * LLVMFuzzerTestOneInput() - answer one input as a UDP and as a TCP query
 * @data:	fuzzer input (the DNS message)
 * @size:	its length
 *
 * Return: 0
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[65535];
	static const size_t limits[] = { DNS_UDP_MAX, sizeof(out) };
	char log[NAME_TEXT_MAX + 256];
	size_t i, n;

	setup();
	for (i = 0; i < 2; i++) {
		n = dns_answer(data, size, out, limits[i], log, sizeof(log));
		if (n > limits[i] || (n && (n < DNS_HDR || !(out[2] & 0x80) ||
					    memcmp(out, data, 2))))
			abort();
		if (strlen(log) >= sizeof(log))
			abort();
	}
	return 0;
}
