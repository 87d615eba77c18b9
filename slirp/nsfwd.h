/* SPDX-License-Identifier: GPL-2.0-or-later
 * nsfwd.h - pasta's -T/-U: forwards from the namespace to the host.  A
 * socket on the namespace's loopback (127.0.0.1, ::1) takes the port; TCP
 * clients are spliced to the host's loopback, UDP datagrams relayed there
 * from the same source port.  "auto" follows the host's listening sockets.
 */
#ifndef SLIRP_NSFWD_H
#define SLIRP_NSFWD_H

#include <stddef.h>
#include <stdint.h>

#include "ctx.h"

/* namespace ports forwarded at once, per protocol (lists and auto together) */
#define NSFWD_PORTS_MAX		1024
/* UDP clients relayed at once; the one idle longest makes room */
#define NSFWD_UDP_FLOWS		256

/**
 * nsfwd_parse() - one -T or -U list ("PORT[-PORT][:PORT[-PORT]]" items and
 * "~" exclusions, as pasta takes them; no ADDR/ prefix)
 * @spec:	the list
 * @proto:	IPPROTO_TCP (-T) or IPPROTO_UDP (-U)
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, -EINVAL (bad list, @err set) or -ENOSPC (over NSFWD_PORTS_MAX)
 */
int nsfwd_parse(const char *spec, int proto, char *err, size_t errlen);

/**
 * nsfwd_wanted() - whether -T/-U asked for anything (lists or auto)
 * @c:		context
 *
 * Return: 1 or 0
 */
int nsfwd_wanted(const struct ctx *c);

/**
 * nsfwd_start() - open the host's /proc/net files for -T/-U auto (before
 * the sandbox hides them) and the listeners of the -T/-U lists through the
 * splice helper; a port that cannot be bound in the namespace is skipped
 * with a warning, as pasta does
 * @c:		context, the splice helper started
 *
 * Return: 0, or -errno (logged) when the host's files cannot be read
 */
int nsfwd_start(struct ctx *c);

/**
 * nsfwd_scan() - -T/-U auto: forward every port the host listens on (its
 * loopback too) but those the host side of burrow-slirp's own forwards
 * holds; stop forwarding ports the host no longer listens on; close UDP
 * clients idle for 30 s (one-way) or 120 s (both ways), as conntrack does
 * @c:		context
 *
 * Called once a second from the event loop; no allocation.
 */
void nsfwd_scan(struct ctx *c);

/**
 * nsfwd_event() - a namespace listener is readable: accept TCP clients and
 * splice them, or relay UDP datagrams to the host
 * @c:		context
 * @ref:	listener reference from the epoll data
 * @events:	EPOLL* bits
 */
void nsfwd_event(struct ctx *c, int ref, uint32_t events);

/**
 * nsfwd_udp_event() - a host-side UDP socket is readable: relay the
 * answers to the namespace client
 * @c:		context
 * @idx:	UDP flow index
 */
void nsfwd_udp_event(struct ctx *c, int idx);

/**
 * nsfwd_cleanup() - close every listener, UDP flow and file
 * @c:		context
 */
void nsfwd_cleanup(struct ctx *c);

#endif /* SLIRP_NSFWD_H */
