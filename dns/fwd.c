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
#include "clock.h"
#include "fwd.h"
#include "log.h"
#include "quota.h"
#include "udpbatch.h"

#define PEND_MAX	FWD_INFLIGHT_MAX
#define PEND_QMAX	1232		/* queries longer than this are not retried */
#define TRY_MS		1500		/* wait per upstream try */
#define MAX_TRIES	3
#define UPS_STATE_MAX	64		/* upstreams whose 0x20 habit we remember */
#define CAPS_MISMATCH_MAX 3		/* answers in other case before 0x20 is off */
#define CAPS_OFF_MS	(600 * 1000)	/* ... for this long, then tried again */

struct pend {
	int used;
	uint16_t myid;
	uint16_t qflags;
	uint32_t gen;			/* changes with each socket: stale events */
	int fd;				/* this try's UDP socket, -1: none */
	int caps;			/* this try's name is in random case */
	int nocaps;			/* the server answered in another case: no 0x20 */
	int client_q, net_q;		/* quota nodes */
	struct fwd_client cl;
	struct addr ups[FWD_MAX_UPSTREAM];
	size_t nup, cur, tries;
	uint8_t qname[DNS_NAME_MAX];	/* the client's name, its case */
	uint8_t sent[DNS_NAME_MAX];	/* the name as sent */
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

/* What we learnt of an upstream: does it keep the case of the name? */
struct ups_state {
	struct addr a;
	unsigned mismatches;		/* answers in other case, none right since */
	uint64_t caps_off_until;	/* 0x20 off until then */
	uint64_t used;			/* last use, for eviction */
};

/* event index: bits 0-15 the query, 16 TCP, 17-31 a generation */
#define IDX_MASK	0xffffu
#define TCP_FLAG	0x10000u
#define GEN_SHIFT	17
#define GEN_MASK	0x7fffu

static struct pend pend[PEND_MAX];
/* apart from the table, so that only queries in flight touch their pages */
static uint8_t pend_q[PEND_MAX][PEND_QMAX];
static int free_head = -1, fifo_head = -1, fifo_tail = -1;
static size_t inflight, limit = PEND_MAX;
static struct quota_table clients, nets;
static struct ups_state ups_state[UPS_STATE_MAX];
static int epfd = -1;
static uint64_t sock_tag;
static fwd_reply_fn reply_cb;
static struct fwd_stats stats;
static uint8_t rnd[512];
static size_t rnd_pos = sizeof(rnd);

/* rxbuf for answers: one batch of upstream datagrams */
static uint8_t rxbuf[UDPBATCH_MAX][DNS_UDP_MAX];
static struct udp_batch rx;

/* rand8() - 8 random bits from a buffer refilled by getrandom() */
static uint8_t rand8(void)
{
	if (rnd_pos >= sizeof(rnd)) {
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
			/* never expected; degrade to the clock rather than fail */
			uint64_t t = clock_ms() * 2654435761u;
			size_t i;

			for (i = 0; i < sizeof(rnd); i++)
				rnd[i] = (uint8_t)(t >> (i % 8 * 8)) ^ (uint8_t)i;
		}
		rnd_pos = 0;
	}
	return rnd[rnd_pos++];
}

static uint16_t rand16(void)
{
	return (uint16_t)(rand8() << 8 | rand8());
}

size_t fwd_case_randomize(uint8_t *name, size_t len, uint8_t (*rndf)(void))
{
	size_t pos = 0, letters = 0;
	uint8_t bits = 0;

	while (pos < len && name[pos]) {
		size_t l = name[pos], k;

		for (k = pos + 1; k <= pos + l && k < len; k++) {
			uint8_t c = name[k] | 0x20;

			if (c < 'a' || c > 'z')
				continue;
			if (!(letters % 8))
				bits = rndf();
			name[k] = (bits & 1) ? (uint8_t)(c & ~0x20) : c;
			bits >>= 1;
			letters++;
		}
		pos += l + 1;
	}
	return letters;
}

