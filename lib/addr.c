// SPDX-License-Identifier: GPL-2.0-or-later
/* addr.c - IPv4/IPv6 addresses, CIDR prefixes and MAC addresses */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"

/* Raw bytes of an address and their count (4 or 16; 0 for family 0) */
static const uint8_t *addr_bytes(const struct addr *a, size_t *n)
{
	if (a->family == AF_INET) {
		*n = 4;
		return (const uint8_t *)&a->v4;
	}
	if (a->family == AF_INET6) {
		*n = 16;
		return a->v6.s6_addr;
	}
	*n = 0;
	return NULL;
}

/* Parse @len bytes of @s as a decimal <= @max: no sign, no leading zero */
static int parse_dec(const char *s, size_t len, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (!len || len > 10 || (len > 1 && s[0] == '0'))
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Parse exactly @len bytes of @s as an address (brackets allowed around IPv6) */
static int addr_parse_n(const char *s, size_t len, struct addr *a)
{
	char buf[INET6_ADDRSTRLEN];
	int bracket = len >= 2 && s[0] == '[' && s[len - 1] == ']';

	if (bracket) {
		s++;
		len -= 2;
	}
	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(a, 0, sizeof(*a));
	if (!bracket && inet_pton(AF_INET, buf, &a->v4) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, buf, &a->v6) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	memset(a, 0, sizeof(*a));
	return -EINVAL;
}

/**
 * addr_parse() - parse "203.0.113.1", "2001:db8::1" or "[2001:db8::1]"
 * @s:		text
 * @a:		result
 *
 * Return: 0, or -EINVAL
 */
int addr_parse(const char *s, struct addr *a)
{
	return addr_parse_n(s, strlen(s), a);
}

/**
 * addr_format() - print an address without brackets
 * @a:		address (family 0 prints as "*")
 * @buf:	output, at least ADDR_STRLEN bytes
 * @len:	size of @buf
 *
 * Return: @buf
 */
const char *addr_format(const struct addr *a, char *buf, size_t len)
{
	if (!len)
		return buf;
	if (a->family == AF_INET || a->family == AF_INET6) {
		if (inet_ntop(a->family, &a->v6, buf, (socklen_t)len))
			return buf;
		snprintf(buf, len, "?");
		return buf;
	}
	snprintf(buf, len, "*");
	return buf;
}

/**
 * addr_equal() - same family and same bytes
 * @a:		first address
 * @b:		second address
 *
 * Return: non-zero if equal
 */
int addr_equal(const struct addr *a, const struct addr *b)
{
	const uint8_t *pa, *pb;
	size_t na, nb;

	if (a->family != b->family)
		return 0;
	pa = addr_bytes(a, &na);
	pb = addr_bytes(b, &nb);
	return !na || !memcmp(pa, pb, na);
}

/**
 * addr_is_any() - family 0, 0.0.0.0 or ::
 * @a:		address
 *
 * Return: non-zero for the unspecified address
 */
int addr_is_any(const struct addr *a)
{
	if (a->family == AF_INET)
		return a->v4.s_addr == htonl(INADDR_ANY);
	if (a->family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(&a->v6);
	return 1;
}

/**
 * addr_is_loopback() - 127.0.0.0/8 or ::1 (or ::ffff:127.0.0.0/104)
 * @a:		address
 *
 * Return: non-zero for a loopback address
 */
int addr_is_loopback(const struct addr *a)
{
	if (a->family == AF_INET)
		return (ntohl(a->v4.s_addr) >> 24) == 127;
	if (a->family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&a->v6) ||
		       (IN6_IS_ADDR_V4MAPPED(&a->v6) && a->v6.s6_addr[12] == 127);
	return 0;
}

/**
 * addr_is_v4mapped() - whether @a is an IPv4-mapped IPv6 address (::ffff:a.b.c.d)
 * @a:		address
 *
 * Return: non-zero if mapped
 */
int addr_is_v4mapped(const struct addr *a)
{
	return a->family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&a->v6);
}

/**
 * addr_unmap() - turn an IPv4-mapped IPv6 address into its IPv4 address in place
 * @a:		address; left alone unless addr_is_v4mapped()
 */
void addr_unmap(struct addr *a)
{
	struct in_addr v4;

	if (!addr_is_v4mapped(a))
		return;
	memcpy(&v4, &a->v6.s6_addr[12], 4);
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->v4 = v4;
}

/**
 * addr_to_sockaddr() - fill a sockaddr_in/sockaddr_in6 with @a and @port
 * @a:		address (family 0 gives the IPv4 any address)
 * @port:	port in host byte order
 * @ss:		output
 *
 * Return: the length of the filled sockaddr
 */
size_t addr_to_sockaddr(const struct addr *a, uint16_t port,
			struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		s6->sin6_addr = a->v6;
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	if (a->family == AF_INET)
		s4->sin_addr = a->v4;
	return sizeof(*s4);
}

/**
 * addr_from_sockaddr() - extract address and port from a sockaddr
 * @sa:		AF_INET or AF_INET6 socket address
 * @a:		address out
 * @port:	port out, host byte order (may be NULL)
 *
 * Return: 0, or -EAFNOSUPPORT
 */
int addr_from_sockaddr(const struct sockaddr *sa, struct addr *a, uint16_t *port)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		a->family = AF_INET;
		a->v4 = s4->sin_addr;
		if (port)
			*port = ntohs(s4->sin_port);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		a->family = AF_INET6;
		a->v6 = s6->sin6_addr;
		if (port)
			*port = ntohs(s6->sin6_port);
		return 0;
	}
	return -EAFNOSUPPORT;
}

