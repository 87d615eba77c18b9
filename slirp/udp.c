// SPDX-License-Identifier: GPL-2.0-or-later
/* udp.c - UDP flows between guest and host sockets */

#include <errno.h>
#include <linux/virtio_net.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conf.h"
#include "flow.h"
#include "log.h"
#include "tap.h"
#include "udp.h"

#define UDP_BATCH	8
#define UDP_OFF		128
#define UDP_MAX		(65535 - IP6_HDR_LEN - UDP_HDR_LEN)
/*
 * Idle timeouts as the kernel's conntrack has them: 30 s for a flow that
 * carried traffic one way only (nf_conntrack_udp_timeout), 120 s once both
 * sides spoke (nf_conntrack_udp_timeout_stream); a DNS query's flow 10 s
 */
#define UDP_TIMEOUT_MS		30000
#define UDP_STREAM_TIMEOUT_MS	120000
#define DNS_TIMEOUT_MS		10000

static uint8_t udp_slots[UDP_BATCH][UDP_OFF + 65536] __attribute__((aligned(64)));

void udp_close(struct ctx *c, int idx)
{
	struct flow *f = flow_at(idx);

	if (f->fd >= 0) {
		epoll_ctl(c->epoll_fd, EPOLL_CTL_DEL, f->fd, NULL);
		close(f->fd);
	}
	flow_del(idx);
}

static int udp_open(struct ctx *c, const struct frame *fr)
{
	struct sockaddr_storage sa;
	socklen_t salen;
	struct epoll_event ev;
	int idx, fd;

	if (conf_map_dst(&c->conf, fr->family, &fr->daddr, fr->dport, IPPROTO_UDP,
			 &sa, &salen) < 0)
		return -1;
	fd = socket(sa.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		warn("socket(UDP): %s", strerror(errno));
		return -1;
	}
	if (conf_bind_outbound(&c->conf, fd, (struct sockaddr *)&sa) ||
	    connect(fd, (struct sockaddr *)&sa, salen)) {
		close(fd);
		return -1;
	}
	idx = flow_add(IPPROTO_UDP, fr->family, &fr->saddr, fr->sport, &fr->daddr, fr->dport);
	if (idx < 0) {
		close(fd);
		return -1;
	}
	flow_at(idx)->fd = fd;
	ev.events = EPOLLIN;
	ev.data.u64 = EP_REF(EP_UDP, idx);
	if (epoll_ctl(c->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
		udp_close(c, idx);
		return -1;
	}
	return idx;
}

void udp_input(struct ctx *c, const struct frame *fr)
{
	int idx = flow_lookup(IPPROTO_UDP, fr->family, &fr->saddr, fr->sport,
			      &fr->daddr, fr->dport);
	struct flow *f;

	if (idx < 0 && (idx = udp_open(c, fr)) < 0) {
		c->stats.dropped_policy++;
		return;
	}
	f = flow_at(idx);
	flow_touch(idx, c->now_ms, FLOW_SEEN_FROM_GUEST);
	if (send(f->fd, fr->payload, fr->payload_len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		c->stats.dropped_policy++;
}

/* Frame headers in front of the datagram in @slot and send it */
static void udp_to_guest(struct ctx *c, struct flow *f, uint8_t *slot, size_t len)
{
	uint8_t *uh = slot + UDP_OFF - UDP_HDR_LEN;
	size_t iphl = f->family == AF_INET ? IP4_HDR_LEN : IP6_HDR_LEN;
	uint8_t *start = uh - iphl - ETH_HDR_LEN - TAP_HDR_LEN;
	struct virtio_net_hdr vh;
	uint16_t ck;

	tap_put_headers(c, start, f->family, &f->daddr, &f->gaddr, IPPROTO_UDP,
			UDP_HDR_LEN + len);
	put_be16(uh, f->dport);
	put_be16(uh + 2, f->gport);
	put_be16(uh + 4, (uint16_t)(UDP_HDR_LEN + len));
	ck = (uint16_t)~csum_fold(csum_pseudo(f->family, &f->daddr, &f->gaddr, IPPROTO_UDP,
					      UDP_HDR_LEN + len));
	memcpy(uh + 6, &ck, 2);
	memset(&vh, 0, sizeof(vh));
	vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh.csum_start = (uint16_t)(ETH_HDR_LEN + iphl);
	vh.csum_offset = 6;
	memcpy(start, &vh, sizeof(vh));
	tap_send(c, start, (size_t)(slot + UDP_OFF + len - start));
}

void udp_sock_event(struct ctx *c, int idx)
{
	struct flow *f = flow_at(idx);
	struct mmsghdr mm[UDP_BATCH];
	struct iovec iov[UDP_BATCH];
	int i, n, round;

	for (round = 0; round < 4; round++) {
		memset(mm, 0, sizeof(mm));
		for (i = 0; i < UDP_BATCH; i++) {
			iov[i].iov_base = udp_slots[i] + UDP_OFF;
			iov[i].iov_len = UDP_MAX;
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(f->fd, mm, UDP_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return;
		flow_touch(idx, c->now_ms, FLOW_SEEN_TO_GUEST);
		for (i = 0; i < n; i++)
			udp_to_guest(c, f, udp_slots[i], mm[i].msg_len);
		if (n < UDP_BATCH)
			return;
	}
}

void udp_send_guest(struct ctx *c, int idx, const void *data, size_t len)
{
	if (len > UDP_MAX)
		return;
	memcpy(udp_slots[0] + UDP_OFF, data, len);
	flow_touch(idx, c->now_ms, FLOW_SEEN_TO_GUEST);
	udp_to_guest(c, flow_at(idx), udp_slots[0], len);
}

void udp_timer(struct ctx *c, int idx)
{
	struct flow *f = flow_at(idx);
	uint64_t limit = f->dport == 53 && !f->fwd ? DNS_TIMEOUT_MS :
			 f->seen == (FLOW_SEEN_FROM_GUEST | FLOW_SEEN_TO_GUEST) ?
			 UDP_STREAM_TIMEOUT_MS : UDP_TIMEOUT_MS;

	if (c->now_ms - f->last_ms > limit)
		udp_close(c, idx);
}
