// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_portspec.c - libFuzzer target for both port-spec parsers: no crash,
 * bounded error text, and what portspec_format() prints parses back the same */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "portspec.h"

/* Check that @f prints as a podman spec that parses back to @f */
static void check_roundtrip(const struct port_fwd *f)
{
	struct port_fwd g;
	char buf[128], err[128];

	if (portspec_parse(portspec_format(f, buf, sizeof(buf)), &g, err, sizeof(err)) ||
	    g.proto != f->proto || !addr_equal(&g.host_addr, &f->host_addr) ||
	    g.host_port != f->host_port || g.guest_port != f->guest_port ||
	    g.count != f->count || !f->count || !f->host_port || !f->guest_port)
		abort();
}

/**
 * LLVMFuzzerTestOneInput() - feed one input, NUL-terminated, to both parsers
 * @data:	fuzzer input
 * @size:	its length
 *
 * Return: 0
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct port_fwd f, table[8];
	char err[96];
	char *s = malloc(size + 1);
	int i, n;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	if (!portspec_parse(s, &f, err, sizeof(err)))
		check_roundtrip(&f);
	else if (strlen(err) >= sizeof(err))
		abort();

	n = portspec_parse_pasta(s, size % 2 ? IPPROTO_UDP : IPPROTO_TCP, table,
				 sizeof(table) / sizeof(table[0]), err, sizeof(err));
	for (i = 0; i < n; i++) {
		check_roundtrip(&table[i]);
		if (i && portspec_overlap(&table[i], &table[i - 1]) &&
		    table[i].host_addr.family == table[i - 1].host_addr.family &&
		    addr_equal(&table[i].host_addr, &table[i - 1].host_addr) &&
		    table[i].host_port + table[i].count > table[i - 1].host_port &&
		    table[i - 1].host_port + table[i - 1].count > table[i].host_port)
			abort();	/* a port was given twice yet accepted */
	}
	free(s);
	return 0;
}
