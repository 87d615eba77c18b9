/* SPDX-License-Identifier: GPL-2.0-or-later
 * flow.h - the fixed-size flow table: one entry per guest TCP connection,
 * UDP source port/destination pair or ICMP echo id, with a free list and a
 * hash on the guest-side 5-tuple.  No allocation after start-up.
 */
#ifndef SLIRP_FLOW_H
#define SLIRP_FLOW_H

#include <netinet/in.h>
#include <stdint.h>

#define FLOW_MAX	8192

union flow_addr {
	struct in_addr v4;
	struct in6_addr v6;
};

/* TCP translation state: sequence numbers on the guest side */
struct tcp_flow {
	uint32_t seq_to_guest;		/* next sequence number we send */
	uint32_t seq_acked;		/* guest acknowledged up to here */
	uint32_t seq_discarded;		/* host data consumed from the socket up to here */
	uint32_t seq_from_guest;	/* next sequence number we expect */
	uint32_t guest_wnd;		/* guest's receive window, bytes */
	uint32_t wnd_to_guest;		/* window we last advertised, bytes */
	uint32_t sndbuf;		/* host socket's send buffer, bytes */
	uint32_t outq_est;		/* upper bound of unacknowledged bytes in it */
	uint32_t ack_sent;		/* acknowledgement number we last sent */
	uint32_t lowat;			/* SO_RCVLOWAT we set, 0 the default */
	uint32_t probe_end;		/* end of the first frame above 64 KiB, until acked */
	uint16_t guest_mss;
	uint16_t flags;			/* TCP_F_* in tcp.c */
	uint8_t guest_ws;		/* guest's window scale shift */
	uint8_t our_ws;			/* shift of the windows we advertise */
	uint8_t dup_acks;
	uint8_t retries;
};

/* One flow; proto 0 marks a free entry */
struct flow {
	uint8_t proto;			/* IPPROTO_TCP, _UDP, _ICMP, _ICMPV6 */
	uint8_t family;			/* AF_INET / AF_INET6 on the guest side */
	uint16_t gport;			/* guest port, or echo id */
	uint16_t dport;			/* destination port as the guest sees it */
	uint16_t sock_id;		/* ICMP: the id the host socket uses */
	union flow_addr gaddr;		/* guest address */
	union flow_addr daddr;		/* destination as the guest sees it */
	int fd;				/* host socket, -1 none */
	uint32_t hash_next;		/* index + 1 of the next in the bucket, 0 end */
	uint64_t last_ms;		/* last activity, for timeouts */
	struct tcp_flow tcp;
};

/**
 * flow_lookup() - find the flow for a guest-side tuple
 * @proto:	transport protocol
 * @family:	address family
 * @gaddr:	guest address
 * @gport:	guest port (echo id for ICMP)
 * @daddr:	destination address as the guest sees it
 * @dport:	destination port (0 for ICMP)
 *
 * Return: flow index, or -1
 */
int flow_lookup(uint8_t proto, int family, const void *gaddr, uint16_t gport,
		const void *daddr, uint16_t dport);

/**
 * flow_add() - take a free entry for a tuple and index it
 * @proto, @family, @gaddr, @gport, @daddr, @dport: as for flow_lookup()
 *
 * Return: new flow index (fd set to -1, state zeroed), or -ENOSPC
 */
int flow_add(uint8_t proto, int family, const void *gaddr, uint16_t gport,
	     const void *daddr, uint16_t dport);

/**
 * flow_del() - unindex and free entry @idx (its socket must be closed already)
 * @idx:	flow index
 */
void flow_del(int idx);

/**
 * flow_at() - the flow at @idx
 * @idx:	index from flow_lookup()/flow_add()
 *
 * Return: pointer into the table
 */
struct flow *flow_at(int idx);

/**
 * flow_limit() - one past the highest index ever used, for sweeps
 *
 * Return: bound for iteration
 */
int flow_limit(void);

/**
 * flow_count() - flows in use
 *
 * Return: number of active flows
 */
int flow_count(void);

#endif /* SLIRP_FLOW_H */
