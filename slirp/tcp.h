/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcp.h - TCP translation: guest segments to a host socket and back.  The
 * host socket holds the data: guest data is acknowledged only as far as the
 * socket accepted it, host data is peeked (SO_PEEK_OFF) and discarded only
 * when the guest acknowledges it, so there is no retransmission buffer.
 */
#ifndef SLIRP_TCP_H
#define SLIRP_TCP_H

#include <stdint.h>

#include "ctx.h"
#include "frame.h"

/**
 * tcp_input() - handle a TCP segment from the guest
 * @c:		context
 * @f:		parsed frame (proto IPPROTO_TCP)
 */
void tcp_input(struct ctx *c, const struct frame *f);

/**
 * tcp_inbound() - a connection accepted on a forwarded port becomes a flow
 * (of forward rule @fwd, for its quotas):
 * a SYN goes to the guest from @saddr:@sport, the data path is then the
 * outbound one (the accepted socket holds the state)
 * @c:		context
 * @fd:		accepted socket, taken over (closed on failure)
 * @family:	AF_INET or AF_INET6, the guest side
 * @saddr:	source address the guest sees (the client's, or the gateway)
 * @sport:	source port the guest sees
 * @gport:	guest port
 * @fwd:	forward rule slot (flow_add_inbound())
 *
 * Return: flow index, or -EEXIST / -ENOSPC / -errno (the connection is reset)
 */
int tcp_inbound(struct ctx *c, int fd, int family, const void *saddr, uint16_t sport,
		uint16_t gport, int fwd);

/**
 * tcp_evict() - close a half-open flow to make room for a new one: RST to the
 * guest and to the host peer
 * @c:		context
 * @idx:	flow index
 */
void tcp_evict(struct ctx *c, int idx);

/**
 * tcp_sock_event() - handle epoll events on a TCP flow's host socket
 * @c:		context
 * @idx:	flow index
 * @events:	EPOLL* bits
 */
void tcp_sock_event(struct ctx *c, int idx, uint32_t events);

/**
 * tcp_flush_acks() - send the acknowledgements collected during a batch
 * @c:		context
 */
void tcp_flush_acks(struct ctx *c);

/**
 * tcp_delayed_acks() - whether small acknowledgements wait for a reply to
 * carry them, or guests owe one (see tcp_flush_delayed_due()); drops the
 * entries of guests that acknowledged meanwhile
 *
 * Return: number of flows with a delayed acknowledgement or one owed
 */
int tcp_delayed_acks(void);

/*
 * tcp_bulk_flows() - how many flows send in bulk to the guest and wake only at
 * their socket's low mark; the loop then calls tcp_sweep_bulk() at least
 * every millisecond
 */
int tcp_bulk_flows(void);

/*
 * tcp_sweep_bulk() - peek once more at the bulk flows (at most once per
 * millisecond), so a tail below the low mark goes out within a millisecond
 */
void tcp_sweep_bulk(struct ctx *c);

/**
 * tcp_ready_flows() - how many flows wait for their next turn to send to the
 * guest (the loop then polls without sleeping and calls tcp_serve_ready())
 */
int tcp_ready_flows(void);

/**
 * tcp_serve_ready() - give each waiting flow one turn (TURN_BYTES at most) of
 * sending to the guest; a flow with more left waits for the next loop turn,
 * after the events that came meanwhile
 * @c:		context
 */
void tcp_serve_ready(struct ctx *c);

/**
 * tcp_flush_delayed() - send the delayed acknowledgements (the loop was idle)
 * @c:		context
 */
void tcp_flush_delayed(struct ctx *c);

/**
 * tcp_flush_delayed_due() - send the delayed acknowledgements once the oldest
 * has waited its time (1-2 ms), even if the loop never was idle; probe the
 * guests that have acknowledged nothing 1 ms after their flow's latest data
 * (the peer may wait for that acknowledgement), and empty the sockets of
 * those that acknowledged everything but a small rest
 * @c:		context
 */
void tcp_flush_delayed_due(struct ctx *c);

/**
 * tcp_timer() - retransmit what the guest did not acknowledge in time; a SYN
 * or SYN-ACK to the guest goes again after 1, 2, 4, 8 and 16 s and the flow
 * is given up 63 s after the first (the kernel's tcp_synack_retries = 5)
 * @c:		context
 * @idx:	flow index of a TCP flow
 */
void tcp_timer(struct ctx *c, int idx);

/**
 * tcp_init() - decide once how host data is peeked: SO_PEEK_OFF if the kernel
 *		has it for TCP (Linux 6.9 and later), else by peeking the bytes
 *		still in flight to the guest into a discard buffer first
 * @no_peek_off:	nonzero: do not use SO_PEEK_OFF even if it works (testing)
 *
 * Return: 1 if SO_PEEK_OFF is used, 0 if the fallback is, -errno if no TCP
 * socket could be made to probe (the fallback is used then)
 */
int tcp_init(int no_peek_off);

/**
 * tcp_big_frames_init() - decide once whether IPv4 frames to the guest may
 *		carry up to 256 KiB (IP total length 0): on Linux 6.3 and later,
 *		until one such frame is refused or never acknowledged
 * @off:	nonzero: 64 KiB frames only (testing, or a kernel that lies)
 *
 * Return: 1 if frames above 64 KiB are tried, 0 if not
 */
int tcp_big_frames_init(int off);

/**
 * tcp_close_all() - close every TCP flow (resetting the guest side)
 * @c:		context
 */
void tcp_close_all(struct ctx *c);

#endif /* SLIRP_TCP_H */