int fwd_init(int ep, uint64_t tag, fwd_reply_fn reply, size_t max)
{
	int i;

	epfd = ep;
	sock_tag = tag;
	reply_cb = reply;
	limit = max && max < PEND_MAX ? max : PEND_MAX;
	free_head = -1;
	for (i = (int)limit - 1; i >= 0; i--) {
		pend[i].used = 0;
		pend[i].fd = -1;
		pend[i].tcp_fd = -1;
		pend[i].q = pend_q[i];
		pend[i].next = free_head;
		free_head = i;
	}
	fifo_head = fifo_tail = -1;
	inflight = 0;
	quota_init(&clients);
	quota_init(&nets);
	memset(ups_state, 0, sizeof(ups_state));
	udp_batch_init(&rx, &rxbuf[0][0], sizeof(rxbuf[0]), UDPBATCH_MAX);
	return 0;
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

/* udp_close() - close the UDP socket of pending query @i, if any */
static void udp_close(struct pend *p)
{
	if (p->fd < 0)
		return;
	close(p->fd);		/* also leaves the epoll set */
	p->fd = -1;
	p->gen++;
}

static void pend_free(int i)
{
	struct pend *p = &pend[i];

	fifo_unlink(i);
	udp_close(p);
	if (p->tcp_fd >= 0) {
		close(p->tcp_fd);
		p->tcp_fd = -1;
	}
	p->gen++;
	free(p->tcp_buf);
	p->tcp_buf = NULL;
	quota_put(&clients, p->client_q);
	quota_put(&nets, p->net_q);
	p->used = 0;
	p->next = free_head;
	free_head = i;
	inflight--;
}

void fwd_close(void)
{
	int i;

	for (i = 0; i < (int)limit; i++)
		if (pend[i].used)
			pend_free(i);
	info("forwarded: %llu sent, %llu answered, %llu failed, %llu answers dropped (not "
	     "matching; %llu in other case), %llu refused by a quota, %llu pushed out",
	     (unsigned long long)stats.sent, (unsigned long long)stats.answered,
	     (unsigned long long)stats.failed, (unsigned long long)stats.dropped,
	     (unsigned long long)stats.case_mismatch, (unsigned long long)stats.refused_quota,
	     (unsigned long long)stats.preempted);
}

/* ups_find() - what we know of upstream @a, a slot taken for it if new
 * (the least recently used one is forgotten) */
static struct ups_state *ups_find(const struct addr *a, uint64_t now)
{
	struct ups_state *old = &ups_state[0];
	size_t i;

	for (i = 0; i < UPS_STATE_MAX; i++) {
		struct ups_state *u = &ups_state[i];

		if (u->a.family && addr_equal(&u->a, a)) {
			u->used = now;
			return u;
		}
		if (u->used < old->used)
			old = u;
	}
	memset(old, 0, sizeof(*old));
	old->a = *a;
	old->used = now;
	return old;
}

/* use_caps() - send pending query @p's name in random case to its server? */
static int use_caps(const struct pend *p, uint64_t now)
{
	const struct ups_state *u;

	if (p->nocaps || !p->qlen)
		return 0;
	u = ups_find(&p->ups[p->cur], now);
	return u->caps_off_until <= now;
}

/* udp_open() - a socket of its own for pending query @i, connected to its
 * server: the kernel picks a random source port and delivers only what that
 * address and port send */
static int udp_open(int i)
{
	struct pend *p = &pend[i];
	struct sockaddr_storage ss;
	size_t sl = addr_to_sockaddr(&p->ups[p->cur], 53, &ss);
	struct epoll_event ev = { .events = EPOLLIN };
	int fd, err;

	udp_close(p);
	fd = socket(p->ups[p->cur].family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = errno;
		debug("socket(upstream): %s", strerror(err));
		return -err;
	}
	if (connect(fd, (struct sockaddr *)&ss, (socklen_t)sl)) {
		char a[ADDR_STRLEN];

		err = errno;
		debug("connect(upstream %s): %s", addr_format(&p->ups[p->cur], a, sizeof(a)),
		      strerror(err));
		close(fd);
		return -err;
	}
	p->gen++;
	ev.data.u64 = sock_tag | (uint32_t)i | (p->gen & GEN_MASK) << GEN_SHIFT;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev)) {
		err = errno;
		warn("epoll_ctl(upstream socket): %s", strerror(err));
		close(fd);
		return -err;
	}
	p->fd = fd;
	return 0;
}

/* send_try() - send the pending query to upstream p->cur: new socket, port,
 * ID, and case of the name */
