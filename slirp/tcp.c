// SPDX-License-Identifier: GPL-2.0-or-later
/* tcp.c - TCP translation between guest segments and host sockets */

#include <errno.h>
#include <stdio.h>
#include <linux/sockios.h>
#include <linux/virtio_net.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cleanup.h"
#include "clock.h"
#include "conf.h"
#include "flow.h"
#include "log.h"
#include "ooo.h"
#include "tap.h"
#include "tcp.h"

/* flow state bits */
#define TCP_F_CONNECTING	0x0001	/* connect() in progress */
#define TCP_F_ESTABLISHED	0x0002	/* SYN-ACK sent to the guest */
#define TCP_F_GUEST_FIN		0x0004	/* guest closed its side; socket shut for writing */
#define TCP_F_SOCK_EOF		0x0008	/* the host peer closed its side */
#define TCP_F_FIN_SENT		0x0010	/* our FIN went to the guest */
#define TCP_F_FIN_ACKED		0x0020	/* ... and the guest acknowledged it */
#define TCP_F_ACK_PENDING	0x0040	/* in the batch's acknowledgement list */
#define TCP_F_SND_BLOCKED	0x0080	/* socket refused guest data: guest must resend */
#define TCP_F_WND_CLOSED	0x0100	/* advertised window near zero: waiting for EPOLLOUT */
#define TCP_F_RDHUP		0x0200	/* EPOLLRDHUP seen */
#define TCP_F_MORE		0x0400	/* the socket may hold data not yet peeked */
#define TCP_F_ACK_DELAYED	0x0800	/* owes the guest an ack: in the delayed list */
#define TCP_F_SYN_SENT		0x1000	/* forwarded connection: our SYN went to the guest */
#define TCP_F_BULK		0x2000	/* bulk transfer to the guest: woken by the low mark */
#define TCP_F_BIG_PROBE		0x4000	/* a frame above 64 KiB waits for its ack (big_frames) */
#define TCP_F_SACK		0x8000	/* the guest offered SACK: our ACKs carry SACK blocks */

#define TCP_BATCH	16		/* frames per peek, at most */
#define PAYLOAD_OFF	128		/* room for the headers before each frame's payload */
#define PEEK_BYTES	(1 << 20)	/* payload one peek hands out, at most */
#define SEG_MAX		(65535 - IP6_HDR_LEN - TCP_HDR_LEN)	/* payload of one (GSO) frame */
/*
 * IPv4 frames of up to SEG_BIG payload (IP total length 0, as BIG TCP's GRO
 * makes them) when the kernel takes them (Linux 6.3 and later: the guest's
 * stack reads the length from the frame): one write, one skb and one pass
 * through the guest's TCP for four 64 KiB frames.  In a forward at full speed
 * burrow-slirp used ~10% and the guest's receiver ~15% less CPU.  512 KiB
 * frames were refused here; IPv6 would need a jumbo payload option and keeps
 * 64 KiB.
 */
#define SEG_BIG		(256 << 10)
#define OUR_WS		7		/* window scale we offer */
#define SNDBUF_WANT	(4 << 20)
#define RTO_MS		200
/*
 * Zero-window probes (RFC 9293 3.8.6.1), as Linux sends them: while the
 * guest's window is zero, nothing is in flight and host data waits, an ACK
 * one byte below the window makes the guest say its window again.  The first
 * goes RTO_MS after the last acknowledgement, each next one twice as late, at
 * most PERSIST_SHIFT doublings apart; PERSIST_PROBES unanswered in a row
 * (Linux's tcp_retries2) end the flow.  A guest that answers with a zero
 * window keeps the flow for as long as it likes.
 */
#define PERSIST_SHIFT	6		/* 12.8 s between probes at most */
#define PERSIST_PROBES	15
#define SACK_BLOCKS	4		/* SACK blocks per ACK: 36 bytes of options */
#define ACK_LIST_MAX	256
#define ACK_NOW_BYTES	16384		/* acknowledge at once from this much new data */
#define DISCARD_BYTES	(128 << 10)	/* consume acknowledged data in chunks this big */
#define DISCARD_IDLE	4096		/* ... or this big when nothing is in flight */
/*
 * Without SO_PEEK_OFF every peek starts at the socket's first unread byte, so
 * the bytes already sent to the guest and not yet acknowledged are peeked
 * into this buffer first and thrown away; its size caps what can be in flight
 * to the guest.  1 MiB: as much as one peek hands out (TCP_BATCH full
 * frames); at the tap path's round trips (~0.1 ms) that window carries far
 * more than we can copy, while every peek re-copies the in-flight part, so a
 * larger cap (like the 4 MiB a Linux guest's default tcp_rmem lets it
 * advertise) measured slower, not faster.  Static: nothing is allocated per
 * packet, and only pages ever written cost memory.
 */
#define PEEK_SKIP_LEN	(1 << 20)
/*
 * Bulk transfers towards the guest: while the guest holds at least
 * BULK_ENTER bytes unacknowledged (the tap side is the bottleneck and its
 * acks keep coming), the peer's segments wake us only once LOWAT_BULK new
 * bytes wait past what is in flight (SO_RCVLOWAT), not one by one: ten times
 * fewer wake-ups, and on two CPUs the time they cost goes to the peer and the
 * guest (the forward went from ~10.5 to ~13.5 Gbit/s).  Every guest ack
 * peeks, and so does a sweep every millisecond; under BULK_LEAVE in flight
 * the mark is one byte again, so the end of a transfer is never held back
 * and request/response traffic never sees the mark.
 */
#define BULK_ENTER	(512 << 10)
/*
 * Host data one flow hands the guest per loop turn, at most (one frame
 * above 64 KiB counts as one turn): a flow with more to send goes to the
 * ready list and gets its next turn after the events that came meanwhile, so
 * a bulk transfer never holds another flow's reply back by more than one
 * turn (writing 256 KiB to the tap device, the guest's receive path
 * included, takes some tens of microseconds).  One peek system call per
 * turn: against the copy and the writes of 256 KiB it does not count.
 */
#define TURN_BYTES	(256 << 10)
#define BULK_LEAVE	(128 << 10)
#define LOWAT_BULK	(256 << 10)

/* frames are built in place: each payload has PAYLOAD_OFF bytes of room before it */
static uint8_t peek_area[PEEK_BYTES + TCP_BATCH * PAYLOAD_OFF] __attribute__((aligned(64)));
static uint8_t ctl_slot[PAYLOAD_OFF] __attribute__((aligned(64)));
static int ack_list[ACK_LIST_MAX];
static int ack_count;
/*
 * Delayed acknowledgements, oldest first (a ring): each is due 1 ms after the
 * data it acknowledges came; an entry whose ack went out with other data
 * (a reply) is stale and dropped when it reaches the front.
 */
static struct { int idx; uint64_t due_us; } delayed_list[ACK_LIST_MAX];
static int delayed_head, delayed_count;
/*
 * Flows whose guest owes an acknowledgement or whose socket holds an
 * acknowledged rest, in the order they were queued (a ring): if the guest
 * has acknowledged nothing ACK_WANT_US after the flow's latest data, a probe
 * asks it to (tcp_want_ack()); an entry whose flow owes nothing is stale
 */
#define ACK_WANT_US	1000
static struct { int idx; uint64_t due_us; } want_list[ACK_LIST_MAX];
static int want_head, want_count;
static int ready_list[FLOW_MAX];	/* flows with more to send: served in turn */
static int ready_count;
static uint32_t isn_key;		/* tcp_isn()'s secret */
static int peek_off_ok;		/* SO_PEEK_OFF works for TCP sockets (tcp_init) */
static int bulk_count;		/* flows with TCP_F_BULK */
static enum { BIG_OFF, BIG_TRIAL, BIG_ON } big_frames;
/*
 * A probe that times out may only have met a slow guest (a loaded host, a
 * stopped container): frames above 64 KiB are given up after this many
 * unacknowledged probes in a row, not after the first
 */
#define BIG_PROBE_TRIES		3
static int big_probe_misses;
static uint64_t bulk_swept_ms;
static uint8_t peek_skip[PEEK_SKIP_LEN];
static uint32_t dsack[2];	/* D-SACK block for the ACK being sent, when dsack_on */
static int dsack_on;

