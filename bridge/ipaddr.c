// SPDX-License-Identifier: GPL-2.0-or-later
/* ipaddr.c - address parsing and prefix arithmetic for burrow-bridge */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipaddr.h"

int ipa_parse(const char *s, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (!s || !*s)
		return -EINVAL;
	if (strchr(s, ':')) {
		if (inet_pton(AF_INET6, s, &a->v6) != 1)
			return -EINVAL;
		a->family = AF_INET6;
		return 0;
	}
	if (inet_pton(AF_INET, s, &a->v4) != 1)
		return -EINVAL;
	a->family = AF_INET;
	return 0;
}

int ipa_parse_cidr(const char *s, struct cidr *c)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash;
	char *end;
	unsigned long p;
	size_t n;
	int rc;

	memset(c, 0, sizeof(*c));
	if (!s)
		return -EINVAL;
	slash = strchr(s, '/');
	n = slash ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	rc = ipa_parse(buf, &c->addr);
	if (rc)
		return rc;
	if (!slash) {
		c->prefix = c->addr.family == AF_INET ? 32 : 128;
		return 0;
	}
	if (slash[1] < '0' || slash[1] > '9')
		return -EINVAL;
	errno = 0;
	p = strtoul(slash + 1, &end, 10);
	if (errno || *end || p > (c->addr.family == AF_INET ? 32UL : 128UL))
		return -EINVAL;
	c->prefix = (unsigned)p;
	return 0;
}

const char *ipa_format(const struct addr *a, char *buf, size_t len)
{
	if (!a->family)
		snprintf(buf, len, "*");
	else if (!inet_ntop(a->family, &a->v6, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

const char *ipa_format_cidr(const struct cidr *c, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	snprintf(buf, len, "%s/%u", ipa_format(&c->addr, a, sizeof(a)), c->prefix);
	return buf;
}

size_t ipa_len(const struct addr *a)
{
	return a->family == AF_INET ? 4 : a->family == AF_INET6 ? 16 : 0;
}

int ipa_equal(const struct addr *a, const struct addr *b)
{
	return a->family == b->family && !memcmp(&a->v6, &b->v6, ipa_len(a));
}

/* Byte view of an address. */
static uint8_t *ipa_bytes(struct addr *a)
{
	return (uint8_t *)&a->v6;
}

void ipa_network(struct cidr *c)
{
	uint8_t *b = ipa_bytes(&c->addr);
	size_t len = ipa_len(&c->addr), i;

	for (i = 0; i < len; i++) {
		unsigned bits = c->prefix > i * 8 ? c->prefix - i * 8 : 0;

		if (bits < 8)
			b[i] &= (uint8_t)(0xff00 >> bits);
	}
}

int ipa_contains(const struct cidr *c, const struct addr *a)
{
	struct cidr x = { .addr = *a, .prefix = c->prefix };
	struct cidr y = *c;

	if (a->family != c->addr.family || !a->family)
		return 0;
	ipa_network(&x);
	ipa_network(&y);
	return ipa_equal(&x.addr, &y.addr);
}

int ipa_overlaps(const struct cidr *a, const struct cidr *b)
{
	const struct cidr *shorter = a->prefix <= b->prefix ? a : b;
	const struct cidr *longer = shorter == a ? b : a;

	if (a->addr.family != b->addr.family)
		return 0;
	return ipa_contains(shorter, &longer->addr);
}

uint64_t ipa_size(const struct cidr *c)
{
	unsigned host = (c->addr.family == AF_INET ? 32 : 128) - c->prefix;

	return host >= 63 ? (1ULL << 63) : (1ULL << host);
}

int ipa_nth(const struct cidr *c, uint64_t n, struct addr *out)
{
	struct cidr net = *c;
	uint8_t *b;
	size_t len, i;
	unsigned carry = 0;

	if (n >= ipa_size(c))
		return -ERANGE;
	ipa_network(&net);
	*out = net.addr;
	b = ipa_bytes(out);
	len = ipa_len(out);
	for (i = len; i-- > 0;) {
		unsigned v = b[i] + (unsigned)(n & 0xff) + carry;

		b[i] = (uint8_t)v;
		carry = v >> 8;
		n >>= 8;
	}
	return 0;
}

int ipa_offset(const struct cidr *c, const struct addr *a, uint64_t *n)
{
	struct addr x = *a;
	const uint8_t *b = ipa_bytes(&x);
	size_t len = ipa_len(a), i;
	unsigned host = (a->family == AF_INET ? 32 : 128) - c->prefix;
	uint64_t v = 0;

	if (!ipa_contains(c, a) || host > 64)
		return -ERANGE;
	for (i = len > 8 ? len - 8 : 0; i < len; i++)
		v = (v << 8) | b[i];
	if (host < 64)
		v &= (1ULL << host) - 1;
	*n = v;
	return 0;
}

void ipa_range_end(const struct cidr *c, struct addr *out)
{
	uint8_t *b;
	size_t len, i;

	*out = c->addr;
	b = ipa_bytes(out);
	len = ipa_len(out);
	for (i = 0; i < len; i++) {
		unsigned bits = c->prefix > i * 8 ? c->prefix - i * 8 : 0;

		if (bits < 8)
			b[i] |= (uint8_t)(0xff >> bits);
	}
}

int ipa_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char tail;
	int i;

	if (!s || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2],
			 &v[3], &v[4], &v[5], &tail) != 6 || strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

const char *ipa_format_mac(const uint8_t mac[6], char *buf)
{
	snprintf(buf, MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}