/**
 * cidr_parse() - parse "10.88.0.0/16" or "fd00::/64"; a bare address gets /32 or /128
 * @s:		text
 * @c:		result (host bits kept as written)
 *
 * Return: 0, or -EINVAL (bad address, prefix out of range)
 */
int cidr_parse(const char *s, struct cidr *c)
{
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long prefix;
	unsigned max;

	memset(c, 0, sizeof(*c));
	if (addr_parse_n(s, alen, &c->addr))
		return -EINVAL;
	max = c->addr.family == AF_INET ? 32 : 128;
	if (!slash) {
		c->prefix = max;
		return 0;
	}
	if (parse_dec(slash + 1, strlen(slash + 1), max, &prefix)) {
		memset(c, 0, sizeof(*c));
		return -EINVAL;
	}
	c->prefix = (unsigned)prefix;
	return 0;
}

/**
 * cidr_format() - print "addr/prefix"
 * @c:		prefix
 * @buf:	output, at least CIDR_STRLEN bytes
 * @len:	size of @buf
 *
 * Return: @buf
 */
const char *cidr_format(const struct cidr *c, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	snprintf(buf, len, "%s/%u", addr_format(&c->addr, a, sizeof(a)), c->prefix);
	return buf;
}

/* Clear all bits of @a after the first @prefix bits */
static void mask_bits(struct addr *a, unsigned prefix)
{
	size_t n, i;
	uint8_t *p = (uint8_t *)addr_bytes(a, &n);

	for (i = 0; i < n; i++) {
		if (prefix >= 8) {
			prefix -= 8;
			continue;
		}
		p[i] &= (uint8_t)(0xff00 >> prefix);
		prefix = 0;
	}
}

/* Whether the first @prefix bits of two same-family addresses are equal */
static int prefix_equal(const struct addr *a, const struct addr *b, unsigned prefix)
{
	struct addr x = *a, y = *b;

	mask_bits(&x, prefix);
	mask_bits(&y, prefix);
	return addr_equal(&x, &y);
}

/**
 * cidr_network() - clear the host bits of @c in place
 * @c:		prefix
 */
void cidr_network(struct cidr *c)
{
	mask_bits(&c->addr, c->prefix);
}

/**
 * cidr_contains() - whether @a lies inside @c (same family)
 * @c:		prefix
 * @a:		address
 *
 * Return: non-zero if inside
 */
int cidr_contains(const struct cidr *c, const struct addr *a)
{
	if (!c->addr.family || c->addr.family != a->family)
		return 0;
	return prefix_equal(&c->addr, a, c->prefix);
}