static int seq_after(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static int seq_after_eq(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }

int tcp_init(int no_peek_off)
{
	int zero = 0;
	_cleanup_close_ int fd = -1;

	peek_off_ok = 0;
	if (getrandom(&isn_key, sizeof(isn_key), GRND_NONBLOCK) != sizeof(isn_key))
		isn_key = (uint32_t)clock_us() * 2654435761u;
	if (no_peek_off) {
		info("SO_PEEK_OFF not used (BURROW_SLIRP_NO_PEEK_OFF): peeking past in-flight data");
		return 0;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0) {
		warn("socket(TCP) to probe SO_PEEK_OFF: %s", strerror(errno));
		return -errno;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &zero, sizeof(zero))) {
		info("setsockopt(SO_PEEK_OFF) on TCP: %s (kernel older than 6.9?): "
		     "peeking past in-flight data instead", strerror(errno));
		return 0;
	}
	peek_off_ok = 1;
	return 1;
}

int tcp_big_frames_init(int off)
{
	struct utsname u;
	unsigned major = 0, minor = 0;

	big_frames = BIG_OFF;
	if (off) {
		info("frames above 64 KiB not used (BURROW_SLIRP_NO_BIG_FRAMES)");
		return 0;
	}
	if (uname(&u) || sscanf(u.release, "%u.%u", &major, &minor) != 2 ||
	    major < 6 || (major == 6 && minor < 3))
		return 0;
	big_frames = BIG_TRIAL;		/* until the first one is acknowledged */
	return 1;
}

/* Frames above 64 KiB did not get through: 64 KiB frames from now on */
static void tcp_big_frames_off(const char *why)
{
	if (big_frames == BIG_TRIAL) {
		info("frames above 64 KiB %s: 64 KiB frames from now on", why);
		big_frames = BIG_OFF;
	}
}

/*
 * Initial sequence number of @f towards the guest, chosen as RFC 6528 says
 * (and the kernel does): a keyed hash of the addresses and ports plus a clock
 * that ticks every 62.5 ns.  A new connection on the addresses and ports of
 * an earlier one so starts above the sequence numbers that one used, which
 * a guest still holding the earlier one in TIME-WAIT requires before it
 * takes the new SYN (a peer reusing its source port within the minute did
 * that: a random ISN below the old one was answered with the old
 * connection's acknowledgement, and the connection waited for the guest's
 * TIME-WAIT to end, 1 to 60 s).
 */
static uint32_t tcp_isn(const struct flow *f)
{
	return flow_tuple_hash(f, isn_key) + (uint32_t)(clock_us() << 4);
}

/* Effective segment size towards the guest */
static unsigned tcp_mss(const struct ctx *c, const struct flow *f)
{
	unsigned hdr = (f->family == AF_INET ? IP4_HDR_LEN : IP6_HDR_LEN) + TCP_HDR_LEN;
	unsigned mss = c->conf.mtu - hdr;

	if (f->tcp.guest_mss && f->tcp.guest_mss < mss)
		mss = f->tcp.guest_mss;
	return mss < 64 ? 64 : mss;
}

/* Index of a flow of the table */
static int tcp_flow_index(const struct flow *f)
{
	return (int)(f - flow_at(0));
}

/*
 * TCP options into @o (at most 40 bytes), a multiple of 4 long: SYN frames
 * carry MSS, window scale and SACK-permitted (a SYN-ACK only if the guest
 * offered SACK); frames without payload carry SACK blocks while data after a
 * gap waits in the flow's out-of-order queue (frames with payload are cut to
 * the MSS without room for options, and the guest sends most of the data).
 */
static size_t tcp_options(const struct ctx *c, const struct flow *f, uint8_t flags, size_t plen,
			  uint8_t *o)
{
	const struct tcp_flow *t = &f->tcp;
	uint32_t blocks[SACK_BLOCKS][2];
	size_t n = 0;
	int i, k = 0;

	if (flags & TCPF_SYN) {
		unsigned adv = c->conf.mtu - (f->family == AF_INET ? IP4_HDR_LEN : IP6_HDR_LEN) -
			       TCP_HDR_LEN;

		/* a whole number of the host socket's segments: each of the
		 * guest's full segments then leaves as full segments, with no
		 * runt (65480 = 65468 + 12 behind timestamps) costing the peer
		 * a segment and an acknowledgement of its own */
		if (t->host_mss && t->host_mss < adv)
			adv = adv / t->host_mss * t->host_mss;

		o[0] = 2;
		o[1] = 4;
		put_be16(o + 2, adv > 65535 ? 65535 : (uint16_t)adv);
		o[4] = 1;			/* NOP */
		o[5] = 3;
		o[6] = 3;
		o[7] = t->our_ws;
		if (!t->our_ws)		/* the guest offered no scaling: no option */
			o[4] = o[5] = o[6] = o[7] = 1;
		n = 8;
		if (!(flags & TCPF_ACK) || (t->flags & TCP_F_SACK)) {
			o[8] = o[9] = 1;
			o[10] = 4;
			o[11] = 2;
			n = 12;
		}
		return n;
	}
	if (plen || !(t->flags & TCP_F_SACK))
		return 0;
	if (dsack_on) {			/* RFC 2883: the duplicate first */
		blocks[0][0] = dsack[0];
		blocks[0][1] = dsack[1];
		k = 1;
	}
	if (ooo_slot_of(tcp_flow_index(f)) >= 0)
		k += ooo_sack(tcp_flow_index(f), blocks + k, SACK_BLOCKS - k);
	if (!k)
		return 0;
	o[0] = o[1] = 1;
	o[2] = 5;
	o[3] = (uint8_t)(2 + 8 * k);
	for (i = 0; i < k; i++) {
		put_be32(o + 4 + 8 * i, blocks[i][0]);
		put_be32(o + 8 + 8 * i, blocks[i][1]);
	}
	return 4 + 8 * (size_t)k;
}

/*
 * Build headers in front of @payload (which must have PAYLOAD_OFF bytes of
 * room before it) and send the frame.  @plen bytes of payload, TCP flags,
 * sequence number; options from tcp_options().
 */
static int tcp_send_frame(struct ctx *c, struct flow *f, uint8_t *payload, size_t plen,
			  uint8_t flags, uint32_t seq)
{
	struct tcp_flow *t = &f->tcp;
	size_t iphl = f->family == AF_INET ? IP4_HDR_LEN : IP6_HDR_LEN;
	uint8_t opts[40];
	size_t optlen = tcp_options(c, f, flags, plen, opts);
	size_t tcphl = TCP_HDR_LEN + optlen;
	uint8_t *start = payload - tcphl - iphl - ETH_HDR_LEN - TAP_HDR_LEN;
	uint8_t *th = payload - tcphl;
	struct virtio_net_hdr vh;
	unsigned mss = tcp_mss(c, f);
	uint32_t wnd = t->wnd_to_guest;
	uint16_t ck;

	tap_put_headers(c, start, f->family, &f->daddr, &f->gaddr, IPPROTO_TCP, tcphl + plen);
	put_be16(th, f->dport);
	put_be16(th + 2, f->gport);
	put_be32(th + 4, seq);
	put_be32(th + 8, t->seq_from_guest);
	t->ack_sent = t->seq_from_guest;
	t->flags &= (uint16_t)~TCP_F_ACK_DELAYED;	/* this frame carries the ack */
	th[12] = (uint8_t)((tcphl / 4) << 4);
	th[13] = flags;
	if (flags & TCPF_SYN)
		put_be16(th + 14, wnd > 65535 ? 65535 : (uint16_t)wnd);
	else {
		wnd >>= t->our_ws;
		put_be16(th + 14, wnd > 65535 ? 65535 : (uint16_t)wnd);
	}
	th[16] = th[17] = 0;
	th[18] = th[19] = 0;
	memcpy(th + TCP_HDR_LEN, opts, optlen);
	/* checksum left to the kernel: pseudo-header sum in the field */
	ck = (uint16_t)~csum_fold(csum_pseudo(f->family, &f->daddr, &f->gaddr,
					      IPPROTO_TCP, tcphl + plen));
	memcpy(th + 16, &ck, 2);
	memset(&vh, 0, sizeof(vh));
	vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh.csum_start = (uint16_t)(ETH_HDR_LEN + iphl);
	vh.csum_offset = 16;
	if (plen > mss) {
		vh.gso_type = f->family == AF_INET ? VIRTIO_NET_HDR_GSO_TCPV4
						   : VIRTIO_NET_HDR_GSO_TCPV6;
		vh.gso_size = (uint16_t)mss;
		vh.hdr_len = (uint16_t)(ETH_HDR_LEN + iphl + tcphl);
	}
	memcpy(start, &vh, sizeof(vh));
	if (tap_send(c, start, (size_t)(payload + plen - start)) < 0) {
		if (plen > SEG_MAX)	/* the retransmission sends it again, smaller */
			tcp_big_frames_off("refused by the tap device");
		return -1;
	}
	if (plen > SEG_MAX && big_frames == BIG_TRIAL && !(t->flags & TCP_F_BIG_PROBE)) {
		t->flags |= TCP_F_BIG_PROBE;
		t->probe_end = seq + (uint32_t)plen;
	}
	return 0;
}

