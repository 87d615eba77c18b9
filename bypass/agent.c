// SPDX-License-Identifier: GPL-2.0-or-later
/* agent.c - answer a container's seccomp notifications */
#include <errno.h>
#include <linux/audit.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "cleanup.h"
#include "hostsock.h"
#include "log.h"
#include "notify.h"
#include "receiver.h"

#define SEND_MAX 65535		/* largest datagram we send for the container */
#define IOV_MAX_COPY 64
#define CTRL_MAX 512

/* a blocking connect() of the container, finishing on a host socket */
struct pending {
	uint64_t id;		/* notification; 0: free slot */
	int lfd;		/* listener it came from */
	int sock;		/* host socket, connecting */
	int target;		/* descriptor number in the container */
	int cloexec;
};

struct agent {
	int lfd, ep;		/* lfd: listener of the notification being served */
	int lsn[AGENT_MAX_LISTENERS];	/* [0]: the container's; -1: free */
	const struct policy *p;
	struct agent_stats *st;
	struct pending pend[AGENT_MAX_PENDING];
	size_t npend;
	time_t last_full_log;
};

/* epoll tags: the listener, the exit fd, the signal fd, pending[i] as i + TAG_PEND */
enum { TAG_RECEIVER = 1, TAG_EXIT, TAG_SIGNAL, TAG_LSN = 16,
       TAG_PEND = TAG_LSN + AGENT_MAX_LISTENERS };

static uint8_t sendbuf[SEND_MAX];	/* datagrams copied out of the container */

/* let the call run in the container's own namespace */
static void pass(struct agent *a, uint64_t id)
{
	a->st->tap++;
	if (notify_continue(a->lfd, id) == -ENOENT)
		a->st->stale++;
}

static void answer(struct agent *a, uint64_t id, int64_t val)
{
	if (notify_reply(a->lfd, id, val) == -ENOENT)
		a->st->stale++;
}

/* put @sock into the container at @target and answer @val; closes @sock */
static void hand_in(struct agent *a, uint64_t id, int sock, int target, int cloexec,
		    int nonblock, int64_t val)
{
	int r = hostsock_finish(sock, nonblock);

	if (r == 0)
		r = notify_setfd(a->lfd, id, sock, target, cloexec);
	close(sock);
	if (r == -ENOENT) {
		a->st->stale++;
		return;
	}
	if (r < 0) {
		log_msg(LOG_LVL_DEBUG, "SECCOMP_IOCTL_NOTIF_ADDFD(fd %d): %s", target,
			strerror(-r));
		answer(a, id, r);
		return;
	}
	answer(a, id, val);
}

static void pending_free(struct agent *a, size_t i)
{
	epoll_ctl(a->ep, EPOLL_CTL_DEL, a->pend[i].sock, NULL);
	a->pend[i].id = 0;
	a->npend--;
}

/* park a blocking connect until the host socket is writable; 0 or -ENOSPC */
static int pending_add(struct agent *a, uint64_t id, int sock, int target, int cloexec)
{
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLONESHOT };
	size_t i;

	if (a->npend >= AGENT_MAX_PENDING)
		return -ENOSPC;
	for (i = 0; i < AGENT_MAX_PENDING && a->pend[i].id; i++)
		;
	ev.data.u64 = TAG_PEND + i;
	if (epoll_ctl(a->ep, EPOLL_CTL_ADD, sock, &ev) < 0)
		return -errno;
	a->pend[i] = (struct pending){ .id = id, .lfd = a->lfd, .sock = sock, .target = target,
				       .cloexec = cloexec };
	a->npend++;
	return 0;
}

/* a connecting host socket: 0 connected, -errno failed, 1 still in progress */
static int connect_result(int sock)
{
	struct pollfd p = { .fd = sock, .events = POLLOUT };
	socklen_t l = sizeof(int);
	int err = 0;

	if (poll(&p, 1, 0) != 1)
		return 1;
	getsockopt(sock, SOL_SOCKET, SO_ERROR, &err, &l);
	return -err;
}

/* the host socket of pending[i] finished connecting (or failed) */
static void pending_done(struct agent *a, size_t i)
{
	struct pending pd = a->pend[i];
	int err = 0;
	socklen_t l = sizeof(err);

	if (!pd.id)		/* dropped earlier in the same batch of events */
		return;
	pending_free(a, i);
	a->lfd = pd.lfd;
	getsockopt(pd.sock, SOL_SOCKET, SO_ERROR, &err, &l);
	if (err) {
		close(pd.sock);
		answer(a, pd.id, -err);
		return;
	}
	a->st->bypassed++;
	hand_in(a, pd.id, pd.sock, pd.target, pd.cloexec, 0, 0);
}

