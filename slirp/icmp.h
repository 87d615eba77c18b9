/* SPDX-License-Identifier: GPL-2.0-or-later
 * icmp.h - ICMP and ICMPv6 echo through unprivileged ping sockets
 */
#ifndef SLIRP_ICMP_H
#define SLIRP_ICMP_H

#include <stdint.h>

#include "ctx.h"
#include "frame.h"

/**
 * icmp_input() - forward a guest's echo request (others are ignored)
 * @c:		context
 * @f:		parsed ICMP or ICMPv6 frame
 */
void icmp_input(struct ctx *c, const struct frame *f);

/**
 * icmp_sock_event() - turn echo replies on a flow's ping socket into frames
 * @c:		context
 * @idx:	flow index
 */
void icmp_sock_event(struct ctx *c, int idx);

/**
 * icmp_timer() - close an echo flow idle for too long
 * @c:		context
 * @idx:	flow index
 */
void icmp_timer(struct ctx *c, int idx);

/**
 * icmp_close() - close a flow's socket and free it
 * @c:		context
 * @idx:	flow index
 */
void icmp_close(struct ctx *c, int idx);

#endif /* SLIRP_ICMP_H */