/* A segment with no payload */
static void tcp_send_ctl(struct ctx *c, struct flow *f, uint8_t flags, uint32_t seq)
{
	tcp_send_frame(c, f, ctl_slot + PAYLOAD_OFF - 0, 0, flags, seq);
}

/* RST for a segment that has no flow */
static void tcp_rst_noflow(struct ctx *c, const struct frame *fr)
{
	struct flow tmp;

	memset(&tmp, 0, sizeof(tmp));
	tmp.family = (uint8_t)fr->family;
	memcpy(&tmp.gaddr, &fr->saddr, sizeof(tmp.gaddr));
	memcpy(&tmp.daddr, &fr->daddr, sizeof(tmp.daddr));
	tmp.gport = fr->sport;
	tmp.dport = fr->dport;
	if (fr->tcp_flags & TCPF_ACK) {
		tmp.tcp.seq_from_guest = 0;
		tcp_send_ctl(c, &tmp, TCPF_RST, fr->ack);
	} else {
		tmp.tcp.seq_from_guest = fr->seq + (uint32_t)fr->payload_len +
					 ((fr->tcp_flags & TCPF_SYN) ? 1 : 0) +
					 ((fr->tcp_flags & TCPF_FIN) ? 1 : 0);
		tcp_send_ctl(c, &tmp, TCPF_RST | TCPF_ACK, 0);
	}
}

/* Close the socket and free the flow; @rst_guest sends RST to the guest first */
static void tcp_close(struct ctx *c, int idx, int rst_guest, int rst_peer)
{
	struct flow *f = flow_at(idx);

	if (rst_guest)
		tcp_send_ctl(c, f, TCPF_RST | TCPF_ACK, f->tcp.seq_to_guest);
	if (f->tcp.flags & TCP_F_BULK)
		bulk_count--;
	if (f->fd >= 0) {
		if (rst_peer) {
			struct linger l = { .l_onoff = 1, .l_linger = 0 };

			setsockopt(f->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
		}
		close(f->fd);	/* the last reference: epoll forgets it too */
		f->fd = -1;
	}
	f->tcp.flags = 0;
	f->tcp.queued = 0;
	ooo_release(idx);
	flow_del(idx);
}

/*
 * The send buffer a host socket gets for SNDBUF_WANT (the kernel caps the
 * request at net.core.wmem_max and doubles it): the same for every socket,
 * so read from the first one and kept
 */
static uint32_t tcp_sndbuf(int fd)
{
	static uint32_t seen;
	int sndbuf = 0;
	socklen_t sl = sizeof(sndbuf);

	if (!seen) {
		if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &sl) || sndbuf <= 0)
			return 65536;
		seen = (uint32_t)sndbuf;
	}
	return seen;
}

/* Window we can offer the guest: room in the host socket's send buffer */
static void tcp_update_wnd(struct ctx *c, int idx)
{
	struct flow *f = flow_at(idx);
	uint32_t sndbuf = tcp_sndbuf(f->fd);	/* fixed by SO_SNDBUF at connect time */
	int outq = 0;
	long w;

	/* the estimate only grows between refreshes: ask the kernel when it matters */
	if (f->tcp.outq_est > sndbuf / 4) {
		if (ioctl(f->fd, SIOCOUTQ, &outq)) {
			f->tcp.wnd_to_guest = 65535;
			return;
		}
		f->tcp.outq_est = (uint32_t)outq;
	}
	w = (long)sndbuf * 2 / 3 - (long)f->tcp.outq_est;
	if (w < (long)tcp_mss(c, f) * 2) {
		struct epoll_event ev = {
			.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
			.data.u64 = EP_REF(EP_TCP, idx),
		};

		w = w < 0 ? 0 : w;
		/* re-arm: poll marks the socket "no space" so EPOLLOUT follows */
		if (!(f->tcp.flags & TCP_F_WND_CLOSED)) {
			f->tcp.flags |= TCP_F_WND_CLOSED;
			epoll_ctl(c->epoll_fd, EPOLL_CTL_MOD, f->fd, &ev);
		}
	}
	if (w > (65535L << f->tcp.our_ws))
		w = 65535L << f->tcp.our_ws;
	f->tcp.wnd_to_guest = (uint32_t)w;
}

static void tcp_ack_now(struct ctx *c, int idx)
{
	struct flow *f = flow_at(idx);

	tcp_update_wnd(c, idx);
	tcp_send_ctl(c, f, TCPF_ACK, f->tcp.seq_to_guest);
}

/* Queue an acknowledgement for the end of the batch */
static void tcp_ack_later(struct ctx *c, int idx)
{
	struct flow *f = flow_at(idx);

	if (f->tcp.flags & TCP_F_ACK_PENDING)
		return;
	if (ack_count == ACK_LIST_MAX) {
		tcp_ack_now(c, idx);
		return;
	}
	f->tcp.flags |= TCP_F_ACK_PENDING;
	ack_list[ack_count++] = idx;
}

/*
 * The guest's FIN may wait for its acknowledgement like a small request, while
 * the peer has not closed: the peer of a request/response protocol usually
 * closes within the moment, and our FIN then carries the acknowledgement (one
 * frame through the guest's stack fewer per connection).  Nothing waits on
 * it but the guest's FIN-WAIT-1 timer; a FIN retransmitted is answered at
 * once.  Once our FIN went out, the guest's ends the flow: no wait.
 */
static int tcp_fin_ack_can_wait(const struct tcp_flow *t)
{
	return !(t->flags & TCP_F_GUEST_FIN) || !(t->flags & (TCP_F_SOCK_EOF | TCP_F_FIN_SENT));
}

/*
 * At the end of a batch: acknowledge at once what needs it (much new data,
 * refused data, a window to reopen); a small request waits a moment for the
 * reply that will carry the acknowledgement, as a delayed ACK does.
 */
void tcp_flush_acks(struct ctx *c)
{
	int i;

	for (i = 0; i < ack_count; i++) {
		struct flow *f = flow_at(ack_list[i]);
		struct tcp_flow *t = &f->tcp;

		if (f->proto != IPPROTO_TCP || !(t->flags & TCP_F_ACK_PENDING))
			continue;
		t->flags &= (uint16_t)~TCP_F_ACK_PENDING;
		if (t->seq_from_guest - t->ack_sent < ACK_NOW_BYTES &&
		    t->seq_from_guest != t->ack_sent &&
		    !(t->flags & (TCP_F_SND_BLOCKED | TCP_F_WND_CLOSED)) &&
		    tcp_fin_ack_can_wait(t) && delayed_count < ACK_LIST_MAX) {
			if (!(t->flags & TCP_F_ACK_DELAYED)) {	/* else an older one is due first */
				int k = (delayed_head + delayed_count++) % ACK_LIST_MAX;

				t->flags |= TCP_F_ACK_DELAYED;
				delayed_list[k].idx = ack_list[i];
				delayed_list[k].due_us = clock_us() + 1000;
			}
			continue;
		}
		tcp_ack_now(c, ack_list[i]);
	}
	ack_count = 0;
}

/*
 * The host socket's full-sized segment (TCP_MAXSEG once connected), read
 * once per flow; RFC 9293's default 536 if the socket says nothing usable
 */
static unsigned tcp_host_mss(struct flow *f)
{
	if (!f->tcp.host_mss) {
		int v = 0;
		socklen_t l = sizeof(v);

		if (getsockopt(f->fd, IPPROTO_TCP, TCP_MAXSEG, &v, &l) || v <= 0 || v > 65535)
			v = 536;
		f->tcp.host_mss = (uint16_t)v;
	}
	return f->tcp.host_mss;
}

/*
 * Acknowledged data, nothing in flight: from how many bytes the socket is
 * emptied at once, DISCARD_IDLE or one of the peer's full-sized segments if
 * that is less: see tcp_ack_peer_now()
 */
static uint32_t tcp_discard_idle(struct flow *f)
{
	unsigned mss = tcp_host_mss(f);

	return mss < DISCARD_IDLE ? mss : DISCARD_IDLE;
}

/*
 * The guest has everything the socket held: have the socket acknowledge what
 * it still owes the peer now (TCP_QUICKACK), as it would for a reader that
 * just emptied it.  Data we peek stays queued until the guest acknowledges
 * it, and in request/response traffic (the kernel's ping-pong mode) an odd
 * full-sized segment then waits for the delayed-ACK timer; a peer that holds
 * its last small segment back for that acknowledgement (Nagle's algorithm,
 * the default) stalled 40 ms: 1% of 64 KiB round trips did.
 */
