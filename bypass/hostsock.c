// SPDX-License-Identifier: GPL-2.0-or-later
/* hostsock.c - look at a container's socket and make its host twin */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "cleanup.h"
#include "hostsock.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

static uint64_t host_cookie;

static int netns_cookie(int fd, uint64_t *c)
{
	socklen_t l = sizeof(*c);

	return getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, c, &l) < 0 ? -errno : 0;
}

int hostsock_init(void)
{
	_cleanup_close_ int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return -errno;
	return netns_cookie(s, &host_cookie);
}

static int sockopt_int(int fd, int level, int name, int *v)
{
	socklen_t l = sizeof(*v);

	return getsockopt(fd, level, name, v, &l) < 0 ? -errno : 0;
}

int hostsock_inspect(int fd, struct sockinfo *si)
{
	struct sockaddr_storage ss;
	socklen_t l = sizeof(ss);
	uint64_t cookie = 0;
	int fl;

	memset(si, 0, sizeof(*si));
	/* the family and the local port in one call (an unbound inet socket
	 * still names its family) */
	if (getsockname(fd, (struct sockaddr *)&ss, &l) < 0)
		return errno == ENOTSOCK ? -ENOTSOCK : -errno;
	si->domain = ss.ss_family;
	if (si->domain != AF_INET && si->domain != AF_INET6)
		return -EPROTONOSUPPORT;
	si->bound = si->domain == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port != 0 :
					    ((struct sockaddr_in6 *)&ss)->sin6_port != 0;
	if (sockopt_int(fd, SOL_SOCKET, SO_TYPE, &si->type) < 0 ||
	    sockopt_int(fd, SOL_SOCKET, SO_PROTOCOL, &si->proto) < 0)
		return -errno;
	if (!(si->type == SOCK_STREAM && si->proto == IPPROTO_TCP) &&
	    !(si->type == SOCK_DGRAM && si->proto == IPPROTO_UDP))
		return -EPROTONOSUPPORT;
	fl = fcntl(fd, F_GETFL);
	si->nonblock = fl >= 0 && (fl & O_NONBLOCK);
	if (netns_cookie(fd, &cookie) < 0)
		return -errno;
	si->host = cookie == host_cookie;
	return 0;
}

/* options a program sets before connect() or bind() that change what the
 * socket does; ones that need privilege in the host namespace are not here */
static const struct {
	int level, name, domain, proto;		/* domain/proto 0: any */
} copied[] = {
	{ SOL_SOCKET, SO_REUSEADDR, 0, 0 },
	{ SOL_SOCKET, SO_REUSEPORT, 0, 0 },
	{ SOL_SOCKET, SO_KEEPALIVE, 0, 0 },
	{ SOL_SOCKET, SO_BROADCAST, 0, IPPROTO_UDP },
	{ SOL_SOCKET, SO_OOBINLINE, 0, 0 },
	{ SOL_SOCKET, SO_PRIORITY, 0, 0 },
	{ IPPROTO_IP, IP_TOS, AF_INET, 0 },
	{ IPPROTO_IP, IP_TTL, AF_INET, 0 },
	{ IPPROTO_IP, IP_RECVERR, AF_INET, 0 },
	{ IPPROTO_IPV6, IPV6_V6ONLY, AF_INET6, 0 },
	{ IPPROTO_IPV6, IPV6_TCLASS, AF_INET6, 0 },
	{ IPPROTO_IPV6, IPV6_RECVERR, AF_INET6, 0 },
	{ IPPROTO_TCP, TCP_NODELAY, 0, IPPROTO_TCP },
	{ IPPROTO_TCP, TCP_KEEPIDLE, 0, IPPROTO_TCP },
	{ IPPROTO_TCP, TCP_KEEPINTVL, 0, IPPROTO_TCP },
	{ IPPROTO_TCP, TCP_KEEPCNT, 0, IPPROTO_TCP },
	{ IPPROTO_TCP, TCP_USER_TIMEOUT, 0, IPPROTO_TCP },
	{ IPPROTO_TCP, TCP_SYNCNT, 0, IPPROTO_TCP },
	{ IPPROTO_TCP, TCP_QUICKACK, 0, IPPROTO_TCP },
};

#define NCOPIED (sizeof(copied) / sizeof(copied[0]))

/* what a fresh host socket has, per family and protocol (read once): an
 * option is only set on the twin where the container's differs */
static struct {
	int known;
	int v[NCOPIED];
	struct linger linger;
	struct timeval rcvtimeo, sndtimeo;
} defaults[2][2];		/* [AF_INET6?][UDP?] */

static void learn_defaults(const struct sockinfo *si, int fresh)
{
	typeof(defaults[0][0]) *d = &defaults[si->domain == AF_INET6][si->proto == IPPROTO_UDP];
	socklen_t l;
	size_t i;

	for (i = 0; i < NCOPIED; i++)
		if (sockopt_int(fresh, copied[i].level, copied[i].name, &d->v[i]) < 0)
			d->v[i] = -1;
	l = sizeof(d->linger);
	getsockopt(fresh, SOL_SOCKET, SO_LINGER, &d->linger, &l);
	l = sizeof(d->rcvtimeo);
	getsockopt(fresh, SOL_SOCKET, SO_RCVTIMEO, &d->rcvtimeo, &l);
	l = sizeof(d->sndtimeo);
	getsockopt(fresh, SOL_SOCKET, SO_SNDTIMEO, &d->sndtimeo, &l);
	d->known = 1;
}

/* copy one option of another size where it differs from @def */
static void copy_blob(int from, int to, int name, const void *def, size_t size)
{
	char v[32];
	socklen_t l = (socklen_t)size;

	if (getsockopt(from, SOL_SOCKET, name, v, &l) == 0 && memcmp(v, def, size))
		setsockopt(to, SOL_SOCKET, name, v, l);
}

/* copy what @from has set onto @to; an option the host refuses is left at
 * its default (the container set it in its own namespace, not ours) */
static void copy_options(const struct sockinfo *si, int from, int to)
{
	typeof(defaults[0][0]) *d = &defaults[si->domain == AF_INET6][si->proto == IPPROTO_UDP];
	size_t i;
	int v;

	if (!d->known)
		learn_defaults(si, to);
	for (i = 0; i < NCOPIED; i++) {
		if ((copied[i].domain && copied[i].domain != si->domain) ||
		    (copied[i].proto && copied[i].proto != si->proto))
			continue;
		if (sockopt_int(from, copied[i].level, copied[i].name, &v) == 0 && v != d->v[i])
			setsockopt(to, copied[i].level, copied[i].name, &v, sizeof(v));
	}
	copy_blob(from, to, SO_LINGER, &d->linger, sizeof(d->linger));
	copy_blob(from, to, SO_RCVTIMEO, &d->rcvtimeo, sizeof(d->rcvtimeo));
	copy_blob(from, to, SO_SNDTIMEO, &d->sndtimeo, sizeof(d->sndtimeo));
}

int hostsock_twin(const struct sockinfo *si, int from)
{
	int s = socket(si->domain, si->type | SOCK_NONBLOCK | SOCK_CLOEXEC, si->proto);

	if (s < 0)
		return -errno;
	copy_options(si, from, s);
	return s;
}

int hostsock_finish(int fd, int nonblock)
{
	/* made by hostsock_twin(): O_NONBLOCK is its only status flag */
	if (nonblock)
		return 0;
	return fcntl(fd, F_SETFL, 0) < 0 ? -errno : 0;
}
