/* SPDX-License-Identifier: GPL-2.0-or-later
 * udp.h - UDP translation: one connected host socket per guest port and
 * destination, idle timeouts; DNS to the virtual resolver goes to the host's
 */
#ifndef SLIRP_UDP_H
#define SLIRP_UDP_H

#include <stdint.h>

#include "ctx.h"
#include "frame.h"

/**
 * udp_input() - send a guest datagram from the flow's host socket
 * @c:		context
 * @f:		parsed UDP frame
 */
void udp_input(struct ctx *c, const struct frame *f);

/**
 * udp_sock_event() - turn datagrams on a flow's socket into frames (batched)
 * @c:		context
 * @idx:	flow index
 */
void udp_sock_event(struct ctx *c, int idx);

/**
 * udp_timer() - close a flow idle for longer than its timeout (30 s, 120 s
 * once traffic went both ways, 10 s for a DNS query)
 * @c:		context
 * @idx:	flow index
 */
void udp_timer(struct ctx *c, int idx);

/**
 * udp_close() - close a flow's socket and free it
 * @c:		context
 * @idx:	flow index
 */
void udp_close(struct ctx *c, int idx);

/**
 * udp_send_guest() - send a datagram to the guest on flow @idx (a forwarded
 * port's datagram, received elsewhere)
 * @c:		context
 * @idx:	UDP flow index
 * @data:	payload
 * @len:	its length
 */
void udp_send_guest(struct ctx *c, int idx, const void *data, size_t len);

#endif /* SLIRP_UDP_H */