/* drop parked connects whose thread gave up (signal, exit) */
static void pending_sweep(struct agent *a)
{
	size_t i;

	for (i = 0; i < AGENT_MAX_PENDING && a->npend; i++) {
		if (!a->pend[i].id || notify_valid(a->pend[i].lfd, a->pend[i].id))
			continue;
		close(a->pend[i].sock);
		pending_free(a, i);
		a->st->stale++;
	}
}

/* read a sockaddr of @len bytes at @ptr of @tid; AF_* or -errno */
static int read_sockaddr(pid_t tid, uint64_t ptr, uint64_t len, struct sockaddr_storage *ss,
			 socklen_t *sslen, struct addr *dst, uint16_t *port)
{
	ssize_t got;
	size_t want = len < sizeof(*ss) ? (size_t)len : sizeof(*ss);

	*sslen = 0;
	memset(dst, 0, sizeof(*dst));
	*port = 0;
	if (len > 4096)		/* the kernel's own limit is sizeof(sockaddr_storage) */
		return -EINVAL;
	memset(ss, 0, sizeof(*ss));
	got = notify_read_mem(tid, ptr, ss, want);
	if (got < 0)
		return (int)got;
	*sslen = (socklen_t)want;
	return policy_sockaddr(ss, (size_t)len, (size_t)got, dst, port);
}

/* our duplicate of the container's socket, inspected; -errno: leave it alone */
static int grab(const struct seccomp_notif *n, int fd, struct sockinfo *si)
{
	int d = notify_getfd((pid_t)n->pid, fd);
	int r;

	if (d < 0)
		return d;
	r = hostsock_inspect(d, si);
	if (r < 0) {
		close(d);
		return r;
	}
	return d;
}

/* connect() on a socket we handed in before: a UDP re-connect to another
 * remote peer (or AF_UNSPEC) is done here, on the checked copy of the
 * address; anything else is refused as the kernel would */
static void connect_host(struct agent *a, const struct seccomp_notif *n, int dup,
			 const struct sockinfo *si, int fam, const struct addr *dst,
			 const struct sockaddr_storage *ss, socklen_t sslen)
{
	int r;

	if (si->type == SOCK_STREAM) {
		answer(a, n->id, -EISCONN);
		return;
	}
	if (fam < 0) {		/* bad pointer or length: what the kernel says */
		answer(a, n->id, fam == -EAFNOSUPPORT ? -EAFNOSUPPORT : -EINVAL);
		return;
	}
	if (fam != AF_UNSPEC && policy_connect(a->p, dst) != POLICY_HOST) {
		a->st->refused++;
		answer(a, n->id, -ENETUNREACH);
		return;
	}
	if (!notify_valid(a->lfd, n->id)) {
		a->st->stale++;
		return;
	}
	r = connect(dup, (const struct sockaddr *)ss, sslen);
	answer(a, n->id, r < 0 ? -errno : 0);
}