static int send_try(int i, const uint8_t *q, size_t len)
{
	struct pend *p = &pend[i];
	uint8_t hdr[2];
	struct iovec iov[2];
	struct msghdr mh = { 0 };
	int rc;

	p->tries++;
	rc = udp_open(i);
	if (rc == -EMFILE || rc == -ENFILE || rc == -ENOMEM || rc == -ENOBUFS)
		return rc;		/* out of sockets: this query fails */
	if (rc)
		return 0;		/* unreachable: the timeout moves on */
	p->myid = rand16();
	memcpy(p->sent, p->qname, p->qname_len);
	p->caps = use_caps(p, clock_ms());
	if (p->caps) {
		fwd_case_randomize(p->sent, p->qname_len, rand8);
		memcpy(p->q + DNS_HDR, p->sent, p->qname_len);
	} else if (p->qlen) {
		memcpy(p->q + DNS_HDR, p->qname, p->qname_len);
	}
	hdr[0] = (uint8_t)(p->myid >> 8);
	hdr[1] = (uint8_t)p->myid;
	iov[0].iov_base = hdr;
	iov[0].iov_len = 2;
	iov[1].iov_base = (void *)(q + 2);
	iov[1].iov_len = len - 2;
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	if (sendmsg(p->fd, &mh, MSG_DONTWAIT) < 0) {
		char a[ADDR_STRLEN];

		debug("sendmsg(upstream %s): %s", addr_format(&p->ups[p->cur], a, sizeof(a)),
		      strerror(errno));
		/* the timeout moves on to the next server */
	}
	stats.sent++;
	return 0;
}

/* fail_query() - answer SERVFAIL for pending query @i and free it */
static void fail_query(int i)
{
	struct pend *p = &pend[i];
	struct dns_msg m = { 0 };
	uint8_t out[DNS_HDR + DNS_NAME_MAX + 4];
	struct fwd_client cl = p->cl;
	size_t len;

	m.id = p->cl.id;
	m.flags = p->qflags;
	m.opcode = (p->qflags >> 11) & 0xf;
	memcpy(m.qname, p->qname, p->qname_len);
	m.qname_len = p->qname_len;
	m.qtype = p->qtype;
	m.qclass = p->qclass;
	len = dns_error(&m, 1, DNS_R_SERVFAIL, out, sizeof(out));
	pend_free(i);
	stats.failed++;
	reply_cb(&cl, out, len, len);
}

/* may_take() - the asker @c (@ccount in flight) may have the slot of pending
 * query @v: @v's client, of the same network, holds many while the asker
 * holds few; or (@share > 0) @v's network holds more than its fair @share of
 * the table while the asker's holds less */
static int may_take(const struct pend *v, const struct fwd_client *c, uint32_t ccount,
		    uint32_t share)
{
	if (v->cl.netid == c->netid)
		return ccount < FWD_CLIENT_LIGHT &&
		       quota_node_count(&clients, v->client_q) >= 2 * FWD_CLIENT_LIGHT;
	return share && quota_node_count(&nets, v->net_q) > share;
}

/* make_room() - answer SERVFAIL to the oldest query that the asker may
 * take the slot of (unbound "jostles" old queries out of a full list the
 * same way); heavy askers never push each other out, so a full table does
 * not churn
 *
 * Return: 0 if a slot was freed, -1 if the asker may take none
 */
static int make_room(const struct fwd_client *c, uint32_t ccount, uint32_t share)
{
	int i;

	if (ccount >= FWD_CLIENT_LIGHT && !share)
		return -1;		/* a heavy asker: no walk */
	for (i = fifo_head; i >= 0; i = pend[i].next) {
		if (may_take(&pend[i], c, ccount, share)) {
			stats.preempted++;
			fail_query(i);
			return 0;
		}
	}
	return -1;
}

/* refused() - count a query refused by a quota, say so at most once a second */
static int refused(const struct fwd_client *c, uint32_t ccount, uint32_t ncount, int rc)
{
	static uint64_t said, since;
	uint64_t now = clock_ms();
	char a[ADDR_STRLEN];

	stats.refused_quota++;
	since++;
	if (now - said >= 1000) {
		info("quota: %llu queries refused in the last %llu ms (the last: %s, %u in "
		     "flight, its network %u: %u, all: %zu)", (unsigned long long)since,
		     (unsigned long long)(said ? now - said : 0), addr_format(&c->src, a, sizeof(a)),
		     ccount, c->netid, ncount, inflight);
		said = now;
		since = 0;
	}
	return rc;
}