static void tcp_ack_peer_now(struct flow *f)
{
	int one = 1;

	setsockopt(f->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
}

/* Put flow @idx in want_list, due at @due_us, unless it is there already */
static void tcp_want_queue(int idx, uint64_t due_us)
{
	struct flow *f = flow_at(idx);
	int k;

	if (f->tcp.ack_wanted || want_count == ACK_LIST_MAX)
		return;
	k = (want_head + want_count++) % ACK_LIST_MAX;
	f->tcp.ack_wanted = 1;
	want_list[k].idx = idx;
	want_list[k].due_us = due_us;
}

/*
 * The flow sent the guest data: the socket acknowledges it to the peer only
 * once the guest does (tcp_ack_peer_now()), and a peer may wait for that
 * before it sends more (Nagle's algorithm holds its last small segment back).
 * A guest in request/response mode delays its acknowledgement of a lone
 * full-sized segment by 40 ms, so both sides waited.  Now the loop looks
 * ACK_WANT_US after the flow's latest data went out (tcp_flush_delayed_due()):
 * if the guest has acknowledged nothing since, a duplicate segment makes it
 * answer at once with its acknowledgement (tcp_send_ack_probe()); if it
 * acknowledged some, the flow is looked at again ACK_WANT_US later.  The
 * time is the flow's, not its list entry's: an entry queued for earlier data
 * would otherwise hold the probe back by up to ACK_WANT_US more.
 */
static void tcp_want_ack(int idx)
{
	struct tcp_flow *t = &flow_at(idx)->tcp;
	uint64_t due = clock_us() + ACK_WANT_US;

	t->want_acked = t->seq_acked;
	t->want_due = (uint32_t)due;
	tcp_want_queue(idx, due);
}

/* Bytes the guest acknowledged that are still in the socket */
static uint32_t tcp_acked_left(const struct tcp_flow *t)
{
	return t->seq_acked - ((t->flags & TCP_F_FIN_ACKED) ? 1 : 0) - t->seq_discarded;
}

/*
 * Whether want_list[@k]'s flow still has data in flight to the guest, or
 * acknowledged data in its socket
 */
static int tcp_want_owed(int k)
{
	struct flow *f = flow_at(want_list[k].idx);
	struct tcp_flow *t = &f->tcp;

	return f->proto == IPPROTO_TCP && t->ack_wanted && f->fd >= 0 &&
	       (t->seq_to_guest != t->seq_acked || tcp_acked_left(t));
}

/*
 * Drop the front entry of want_list.  An entry of a flow closed since may
 * meet the entry's index reused by a new flow: then that flow gets its probe
 * early or not at all, once (the same holds for delayed_list)
 */
static void tcp_want_pop(void)
{
	struct flow *f = flow_at(want_list[want_head].idx);

	if (f->proto == IPPROTO_TCP)
		f->tcp.ack_wanted = 0;
	want_head = (want_head + 1) % ACK_LIST_MAX;
	want_count--;
}

/*
 * Make the guest acknowledge at once: a segment that repeats the last byte it
 * acknowledged.  A duplicate of data is answered at once (and puts the
 * guest's TCP in quick-ack mode for a while); a bare acknowledgement below
 * the window would be answered at most twice a second (Linux rate-limits
 * those answers, net.ipv4.tcp_invalid_ratelimit), and was not, under load.
 * The byte itself is never used: the guest drops the duplicate, as for the
 * one-byte keep-alive probes of BSD stacks.
 */
static void tcp_send_ack_probe(struct ctx *c, struct flow *f)
{
	static uint8_t slot[PAYLOAD_OFF + 1] __attribute__((aligned(64)));

	tcp_send_frame(c, f, slot + PAYLOAD_OFF, 1, TCPF_ACK, f->tcp.seq_acked - 1);
}

/* Consume from the socket what the guest acknowledged and is still there */
static void tcp_discard_rest(struct flow *f)
{
	uint32_t n = tcp_acked_left(&f->tcp);

	if (n && recv(f->fd, NULL, n, MSG_TRUNC | MSG_DONTWAIT) > 0)
		f->tcp.seq_discarded += n;
}

/*
 * The guest acknowledged everything: consume the rest of that from the socket
 * and have it acknowledge to the peer now (tcp_ack_peer_now()), as a reader
 * that emptied it would
 */
static void tcp_discard_acked(struct flow *f)
{
	tcp_discard_rest(f);
	tcp_ack_peer_now(f);
}

/*
 * Probe the guests that acknowledged nothing in the ACK_WANT_US after their
 * flow sent them data, look again later at those that acknowledged some, and
 * empty the sockets of those that acknowledged everything but a rest below
 * the size tcp_guest_ack() empties at once; drop the entries of flows with
 * nothing left to do (without a clock read).  One probe per silence: if the
 * guest does not answer it either, the retransmission timer takes over.
 */
static void tcp_probe_wanted(struct ctx *c)
{
	uint64_t now = 0;

	while (want_count) {
		int idx = want_list[want_head].idx, owes = tcp_want_owed(want_head);
		struct flow *f = flow_at(idx);
		struct tcp_flow *t = &f->tcp;
		int32_t left;

		if (owes) {
			if (!now)
				now = clock_us();
			if (want_list[want_head].due_us > now)
				return;
		}
		tcp_want_pop();
		if (!owes)
			continue;
		left = (int32_t)(t->want_due - (uint32_t)now);
		if (t->seq_to_guest == t->seq_acked) {
			tcp_discard_acked(f);	/* all acknowledged: as a reader would */
		} else if (left > 0) {		/* data went out since the entry was queued */
			tcp_want_queue(idx, now + (uint64_t)left);
		} else if (t->seq_acked == t->want_acked) {
			tcp_send_ack_probe(c, f);
			t->ack_probed = 1;
			c->stats.ack_probes++;
		} else {
			tcp_want_ack(idx);
		}
	}
}

int tcp_delayed_acks(void)
{
	while (want_count && !tcp_want_owed(want_head))
		tcp_want_pop();		/* stale: the loop need not wake for it */
	return delayed_count + want_count;
}

/* Send the ack the front entry of the delayed list owes, if any, and drop the entry */
static void tcp_delayed_pop(struct ctx *c)
{
	int idx = delayed_list[delayed_head].idx;
	struct flow *f = flow_at(idx);

	delayed_head = (delayed_head + 1) % ACK_LIST_MAX;
	delayed_count--;
	if (f->proto != IPPROTO_TCP || !(f->tcp.flags & TCP_F_ACK_DELAYED))
		return;
	f->tcp.flags &= (uint16_t)~TCP_F_ACK_DELAYED;
	if (f->tcp.ack_sent != f->tcp.seq_from_guest)	/* no reply carried it */
		tcp_ack_now(c, idx);
}

/*
 * Delayed acknowledgements wait 1 ms, also while the loop never goes idle (a
 * bulk flow keeps it busy): a guest whose Nagle holds a request's tail waits
 * for this ack.  Stale entries at the front go without a clock read.
 */
void tcp_flush_delayed_due(struct ctx *c)
{
	uint64_t now = 0;

	tcp_probe_wanted(c);
	while (delayed_count) {
		struct flow *f = flow_at(delayed_list[delayed_head].idx);

		if (f->proto == IPPROTO_TCP && (f->tcp.flags & TCP_F_ACK_DELAYED)) {
			if (!now)
				now = clock_us();
			if (delayed_list[delayed_head].due_us > now)
				return;
		}
		tcp_delayed_pop(c);
	}
}

void tcp_flush_delayed(struct ctx *c)
{
	while (delayed_count)
		tcp_delayed_pop(c);
	tcp_probe_wanted(c);
}

/* Free the flow once both sides are closed and our FIN is acknowledged */
static int tcp_maybe_done(struct ctx *c, int idx)
{
	struct flow *f = flow_at(idx);
	uint16_t done = TCP_F_GUEST_FIN | TCP_F_FIN_ACKED;

	if ((f->tcp.flags & done) != done)
		return 0;
	if (f->tcp.flags & TCP_F_ACK_PENDING) {
		f->tcp.flags &= (uint16_t)~TCP_F_ACK_PENDING;
		tcp_ack_now(c, idx);
	}
	/*
	 * the guest acknowledged everything, but the last few kilobytes may
	 * still sit in the socket (discarded in chunks): unread data would turn
	 * close() into a reset that also drops what the peer has not yet read
	 */
	while (f->fd >= 0 && recv(f->fd, NULL, 1 << 20, MSG_TRUNC | MSG_DONTWAIT) == 1 << 20)
		;	/* the peer closed first (our FIN followed): less is all of it */
	tcp_close(c, idx, 0, 0);
	return 1;
}

/*
 * The flow has more to send than one turn allows, or waits for the end of the
 * batch: it joins the ready list (once).  Return: 0, or -1 if the list is
 * full (the caller sends now)
 */
static int tcp_queue_ready(int idx)
{
	struct tcp_flow *t = &flow_at(idx)->tcp;

	if (t->queued)
		return 0;
	if (ready_count == FLOW_MAX)
		return -1;
	t->queued = 1;
	ready_list[ready_count++] = idx;
	return 0;
}

/*
 * Send host data the guest has room for: peek at the socket past what is in
 * flight, TURN_BYTES at most (then the flow waits for its next turn)
 */
static void tcp_peek_to_guest(struct ctx *c, int idx)
{
	struct flow *f = flow_at(idx);
	struct tcp_flow *t = &f->tcp;
	size_t budget = TURN_BYTES;

	if (!(t->flags & TCP_F_ESTABLISHED) || (t->flags & TCP_F_FIN_SENT))
		return;
	for (;;) {
		uint32_t inflight = t->seq_to_guest - t->seq_acked;
		uint32_t skip = peek_off_ok ? 0 : t->seq_to_guest - t->seq_discarded;
		struct iovec iov[TCP_BATCH + 1];
		struct msghdr mh = { .msg_iov = iov + 1 };
		size_t room, want = 0, seg, mss = tcp_mss(c, f);
		ssize_t n;
		int i, k;

		if (inflight >= t->guest_wnd || skip >= PEEK_SKIP_LEN) {
			t->flags |= TCP_F_MORE;		/* resume on the guest's ack */
			return;
		}
		room = t->guest_wnd - inflight;
		if (room > PEEK_SKIP_LEN - skip && !peek_off_ok)
			room = PEEK_SKIP_LEN - skip;
		seg = (f->family == AF_INET && big_frames != BIG_OFF ? SEG_BIG : SEG_MAX) / mss * mss;
		if (seg == 0)
			seg = mss;
		if (!budget) {		/* this turn is over: the next one after the events */
			t->flags |= TCP_F_MORE;
			if (!tcp_queue_ready(idx))
				return;
			budget = TURN_BYTES;
		}
		if (room > budget)
			room = budget > seg ? budget : seg;
		for (k = 0; k < TCP_BATCH && want < room && want + seg <= PEEK_BYTES; k++) {
			size_t l = room - want < seg ? room - want : seg;

			iov[k + 1].iov_base = peek_area + (size_t)(k + 1) * PAYLOAD_OFF + want;
			iov[k + 1].iov_len = l;
			want += l;
		}
		mh.msg_iovlen = (size_t)k;
		if (skip) {		/* no peek offset: land the data after what is in flight */
			iov[0].iov_base = peek_skip;
			iov[0].iov_len = skip;
			mh.msg_iov = iov;
			mh.msg_iovlen++;
		}
		n = recvmsg(f->fd, &mh, MSG_PEEK | MSG_DONTWAIT);
		if (n > 0 && skip) {
			if ((size_t)n > skip) {
				n -= (ssize_t)skip;
			} else if (t->flags & TCP_F_RDHUP) {
				n = 0;	/* all of it is in flight and the peer closed */
			} else {	/* nothing new past the in-flight bytes yet */
				t->flags &= (uint16_t)~TCP_F_MORE;
				return;
			}
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR) {
				t->flags &= (uint16_t)~TCP_F_MORE;
				return;
			}
			tcp_close(c, idx, 1, 0);
			return;
		}
		if (n == 0) {		/* end of stream after everything peeked */
			t->flags &= (uint16_t)~TCP_F_MORE;
			t->flags |= TCP_F_SOCK_EOF | TCP_F_FIN_SENT;
			tcp_send_ctl(c, f, TCPF_FIN | TCPF_ACK, t->seq_to_guest);
			t->seq_to_guest++;
			f->last_ms = c->now_ms;
			return;
		}
		if (t->seq_to_guest == t->seq_acked)
			f->last_ms = c->now_ms;	/* the retransmission clock starts */
		for (i = 0; i < k && n > 0; i++) {
			size_t l = (size_t)n < iov[i + 1].iov_len ? (size_t)n : iov[i + 1].iov_len;
			uint8_t fl = TCPF_ACK;

			if ((size_t)n == l)
				fl |= TCPF_PSH;
			tcp_send_frame(c, f, iov[i + 1].iov_base, l, fl, t->seq_to_guest);
			t->seq_to_guest += (uint32_t)l;
			n -= (ssize_t)l;
		}
		tcp_want_ack(idx);
		if ((size_t)(t->seq_to_guest - t->seq_acked - inflight) < want &&
		    !(t->flags & TCP_F_RDHUP)) {
			t->flags &= (uint16_t)~TCP_F_MORE;
			return;		/* drained: wait for the next EPOLLIN */
		}
		budget -= want < budget ? want : budget;
	}
}

