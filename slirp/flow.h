/* SPDX-License-Identifier: GPL-2.0-or-later
 * flow.h - the fixed-size flow table: one entry per guest TCP connection,
 * UDP source port/destination pair or ICMP echo id, with a free list and a
 * hash on the guest-side 5-tuple.  No allocation after start-up.  The table
 * has quotas (per forward, per remote source, all forwards together, the
 * whole table) and, when one is reached, evicts half-open TCP flows first,
 * then the least recently active UDP/ICMP flows; established TCP flows are
 * never evicted for a new one.
 */
#ifndef SLIRP_FLOW_H
#define SLIRP_FLOW_H

#include <netinet/in.h>
#include <stdint.h>

#define FLOW_MAX	8192
#define FLOW_FWD_MAX	256		/* forward rules that own flows (fwd.c) */
#define FLOW_QUOTA_FWD	4096		/* flows made by one forward */
#define FLOW_QUOTA_SRC	1024		/* flows of one remote address (IPv6: its /64) */
#define FLOW_QUOTA_INBOUND 6144		/* flows of all forwards: 2048 stay the container's */

/* Lists a flow is on, for eviction (oldest first) */
enum flow_list {
	FLOW_L_NONE,			/* established TCP: never evicted */
	FLOW_L_HALF,			/* TCP not yet established on both sides */
	FLOW_L_DGRAM,			/* UDP and ICMP, by last activity */
	FLOW_L_COUNT,
};

/* UDP: directions that carried traffic (flow_touch) */
#define FLOW_SEEN_FROM_GUEST	1
#define FLOW_SEEN_TO_GUEST	2

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
	uint8_t queued;			/* in tcp.c's list of flows with more to send */
	uint8_t ack_wanted;		/* in tcp.c's list of flows whose guest owes an ack */
	uint8_t ack_probed;		/* a probe asked the guest for its ack, unanswered */
	uint16_t host_mss;		/* host socket's TCP_MAXSEG, 0 not read yet */
	uint32_t want_acked;		/* seq_acked when data last went to the guest */
	uint32_t want_due;		/* then + ACK_WANT_US, microseconds (wraps) */
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
	uint32_t prev, next;		/* index + 1 in its list (enum flow_list), 0 end */
	uint32_t src;			/* remote source slot + 1 (inbound flows), 0 none */
	uint16_t fwd;			/* forward rule slot + 1 that made it, 0 the container */
	uint8_t list;			/* enum flow_list */
	uint8_t seen;			/* FLOW_SEEN_* */
	struct tcp_flow tcp;
};

/**
 * flow_init() - empty the table and size it
 * @capacity:	flows at most (FLOW_MAX or less, e.g. for the open files limit)
 * @evict:	closes flow @idx (its socket) and frees it with flow_del(); called
 *		from flow_add() and flow_add_inbound() to make room
 * @arg:	passed to @evict
 */
void flow_init(int capacity, void (*evict)(void *arg, int idx), void *arg);

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
 * flow_add() - take a free entry for a tuple the container started and index
 * it; if the table is full, a half-open TCP flow or else the least recently
 * active UDP/ICMP flow is evicted for it
 * @proto, @family, @gaddr, @gport, @daddr, @dport: as for flow_lookup()
 *
 * A TCP flow starts half-open (flow_established() ends that), UDP and ICMP
 * flows on the list of datagram flows.
 *
 * Return: new flow index (fd set to -1, state zeroed), or -ENOSPC
 */
int flow_add(uint8_t proto, int family, const void *gaddr, uint16_t gport,
	     const void *daddr, uint16_t dport);

/**
 * flow_add_inbound() - the same for a client of forward rule @fwd, whose
 * address is @daddr (as the guest sees it): the quotas of the forward
 * (FLOW_QUOTA_FWD), of the client's address (FLOW_QUOTA_SRC, an IPv6 client
 * by its /64) and of all forwards (FLOW_QUOTA_INBOUND) apply too; at a quota
 * only flows of that forward / address / of forwards are evicted
 * @proto, @family, @gaddr, @gport, @daddr, @dport: as for flow_lookup()
 * @fwd:	forward rule slot, 0 .. FLOW_FWD_MAX - 1
 *
 * Return: new flow index, or -ENOSPC (nothing may be evicted)
 */
int flow_add_inbound(uint8_t proto, int family, const void *gaddr, uint16_t gport,
		     const void *daddr, uint16_t dport, int fwd);

/**
 * flow_established() - a TCP flow is open on both sides: it leaves the
 * half-open list and is never evicted from now on
 * @idx:	flow index
 */
void flow_established(int idx);

/**
 * flow_touch() - traffic on a UDP/ICMP flow: it becomes the most recently
 * active one (the last to be evicted)
 * @idx:	flow index
 * @now_ms:	monotonic clock
 * @seen:	FLOW_SEEN_FROM_GUEST or FLOW_SEEN_TO_GUEST
 */
void flow_touch(int idx, uint64_t now_ms, uint8_t seen);

/**
 * flow_forget_fwd() - forward rule slot @fwd was removed: its flows (they stay
 * open) no longer count against it, so that a new rule there starts at zero
 * @fwd:	forward rule slot
 */
void flow_forget_fwd(int fwd);

/**
 * flow_reclaim() - make the entries freed since the last call reusable; the
 * event loop calls it between batches, so that an event still queued for a
 * closed flow never reaches a new flow in the same entry
 */
void flow_reclaim(void);

/* Eviction and refusal counters since start-up (flow_stats()) */
struct flow_stats {
	uint64_t evicted[FLOW_L_COUNT];	/* by list: FLOW_L_HALF, FLOW_L_DGRAM */
	uint64_t refused;		/* new flows refused: nothing could be evicted */
	uint64_t at_fwd, at_src, at_inbound, at_table;	/* times each quota was reached */
};

/**
 * flow_stats() - the counters
 *
 * Return: pointer to them
 */
const struct flow_stats *flow_stats(void);

/**
 * flow_capacity() - flows the table holds at most
 *
 * Return: the capacity set by flow_init()
 */
int flow_capacity(void);

/**
 * flow_del() - unindex and free entry @idx (its socket must be closed already);
 * the entry is reused only after the next flow_reclaim()
 * @idx:	flow index
 */
void flow_del(int idx);

/**
 * flow_tuple_hash() - a hash of @f's protocol, addresses and ports under @key
 * @f:		flow
 * @key:	secret of the caller's
 *
 * Return: 32 bits that differ between tuples and stay for the same one
 */
uint32_t flow_tuple_hash(const struct flow *f, uint32_t key);

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