/* admit() - quotas for a new query of @c: 0 when a slot is free for it */
static int admit(const struct fwd_client *c)
{
	struct quota_key ck = quota_key_addr(&c->src), nk = quota_key_id(c->netid);
	uint32_t ccount = quota_count(&clients, &ck), ncount = quota_count(&nets, &nk), share;

	if (ccount >= FWD_CLIENT_MAX)
		return refused(c, ccount, ncount, -EDQUOT);
	if (ncount >= FWD_NET_MAX && make_room(c, ccount, 0))
		return refused(c, ccount, ncount, -EDQUOT);
	if (free_head >= 0)
		return 0;
	/* the table shared out among the networks with queries in flight */
	share = (uint32_t)(limit / (nets.active + !ncount));
	if (make_room(c, ccount, ncount < share ? share : 0) || free_head < 0)
		return refused(c, ccount, ncount, -EBUSY);
	return 0;
}

int fwd_query(const uint8_t *q, size_t len, const struct dns_msg *m,
	      const struct addr *ups, size_t nup, const struct fwd_client *c)
{
	struct quota_key ck, nk;
	struct pend *p;
	int i, rc;

	if (!nup || len < DNS_HDR || m->qname_len > DNS_NAME_MAX)
		return -EINVAL;
	rc = admit(c);
	if (rc)
		return rc;
	i = free_head;
	p = &pend[i];
	free_head = p->next;
	memset(p, 0, offsetof(struct pend, q));
	p->fd = -1;
	p->tcp_fd = -1;
	p->tcp_buf = NULL;
	p->used = 1;
	p->cl = *c;
	ck = quota_key_addr(&c->src);
	nk = quota_key_id(c->netid);
	/* nodes never run out: there are as many as slots in the table */
	p->client_q = quota_take(&clients, &ck);
	p->net_q = quota_take(&nets, &nk);
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
	p->deadline = clock_ms() + TRY_MS;
	inflight++;
	fifo_append(i);
	rc = send_try(i, p->qlen ? p->q : q, len);
	if (rc) {
		pend_free(i);
		return rc;
	}
	return 0;
}

