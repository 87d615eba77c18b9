// SPDX-License-Identifier: GPL-2.0-or-later
/* loop.c - event loop and frame dispatch */

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "arp.h"
#include "autofwd.h"
#include "busypoll.h"
#include "clock.h"
#include "dhcp.h"
#include "flow.h"
#include "fwd.h"
#include "icmp.h"
#include "log.h"
#include "loop.h"
#include "ndp.h"
#include "nsfwd.h"
#include "nswatch.h"
#include "ooo.h"
#include "splice.h"
#include "tap.h"
#include "tcp.h"
#include "udp.h"

#define TAP_BATCH	64
/*
 * Guest bytes one tap event reads at most: the tap device is polled level
 * triggered, so what is left comes at the next loop turn, after the socket
 * events that came meanwhile (a bulk upload never holds another flow's reply
 * back by more than this much).
 */
#define TAP_TURN_BYTES	(256 << 10)
#define TICK_MS		100
#define REPORT_MS	10000		/* flow table warnings, at most this often */
#define FD_RESERVE	512		/* descriptors kept for listeners, API, splice */

static uint8_t tap_buf[TAP_BUF_LEN] __attribute__((aligned(64)));
static int pid_fd = -1;

static int ns_watch_fd = -1;	/* pasta: the namespace file's folder */