/*
 * Decide bulk mode and set the socket's low mark to match.  A flow is in bulk
 * from BULK_ENTER bytes in flight down to BULK_LEAVE, unless the guest's
 * window is full (nothing to send until its ack, which peeks anyway) or the
 * peer closed.  In bulk the mark is LOWAT_BULK bytes past the data in flight
 * (the kernel counts from the first undiscarded byte), set again only when it
 * moves by half of LOWAT_BULK, to spare system calls, and the next guest ack
 * peeks (TCP_F_MORE); out of it the mark is one byte.
 */
static void tcp_set_lowat(struct flow *f)
{
	struct tcp_flow *t = &f->tcp;
	uint32_t inflight = t->seq_to_guest - t->seq_acked, want = 0;
	int was = !!(t->flags & TCP_F_BULK), bulk, v;

	bulk = !(t->flags & (TCP_F_FIN_SENT | TCP_F_RDHUP)) && inflight < t->guest_wnd &&
	       inflight >= (was ? BULK_LEAVE : BULK_ENTER);
	if (bulk != was) {
		t->flags ^= TCP_F_BULK;
		bulk_count += bulk ? 1 : -1;
	}
	if (bulk) {
		t->flags |= TCP_F_MORE;
		want = t->seq_to_guest - t->seq_discarded + LOWAT_BULK;
	}
	if (want == t->lowat || (want && t->lowat &&
				 want - t->lowat + LOWAT_BULK / 2 < LOWAT_BULK))
		return;
	v = want ? (int)want : 1;
	if (!setsockopt(f->fd, SOL_SOCKET, SO_RCVLOWAT, &v, sizeof(v)))
		t->lowat = want;
}

/* Peek and send what the guest has room for, then set the wake-up mark */
static void tcp_sock_to_guest(struct ctx *c, int idx)
{
	struct flow *f = flow_at(idx);

	if (f->tcp.queued)	/* its turn comes in tcp_serve_ready() */
		return;
	tcp_peek_to_guest(c, idx);
	if (f->proto == IPPROTO_TCP && f->fd >= 0)
		tcp_set_lowat(f);
}

int tcp_bulk_flows(void)
{
	return bulk_count;
}

int tcp_ready_flows(void)
{
	return ready_count;
}

void tcp_serve_ready(struct ctx *c)
{
	int i, n = ready_count;

	for (i = 0; i < n; i++) {
		int idx = ready_list[i];
		struct flow *f = flow_at(idx);

		if (f->proto != IPPROTO_TCP || !f->tcp.queued)
			continue;	/* closed since, or served by an earlier entry */
		f->tcp.queued = 0;
		if (f->fd >= 0 && (f->tcp.flags & TCP_F_MORE))
			tcp_sock_to_guest(c, idx);
	}
	/* flows that want another turn were appended after the first n */
	memmove(ready_list, ready_list + n, (size_t)(ready_count - n) * sizeof(ready_list[0]));
	ready_count -= n;
}

void tcp_sweep_bulk(struct ctx *c)
{
	int i;

	if (!bulk_count || c->now_ms == bulk_swept_ms)
		return;
	bulk_swept_ms = c->now_ms;
	for (i = 0; i < flow_limit() && bulk_count; i++) {
		struct flow *f = flow_at(i);

		if (f->proto != IPPROTO_TCP || !(f->tcp.flags & TCP_F_BULK))
			continue;
		f->tcp.flags |= TCP_F_MORE;
		tcp_sock_to_guest(c, i);
	}
}

