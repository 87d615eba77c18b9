// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_slirp_tcp.c - libFuzzer target: burrow-slirp's TCP state machine
 * driven by fuzzed *sequences* of guest frames and host-side events.
 *
 * The input is a list of 12-byte records (each optionally followed by payload
 * bytes).  A record is a guest TCP segment built on one of two connections
 * (gateway port P, the fuzzer's own listener on 127.0.0.1, or a closed port),
 * with sequence and acknowledgement numbers *relative* to what each side last
 * sent, so that the fuzzer reaches established connections, gaps, SACK, FIN
 * and window edge cases; or a host event: time passes (retransmission,
 * persist and delayed-ACK timers run), the host peer writes, reads, half-
 * closes or resets, or pending socket events are dispatched.
 *
 * Real loopback sockets, not stubs: the tcp module talks to the host through
 * its sockets and nothing else, so the fuzzer owns a listener on 127.0.0.1
 * and the peer ends of the connections tcp.c makes to it.  The tap device is
 * one end of a datagram socketpair; the fuzzer reads back every frame
 * burrow-slirp sends to the guest to learn its sequence numbers.  The flow
 * table holds 4 flows, so that eviction of half-open flows is reached.  After each
 * input every flow is closed, and the flow table and the out-of-order queue
 * must be empty again (nothing leaks between inputs).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "slirp/conf.h"
#include "slirp/ctx.h"
#include "slirp/flow.h"
#include "slirp/frame.h"
#include "slirp/loop.h"
#include "slirp/ooo.h"
#include "slirp/tcp.h"

#define REC_LEN		12
#define PEERS_MAX	16

static struct ctx c;
static int tap_peer = -1;		/* our end of the tap socketpair */
static int listen_fd = -1;
static uint16_t listen_port;
static int peers[PEERS_MAX];		/* accepted host-side sockets */
static int npeers;
static uint8_t frame[FRAME_MAX + TAP_HDR_LEN];
static uint8_t junk[1 << 17];

/* what each side last sent, per connection (0, 1) */
static uint32_t guest_nxt[2], host_nxt[2];

/* The flow table is full: close the flow it chose, as the loop does */
static void evict(void *arg, int idx)
{
	tcp_evict(arg, idx);
}

static void setup(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);
	int sv[2], big = 1 << 20;

	log_init("fuzz", LOG_LVL_ERROR, 0);
	signal(SIGPIPE, SIG_IGN);	/* as burrow-slirp's loop does */
	conf_defaults(&c.conf);
	c.conf.ipv6 = 1;
	flow_init(4, evict, &c);	/* small: the fuzzer reaches eviction too */
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv))
		abort();
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	c.tap_fd = sv[0];
	tap_peer = sv[1];
	c.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c.epoll_fd < 0 || listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(listen_fd, 64) || getsockname(listen_fd, (struct sockaddr *)&sa, &sl))
		abort();
	listen_port = ntohs(sa.sin_port);
	tcp_init(0);
	tcp_big_frames_init(1);
	memcpy(c.guest_mac, "\x02\x00\x00\x00\x00\x64", 6);
	c.guest_mac_known = 1;
	c.now_ms = 1000000;
}

/* Frames burrow-slirp sent to the guest: note the sequence numbers */
static void read_tap(void)
{
	ssize_t n;

	while ((n = read(tap_peer, frame, sizeof(frame))) > 0) {
		struct frame f;
		int k;

		if ((size_t)n <= TAP_HDR_LEN ||
		    frame_parse(frame + TAP_HDR_LEN, (size_t)n - TAP_HDR_LEN, &f) ||
		    f.proto != IPPROTO_TCP)
			continue;
		k = f.dport & 1;
		host_nxt[k] = f.seq + (uint32_t)f.payload_len + ((f.tcp_flags & TCPF_SYN) ? 1 : 0) +
			      ((f.tcp_flags & TCPF_FIN) ? 1 : 0);
	}
}