static int ep_add(struct ctx *c, int fd, uint32_t events, enum ep_type type)
{
	struct epoll_event ev = { .events = events, .data.u64 = EP_REF(type, 0) };

	if (epoll_ctl(c->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
		err("epoll_ctl(ADD, fd %d): %s", fd, strerror(errno));
		return -errno;
	}
	return 0;
}

/* Make room in the flow table: close flow @idx by its protocol */
static void loop_evict(void *arg, int idx)
{
	struct ctx *c = arg;

	switch (flow_at(idx)->proto) {
	case IPPROTO_TCP:
		tcp_evict(c, idx);
		break;
	case IPPROTO_UDP:
		udp_close(c, idx);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		icmp_close(c, idx);
		break;
	}
}

/* Flows the open files limit leaves room for (one descriptor each) */
static int flow_room(const struct rlimit *rl)
{
	if (rl->rlim_cur == RLIM_INFINITY || rl->rlim_cur >= FLOW_MAX + FD_RESERVE)
		return FLOW_MAX;
	if (rl->rlim_cur <= FD_RESERVE + 64)
		return 64;
	return (int)rl->rlim_cur - FD_RESERVE;
}

/* Say once in a while what the flow table's quotas did */
static void flow_report(struct ctx *c)
{
	static uint64_t last_ms, last_sum;
	const struct flow_stats *s = flow_stats();
	uint64_t sum = s->evicted[FLOW_L_HALF] + s->evicted[FLOW_L_DGRAM] + s->refused;

	if (sum == last_sum || (last_ms && c->now_ms - last_ms < REPORT_MS))
		return;
	last_ms = c->now_ms;
	last_sum = sum;
	warn("flow table: %d of %d in use; so far %llu half-open TCP and %llu idle "
	     "UDP/ICMP flows evicted, %llu new flows refused (quota reached: a forward's "
	     "%d %llu times, a remote address's %d %llu, all forwards' %d %llu, the "
	     "table's %llu)", flow_count(), flow_capacity(),
	     (unsigned long long)s->evicted[FLOW_L_HALF],
	     (unsigned long long)s->evicted[FLOW_L_DGRAM], (unsigned long long)s->refused,
	     FLOW_QUOTA_FWD, (unsigned long long)s->at_fwd, FLOW_QUOTA_SRC,
	     (unsigned long long)s->at_src, FLOW_QUOTA_INBOUND,
	     (unsigned long long)s->at_inbound, (unsigned long long)s->at_table);
}

int loop_init(struct ctx *c)
{
	struct itimerspec its = {
		.it_interval = { 0, TICK_MS * 1000000L },
		.it_value = { 0, TICK_MS * 1000000L },
	};
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	sigset_t mask;
	int r;

	/* one descriptor per flow: take the hard limit */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	flow_init(flow_room(&rl), loop_evict, c);
	if (flow_capacity() < FLOW_MAX)
		info("flow table: %d flows (open files limit %llu)", flow_capacity(),
		     (unsigned long long)rl.rlim_cur);

	busypoll_init(c->conf.busy_poll_us);
	c->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (c->epoll_fd < 0) {
		err("epoll_create1: %s", strerror(errno));
		return -errno;
	}
	c->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (c->timer_fd < 0 || timerfd_settime(c->timer_fd, 0, &its, NULL)) {
		err("timerfd: %s", strerror(errno));
		return -errno;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	c->signal_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (c->signal_fd < 0) {
		err("signalfd: %s", strerror(errno));
		return -errno;
	}
	if ((r = ep_add(c, c->tap_fd, EPOLLIN, EP_TAP)) ||
	    (r = ep_add(c, c->timer_fd, EPOLLIN, EP_TIMER)) ||
	    (r = ep_add(c, c->signal_fd, EPOLLIN, EP_SIGNAL)))
		return r;
	if (c->conf.exit_fd >= 0 && (r = ep_add(c, c->conf.exit_fd, EPOLLIN, EP_EXIT)))
		return r;
	if (c->conf.target_pid) {
		pid_fd = (int)syscall(SYS_pidfd_open, c->conf.target_pid, 0);
		if (pid_fd >= 0 && (r = ep_add(c, pid_fd, EPOLLIN, EP_TARGET)))
			return r;
	}
	if (c->conf.quit_path) {
		int w = nswatch_init(c->conf.quit_path);

		if (w < 0) {
			err("inotify watch on %s: %s", c->conf.quit_path, strerror(-w));
			return w;
		}
		ns_watch_fd = w;
		if ((r = ep_add(c, w, EPOLLIN, EP_NS_WATCH)))
			return r;
	}
	memcpy(c->guest_mac, "\xff\xff\xff\xff\xff\xff", 6);
	c->now_ms = clock_ms();
	return 0;
}

/* Whether pasta's --no-tcp, --no-udp, --no-icmp, --no-ndp or --no-ra drop @f */
static int protocol_off(const struct slirp_conf *cf, const struct frame *f)
{
	switch (f->proto) {
	case IPPROTO_TCP:
		return cf->no_tcp;
	case IPPROTO_UDP:
		return cf->no_udp && f->dport != 67 && f->dport != 547;
	case IPPROTO_ICMP:
		return cf->no_icmp;
	case IPPROTO_ICMPV6:
		if (f->icmp_type == 133)			/* router solicitation */
			return cf->no_ra || cf->no_ndp;
		if (f->icmp_type >= 134 && f->icmp_type <= 137)
			return cf->no_ndp;
		return cf->no_icmp;
	}
	return 0;
}

int loop_frame(struct ctx *c, const uint8_t *buf, size_t len)
{
	struct frame f;
	int r;

	c->stats.frames_in++;
	r = frame_parse(buf, len, &f);
	if (r < 0) {
		c->stats.drops[-r]++;
		return 0;
	}
	if (!(f.src_mac[0] & 1) && (memcmp(c->guest_mac, f.src_mac, 6))) {
		memcpy(c->guest_mac, f.src_mac, 6);
		c->guest_mac_known = 1;
	}
	switch (f.ethertype) {
	case ETHTYPE_ARP:
		if (!c->conf.disable_ipv4)
			arp_input(c, &f);
		return 0;
	case ETHTYPE_IP4:
		if (c->conf.disable_ipv4) {
			c->stats.dropped_policy++;
			return 0;
		}
		break;
	case ETHTYPE_IP6:
		if (!c->conf.ipv6) {
			c->stats.dropped_policy++;
			return 0;
		}
		break;
	}
	if (protocol_off(&c->conf, &f)) {
		c->stats.dropped_policy++;
		return 0;
	}
	switch (f.proto) {
	case IPPROTO_TCP:
		tcp_input(c, &f);
		return f.payload_len && (f.tcp_flags & TCPF_PSH);
	case IPPROTO_UDP:
		if (f.family == AF_INET && f.dport == 67) {
			if (!c->conf.no_dhcp)
				dhcp_input(c, &f);
			break;
		}
		if (f.family == AF_INET6 && f.dport == 547) {
			if (!c->conf.no_dhcpv6)
				dhcp6_input(c, &f);
			break;
		}
		if (f.family == AF_INET && (f.daddr.v4.s_addr == 0xffffffffu ||
					    (ntohl(f.daddr.v4.s_addr) >> 28) == 0xe)) {
			c->stats.dropped_policy++;
			break;
		}
		udp_input(c, &f);
		break;
	case IPPROTO_ICMP:
		icmp_input(c, &f);
		break;
	case IPPROTO_ICMPV6:
		if (f.icmp_type >= 133 && f.icmp_type <= 137)
			ndp_input(c, &f);
		else
			icmp_input(c, &f);
		break;
	}
	return 0;
}

static void tap_event(struct ctx *c, uint32_t events)
{
	size_t bytes = 0;
	int i;

	if (events & (EPOLLERR | EPOLLHUP)) {
		info("tap device gone: the network namespace was removed");
		c->quit = 1;
		return;
	}
	for (i = 0; i < TAP_BATCH && bytes < TAP_TURN_BYTES; i++) {
		ssize_t n = read(c->tap_fd, tap_buf, sizeof(tap_buf));

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			if (errno == EBADFD || errno == EIO) {
				info("tap device gone: %s", strerror(errno));
				c->quit = 1;
			}
			break;
		}
		if (n <= TAP_HDR_LEN) {
			c->stats.drops[FRAME_ERR_SHORT]++;
			continue;
		}
		bytes += (size_t)n;
		/*
		 * pushed data ends the batch: a lone request is served without
		 * the read that would only find the queue empty; anything behind
		 * it comes at the next turn (level triggered), after the socket
		 * events
		 */
		if (loop_frame(c, tap_buf + TAP_HDR_LEN, (size_t)n - TAP_HDR_LEN))
			break;
	}
	tcp_flush_acks(c);
}

static void timer_event(struct ctx *c)
{
	static uint64_t last_sweep;
	uint64_t ticks;
	int i, sweep;

	if (read(c->timer_fd, &ticks, sizeof(ticks)) < 0)
		return;
	sweep = c->now_ms - last_sweep >= 1000;
	if (sweep) {
		last_sweep = c->now_ms;
		autofwd_scan(c);
		nsfwd_scan(c);
	}
	for (i = 0; i < flow_limit(); i++) {
		struct flow *f = flow_at(i);

		switch (f->proto) {
		case IPPROTO_TCP:
			tcp_timer(c, i);
			break;
		case IPPROTO_UDP:
			if (sweep)
				udp_timer(c, i);
			break;
		case IPPROTO_ICMP:
		case IPPROTO_ICMPV6:
			if (sweep)
				icmp_timer(c, i);
			break;
		}
	}
	tcp_flush_acks(c);
	tcp_flush_delayed(c);
	ooo_trim(c->now_ms);
	api_timer(c);
	if (sweep)
		flow_report(c);
}

int loop_run(struct ctx *c)
{
	struct epoll_event evs[64];

	while (!c->quit) {
		/* delayed acknowledgements go out after 1 ms without a reply */
		int tmo = splice_more() || tcp_ready_flows() ? 0 :
			  (tcp_delayed_acks() || tcp_bulk_flows()) ? 1 : -1;
		int n = busypoll_wait(c->epoll_fd, evs, 64, tmo), i;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err("epoll_wait: %s", strerror(errno));
			return -errno;
		}
		c->now_ms = clock_ms();
		tcp_flush_delayed_due(c);	/* busy loops too: never 100 ms */
		tcp_sweep_bulk(c);
		if (n == 0) {
			if (tmo)
				tcp_flush_delayed(c);
			tcp_serve_ready(c);
			tcp_flush_acks(c);
			splice_flush(c);
			flow_reclaim();
			continue;
		}
		for (i = 0; i < n && !c->quit; i++) {
			uint64_t ref = evs[i].data.u64;
			int idx = (int)(uint32_t)ref;

			switch ((enum ep_type)(ref >> 32)) {
			case EP_TAP:
				tap_event(c, evs[i].events);
				break;
			case EP_TIMER:
				timer_event(c);
				break;
			case EP_SIGNAL:
				info("signal received, exiting");
				c->quit = 1;
				break;
			case EP_EXIT:
				info("exit requested (exit fd)");
				c->quit = 1;
				break;
			case EP_TARGET:	/* and with it, most likely, its namespace */
				info("target process %d exited, exiting", (int)c->conf.target_pid);
				c->quit = 1;
				c->ns_gone = 1;
				break;
			case EP_NS_WATCH:
				if (nswatch_event(ns_watch_fd)) {
					info("target namespace %s removed, exiting", c->conf.quit_path);
					c->quit = 1;
					c->ns_gone = 1;
				}
				break;
			case EP_TCP:
				tcp_sock_event(c, idx, evs[i].events);
				break;
			case EP_UDP:
				udp_sock_event(c, idx);
				break;
			case EP_ICMP:
				icmp_sock_event(c, idx);
				break;
			case EP_FWD:
				fwd_event(c, idx, evs[i].events);
				break;
			case EP_API:
				api_event(c);
				break;
			case EP_API_CLIENT:
				api_client_event(c, idx, evs[i].events);
				break;
			case EP_SPLICE:
				splice_event(c, idx, evs[i].events);
				break;
			case EP_SPLICE_HELPER:
				splice_helper_event(c, evs[i].events);
				break;
			case EP_NSFWD:
				nsfwd_event(c, idx, evs[i].events);
				break;
			case EP_NSFWD_UDP:
				nsfwd_udp_event(c, idx);
				break;
			}
		}
		tcp_serve_ready(c);	/* after the events: each flow one turn */
		tcp_flush_acks(c);
		if (splice_more())
			splice_flush(c);
		flow_reclaim();		/* no event of this batch names a freed entry now */
	}
	return 0;
}

