/* SPDX-License-Identifier: GPL-2.0-or-later
 * options.h - what one setup/teardown call asks for: the container, its
 * network attachments and its port forwards.  Parsed from netavark's network
 * options JSON (this module) or built from a CNI config (cni.c).
 *
 * Pure: a buffer in, a fixed struct out, an error naming the field.
 */
#ifndef BRIDGE_OPTIONS_H
#define BRIDGE_OPTIONS_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define BO_MAX_NETS	8
#define BO_MAX_SUBNETS	4
#define BO_MAX_PORTS	64
#define BO_ID_MAX	128
#define BO_NAME_MAX	64

enum bo_isolate { BO_ISOLATE_NO = 0, BO_ISOLATE_YES, BO_ISOLATE_STRICT };

/* One subnet of a network: prefix (host bits cleared), gateway, lease range */
struct bo_subnet {
	struct cidr net;
	struct addr gw;		/* family 0: no gateway */
	struct addr start, end;	/* family 0: whole subnet */
};

/* One network the container joins, with the attachment's own settings */
struct bo_net {
	char name[BO_NAME_MAX];
	char bridge[IFNAMSIZ];
	char ifname[IFNAMSIZ];	/* container end, e.g. eth0 */
	struct bo_subnet subnets[BO_MAX_SUBNETS];
	size_t nsubnets;
	struct addr static_ips[BO_MAX_SUBNETS];
	size_t nstatic;
	uint8_t mac[6];
	int has_mac;
	unsigned mtu;		/* 0: kernel default */
	int internal;		/* no outside access, no default route */
	enum bo_isolate isolate;
	int masquerade;		/* masquerade traffic leaving the subnet */
	int gateway;		/* gateway address on the bridge, default route */
	int hairpin;		/* hairpin mode on the bridge port */
	int dns;		/* dns_enabled: report the gateway as DNS server */
	uint16_t dns_port;	/* burrow-dns listens there (NETAVARK_DNS_PORT), the
				 * gateway's port 53 is DNATed to it; 0: 53 */
	int route_default;	/* add a default route (not internal) */
	int made_bridge;	/* state: burrow-bridge created the bridge */
};

/* A forward of @range consecutive ports; proto IPPROTO_TCP/UDP/SCTP */
struct bo_port {
	int proto;
	struct addr host_ip;	/* family 0: every host address */
	uint16_t host_port;
	uint16_t ctr_port;
	uint16_t range;
};

struct bo_options {
	char container_id[BO_ID_MAX];
	char container_name[BO_NAME_MAX];
	struct bo_net nets[BO_MAX_NETS];
	size_t nnets;
	struct bo_port ports[BO_MAX_PORTS];
	size_t nports;
	char cni_cid[BO_ID_MAX];	/* CNI face only: recorded for GC */
	char cni_ifname[IFNAMSIZ];
};

/**
 * bo_parse_netavark() - parse netavark's network options JSON
 * @buf:	text (need not be NUL-terminated)
 * @len:	its length
 * @o:		result
 * @err:	reason on failure, naming the field ("network_info.wnet.subnets[0].subnet:
 *		bad prefix '10.0.0.0/33'")
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL
 */
int bo_parse_netavark(const char *buf, size_t len, struct bo_options *o,
		      char *err, size_t errlen);

/**
 * bo_error() - print a message into @err and return @rc: every bridge module
 *		reports its errors this way
 * @err:	message buffer
 * @errlen:	size of @err
 * @rc:		what to return (-errno)
 * @fmt:	printf format, then its arguments
 *
 * Return: @rc
 */
int bo_error(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/**
 * bo_proto_name() - "tcp", "udp" or "sctp" for an IPPROTO_ value
 */
const char *bo_proto_name(int proto);

/**
 * bo_parse_addr() - parse an address as netavark and CNI configs write it
 * @s:		text: "192.0.2.1" or "2001:db8::1", no brackets
 * @a:		result
 *
 * addr_parse() of lib/addr.h, less the brackets it accepts around IPv6.
 *
 * Return: 0, or -EINVAL
 */
int bo_parse_addr(const char *s, struct addr *a);

/**
 * bo_parse_cidr() - parse a prefix as netavark and CNI configs write it
 * @s:		text: "10.88.0.0/16", "fd00::/64" (a bare address gets /32 or /128),
 *		no brackets
 * @c:		result, host bits kept
 *
 * Return: 0, or -EINVAL
 */
int bo_parse_cidr(const char *s, struct cidr *c);

/**
 * bo_check() - checks common to both faces: subnets consistent, static IPs
 *		inside a subnet, ports in range, no duplicate forwards
 * @o:		parsed options
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL
 */
int bo_check(const struct bo_options *o, char *err, size_t errlen);

#endif /* BRIDGE_OPTIONS_H */
