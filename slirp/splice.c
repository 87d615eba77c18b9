// SPDX-License-Identifier: GPL-2.0-or-later
/* splice.c - loopback clients of a forward: socket to socket with splice(2) */

#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "fdpass.h"
#include "isolation.h"
#include "log.h"
#include "splice.h"
#include "tap.h"

#define POOL_MAX	32	/* guest-side sockets kept ready, per family */
#define POOL_LOW	16	/* ask the helper for more below this */
#define PIPE_SIZE	(256 << 10)	/* F_SETPIPE_SZ; the default (64 KiB) if refused */
#define PUMP_ROUNDS	16	/* splices per direction before others get a turn */
#define HELPER_WAIT_S	2	/* longest wait for the helper's sockets */

/* A request to the helper, and its answer (with the sockets attached):
 * @proto 0 asks for @count unconnected TCP sockets (the pool), IPPROTO_TCP
 * or IPPROTO_UDP for one listener on the loopback address of @family */
struct helper_req {
	uint8_t family;
	uint8_t count;		/* 1..FDPASS_MAX; 1 for a listener */
	uint8_t proto;
	uint8_t pad;
	uint16_t port;		/* listener's port */
};

struct helper_reply {
	uint8_t family;		/* 0: the greeting after set-up */
	uint8_t asked;
	uint8_t given;
	uint8_t proto;		/* as asked */
	int32_t err;		/* errno of a socket() that failed, else 0 */
	uint16_t port;
	uint16_t pad;
};

/* The answer to the last listener request */
static struct {
	int waiting, done, fd, err;
} lsn_reply = { .fd = -1 };

/* One side of a connection; its pipe carries what was read from it */
struct side {
	int fd;
	int pipe_r, pipe_w;
	uint32_t pending;	/* bytes in the pipe */
	uint8_t eof;		/* end of stream read from this side */
	uint8_t shut;		/* we shut down writing to this side */
};

struct conn {
	struct side s[2];	/* 0: the client's (accepted), 1: the one we connect */
	uint8_t used;
	uint8_t connecting;	/* guest side's connect() not finished */
	uint8_t more;		/* bit per direction (by source side): stopped early */
	int next_free;
};

struct pool {
	int fds[POOL_MAX];
	int n;
	int asked;		/* requested, not yet received */
};

static struct conn conns[SPLICE_CONN_MAX];
static int free_head = -1, conns_init, conns_used;
static int more_list[SPLICE_CONN_MAX * 2], more_n;
static struct pool pools[2];	/* [0] IPv4, [1] IPv6 */
static int helper_fd = -1;
static int pipe_size = PIPE_SIZE;

static void conns_setup(void)
{
	int i;

	if (conns_init)
		return;
	for (i = SPLICE_CONN_MAX - 1; i >= 0; i--) {
		conns[i].next_free = free_head;
		free_head = i;
	}
	conns_init = 1;
}

/* Helper process: a TCP or UDP socket bound to the loopback address of the
 * request's family and port (listening for TCP).  Return: fd, or -errno */