static void on_connect(struct agent *a, const struct seccomp_notif *n)
{
	int fd = (int)n->data.args[0], fam, r;
	struct sockaddr_storage ss;
	struct sockinfo si;
	struct addr dst;
	socklen_t sslen;
	uint16_t port;
	_cleanup_close_ int dup = -1;
	int hs;

	fam = read_sockaddr((pid_t)n->pid, n->data.args[1], n->data.args[2], &ss, &sslen,
			    &dst, &port);
	dup = grab(n, fd, &si);
	if (dup < 0)
		return pass(a, n->id);
	if (si.host)
		return connect_host(a, n, dup, &si, fam, &dst, &ss, sslen);
	/* the kernel answers bad addresses, other families and local
	 * destinations in the container's own namespace */
	if (fam < 0 || fam != si.domain || si.bound || policy_connect(a->p, &dst) != POLICY_HOST)
		return pass(a, n->id);
	/* what we read must still be what the thread waits on */
	if (!notify_valid(a->lfd, n->id)) {
		a->st->stale++;
		return;
	}
	hs = hostsock_twin(&si, dup);
	if (hs < 0) {
		/* our own descriptors ran out: the tap path still works */
		log_msg(LOG_LVL_DEBUG, "socket(): %s", strerror(-hs));
		return pass(a, n->id);
	}
	r = connect(hs, (struct sockaddr *)&ss, sslen);
	if (r == 0 || si.nonblock) {
		if (r < 0 && errno != EINPROGRESS) {
			r = -errno;
			close(hs);
			return answer(a, n->id, r);
		}
		a->st->bypassed++;
		return hand_in(a, n->id, hs, fd, notify_cloexec((pid_t)n->pid, fd), si.nonblock,
			       r < 0 ? -EINPROGRESS : 0);
	}
	if (errno != EINPROGRESS) {
		r = -errno;
		close(hs);
		return answer(a, n->id, r);
	}
	/* a peer in a namespace of this machine has often answered before
	 * connect() returned: no parking, no second wake-up */
	r = connect_result(hs);
	if (r <= 0) {
		if (r < 0) {
			close(hs);
			return answer(a, n->id, r);
		}
		a->st->bypassed++;
		return hand_in(a, n->id, hs, fd, notify_cloexec((pid_t)n->pid, fd), 0, 0);
	}
	if (pending_add(a, n->id, hs, fd, notify_cloexec((pid_t)n->pid, fd)) < 0) {
		close(hs);
		a->st->pending_full++;
		if (time(NULL) != a->last_full_log) {
			a->last_full_log = time(NULL);
			log_msg(LOG_LVL_WARN, "%d blocking connects wait for the host: "
				"more take the tap path (%llu so far)", AGENT_MAX_PENDING,
				(unsigned long long)a->st->pending_full);
		}
		return pass(a, n->id);
	}
}

/* the host address a published container port binds: family of the
 * container's socket; an IPv6 socket takes an IPv4 address mapped */
static socklen_t publish_addr(const struct port_fwd *f, int domain, uint16_t port,
			      struct sockaddr_storage *ss)
{
	struct addr h = f->host_addr;

	memset(ss, 0, sizeof(*ss));
	if (h.family == AF_INET6 && domain == AF_INET)
		return 0;
	if (h.family == 0 || (h.family == AF_INET && domain == AF_INET6 &&
			      h.v4.s_addr == htonl(INADDR_ANY))) {
		h.family = domain;
		memset(&h.v6, 0, sizeof(h.v6));
	} else if (h.family == AF_INET && domain == AF_INET6) {
		uint32_t v4 = h.v4.s_addr;

		h.family = AF_INET6;
		memset(&h.v6, 0, sizeof(h.v6));
		h.v6.s6_addr[10] = 0xff;
		h.v6.s6_addr[11] = 0xff;
		memcpy(&h.v6.s6_addr[12], &v4, 4);
	}
	return (socklen_t)addr_to_sockaddr(&h, port, ss);
}

static void on_bind(struct agent *a, const struct seccomp_notif *n)
{
	int fd = (int)n->data.args[0], fam, hs;
	struct sockaddr_storage ss, hss;
	const struct port_fwd *f;
	struct sockinfo si;
	struct addr me;
	socklen_t sslen, hlen;
	uint16_t port;
	_cleanup_close_ int dup = -1;

	fam = read_sockaddr((pid_t)n->pid, n->data.args[1], n->data.args[2], &ss, &sslen,
			    &me, &port);
	dup = grab(n, fd, &si);
	if (dup < 0)
		return pass(a, n->id);
	if (si.host)		/* ours are bound or connected already */
		return answer(a, n->id, -EINVAL);
	if (fam != si.domain || si.bound)
		return pass(a, n->id);
	f = policy_bind(a->p, si.proto, &me, port);
	if (!f)
		return pass(a, n->id);
	hlen = publish_addr(f, si.domain, (uint16_t)(f->host_port + (port - f->guest_port)), &hss);
	if (!hlen)
		return pass(a, n->id);
	if (!notify_valid(a->lfd, n->id)) {
		a->st->stale++;
		return;
	}
	hs = hostsock_twin(&si, dup);
	if (hs < 0)
		return pass(a, n->id);
	if (bind(hs, (struct sockaddr *)&hss, hlen) < 0) {
		int e = errno;

		log_msg(LOG_LVL_WARN, "bind(host port %u for container port %u): %s",
			f->host_port + (port - f->guest_port), port, strerror(e));
		close(hs);
		return answer(a, n->id, -e);
	}
	a->st->published++;
	log_msg(LOG_LVL_INFO, "container port %u/%s published as a host socket on port %u",
		port, si.proto == IPPROTO_TCP ? "tcp" : "udp",
		f->host_port + (port - f->guest_port));
	hand_in(a, n->id, hs, fd, notify_cloexec((pid_t)n->pid, fd), si.nonblock, 0);
}

