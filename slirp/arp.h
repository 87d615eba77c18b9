/* SPDX-License-Identifier: GPL-2.0-or-later
 * arp.h - answer the guest's ARP requests for any address but its own
 */
#ifndef SLIRP_ARP_H
#define SLIRP_ARP_H

#include "ctx.h"
#include "frame.h"

/**
 * arp_input() - reply to an ARP request with the gateway's MAC address
 * @c:		context
 * @f:		parsed ARP frame
 */
void arp_input(struct ctx *c, const struct frame *f);

#endif /* SLIRP_ARP_H */