static int helper_listener(const struct helper_req *rq)
{
	int type = rq->proto == IPPROTO_UDP ? SOCK_DGRAM : SOCK_STREAM, one = 1, fd, e;
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6, .sin6_port = htons(rq->port),
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in s4 = { .sin_family = AF_INET, .sin_port = htons(rq->port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	if ((rq->proto != IPPROTO_TCP && rq->proto != IPPROTO_UDP) || !rq->port)
		return -EINVAL;
	fd = socket(rq->family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, rq->proto);
	if (fd < 0)
		return -errno;
	if (type == SOCK_STREAM)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (rq->family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if ((rq->family == AF_INET6 ? bind(fd, (struct sockaddr *)&s6, sizeof(s6)) :
	     bind(fd, (struct sockaddr *)&s4, sizeof(s4))) ||
	    (type == SOCK_STREAM && listen(fd, 4096))) {
		e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

/* Helper process: make sockets in the namespace it joined, pass them */
static void __attribute__((noreturn)) helper_serve(int sock)
{
	for (;;) {
		struct helper_reply rp = { 0 };
		struct helper_req rq;
		int fds[FDPASS_MAX], i, r;
		ssize_t n = read(sock, &rq, sizeof(rq));

		if (n == 0)
			_exit(0);	/* burrow-slirp ended */
		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(rq) || (rq.family != AF_INET && rq.family != AF_INET6) ||
		    !rq.count || rq.count > FDPASS_MAX)
			_exit(1);
		rp.family = rq.family;
		rp.asked = rq.count;
		rp.proto = rq.proto;
		rp.port = rq.port;
		if (rq.proto) {
			int fd = helper_listener(&rq);

			if (fd < 0)
				rp.err = -fd;
			else
				fds[rp.given++] = fd;
		}
		for (i = 0; !rq.proto && i < rq.count; i++) {
			int fd = socket(rq.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
					IPPROTO_TCP);

			if (fd < 0) {
				rp.err = errno;
				break;
			}
			fds[rp.given++] = fd;
		}
		r = fd_send(sock, fds, rp.given, &rp, sizeof(rp));
		for (i = 0; i < rp.given; i++)
			close(fds[i]);
		if (r < 0)
			_exit(1);
	}
}

/* Helper process: join the guest's namespaces, shed everything else, serve */
static void __attribute__((noreturn)) helper_main(const struct ctx *c, int sock, int userns,
						  int netns, pid_t parent)
{
	struct helper_reply hello = { 0 };

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	prctl(PR_SET_NAME, "slirp-splice");
	if (c->conf.title && c->conf.title_len > 1) {	/* not mistaken for burrow-slirp */
		memset(c->conf.title, 0, c->conf.title_len);
		snprintf(c->conf.title, c->conf.title_len, "burrow-slirp: splice helper");
	}
	if (userns >= 0 && setns(userns, CLONE_NEWUSER)) {
		err("splice helper: setns(user namespace of the target): %s", strerror(errno));
		_exit(1);
	}
	if (setns(netns, CLONE_NEWNET)) {
		err("splice helper: setns(network namespace of the target): %s", strerror(errno));
		_exit(1);
	}
	/* pasta in the background: the engine reads our stdout and stderr to
	 * their end, so the helper lets go of them too (its set-up errors above
	 * went there still; the parent reports that it did not start) */
	if (c->conf.detach_stdio) {
		int nul = open("/dev/null", O_RDWR | O_CLOEXEC);

		if (nul < 0 || dup2(nul, 0) < 0 || dup2(nul, 1) < 0 || dup2(nul, 2) < 0)
			_exit(1);
		if (nul > 2)
			close(nul);
	}
	/* keep stdio for messages and the socket as fd 3, nothing else */
	if (dup2(sock, 3) < 0) {
		err("splice helper: dup2: %s", strerror(errno));
		_exit(1);
	}
	if (syscall(SYS_close_range, 4U, ~0U, 0U)) {
		int fd;

		for (fd = 4; fd < 65536; fd++)
			close(fd);
	}
	prctl(PR_SET_DUMPABLE, 0);	/* the guest's root must not ptrace it */
	if (isolation_seccomp_helper())
		_exit(1);
	if (fd_send(3, NULL, 0, &hello, sizeof(hello)) < 0)
		_exit(1);
	helper_serve(3);
}

static void helper_stop(struct ctx *c, const char *why)
{
	if (helper_fd < 0)
		return;
	warn("splice helper: %s; loopback clients of forwards take the frame path", why);
	epoll_ctl(c->epoll_fd, EPOLL_CTL_DEL, helper_fd, NULL);
	close(helper_fd);
	helper_fd = -1;
}

/* Whether @fd is a socket of @family and @proto (the helper is not trusted
 * blindly) */
static int sock_ok(int fd, int family, int proto)
{
	int v = 0;
	socklen_t l = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &l) || v != family)
		return 0;
	l = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &l) || v != proto)
		return 0;
	return 1;
}

