// SPDX-License-Identifier: GPL-2.0-or-later
/* fwd.c - upstream forwarding: fixed table of queries in flight */

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "cleanup.h"
#include "fwd.h"
#include "log.h"
#include "udpbatch.h"

#define PEND_MAX	1024		/* queries in flight */
#define PEND_QMAX	1232		/* queries longer than this are not retried */
#define SOCKS_PER_FAM	8
#define TRY_MS		1500		/* wait per upstream try */
#define MAX_TRIES	3
#define BATCH		16

struct pend {
	int used;
	uint16_t myid;
	uint16_t qflags;
	int sock;			/* index into socks[] */
	struct fwd_client cl;
	struct addr ups[FWD_MAX_UPSTREAM];
	size_t nup, cur, tries;
	uint8_t qname[DNS_NAME_MAX];
	size_t qname_len;
	uint16_t qtype, qclass;
	int cache_variant;		/* -1: the answer is not cached */
	size_t qlen;			/* 0: too long to keep, no retry */
	uint64_t deadline;
	int prev, next;			/* FIFO by deadline (all tries equally long) */
	int tcp_fd;			/* -1, or the TCP retry of a truncated answer */
	int tcp_sent;
	uint8_t *tcp_buf;		/* 2 + 65535 bytes while reading over TCP */
	size_t tcp_len;
	uint8_t *q;			/* pend_q[i]; last: kept by the reset in fwd_query() */
};

#define TCP_FLAG	0x10000u	/* event index: a pending query's TCP socket */

static struct pend pend[PEND_MAX];
/* apart from the table, so that only queries in flight touch their pages */
static uint8_t pend_q[PEND_MAX][PEND_QMAX];
static uint16_t idmap[65536];		/* our query ID -> pending index + 1 */
static int free_head = -1, fifo_head = -1, fifo_tail = -1;
static size_t inflight;
static int socks[2 * SOCKS_PER_FAM];	/* AF_INET first, then AF_INET6; -1: none yet */
static int epfd = -1;
static uint64_t sock_tag;
static int initialized;
static fwd_reply_fn reply_cb;
static uint8_t rnd[512];
static size_t rnd_pos = sizeof(rnd);

/* rxbuf for answers: one batch of upstream datagrams */
static uint8_t rxbuf[BATCH][DNS_UDP_MAX];
static struct udp_batch rx;

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* rand16() - 16 random bits from a buffer refilled by getrandom() */
static uint16_t rand16(void)
{
	uint16_t v;

	if (rnd_pos + 2 > sizeof(rnd)) {
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
			/* never expected; degrade to the clock rather than fail */
			uint64_t t = now_ms() * 2654435761u;
			size_t i;

			for (i = 0; i < sizeof(rnd); i++)
				rnd[i] = (uint8_t)(t >> (i % 8 * 8)) ^ (uint8_t)i;
		}
		rnd_pos = 0;
	}
	memcpy(&v, rnd + rnd_pos, 2);
	rnd_pos += 2;
	return v;
}

int fwd_init(int ep, uint64_t tag, fwd_reply_fn reply)
{
	int i;

	epfd = ep;
	sock_tag = tag;
	reply_cb = reply;
	for (i = 0; i < (int)ARRAY_SIZE(socks); i++)
		socks[i] = -1;
	free_head = -1;
	for (i = PEND_MAX - 1; i >= 0; i--) {
		pend[i].used = 0;
		pend[i].tcp_fd = -1;
		pend[i].q = pend_q[i];
		pend[i].next = free_head;
		free_head = i;
	}
	fifo_head = fifo_tail = -1;
	inflight = 0;
	udp_batch_init(&rx, &rxbuf[0][0], sizeof(rxbuf[0]), BATCH);
	if (initialized)
		memset(idmap, 0, sizeof(idmap));	/* zero from the start: untouched */
	initialized = 1;
	return 0;
}

void fwd_close(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(socks); i++) {
		if (socks[i] >= 0)
			close(socks[i]);
		socks[i] = -1;
	}
}

/* get_sock() - a random socket of the pool for @family, opened on first use */
static int get_sock(int family)
{
	int base = family == AF_INET ? 0 : SOCKS_PER_FAM;
	int idx = base + rand16() % SOCKS_PER_FAM;
	struct epoll_event ev = { .events = EPOLLIN };

	if (socks[idx] >= 0)
		return idx;
	socks[idx] = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (socks[idx] < 0) {
		warn("socket(upstream %s): %s", family == AF_INET ? "IPv4" : "IPv6", strerror(errno));
		return -1;
	}
	ev.data.u64 = sock_tag | (uint64_t)idx;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, socks[idx], &ev)) {
		warn("epoll_ctl(upstream socket): %s", strerror(errno));
		close(socks[idx]);
		socks[idx] = -1;
		return -1;
	}
	return idx;
}