void loop_cleanup(struct ctx *c)
{
	const struct slirp_stats *st = &c->stats;
	uint64_t hits, waits;
	unsigned window;
	int i;

	info("frames from the guest %llu, to the guest %llu (%llu failed), refused %llu, "
	     "acknowledgements asked for %llu",
	     (unsigned long long)st->frames_in, (unsigned long long)st->frames_out,
	     (unsigned long long)st->frames_out_err, (unsigned long long)st->dropped_policy,
	     (unsigned long long)st->ack_probes);
	busypoll_stats(&window, &hits, &waits);
	info("busy polling (up to %u us): %llu of %llu sleeps avoided, window %u us at exit",
	     c->conf.busy_poll_us, (unsigned long long)hits, (unsigned long long)waits, window);
	for (i = 1; i < FRAME_ERR_MAX; i++)
		if (st->drops[i])
			info("dropped malformed frames (%s): %llu", frame_err_name(i),
			     (unsigned long long)st->drops[i]);

	tcp_close_all(c);
	nsfwd_cleanup(c);
	splice_cleanup(c);
	for (i = 0; i < flow_limit(); i++) {
		struct flow *f = flow_at(i);

		if (f->proto == IPPROTO_UDP)
			udp_close(c, i);
		else if (f->proto == IPPROTO_ICMP || f->proto == IPPROTO_ICMPV6)
			icmp_close(c, i);
	}
	if (pid_fd >= 0)
		close(pid_fd);
	if (ns_watch_fd >= 0)
		close(ns_watch_fd);
	if (c->signal_fd >= 0)
		close(c->signal_fd);
	if (c->timer_fd >= 0)
		close(c->timer_fd);
	if (c->epoll_fd >= 0)
		close(c->epoll_fd);
	tap_close(c);
	c->signal_fd = c->timer_fd = c->epoll_fd = c->tap_fd = pid_fd = ns_watch_fd = -1;
}
