// SPDX-License-Identifier: GPL-2.0-or-later
/* fwd.c - inbound port forwarding: listeners, accepted connections, UDP clients */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* Listen backlog of forwarded ports: a burst of clients must not overflow
 * it before the loop accepts them (the kernel caps it at net.core.somaxconn) */
#define SOMAXCONN_FWD	4096

#include "addr.h"
#include "flow.h"
#include "fwd.h"
#include "log.h"
#include "netconf.h"
#include "splice.h"
#include "tcp.h"
#include "udp.h"

#define RULE_MAX	FLOW_FWD_MAX	/* a flow names its forward by rule slot */
#define LSN_MAX		4096
#define ACCEPT_BATCH	64
#define UDP_FWD_BATCH	32

struct rule {
	int id;				/* 0: free */
	int splice;			/* loopback TCP clients take the splice path */
	struct port_fwd pf;
};

struct lsn {
	int fd;				/* -1: free */
	int rule;			/* index in rules[] */
	uint16_t gport;
};

static struct rule rules[RULE_MAX];
static struct lsn lsns[LSN_MAX];
static int lsns_init;
static int next_id = 1;
static int unpriv_start = -1;
static uint8_t udp_buf[65536];

void fwd_init(struct ctx *c)
{
	struct ifreq ifr;
	char buf[32];

	memset(&ifr, 0, sizeof(ifr));
	if (!c->guest_mac_known && !ioctl(c->tap_fd, SIOCGIFHWADDR, &ifr)) {
		memcpy(c->guest_mac, ifr.ifr_hwaddr.sa_data, 6);
		c->guest_mac_known = 1;
	}
	if (!netconf_sysctl_get("net/ipv4/ip_unprivileged_port_start", buf, sizeof(buf)))
		unpriv_start = atoi(buf);
}

static void lsns_setup(void)
{
	int i;

	if (lsns_init)
		return;
	for (i = 0; i < LSN_MAX; i++)
		lsns[i].fd = -1;
	lsns_init = 1;
}

static void lsn_close(struct ctx *c, int slot)
{
	if (lsns[slot].fd < 0)
		return;
	epoll_ctl(c->epoll_fd, EPOLL_CTL_DEL, lsns[slot].fd, NULL);
	close(lsns[slot].fd);
	lsns[slot].fd = -1;
}

/* Open one listener for @port of @pf; -errno with @err set */
static int lsn_open(struct ctx *c, const struct port_fwd *pf, uint16_t port, int rule,
		    uint16_t gport, char *err, size_t errlen)
{
	int type = pf->proto == IPPROTO_UDP ? SOCK_DGRAM : SOCK_STREAM;
	struct epoll_event ev = { .events = EPOLLIN };
	struct sockaddr_storage ss;
	struct addr a = pf->host_addr;
	char as[INET6_ADDRSTRLEN + 2];
	int fd, slot, one = 1, zero = 0, e;
	socklen_t len;

	for (slot = 0; slot < LSN_MAX && lsns[slot].fd >= 0; slot++)
		;
	if (slot == LSN_MAX) {
		snprintf(err, errlen, "port %u: too many forwarded ports (%d)", port, LSN_MAX);
		return -ENOSPC;
	}
	if (!a.family) {		/* all addresses: dual-stack, else IPv4 */
		a.family = AF_INET6;
		memset(&a.v6, 0, sizeof(a.v6));
		fd = socket(AF_INET6, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			a.family = AF_INET;
			a.v4.s_addr = 0;
		}
		else
			close(fd);
	}
	len = (socklen_t)addr_to_sockaddr(&a, port, &ss);
	addr_format(&a, as, sizeof(as));
	fd = socket(a.family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "port %u: socket(%s): %s", port,
			 a.family == AF_INET ? "AF_INET" : "AF_INET6", strerror(e));
		return -e;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (a.family == AF_INET6)	/* "::" takes IPv4 too; a specific address only itself */
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, addr_is_any(&a) ? &zero : &one,
			   sizeof(int));
	if (bind(fd, (struct sockaddr *)&ss, len)) {
		e = errno;
		if (e == EACCES && unpriv_start > 0 && port < unpriv_start)
			snprintf(err, errlen, "port %u: bind(%s%s%s:%u): %s (ports below "
				 "net.ipv4.ip_unprivileged_port_start=%d need privileges)",
				 port, a.family == AF_INET6 ? "[" : "", as,
				 a.family == AF_INET6 ? "]" : "", port, strerror(e), unpriv_start);
		else
			snprintf(err, errlen, "port %u: bind(%s%s%s:%u): %s", port,
				 a.family == AF_INET6 ? "[" : "", as,
				 a.family == AF_INET6 ? "]" : "", port, strerror(e));
		close(fd);
		return -e;
	}
	if (type == SOCK_STREAM && listen(fd, SOMAXCONN_FWD)) {
		e = errno;
		snprintf(err, errlen, "port %u: listen: %s", port, strerror(e));
		close(fd);
		return -e;
	}
	ev.data.u64 = EP_REF(EP_FWD, slot);
	if (epoll_ctl(c->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
		e = errno;
		snprintf(err, errlen, "port %u: epoll_ctl: %s", port, strerror(e));
		close(fd);
		return -e;
	}
	lsns[slot].fd = fd;
	lsns[slot].rule = rule;
	lsns[slot].gport = gport;
	return 0;
}

