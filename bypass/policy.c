// SPDX-License-Identifier: GPL-2.0-or-later
/* policy.c - which socket calls of a container get a host socket */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "policy.h"

void policy_init(struct policy *p)
{
	memset(p, 0, sizeof(*p));
	policy_add_local(p, "10.0.2.0/24");
	policy_add_local(p, "fd00::/64");
}

/* parse @s into slot @n of @tab (of @max), network bits only */
static int cidr_add(struct cidr *tab, size_t *n, size_t max, const char *s)
{
	struct cidr c;

	if (cidr_parse(s, &c) < 0)
		return -EINVAL;
	if (*n >= max)
		return -ENOSPC;
	addr_unmap(&c.addr);
	cidr_network(&c);
	tab[(*n)++] = c;
	return 0;
}

int policy_add_local(struct policy *p, const char *cidr)
{
	return cidr_add(p->local, &p->nlocal, sizeof(p->local) / sizeof(p->local[0]), cidr);
}

int policy_add_exclude(struct policy *p, const char *cidr)
{
	return cidr_add(p->exclude, &p->nexclude, POLICY_MAX_EXCLUDE, cidr);
}

int policy_sockaddr(const void *buf, size_t len, size_t got, struct addr *a, uint16_t *port)
{
	sa_family_t fam;
	struct sockaddr_storage ss;

	if (len < sizeof(fam) || got < sizeof(fam))
		return -EINVAL;
	memcpy(&fam, buf, sizeof(fam));
	if (fam == AF_UNSPEC)
		return AF_UNSPEC;
	if (fam == AF_INET && (len < sizeof(struct sockaddr_in) || got < sizeof(struct sockaddr_in)))
		return -EINVAL;
	/* the kernel takes 24 bytes (no scope id) as a valid sockaddr_in6 */
	if (fam == AF_INET6 && (len < 24 || got < 24))
		return -EINVAL;
	if (fam != AF_INET && fam != AF_INET6)
		return -EAFNOSUPPORT;
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, buf, got < sizeof(ss) ? got : sizeof(ss));
	if (addr_from_sockaddr((const struct sockaddr *)&ss, a, port) < 0)
		return -EAFNOSUPPORT;
	addr_unmap(a);
	return fam;
}

/* 0.0.0.0/8, 127/8, 224/4, 255.255.255.255 and, for IPv6, ::, ::1,
 * link-local and multicast: the host itself, or not a single remote peer */
static int names_host_or_many(const struct addr *a)
{
	if (a->family == AF_INET) {
		uint32_t h = ntohl(a->v4.s_addr);

		return (h >> 24) == 0 || (h >> 24) == 127 || (h >> 28) == 0xe ||
		       h == 0xffffffffu;
	}
	if (a->family != AF_INET6)
		return 1;
	return IN6_IS_ADDR_UNSPECIFIED(&a->v6) || IN6_IS_ADDR_LOOPBACK(&a->v6) ||
	       IN6_IS_ADDR_LINKLOCAL(&a->v6) || IN6_IS_ADDR_MULTICAST(&a->v6) ||
	       IN6_IS_ADDR_V4MAPPED(&a->v6) || IN6_IS_ADDR_V4COMPAT(&a->v6);
}

static int in_table(const struct cidr *tab, size_t n, const struct addr *a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cidr_contains(&tab[i], a))
			return 1;
	return 0;
}

enum policy_verdict policy_connect(const struct policy *p, const struct addr *dst)
{
	if ((dst->family == AF_INET6 && !p->ipv6) ||
	    names_host_or_many(dst) || in_table(p->local, p->nlocal, dst) ||
	    in_table(p->exclude, p->nexclude, dst))
		return POLICY_TAP;
	return POLICY_HOST;
}

const struct port_fwd *policy_bind(const struct policy *p, int proto, const struct addr *a,
				   uint16_t port)
{
	size_t i;

	if (!addr_is_any(a) && !in_table(p->local, p->nlocal, a))
		return NULL;
	for (i = 0; i < p->nports; i++) {
		const struct port_fwd *f = &p->ports[i];

		if (f->proto == proto && port >= f->guest_port &&
		    (unsigned)port < (unsigned)f->guest_port + f->count)
			return f;
	}
	return NULL;
}
