/* SPDX-License-Identifier: GPL-2.0-or-later
 * ipaddr.h - the few address operations burrow-bridge needs, on the types of
 * lib/addr.h (struct addr, struct cidr).  Kept here, prefixed ipa_, until
 * lib/addr.c lands; pure functions, no system calls.
 */
#ifndef BRIDGE_IPADDR_H
#define BRIDGE_IPADDR_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/**
 * ipa_parse() - parse an IPv4 or IPv6 address (no brackets, no prefix)
 * @s:		text
 * @a:		result
 *
 * Return: 0, or -EINVAL
 */
int ipa_parse(const char *s, struct addr *a);

/**
 * ipa_parse_cidr() - parse "10.88.0.0/16"; a bare address gets /32 or /128
 * @s:		text
 * @c:		result, host bits kept
 *
 * Return: 0, or -EINVAL
 */
int ipa_parse_cidr(const char *s, struct cidr *c);

/**
 * ipa_format() - print an address
 * @a:		address
 * @buf:	at least ADDR_STRLEN bytes
 * @len:	size of @buf
 *
 * Return: @buf
 */
const char *ipa_format(const struct addr *a, char *buf, size_t len);

/**
 * ipa_format_cidr() - print "address/prefix"
 * @c:		prefix
 * @buf:	at least CIDR_STRLEN bytes
 * @len:	size of @buf
 *
 * Return: @buf
 */
const char *ipa_format_cidr(const struct cidr *c, char *buf, size_t len);

/** ipa_equal() - same family and bytes */
int ipa_equal(const struct addr *a, const struct addr *b);

/** ipa_len() - 4 or 16 by family, 0 when unset */
size_t ipa_len(const struct addr *a);

/** ipa_network() - clear the host bits of @c */
void ipa_network(struct cidr *c);

/** ipa_contains() - whether @a lies in @c */
int ipa_contains(const struct cidr *c, const struct addr *a);

/** ipa_overlaps() - whether two prefixes of one family share an address */
int ipa_overlaps(const struct cidr *a, const struct cidr *b);

/**
 * ipa_nth() - the @n-th address of @c's network
 * @c:		prefix
 * @n:		offset from the network address
 * @out:	result
 *
 * Return: 0, or -ERANGE outside the prefix
 */
int ipa_nth(const struct cidr *c, uint64_t n, struct addr *out);

/**
 * ipa_offset() - offset of @a in @c's network (inverse of ipa_nth)
 * @c:		prefix
 * @a:		address
 * @n:		result
 *
 * Return: 0, or -ERANGE
 */
int ipa_offset(const struct cidr *c, const struct addr *a, uint64_t *n);

/**
 * ipa_size() - number of addresses in @c, saturated at 2^63
 */
uint64_t ipa_size(const struct cidr *c);

/**
 * ipa_range_end() - last address of @c's network (broadcast for IPv4)
 * @c:		prefix
 * @out:	result
 */
void ipa_range_end(const struct cidr *c, struct addr *out);

/**
 * ipa_parse_mac() - parse "aa:bb:cc:dd:ee:ff"
 * @s:		text
 * @mac:	result
 *
 * Return: 0, or -EINVAL
 */
int ipa_parse_mac(const char *s, uint8_t mac[6]);

/** ipa_format_mac() - print a MAC address into @buf (MAC_STRLEN bytes) */
const char *ipa_format_mac(const uint8_t mac[6], char *buf);

#endif /* BRIDGE_IPADDR_H */
