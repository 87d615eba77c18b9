// SPDX-License-Identifier: GPL-2.0-or-later
/* flow.c - fixed flow table with a free list and a hash on the guest tuple */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "flow.h"

#define FLOW_BUCKETS	16384		/* power of two */

static struct flow flows[FLOW_MAX];
static uint32_t buckets[FLOW_BUCKETS];	/* index + 1 of the first flow, 0 empty */
static int flow_used;			/* entries ever handed out */
static int free_head = -1;		/* free list through hash_next (index + 1) */
static int flow_active;

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

static uint32_t flow_hash(uint8_t proto, int family, const void *gaddr, uint16_t gport,
			  const void *daddr, uint16_t dport)
{
	const uint8_t *g = gaddr, *d = daddr;
	uint32_t h = 2166136261u ^ proto;
	size_t i, n = addr_len(family);

	for (i = 0; i < n; i++)
		h = (h ^ g[i]) * 16777619u;
	for (i = 0; i < n; i++)
		h = (h ^ d[i]) * 16777619u;
	h = (h ^ gport) * 16777619u;
	h = (h ^ dport) * 16777619u;
	h ^= h >> 15;
	return h & (FLOW_BUCKETS - 1);
}

static int flow_match(const struct flow *f, uint8_t proto, int family, const void *gaddr,
		      uint16_t gport, const void *daddr, uint16_t dport)
{
	size_t n = addr_len(family);

	return f->proto == proto && f->family == family && f->gport == gport &&
	       f->dport == dport && !memcmp(&f->gaddr, gaddr, n) &&
	       !memcmp(&f->daddr, daddr, n);
}

int flow_lookup(uint8_t proto, int family, const void *gaddr, uint16_t gport,
		const void *daddr, uint16_t dport)
{
	uint32_t i = buckets[flow_hash(proto, family, gaddr, gport, daddr, dport)];

	while (i) {
		struct flow *f = &flows[i - 1];

		if (flow_match(f, proto, family, gaddr, gport, daddr, dport))
			return (int)i - 1;
		i = f->hash_next;
	}
	return -1;
}

int flow_add(uint8_t proto, int family, const void *gaddr, uint16_t gport,
	     const void *daddr, uint16_t dport)
{
	uint32_t b = flow_hash(proto, family, gaddr, gport, daddr, dport);
	struct flow *f;
	int idx;

	if (free_head >= 0) {
		idx = free_head;
		free_head = (int)flows[idx].hash_next - 1;
	} else if (flow_used < FLOW_MAX) {
		idx = flow_used++;
	} else {
		return -ENOSPC;
	}
	f = &flows[idx];
	memset(f, 0, sizeof(*f));
	f->proto = proto;
	f->family = (uint8_t)family;
	f->gport = gport;
	f->dport = dport;
	memcpy(&f->gaddr, gaddr, addr_len(family));
	memcpy(&f->daddr, daddr, addr_len(family));
	f->fd = -1;
	f->hash_next = buckets[b];
	buckets[b] = (uint32_t)idx + 1;
	flow_active++;
	return idx;
}

void flow_del(int idx)
{
	struct flow *f = &flows[idx];
	uint32_t b, *link;

	if (!f->proto)
		return;
	b = flow_hash(f->proto, f->family, &f->gaddr, f->gport, &f->daddr, f->dport);
	for (link = &buckets[b]; *link; link = &flows[*link - 1].hash_next) {
		if (*link == (uint32_t)idx + 1) {
			*link = f->hash_next;
			break;
		}
	}
	f->proto = 0;
	f->fd = -1;
	f->hash_next = (uint32_t)(free_head + 1);
	free_head = idx;
	flow_active--;
}

struct flow *flow_at(int idx)
{
	return &flows[idx];
}

int flow_limit(void)
{
	return flow_used;
}

int flow_count(void)
{
	return flow_active;
}