/**
 * cidr_overlaps() - whether two prefixes share any address
 * @a:		first prefix
 * @b:		second prefix
 *
 * Return: non-zero if they overlap (never across families)
 */
int cidr_overlaps(const struct cidr *a, const struct cidr *b)
{
	if (!a->addr.family || a->addr.family != b->addr.family)
		return 0;
	return prefix_equal(&a->addr, &b->addr,
			    a->prefix < b->prefix ? a->prefix : b->prefix);
}

/* Host bits of @c: 32 - prefix or 128 - prefix; -1 if @c is invalid */
static int host_bits(const struct cidr *c)
{
	unsigned max = c->addr.family == AF_INET ? 32 :
		       c->addr.family == AF_INET6 ? 128 : 0;

	if (!max || c->prefix > max)
		return -1;
	return (int)(max - c->prefix);
}

/**
 * cidr_size() - how many addresses the network of @c holds
 * @c:		prefix
 *
 * Return: 2^(host bits), UINT64_MAX when that is 2^64 or more, 0 for an
 * invalid prefix
 */
uint64_t cidr_size(const struct cidr *c)
{
	int hb = host_bits(c);

	if (hb < 0)
		return 0;
	return hb >= 64 ? UINT64_MAX : 1ULL << hb;
}

/**
 * cidr_nth() - the @n-th address of the network of @c (0 is the network address)
 * @c:		prefix
 * @n:		offset from the network address
 * @out:	result
 *
 * Return: 0, or -ERANGE if @n is outside the prefix
 */
int cidr_nth(const struct cidr *c, uint64_t n, struct addr *out)
{
	int hb = host_bits(c);
	size_t len, i;
	uint8_t *p;

	if (hb < 0 || (hb < 64 && n >> hb))
		return -ERANGE;
	*out = c->addr;
	mask_bits(out, c->prefix);
	p = (uint8_t *)addr_bytes(out, &len);
	/* add @n from the last byte up; host bits are zero, so no carry
	 * can cross into the network part */
	for (i = len; i-- > 0 && n;) {
		unsigned sum = p[i] + (unsigned)(n & 0xff);

		p[i] = (uint8_t)sum;
		n = (n >> 8) + (sum >> 8);
	}
	return 0;
}

/**
 * cidr_offset() - inverse of cidr_nth(): the offset of @a inside @c
 * @c:		prefix
 * @a:		address inside @c
 * @n:		result
 *
 * Return: 0, or -ERANGE if @a is not inside @c (or the offset exceeds 64 bits)
 */
int cidr_offset(const struct cidr *c, const struct addr *a, uint64_t *n)
{
	struct addr net;
	const uint8_t *pa, *pn;
	uint64_t v = 0;
	size_t len, i;

	if (host_bits(c) < 0 || !cidr_contains(c, a))
		return -ERANGE;
	net = *a;
	mask_bits(&net, c->prefix);
	pa = addr_bytes(a, &len);
	pn = addr_bytes(&net, &len);
	for (i = 0; i < len; i++) {
		uint8_t d = pa[i] ^ pn[i];	/* the host bits of @a */

		if (v >> 56)
			return -ERANGE;
		v = (v << 8) | d;
	}
	*n = v;
	return 0;
}

/* Value of one hex digit, or -1 */
static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/**
 * mac_parse() - parse "aa:bb:cc:dd:ee:ff" (also '-' separators, not mixed)
 * @s:		text
 * @mac:	six bytes out
 *
 * Return: 0, or -EINVAL
 */
int mac_parse(const char *s, uint8_t mac[6])
{
	uint8_t out[6];
	char sep;
	int i;

	if (strlen(s) != 17)
		return -EINVAL;
	sep = s[2];
	if (sep != ':' && sep != '-')
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		int hi = hexval(s[3 * i]), lo = hexval(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != sep))
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, out, 6);
	return 0;
}

/**
 * mac_format() - print "aa:bb:cc:dd:ee:ff"
 * @mac:	six bytes
 * @buf:	output, at least MAC_STRLEN bytes
 *
 * Return: @buf
 */
const char *mac_format(const uint8_t mac[6], char buf[MAC_STRLEN])
{
	snprintf(buf, MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}
