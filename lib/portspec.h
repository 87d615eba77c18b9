/* SPDX-License-Identifier: GPL-2.0-or-later
 * portspec.h - port-forward specifications in podman and pasta habits
 *
 * Pure functions; untrusted text in, a fixed table out.
 */
#ifndef BURROW_PORTSPEC_H
#define BURROW_PORTSPEC_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/*
 * One forward of @count consecutive ports: host_port..host_port+count-1 to
 * guest_port..guest_port+count-1.  host_addr.family == 0 means all addresses.
 * proto is IPPROTO_TCP or IPPROTO_UDP.
 */
struct port_fwd {
	int proto;
	struct addr host_addr;
	uint16_t host_port;
	uint16_t guest_port;
	uint16_t count;
};

/**
 * portspec_parse() - parse one podman/docker-style -p spec
 * @spec:	"80", "8080:80", "8080:80/udp", "127.0.0.1:8080:80",
 *		"[::1]:8080:80/tcp", "8000-8010:9000-9010"; "80" means 80:80 and
 *		"8000-8010" the same range on both sides; "127.0.0.1::80" is
 *		refused (no random host port); "tcp,udp" suffix is not accepted
 *		here; IPv6 addresses need brackets; ports are 1-65535 without
 *		leading zeros; ranges must have equal length
 * @out:	result
 * @err:	human-readable reason on failure ("port 70000 out of range in '...'")
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL
 */
int portspec_parse(const char *spec, struct port_fwd *out, char *err, size_t errlen);

/**
 * portspec_parse_pasta() - parse a pasta -t/-u argument into forwards
 * @spec:	"none", "all", or "[ADDR/]LIST" where LIST is a comma list of items
 *		"PORT[-PORT][:PORT[-PORT]]" and exclusions "~PORT[-PORT]"; as in
 *		pasta, one ADDR prefix binds every item ("203.0.113.1/20-30,~25").
 *		Refused: "all" and "auto" (forwarding every port is never what a
 *		user wants on a shared host), a list of only exclusions (pasta
 *		reads it as "all but"), "ADDR%IFNAME/" (no interface binding), a
 *		port listed twice, overlapping exclusions, port 0, leading zeros,
 *		ranges of unequal length
 * @proto:	IPPROTO_TCP or IPPROTO_UDP
 * @out:	table to fill: one entry per run of ports left after exclusions,
 *		in the order given
 * @max:	entries in @out
 * @err:	human-readable reason on failure
 * @errlen:	size of @err
 *
 * Return: number of entries written (0 for "none"), or -EINVAL / -ENOSPC
 */
int portspec_parse_pasta(const char *spec, int proto, struct port_fwd *out,
			 size_t max, char *err, size_t errlen);

/**
 * portspec_format() - print a forward in podman style ("127.0.0.1:8080:80/tcp")
 * @f:		forward
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: @buf
 */
const char *portspec_format(const struct port_fwd *f, char *buf, size_t len);

/**
 * portspec_overlap() - whether two forwards claim the same host port, protocol
 *			and (overlapping) bind address
 *
 * Family 0 overlaps every address, 0.0.0.0 every IPv4 address, and :: every
 * address (a dual-stack bind takes the IPv4 port too).
 */
int portspec_overlap(const struct port_fwd *a, const struct port_fwd *b);

#endif /* BURROW_PORTSPEC_H */
