// SPDX-License-Identifier: GPL-2.0-or-later
/* server.c - burrow-dns: listeners, UDP and TCP clients, reload, control */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <unistd.h>

#include "cache.h"
#include "cleanup.h"
#include "clock.h"
#include "dnsrec.h"
#include "fwd.h"
#include "isolation.h"
#include "lock.h"
#include "log.h"
#include "msg.h"
#include "server.h"
#include "udpbatch.h"
#include "zone.h"

#define MAX_LISTENERS	256
#define MAX_CONNS	512
#define CONN_IN_MAX	(2 + 4096)	/* one query over TCP at most 4096 bytes */
#define CONN_OUT_MAX	(256 * 1024)	/* answers queued for a slow reader */
#define CONN_INFLIGHT	16		/* forwarded queries per connection */
#define CONN_IDLE_MS	10000	/* a connection with nothing to do */
#define CONN_QUERY_MS	5000	/* from a query's first byte to its last */
#define CONN_PER_PEER	32		/* one client cannot take every connection */
#define UDP_BATCH	32
#define LOCAL_TTL	0		/* containers come and go: never cached */

enum ev_type { EV_UDP = 1, EV_TCPL, EV_CONN, EV_UP, EV_CTL, EV_SIG };

#define TAG(t, gen, idx)	((uint64_t)(t) << 56 | (uint64_t)((gen) & 0xffffff) << 32 | (uint32_t)(idx))
#define TAG_TYPE(u)		((unsigned)((u) >> 56))
#define TAG_GEN(u)		((uint32_t)((u) >> 32) & 0xffffff)
#define TAG_IDX(u)		((uint32_t)(u))

struct listener {
	int used;
	struct addr addr;
	int udp, tcp;
	size_t net;		/* index into zones */
	uint32_t gen;
	int keep;		/* reload bookkeeping */
};

struct conn {
	int fd;			/* -1: free */
	uint32_t gen;
	uint32_t li;		/* listener */
	uint32_t lgen;
	struct addr peer;
	uint8_t *in;		/* conn_in[index], CONN_IN_MAX bytes */
	size_t inlen;
	uint8_t *out;
	size_t outlen, outcap;
	int inflight;
	int eof;
	uint32_t events;
	uint64_t last;
	uint64_t qstart;	/* first byte of the partial query in @in, 0: none */
	int todo;		/* on the list of connections to process */
};

static const char *dir;
static uint16_t port = 53;
static int epfd = -1, ctl_fd = -1, sig_fd = -1, pid_fd = -1;
static struct listener lis[MAX_LISTENERS];
static struct zone *zones;
static size_t nzones;
static struct conn conns[MAX_CONNS];
/* apart from the table, so that only open connections touch their pages */
static uint8_t conn_in[MAX_CONNS][CONN_IN_MAX];
static int conn_free[MAX_CONNS], nconn_free;
/* connections with queries left in their buffer after an answer came */
static int conn_todo[MAX_CONNS], nconn_todo;
static uint32_t next_netid;
static int exiting;

/* UDP batches: no allocation per packet */
static uint8_t urx[UDP_BATCH][DNS_UDP_MAX];
static uint8_t utx[UDP_BATCH][DNS_UDP_MAX];
static struct udp_batch urxb;

/* ---- answering ---- */

/* pick_upstreams() - resolvers for a query from @src on zone @z */
static size_t pick_upstreams(const struct zone *z, const struct addr *src, struct addr *out)
{
	const struct dnsrec_ctr *c = zone_ctr_by_addr(z, src);
	struct addr tmp[FWD_MAX_UPSTREAM];
	const struct addr *list = tmp;
	size_t n, i, k, got = 0;

	if (c && c->nup) {
		list = c->upstream;
		n = c->nup;
	} else if (z->net.nup) {
		list = z->net.upstream;
		n = z->net.nup;
	} else {
		n = fwd_resolvers(tmp, FWD_MAX_UPSTREAM);
	}
	for (i = 0; i < n && got < FWD_MAX_UPSTREAM; i++) {
		int self = 0;

		/* never forward to ourselves */
		for (k = 0; k < MAX_LISTENERS && port == 53; k++)
			if (lis[k].used && addr_equal(&lis[k].addr, &list[i]))
				self = 1;
		if (!self)
			out[got++] = list[i];
	}
	return got;
}