static void accept_peers(void)
{
	int fd;

	while ((fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		if (npeers == PEERS_MAX) {
			close(fd);
			continue;
		}
		peers[npeers++] = fd;
	}
}

static void dispatch_events(void)
{
	struct epoll_event ev[32];
	int n = epoll_wait(c.epoll_fd, ev, 32, 0), i;

	for (i = 0; i < n; i++)
		if ((ev[i].data.u64 >> 32) == EP_TCP)
			tcp_sock_event(&c, (int)(uint32_t)ev[i].data.u64, ev[i].events);
	tcp_flush_acks(&c);
}

static void run_timers(unsigned ms)
{
	int i;

	c.now_ms += ms;
	for (i = 0; i < flow_limit(); i++)
		if (flow_at(i)->proto == IPPROTO_TCP)
			tcp_timer(&c, i);
	tcp_sweep_bulk(&c);
	tcp_flush_acks(&c);
	tcp_flush_delayed(&c);
}

/* A host-side action on accepted connection @r[2] */
static void host_event(const uint8_t *r)
{
	int fd;
	ssize_t n;

	accept_peers();
	if (!npeers)
		return;
	fd = peers[r[2] % npeers];
	switch (r[1] & 3) {
	case 0:		/* the peer writes */
		n = send(fd, junk, (size_t)(r[3] | r[4] << 8) * 2 + 1, MSG_NOSIGNAL);
		(void)n;
		break;
	case 1:		/* the peer reads */
		while (read(fd, junk, sizeof(junk)) > 0)
			;
		break;
	case 2:
		shutdown(fd, SHUT_WR);
		break;
	case 3: {	/* the peer resets */
		struct linger l = { .l_onoff = 1, .l_linger = 0 };
		int i;

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
		close(fd);
		for (i = 0; i < npeers; i++)
			if (peers[i] == fd)
				peers[i] = peers[--npeers];
		break;
	}
	}
}

/* TCP options chosen by @sel; SACK blocks relative to @base */
static size_t guest_options(uint8_t sel, uint32_t base, const uint8_t *extra, uint8_t *o)
{
	size_t n = 0;

	if (sel & 1) {			/* MSS */
		o[n++] = 2;
		o[n++] = 4;
		o[n++] = extra[0];
		o[n++] = extra[1];
	}
	if (sel & 2) {			/* window scale */
		o[n++] = 1;
		o[n++] = 3;
		o[n++] = 3;
		o[n++] = extra[0] & 15;
	}
	if (sel & 4) {			/* SACK permitted */
		o[n++] = 1;
		o[n++] = 1;
		o[n++] = 4;
		o[n++] = 2;
	}
	if (sel & 8) {			/* one SACK block */
		o[n++] = 1;
		o[n++] = 1;
		o[n++] = 5;
		o[n++] = 10;
		put_be32(o + n, base + extra[0] * 1000u);
		put_be32(o + n + 4, base + extra[0] * 1000u + extra[1] * 100u);
		n += 8;
	}
	if (sel & 16) {			/* a malformed option */
		o[n++] = 30;
		o[n++] = (uint8_t)(extra[1] & 7);
		o[n++] = 0;
		o[n++] = 0;
	}
	return n;
}

/* A guest segment from record @r with @plen bytes of payload @p */
static void guest_segment(const uint8_t *r, const uint8_t *p, size_t plen)
{
	uint8_t *e = frame, *ip = e + ETH_HDR_LEN, *th = ip + IP4_HDR_LEN;
	int k = r[1] & 1;
	uint16_t sport = (uint16_t)(40000 + k + 2 * ((r[1] >> 4) & 7));	/* 16 tuples per port */
	uint16_t dport = (r[1] & 2) ? (uint16_t)(listen_port + 1) : listen_port;
	uint8_t flags = r[2] & 0x3f;
	uint32_t seq = guest_nxt[k] + (uint32_t)(int16_t)(r[3] | r[4] << 8);
	uint32_t ack = host_nxt[k] + (uint32_t)(int16_t)(r[5] | r[6] << 8);
	size_t optlen = guest_options(r[9], host_nxt[k], r + 10, th + TCP_HDR_LEN);
	size_t tcphl = TCP_HDR_LEN + ((optlen + 3) & ~(size_t)3);
	size_t tot = IP4_HDR_LEN + tcphl + plen;

	if ((flags & TCPF_SYN) && !(r[1] & 4))
		seq = guest_nxt[k] = (uint32_t)r[3] << 24 | (uint32_t)r[4] << 8 | 1;
	memset(th + TCP_HDR_LEN + optlen, 0, tcphl - TCP_HDR_LEN - optlen);
	memcpy(e, c.conf.gw_mac, 6);
	memcpy(e + 6, c.guest_mac, 6);
	put_be16(e + 12, ETHTYPE_IP4);
	memset(ip, 0, IP4_HDR_LEN);
	ip[0] = 0x45;
	put_be16(ip + 2, (uint16_t)tot);
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	memcpy(ip + 12, &c.conf.guest4, 4);
	memcpy(ip + 16, &c.conf.gw4, 4);
	put_be16(th, sport);
	put_be16(th + 2, dport);
	put_be32(th + 4, seq);
	put_be32(th + 8, ack);
	th[12] = (uint8_t)((tcphl / 4) << 4);
	th[13] = flags;
	put_be16(th + 14, (uint16_t)(r[7] | r[8] << 8));
	th[16] = th[17] = th[18] = th[19] = 0;
	memcpy(th + tcphl, p, plen);
	loop_frame(&c, frame, ETH_HDR_LEN + tot);
	tcp_flush_acks(&c);
	if (r[1] & 8)		/* the segment counts as sent in order */
		guest_nxt[k] = seq + (uint32_t)plen + ((flags & (TCPF_SYN | TCPF_FIN)) ? 1 : 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i = 0;
	int steps = 0;

	if (listen_fd < 0)
		setup();
	guest_nxt[0] = guest_nxt[1] = host_nxt[0] = host_nxt[1] = 0;
	while (i + REC_LEN <= size && steps++ < 256) {
		const uint8_t *r = data + i;
		size_t plen = 0;

		i += REC_LEN;
		switch (r[0] & 7) {
		case 0: case 1: case 2: case 3:
			plen = (size_t)(r[0] >> 3) * 64;
			if (plen > size - i)
				plen = size - i;
			guest_segment(r, data + i, plen);
			i += plen;
			break;
		case 4:
			run_timers((unsigned)r[1] * 8);
			break;
		case 5:
			host_event(r);
			break;
		default:
			accept_peers();
			dispatch_events();
			break;
		}
		read_tap();
		flow_reclaim();		/* between batches, as the loop does */
	}
	tcp_close_all(&c);
	flow_reclaim();
	read_tap();
	accept_peers();
	while (npeers)
		close(peers[--npeers]);
	if (flow_count() || ooo_in_use())
		abort();		/* something outlived its flow */
	return 0;
}
