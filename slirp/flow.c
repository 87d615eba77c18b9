// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * flow.c - fixed flow table with a free list, a hash on the guest tuple,
 * quotas, and two lists for eviction: half-open TCP flows in the order they
 * were made, datagram flows in the order of their last activity
 */

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "flow.h"

#define FLOW_BUCKETS	16384		/* power of two */
/*
 * Entries freed during a batch of events wait for flow_reclaim() before they
 * are reused, so the array has room beyond the capacity for them
 */
#define FLOW_PHYS	(FLOW_MAX + FLOW_MAX / 2)
#define SRC_BUCKETS	4096		/* power of two */

/* A remote source address with flows: IPv4 address, or IPv6 /64 */
struct flow_src {
	uint8_t family;			/* 0: free */
	uint8_t key[8];
	uint32_t count;			/* flows from it */
	uint32_t next;			/* slot + 1: next in the bucket, or in the free list */
};

enum scope { SCOPE_NONE, SCOPE_FWD, SCOPE_SRC, SCOPE_INBOUND, SCOPE_TABLE };

static struct flow flows[FLOW_PHYS];
static uint32_t buckets[FLOW_BUCKETS];	/* index + 1 of the first flow, 0 empty */
static int flow_used;			/* entries ever handed out */
static int free_head = -1;		/* free list through hash_next (index + 1) */
static int freed_head = -1;		/* freed since the last flow_reclaim() */
static int flow_active;
static int flow_cap = FLOW_MAX;
static uint32_t list_head[FLOW_L_COUNT], list_tail[FLOW_L_COUNT];	/* index + 1 */
static uint32_t fwd_count[FLOW_FWD_MAX];
static uint32_t inbound_count;
static struct flow_src srcs[FLOW_MAX];
static uint32_t src_buckets[SRC_BUCKETS];	/* slot + 1 */
static int src_used;
static uint32_t src_free;			/* slot + 1 */
static uint32_t hash_seed = 2166136261u;	/* random after flow_init() */
static void (*evict_fn)(void *arg, int idx);
static void *evict_arg;
static struct flow_stats stats;

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* FNV-1a over @len bytes, continuing from @h */
static uint32_t fnv(uint32_t h, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/* FNV-1a of a flow's tuple, continuing from @key */
static uint32_t tuple_hash(uint32_t key, uint8_t proto, int family, const void *gaddr,
			   uint16_t gport, const void *daddr, uint16_t dport)
{
	uint32_t h = key ^ proto;

	h = fnv(h, gaddr, addr_len(family));
	h = fnv(h, daddr, addr_len(family));
	h = (h ^ gport) * 16777619u;
	h = (h ^ dport) * 16777619u;
	return h ^ (h >> 15);
}

static uint32_t flow_hash(uint8_t proto, int family, const void *gaddr, uint16_t gport,
			  const void *daddr, uint16_t dport)
{
	return tuple_hash(hash_seed, proto, family, gaddr, gport, daddr, dport) & (FLOW_BUCKETS - 1);
}

uint32_t flow_tuple_hash(const struct flow *f, uint32_t key)
{
	return tuple_hash(key, f->proto, f->family, &f->gaddr, f->gport, &f->daddr, f->dport);
}

static int flow_match(const struct flow *f, uint8_t proto, int family, const void *gaddr,
		      uint16_t gport, const void *daddr, uint16_t dport)
{
	size_t n = addr_len(family);

	return f->proto == proto && f->family == family && f->gport == gport &&
	       f->dport == dport && !memcmp(&f->gaddr, gaddr, n) &&
	       !memcmp(&f->daddr, daddr, n);
}

void flow_init(int capacity, void (*evict)(void *arg, int idx), void *arg)
{
	uint32_t seed;

	memset(buckets, 0, sizeof(buckets));
	memset(src_buckets, 0, sizeof(src_buckets));
	memset(fwd_count, 0, sizeof(fwd_count));
	memset(list_head, 0, sizeof(list_head));
	memset(list_tail, 0, sizeof(list_tail));
	memset(&stats, 0, sizeof(stats));
	flow_used = src_used = flow_active = 0;
	free_head = freed_head = -1;
	src_free = 0;
	inbound_count = 0;
	flow_cap = capacity < 1 ? 1 : capacity > FLOW_MAX ? FLOW_MAX : capacity;
	evict_fn = evict;
	evict_arg = arg;
	/* bucket chains a remote peer cannot aim at */
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == sizeof(seed))
		hash_seed = seed;
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

/* The key of a remote source: an IPv4 address, an IPv6 /64 */
static void src_key(int family, const void *addr, uint8_t key[8])
{
	memset(key, 0, 8);
	memcpy(key, addr, family == AF_INET ? 4 : 8);
}

static uint32_t src_hash(int family, const uint8_t key[8])
{
	return fnv(hash_seed ^ (uint32_t)family, key, 8) & (SRC_BUCKETS - 1);
}

/* Slot + 1 of a source with flows, or 0 */
static uint32_t src_find(int family, const uint8_t key[8])
{
	uint32_t i = src_buckets[src_hash(family, key)];

	while (i && (srcs[i - 1].family != family || memcmp(srcs[i - 1].key, key, 8)))
		i = srcs[i - 1].next;
	return i;
}

/* Count one more flow from a source; slot + 1, or 0 if no slot is left */
static uint32_t src_get(int family, const uint8_t key[8])
{
	uint32_t i = src_find(family, key), b;

	if (!i) {
		if (src_free) {
			i = src_free;
			src_free = srcs[i - 1].next;
		} else if (src_used < FLOW_MAX) {
			i = (uint32_t)++src_used;
		} else {
			return 0;
		}
		b = src_hash(family, key);
		srcs[i - 1].family = (uint8_t)family;
		memcpy(srcs[i - 1].key, key, 8);
		srcs[i - 1].count = 0;
		srcs[i - 1].next = src_buckets[b];
		src_buckets[b] = i;
	}
	srcs[i - 1].count++;
	return i;
}

static void src_put(uint32_t i)
{
	struct flow_src *s = &srcs[i - 1];
	uint32_t *link;

	if (--s->count)
		return;
	for (link = &src_buckets[src_hash(s->family, s->key)]; *link;
	     link = &srcs[*link - 1].next) {
		if (*link == i) {
			*link = s->next;
			break;
		}
	}
	s->family = 0;
	s->next = src_free;
	src_free = i;
}

static void list_unlink(int idx)
{
	struct flow *f = &flows[idx];

	if (f->list == FLOW_L_NONE)
		return;
	if (f->prev)
		flows[f->prev - 1].next = f->next;
	else
		list_head[f->list] = f->next;
	if (f->next)
		flows[f->next - 1].prev = f->prev;
	else
		list_tail[f->list] = f->prev;
	f->prev = f->next = 0;
	f->list = FLOW_L_NONE;
}

static void list_append(int idx, uint8_t l)
{
	struct flow *f = &flows[idx];

	f->list = l;
	f->next = 0;
	f->prev = list_tail[l];
	if (list_tail[l])
		flows[list_tail[l] - 1].next = (uint32_t)idx + 1;
	else
		list_head[l] = (uint32_t)idx + 1;
	list_tail[l] = (uint32_t)idx + 1;
}

/* Which quota a new flow of forward @fwd (-1: the container's) from @src would exceed */
static enum scope over_quota(int fwd, uint32_t src)
{
	if (fwd >= 0 && fwd_count[fwd] >= FLOW_QUOTA_FWD)
		return SCOPE_FWD;
	if (src && srcs[src - 1].count >= FLOW_QUOTA_SRC)
		return SCOPE_SRC;
	if (fwd >= 0 && inbound_count >= FLOW_QUOTA_INBOUND)
		return SCOPE_INBOUND;
	if (flow_active >= flow_cap)
		return SCOPE_TABLE;
	return SCOPE_NONE;
}

/* The first flow on list @l within @scope, or -1 */
static int victim_on(uint8_t l, enum scope scope, int fwd, uint32_t src)
{
	uint32_t i;

	for (i = list_head[l]; i; i = flows[i - 1].next) {
		const struct flow *f = &flows[i - 1];

		if (scope == SCOPE_TABLE || (scope == SCOPE_FWD && f->fwd == fwd + 1) ||
		    (scope == SCOPE_SRC && f->src == src) ||
		    (scope == SCOPE_INBOUND && f->fwd))
			return (int)i - 1;
	}
	return -1;
}

/*
 * Evict until a new flow fits every quota: half-open TCP flows first, then the
 * least recently active datagram flows, within the quota that is full.
 * Return: 0, or -ENOSPC
 */
static int make_room(int fwd, int family, const void *daddr)
{
	uint8_t key[8];
	int n;

	if (fwd >= 0)
		src_key(family, daddr, key);
	for (n = 0; n < 8; n++) {
		uint32_t src = fwd >= 0 ? src_find(family, key) : 0;
		enum scope scope = over_quota(fwd, src);
		int v;

		switch (scope) {
		case SCOPE_NONE: return 0;
		case SCOPE_FWD: stats.at_fwd++; break;
		case SCOPE_SRC: stats.at_src++; break;
		case SCOPE_INBOUND: stats.at_inbound++; break;
		case SCOPE_TABLE: stats.at_table++; break;
		}
		v = victim_on(FLOW_L_HALF, scope, fwd, src);
		if (v < 0)
			v = victim_on(FLOW_L_DGRAM, scope, fwd, src);
		if (v < 0 || !evict_fn)
			break;
		stats.evicted[flows[v].list]++;
		evict_fn(evict_arg, v);
		if (flows[v].proto)		/* not freed: give up rather than loop */
			break;
	}
	stats.refused++;
	return -ENOSPC;
}

/* Take an entry and index it; @fwd -1 for the container's own flows */
static int flow_new(uint8_t proto, int family, const void *gaddr, uint16_t gport,
		    const void *daddr, uint16_t dport, int fwd)
{
	uint32_t b = flow_hash(proto, family, gaddr, gport, daddr, dport), src = 0;
	struct flow *f;
	uint8_t key[8];
	int idx;

	if (make_room(fwd, family, daddr))
		return -ENOSPC;
	if (fwd >= 0) {
		src_key(family, daddr, key);
		src = src_get(family, key);
		if (!src)
			return -ENOSPC;
	}
	if (free_head >= 0) {
		idx = free_head;
		free_head = (int)flows[idx].hash_next - 1;
	} else if (flow_used < FLOW_PHYS) {
		idx = flow_used++;
	} else {
		if (src)
			src_put(src);
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
	f->src = src;
	if (fwd >= 0) {
		f->fwd = (uint16_t)(fwd + 1);
		fwd_count[fwd]++;
		inbound_count++;
	}
	list_append(idx, proto == IPPROTO_TCP ? FLOW_L_HALF : FLOW_L_DGRAM);
	flow_active++;
	return idx;
}

int flow_add(uint8_t proto, int family, const void *gaddr, uint16_t gport,
	     const void *daddr, uint16_t dport)
{
	return flow_new(proto, family, gaddr, gport, daddr, dport, -1);
}

int flow_add_inbound(uint8_t proto, int family, const void *gaddr, uint16_t gport,
		     const void *daddr, uint16_t dport, int fwd)
{
	if (fwd < 0 || fwd >= FLOW_FWD_MAX)
		return -EINVAL;
	return flow_new(proto, family, gaddr, gport, daddr, dport, fwd);
}

void flow_established(int idx)
{
	if (flows[idx].list == FLOW_L_HALF)
		list_unlink(idx);
}

void flow_touch(int idx, uint64_t now_ms, uint8_t seen)
{
	struct flow *f = &flows[idx];

	f->last_ms = now_ms;
	f->seen |= seen;
	if (f->list == FLOW_L_DGRAM && list_tail[FLOW_L_DGRAM] != (uint32_t)idx + 1) {
		list_unlink(idx);
		list_append(idx, FLOW_L_DGRAM);
	}
}

void flow_forget_fwd(int fwd)
{
	int i;

	if (fwd < 0 || fwd >= FLOW_FWD_MAX)
		return;
	for (i = 0; i < flow_used; i++) {
		if (flows[i].proto && flows[i].fwd == fwd + 1) {
			flows[i].fwd = 0;
			inbound_count--;
			if (flows[i].src) {
				src_put(flows[i].src);
				flows[i].src = 0;
			}
		}
	}
	fwd_count[fwd] = 0;
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
	list_unlink(idx);
	if (f->fwd) {
		fwd_count[f->fwd - 1]--;
		inbound_count--;
		f->fwd = 0;
	}
	if (f->src) {
		src_put(f->src);
		f->src = 0;
	}
	f->proto = 0;
	f->fd = -1;
	f->hash_next = (uint32_t)(freed_head + 1);
	freed_head = idx;
	flow_active--;
}

void flow_reclaim(void)
{
	while (freed_head >= 0) {
		int idx = freed_head;

		freed_head = (int)flows[idx].hash_next - 1;
		flows[idx].hash_next = (uint32_t)(free_head + 1);
		free_head = idx;
	}
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

int flow_capacity(void)
{
	return flow_cap;
}

const struct flow_stats *flow_stats(void)
{
	return &stats;
}