/* Keep the answer to a listener request for splice_ns_listener() */
static void listener_answer(const struct helper_reply *rp, const int *fds, size_t n)
{
	size_t i;

	if (lsn_reply.waiting && !lsn_reply.done && n == 1 &&
	    sock_ok(fds[0], rp->family, rp->proto)) {
		lsn_reply.fd = fds[0];
		lsn_reply.err = 0;
		lsn_reply.done = 1;
		return;
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	if (lsn_reply.waiting && !lsn_reply.done) {
		lsn_reply.err = rp->err ? rp->err : EPROTO;
		lsn_reply.done = 1;
	}
}

/* Read one answer of the helper into the pools; -errno, or 0 */
static int helper_recv(struct ctx *c)
{
	struct helper_reply rp;
	int fds[FDPASS_MAX];
	size_t n = FDPASS_MAX, i;
	struct pool *p;
	ssize_t r;

	r = fd_recv(helper_fd, fds, &n, &rp, sizeof(rp));
	if (r == -EAGAIN || r == -EINTR)
		return (int)r;
	if (r <= 0 || r != sizeof(rp) || (rp.family != AF_INET && rp.family != AF_INET6) ||
	    n != rp.given) {
		for (i = 0; i < n; i++)
			close(fds[i]);
		helper_stop(c, r == 0 ? "exited" : r < 0 ? strerror((int)-r) : "bad answer");
		return -EPIPE;
	}
	if (rp.proto) {
		listener_answer(&rp, fds, n);
		return 0;
	}
	p = &pools[rp.family == AF_INET6];
	p->asked = p->asked > rp.asked ? p->asked - rp.asked : 0;
	if (rp.err)
		warn("splice helper: socket(): %s", strerror(rp.err));
	for (i = 0; i < n; i++) {
		if (p->n < POOL_MAX && sock_ok(fds[i], rp.family, IPPROTO_TCP))
			p->fds[p->n++] = fds[i];
		else
			close(fds[i]);
	}
	return 0;
}

/* Ask for sockets of @family when the pool runs low */
static void pool_refill(struct ctx *c, int family)
{
	struct pool *p = &pools[family == AF_INET6];
	struct helper_req rq = { .family = (uint8_t)family };
	int want = POOL_MAX - p->n - p->asked;

	if (helper_fd < 0 || p->n + p->asked >= POOL_LOW)
		return;
	rq.count = (uint8_t)(want > FDPASS_MAX ? FDPASS_MAX : want);
	if (send(helper_fd, &rq, sizeof(rq), MSG_NOSIGNAL | MSG_DONTWAIT) != sizeof(rq)) {
		if (errno != EAGAIN)
			helper_stop(c, strerror(errno));
		return;
	}
	p->asked += rq.count;
}

/* A guest-side socket of @family; waits (bounded) for the helper if none is ready */
static int pool_take(struct ctx *c, int family)
{
	struct pool *p = &pools[family == AF_INET6];
	int fd;

	pool_refill(c, family);
	while (!p->n && p->asked && helper_fd >= 0) {
		if (helper_recv(c) == -EAGAIN) {
			warn("splice helper: no answer within %d s", HELPER_WAIT_S);
			break;
		}
	}
	if (!p->n)
		return -EAGAIN;
	fd = p->fds[--p->n];
	pool_refill(c, family);
	return fd;
}

int splice_init(struct ctx *c)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = EP_REF(EP_SPLICE_HELPER, 0) };
	struct timeval tv = { .tv_sec = HELPER_WAIT_S };
	int sv[2], userns = -1, netns = -1, r;
	struct helper_reply hello;
	size_t n = 0;
	pid_t pid, self = getpid();

	conns_setup();
	r = tap_open_ns(&c->conf, &userns, &netns);
	if (r < 0)
		goto out;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		r = -errno;
		err("socketpair(AF_UNIX): %s", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		r = -errno;
		err("fork (splice helper): %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		goto out;
	}
	if (pid == 0)
		helper_main(c, sv[1], userns, netns, self);
	close(sv[1]);
	helper_fd = sv[0];
	/* blocking: read only when epoll says so, or bounded by this timeout */
	setsockopt(helper_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	r = (int)fd_recv(helper_fd, NULL, &n, &hello, sizeof(hello));
	if (r != sizeof(hello) || n || hello.family) {
		r = r < 0 ? r : -EPIPE;
		err("splice helper did not start: %s", r == -EPIPE ? "it exited" : strerror(-r));
		close(helper_fd);
		helper_fd = -1;
		goto out;
	}
	if (epoll_ctl(c->epoll_fd, EPOLL_CTL_ADD, helper_fd, &ev)) {
		r = -errno;
		err("epoll_ctl(ADD, splice helper): %s", strerror(errno));
		close(helper_fd);
		helper_fd = -1;
		goto out;
	}
	if (c->conf.splice) {		/* else the helper only makes listeners */
		pool_refill(c, AF_INET);
		if (c->conf.ipv6)
			pool_refill(c, AF_INET6);
	}
	r = 0;
out:
	if (userns >= 0)
		close(userns);
	if (netns >= 0)
		close(netns);
	return r;
}

void splice_helper_event(struct ctx *c, uint32_t events)
{
	if (helper_fd < 0)
		return;
	if (events & EPOLLIN) {
		helper_recv(c);
		return;
	}
	if (events & (EPOLLHUP | EPOLLERR))
		helper_stop(c, "exited");
}

static void pipe_close(struct side *s)
{
	if (s->pipe_r >= 0)
		close(s->pipe_r);
	if (s->pipe_w >= 0)
		close(s->pipe_w);
	s->pipe_r = s->pipe_w = -1;
}

/* Close connection @ci; @rst: abort both sockets (RST) instead of closing */
static void conn_close(struct ctx *c, int ci, int rst)
{
	struct conn *k = &conns[ci];
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int i;

	for (i = 0; i < 2; i++) {
		struct side *s = &k->s[i];

		if (s->fd >= 0) {
			/* the helper may not have closed its copy yet: leave epoll explicitly */
			epoll_ctl(c->epoll_fd, EPOLL_CTL_DEL, s->fd, NULL);
			if (rst)
				setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			close(s->fd);
			s->fd = -1;
		}
		pipe_close(s);
	}
	k->used = 0;
	k->more = 0;
	k->next_free = free_head;
	free_head = ci;
	if (!--conns_used)
		pipe_size = PIPE_SIZE;	/* the pipe quota is free again */
}

static void more_add(int ci, int from)
{
	struct conn *k = &conns[ci];

	if (k->more & (1 << from))
		return;
	k->more |= (uint8_t)(1 << from);
	more_list[more_n++] = ci * 2 + from;
}

/*
 * Move what side @from sends to the other side until neither the read nor
 * the write makes progress; the pipe fills while the other side is slow,
 * so a write has data at once when it can go on.  After end of stream,
 * shut down writing to the other side once the pipe is empty.  An EAGAIN
 * on the read means an empty socket or a full pipe: in the second case the
 * other side's EPOLLOUT brings us back.
 * Return: 0, or -1 when the connection must be reset.
 */
static int pump(int ci, int from)
{
	struct conn *k = &conns[ci];
	struct side *a = &k->s[from], *b = &k->s[!from];
	int rounds = 0, progress = 1;
	ssize_t n;

	while (progress) {
		progress = 0;
		if (!a->eof) {
			if (rounds++ == PUMP_ROUNDS) {
				more_add(ci, from);
				return 0;
			}
			n = splice(a->fd, NULL, a->pipe_w, NULL, (size_t)pipe_size,
				   SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
			if (n > 0) {
				a->pending += (uint32_t)n;
				progress = 1;
			} else if (n == 0) {
				a->eof = 1;
				progress = 1;
			} else if (errno == EINTR) {
				progress = 1;
			} else if (errno != EAGAIN) {
				return -1;
			}
		}
		if (a->pending) {
			n = splice(a->pipe_r, NULL, b->fd, NULL, a->pending,
				   SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
			if (n > 0) {
				a->pending -= (uint32_t)n;
				progress = 1;
			} else if (n < 0 && errno == EINTR) {
				progress = 1;
			} else if (n == 0 || errno != EAGAIN) {
				return -1;	/* EPIPE, ECONNRESET: b is gone */
			}
		}
	}
	if (a->eof && !a->pending && !b->shut) {
		shutdown(b->fd, SHUT_WR);
		b->shut = 1;
	}
	return 0;
}

/* Both directions ended and drained: close quietly */
static void maybe_done(struct ctx *c, int ci)
{
	struct conn *k = &conns[ci];

	if (k->s[0].eof && k->s[1].eof && !k->s[0].pending && !k->s[1].pending &&
	    k->s[0].shut && k->s[1].shut)
		conn_close(c, ci, 0);
}

/* Splice between @fd (a client's accepted socket, side 0) and @ofd (side 1),
 * connecting @ofd to @sa; both are the table's once this returns 0, the
 * caller's on -errno */
static int pair(struct ctx *c, int fd, int ofd, const struct sockaddr *sa, socklen_t sl)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET };
	struct conn *k;
	int ci, i, one = 1, r;

	conns_setup();
	if (free_head < 0)
		return -ENOSPC;
	ci = free_head;
	k = &conns[ci];
	memset(k->s, 0, sizeof(k->s));
	k->s[0].fd = fd;
	k->s[1].fd = ofd;
	for (i = 0; i < 2; i++) {
		int p[2];

		k->s[i].pipe_r = k->s[i].pipe_w = -1;
		if (pipe2(p, O_NONBLOCK | O_CLOEXEC)) {
			r = -errno;
			warn("pipe2: %s", strerror(errno));
			goto fail;
		}
		k->s[i].pipe_r = p[0];
		k->s[i].pipe_w = p[1];
		if (pipe_size != 65536 && fcntl(p[1], F_SETPIPE_SZ, pipe_size) < 0)
			pipe_size = 65536;	/* over the user's pipe quota: the default */
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(ofd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	k->connecting = 1;
	if (connect(ofd, sa, sl)) {
		if (errno != EINPROGRESS) {
			r = -errno;
			goto fail;
		}
	} else {
		k->connecting = 0;
	}
	ev.data.u64 = EP_REF(EP_SPLICE, ci * 2 + 1);
	if (epoll_ctl(c->epoll_fd, EPOLL_CTL_ADD, ofd, &ev)) {
		r = -errno;
		goto fail;
	}
	ev.data.u64 = EP_REF(EP_SPLICE, ci * 2);
	if (epoll_ctl(c->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
		r = -errno;
		epoll_ctl(c->epoll_fd, EPOLL_CTL_DEL, ofd, NULL);
		goto fail;
	}
	free_head = k->next_free;
	k->used = 1;
	k->more = 0;
	conns_used++;
	return 0;
fail:
	for (i = 0; i < 2; i++)
		pipe_close(&k->s[i]);
	k->s[0].fd = k->s[1].fd = -1;
	return r;
}

int splice_inbound(struct ctx *c, int fd, int family, uint16_t gport)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t sl;
	int gfd, r;

	conns_setup();
	if (helper_fd < 0 && !pools[family == AF_INET6].n)
		return -ENOTCONN;
	if (free_head < 0)
		return -ENOSPC;
	gfd = pool_take(c, family);
	if (gfd < 0)
		return gfd;
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET6) {
		s6->sin6_family = AF_INET6;
		s6->sin6_addr = c->conf.guest6;
		s6->sin6_port = htons(gport);
		sl = sizeof(*s6);
	} else {
		s4->sin_family = AF_INET;
		s4->sin_addr = c->conf.guest4;
		s4->sin_port = htons(gport);
		sl = sizeof(*s4);
	}
	/* the guest's own address, never its loopback: services bound to
	 * 127.0.0.1 in the guest stay unreachable from outside */
	r = pair(c, fd, gfd, (struct sockaddr *)&ss, sl);
	if (r < 0)
		close(gfd);
	return r;
}

int splice_outbound(struct ctx *c, int fd, int family, uint16_t hport)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6, .sin6_port = htons(hport),
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in s4 = { .sin_family = AF_INET, .sin_port = htons(hport),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int hfd, r;

	hfd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (hfd < 0)
		return -errno;
	r = family == AF_INET6 ? pair(c, fd, hfd, (struct sockaddr *)&s6, sizeof(s6)) :
				 pair(c, fd, hfd, (struct sockaddr *)&s4, sizeof(s4));
	if (r < 0)
		close(hfd);
	return r;
}

int splice_ns_listener(struct ctx *c, int family, int proto, uint16_t port)
{
	struct helper_req rq = { .family = (uint8_t)family, .count = 1, .proto = (uint8_t)proto,
				 .port = port };
	int fd;

	if (helper_fd < 0)
		return -ENOTCONN;
	if (send(helper_fd, &rq, sizeof(rq), MSG_NOSIGNAL) != sizeof(rq)) {
		fd = -errno;
		helper_stop(c, strerror(errno));
		return fd;
	}
	lsn_reply.waiting = 1;
	lsn_reply.done = 0;
	lsn_reply.fd = -1;
	while (!lsn_reply.done && helper_fd >= 0) {
		if (helper_recv(c) == -EAGAIN) {
			warn("splice helper: no answer within %d s", HELPER_WAIT_S);
			helper_stop(c, "no answer");
		}
	}
	lsn_reply.waiting = 0;
	if (!lsn_reply.done)
		return -ENOTCONN;
	return lsn_reply.fd >= 0 ? lsn_reply.fd : -lsn_reply.err;
}

/* Move both ways as far as possible, then close if done; reset on error */
static void conn_run(struct ctx *c, int ci, int in_side, int out_side)
{
	int r = 0;

	if (in_side >= 0)
		r = pump(ci, in_side);
	if (!r && out_side >= 0)
		r = pump(ci, !out_side);
	if (r < 0)
		conn_close(c, ci, 1);
	else
		maybe_done(c, ci);
}

void splice_event(struct ctx *c, int ref, uint32_t events)
{
	int ci = ref >> 1, side = ref & 1;
	struct conn *k;

	if (ci < 0 || ci >= SPLICE_CONN_MAX || !conns[ci].used)
		return;
	k = &conns[ci];
	if (k->connecting) {
		int e = 0;
		socklen_t el = sizeof(e);

		if (side == 0) {
			/* the client left before the guest answered */
			if (events & EPOLLERR)
				conn_close(c, ci, 1);
			return;	/* its data waits in its socket */
		}
		if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return;
		if (getsockopt(k->s[1].fd, SOL_SOCKET, SO_ERROR, &e, &el) || e) {
			conn_close(c, ci, 1);	/* refused: the client is reset */
			return;
		}
		k->connecting = 0;
		conn_run(c, ci, 0, 0);	/* 0 -> 1, then 1 -> 0 */
		return;
	}
	conn_run(c, ci, events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR) ? side : -1,
		 events & (EPOLLOUT | EPOLLHUP | EPOLLERR) ? side : -1);
}

int splice_more(void)
{
	return more_n;
}

void splice_flush(struct ctx *c)
{
	static int list[SPLICE_CONN_MAX * 2];
	int n = more_n, i;

	memcpy(list, more_list, (size_t)n * sizeof(int));
	more_n = 0;
	for (i = 0; i < n; i++) {
		int ci = list[i] >> 1, from = list[i] & 1;

		if (!conns[ci].used || !(conns[ci].more & (1 << from)))
			continue;
		conns[ci].more &= (uint8_t)~(1 << from);
		conn_run(c, ci, from, -1);
	}
}

int splice_count(void)
{
	return conns_used;
}

void splice_cleanup(struct ctx *c)
{
	int i, f;

	for (i = 0; conns_init && i < SPLICE_CONN_MAX; i++)
		if (conns[i].used)
			conn_close(c, i, 1);
	for (f = 0; f < 2; f++) {
		while (pools[f].n)
			close(pools[f].fds[--pools[f].n]);
		pools[f].asked = 0;
	}
	if (helper_fd >= 0) {
		epoll_ctl(c->epoll_fd, EPOLL_CTL_DEL, helper_fd, NULL);
		close(helper_fd);	/* the helper reads the end and exits */
		helper_fd = -1;
	}
}