/*
 * A host UDP socket sends to a destination named in the call: the kernel
 * would read that destination again after our check, so the datagram is
 * sent here from a checked copy.  @name/@namelen: the destination (or NULL).
 */
static int64_t send_checked(struct agent *a, const struct seccomp_notif *n, int dup,
			    struct msghdr *m, int flags)
{
	struct addr dst;
	uint16_t port;
	ssize_t r;

	if (m->msg_name) {
		int fam = policy_sockaddr(m->msg_name, m->msg_namelen, m->msg_namelen,
					  &dst, &port);

		if (fam < 0)
			return fam;
		if (fam == AF_UNSPEC || policy_connect(a->p, &dst) != POLICY_HOST) {
			a->st->refused++;
			return -ENETUNREACH;
		}
	}
	if (!notify_valid(a->lfd, n->id))
		return -ENOENT;
	r = sendmsg(dup, m, (flags & ~MSG_FASTOPEN) | MSG_DONTWAIT | MSG_NOSIGNAL);
	a->st->sends++;
	return r < 0 ? -errno : r;
}

/* copy a msghdr and what it points to out of the container into @m */
static int read_msghdr(pid_t tid, uint64_t ptr, struct msghdr *m,
		       struct sockaddr_storage *name, uint8_t *ctrl, struct iovec *iov)
{
	struct iovec riov[IOV_MAX_COPY];
	size_t i, total = 0;
	ssize_t got;

	got = notify_read_mem(tid, ptr, m, sizeof(*m));
	if (got != (ssize_t)sizeof(*m))
		return -EFAULT;
	if (m->msg_iovlen > IOV_MAX_COPY || m->msg_namelen > sizeof(*name) ||
	    m->msg_controllen > CTRL_MAX)
		return -EMSGSIZE;
	if (m->msg_name && m->msg_namelen) {
		memset(name, 0, sizeof(*name));
		if (notify_read_mem(tid, (uintptr_t)m->msg_name, name, m->msg_namelen) !=
		    (ssize_t)m->msg_namelen)
			return -EFAULT;
		m->msg_name = name;
	} else {
		m->msg_name = NULL;
		m->msg_namelen = 0;
	}
	if (m->msg_control && m->msg_controllen) {
		if (notify_read_mem(tid, (uintptr_t)m->msg_control, ctrl, m->msg_controllen) !=
		    (ssize_t)m->msg_controllen)
			return -EFAULT;
		m->msg_control = ctrl;
	} else {
		m->msg_control = NULL;
		m->msg_controllen = 0;
	}
	if (m->msg_iovlen && notify_read_mem(tid, (uintptr_t)m->msg_iov, riov,
					     m->msg_iovlen * sizeof(riov[0])) !=
			     (ssize_t)(m->msg_iovlen * sizeof(riov[0])))
		return -EFAULT;
	for (i = 0; i < m->msg_iovlen; i++) {
		if (riov[i].iov_len > SEND_MAX - total)
			return -EMSGSIZE;
		if (riov[i].iov_len && notify_read_mem(tid, (uintptr_t)riov[i].iov_base,
						       sendbuf + total, riov[i].iov_len) !=
				       (ssize_t)riov[i].iov_len)
			return -EFAULT;
		total += riov[i].iov_len;
	}
	iov->iov_base = sendbuf;
	iov->iov_len = total;
	m->msg_iov = iov;
	m->msg_iovlen = 1;
	return 0;
}

/*
 * sendto/sendmsg/sendmmsg: on a socket of the container's namespace they run
 * as made; on a host TCP socket too (the destination is not used once
 * connected), except with MSG_FASTOPEN; on a host UDP socket we send.
 */