/* answer_local() - build an answer from the zone, or 0 if it is not ours */
static size_t answer_local(const struct zone *z, const struct dns_msg *m, uint8_t *out, size_t max)
{
	static char ptrtext[DNSREC_MAX_NAMES][DNSREC_HOST_MAX * 2];
	const char *ptrs[DNSREC_MAX_NAMES];
	struct addr addrs[64];
	struct dns_answer a = { .ttl = LOCAL_TTL, .authoritative = 1, .addrs = addrs };
	enum zone_result r;
	struct addr pa;
	size_t n = 0, n6 = 0;

	if (!m->name_plain || m->qclass != DNS_C_IN)
		return 0;
	if (m->qtype == DNS_T_PTR && !dns_ptr_addr(m->name, &pa)) {
		const struct dnsrec_ctr *c = zone_ctr_by_addr(z, &pa);
		size_t i;

		if (!c)
			return zone_in_subnet(z, &pa) ?
			       dns_build(m, &(struct dns_answer){ .rcode = DNS_R_NXDOMAIN,
							       .authoritative = 1 }, out, max) : 0;
		for (i = 0; i < c->nnames; i++) {
			snprintf(ptrtext[i], sizeof(ptrtext[i]), "%s.%s", c->names[i], z->net.search);
			ptrs[i] = ptrtext[i];
		}
		a.names = ptrs;
		a.nnames = c->nnames;
		return dns_build(m, &a, out, max);
	}
	switch (m->qtype) {
	case DNS_T_A:
		r = zone_lookup(z, m->name, AF_INET, addrs, ARRAY_SIZE(addrs), &n);
		break;
	case DNS_T_AAAA:
		r = zone_lookup(z, m->name, AF_INET6, addrs, ARRAY_SIZE(addrs), &n);
		break;
	case DNS_T_ANY:
		r = zone_lookup(z, m->name, AF_INET, addrs, ARRAY_SIZE(addrs), &n);
		if (r == ZONE_FOUND)
			zone_lookup(z, m->name, AF_INET6, addrs + n, ARRAY_SIZE(addrs) - n, &n6);
		n += n6;
		break;
	default:
		r = zone_lookup(z, m->name, 0, addrs, 0, &n);
		break;
	}
	if (r == ZONE_OTHER)
		return 0;
	a.naddrs = n;
	if (r == ZONE_NXDOMAIN)
		a.rcode = DNS_R_NXDOMAIN;
	return dns_build(m, &a, out, max);
}

/* client_allowed() - @src may use listener @li: it is on the listener's
 * network (or the host on the gateway address itself) */
static int client_allowed(uint32_t li, const struct addr *src)
{
	if (!lis[li].used || lis[li].net >= nzones)
		return 0;
	return zone_in_subnet(&zones[lis[li].net], src) || addr_equal(src, &lis[li].addr);
}

/**
 * handle_query() - answer a query that came in on listener @li from @src
 * @li:		listener index
 * @src:	client address
 * @q:		query
 * @len:	its length
 * @cl:		client, for a forwarded query (id and udp_size filled here)
 * @out:	answer buffer
 * @max:	room in @out (the client's limit for UDP)
 *
 * Return: answer length, 0 if dropped, SIZE_MAX if forwarded (the answer
 * comes later through fwd_reply())
 */
static size_t handle_query(uint32_t li, const struct addr *src, const uint8_t *q, size_t len,
			   struct fwd_client *cl, uint8_t *out, size_t max)
{
	const struct zone *z;
	struct addr ups[FWD_MAX_UPSTREAM];
	struct dns_msg m;
	size_t n, nup;
	int rc, variant;

