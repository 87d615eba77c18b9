// SPDX-License-Identifier: GPL-2.0-or-later
/* conf.c - default addresses, resolver discovery, destination mapping */

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "busypoll.h"
#include "cleanup.h"
#include "conf.h"

static void v4_offset(struct in_addr *out, struct in_addr net, uint32_t off)
{
	out->s_addr = htonl(ntohl(net.s_addr) + off);
}

void conf_defaults(struct slirp_conf *conf)
{
	static const uint8_t gw_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };

	memset(conf, 0, sizeof(*conf));
	conf->mtu = MTU_DEFAULT;
	conf->exit_fd = -1;
	conf->ready_fd = -1;
	conf->busy_poll_us = BUSYPOLL_DEFAULT_US;
	conf_set_cidr4(conf, "10.0.2.0/24");
	inet_pton(AF_INET6, "fd00::", &conf->net6);
	inet_pton(AF_INET6, "fd00::100", &conf->guest6);
	inet_pton(AF_INET6, "fd00::2", &conf->gw6);
	inet_pton(AF_INET6, "fd00::3", &conf->dns6);
	conf->prefix6 = 64;
	memcpy(conf->gw_mac, gw_mac, 6);
}

int conf_set_cidr4(struct slirp_conf *conf, const char *cidr)
{
	char buf[INET_ADDRSTRLEN + 4], *slash, *end;
	struct in_addr a;
	unsigned long plen;
	uint32_t mask;

	if (strlen(cidr) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, cidr);
	slash = strchr(buf, '/');
	if (!slash)
		return -EINVAL;
	*slash = '\0';
	errno = 0;
	plen = strtoul(slash + 1, &end, 10);
	if (errno || *end || end == slash + 1 || plen < 1 || plen > 25)
		return -EINVAL;
	if (inet_pton(AF_INET, buf, &a) != 1)
		return -EINVAL;
	mask = plen ? htonl(~0u << (32 - plen)) : 0;
	conf->net4.s_addr = a.s_addr & mask;
	conf->prefix4 = (unsigned)plen;
	v4_offset(&conf->gw4, conf->net4, 2);
	v4_offset(&conf->dns4, conf->net4, 3);
	v4_offset(&conf->guest4, conf->net4, 100);
	return 0;
}

int conf_read_resolv(struct slirp_conf *conf, const char *path)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char line[512];

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char name[128], *pct;
		struct sockaddr_in *s4 = (struct sockaddr_in *)&conf->resolver;
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&conf->resolver;

		if (sscanf(line, " nameserver %127s", name) != 1)
			continue;
		pct = strchr(name, '%');	/* scoped IPv6: not reachable from the guest's view */
		if (pct)
			continue;
		memset(&conf->resolver, 0, sizeof(conf->resolver));
		if (inet_pton(AF_INET, name, &s4->sin_addr) == 1) {
			s4->sin_family = AF_INET;
			s4->sin_port = htons(53);
			conf->resolver_len = sizeof(*s4);
			return 0;
		}
		if (inet_pton(AF_INET6, name, &s6->sin6_addr) == 1) {
			s6->sin6_family = AF_INET6;
			s6->sin6_port = htons(53);
			conf->resolver_len = sizeof(*s6);
			return 0;
		}
	}
	return -ENOENT;
}

static int in_net4(const struct slirp_conf *conf, struct in_addr a)
{
	uint32_t mask = htonl(~0u << (32 - conf->prefix4));

	return (a.s_addr & mask) == conf->net4.s_addr;
}

static int in_net6(const struct slirp_conf *conf, const struct in6_addr *a)
{
	return !memcmp(a, &conf->net6, 8);	/* /64 */
}

/* An address no host socket may be aimed at: unspecified, loopback, multicast */
static int unroutable4(struct in_addr d)
{
	uint32_t h = ntohl(d.s_addr);

	return h >> 28 >= 0xe || h >> 24 == 127 || h >> 24 == 0;
}

static int unroutable6(const struct in6_addr *d)
{
	return IN6_IS_ADDR_MULTICAST(d) || IN6_IS_ADDR_LINKLOCAL(d) ||
	       IN6_IS_ADDR_LOOPBACK(d) || IN6_IS_ADDR_UNSPECIFIED(d) ||
	       IN6_IS_ADDR_V4MAPPED(d);
}

/*
 * pasta's view: the guest holds the host's own addresses, so every other
 * address is a real one, except the mapped ones (--dns-forward,
 * --map-host-loopback or the gateway, --map-guest-addr).
 */
