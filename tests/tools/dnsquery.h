/* SPDX-License-Identifier: GPL-2.0-or-later
 * dnsquery.h - the DNS query the test clients (dnsq, dnsload) send: one
 * question, RD set, class IN.  Header-only: test tools are one file each.
 */
#ifndef TESTS_TOOLS_DNSQUERY_H
#define TESTS_TOOLS_DNSQUERY_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/**
 * dnsquery_build() - a query for @name/@type with @opcode and ID @id
 * @q:		output
 * @max:	room in @q
 * @id:		query ID
 * @opcode:	0 for a standard query
 * @name:	dotted name (a trailing dot is allowed)
 * @type:	query type
 *
 * Return: query length, or 0 if @name has an empty or too long label or
 * does not fit
 */
static inline size_t dnsquery_build(uint8_t *q, size_t max, uint16_t id, unsigned opcode,
				    const char *name, unsigned type)
{
	size_t pos = 12, len = strlen(name);
	const char *p = name;

	if (max < 12 + 5)
		return 0;
	if (len && name[len - 1] == '.')
		len--;
	memset(q, 0, 12);
	q[0] = (uint8_t)(id >> 8);
	q[1] = (uint8_t)id;
	q[2] = (uint8_t)((opcode & 0xf) << 3 | 0x01);	/* RD */
	q[5] = 1;					/* one question */
	while (p < name + len) {
		const char *dot = memchr(p, '.', (size_t)(name + len - p));
		size_t l = dot ? (size_t)(dot - p) : (size_t)(name + len - p);

		if (!l || l > 63 || pos + l + 1 + 5 > max)
			return 0;
		q[pos++] = (uint8_t)l;
		memcpy(q + pos, p, l);
		pos += l;
		p += l + (dot ? 1 : 0);
	}
	q[pos++] = 0;
	q[pos++] = (uint8_t)(type >> 8);
	q[pos++] = (uint8_t)type;
	q[pos++] = 0;
	q[pos++] = 1;					/* class IN */
	return pos;
}

#endif /* TESTS_TOOLS_DNSQUERY_H */