	rc = dns_parse(q, len, &m);
	if (rc == -EBADMSG || (m.flags & DNS_F_QR))
		return 0;			/* no header, or an answer: never reply */
	if (rc)
		return dns_error(&m, 0, DNS_R_FORMERR, out, max);
	if (m.opcode)
		return dns_error(&m, m.qdcount == 1, DNS_R_NOTIMP, out, max);
	if (m.qdcount != 1)
		return dns_error(&m, 0, DNS_R_FORMERR, out, max);
	if (!lis[li].used || lis[li].net >= nzones)
		return dns_error(&m, 1, DNS_R_SERVFAIL, out, max);
	z = &zones[lis[li].net];
	/* only clients on this network learn its names or use it as resolver */
	if (!client_allowed(li, src))
		return dns_error(&m, 1, DNS_R_REFUSED, out, max);
	if (!cl->tcp && max > m.udp_size)
		max = m.udp_size;
	n = answer_local(z, &m, out, max);
	if (n)
		return n;
	if (z->net.internal)
		return dns_error(&m, 1, DNS_R_REFUSED, out, max);
	nup = pick_upstreams(z, src, ups);
	if (!nup)
		return dns_error(&m, 1, DNS_R_SERVFAIL, out, max);
	/* after the internal check: an internal network never gets a
	 * forwarded answer, not even one another network's query brought */
	variant = cache_variant(&m);
	if (variant >= 0) {
		struct cache_key k = { .qname = m.qname, .qname_len = m.qname_len,
				       .qtype = m.qtype, .qclass = m.qclass,
				       .variant = (unsigned)variant, .ups = ups, .nup = nup,
				       .netid = z->netid };

		n = cache_get(&k, m.id, out, max, clock_ms());
		if (n)
			return n;
	}
	cl->id = m.id;
	cl->udp_size = m.udp_size;
	cl->src = *src;
	cl->netid = z->netid;
	rc = fwd_query(q, len, &m, ups, nup, cl);
	if (rc)
		return dns_error(&m, 1, DNS_R_SERVFAIL, out, max);
	return SIZE_MAX;			/* forwarded */
}

/* ---- UDP ---- */

static void udp_input(uint32_t li)
{
	struct mmsghdr tx[UDP_BATCH], *rx = urxb.mm;
	struct sockaddr_storage *uaddr = urxb.addr;
	struct iovec tiov[UDP_BATCH];
	int n, k, nt = 0;

	n = udp_batch_recv(&urxb, lis[li].udp);
	for (k = 0; k < n; k++) {
		struct fwd_client cl = { .tcp = 0, .listener = li, .gen = lis[li].gen };
		struct addr src;
		size_t len;

		if (addr_from_sockaddr((struct sockaddr *)&uaddr[k], &src, NULL) ||
		    (rx[k].msg_hdr.msg_flags & MSG_TRUNC))
			continue;
		memcpy(&cl.addr, &uaddr[k], rx[k].msg_hdr.msg_namelen);
		cl.alen = rx[k].msg_hdr.msg_namelen;
		len = handle_query(li, &src, urx[k], rx[k].msg_len, &cl, utx[nt], DNS_UDP_MAX);
		if (!len || len == SIZE_MAX)
			continue;
		tiov[nt].iov_base = utx[nt];
		tiov[nt].iov_len = len;
		memset(&tx[nt].msg_hdr, 0, sizeof(tx[nt].msg_hdr));
		tx[nt].msg_hdr.msg_iov = &tiov[nt];
		tx[nt].msg_hdr.msg_iovlen = 1;
		tx[nt].msg_hdr.msg_name = &uaddr[k];
		tx[nt].msg_hdr.msg_namelen = rx[k].msg_hdr.msg_namelen;
		nt++;
	}
	if (nt && sendmmsg(lis[li].udp, tx, (unsigned)nt, MSG_DONTWAIT) < 0)
		debug("sendmmsg(UDP answers): %s", strerror(errno));
}

/* ---- TCP ---- */

static void conn_close(int ci)
{
	struct conn *c = &conns[ci];

	if (c->fd < 0)
		return;
	epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->gen++;
	free(c->out);
	c->out = NULL;
	c->outlen = c->outcap = 0;
	c->inlen = 0;
	c->inflight = 0;
	c->qstart = 0;
	conn_free[nconn_free++] = ci;
}

/* conn_events() - set what we wait for on @ci, or close it when it is done */
static void conn_events(int ci)
{
	struct conn *c = &conns[ci];
	struct epoll_event ev = { 0 };

	if (c->fd < 0)
		return;
	if (c->eof && !c->inflight && !c->outlen) {
		conn_close(ci);
		return;
	}
	if (!c->eof && c->inflight < CONN_INFLIGHT)
		ev.events |= EPOLLIN;
	if (c->outlen)
		ev.events |= EPOLLOUT;
	if (ev.events == c->events)
		return;
	ev.data.u64 = TAG(EV_CONN, c->gen, ci);
	epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
	c->events = ev.events;
}

/* conn_flush() - write queued answers; 0, or -1 if the connection broke */
static int conn_flush(int ci)
{
	struct conn *c = &conns[ci];

	while (c->outlen) {
		ssize_t w = send(c->fd, c->out, c->outlen, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			return -1;
		}
		memmove(c->out, c->out + w, c->outlen - (size_t)w);
		c->outlen -= (size_t)w;
	}
	return 0;
}

