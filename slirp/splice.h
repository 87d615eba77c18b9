/* SPDX-License-Identifier: GPL-2.0-or-later
 * splice.h - the fast path for forwarded TCP connections whose client is on
 * the host's loopback: a socket made in the guest's network namespace (by a
 * small sandboxed helper that joined it, handed over with SCM_RIGHTS)
 * connects to the guest's own address, and data moves socket to socket with
 * splice(2) through a pipe per direction, never as frames.  The guest sees
 * the connection come from its own address.
 */
#ifndef SLIRP_SPLICE_H
#define SLIRP_SPLICE_H

#include <stdint.h>

#include "ctx.h"

/* spliced connections at once */
#define SPLICE_CONN_MAX	4096

/**
 * splice_init() - start the socket helper: a child that joins the guest's
 * user and network namespaces, sandboxes itself (seccomp: it can only make
 * sockets, bind them, listen and pass them) and makes sockets there on
 * request: the splice path's TCP sockets (only with --splice), and pasta
 * -T/-U listeners on the namespace's loopback.  Call
 * after loop_init(), before the sandbox of this process.
 * @c:		context (target namespaces, epoll)
 *
 * Return: 0, or -errno (logged; forwards then never take the fast path)
 */
int splice_init(struct ctx *c);

/**
 * splice_inbound() - take over an accepted forwarded connection from a
 * loopback client: connect a guest-side socket to @family's guest address
 * and port @gport, and splice between the two
 * @c:		context
 * @fd:		accepted socket (non-blocking); taken over only on success
 * @family:	AF_INET or AF_INET6, the guest address to connect to
 * @gport:	guest port
 *
 * Return: 0, or -errno (no helper, no socket, no room): @fd is still the
 * caller's, which can use the frame path instead
 */
int splice_inbound(struct ctx *c, int fd, int family, uint16_t gport);

/**
 * splice_outbound() - pasta -T: take over a connection accepted on a
 * listener in the guest's namespace: connect a new socket to the host's
 * loopback (127.0.0.1 or ::1, by @family) and port @hport, and splice
 * @c:		context
 * @fd:		accepted socket (non-blocking); taken over only on success
 * @family:	AF_INET or AF_INET6
 * @hport:	host port
 *
 * Return: 0, or -errno (no room, no socket): @fd is still the caller's
 */
int splice_outbound(struct ctx *c, int fd, int family, uint16_t hport);

/**
 * splice_ns_listener() - ask the helper for a socket bound in the guest's
 * namespace to its loopback address of @family (127.0.0.1, ::1) and @port:
 * listening for IPPROTO_TCP, bound for IPPROTO_UDP; waits for the answer
 * (at most a few seconds)
 * @c:		context
 * @family:	AF_INET or AF_INET6
 * @proto:	IPPROTO_TCP or IPPROTO_UDP
 * @port:	port
 *
 * Return: non-blocking socket, or -errno (the helper's bind() error, or
 * -ENOTCONN without a helper)
 */
int splice_ns_listener(struct ctx *c, int family, int proto, uint16_t port);

/**
 * splice_event() - epoll events on one side of a spliced connection
 * @c:		context
 * @ref:	connection index * 2 + side (0 the client's, 1 the one we connected)
 * @events:	EPOLL* bits
 */
void splice_event(struct ctx *c, int ref, uint32_t events);

/**
 * splice_helper_event() - sockets (or the end) from the helper
 * @c:		context
 * @events:	EPOLL* bits
 */
void splice_helper_event(struct ctx *c, uint32_t events);

/**
 * splice_more() - whether connections stopped early to let others run
 *
 * Return: number of such connections (the loop must not sleep then)
 */
int splice_more(void);

/**
 * splice_flush() - continue the connections that stopped early
 * @c:		context
 */
void splice_flush(struct ctx *c);

/**
 * splice_count() - spliced connections open
 *
 * Return: count
 */
int splice_count(void);

/**
 * splice_cleanup() - reset every spliced connection, stop the helper
 * @c:		context
 */
void splice_cleanup(struct ctx *c);

#endif /* SLIRP_SPLICE_H */
