// SPDX-License-Identifier: GPL-2.0-or-later
/* icmp.c - echo requests to any destination through ping sockets */

#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conf.h"
#include "flow.h"
#include "icmp.h"
#include "log.h"
#include "tap.h"

#define ICMP_TIMEOUT_MS	60000
#define ICMP_OFF	128
#define ICMP_MAX	65535

static uint8_t icmp_buf[ICMP_OFF + ICMP_MAX];

/* Build and send an echo reply @body (ICMP header first, @len bytes at ICMP_OFF) */
static void icmp_reply(struct ctx *c, int family, const void *src, const void *dst,
		       uint16_t id, size_t len)
{
	uint8_t *ic = icmp_buf + ICMP_OFF;
	size_t iphl = family == AF_INET ? IP4_HDR_LEN : IP6_HDR_LEN;
	uint8_t *start = ic - iphl - ETH_HDR_LEN - TAP_HDR_LEN;
	uint32_t sum = 0;
	uint16_t ck;

	ic[0] = family == AF_INET ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY;
	ic[1] = 0;
	ic[2] = ic[3] = 0;
	put_be16(ic + 4, id);
	if (family == AF_INET6)
		sum = csum_pseudo(AF_INET6, src, dst, IPPROTO_ICMPV6, len);
	ck = csum_fold(csum_add(ic, len, sum));
	memcpy(ic + 2, &ck, 2);
	tap_put_headers(c, start, family, src, dst,
			family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6, len);
	tap_send(c, start, (size_t)(ic + len - start));
}

void icmp_close(struct ctx *c, int idx)
{
	struct flow *f = flow_at(idx);

	if (f->fd >= 0) {
		epoll_ctl(c->epoll_fd, EPOLL_CTL_DEL, f->fd, NULL);
		close(f->fd);
	}
	flow_del(idx);
}

static int icmp_open(struct ctx *c, int family)
{
	int *ok = family == AF_INET ? &c->ping4_ok : &c->ping6_ok;
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);

	if (fd < 0) {
		if (*ok != -1)
			warn("socket(%s, SOCK_DGRAM, ping): %s: unprivileged ping is not "
			     "allowed for this group (sysctl net.ipv4.ping_group_range); "
			     "ICMP echo from the container is dropped",
			     family == AF_INET ? "AF_INET" : "AF_INET6", strerror(errno));
		*ok = -1;
		return -1;
	}
	*ok = 1;
	return fd;
}

void icmp_input(struct ctx *c, const struct frame *fr)
{
	int req = fr->family == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
	uint8_t proto = fr->family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	struct sockaddr_storage sa;
	socklen_t salen;
	struct flow *f;
	uint8_t hdr[8];
	struct iovec iov[2];
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	int idx;

	if (fr->icmp_type != req || fr->icmp_code != 0)
		return;
	if (conf_map_dst(&c->conf, fr->family, &fr->daddr, 0, proto, &sa, &salen) < 0) {
		/* the virtual gateway and DNS addresses answer themselves */
		int own = fr->family == AF_INET ?
			(!memcmp(&fr->daddr, &c->conf.gw4, 4) || !memcmp(&fr->daddr, &c->conf.dns4, 4)) :
			(!memcmp(&fr->daddr, &c->conf.gw6, 16) || !memcmp(&fr->daddr, &c->conf.dns6, 16));

		if (own && fr->l4_len <= ICMP_MAX) {
			memcpy(icmp_buf + ICMP_OFF, fr->l4, fr->l4_len);
			icmp_reply(c, fr->family, &fr->daddr, &fr->saddr, fr->echo_id, fr->l4_len);
		} else {
			c->stats.dropped_policy++;
		}
		return;
	}
	idx = flow_lookup(proto, fr->family, &fr->saddr, fr->echo_id, &fr->daddr, 0);
	if (idx < 0) {
		struct epoll_event ev;
		int fd = icmp_open(c, sa.ss_family);

		if (fd < 0) {
			c->stats.dropped_policy++;
			return;
		}
		if (conf_bind_outbound(&c->conf, fd, (struct sockaddr *)&sa) ||
		    connect(fd, (struct sockaddr *)&sa, salen)) {
			close(fd);
			c->stats.dropped_policy++;
			return;
		}
		idx = flow_add(proto, fr->family, &fr->saddr, fr->echo_id, &fr->daddr, 0);
		if (idx < 0) {
			close(fd);
			c->stats.dropped_policy++;
			return;
		}
		flow_at(idx)->fd = fd;
		ev.events = EPOLLIN;
		ev.data.u64 = EP_REF(EP_ICMP, idx);
		if (epoll_ctl(c->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
			icmp_close(c, idx);
			return;
		}
	}
	f = flow_at(idx);
	flow_touch(idx, c->now_ms, FLOW_SEEN_FROM_GUEST);
	hdr[0] = sa.ss_family == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
	hdr[1] = 0;
	hdr[2] = hdr[3] = 0;		/* the kernel fills checksum and id */
	put_be16(hdr + 4, 0);
	put_be16(hdr + 6, fr->echo_seq);
	iov[0].iov_base = hdr;
	iov[0].iov_len = 8;
	iov[1].iov_base = (void *)fr->payload;
	iov[1].iov_len = fr->payload_len;
	sendmsg(f->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
}

void icmp_sock_event(struct ctx *c, int idx)
{
	struct flow *f = flow_at(idx);
	int i;

	for (i = 0; i < 16; i++) {
		uint8_t *ic = icmp_buf + ICMP_OFF;
		ssize_t n = recv(f->fd, ic, ICMP_MAX, MSG_DONTWAIT);

		if (n < 0)
			return;
		if (n < 8)
			continue;
		if (ic[0] != ICMP_ECHOREPLY && ic[0] != ICMP6_ECHO_REPLY)
			continue;
		flow_touch(idx, c->now_ms, FLOW_SEEN_TO_GUEST);
		icmp_reply(c, f->family, &f->daddr, &f->gaddr, f->gport, (size_t)n);
	}
}

void icmp_timer(struct ctx *c, int idx)
{
	if (c->now_ms - flow_at(idx)->last_ms > ICMP_TIMEOUT_MS)
		icmp_close(c, idx);
}