/* conn_queue() - queue one answer with its length prefix; 0, or -1 to close */
static int conn_queue(int ci, const uint8_t *msg, size_t len)
{
	struct conn *c = &conns[ci];
	size_t need = c->outlen + 2 + len;

	if (len > 65535 || need > CONN_OUT_MAX)
		return -1;
	if (need > c->outcap) {
		size_t cap = c->outcap ? c->outcap : 1024;
		uint8_t *p;

		while (cap < need)
			cap *= 2;
		p = realloc(c->out, cap);
		if (!p)
			return -1;
		c->out = p;
		c->outcap = cap;
	}
	c->out[c->outlen] = (uint8_t)(len >> 8);
	c->out[c->outlen + 1] = (uint8_t)len;
	memcpy(c->out + c->outlen + 2, msg, len);
	c->outlen = need;
	return conn_flush(ci);
}

/* conn_process() - answer every complete query in the input buffer */
static void conn_process(int ci)
{
	struct conn *c = &conns[ci];
	static uint8_t out[65535];
	size_t off = 0;

	while (c->fd >= 0 && c->inflight < CONN_INFLIGHT && c->inlen - off >= 2) {
		size_t qlen = (size_t)c->in[off] << 8 | c->in[off + 1], len;
		struct fwd_client cl = { .tcp = 1, .conn = (uint32_t)ci, .gen = c->gen };

		if (qlen < DNS_HDR || qlen > CONN_IN_MAX - 2) {
			conn_close(ci);
			return;
		}
		if (c->inlen - off < 2 + qlen)
			break;
		len = handle_query(c->li, &c->peer, c->in + off + 2, qlen, &cl, out, sizeof(out));
		off += 2 + qlen;
		if (len == SIZE_MAX)
			c->inflight++;
		else if (len && conn_queue(ci, out, len)) {
			conn_close(ci);
			return;
		}
	}
	if (off) {
		memmove(c->in, c->in + off, c->inlen - off);
		c->inlen -= off;
		c->qstart = 0;
	}
	/* the clock of the whole-query deadline runs from a query's first byte
	 * until it is whole (whole ones waiting for a forwarding slot are not
	 * the client's delay) */
	if (!c->inlen || (c->inlen >= 2 && c->inlen >= 2 + ((size_t)c->in[0] << 8 | c->in[1])))
		c->qstart = 0;
	else if (!c->qstart)
		c->qstart = clock_ms();
	conn_events(ci);
}

static void conn_input(int ci, uint32_t events)
{
	struct conn *c = &conns[ci];

	c->last = clock_ms();
	if (events & (EPOLLHUP | EPOLLERR)) {
		conn_close(ci);			/* reset or gone both ways: no one to answer */
		return;
	}
	if (events & EPOLLOUT) {
		if (conn_flush(ci)) {
			conn_close(ci);
			return;
		}
	}
	if ((events & EPOLLIN) && !c->eof) {
		ssize_t r = recv(c->fd, c->in + c->inlen, CONN_IN_MAX - c->inlen, MSG_DONTWAIT);

		if (r == 0) {
			/* a query cut short (then EOF or RST): nothing to answer */
			if (c->inlen) {
				conn_close(ci);
				return;
			}
			c->eof = 1;
		} else if (r < 0) {
			if (errno != EAGAIN && errno != EINTR) {
				conn_close(ci);
				return;
			}
		} else {
			c->inlen += (size_t)r;
		}
	}
	conn_process(ci);
}

/* peer_conns() - open connections from @a */
static int peer_conns(const struct addr *a)
{
	int i, n = 0;

	for (i = 0; i < MAX_CONNS; i++)
		if (conns[i].fd >= 0 && addr_equal(&conns[i].peer, a))
			n++;
	return n;
}

