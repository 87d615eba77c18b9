/* SPDX-License-Identifier: GPL-2.0-or-later
 * conntrack.h - drop connection tracking entries that would outlive what
 * they point at, over ctnetlink (libmnl): a dump of one family, filtered
 * here, then one IPCTNL_MSG_CT_DELETE per match by its original tuple.
 *
 * Why: a UDP flow keeps its conntrack entry, and with it its NAT binding,
 * as long as datagrams keep coming.  After a container is replaced, the
 * entries of the old one (DNAT to its address) or the ones made while no
 * forward existed (no DNAT at all) would keep the port blackholed.
 */
#ifndef BRIDGE_CONNTRACK_H
#define BRIDGE_CONNTRACK_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "nl.h"

/* Matches deleted per dump; more are taken by another dump */
#define CT_BATCH 256

/* One entry to delete: its CTA_TUPLE_ORIG and CTA_ZONE attributes, raw */
struct ct_victim {
	int family;
	uint8_t tuple[256];
	size_t tuple_len;
	uint8_t zone[8];
	size_t zone_len;
};

/* An open ctnetlink socket and room for one batch of matches: after
 * ct_open(), ct_delete() allocates nothing (it may run in a child that
 * shares its parent's memory) */
struct ct_ctx {
	struct nl nl;
	struct ct_victim v[CT_BATCH];
};

/* Host ports lo..hi of protocol @proto, to address @dst (family 0: any) */
struct ct_ports {
	int proto;
	struct addr dst;
	uint16_t lo, hi;
};

/* What to delete: entries with any of @addrs in either tuple, and entries
 * whose original direction goes to one of @ports */
struct ct_filter {
	const struct addr *addrs;
	size_t naddrs;
	const struct ct_ports *ports;
	size_t nports;
};

/**
 * ct_match() - whether an entry matches @f (pure, for tests)
 * @f:		filter
 * @family:	AF_INET or AF_INET6
 * @orig_src:	original direction source (16 bytes, IPv4 in the first 4)
 * @orig_dst:	original direction destination
 * @reply_src:	reply direction source
 * @reply_dst:	reply direction destination
 * @proto:	layer 4 protocol number
 * @orig_dport:	original direction destination port, host order
 *
 * Return: 1 match, 0 not
 */
int ct_match(const struct ct_filter *f, int family, const uint8_t *orig_src,
	     const uint8_t *orig_dst, const uint8_t *reply_src, const uint8_t *reply_dst,
	     int proto, uint16_t orig_dport);

/**
 * ct_open() - open the ctnetlink socket of the current network namespace
 * @c:		context (large: static or heap)
 *
 * Return: 0, or -errno
 */
int ct_open(struct ct_ctx *c);

/** ct_close() - close it (safe twice) */
void ct_close(struct ct_ctx *c);

/**
 * ct_delete() - delete the entries that match @f
 * @c:		context from ct_open()
 * @f:		filter
 * @deleted:	out (may be NULL): how many were deleted
 *
 * One dump of the families @f can match (AF_UNSPEC for both: each dump
 * walks the kernel's whole table), filtered here, then one delete per
 * match by its original tuple; more than CT_BATCH matches take further
 * dumps.  Entries gone between the dump and the delete are not an error.
 * Allocates nothing.
 *
 * Return: 0, or -errno (of the dump or a delete)
 */
int ct_delete(struct ct_ctx *c, const struct ct_filter *f, unsigned *deleted);

#endif /* BRIDGE_CONNTRACK_H */
