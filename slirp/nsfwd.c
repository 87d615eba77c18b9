// SPDX-License-Identifier: GPL-2.0-or-later
/* nsfwd.c - pasta's -T/-U: the namespace's loopback ports reach the host's */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "autofwd.h"
#include "fwd.h"
#include "log.h"
#include "nsfwd.h"
#include "portspec.h"
#include "splice.h"

#define ARGS_MAX	256		/* runs of ports from -T/-U lists */
#define ACCEPT_BATCH	64
#define UDP_BATCH	32
#define UDP_IDLE_MS	30000		/* conntrack's nf_conntrack_udp_timeout */
#define UDP_STREAM_MS	120000		/* ... and _timeout_stream, once both sent */

/* One forwarded namespace port: sockets on 127.0.0.1 and ::1 */
struct nsl {
	uint8_t used;
	uint8_t is_auto;		/* from -T/-U auto: closed when the host stops */
	uint16_t port;			/* in the namespace */
	uint16_t hport;			/* on the host's loopback */
	int fd[2];			/* [0] IPv4, [1] IPv6; -1: none */
};

/* One UDP client of a namespace port, and its socket on the host */
struct uflow {
	uint8_t used, both;		/* both: the host answered */
	int hfd;			/* connected to the host's loopback */
	int lfd;			/* the namespace socket it came on (not ours) */
	struct sockaddr_storage peer;	/* the client in the namespace */
	socklen_t peer_len;
	uint64_t last_ms;
};

static struct port_fwd args[ARGS_MAX];
static int nargs, nports[2];
static struct nsl nsls[2][NSFWD_PORTS_MAX];	/* [0] TCP, [1] UDP */
static int nnsls[2];
static int at_quota[2];				/* -T/-U auto: warned about the quota */
static uint8_t have[2][65536 / 8];		/* namespace ports with a struct nsl */
static uint8_t seen[65536 / 8], ours[65536 / 8];
static int host_proc[4] = { -1, -1, -1, -1 };	/* the host's tcp, tcp6, udp, udp6 */
static struct uflow uflows[NSFWD_UDP_FLOWS];
static uint8_t dgram[65536];

static int bit(const uint8_t *map, unsigned p) { return map[p >> 3] & (1u << (p & 7)); }
static void bit_set(uint8_t *map, unsigned p) { map[p >> 3] |= (uint8_t)(1u << (p & 7)); }
static void bit_clear(uint8_t *map, unsigned p) { map[p >> 3] &= (uint8_t)~(1u << (p & 7)); }

/* epoll reference of listener @slot of protocol @pi, family index @f */
static uint32_t lsn_ref(int pi, int slot, int f) { return (uint32_t)(pi << 24 | slot << 1 | f); }

int nsfwd_parse(const char *spec, int proto, char *err, size_t errlen)
{
	int pi = proto == IPPROTO_UDP, r, i, n = 0;

	r = portspec_parse_pasta(spec, proto, args + nargs, (size_t)(ARGS_MAX - nargs), err,
				 errlen);
	if (r < 0)
		return r == -ENOSPC ? (snprintf(err, errlen, "too many forwards"), -ENOSPC) : r;
	for (i = nargs; i < nargs + r; i++) {
		if (args[i].host_addr.family) {	/* pasta: no address for -T/-U */
			snprintf(err, errlen, "an address only binds -t and -u forwards");
			return -EINVAL;
		}
		n += args[i].count;
	}
	if (nports[pi] + n > NSFWD_PORTS_MAX) {
		snprintf(err, errlen, "more than %d ports", NSFWD_PORTS_MAX);
		return -ENOSPC;
	}
	nports[pi] += n;
	nargs += r;
	return 0;
}

int nsfwd_wanted(const struct ctx *c)
{
	return nargs || c->conf.auto_tcp_ns || c->conf.auto_udp_ns;
}

static void uflow_close(struct ctx *c, int i)
{
	struct uflow *u = &uflows[i];

	if (!u->used)
		return;
	epoll_ctl(c->epoll_fd, EPOLL_CTL_DEL, u->hfd, NULL);
	close(u->hfd);
	u->used = 0;
}

