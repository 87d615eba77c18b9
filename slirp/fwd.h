/* SPDX-License-Identifier: GPL-2.0-or-later
 * fwd.h - inbound port forwarding: listeners in the namespace burrow-slirp
 * runs in; an accepted TCP connection or a UDP client becomes a flow whose
 * packets reach the guest from the client's real address (loopback clients
 * appear as the gateway)
 */
#ifndef SLIRP_FWD_H
#define SLIRP_FWD_H

#include <stddef.h>
#include <stdint.h>

#include "ctx.h"
#include "portspec.h"

/**
 * fwd_init() - remember net.ipv4.ip_unprivileged_port_start for messages
 * (call before the sandbox hides /proc) and take the guest's MAC address
 * from the tap device: a forwarded connection may come before the guest
 * sent any frame, and a TCP SYN to the broadcast address is dropped
 * @c:		context (after loop_init())
 */
void fwd_init(struct ctx *c);

/**
 * fwd_add() - bind and listen on every host port of @pf
 * @c:		context
 * @pf:		forward (host_addr family 0: all addresses, dual-stack)
 * @splice:	TCP clients on the host's loopback take the splice path
 *		(splice.c): the guest sees them come from its own address
 * @err:	reason on failure, naming the port ("port 80: bind(0.0.0.0:80): ...")
 * @errlen:	size of @err
 *
 * All ports of a range or none: on failure nothing stays bound.
 *
 * Return: forward id (1 or more), or -errno
 */
int fwd_add(struct ctx *c, const struct port_fwd *pf, int splice, char *err, size_t errlen);

/**
 * fwd_remove() - close the listeners of forward @id (open connections stay)
 * @c:		context
 * @id:		id from fwd_add()
 *
 * Return: 0, or -ENOENT
 */
int fwd_remove(struct ctx *c, int id);

/**
 * fwd_next() - iterate over the forwards
 * @pos:	0 to start, then the previous return value
 * @id:		forward id out
 * @pf:		forward out
 * @splice:	out: whether loopback clients are spliced (may be NULL)
 *
 * Return: next position (> 0), or 0 at the end
 */
int fwd_next(int pos, int *id, struct port_fwd *pf, int *splice);

/**
 * fwd_event() - accept connections / receive datagrams on listener @slot
 * @c:		context
 * @slot:	listener index from the epoll reference
 * @events:	EPOLL* bits
 */
void fwd_event(struct ctx *c, int slot, uint32_t events);

/**
 * fwd_cleanup() - close every listener
 * @c:		context
 */
void fwd_cleanup(struct ctx *c);

#endif /* SLIRP_FWD_H */