static void tcp_accept(uint32_t li)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct epoll_event ev = { .events = EPOLLIN };
	struct conn *c;
	int fd, ci;

	fd = accept4(lis[li].tcp, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (!nconn_free) {
		close(fd);			/* bounded: refuse beyond MAX_CONNS */
		return;
	}
	ci = conn_free[--nconn_free];
	c = &conns[ci];
	if (addr_from_sockaddr((struct sockaddr *)&ss, &c->peer, NULL) ||
	    !client_allowed(li, &c->peer) || peer_conns(&c->peer) >= CONN_PER_PEER) {
		conn_free[nconn_free++] = ci;
		close(fd);
		return;
	}
	c->fd = fd;
	c->li = li;
	c->lgen = lis[li].gen;
	c->inlen = c->outlen = 0;
	c->inflight = c->eof = 0;
	c->events = EPOLLIN;
	c->last = clock_ms();
	c->qstart = 0;
	ev.data.u64 = TAG(EV_CONN, c->gen, ci);
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev)) {
		c->fd = -1;
		close(fd);
		conn_free[nconn_free++] = ci;
	}
}

/* conns_process_todo() - go on with connections whose answers came in */
static void conns_process_todo(void)
{
	while (nconn_todo) {
		int ci = conn_todo[--nconn_todo];

		conns[ci].todo = 0;
		if (conns[ci].fd >= 0)
			conn_process(ci);
	}
}

static void conns_expire(uint64_t now)
{
	int i;

	for (i = 0; i < MAX_CONNS; i++) {
		struct conn *c = &conns[i];

		if (c->fd < 0)
			continue;
		/* idle, a query not whole in time, or its listener is gone */
		if ((!c->inflight && now - c->last > CONN_IDLE_MS) ||
		    (c->qstart && now - c->qstart > CONN_QUERY_MS) ||
		    !lis[c->li].used || lis[c->li].gen != c->lgen)
			conn_close(i);
	}
}

/* ---- answers from upstream ---- */

static void fwd_reply(const struct fwd_client *cl, uint8_t *msg, size_t len, size_t qend)
{
	if (cl->tcp) {
		struct conn *c = &conns[cl->conn];

		if (cl->conn >= MAX_CONNS || c->fd < 0 || c->gen != cl->gen)
			return;			/* the client left */
		c->inflight--;
		c->last = clock_ms();
		if (conn_queue((int)cl->conn, msg, len)) {
			conn_close((int)cl->conn);
			return;
		}
		/* later, from the loop: this may run inside fwd_query() */
		if (!c->todo) {
			c->todo = 1;
			conn_todo[nconn_todo++] = (int)cl->conn;
		}
		return;
	}
	if (cl->listener >= MAX_LISTENERS || !lis[cl->listener].used ||
	    lis[cl->listener].gen != cl->gen)
		return;
	if (len > cl->udp_size)
		len = dns_truncate(msg, len, qend);
	if (sendto(lis[cl->listener].udp, msg, len, MSG_DONTWAIT,
		   (const struct sockaddr *)&cl->addr, cl->alen) < 0)
		debug("sendto(UDP answer): %s", strerror(errno));
}

/* ---- listeners and reload ---- */

static void listener_close(size_t i)
{
	struct listener *l = &lis[i];

	if (!l->used)
		return;
	if (l->udp >= 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, l->udp, NULL);
		close(l->udp);
	}
	if (l->tcp >= 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, l->tcp, NULL);
		close(l->tcp);
	}
	l->udp = l->tcp = -1;
	l->used = 0;
	l->gen++;
}

/* open_sock() - a socket of @type bound to @a:port, in epoll with @tag */
static int open_sock(const struct addr *a, int type, uint64_t tag, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	size_t sl = addr_to_sockaddr(a, port, &ss);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };
	char as[ADDR_STRLEN];
	int one = 1, fd;

	addr_format(a, as, sizeof(as));
	fd = socket(a->family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket(%s): %s", as, strerror(errno));
		return -1;
	}
	/* the gateway address may still be tentative (IPv6 DAD) */
	if (a->family == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_FREEBIND, &one, sizeof(one));
	} else {
		setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one));
	}
	if (type == SOCK_STREAM)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, (socklen_t)sl) ||
	    (type == SOCK_STREAM && listen(fd, 128)) ||
	    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev)) {
		snprintf(err, errlen, "bind(%s%s%s port %u, %s): %s", "", as, "", port,
			 type == SOCK_STREAM ? "TCP" : "UDP", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int listener_open(const struct addr *a, size_t net, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < MAX_LISTENERS && lis[i].used; i++)
		;
	if (i == MAX_LISTENERS) {
		snprintf(err, errlen, "more than %d listening addresses", MAX_LISTENERS);
		return -ENOSPC;
	}
	lis[i].gen++;
	lis[i].udp = open_sock(a, SOCK_DGRAM, TAG(EV_UDP, lis[i].gen, i), err, errlen);
	if (lis[i].udp < 0)
		return -EADDRNOTAVAIL;
	lis[i].tcp = open_sock(a, SOCK_STREAM, TAG(EV_TCPL, lis[i].gen, i), err, errlen);
	if (lis[i].tcp < 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, lis[i].udp, NULL);
		close(lis[i].udp);
		lis[i].udp = -1;
		return -EADDRNOTAVAIL;
	}
	lis[i].used = 1;
	lis[i].addr = *a;
	lis[i].net = net;
	lis[i].keep = 1;
	return 0;
}