int fwd_add(struct ctx *c, const struct port_fwd *pf, int splice, char *err, size_t errlen)
{
	char s1[96], s2[96];
	int i, r, ri = -1;

	lsns_setup();
	if (pf->count == 0 || pf->host_port + pf->count - 1 > 65535 ||
	    pf->guest_port + pf->count - 1 > 65535) {
		snprintf(err, errlen, "invalid port range");
		return -EINVAL;
	}
	if (pf->host_addr.family == AF_INET6 && !addr_is_any(&pf->host_addr) &&
	    addr_is_v4mapped(&pf->host_addr)) {
		snprintf(err, errlen, "IPv4-mapped bind address: use the IPv4 form");
		return -EINVAL;
	}
	for (i = 0; i < RULE_MAX; i++) {
		if (!rules[i].id) {
			if (ri < 0)
				ri = i;
			continue;
		}
		if (portspec_overlap(&rules[i].pf, pf)) {
			snprintf(err, errlen, "%s conflicts with forward %d (%s)",
				 portspec_format(pf, s1, sizeof(s1)), rules[i].id,
				 portspec_format(&rules[i].pf, s2, sizeof(s2)));
			return -EADDRINUSE;
		}
	}
	if (ri < 0) {
		snprintf(err, errlen, "too many forwards (%d)", RULE_MAX);
		return -ENOSPC;
	}
	for (i = 0; i < pf->count; i++) {
		r = lsn_open(c, pf, (uint16_t)(pf->host_port + i), ri,
			     (uint16_t)(pf->guest_port + i), err, errlen);
		if (r < 0) {
			int j;

			for (j = 0; j < LSN_MAX; j++)
				if (lsns[j].fd >= 0 && lsns[j].rule == ri)
					lsn_close(c, j);
			return r;
		}
	}
	rules[ri].id = next_id++;
	rules[ri].pf = *pf;
	rules[ri].splice = splice && pf->proto == IPPROTO_TCP;
	info("forwarding %s%s", portspec_format(pf, s1, sizeof(s1)),
	     rules[ri].splice ? " (loopback clients spliced)" : "");
	return rules[ri].id;
}

int fwd_remove(struct ctx *c, int id)
{
	int i, j;

	for (i = 0; i < RULE_MAX; i++) {
		if (!rules[i].id || rules[i].id != id)
			continue;
		for (j = 0; j < LSN_MAX; j++)
			if (lsns[j].fd >= 0 && lsns[j].rule == i)
				lsn_close(c, j);
		rules[i].id = 0;
		flow_forget_fwd(i);
		return 0;
	}
	return -ENOENT;
}