static void fifo_unlink(int i)
{
	struct pend *p = &pend[i];

	if (p->prev >= 0)
		pend[p->prev].next = p->next;
	else
		fifo_head = p->next;
	if (p->next >= 0)
		pend[p->next].prev = p->prev;
	else
		fifo_tail = p->prev;
}

static void fifo_append(int i)
{
	pend[i].prev = fifo_tail;
	pend[i].next = -1;
	if (fifo_tail >= 0)
		pend[fifo_tail].next = i;
	else
		fifo_head = i;
	fifo_tail = i;
}

static void pend_free(int i)
{
	struct pend *p = &pend[i];

	fifo_unlink(i);
	idmap[p->myid] = 0;
	if (p->tcp_fd >= 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, p->tcp_fd, NULL);
		close(p->tcp_fd);
		p->tcp_fd = -1;
	}
	free(p->tcp_buf);
	p->tcp_buf = NULL;
	p->used = 0;
	p->next = free_head;
	free_head = i;
	inflight--;
}

/* send_try() - send the pending query to upstream p->cur, new ID and socket */
static int send_try(int i, const uint8_t *q, size_t len)
{
	struct pend *p = &pend[i];
	struct sockaddr_storage ss;
	uint8_t hdr[2];
	struct iovec iov[2];
	struct msghdr mh = { 0 };
	size_t sl;
	int k;

	idmap[p->myid] = 0;
	for (k = 0; k < 16; k++) {
		p->myid = rand16();
		if (!idmap[p->myid])
			break;
	}
	if (idmap[p->myid])
		return -EBUSY;
	p->sock = get_sock(p->ups[p->cur].family);
	if (p->sock < 0)
		return -EIO;
	idmap[p->myid] = (uint16_t)(i + 1);
	sl = addr_to_sockaddr(&p->ups[p->cur], 53, &ss);
	hdr[0] = (uint8_t)(p->myid >> 8);
	hdr[1] = (uint8_t)p->myid;
	iov[0].iov_base = hdr;
	iov[0].iov_len = 2;
	iov[1].iov_base = (void *)(q + 2);
	iov[1].iov_len = len - 2;
	mh.msg_name = &ss;
	mh.msg_namelen = (socklen_t)sl;
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	if (sendmsg(socks[p->sock], &mh, MSG_DONTWAIT) < 0) {
		char a[ADDR_STRLEN];

		debug("sendmsg(upstream %s): %s", addr_format(&p->ups[p->cur], a, sizeof(a)),
		      strerror(errno));
		/* the timeout moves on to the next server */
	}
	p->tries++;
	return 0;
}

int fwd_query(const uint8_t *q, size_t len, const struct dns_msg *m,
	      const struct addr *ups, size_t nup, const struct fwd_client *c)
{
	struct pend *p;
	int i, rc;

	if (!nup || len < DNS_HDR)
		return -EINVAL;
	if (free_head < 0)
		return -EBUSY;
	i = free_head;
	p = &pend[i];
	free_head = p->next;
	memset(p, 0, offsetof(struct pend, q));
	p->tcp_fd = -1;
	p->tcp_buf = NULL;
	p->used = 1;
	p->cl = *c;
	p->nup = nup > FWD_MAX_UPSTREAM ? FWD_MAX_UPSTREAM : nup;
	memcpy(p->ups, ups, p->nup * sizeof(*ups));
	memcpy(p->qname, m->qname, m->qname_len);
	p->qname_len = m->qname_len;
	p->qtype = m->qtype;
	p->qclass = m->qclass;
	p->qflags = m->flags;
	p->cache_variant = nup <= CACHE_MAX_UPSTREAM ? cache_variant(m) : -1;
	p->qlen = len <= PEND_QMAX ? len : 0;
	if (p->qlen)
		memcpy(p->q, q, len);
	p->deadline = now_ms() + TRY_MS;
	inflight++;
	fifo_append(i);
	rc = send_try(i, q, len);
	if (rc) {
		pend_free(i);
		return rc;
	}
	return 0;
}

/* fail_query() - answer SERVFAIL for pending query @i and free it */
static void fail_query(int i)
{
	struct pend *p = &pend[i];
	struct dns_msg m = { 0 };
	uint8_t out[DNS_HDR + DNS_NAME_MAX + 4];
	size_t len;

	m.id = p->cl.id;
	m.flags = p->qflags;
	m.opcode = (p->qflags >> 11) & 0xf;
	memcpy(m.qname, p->qname, p->qname_len);
	m.qname_len = p->qname_len;
	m.qtype = p->qtype;
	m.qclass = p->qclass;
	struct fwd_client cl = p->cl;

	len = dns_error(&m, 1, DNS_R_SERVFAIL, out, sizeof(out));
	pend_free(i);
	reply_cb(&cl, out, len, len);
}

