/* SPDX-License-Identifier: GPL-2.0-or-later
 * addr.h - IPv4/IPv6 addresses, CIDR prefixes and MAC addresses
 *
 * Pure functions: parse, format, compare; no system calls.
 */
#ifndef BURROW_ADDR_H
#define BURROW_ADDR_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

/* An address of either family; family is AF_INET, AF_INET6 or 0 (unset/any) */
struct addr {
	int family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

/* A prefix: address (host bits may be set, e.g. "10.0.0.5/24") and length */
struct cidr {
	struct addr addr;
	unsigned prefix;
};

#define ADDR_STRLEN  (INET6_ADDRSTRLEN + 2)
#define CIDR_STRLEN  (INET6_ADDRSTRLEN + 6)
#define MAC_STRLEN   18

/**
 * addr_parse() - parse "203.0.113.1", "2001:db8::1" or "[2001:db8::1]"
 * @s:		text (no scope "%eth0", no brackets around IPv4, no spaces)
 * @a:		result
 *
 * Return: 0, or -EINVAL
 */
int addr_parse(const char *s, struct addr *a);

/**
 * addr_format() - print an address without brackets
 * @a:		address (family 0 prints as "*")
 * @buf:	output, at least ADDR_STRLEN bytes
 * @len:	size of @buf
 *
 * Return: @buf
 */
const char *addr_format(const struct addr *a, char *buf, size_t len);

/**
 * addr_equal() - same family and same bytes
 */
int addr_equal(const struct addr *a, const struct addr *b);

/**
 * addr_is_any() - family 0, 0.0.0.0 or ::
 */
int addr_is_any(const struct addr *a);

/**
 * addr_is_loopback() - 127.0.0.0/8 or ::1 (also ::ffff:127.0.0.0/104)
 */
int addr_is_loopback(const struct addr *a);

/**
 * addr_is_v4mapped() - whether @a is an IPv4-mapped IPv6 address (::ffff:a.b.c.d)
 *
 * addr_parse() and addr_from_sockaddr() keep mapped addresses as AF_INET6;
 * they never compare equal to the IPv4 address.  Use addr_unmap() to get it.
 */
int addr_is_v4mapped(const struct addr *a);

/**
 * addr_unmap() - turn an IPv4-mapped IPv6 address into AF_INET in place
 * @a:		address; anything that is not mapped is left alone
 */
void addr_unmap(struct addr *a);

/**
 * addr_to_sockaddr() - fill a sockaddr_in/sockaddr_in6 with @a and @port
 * @a:		address (family 0 gives the IPv4 any address)
 * @port:	port in host byte order
 * @ss:		output
 *
 * Return: the length of the filled sockaddr
 */
size_t addr_to_sockaddr(const struct addr *a, uint16_t port,
			struct sockaddr_storage *ss);

/**
 * addr_from_sockaddr() - extract address and port from a sockaddr
 * @sa:		AF_INET or AF_INET6 socket address
 * @a:		address out
 * @port:	port out, host byte order (may be NULL)
 *
 * Return: 0, or -EAFNOSUPPORT
 */
int addr_from_sockaddr(const struct sockaddr *sa, struct addr *a, uint16_t *port);

/**
 * cidr_parse() - parse "10.88.0.0/16" or "fd00::/64"; a bare address gets /32 or /128
 * @s:		text; the prefix is decimal without sign or leading zeros,
 *		"[fd00::]/64" is accepted too
 * @c:		result (host bits kept as written)
 *
 * Return: 0, or -EINVAL (bad address, prefix out of range)
 */
int cidr_parse(const char *s, struct cidr *c);

/**
 * cidr_format() - print "addr/prefix"
 * @c:		prefix
 * @buf:	output, at least CIDR_STRLEN bytes
 * @len:	size of @buf
 *
 * Return: @buf
 */
const char *cidr_format(const struct cidr *c, char *buf, size_t len);

/**
 * cidr_network() - clear the host bits of @c in place
 */
void cidr_network(struct cidr *c);

/**
 * cidr_contains() - whether @a lies inside @c (same family)
 */
int cidr_contains(const struct cidr *c, const struct addr *a);

/**
 * cidr_overlaps() - whether two prefixes share any address (never across families)
 */
int cidr_overlaps(const struct cidr *a, const struct cidr *b);

/**
 * cidr_size() - how many addresses the network of @c holds
 * @c:		prefix
 *
 * Return: 2^(host bits), UINT64_MAX when that is 2^64 or more, 0 for an
 * invalid prefix (family 0, prefix longer than the address)
 */
uint64_t cidr_size(const struct cidr *c);

/**
 * cidr_nth() - the @n-th address of the network of @c (0 is the network address)
 * @c:		prefix
 * @n:		offset from the network address
 * @out:	result
 *
 * Return: 0, or -ERANGE if @n is outside the prefix
 */
int cidr_nth(const struct cidr *c, uint64_t n, struct addr *out);

/**
 * cidr_offset() - inverse of cidr_nth(): the offset of @a inside @c
 * @c:		prefix
 * @a:		address inside @c
 * @n:		result
 *
 * Return: 0, or -ERANGE if @a is not inside @c (or the offset exceeds 64 bits)
 */
int cidr_offset(const struct cidr *c, const struct addr *a, uint64_t *n);

/**
 * mac_parse() - parse "aa:bb:cc:dd:ee:ff" (also '-' separators)
 * @s:		text
 * @mac:	six bytes out
 *
 * Return: 0, or -EINVAL
 */
int mac_parse(const char *s, uint8_t mac[6]);

/**
 * mac_format() - print "aa:bb:cc:dd:ee:ff"
 * @mac:	six bytes
 * @buf:	output, at least MAC_STRLEN bytes
 *
 * Return: @buf
 */
const char *mac_format(const uint8_t mac[6], char buf[MAC_STRLEN]);

#endif /* BURROW_ADDR_H */
