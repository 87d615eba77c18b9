// SPDX-License-Identifier: GPL-2.0-or-later
/* arp.c - ARP replies: every address in the guest's view is behind our MAC */

#include <string.h>

#include "arp.h"
#include "tap.h"

void arp_input(struct ctx *c, const struct frame *f)
{
	uint8_t buf[TAP_HDR_LEN + ETH_HDR_LEN + 28];
	uint8_t *a = buf + TAP_HDR_LEN + ETH_HDR_LEN;

	if (f->arp_op != 1)
		return;
	/* gratuitous ARP and address probes ask about the guest's own address */
	if (!memcmp(f->arp_spa, f->arp_tpa, 4) || !memcmp(f->arp_spa, "\0\0\0\0", 4))
		return;
	if (!memcmp(f->arp_tpa, &c->conf.guest4, 4))
		return;
	memset(buf, 0, TAP_HDR_LEN);
	frame_put_eth(buf + TAP_HDR_LEN, f->arp_sha, c->conf.gw_mac, ETHTYPE_ARP);
	put_be16(a, 1);
	put_be16(a + 2, ETHTYPE_IP4);
	a[4] = 6;
	a[5] = 4;
	put_be16(a + 6, 2);
	memcpy(a + 8, c->conf.gw_mac, 6);
	memcpy(a + 14, f->arp_tpa, 4);
	memcpy(a + 18, f->arp_sha, 6);
	memcpy(a + 24, f->arp_spa, 4);
	tap_send(c, buf, sizeof(buf));
}