int fwd_expire(uint64_t now)
{
	while (fifo_head >= 0 && pend[fifo_head].deadline <= now) {
		int i = fifo_head;
		struct pend *p = &pend[i];
		size_t limit = p->nup > 1 ? p->nup : 2;

		if (limit > MAX_TRIES)
			limit = MAX_TRIES;
		if (!p->qlen || p->tries >= limit || p->tcp_fd >= 0) {
			fail_query(i);
			continue;
		}
		fifo_unlink(i);
		p->cur = (p->cur + 1) % p->nup;
		p->deadline = now + TRY_MS;
		fifo_append(i);
		if (send_try(i, p->q, p->qlen))
			fail_query(i);
	}
	if (fifo_head < 0)
		return -1;
	return (int)(pend[fifo_head].deadline - now);
}

size_t fwd_inflight(void)
{
	return inflight;
}

/* tcp_start() - ask the same server again over TCP (the UDP answer was
 * truncated and the client, on TCP, can take the whole one) */
static int tcp_start(int i)
{
	struct pend *p = &pend[i];
	struct sockaddr_storage ss;
	size_t sl = addr_to_sockaddr(&p->ups[p->cur], 53, &ss);
	struct epoll_event ev = { .events = EPOLLOUT, .data.u64 = sock_tag | TCP_FLAG | (uint32_t)i };
	int fd;

	fd = socket(p->ups[p->cur].family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if ((connect(fd, (struct sockaddr *)&ss, (socklen_t)sl) && errno != EINPROGRESS) ||
	    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev)) {
		close(fd);
		return -errno;
	}
	p->tcp_fd = fd;
	p->tcp_sent = 0;
	p->tcp_len = 0;
	/* a fresh deadline for the TCP exchange */
	fifo_unlink(i);
	p->deadline = now_ms() + TRY_MS;
	fifo_append(i);
	return 0;
}

/* deliver() - check an answer for pending query @i and hand it on */
static void deliver(int i, uint8_t *msg, size_t len, int truncated)
{
	_cleanup_free_ uint8_t *own = NULL;
	struct pend *p = &pend[i];
	struct fwd_client cl;
	struct dns_msg m;
	int rc;

	rc = dns_parse(msg, len, &m);
	if (rc == -EBADMSG || !(m.flags & DNS_F_QR))
		return;
	if (rc || m.qdcount != 1) {
		if (truncated || m.qdcount != 0 || !m.rcode)
			return;
		m.qend = DNS_HDR;	/* an error without a question: relay it */
	} else if (!dns_name_equal(m.qname, m.qname_len, p->qname, p->qname_len) ||
		   m.qtype != p->qtype || m.qclass != p->qclass) {
		return;			/* a different question: spoofed or stale */
	}
	if ((m.flags & DNS_F_TC) && p->cl.tcp && p->qlen && p->tcp_fd < 0 && !tcp_start(i))
		return;			/* the whole answer comes over TCP */
	msg[0] = (uint8_t)(p->cl.id >> 8);
	msg[1] = (uint8_t)p->cl.id;
	if (truncated)
		len = dns_truncate(msg, len, m.qend);
	if (p->cache_variant >= 0) {
		struct cache_key k = { .qname = p->qname, .qname_len = p->qname_len,
				       .qtype = p->qtype, .qclass = p->qclass,
				       .variant = (unsigned)p->cache_variant,
				       .ups = p->ups, .nup = p->nup };

		rc = cache_put(&k, msg, len, now_ms());
		if (rc)
			debug("cache: answer not kept: %s", strerror(-rc));
	}
	cl = p->cl;
	/* an answer read over TCP lives in the entry's buffer: keep it */
	if (p->tcp_buf && msg == p->tcp_buf + 2)
		own = take_ptr(&p->tcp_buf);
	pend_free(i);
	reply_cb(&cl, msg, len, m.qend);
}

/* answer() - one datagram from upstream socket @sock */
static void answer(int sock, uint8_t *msg, size_t len, int truncated,
		   const struct sockaddr *from)
{
	struct addr a;
	uint16_t port;
	struct pend *p;
	int i;

	if (len < DNS_HDR)
		return;
	i = idmap[(uint16_t)(msg[0] << 8 | msg[1])] - 1;
	if (i < 0)
		return;
	p = &pend[i];
	if (!p->used || p->sock != sock || p->tcp_fd >= 0 ||
	    addr_from_sockaddr(from, &a, &port) || port != 53 || !addr_equal(&a, &p->ups[p->cur]))
		return;			/* not from the server we asked: ignore */
	deliver(i, msg, len, truncated);
}