struct collect {
	struct zone *z;
	size_t n, cap;
	int rc;
};

static int collect_cb(const struct dnsrec_net *n, void *data)
{
	struct collect *col = data;
	struct dnsrec_net copy = *n;

	if (col->n == col->cap) {
		size_t cap = col->cap ? col->cap * 2 : 8;
		struct zone *p = realloc(col->z, cap * sizeof(*p));

		if (!p)
			return col->rc = -ENOMEM;
		col->z = p;
		col->cap = cap;
	}
	/* the walk frees n's list after we return: take a private copy */
	copy.ctr = malloc((n->nctr ? n->nctr : 1) * sizeof(*copy.ctr));
	if (!copy.ctr)
		return col->rc = -ENOMEM;
	memcpy(copy.ctr, n->ctr, n->nctr * sizeof(*copy.ctr));
	copy.cap = n->nctr;
	if (zone_build(&col->z[col->n], &copy)) {
		dnsrec_free(&copy);
		return col->rc = -ENOMEM;
	}
	col->n++;
	return 0;
}

static void shutdown_all(void)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < MAX_LISTENERS; i++)
		listener_close(i);
	for (i = 0; i < MAX_CONNS; i++)
		conn_close((int)i);
	fwd_close();
	if (ctl_fd >= 0) {
		close(ctl_fd);
		ctl_fd = -1;
		snprintf(path, sizeof(path), "%s/control", dir);
		unlink(path);
	}
	if (pid_fd >= 0) {
		snprintf(path, sizeof(path), "%s/burrow-dns.pid", dir);
		unlink(path);
		lock_release(pid_fd);
		pid_fd = -1;
	}
}

/**
 * reload() - read the records again and listen where they say; with no
 * network left, stop listening and mark the daemon exiting (all under the
 * records lock, so a concurrent setup either sees us gone or is served)
 *
 * Return: 0, or -errno with @err set (the networks that could be served are)
 */
static int reload(char *err, size_t errlen)
{
	struct collect col = { 0 };
	size_t i, k, j;
	int lk, rc = 0, r;

	err[0] = '\0';
	lk = dnsrec_lock(dir, 0);
	if (lk < 0) {
		snprintf(err, errlen, "lock %s/.lock: %s", dir, strerror(-lk));
		return lk;
	}
	r = dnsrec_for_each(dir, collect_cb, &col);
	if (r || col.rc) {
		snprintf(err, errlen, "read records in %s: %s", dir, strerror(-(r ? r : col.rc)));
		for (i = 0; i < col.n; i++)
			zone_free(&col.z[i]);
		free(col.z);
		lock_release(lk);
		return r ? r : col.rc;
	}
	for (i = 0; i < MAX_LISTENERS; i++)
		lis[i].keep = 0;
	for (i = 0; i < col.n; i++) {
		for (k = 0; k < col.z[i].net.nlisten; k++) {
			struct addr a = col.z[i].net.listen[k].addr;

			for (j = 0; j < MAX_LISTENERS; j++)
				if (lis[j].used && addr_equal(&lis[j].addr, &a))
					break;
			if (j < MAX_LISTENERS) {
				if (lis[j].keep)
					continue;	/* two networks, one gateway: first wins */
				lis[j].keep = 1;
				lis[j].net = i;
				continue;
			}
			r = listener_open(&a, i, err, errlen);
			if (r && !rc)
				rc = r;
		}
	}
	for (i = 0; i < MAX_LISTENERS; i++)
		if (lis[i].used && !lis[i].keep)
			listener_close(i);
	/* a network keeps its id over reloads; a new one gets a new id */
	for (i = 0; i < col.n; i++) {
		for (k = 0; k < nzones; k++)
			if (!strcmp(zones[k].net.name, col.z[i].net.name))
				break;
		col.z[i].netid = k < nzones ? zones[k].netid : ++next_netid;
	}
	for (i = 0; i < nzones; i++)
		zone_free(&zones[i]);
	free(zones);
	zones = col.z;
	nzones = col.n;
	info("serving %zu network%s", nzones, nzones == 1 ? "" : "s");
	if (!nzones) {
		exiting = 1;
		shutdown_all();
	}
	lock_release(lk);
	return rc;
}