static int map_dst_host_view(const struct slirp_conf *conf, int family, const void *daddr,
			     uint16_t port, int is_dns_port, struct sockaddr_storage *sa,
			     socklen_t *salen)
{
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
		struct in_addr d;

		memcpy(&d, daddr, 4);
		if (conf->dns4.s_addr && d.s_addr == conf->dns4.s_addr && is_dns_port &&
		    !conf->disable_dns && conf->resolver_len &&
		    conf->resolver.ss_family == AF_INET) {
			memcpy(sa, &conf->resolver, conf->resolver_len);
			*salen = conf->resolver_len;
			return 0;
		}
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*salen = sizeof(*s4);
		if (conf->map_lo4.s_addr && d.s_addr == conf->map_lo4.s_addr) {
			if (conf->disable_host_loopback)
				return -EACCES;
			s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			return 0;
		}
		if (conf->map_guest4.s_addr && d.s_addr == conf->map_guest4.s_addr) {
			s4->sin_addr = conf->guest4;	/* the host's own address */
			return 0;
		}
		if (d.s_addr == conf->guest4.s_addr || unroutable4(d))
			return -EHOSTUNREACH;
		s4->sin_addr = d;
		return 0;
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
		struct in6_addr d;

		memcpy(&d, daddr, 16);
		if (!IN6_IS_ADDR_UNSPECIFIED(&conf->dns6) && !memcmp(&d, &conf->dns6, 16) &&
		    is_dns_port && !conf->disable_dns && conf->resolver_len &&
		    conf->resolver.ss_family == AF_INET6) {
			memcpy(sa, &conf->resolver, conf->resolver_len);
			*salen = conf->resolver_len;
			return 0;
		}
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*salen = sizeof(*s6);
		if (!IN6_IS_ADDR_UNSPECIFIED(&conf->map_lo6) && !memcmp(&d, &conf->map_lo6, 16)) {
			if (conf->disable_host_loopback)
				return -EACCES;
			s6->sin6_addr = in6addr_loopback;
			return 0;
		}
		if (!IN6_IS_ADDR_UNSPECIFIED(&conf->map_guest6) &&
		    !memcmp(&d, &conf->map_guest6, 16)) {
			s6->sin6_addr = conf->guest6;
			return 0;
		}
		if (!memcmp(&d, &conf->guest6, 16) || unroutable6(&d))
			return -EHOSTUNREACH;
		s6->sin6_addr = d;
		return 0;
	}
}

int conf_map_dst(const struct slirp_conf *conf, int family, const void *daddr,
		 uint16_t port, int proto, struct sockaddr_storage *sa,
		 socklen_t *salen)
{
	int is_dns_port = port == 53 && (proto == IPPROTO_UDP || proto == IPPROTO_TCP);

	memset(sa, 0, sizeof(*sa));
	if (conf->host_view && (family == AF_INET || family == AF_INET6))
		return map_dst_host_view(conf, family, daddr, port, is_dns_port, sa, salen);
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
		struct in_addr d;

		memcpy(&d, daddr, 4);
		if (d.s_addr == conf->dns4.s_addr) {
			if (!is_dns_port || conf->disable_dns || !conf->resolver_len)
				return -EHOSTUNREACH;
			memcpy(sa, &conf->resolver, conf->resolver_len);
			*salen = conf->resolver_len;
			return 0;
		}
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*salen = sizeof(*s4);
		if (d.s_addr == conf->gw4.s_addr) {
			if (conf->disable_host_loopback)
				return -EACCES;
			s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			return 0;
		}
		if (in_net4(conf, d) || unroutable4(d))
			return -EHOSTUNREACH;
		s4->sin_addr = d;
		return 0;
	}
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
		struct in6_addr d;

		memcpy(&d, daddr, 16);
		if (!memcmp(&d, &conf->dns6, 16)) {
			if (!is_dns_port || conf->disable_dns || !conf->resolver_len)
				return -EHOSTUNREACH;
			memcpy(sa, &conf->resolver, conf->resolver_len);
			*salen = conf->resolver_len;
			return 0;
		}
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*salen = sizeof(*s6);
		if (!memcmp(&d, &conf->gw6, 16)) {
			if (conf->disable_host_loopback)
				return -EACCES;
			s6->sin6_addr = in6addr_loopback;
			return 0;
		}
		if (in_net6(conf, &d) || unroutable6(&d))
			return -EHOSTUNREACH;
		s6->sin6_addr = d;
		return 0;
	}
	return -EAFNOSUPPORT;
}