int fwd_next(int pos, int *id, struct port_fwd *pf, int *splice)
{
	for (; pos < RULE_MAX; pos++) {
		if (!rules[pos].id)
			continue;
		*id = rules[pos].id;
		*pf = rules[pos].pf;
		if (splice)
			*splice = rules[pos].splice;
		return pos + 1;
	}
	return 0;
}

/*
 * pasta's view: a client keeps its address, except one the guest cannot
 * answer (the host's loopback, or the host's own address, which the guest
 * holds too): it comes from the address mapped to the host's loopback, or
 * from the gateway when none is.
 * Return: AF_INET / AF_INET6 of the guest side, or -1 to refuse.
 */
static int map_client_host_view(const struct ctx *c, const struct addr *a,
				 union flow_addr *out)
{
	const struct slirp_conf *cf = &c->conf;

	if (a->family == AF_INET) {
		if (cf->disable_ipv4)
			return -1;
		if (addr_is_loopback(a) || a->v4.s_addr == cf->guest4.s_addr)
			out->v4 = cf->map_lo4.s_addr ? cf->map_lo4 : cf->gw4;
		else
			out->v4 = a->v4;
		return AF_INET;
	}
	if (!cf->ipv6)
		return -1;
	if (addr_is_loopback(a) || IN6_IS_ADDR_LINKLOCAL(&a->v6) ||
	    !memcmp(&a->v6, &cf->guest6, 16))
		out->v6 = IN6_IS_ADDR_UNSPECIFIED(&cf->map_lo6) ? cf->gw6 : cf->map_lo6;
	else
		out->v6 = a->v6;
	return AF_INET6;
}

/*
 * The source the guest sees for a client: its own address, or the gateway
 * for the host's loopback and for addresses inside the virtual networks.
 * Return: AF_INET / AF_INET6 of the guest side, or -1 to refuse.
 */
static int map_client(const struct ctx *c, const struct sockaddr *sa, union flow_addr *out,
		      uint16_t *port)
{
	struct addr a;
	uint32_t mask;

	if (addr_from_sockaddr(sa, &a, port))
		return -1;
	addr_unmap(&a);
	if (c->conf.host_view)
		return map_client_host_view(c, &a, out);
	if (a.family == AF_INET) {
		mask = c->conf.prefix4 ? htonl(~0u << (32 - c->conf.prefix4)) : 0;
		if (addr_is_loopback(&a) || (a.v4.s_addr & mask) == c->conf.net4.s_addr)
			out->v4 = c->conf.gw4;
		else
			out->v4 = a.v4;
		return AF_INET;
	}
	if (!c->conf.ipv6)
		return -1;
	if (addr_is_loopback(&a) || IN6_IS_ADDR_LINKLOCAL(&a.v6) ||
	    !memcmp(&a.v6, &c->conf.net6, 8))
		out->v6 = c->conf.gw6;
	else
		out->v6 = a.v6;
	return AF_INET6;
}

/*
 * Whether a client can take the splice path: one on the host's loopback.
 * Return: family of the guest address to connect to, or 0.
 */
static int splice_family(const struct ctx *c, const struct sockaddr_storage *ss)
{
	struct addr a;
	uint16_t port;

	if (addr_from_sockaddr((const struct sockaddr *)ss, &a, &port))
		return 0;
	addr_unmap(&a);
	if (!addr_is_loopback(&a))
		return 0;
	/* ::1 reaches the guest's IPv4 address when it has no IPv6 */
	return a.family == AF_INET6 && c->conf.ipv6 ? AF_INET6 : AF_INET;
}

