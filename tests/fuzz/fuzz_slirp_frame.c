// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_slirp_frame.c - libFuzzer target: burrow-slirp's parsers of guest
 * frames (Ethernet/ARP/IPv4/IPv6/TCP/UDP/ICMP) and DHCPv4/DHCPv6 requests,
 * and the responders that answer from them (ARP, NDP, DHCP) with replies
 * written to a closed tap descriptor.  Every pointer the parser returns must
 * lie inside the input.  No socket is ever opened: TCP, UDP and ICMP echo
 * frames are parsed only. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slirp/arp.h"
#include "slirp/conf.h"
#include "slirp/dhcp.h"
#include "slirp/frame.h"
#include "slirp/ndp.h"

static void inside(const uint8_t *base, size_t len, const uint8_t *p, size_t n)
{
	if (!p)
		return;
	if (p < base || p > base + len || n > (size_t)(base + len - p))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a private copy, exactly sized, so ASan sees any overread */
	uint8_t *buf = malloc(size ? size : 1);
	struct dhcp_req r;
	struct frame f;
	volatile uint32_t sink;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	static struct ctx c;

	if (!c.conf.mtu) {
		conf_defaults(&c.conf);
		c.conf.ipv6 = 1;
		c.tap_fd = -1;		/* replies are built, then fail to write */
		c.epoll_fd = -1;
	}
	if (frame_parse(buf, size, &f) == 0) {
		if (f.ethertype == ETHTYPE_ARP)
			arp_input(&c, &f);
		else if (f.proto == IPPROTO_ICMPV6 && f.icmp_type >= 133 && f.icmp_type <= 137)
			ndp_input(&c, &f);
		else if (f.proto == IPPROTO_UDP && f.family == AF_INET && f.dport == 67)
			dhcp_input(&c, &f);
		else if (f.proto == IPPROTO_UDP && f.family == AF_INET6 && f.dport == 547)
			dhcp6_input(&c, &f);
		inside(buf, size, f.l4, f.l4_len);
		inside(buf, size, f.payload, f.payload_len);
		if (f.arp_tpa)
			inside(buf, size, f.arp_sha, 28 - 8);
		if (f.payload) {
			sink = csum_add(f.payload, f.payload_len, 0);
			(void)sink;
			if (f.proto == IPPROTO_UDP) {
				dhcp_parse(f.payload, f.payload_len, &r);
				if (dhcp6_parse(f.payload, f.payload_len, &r) == 0)
					inside(buf, size, r.client_id, r.client_id_len);
			}
		}
	}
	dhcp_parse(buf, size, &r);
	if (dhcp6_parse(buf, size, &r) == 0)
		inside(buf, size, r.client_id, r.client_id_len);
	free(buf);
	return 0;
}