/* Send again from the first byte the guest did not acknowledge */
static void tcp_rewind(struct flow *f)
{
	struct tcp_flow *t = &f->tcp;
	int off = (int)(t->seq_acked - t->seq_discarded);

	if (t->flags & TCP_F_BIG_PROBE) {	/* the guest has not taken it (yet) */
		t->flags &= (uint16_t)~TCP_F_BIG_PROBE;
		if (++big_probe_misses >= BIG_PROBE_TRIES)
			tcp_big_frames_off("not acknowledged by the guest");
		else
			debug("a frame above 64 KiB not acknowledged yet: tried again");
	}
	t->seq_to_guest = t->seq_acked;
	t->flags &= (uint16_t)~(TCP_F_FIN_SENT | TCP_F_SOCK_EOF);
	t->flags |= TCP_F_MORE;
	if (peek_off_ok)	/* else the next peek skips seq_acked - seq_discarded */
		setsockopt(f->fd, SOL_SOCKET, SO_PEEK_OFF, &off, sizeof(off));
}

/* Guest acknowledged up to @ack: discard that much from the socket */
static void tcp_guest_ack(struct ctx *c, int idx, const struct frame *fr)
{
	struct flow *f = flow_at(idx);
	struct tcp_flow *t = &f->tcp;
	uint32_t ack = fr->ack, old_wnd = t->guest_wnd;
	int empties;

	t->guest_wnd = (uint32_t)fr->window << t->guest_ws;
	if ((t->flags & TCP_F_BIG_PROBE) && seq_after_eq(ack, t->probe_end)) {
		t->flags &= (uint16_t)~TCP_F_BIG_PROBE;
		if (big_frames == BIG_TRIAL) {
			debug("frames above 64 KiB acknowledged: kept");
			big_frames = BIG_ON;
		}
	}
	if (seq_after(ack, t->seq_acked) && seq_after_eq(t->seq_to_guest, ack)) {
		uint32_t n = ack - t->seq_acked;

		uint32_t data_acked = ack;

		if ((t->flags & TCP_F_FIN_SENT) && ack == t->seq_to_guest) {
			t->flags |= TCP_F_FIN_ACKED;
			data_acked--;
		}
		/*
		 * acknowledged data leaves the socket in chunks, fewer system calls;
		 * at once when nothing is in flight and it may hold a full-sized
		 * segment, so the peer's window never stays closed by data we hold
		 * and the socket acknowledges as a reader that emptied it would;
		 * at once too when this answers our probe: the peer has waited a
		 * millisecond for that acknowledgement already
		 */
		n = data_acked - t->seq_discarded;
		empties = ack == t->seq_to_guest && n &&
			  (n >= tcp_discard_idle(f) || t->ack_probed);
		if ((n >= DISCARD_BYTES || empties ||
		     (!peek_off_ok && n)) &&	/* every peek copies the undiscarded part */
		    recv(f->fd, NULL, n, MSG_TRUNC | MSG_DONTWAIT) > 0)
			t->seq_discarded += n;
		if (empties)
			tcp_ack_peer_now(f);
		t->seq_acked = ack;
		if (!empties && ack == t->seq_to_guest && tcp_acked_left(t))
			tcp_want_ack(idx);	/* the rest, if nothing follows it in 1 ms */
		t->ack_probed = 0;
		t->dup_acks = 0;
		t->retries = 0;
		f->last_ms = c->now_ms;
	} else if (t->seq_to_guest == t->seq_acked) {
		/* nothing in flight: this answers our probes, if any */
		t->dup_acks = 0;
		if (t->guest_wnd)
			t->retries = 0;
	} else if (ack == t->seq_acked && t->seq_to_guest != t->seq_acked &&
		   !fr->payload_len && !(fr->tcp_flags & (TCPF_SYN | TCPF_FIN)) &&
		   old_wnd == t->guest_wnd) {
		if (++t->dup_acks == 3) {
			/* fast retransmit: peek again from the first unacknowledged byte */
			tcp_rewind(f);
		}
	}
}

/*
 * Write the out-of-order data that now continues the stream to the socket,
 * as far as it takes it.  Return: 0, or -1 if the flow was closed
 */
static int tcp_ooo_drain(struct ctx *c, int idx)
{
	struct flow *f = flow_at(idx);
	struct tcp_flow *t = &f->tcp;
	struct iovec iov[2];
	size_t len;
	ssize_t n;
	int niov;

	ooo_advance(idx, t->seq_from_guest, c->now_ms);
	while ((len = ooo_ready(idx, t->seq_from_guest, iov, &niov))) {
		struct msghdr mh = { .msg_iov = iov, .msg_iovlen = (size_t)niov };

		n = sendmsg(f->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR) {
				tcp_close(c, idx, 1, 0);
				return -1;
			}
			n = 0;
		}
		t->seq_from_guest += (uint32_t)n;
		t->outq_est += (uint32_t)n;
		ooo_advance(idx, t->seq_from_guest, c->now_ms);
		if ((size_t)n < len) {
			t->flags |= TCP_F_SND_BLOCKED;
			break;
		}
	}
	return 0;
}

/*
 * A segment with nothing new: the guest sent it again (or it was held back
 * and its retransmission came first).  With SACK, say so at once in a D-SACK
 * block (RFC 2883), as Linux does: the guest learns that the network
 * reorders rather than loses, and waits longer before it retransmits.
 */
static void tcp_dup_data(struct ctx *c, int idx, const struct frame *fr)
{
	struct flow *f = flow_at(idx);

	if (!(f->tcp.flags & TCP_F_SACK) || (f->tcp.flags & TCP_F_SND_BLOCKED)) {
		tcp_ack_later(c, idx);
		return;
	}
	dsack[0] = fr->seq;
	dsack[1] = fr->seq + (uint32_t)fr->payload_len;
	dsack_on = 1;
	tcp_send_ctl(c, f, TCPF_ACK, f->tcp.seq_to_guest);
	dsack_on = 0;
}

/* Guest data: write what the socket takes, acknowledge only that */
static int tcp_guest_data(struct ctx *c, int idx, const struct frame *fr)
{
	struct flow *f = flow_at(idx);
	struct tcp_flow *t = &f->tcp;
	const uint8_t *p = fr->payload;
	size_t len = fr->payload_len;
	uint32_t seq = fr->seq;
	ssize_t n;

	if (seq_after(t->seq_from_guest, seq)) {	/* starts with old data */
		uint32_t skip = t->seq_from_guest - seq;

		if (skip >= len) {
			tcp_dup_data(c, idx, fr);
			return 0;
		}
		p += skip;
		len -= skip;
		seq += skip;
	}
	if (seq != t->seq_from_guest || (t->flags & TCP_F_GUEST_FIN)) {
		/*
		 * a gap (a frame lost before we read it): keep the segment if
		 * the queue has room, and say so at once, as a receiver does, with
		 * a duplicate ACK (same window, SACK blocks if offered) for every
		 * such segment, so that the guest retransmits the missing part
		 * now rather than when its timer fires.  Unless the gap is data
		 * the socket refused: then one acknowledgement per batch, with
		 * the window as it is now, slows the guest down instead.
		 */
		if (!(t->flags & TCP_F_GUEST_FIN))
			ooo_insert(idx, t->seq_from_guest, seq, p, len, c->now_ms);
		if (t->flags & TCP_F_SND_BLOCKED)
			tcp_ack_later(c, idx);
		else
			tcp_send_ctl(c, f, TCPF_ACK, t->seq_to_guest);
		return 0;
	}
	n = send(f->fd, p, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR) {
			tcp_close(c, idx, 1, 0);
			return -1;
		}
		n = 0;
	}
	t->seq_from_guest += (uint32_t)n;
	t->outq_est += (uint32_t)n;
	if ((size_t)n < len)
		t->flags |= TCP_F_SND_BLOCKED;
	if ((size_t)n == len && ooo_slot_of(idx) >= 0) {
		/* the gap is filled: what waited follows, acknowledged at once */
		if (tcp_ooo_drain(c, idx) < 0)
			return -1;
		tcp_ack_now(c, idx);
		return 1;
	}
	tcp_ack_later(c, idx);
	return (size_t)n == len;
}