static void nsl_close(struct ctx *c, int pi, int slot)
{
	struct nsl *l = &nsls[pi][slot];
	int f, i;

	for (f = 0; f < 2; f++) {
		if (l->fd[f] < 0)
			continue;
		for (i = 0; pi && i < NSFWD_UDP_FLOWS; i++)
			if (uflows[i].used && uflows[i].lfd == l->fd[f])
				uflow_close(c, i);
		epoll_ctl(c->epoll_fd, EPOLL_CTL_DEL, l->fd[f], NULL);
		close(l->fd[f]);
		l->fd[f] = -1;
	}
	bit_clear(have[pi], l->port);
	l->used = 0;
	nnsls[pi]--;
}

/* Sockets for namespace port @port to host port @hport on the namespace's
 * loopback of each family the namespace has.  Return: 0 if one was bound,
 * -ENOSPC over the quota, else the bind error */
static int nsl_open(struct ctx *c, int pi, uint16_t port, uint16_t hport, int is_auto)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int slot, f, r = -EAFNOSUPPORT;
	struct nsl *l;

	for (slot = 0; slot < NSFWD_PORTS_MAX && nsls[pi][slot].used; slot++)
		;
	if (slot == NSFWD_PORTS_MAX)
		return -ENOSPC;
	l = &nsls[pi][slot];
	l->fd[0] = l->fd[1] = -1;
	for (f = 0; f < 2; f++) {
		int fd;

		if (f ? !c->conf.ipv6 : c->conf.disable_ipv4)
			continue;
		fd = splice_ns_listener(c, f ? AF_INET6 : AF_INET,
					pi ? IPPROTO_UDP : IPPROTO_TCP, port);
		if (fd < 0) {
			r = fd;
			continue;
		}
		ev.data.u64 = EP_REF(EP_NSFWD, lsn_ref(pi, slot, f));
		if (epoll_ctl(c->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
			r = -errno;
			close(fd);
			continue;
		}
		l->fd[f] = fd;
	}
	if (l->fd[0] < 0 && l->fd[1] < 0)
		return r;
	l->used = 1;
	l->is_auto = (uint8_t)is_auto;
	l->port = port;
	l->hport = hport;
	bit_set(have[pi], port);
	nnsls[pi]++;
	return 0;
}

int nsfwd_start(struct ctx *c)
{
	static const char *const paths[4] = {
		"/proc/net/tcp", "/proc/net/tcp6", "/proc/net/udp", "/proc/net/udp6",
	};
	int i, p, r;

	for (i = 0; i < 4; i++) {
		if (!(i < 2 ? c->conf.auto_tcp_ns : c->conf.auto_udp_ns))
			continue;
		host_proc[i] = open(paths[i], O_RDONLY | O_CLOEXEC);
		if (host_proc[i] < 0 && (errno != ENOENT || !(i & 1))) {
			err("open(%s): %s", paths[i], strerror(errno));
			return -errno;
		}
	}
	for (i = 0; i < nargs; i++) {
		const struct port_fwd *a = &args[i];
		int pi = a->proto == IPPROTO_UDP;

		for (p = 0; p < a->count; p++) {
			unsigned port = a->host_port + (unsigned)p;

			if (bit(have[pi], port))
				continue;		/* listed twice: the first stays */
			r = nsl_open(c, pi, (uint16_t)port, (uint16_t)(a->guest_port + p), 0);
			if (r < 0)
				warn("-%c: namespace port %u not forwarded: bind(loopback:%u): %s",
				     pi ? 'U' : 'T', port, port, strerror(-r));
		}
	}
	nsfwd_scan(c);
	return 0;
}

/* Host ports the host side of our own -t/-u forwards holds (never followed
 * back into the namespace), into ours[] */
static void mark_ours(int proto)
{
	struct port_fwd pf;
	int pos = 0, id, p;

	memset(ours, 0, sizeof(ours));
	while ((pos = fwd_next(pos, &id, &pf, NULL)))
		for (p = 0; pf.proto == proto && p < pf.count; p++)
			bit_set(ours, (unsigned)pf.host_port + (unsigned)p);
}