/* ---- control socket and signals ---- */

static void ctl_accept(void)
{
	char cmd[64], err[512], reply[600];
	struct timeval tv = { .tv_sec = 1 };
	ssize_t n;
	int fd = accept4(ctl_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	n = recv(fd, cmd, sizeof(cmd) - 1, 0);
	if (n > 0) {
		cmd[n] = '\0';
		cmd[strcspn(cmd, "\n")] = '\0';
		if (!strcmp(cmd, "reload")) {
			if (reload(err, sizeof(err)))
				snprintf(reply, sizeof(reply), "error: %s", err);
			else
				snprintf(reply, sizeof(reply), "ok");
		} else if (!strcmp(cmd, "ping")) {
			snprintf(reply, sizeof(reply), "ok");
		} else {
			snprintf(reply, sizeof(reply), "error: unknown command '%.40s'", cmd);
		}
		send(fd, reply, strlen(reply), MSG_NOSIGNAL);
	}
	close(fd);
}

static int ctl_open(char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = TAG(EV_CTL, 0, 0) };

	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/control", dir) >=
	    sizeof(sun.sun_path)) {
		snprintf(err, errlen, "%s/control: path too long", dir);
		return -ENAMETOOLONG;
	}
	ctl_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ctl_fd < 0) {
		snprintf(err, errlen, "socket(AF_UNIX): %s", strerror(errno));
		return -errno;
	}
	unlink(sun.sun_path);		/* a stale one: we hold the pid lock */
	if (bind(ctl_fd, (struct sockaddr *)&sun, sizeof(sun)) || chmod(sun.sun_path, 0600) ||
	    listen(ctl_fd, 64) || epoll_ctl(epfd, EPOLL_CTL_ADD, ctl_fd, &ev)) {
		snprintf(err, errlen, "bind(%s): %s", sun.sun_path, strerror(errno));
		return -errno;
	}
	return 0;
}

static int sig_open(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = TAG(EV_SIG, 0, 0) };
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sig_fd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, sig_fd, &ev))
		return -errno;
	return 0;
}

static void sig_input(void)
{
	struct signalfd_siginfo si;
	char err[512];

	while (read(sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			if (reload(err, sizeof(err)))
				warn("reload: %s", err);
		} else if (!exiting) {
			int lk = dnsrec_lock(dir, 0);

			info("signal %u: exiting", si.ssi_signo);
			exiting = 1;
			shutdown_all();
			lock_release(lk);
		}
	}
}

/* ready() - tell the starter how start-up went, once */
static void ready(int *fd, const char *msg)
{
	if (*fd < 0)
		return;
	if (write(*fd, msg, strlen(msg)) < 0)
		debug("write(ready fd): %s", strerror(errno));
	close(*fd);
	*fd = -1;
}

/* fd_budget() - raise the soft limit of open files (up to the hard one) so
 * that every table can be full at once, and say how many upstream queries
 * fit in what we got */
static size_t fd_budget(void)
{
	const rlim_t others = MAX_CONNS + 2 * MAX_LISTENERS + 64;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return FWD_INFLIGHT_MAX;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < others + FWD_INFLIGHT_MAX) {
		rlim_t want = others + FWD_INFLIGHT_MAX;

		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			warn("setrlimit(RLIMIT_NOFILE, %llu): %s", (unsigned long long)rl.rlim_cur,
			     strerror(errno));
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= others + FWD_INFLIGHT_MAX)
		return FWD_INFLIGHT_MAX;
	warn("open files limited to %llu: at most %llu queries in flight upstream",
	     (unsigned long long)rl.rlim_cur,
	     (unsigned long long)(rl.rlim_cur > others + 16 ? rl.rlim_cur - others : 16));
	return rl.rlim_cur > others + 16 ? (size_t)(rl.rlim_cur - others) : 16;
}