static void on_send(struct agent *a, const struct seccomp_notif *n)
{
	int fd = (int)n->data.args[0], nr = n->data.nr;
	int flags = (int)(nr == __NR_sendto ? n->data.args[3] : n->data.args[nr == __NR_sendmmsg ? 3 : 2]);
	struct sockaddr_storage name;
	uint8_t ctrl[CTRL_MAX];
	struct sockinfo si;
	struct msghdr m;
	struct iovec iov;
	_cleanup_close_ int dup = -1;
	int64_t r;

	dup = grab(n, fd, &si);
	if (dup < 0 || !si.host)
		return pass(a, n->id);
	if (si.type == SOCK_STREAM)
		return flags & MSG_FASTOPEN ? answer(a, n->id, -EOPNOTSUPP) : pass(a, n->id);
	memset(&m, 0, sizeof(m));
	if (nr == __NR_sendto) {
		ssize_t got;

		if (n->data.args[2] > SEND_MAX)
			return answer(a, n->id, -EMSGSIZE);
		if (n->data.args[5] > sizeof(name))
			return answer(a, n->id, -EINVAL);
		memset(&name, 0, sizeof(name));
		if (n->data.args[4] && notify_read_mem((pid_t)n->pid, n->data.args[4], &name,
						       n->data.args[5]) != (ssize_t)n->data.args[5])
			return answer(a, n->id, -EFAULT);
		got = n->data.args[2] ? notify_read_mem((pid_t)n->pid, n->data.args[1], sendbuf,
							n->data.args[2]) : 0;
		if (got != (ssize_t)n->data.args[2])
			return answer(a, n->id, -EFAULT);
		iov = (struct iovec){ .iov_base = sendbuf, .iov_len = (size_t)got };
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		if (n->data.args[4]) {
			m.msg_name = &name;
			m.msg_namelen = (socklen_t)n->data.args[5];
		}
	} else {
		/* sendmmsg: the first message only, and 1 as the count sent (a
		 * short count is what the kernel answers too when it stops early) */
		r = read_msghdr((pid_t)n->pid, n->data.args[1], &m, &name, ctrl, &iov);
		if (r < 0)
			return answer(a, n->id, r);
		if (nr == __NR_sendmmsg && n->data.args[2] == 0)
			return answer(a, n->id, 0);
	}
	r = send_checked(a, n, dup, &m, flags);
	if (r == -ENOENT) {
		a->st->stale++;
		return;
	}
	if (nr == __NR_sendmmsg && r >= 0) {
		unsigned len = (unsigned)r;

		r = notify_write_mem((pid_t)n->pid, n->data.args[1] + sizeof(struct msghdr),
				     &len, sizeof(len)) < 0 ? -EFAULT : 1;
	}
	answer(a, n->id, r);
}

/* one notification from the listener */
static int on_notification(struct agent *a)
{
	struct seccomp_notif n;
	int r = notify_recv(a->lfd, &n);

	if (r == -ENOENT || r == -EINTR || r == -EAGAIN)
		return 0;
	if (r < 0)
		return r;
	a->st->notifications++;
	if (n.data.arch != AUDIT_ARCH_X86_64) {
		answer(a, n.id, -ENOSYS);
		return 0;
	}
	switch (n.data.nr) {
	case __NR_connect:
		on_connect(a, &n);
		break;
	case __NR_bind:
		on_bind(a, &n);
		break;
	case __NR_sendto:
	case __NR_sendmsg:
	case __NR_sendmmsg:
		on_send(a, &n);
		break;
	default:
		pass(a, n.id);
	}
	return 0;
}

