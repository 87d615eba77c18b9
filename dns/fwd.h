/* SPDX-License-Identifier: GPL-2.0-or-later
 * fwd.h - forwarding queries to upstream resolvers over UDP: a fixed table
 * of queries in flight (no allocation per query).  Each try of a query goes
 * out on a socket of its own, connected to the server asked, so that its
 * source port is the kernel's random pick and only that server's address and
 * port can answer it; a random 16-bit ID; the letters of the question name
 * in random case (0x20), checked case for case in the answer, for servers
 * seen to keep the case.  Answers that do not match are dropped and the
 * query waits on.  Per-client and per-network quotas of queries in flight,
 * with a fair share when the table is full.  Retries on the next server after
 * a timeout, SERVFAIL when all are tried.  A truncated answer for a client on
 * TCP is asked again over TCP from the same server.  The host's resolvers
 * come from resolv.conf ($BURROW_RESOLV_CONF or /etc/resolv.conf), re-read
 * when the file changes.
 */
#ifndef DNS_FWD_H
#define DNS_FWD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "addr.h"
#include "msg.h"

#define FWD_MAX_UPSTREAM	4
#define FWD_INFLIGHT_MAX	1024	/* queries in flight, one socket each */
#define FWD_CLIENT_MAX		128	/* ... of one client address */
#define FWD_NET_MAX		512	/* ... of one network */
#define FWD_CLIENT_LIGHT	16	/* a client with fewer may push out ... */
					/* ... one of a client with twice as many */

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
	struct addr src;		/* the client's address (quota) */
	uint32_t netid;			/* the client's network (quota, cache) */
};

/* Called for each answer (or SERVFAIL) with the client's ID already in place */
typedef void (*fwd_reply_fn)(const struct fwd_client *c, uint8_t *msg, size_t len, size_t qend);

/**
 * fwd_init() - set up the table of queries in flight
 * @epfd:	epoll instance; upstream sockets are added with data.u64 = @tag | index
 * @tag:	event tag for upstream sockets
 * @reply:	answer callback (called from fwd_input() and fwd_expire(), and
 *		from fwd_query() for a query it pushes out of the table)
 * @limit:	queries in flight at most (each holds one file descriptor);
 *		1..FWD_INFLIGHT_MAX
 *
 * Return: 0, or -errno
 */
int fwd_init(int epfd, uint64_t tag, fwd_reply_fn reply, size_t limit);

/**
 * fwd_close() - close the upstream sockets, drop queries in flight, and log
 *		 the counters of fwd_get_stats() (level info)
 */
void fwd_close(void);

/**
 * fwd_query() - send query @q to the first of @ups, remembering @c
 * @q:		the client's query (copied; its ID is replaced on the wire)
 * @len:	its length
 * @m:		its parse
 * @ups:	upstream resolvers, tried in order
 * @nup:	how many (1..FWD_MAX_UPSTREAM)
 * @c:		where the answer goes, who asked, from which network
 *
 * A client at FWD_CLIENT_MAX queries in flight is refused.  When its network
 * holds FWD_NET_MAX, a client holding fewer than FWD_CLIENT_LIGHT takes the
 * slot of the oldest query of a client of that network holding at least
 * twice as many (answered SERVFAIL), else it is refused.  When the table is
 * full, the same, or, for a network below its fair share (the table divided
 * among the networks with queries in flight), the slot of the oldest query of
 * a network above it.
 *
 * Return: 0, -EDQUOT if the client or network is over its quota, -EBUSY if
 * the table is full, or -errno from opening the socket
 */
int fwd_query(const uint8_t *q, size_t len, const struct dns_msg *m,
	      const struct addr *ups, size_t nup, const struct fwd_client *c);

/**
 * fwd_input() - handle an event on the socket of a query in flight (index
 *		 from the event tag): read its UDP answers, or go on with a TCP retry
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

/* Counters since start */
struct fwd_stats {
	uint64_t sent, answered, failed;
	uint64_t dropped;		/* answers that did not match: spoofed or stale */
	uint64_t case_mismatch;		/* ... of those, the name's case differed (0x20) */
	uint64_t refused_quota;		/* queries refused by a client or network quota */
	uint64_t preempted;		/* queries answered SERVFAIL to make room */
};

/**
 * fwd_get_stats() - counters since start
 * @s:		result
 */
void fwd_get_stats(struct fwd_stats *s);

/**
 * fwd_case_randomize() - put the letters of wire name @name in random case
 *			  (0x20, draft-vixie-dnsext-dns0x20)
 * @name:	uncompressed wire name, changed in place
 * @len:	its length
 * @rnd:	random bytes source, called for each 8 letters
 *
 * Return: how many letters the name has
 */
size_t fwd_case_randomize(uint8_t *name, size_t len, uint8_t (*rnd)(void));

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

#endif /* DNS_FWD_H */