static void fwd_accept(struct ctx *c, int slot)
{
	int i;

	for (i = 0; i < ACCEPT_BATCH; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		union flow_addr src;
		uint16_t sport;
		int fd, family;

		fd = accept4(lsns[slot].fd, (struct sockaddr *)&ss, &sl,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				warn("accept4(forwarded port): %s", strerror(errno));
			return;
		}
		if (rules[lsns[slot].rule].splice && (family = splice_family(c, &ss)) &&
		    !splice_inbound(c, fd, family, lsns[slot].gport))
			continue;
		family = map_client(c, (struct sockaddr *)&ss, &src, &sport);
		if (family < 0) {
			close(fd);
			c->stats.dropped_policy++;
			continue;
		}
		if (tcp_inbound(c, fd, family, &src, sport, lsns[slot].gport,
				lsns[slot].rule) < 0)
			c->stats.dropped_policy++;
	}
}

/* A flow for a new UDP client: a socket bound to the forwarded port, connected to it */
static int udp_client_flow(struct ctx *c, int slot, int family, const union flow_addr *src,
			   uint16_t sport, const struct sockaddr *client, socklen_t clen)
{
	const void *gaddr = family == AF_INET ? (const void *)&c->conf.guest4
					      : (const void *)&c->conf.guest6;
	struct epoll_event ev = { .events = EPOLLIN };
	struct sockaddr_storage local;
	socklen_t ll = sizeof(local);
	int fd, idx, one = 1;

	if (getsockname(lsns[slot].fd, (struct sockaddr *)&local, &ll))
		return -errno;
	fd = socket(local.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (local.ss_family == AF_INET6) {
		int v6only = 0;
		socklen_t vl = sizeof(v6only);

		getsockopt(lsns[slot].fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &vl);
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only));
	}
	if (bind(fd, (struct sockaddr *)&local, ll) || connect(fd, client, clen)) {
		int e = -errno;

		close(fd);
		return e;
	}
	idx = flow_add_inbound(IPPROTO_UDP, family, gaddr, lsns[slot].gport, src, sport,
			       lsns[slot].rule);
	if (idx < 0) {
		close(fd);
		return idx;
	}
	flow_at(idx)->fd = fd;
	flow_touch(idx, c->now_ms, 0);
	ev.data.u64 = EP_REF(EP_UDP, idx);
	if (epoll_ctl(c->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
		udp_close(c, idx);
		return -errno;
	}
	return idx;
}

static void fwd_udp(struct ctx *c, int slot)
{
	int i;

	for (i = 0; i < UDP_FWD_BATCH; i++) {
		const void *gaddr;
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		union flow_addr src;
		uint16_t sport;
		int family, idx;
		ssize_t n;

		n = recvfrom(lsns[slot].fd, udp_buf, sizeof(udp_buf), MSG_DONTWAIT,
			     (struct sockaddr *)&ss, &sl);
		if (n < 0)
			return;
		family = map_client(c, (struct sockaddr *)&ss, &src, &sport);
		if (family < 0) {
			c->stats.dropped_policy++;
			continue;
		}
		gaddr = family == AF_INET ? (const void *)&c->conf.guest4
					  : (const void *)&c->conf.guest6;
		idx = flow_lookup(IPPROTO_UDP, family, gaddr, lsns[slot].gport, &src, sport);
		if (idx < 0)
			idx = udp_client_flow(c, slot, family, &src, sport,
					      (struct sockaddr *)&ss, sl);
		if (idx < 0) {
			c->stats.dropped_policy++;
			continue;
		}
		udp_send_guest(c, idx, udp_buf, (size_t)n);
	}
}

void fwd_event(struct ctx *c, int slot, uint32_t events)
{
	(void)events;
	if (slot < 0 || slot >= LSN_MAX || lsns[slot].fd < 0)
		return;
	if (rules[lsns[slot].rule].pf.proto == IPPROTO_UDP)
		fwd_udp(c, slot);
	else
		fwd_accept(c, slot);
}

void fwd_cleanup(struct ctx *c)
{
	int i;

	if (!lsns_init)
		return;
	for (i = 0; i < LSN_MAX; i++)
		lsn_close(c, i);
	memset(rules, 0, sizeof(rules));
}