/* -T/-U auto for protocol @pi: the host's listening ports into the namespace */
static void follow(struct ctx *c, int pi)
{
	unsigned state = pi ? 0x07 : 0x0A;
	int slot, p, r;

	memset(seen, 0, sizeof(seen));
	if (host_proc[pi * 2] >= 0)
		autofwd_read_ports(host_proc[pi * 2], state, 1, seen);
	if (host_proc[pi * 2 + 1] >= 0)
		autofwd_read_ports(host_proc[pi * 2 + 1], state, 1, seen);
	mark_ours(pi ? IPPROTO_UDP : IPPROTO_TCP);
	for (slot = 0; slot < NSFWD_PORTS_MAX; slot++) {
		struct nsl *l = &nsls[pi][slot];

		if (!l->used || !l->is_auto || (bit(seen, l->port) && !bit(ours, l->port)))
			continue;
		debug("-%c auto: the host stopped listening on port %u", pi ? 'U' : 'T', l->port);
		nsl_close(c, pi, slot);
	}
	if (nnsls[pi] < NSFWD_PORTS_MAX)
		at_quota[pi] = 0;
	for (p = 1; p < 65536; p++) {
		if (!bit(seen, (unsigned)p) || bit(ours, (unsigned)p) || bit(have[pi], (unsigned)p))
			continue;
		r = nsl_open(c, pi, (uint16_t)p, (uint16_t)p, 1);
		if (r == -ENOSPC) {	/* said once each time the quota is reached */
			if (!at_quota[pi])
				warn("-%c auto: %d ports forwarded already; port %d and the "
				     "host's higher ports are not", pi ? 'U' : 'T',
				     NSFWD_PORTS_MAX, p);
			at_quota[pi] = 1;
			return;
		}
		if (r < 0)	/* taken in the namespace: tried again next scan */
			debug("-%c auto: namespace port %d: %s", pi ? 'U' : 'T', p, strerror(-r));
	}
}

void nsfwd_scan(struct ctx *c)
{
	int i;

	for (i = 0; i < NSFWD_UDP_FLOWS; i++) {
		struct uflow *u = &uflows[i];

		if (u->used && c->now_ms - u->last_ms >= (u->both ? UDP_STREAM_MS : UDP_IDLE_MS))
			uflow_close(c, i);
	}
	if (c->conf.auto_tcp_ns)
		follow(c, 0);
	if (c->conf.auto_udp_ns)
		follow(c, 1);
}

static void tcp_accept(struct ctx *c, const struct nsl *l, int f)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int i, fd, r;

	for (i = 0; i < ACCEPT_BATCH; i++) {
		fd = accept4(l->fd[f], NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		r = splice_outbound(c, fd, f ? AF_INET6 : AF_INET, l->hport);
		if (r < 0) {
			debug("-T: namespace port %u to host port %u: %s", l->port, l->hport,
			      strerror(-r));
			setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			close(fd);
		}
	}
}

/* The flow of client @peer on namespace socket @lfd, or -1 */
static int uflow_find(int lfd, const struct sockaddr_storage *peer, socklen_t len)
{
	int i;

	for (i = 0; i < NSFWD_UDP_FLOWS; i++)
		if (uflows[i].used && uflows[i].lfd == lfd && uflows[i].peer_len == len &&
		    !memcmp(&uflows[i].peer, peer, len))
			return i;
	return -1;
}

/* A free flow, or the one idle longest closed for it */
static int uflow_slot(struct ctx *c)
{
	int i, old = 0;

	for (i = 0; i < NSFWD_UDP_FLOWS; i++) {
		if (!uflows[i].used)
			return i;
		if (uflows[i].last_ms < uflows[old].last_ms)
			old = i;
	}
	debug("-U: %d clients: the one idle longest makes room", NSFWD_UDP_FLOWS);
	uflow_close(c, old);
	return old;
}

/* A host socket for a new client: from the client's own port on the host's
 * loopback where it is free (pasta keeps it), to @hport there */