/* add @fd to epoll with @tag */
static int watch(int ep, int fd, uint64_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

static void log_stats(const struct agent_stats *st)
{
	log_msg(LOG_LVL_INFO, "notifications %llu, host sockets %llu (connect) %llu "
		"(published), left to the tap path %llu, refused %llu, stale %llu, "
		"datagrams sent for the container %llu, parked-connect quota hit %llu",
		(unsigned long long)st->notifications, (unsigned long long)st->bypassed,
		(unsigned long long)st->published, (unsigned long long)st->tap,
		(unsigned long long)st->refused, (unsigned long long)st->stale,
		(unsigned long long)st->sends, (unsigned long long)st->pending_full);
}

/* drop parked connects of listener @lfd (its processes are gone) */
static void pending_drop_listener(struct agent *a, int lfd)
{
	size_t i;

	for (i = 0; i < AGENT_MAX_PENDING; i++)
		if (a->pend[i].id && a->pend[i].lfd == lfd) {
			close(a->pend[i].sock);
			pending_free(a, i);
			a->st->stale++;
		}
}

/* an exec session's listener arrives on the receiver socket */
static void on_receiver(struct agent *a, int rsock)
{
	pid_t pid;
	int l = receiver_accept(rsock, &pid), i;

	if (l < 0)
		return;
	for (i = 1; i < AGENT_MAX_LISTENERS && a->lsn[i] >= 0; i++)
		;
	if (i == AGENT_MAX_LISTENERS || watch(a->ep, l, TAG_LSN + (uint64_t)i) < 0) {
		log_msg(LOG_LVL_WARN, "%d seccomp listeners already: one more (pid %d) "
			"refused, its socket calls fail", AGENT_MAX_LISTENERS, (int)pid);
		close(l);
		return;
	}
	a->lsn[i] = l;
	notify_sync_wakeup(l);
	log_msg(LOG_LVL_DEBUG, "seccomp listener of an exec session (pid %d)", (int)pid);
}

int agent_run(int lfd, int rsock, const struct policy *p, int exitfd, struct agent_stats *st)
{
	static struct agent a;		/* the pending table is 6 KiB: not on the stack */
	struct epoll_event evs[32];
	_cleanup_close_ int sfd = -1;
	sigset_t mask;
	int r = 0, i, n;

	memset(&a, 0, sizeof(a));
	memset(st, 0, sizeof(*st));
	for (i = 0; i < AGENT_MAX_LISTENERS; i++)
		a.lsn[i] = -1;
	a.lsn[0] = lfd;
	/* a notification round trip is two wake-ups: on one CPU, without
	 * migrating, when the kernel can (6.6+) */
	r = notify_sync_wakeup(lfd);
	if (r < 0)
		log_msg(LOG_LVL_DEBUG, "SECCOMP_IOCTL_NOTIF_SET_FLAGS: %s (Linux 6.6 or later)",
			strerror(-r));
	r = 0;
	a.p = p;
	a.st = st;
	a.ep = epoll_create1(EPOLL_CLOEXEC);
	if (a.ep < 0)
		return -errno;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if ((r = watch(a.ep, lfd, TAG_LSN)) < 0 ||
	    (rsock >= 0 && (r = watch(a.ep, rsock, TAG_RECEIVER)) < 0) ||
	    (exitfd >= 0 && (r = watch(a.ep, exitfd, TAG_EXIT)) < 0) ||
	    (sfd >= 0 && (r = watch(a.ep, sfd, TAG_SIGNAL)) < 0))
		goto out;
	for (;;) {
		n = epoll_wait(a.ep, evs, 32, a.npend ? 1000 : -1);
		if (n < 0 && errno != EINTR) {
			r = -errno;
			goto out;
		}
		if (n == 0)
			pending_sweep(&a);
		for (i = 0; i < n; i++) {
			uint64_t tag = evs[i].data.u64;

			if (tag >= TAG_PEND) {
				pending_done(&a, (size_t)(tag - TAG_PEND));
				continue;
			}
			if (tag == TAG_EXIT)
				goto out;
			if (tag == TAG_RECEIVER) {
				on_receiver(&a, rsock);
				continue;
			}
			if (tag == TAG_SIGNAL) {
				struct signalfd_siginfo si;

				if (read(sfd, &si, sizeof(si)) == sizeof(si) &&
				    si.ssi_signo == SIGUSR1) {
					log_stats(st);
					continue;
				}
				goto out;
			}
			a.lfd = a.lsn[tag - TAG_LSN];
			if (a.lfd < 0)
				continue;
			if (evs[i].events & EPOLLIN) {
				r = on_notification(&a);
				if (r < 0) {
					log_msg(LOG_LVL_ERROR, "SECCOMP_IOCTL_NOTIF_RECV: %s",
						strerror(-r));
					goto out;
				}
			} else if (evs[i].events & (EPOLLHUP | EPOLLERR)) {
				/* every process of the container is gone */
				if (tag == TAG_LSN)
					goto out;
				/* an exec session ended */
				pending_drop_listener(&a, a.lfd);
				epoll_ctl(a.ep, EPOLL_CTL_DEL, a.lfd, NULL);
				close(a.lfd);
				a.lsn[tag - TAG_LSN] = -1;
			}
		}
	}
out:
	for (i = 0; i < AGENT_MAX_PENDING; i++)
		if (a.pend[i].id)
			close(a.pend[i].sock);
	for (i = 1; i < AGENT_MAX_LISTENERS; i++)
		if (a.lsn[i] >= 0)
			close(a.lsn[i]);
	close(a.ep);
	log_stats(st);
	return r;
}