int fwd_expire(uint64_t now)
{
	while (fifo_head >= 0 && pend[fifo_head].deadline <= now) {
		int i = fifo_head;
		struct pend *p = &pend[i];
		size_t max = p->nup > 1 ? p->nup : 2;

		if (max > MAX_TRIES)
			max = MAX_TRIES;
		if (!p->qlen || p->tries >= max || p->tcp_fd >= 0) {
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

void fwd_get_stats(struct fwd_stats *s)
{
	*s = stats;
}

/* tcp_start() - ask the same server again over TCP (the UDP answer was
 * truncated and the client, on TCP, can take the whole one) */
static int tcp_start(int i)
{
	struct pend *p = &pend[i];
	struct sockaddr_storage ss;
	size_t sl = addr_to_sockaddr(&p->ups[p->cur], 53, &ss);
	struct epoll_event ev = { .events = EPOLLOUT };
	int fd;

	udp_close(p);			/* one socket per query in flight */
	ev.data.u64 = sock_tag | TCP_FLAG | (uint32_t)i | (p->gen & GEN_MASK) << GEN_SHIFT;
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
	p->deadline = clock_ms() + TRY_MS;
	fifo_append(i);
	return 0;
}

/* case_mismatch() - the server asked answered our question in other case:
 * drop the answer (a forger guessed port and ID, but not the case) and ask
 * the same server again with the name as the client wrote it; a server that
 * does it CAPS_MISMATCH_MAX times in a row is asked without 0x20 for a while */
static void case_mismatch(int i)
{
	struct pend *p = &pend[i];
	uint64_t now = clock_ms();
	struct ups_state *u = ups_find(&p->ups[p->cur], now);
	char a[ADDR_STRLEN];

	stats.case_mismatch++;
	if (++u->mismatches >= CAPS_MISMATCH_MAX && u->caps_off_until <= now) {
		u->caps_off_until = now + CAPS_OFF_MS;
		info("upstream %s does not keep the case of names: 0x20 off for %d s",
		     addr_format(&u->a, a, sizeof(a)), CAPS_OFF_MS / 1000);
	}
	p->nocaps = 1;
	p->tries--;			/* the same try, once more */
	if (send_try(i, p->q, p->qlen))
		fail_query(i);
}

/* deliver() - check an answer for pending query @i and hand it on */
static void deliver(int i, uint8_t *msg, size_t len, int truncated)
{
	_cleanup_free_ uint8_t *own = NULL;
	struct pend *p = &pend[i];
	struct fwd_client cl;
	struct dns_msg m;
	int rc, with_q = 1;

	rc = dns_parse(msg, len, &m);
	if (rc == -EBADMSG || !(m.flags & DNS_F_QR))
		goto drop;
	if (rc || m.qdcount != 1) {
		if (truncated || m.qdcount != 0 || !m.rcode)
			goto drop;
		m.qend = DNS_HDR;	/* an error without a question: relay it */
		with_q = 0;
	} else if (!dns_name_equal(m.qname, m.qname_len, p->qname, p->qname_len) ||
		   m.qtype != p->qtype || m.qclass != p->qclass) {
		goto drop;		/* a different question: spoofed or stale */
	} else if (p->caps && memcmp(m.qname, p->sent, p->qname_len)) {
		stats.dropped++;
		if (p->tcp_fd < 0) {
			case_mismatch(i);
			return;
		}
		return;			/* over TCP: the caller fails it */
	}
	if (p->caps && with_q)
		ups_find(&p->ups[p->cur], clock_ms())->mismatches = 0;
	/* the name as the client wrote it (the question is never compressed) */
	if (with_q)
		memcpy(msg + DNS_HDR, p->qname, p->qname_len);
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
				       .ups = p->ups, .nup = p->nup, .netid = p->cl.netid };

		rc = cache_put(&k, msg, len, clock_ms());
		if (rc)
			debug("cache: answer not kept: %s", strerror(-rc));
	}
	cl = p->cl;
	/* an answer read over TCP lives in the entry's buffer: keep it */
	if (p->tcp_buf && msg == p->tcp_buf + 2)
		own = take_ptr(&p->tcp_buf);
	pend_free(i);
	stats.answered++;
	reply_cb(&cl, msg, len, m.qend);
	return;
drop:
	stats.dropped++;
}

/* answer() - one datagram on the socket of pending query @i */
static void answer(int i, uint8_t *msg, size_t len, int truncated, const struct sockaddr *from)
{
	struct pend *p = &pend[i];
	struct addr a;
	uint16_t port;

	/* the socket is connected: the kernel let only the server's address
	 * and port through; checked again all the same */
	if (len < DNS_HDR || addr_from_sockaddr(from, &a, &port) || port != 53 ||
	    !addr_equal(&a, &p->ups[p->cur]) || (uint16_t)(msg[0] << 8 | msg[1]) != p->myid) {
		stats.dropped++;
		return;			/* not from the server we asked, or another ID */
	}
	deliver(i, msg, len, truncated);
}

/* udp_event() - answers on the UDP socket of pending query @i */
static void udp_event(int i, uint32_t gen)
{
	struct pend *p = &pend[i];
	int n, k, fd = p->fd;

	if (!p->used || fd < 0 || (p->gen & GEN_MASK) != gen)
		return;
	n = udp_batch_recv(&rx, fd);
	for (k = 0; k < n && p->used && p->fd == fd; k++)
		answer(i, rxbuf[k], rx.mm[k].msg_len,
		       !!(rx.mm[k].msg_hdr.msg_flags & MSG_TRUNC), (struct sockaddr *)&rx.addr[k]);
}

/* tcp_event() - the TCP retry of pending query @i: send, then read the answer */
static void tcp_event(int i, uint32_t gen, uint32_t events)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct pend *p = &pend[i];

	if (!p->used || p->tcp_fd < 0 || (p->gen & GEN_MASK) != gen)
		return;
	ev.data.u64 = sock_tag | TCP_FLAG | (uint32_t)i | (p->gen & GEN_MASK) << GEN_SHIFT;
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
			if (want - 2 >= DNS_HDR &&
			    (uint16_t)(p->tcp_buf[2] << 8 | p->tcp_buf[3]) == p->myid)
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
	uint32_t i = idx & IDX_MASK, gen = (idx >> GEN_SHIFT) & GEN_MASK;

	if (i >= limit)
		return;
	if (idx & TCP_FLAG)
		tcp_event((int)i, gen, events);
	else
		udp_event((int)i, gen);
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
	uint64_t now = clock_ms();
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