/* An IPv6 address with a zone, "fe80::10%eth0": 0, or -EINVAL */
static int parse_scoped6(const char *spec, struct sockaddr_in6 *out)
{
	char buf[INET6_ADDRSTRLEN + IFNAMSIZ + 1], *pct;

	if (strlen(spec) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, spec);
	pct = strchr(buf, '%');
	if (!pct)
		return -EINVAL;
	*pct = '\0';
	if (inet_pton(AF_INET6, buf, &out->sin6_addr) != 1 ||
	    !(out->sin6_scope_id = if_nametoindex(pct + 1)))
		return -EINVAL;
	out->sin6_family = AF_INET6;
	return 0;
}

int conf_set_outbound(struct slirp_conf *conf, int family, const char *spec)
{
	struct ifaddrs *ifa, *i;
	int found = 0;

	if (family == AF_INET && inet_pton(AF_INET, spec, &conf->out4.sin_addr) == 1) {
		conf->out4.sin_family = AF_INET;
		return 0;
	}
	if (family == AF_INET6 && inet_pton(AF_INET6, spec, &conf->out6.sin6_addr) == 1) {
		conf->out6.sin6_family = AF_INET6;
		return 0;
	}
	if (family == AF_INET6 && !parse_scoped6(spec, &conf->out6))
		return 0;
	if (!*spec || strlen(spec) >= IFNAMSIZ || getifaddrs(&ifa))
		return -EINVAL;
	for (i = ifa; i && !found; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family || strcmp(i->ifa_name, spec))
			continue;
		if (family == AF_INET) {
			memcpy(&conf->out4, i->ifa_addr, sizeof(conf->out4));
			conf->out4.sin_port = 0;
			found = 1;
		} else {
			const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)i->ifa_addr;

			if (IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr))
				continue;	/* a global address reaches further */
			memcpy(&conf->out6, s6, sizeof(conf->out6));
			conf->out6.sin6_port = 0;
			found = 1;
		}
	}
	freeifaddrs(ifa);
	return found ? 0 : -EADDRNOTAVAIL;
}

/* Whether a socket of @sa's family can bind to @sa: 0, or -errno */
static int bind_probe(const struct sockaddr *sa, socklen_t len)
{
	int fd = socket(sa->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = 0;

	if (fd < 0)
		return -errno;
	if (bind(fd, sa, len))
		r = -errno;
	close(fd);
	return r;
}

int conf_check_outbound(const struct slirp_conf *conf, char *err, size_t errlen)
{
	char a[INET6_ADDRSTRLEN];
	int r;

	if (conf->out4.sin_family &&
	    (r = bind_probe((const struct sockaddr *)&conf->out4, sizeof(conf->out4)))) {
		inet_ntop(AF_INET, &conf->out4.sin_addr, a, sizeof(a));
		snprintf(err, errlen, "--outbound-addr: bind(%s): %s", a, strerror(-r));
		return r;
	}
	if (conf->out6.sin6_family &&
	    (r = bind_probe((const struct sockaddr *)&conf->out6, sizeof(conf->out6)))) {
		inet_ntop(AF_INET6, &conf->out6.sin6_addr, a, sizeof(a));
		snprintf(err, errlen, "--outbound-addr6: bind([%s]): %s%s", a, strerror(-r),
			 r == -EINVAL && IN6_IS_ADDR_LINKLOCAL(&conf->out6.sin6_addr) ?
			 " (a link-local address needs its interface: ADDR%IFNAME)" : "");
		return r;
	}
	return 0;
}

int conf_bind_outbound(const struct slirp_conf *conf, int fd, const struct sockaddr *dst)
{
	int one = 1;

	if (dst->sa_family == AF_INET && conf->out4.sin_family) {
		const struct sockaddr_in *d = (const struct sockaddr_in *)dst;

		if (ntohl(d->sin_addr.s_addr) >> 24 == 127)
			return 0;		/* the host's loopback: no other source works */
		setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
		return bind(fd, (const struct sockaddr *)&conf->out4, sizeof(conf->out4)) ?
		       -errno : 0;
	}
	if (dst->sa_family == AF_INET6 && conf->out6.sin6_family) {
		const struct sockaddr_in6 *d = (const struct sockaddr_in6 *)dst;

		if (IN6_IS_ADDR_LOOPBACK(&d->sin6_addr) || IN6_IS_ADDR_V4MAPPED(&d->sin6_addr))
			return 0;
		setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
		return bind(fd, (const struct sockaddr *)&conf->out6, sizeof(conf->out6)) ?
		       -errno : 0;
	}
	return 0;
}
