/* SPDX-License-Identifier: GPL-2.0-or-later
 * fwd.h - forwarding queries to upstream resolvers over UDP: a fixed table
 * of queries in flight (no allocation per query), a random 16-bit ID and a
 * random socket out of a small pool per query, answers accepted only from
 * the server asked and for the question asked, retries on the next server
 * after a timeout, SERVFAIL when all are tried.  A truncated answer for a
 * client on TCP is asked again over TCP from the same server.  The host's resolvers come
 * from resolv.conf ($BURROW_RESOLV_CONF or /etc/resolv.conf), re-read when
 * the file changes.
 */
#ifndef DNS_FWD_H
#define DNS_FWD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "addr.h"
#include "msg.h"

#define FWD_MAX_UPSTREAM	4

/* Where the answer goes back to */
struct fwd_client {
	int tcp;			/* 0: UDP client, 1: TCP connection */
	uint32_t listener;		/* UDP: listener index */
	uint32_t conn;			/* TCP: connection index */
	uint32_t gen;			/* generation of listener or connection */
	struct sockaddr_storage addr;	/* UDP: client address */
	socklen_t alen;
	uint16_t id;			/* the client's query ID */
	uint16_t udp_size;		/* UDP: the client's limit */
};

/* Called for each answer (or SERVFAIL) with the client's ID already in place */
typedef void (*fwd_reply_fn)(const struct fwd_client *c, uint8_t *msg, size_t len, size_t qend);

/**
 * fwd_init() - set up the table and upstream socket pools
 * @epfd:	epoll instance; upstream sockets are added with data.u64 = @tag | socket index
 * @tag:	event tag for upstream sockets
 * @reply:	answer callback
 *
 * Return: 0, or -errno
 */
int fwd_init(int epfd, uint64_t tag, fwd_reply_fn reply);

/**
 * fwd_close() - close the upstream sockets, drop queries in flight
 */
void fwd_close(void);

/**
 * fwd_query() - send query @q to the first of @ups, remembering @c
 * @q:		the client's query (copied; its ID is replaced on the wire)
 * @len:	its length
 * @m:		its parse
 * @ups:	upstream resolvers, tried in order
 * @nup:	how many (1..FWD_MAX_UPSTREAM)
 * @c:		where the answer goes
 *
 * Return: 0, -EBUSY if the table is full, or -errno from sending
 */
int fwd_query(const uint8_t *q, size_t len, const struct dns_msg *m,
	      const struct addr *ups, size_t nup, const struct fwd_client *c);

/**
 * fwd_input() - handle an event on upstream socket @idx (from the event tag):
 *		 read UDP answers, or go on with a TCP retry
 * @idx:	index from the event tag
 * @events:	epoll events
 */
void fwd_input(uint32_t idx, uint32_t events);

/**
 * fwd_expire() - retry or fail queries whose time is up
 * @now_ms:	monotonic clock, milliseconds
 *
 * Return: milliseconds until the next deadline, or -1 if nothing is in flight
 */
int fwd_expire(uint64_t now_ms);

/**
 * fwd_inflight() - queries waiting for an upstream
 */
size_t fwd_inflight(void);

/**
 * fwd_resolvers() - the host's resolvers from resolv.conf, re-read when the
 *		     file changed (checked at most once a second)
 * @out:	addresses
 * @max:	room
 *
 * Return: how many
 */
size_t fwd_resolvers(struct addr *out, size_t max);

/**
 * fwd_parse_resolv() - nameserver lines of a resolv.conf text
 * @text:	file contents, NUL-terminated
 * @out:	addresses (scoped IPv6 addresses are skipped)
 * @max:	room
 *
 * Return: how many
 */
size_t fwd_parse_resolv(const char *text, struct addr *out, size_t max);

/**
 * now_ms() - the monotonic clock in milliseconds
 */
uint64_t now_ms(void);

#endif /* DNS_FWD_H */