int server_run(const char *records, int ready_fd, uint16_t listen_port)
{
	char path[PATH_MAX], err[512], msg[PATH_MAX + 600];
	uint64_t last_scan = 0;
	size_t fwd_max;
	int i, rc;

	dir = records;
	port = listen_port;
	for (i = 0; i < MAX_CONNS; i++) {
		conns[i].fd = -1;
		conns[i].in = conn_in[i];
		conn_free[nconn_free++] = MAX_CONNS - 1 - i;
	}
	for (i = 0; i < MAX_LISTENERS; i++)
		lis[i].udp = lis[i].tcp = -1;
	udp_batch_init(&urxb, &urx[0][0], sizeof(urx[0]), UDP_BATCH);
	snprintf(path, sizeof(path), "%s/burrow-dns.pid", dir);
	pid_fd = lock_acquire(path, 1, 0);
	if (pid_fd < 0) {
		snprintf(msg, sizeof(msg), "error: %s: %s\n", path,
			 pid_fd == -EWOULDBLOCK ? "another burrow-dns serves this folder" :
			 strerror(-pid_fd));
		err("%s", msg + 7);
		ready(&ready_fd, msg);
		return 1;
	}
	if (ftruncate(pid_fd, 0) || dprintf(pid_fd, "%d\n", (int)getpid()) < 0)
		warn("write(%s): %s", path, strerror(errno));
	fwd_max = fd_budget();
	isolate();
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0 || sig_open() || fwd_init(epfd, TAG(EV_UP, 0, 0), fwd_reply, fwd_max)) {
		snprintf(msg, sizeof(msg), "error: epoll/signalfd: %s\n", strerror(errno));
		goto fail;
	}
	if (ctl_open(err, sizeof(err)) < 0) {
		snprintf(msg, sizeof(msg), "error: %s\n", err);
		goto fail;
	}
	rc = reload(err, sizeof(err));
	if (rc) {
		snprintf(msg, sizeof(msg), "error: %s\n", err);
		goto fail;
	}
	if (exiting) {
		ready(&ready_fd, "ok\n");	/* nothing to serve */
		return 0;
	}
	ready(&ready_fd, "ok\n");
	isolate_seccomp();		/* start-up done: the loop needs less */
	while (!exiting) {
		struct epoll_event evs[64];
		uint64_t now = clock_ms();
		int tmo = fwd_expire(now), n, k;

		conns_process_todo();

		if (now - last_scan >= 1000) {
			conns_expire(now);
			last_scan = now;
			/* the records folder removed under us: nobody can reach us */
			if (access(dir, F_OK) && errno == ENOENT) {
				info("%s is gone: exiting", dir);
				exiting = 1;
				shutdown_all();
				break;
			}
		}
		if (tmo < 0 || tmo > 1000)
			tmo = 1000;
		n = epoll_wait(epfd, evs, ARRAY_SIZE(evs), tmo);
		if (n < 0 && errno != EINTR) {
			err("epoll_wait: %s", strerror(errno));
			break;
		}
		for (k = 0; k < n && !exiting; k++) {
			uint64_t u = evs[k].data.u64;
			uint32_t idx = TAG_IDX(u), gen = TAG_GEN(u);

			switch (TAG_TYPE(u)) {
			case EV_UDP:
				if (idx < MAX_LISTENERS && lis[idx].used &&
				    (lis[idx].gen & 0xffffff) == gen)
					udp_input(idx);
				break;
			case EV_TCPL:
				if (idx < MAX_LISTENERS && lis[idx].used &&
				    (lis[idx].gen & 0xffffff) == gen)
					tcp_accept(idx);
				break;
			case EV_CONN:
				if (idx < MAX_CONNS && conns[idx].fd >= 0 &&
				    (conns[idx].gen & 0xffffff) == gen)
					conn_input((int)idx, evs[k].events);
				break;
			case EV_UP:
				fwd_input(idx, evs[k].events);
				break;
			case EV_CTL:
				ctl_accept();
				break;
			case EV_SIG:
				sig_input();
				break;
			}
		}
		conns_process_todo();
	}
	if (!exiting) {
		int lk = dnsrec_lock(dir, 0);

		shutdown_all();
		lock_release(lk);
	}
	for (i = 0; i < (int)nzones; i++)
		zone_free(&zones[i]);
	free(zones);
	zones = NULL;
	nzones = 0;
	info("no network left: exiting");
	return 0;
fail:
	err("%s", msg + 7);
	ready(&ready_fd, msg);
	{
		int lk = dnsrec_lock(dir, 0);

		shutdown_all();
		lock_release(lk);
	}
	return 1;
}