/* New connection from the guest: a non-blocking connect() to the mapped destination */
static void tcp_connect(struct ctx *c, const struct frame *fr)
{
	struct sockaddr_storage sa;
	socklen_t salen;
	struct epoll_event ev;
	struct flow *f;
	int idx, fd, one = 1, zero = 0, sndbuf = SNDBUF_WANT;

	if (conf_map_dst(&c->conf, fr->family, &fr->daddr, fr->dport, IPPROTO_TCP,
			 &sa, &salen) < 0) {
		c->stats.dropped_policy++;
		tcp_rst_noflow(c, fr);
		return;
	}
	idx = flow_add(IPPROTO_TCP, fr->family, &fr->saddr, fr->sport, &fr->daddr, fr->dport);
	if (idx < 0) {
		c->stats.dropped_policy++;
		tcp_rst_noflow(c, fr);
		return;
	}
	ooo_release(idx);	/* a queue is never inherited, however the last flow ended */
	f = flow_at(idx);
	f->last_ms = c->now_ms;
	f->tcp.seq_from_guest = fr->seq + 1;
	f->tcp.guest_mss = fr->mss ? fr->mss : 536;
	f->tcp.guest_wnd = fr->window;
	if (fr->wscale >= 0) {
		f->tcp.guest_ws = (uint8_t)fr->wscale;
		f->tcp.our_ws = OUR_WS;
	}
	f->tcp.seq_to_guest = tcp_isn(f);
	f->tcp.seq_acked = f->tcp.seq_to_guest;

	fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0) {
		warn("socket(TCP): %s", strerror(errno));
		tcp_close(c, idx, 0, 0);
		tcp_rst_noflow(c, fr);
		return;
	}
	f->fd = fd;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	if (peek_off_ok)
		setsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &zero, sizeof(zero));
	if (conf_bind_outbound(&c->conf, fd, (struct sockaddr *)&sa) ||
	    (connect(fd, (struct sockaddr *)&sa, salen) && errno != EINPROGRESS)) {
		tcp_close(c, idx, 0, 0);
		tcp_rst_noflow(c, fr);
		return;
	}
	f->tcp.flags = TCP_F_CONNECTING | (fr->sack_ok ? TCP_F_SACK : 0);
	ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
	ev.data.u64 = EP_REF(EP_TCP, idx);
	if (epoll_ctl(c->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
		warn("epoll_ctl(ADD, TCP socket): %s", strerror(errno));
		tcp_close(c, idx, 0, 0);
		tcp_rst_noflow(c, fr);
	}
}

/* connect() finished (@events from epoll): answer the guest's SYN */
static void tcp_connected(struct ctx *c, int idx, uint32_t events)
{
	struct flow *f = flow_at(idx);
	int e = 0, failed = 0;
	socklen_t sl = sizeof(e);

	/* writable without an error or a hang-up is a connection made: the
	 * socket's error is read only when the kernel says there is one */
	if (events & (EPOLLERR | EPOLLHUP))
		failed = getsockopt(f->fd, SOL_SOCKET, SO_ERROR, &e, &sl) || e ||
			 !(events & EPOLLOUT);
	if (failed) {
		f->tcp.seq_to_guest = 0;
		tcp_send_ctl(c, f, TCPF_RST | TCPF_ACK, 0);
		tcp_close(c, idx, 0, 0);
		return;
	}
	/* data may already wait (a server's banner): its edge came with EPOLLOUT */
	f->tcp.flags = (uint16_t)((f->tcp.flags & ~TCP_F_CONNECTING) | TCP_F_ESTABLISHED |
				  TCP_F_MORE);
	f->last_ms = c->now_ms;		/* half-open until the guest acknowledges */
	tcp_host_mss(f);		/* the MSS our SYN-ACK offers follows it */
	tcp_update_wnd(c, idx);
	tcp_send_ctl(c, f, TCPF_SYN | TCPF_ACK, f->tcp.seq_to_guest);
	f->tcp.seq_to_guest++;
	f->tcp.seq_acked = f->tcp.seq_to_guest;
	f->tcp.seq_discarded = f->tcp.seq_to_guest;
}

/* Refuse an accepted connection with a reset, not an orderly close */
static void tcp_refuse(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

/*
 * The host's kernel accepted a connection on the addresses and ports of flow
 * @idx: it considers that one over (its TIME-WAIT takes a new SYN), while the
 * flow may still wait for the guest to acknowledge our FIN (a client that
 * reconnects from the same port at once is faster than that).  A flow that
 * has had everything but that FIN acknowledged gives way, as a kernel's
 * TIME-WAIT does (the guest takes the new SYN, or tcp_inbound_old_ack()
 * clears its old connection); one with data still unacknowledged keeps the
 * pair.  Return: 1 if the pair is free now
 */
static int tcp_inbound_reuse(struct ctx *c, int idx)
{
	struct flow *f = flow_at(idx);
	const struct tcp_flow *t = &f->tcp;

	if (!(t->flags & TCP_F_FIN_SENT) || (int32_t)(t->seq_to_guest - 1 - t->seq_acked) > 0)
		return 0;
	tcp_close(c, idx, 0, 0);
	return 1;
}

int tcp_inbound(struct ctx *c, int fd, int family, const void *saddr, uint16_t sport,
		uint16_t gport, int fwd)
{
	const void *gaddr = family == AF_INET ? (const void *)&c->conf.guest4
					      : (const void *)&c->conf.guest6;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET };
	int idx, one = 1, zero = 0, sndbuf = SNDBUF_WANT;
	struct flow *f;

	idx = flow_lookup(IPPROTO_TCP, family, gaddr, gport, saddr, sport);
	if (idx >= 0 && !tcp_inbound_reuse(c, idx)) {
		tcp_refuse(fd);
		return -EEXIST;
	}
	idx = flow_add_inbound(IPPROTO_TCP, family, gaddr, gport, saddr, sport, fwd);
	if (idx < 0) {
		tcp_refuse(fd);
		return idx;
	}
	ooo_release(idx);
	f = flow_at(idx);
	f->fd = fd;
	f->last_ms = c->now_ms;
	f->tcp.our_ws = OUR_WS;
	f->tcp.seq_to_guest = tcp_isn(f);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	if (peek_off_ok)
		setsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &zero, sizeof(zero));
	ev.data.u64 = EP_REF(EP_TCP, idx);
	if (epoll_ctl(c->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
		int e = -errno;

		tcp_close(c, idx, 0, 1);
		return e;
	}
	f->tcp.flags = TCP_F_SYN_SENT;
	tcp_host_mss(f);		/* the MSS our SYN offers follows it */
	tcp_update_wnd(c, idx);
	tcp_send_ctl(c, f, TCPF_SYN, f->tcp.seq_to_guest);
	f->tcp.seq_to_guest++;
	return idx;
}

/*
 * The guest answered our SYN with an acknowledgement of something else: a
 * connection on the same addresses and ports that it still holds (TIME-WAIT
 * after it closed first) answers in its place.  As RFC 9293 says for
 * SYN-SENT, a reset <SEQ=SEG.ACK> goes back, which ends that connection (a
 * guest with tcp_rfc1337 keeps it, and waits out TIME-WAIT), and our SYN
 * goes again at once, once: later ones keep the timer's pace, however often
 * the guest answers so.
 */
static void tcp_inbound_old_ack(struct ctx *c, int idx, const struct frame *fr)
{
	struct flow *f = flow_at(idx);

	tcp_send_ctl(c, f, TCPF_RST, fr->ack);
	if (f->tcp.retries)
		return;
	f->tcp.retries = 1;
	f->last_ms = c->now_ms;
	tcp_send_ctl(c, f, TCPF_SYN, f->tcp.seq_to_guest - 1);
}

/* The guest answered our SYN: the flow joins the ordinary data path */
static void tcp_inbound_synack(struct ctx *c, int idx, const struct frame *fr)
{
	struct flow *f = flow_at(idx);
	struct tcp_flow *t = &f->tcp;

	if ((fr->tcp_flags & TCPF_ACK) && fr->ack != t->seq_to_guest) {
		tcp_inbound_old_ack(c, idx, fr);
		return;
	}
	if ((fr->tcp_flags & (TCPF_SYN | TCPF_ACK)) != (TCPF_SYN | TCPF_ACK))
		return;
	t->seq_from_guest = fr->seq + 1;
	t->guest_mss = fr->mss ? fr->mss : 536;
	t->guest_wnd = fr->window;
	if (fr->wscale >= 0)
		t->guest_ws = (uint8_t)fr->wscale;
	else
		t->our_ws = 0;		/* scaling needs both sides */
	t->seq_acked = t->seq_discarded = t->seq_to_guest;
	t->retries = 0;
	t->flags = (uint16_t)((t->flags & TCP_F_RDHUP) | TCP_F_ESTABLISHED | TCP_F_MORE |
			      (fr->sack_ok ? TCP_F_SACK : 0));
	f->last_ms = c->now_ms;
	flow_established(idx);
	tcp_ack_now(c, idx);
	tcp_sock_to_guest(c, idx);
}