/* tcp_event() - the TCP retry of pending query @i: send, then read the answer */
static void tcp_event(int i, uint32_t events)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = sock_tag | TCP_FLAG | (uint32_t)i };
	struct pend *p;

	if (i < 0 || i >= PEND_MAX)
		return;
	p = &pend[i];
	if (!p->used || p->tcp_fd < 0)
		return;
	if (events & (EPOLLERR | EPOLLHUP) && !(events & EPOLLIN)) {
		fail_query(i);
		return;
	}
	if (!p->tcp_sent) {
		uint8_t hdr[2] = { (uint8_t)(p->qlen >> 8), (uint8_t)p->qlen };
		struct iovec iov[2] = { { hdr, 2 }, { p->q, p->qlen } };
		struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };

		p->q[0] = (uint8_t)(p->myid >> 8);
		p->q[1] = (uint8_t)p->myid;
		/* a query is a few hundred bytes: it fits an empty socket buffer */
		if (sendmsg(p->tcp_fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)(p->qlen + 2)) {
			fail_query(i);
			return;
		}
		p->tcp_sent = 1;
		epoll_ctl(epfd, EPOLL_CTL_MOD, p->tcp_fd, &ev);
		return;
	}
	if (!p->tcp_buf) {
		p->tcp_buf = malloc(2 + 65535);
		if (!p->tcp_buf) {
			fail_query(i);
			return;
		}
	}
	for (;;) {
		size_t want = p->tcp_len < 2 ? 2 :
			      2 + ((size_t)p->tcp_buf[0] << 8 | p->tcp_buf[1]);
		ssize_t r;

		if (p->tcp_len >= 2 && p->tcp_len == want) {
			deliver(i, p->tcp_buf + 2, want - 2, 0);
			if (p->used && p->tcp_fd >= 0)
				fail_query(i);	/* not the answer to our question */
			return;
		}
		r = recv(p->tcp_fd, p->tcp_buf + p->tcp_len, want - p->tcp_len, MSG_DONTWAIT);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (r <= 0) {
			fail_query(i);
			return;
		}
		p->tcp_len += (size_t)r;
	}
}

void fwd_input(uint32_t idx, uint32_t events)
{
	int n, k;

	if (idx & TCP_FLAG) {
		tcp_event((int)(idx & ~TCP_FLAG), events);
		return;
	}
	if (idx >= ARRAY_SIZE(socks) || socks[idx] < 0)
		return;
	n = udp_batch_recv(&rx, socks[idx]);
	for (k = 0; k < n; k++)
		answer((int)idx, rxbuf[k], rx.mm[k].msg_len,
		       !!(rx.mm[k].msg_hdr.msg_flags & MSG_TRUNC), (struct sockaddr *)&rx.addr[k]);
}

size_t fwd_parse_resolv(const char *text, struct addr *out, size_t max)
{
	const char *p = text;
	size_t n = 0;

	while (*p && n < max) {
		const char *eol = strchr(p, '\n');
		size_t l = eol ? (size_t)(eol - p) : strlen(p);
		char line[256], word[16], val[128];

		if (l < sizeof(line)) {
			memcpy(line, p, l);
			line[l] = '\0';
			if (sscanf(line, " %15s %127s", word, val) == 2 &&
			    !strcmp(word, "nameserver") && !strchr(val, '%') &&
			    !addr_parse(val, &out[n]) && !addr_is_any(&out[n]))
				n++;
		}
		p += l + (eol ? 1 : 0);
	}
	return n;
}

size_t fwd_resolvers(struct addr *out, size_t max)
{
	static struct addr cached[FWD_MAX_UPSTREAM];
	static size_t ncached;
	static uint64_t checked;
	static struct stat last;
	const char *path = getenv("BURROW_RESOLV_CONF");
	uint64_t now = now_ms();
	struct stat st;

	if (!path || !*path)
		path = "/etc/resolv.conf";
	if (!checked || now - checked >= 1000) {
		checked = now;
		if (stat(path, &st)) {
			if (ncached || last.st_ino)
				cache_clear();
			ncached = 0;
			memset(&last, 0, sizeof(last));
		} else if (st.st_ino != last.st_ino || st.st_dev != last.st_dev ||
			   st.st_size != last.st_size || st.st_mtim.tv_sec != last.st_mtim.tv_sec ||
			   st.st_mtim.tv_nsec != last.st_mtim.tv_nsec) {
			_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
			char buf[8192];
			ssize_t r = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

			last = st;
			ncached = 0;
			cache_clear();		/* answers of the old resolvers */
			if (r >= 0) {
				buf[r] = '\0';
				ncached = fwd_parse_resolv(buf, cached, ARRAY_SIZE(cached));
				debug("%s: %zu resolvers", path, ncached);
			}
		}
	}
	if (max > ncached)
		max = ncached;
	memcpy(out, cached, max * sizeof(*out));
	return max;
}