static int uflow_new(struct ctx *c, int lfd, int family, const struct sockaddr_storage *peer,
		     socklen_t len, uint16_t hport)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct sockaddr_storage ss = *peer;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t sl = family == AF_INET6 ? sizeof(*s6) : sizeof(*s4);
	int i = uflow_slot(c), fd;

	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0)
		return -errno;
	if (family == AF_INET6) {
		s6->sin6_addr = (struct in6_addr)IN6ADDR_LOOPBACK_INIT;
		s6->sin6_scope_id = 0;
	} else {
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	}
	if (bind(fd, (struct sockaddr *)&ss, sl)) {
		*(family == AF_INET6 ? &s6->sin6_port : &s4->sin_port) = 0;
		bind(fd, (struct sockaddr *)&ss, sl);
	}
	*(family == AF_INET6 ? &s6->sin6_port : &s4->sin_port) = htons(hport);
	ev.data.u64 = EP_REF(EP_NSFWD_UDP, i);
	if (connect(fd, (struct sockaddr *)&ss, sl) ||
	    epoll_ctl(c->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
		int e = errno;

		close(fd);
		return -e;
	}
	uflows[i].used = 1;
	uflows[i].both = 0;
	uflows[i].hfd = fd;
	uflows[i].lfd = lfd;
	uflows[i].peer = *peer;
	uflows[i].peer_len = len;
	uflows[i].last_ms = c->now_ms;
	return i;
}

static void udp_relay_out(struct ctx *c, const struct nsl *l, int f)
{
	int i, u;

	for (i = 0; i < UDP_BATCH; i++) {
		struct sockaddr_storage peer;
		socklen_t pl = sizeof(peer);
		ssize_t n = recvfrom(l->fd[f], dgram, sizeof(dgram), MSG_DONTWAIT,
				     (struct sockaddr *)&peer, &pl);

		if (n < 0)
			return;
		u = uflow_find(l->fd[f], &peer, pl);
		if (u < 0)
			u = uflow_new(c, l->fd[f], f ? AF_INET6 : AF_INET, &peer, pl, l->hport);
		if (u < 0) {
			debug("-U: namespace port %u: host socket: %s", l->port, strerror(-u));
			continue;
		}
		uflows[u].last_ms = c->now_ms;
		send(uflows[u].hfd, dgram, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL);
	}
}

void nsfwd_event(struct ctx *c, int ref, uint32_t events)
{
	int pi = ref >> 24, slot = (ref >> 1) & 0x7fffff, f = ref & 1;
	const struct nsl *l;

	(void)events;
	if (pi > 1 || slot >= NSFWD_PORTS_MAX || !nsls[pi][slot].used)
		return;
	l = &nsls[pi][slot];
	if (l->fd[f] < 0)
		return;
	if (pi)
		udp_relay_out(c, l, f);
	else
		tcp_accept(c, l, f);
}

void nsfwd_udp_event(struct ctx *c, int idx)
{
	struct uflow *u;
	int i;

	if (idx < 0 || idx >= NSFWD_UDP_FLOWS || !uflows[idx].used)
		return;
	u = &uflows[idx];
	for (i = 0; i < UDP_BATCH; i++) {
		ssize_t n = recv(u->hfd, dgram, sizeof(dgram), MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			continue;	/* ECONNREFUSED from an ICMP error: read on */
		}
		u->both = 1;
		u->last_ms = c->now_ms;
		sendto(u->lfd, dgram, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL,
		       (struct sockaddr *)&u->peer, u->peer_len);
	}
}

void nsfwd_cleanup(struct ctx *c)
{
	int pi, slot, i;

	for (i = 0; i < NSFWD_UDP_FLOWS; i++)
		uflow_close(c, i);
	for (pi = 0; pi < 2; pi++)
		for (slot = 0; slot < NSFWD_PORTS_MAX; slot++)
			if (nsls[pi][slot].used)
				nsl_close(c, pi, slot);
	for (i = 0; i < 4; i++) {
		if (host_proc[i] >= 0)
			close(host_proc[i]);
		host_proc[i] = -1;
	}
}