/*
 * The handshake's segment to the guest is still unanswered after 1, 2, 4, 8,
 * 16 s: send it again (FLAGS, sequence SEQ); 32 s after the last, give the
 * connection up (63 s, as the kernel's tcp_syn_retries and tcp_synack_retries
 * = 5 do), resetting the guest's side when it had answered (SYN-RECV)
 */
static void tcp_handshake_timer(struct ctx *c, int idx, uint8_t flags, uint32_t seq, int rst_guest)
{
	struct flow *f = flow_at(idx);

	if (c->now_ms - f->last_ms < (uint64_t)1000 << f->tcp.retries)
		return;
	if (++f->tcp.retries > 5) {
		tcp_close(c, idx, rst_guest, 1);
		return;
	}
	f->last_ms = c->now_ms;
	tcp_send_ctl(c, f, flags, seq);
}

/* The guest acknowledged our SYN-ACK (or data past it): the flow is open */
static void tcp_synack_acked(int idx, const struct frame *fr)
{
	struct tcp_flow *t = &flow_at(idx)->tcp;

	if (!(t->flags & TCP_F_ESTABLISHED) || !seq_after_eq(fr->ack, t->seq_acked) ||
	    !seq_after_eq(t->seq_to_guest, fr->ack))
		return;
	t->retries = 0;
	flow_established(idx);
}

void tcp_evict(struct ctx *c, int idx)
{
	tcp_close(c, idx, 1, 1);
}

void tcp_input(struct ctx *c, const struct frame *fr)
{
	uint8_t fl = fr->tcp_flags;
	struct flow *f;
	int idx;

	idx = flow_lookup(IPPROTO_TCP, fr->family, &fr->saddr, fr->sport, &fr->daddr, fr->dport);
	if (idx < 0) {
		if (fl & TCPF_RST)
			return;
		if ((fl & (TCPF_SYN | TCPF_ACK)) == TCPF_SYN)
			tcp_connect(c, fr);
		else
			tcp_rst_noflow(c, fr);
		return;
	}
	f = flow_at(idx);
	if (fl & TCPF_RST) {
		tcp_close(c, idx, 0, 1);
		return;
	}
	if (f->tcp.flags & TCP_F_SYN_SENT) {
		tcp_inbound_synack(c, idx, fr);
		return;
	}
	if (f->tcp.flags & TCP_F_CONNECTING)
		return;			/* SYN retransmission while connecting */
	if (fl & TCPF_SYN) {
		/* our SYN-ACK was lost: say it again */
		if (!(fl & TCPF_ACK) && fr->seq + 1 == f->tcp.seq_from_guest &&
		    f->tcp.seq_acked == f->tcp.seq_to_guest) {
			f->tcp.seq_to_guest--;
			tcp_send_ctl(c, f, TCPF_SYN | TCPF_ACK, f->tcp.seq_to_guest);
			f->tcp.seq_to_guest++;
		}
		return;
	}
	if ((fl & TCPF_ACK) && f->list == FLOW_L_HALF)
		tcp_synack_acked(idx, fr);
	if (fl & TCPF_ACK)
		tcp_guest_ack(c, idx, fr);
	if (fr->payload_len) {
		int r = tcp_guest_data(c, idx, fr);

		if (r < 0)
			return;
		if (r == 0 && (fl & TCPF_FIN))
			fl &= (uint8_t)~TCPF_FIN;	/* FIN only after all its data */
	}
	if ((fl & TCPF_FIN) && !(f->tcp.flags & TCP_F_GUEST_FIN) &&
	    fr->seq + (uint32_t)fr->payload_len == f->tcp.seq_from_guest) {
		shutdown(f->fd, SHUT_WR);
		f->tcp.seq_from_guest++;
		f->tcp.flags |= TCP_F_GUEST_FIN;
		tcp_ack_later(c, idx);
	} else if ((fl & TCPF_FIN) && (f->tcp.flags & TCP_F_GUEST_FIN)) {
		tcp_ack_later(c, idx);		/* FIN retransmitted */
	}
	if (tcp_maybe_done(c, idx))
		return;
	/* the acks of one batch send once, after it, in the flow's turn */
	if ((f->tcp.flags & TCP_F_MORE) && tcp_queue_ready(idx))
		tcp_sock_to_guest(c, idx);
}

void tcp_sock_event(struct ctx *c, int idx, uint32_t events)
{
	struct flow *f = flow_at(idx);

	if (f->proto != IPPROTO_TCP || f->fd < 0)
		return;
	if (f->tcp.flags & TCP_F_CONNECTING) {
		if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			tcp_connected(c, idx, events);
		return;
	}
	if (f->tcp.flags & TCP_F_SYN_SENT) {	/* data waits for the guest's SYN-ACK */
		if (events & EPOLLRDHUP)
			f->tcp.flags |= TCP_F_RDHUP;
		return;
	}
	if (events & EPOLLERR) {
		int e = 0;
		socklen_t sl = sizeof(e);

		getsockopt(f->fd, SOL_SOCKET, SO_ERROR, &e, &sl);
		if (e) {
			tcp_close(c, idx, 1, 0);
			return;
		}
	}
	if (events & EPOLLRDHUP)
		f->tcp.flags |= TCP_F_RDHUP;
	if (events & EPOLLOUT) {
		if (f->tcp.flags & TCP_F_SND_BLOCKED) {
			/* duplicate acks make the guest resend what we refused */
			f->tcp.flags &= (uint16_t)~(TCP_F_SND_BLOCKED | TCP_F_WND_CLOSED);
			if (tcp_ooo_drain(c, idx) < 0)
				return;
			tcp_ack_now(c, idx);
			tcp_ack_now(c, idx);
			tcp_ack_now(c, idx);
		} else if (f->tcp.flags & TCP_F_WND_CLOSED) {
			f->tcp.flags &= (uint16_t)~TCP_F_WND_CLOSED;
			tcp_ack_now(c, idx);
		}
	}
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) {
		f->tcp.flags |= TCP_F_MORE;
		tcp_sock_to_guest(c, idx);
	}
}

/*
 * The guest's window is zero, nothing is in flight and host data waits: probe
 * the window (its update may have been lost), backing off, and give up after
 * PERSIST_PROBES probes in a row go unanswered.  retries counts the doublings,
 * dup_acks the unanswered probes (both unused while nothing is in flight).
 */
static void tcp_persist(struct ctx *c, int idx)
{
	struct flow *f = flow_at(idx);
	struct tcp_flow *t = &f->tcp;
	unsigned shift = t->retries > PERSIST_SHIFT ? PERSIST_SHIFT : t->retries;

	if (c->now_ms - f->last_ms < (uint64_t)RTO_MS << shift)
		return;
	if (++t->dup_acks > PERSIST_PROBES) {	/* the guest stopped answering */
		tcp_close(c, idx, 1, 1);
		return;
	}
	if (t->retries < PERSIST_SHIFT)
		t->retries++;
	f->last_ms = c->now_ms;
	tcp_send_ctl(c, f, TCPF_ACK, t->seq_to_guest - 1);
}

void tcp_timer(struct ctx *c, int idx)
{
	struct flow *f = flow_at(idx);
	struct tcp_flow *t = &f->tcp;

	if (t->flags & TCP_F_SYN_SENT) {	/* no SYN-ACK yet */
		tcp_handshake_timer(c, idx, TCPF_SYN, t->seq_to_guest - 1, 0);
		return;
	}
	if (!(t->flags & TCP_F_ESTABLISHED))
		return;
	if (f->list == FLOW_L_HALF) {	/* our SYN-ACK unacknowledged */
		tcp_handshake_timer(c, idx, TCPF_SYN | TCPF_ACK, t->seq_acked - 1, 1);
		return;
	}
	tcp_discard_rest(f);		/* leftovers of chunked discards */
	if (t->seq_to_guest == t->seq_acked) {
		if (!t->guest_wnd && (t->flags & TCP_F_MORE) && !(t->flags & TCP_F_FIN_SENT))
			tcp_persist(c, idx);
		return;
	}
	if (c->now_ms - f->last_ms < (uint64_t)RTO_MS << (t->retries > 6 ? 6 : t->retries))
		return;
	if (++t->retries > 12) {		/* the guest stopped answering */
		tcp_close(c, idx, 1, 1);
		return;
	}
	tcp_rewind(f);
	f->last_ms = c->now_ms;
	if (t->guest_wnd == 0)
		t->guest_wnd = 1;		/* probe a zero window */
	tcp_sock_to_guest(c, idx);
}

void tcp_close_all(struct ctx *c)
{
	int i;

	for (i = 0; i < flow_limit(); i++)
		if (flow_at(i)->proto == IPPROTO_TCP)
			tcp_close(c, i, 1, 1);
}
