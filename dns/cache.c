// SPDX-License-Identifier: GPL-2.0-or-later
/* cache.c - upstream answers kept for their TTL: fixed table, clock eviction */

#include <errno.h>
#include <string.h>

#include "cache.h"
#include "log.h"

#define BUCKETS		8192		/* power of two, twice the entries */
#define OPT_LEN		11		/* an OPT record without options */
#define MAX_RRS		(CACHE_MSG_MAX / 11)	/* records in a slot, at most */

/* Variant bits */
#define V_RD		1u
#define V_CD		2u
#define V_EDNS		4u
#define V_DO		8u

struct entry {
	uint32_t next;			/* hash chain: index + 1, 0 ends */
	uint32_t hash;
	uint8_t used, ref, has_opt, nup;
	uint8_t variant;
	uint16_t qtype, qclass;
	uint16_t len;			/* of msgs[i], without OPT */
	uint16_t qname_len;
	uint16_t opt_class;		/* the upstream's OPT: size, then rcode/flags */
	uint32_t opt_ttl;
	uint64_t stored, expires;	/* monotonic ms */
	uint32_t netid;
	struct addr ups[CACHE_MAX_UPSTREAM];
};

static struct entry ents[CACHE_ENTRIES];
/* apart from the table, so that only filled slots touch their pages */
static uint8_t msgs[CACHE_ENTRIES][CACHE_MSG_MAX];
static uint32_t heads[BUCKETS];		/* index + 1, 0: empty */
static size_t hand, nlive;
static int disabled;
static struct cache_stats st;

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

int cache_variant(const struct dns_msg *q)
{
	if ((q->flags & DNS_F_QR) || q->opcode || q->qdcount != 1 || q->edns_opts)
		return -1;
	return (int)(((q->flags & DNS_F_RD) ? V_RD : 0) | ((q->flags & DNS_F_CD) ? V_CD : 0) |
		     (q->edns ? V_EDNS : 0) | (q->edns_do ? V_DO : 0));
}

/* hash_bytes() - FNV-1a over @len bytes, ASCII letters folded if @fold */
static uint32_t hash_bytes(uint32_t h, const void *data, size_t len, int fold)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		uint8_t c = p[i];

		if (fold && c >= 'A' && c <= 'Z')
			c = (uint8_t)(c - 'A' + 'a');
		h = (h ^ c) * 16777619u;
	}
	return h;
}

static uint32_t key_hash(const struct cache_key *k)
{
	uint8_t fixed[9] = { (uint8_t)(k->qtype >> 8), (uint8_t)k->qtype,
			     (uint8_t)(k->qclass >> 8), (uint8_t)k->qclass, (uint8_t)k->variant,
			     (uint8_t)(k->netid >> 24), (uint8_t)(k->netid >> 16),
			     (uint8_t)(k->netid >> 8), (uint8_t)k->netid };
	uint32_t h = hash_bytes(2166136261u, k->qname, k->qname_len, 1);
	size_t i;

	h = hash_bytes(h, fixed, sizeof(fixed), 0);
	for (i = 0; i < k->nup; i++) {
		const struct addr *a = &k->ups[i];

		h = hash_bytes(h, &a->family, sizeof(a->family), 0);
		h = a->family == AF_INET ? hash_bytes(h, &a->v4, 4, 0) : hash_bytes(h, &a->v6, 16, 0);
	}
	return h;
}

/* key_match() - slot @i holds the answer for @k */
static int key_match(size_t i, const struct cache_key *k, uint32_t h)
{
	const struct entry *e = &ents[i];
	size_t u;

	if (e->hash != h || e->qtype != k->qtype || e->qclass != k->qclass ||
	    e->variant != k->variant || e->nup != k->nup || e->netid != k->netid ||
	    !dns_name_equal(msgs[i] + DNS_HDR, e->qname_len, k->qname, k->qname_len))
		return 0;
	for (u = 0; u < k->nup; u++)
		if (!addr_equal(&e->ups[u], &k->ups[u]))
			return 0;
	return 1;
}

/* unlink_slot() - take slot @i out of its hash chain and mark it free */
static void unlink_slot(size_t i)
{
	uint32_t *link = &heads[ents[i].hash & (BUCKETS - 1)];

	while (*link && *link != i + 1)
		link = &ents[*link - 1].next;
	if (*link)
		*link = ents[i].next;
	ents[i].used = 0;
	ents[i].next = 0;
	nlive--;
}

/* find() - the live slot for @k, or -1 (an expired one is freed) */
static long find(const struct cache_key *k, uint32_t h, uint64_t now)
{
	uint32_t n = heads[h & (BUCKETS - 1)];

	while (n) {
		size_t i = n - 1;

		n = ents[i].next;
		if (!key_match(i, k, h))
			continue;
		if (ents[i].expires <= now) {
			unlink_slot(i);
			return -1;
		}
		return (long)i;
	}
	return -1;
}

/* take_slot() - a free slot: an empty or expired one, else the first the
 * clock hand finds unused since it last passed */
static size_t take_slot(uint64_t now)
{
	size_t n;

	for (n = 0; n < 2 * CACHE_ENTRIES; n++) {
		size_t i = hand;

		hand = (hand + 1) % CACHE_ENTRIES;
		if (!ents[i].used)
			return i;
		if (ents[i].expires <= now) {
			unlink_slot(i);
			return i;
		}
		if (ents[i].ref) {
			ents[i].ref = 0;
			continue;
		}
		unlink_slot(i);
		st.evicted++;
		return i;
	}
	/* every reference bit was cleared on the first lap: not reached */
	unlink_slot(hand);
	st.evicted++;
	return hand;
}

size_t cache_get(const struct cache_key *k, uint16_t id, uint8_t *out, size_t max, uint64_t now)
{
	uint32_t h = key_hash(k);
	long found = disabled ? -1 : find(k, h, now);
	struct entry *e;
	size_t i, qend, pos, n, len;
	uint32_t age;

	if (found < 0) {
		st.misses++;
		return 0;
	}
	i = (size_t)found;
	e = &ents[i];
	qend = DNS_HDR + e->qname_len + 4;
	if (max < qend) {
		st.misses++;
		return 0;
	}
	if ((size_t)e->len + (e->has_opt ? OPT_LEN : 0) > max) {
		/* more than the client takes over UDP: it asks again over TCP */
		memcpy(out, msgs[i], qend);
		len = dns_truncate(out, qend, qend);
	} else {
		memcpy(out, msgs[i], e->len);
		len = e->len;
		age = (uint32_t)((now - e->stored) / 1000);
		n = (size_t)get16(out + 6) + get16(out + 8) + get16(out + 10);
		for (pos = qend; n; n--) {
			struct dns_rr rr;

			if (dns_rr_next(out, len, &pos, &rr)) {
				unlink_slot(i);		/* checked when stored: not reached */
				st.misses++;
				return 0;
			}
			put32(out + rr.ttl_off, rr.ttl > age ? rr.ttl - age : 0);
		}
		if (e->has_opt) {
			out[len] = 0;			/* root */
			put16(out + len + 1, DNS_T_OPT);
			put16(out + len + 3, e->opt_class);
			put32(out + len + 5, e->opt_ttl);
			put16(out + len + 9, 0);	/* no options */
			put16(out + 10, (uint16_t)(get16(out + 10) + 1));
			len += OPT_LEN;
		}
	}
	put16(out, id);
	memcpy(out + DNS_HDR, k->qname, e->qname_len);	/* the client's case */
	e->ref = 1;
	st.hits++;
	return len;
}

/* in_ttl() - bytes [@from, @to) overlap one of the @n TTL fields of @rrs */
static int in_ttl(size_t from, size_t to, const struct dns_rr *rrs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (from < rrs[i].ttl_off + 4 && rrs[i].ttl_off < to)
			return 1;
	return 0;
}

/* name_reads_ttl() - the (valid) name at @off reads a byte of a TTL field:
 * aging that TTL would change the name, so such an answer is not kept */
static int name_reads_ttl(const uint8_t *msg, size_t len, size_t off, const struct dns_rr *rrs,
			  size_t n)
{
	unsigned hops = 0;

	while (off < len && hops <= DNS_MAX_HOPS) {
		uint8_t l = msg[off];

		if ((l & 0xc0) == 0xc0) {
			if (off + 1 >= len || in_ttl(off, off + 2, rrs, n))
				return 1;
			off = (size_t)(l & 0x3f) << 8 | msg[off + 1];
			hops++;
			continue;
		}
		if (in_ttl(off, off + 1 + (size_t)l, rrs, n))
			return 1;
		if (!l)
			return 0;
		off += 1 + (size_t)l;
	}
	return 1;
}

/* rdata_name() - offset of the name in the RDATA of @rr that clients
 * decompress (RFC 1035 types, SRV, DNAME), or 0 for none */
static size_t rdata_name(const struct dns_rr *rr)
{
	switch (rr->type) {
	case 2: case 5: case 6: case 12: case 39:	/* NS CNAME SOA PTR DNAME */
		return rr->rdata;
	case 15:					/* MX */
		return rr->rdlen > 2 ? rr->rdata + 2 : 0;
	case 33:					/* SRV */
		return rr->rdlen > 6 ? rr->rdata + 6 : 0;
	}
	return 0;
}

/* names_read_ttl() - an owner name, or a name in the RDATA, of the @n
 * records @rrs (owners at @owner) reads a TTL field */
static int names_read_ttl(const uint8_t *msg, size_t len, const struct dns_rr *rrs,
			  const size_t *owner, size_t n)
{
	size_t i, end;

	for (i = 0; i < n; i++) {
		size_t rd = rdata_name(&rrs[i]);

		if (name_reads_ttl(msg, len, owner[i], rrs, n))
			return 1;
		if (!rd)
			continue;
		if (dns_name_read(msg, len, rd, NULL, NULL, &end) ||
		    name_reads_ttl(msg, len, rd, rrs, n))
			return 1;
		/* SOA: the mailbox after the server name */
		if (rrs[i].type == DNS_T_SOA && name_reads_ttl(msg, len, end, rrs, n))
			return 1;
	}
	return 0;
}

/* soa_minimum() - the MINIMUM field of the SOA record @rr; 0 if malformed */
static int soa_minimum(const uint8_t *msg, size_t len, const struct dns_rr *rr, uint32_t *min)
{
	size_t p, stop = rr->rdata + rr->rdlen;
	const uint8_t *f;

	if (dns_name_read(msg, len, rr->rdata, NULL, NULL, &p) || p > stop ||
	    dns_name_read(msg, len, p, NULL, NULL, &p) || p > stop || stop - p != 20)
		return -EBADMSG;
	f = msg + p + 16;
	*min = (uint32_t)get16(f) << 16 | get16(f + 2);
	return 0;
}

int cache_put(const struct cache_key *k, const uint8_t *msg, size_t len, uint64_t now)
{
	uint32_t minttl = UINT32_MAX, soa_min = 0, opt_ttl = 0, h;
	size_t pos, i, nan, nrr, keep = len, soa_ttl_off = 0, slot, owner[MAX_RRS];
	struct dns_rr rrs[MAX_RRS];
	uint16_t opt_class = 0;
	int has_opt = 0, has_soa = 0, negative;
	struct dns_msg m;
	long found;

	if (disabled)
		return -EPERM;
	if (k->nup > CACHE_MAX_UPSTREAM || k->qname_len > DNS_NAME_MAX)
		return -EINVAL;
	if (dns_parse(msg, len, &m) || !(m.flags & DNS_F_QR) || m.opcode || m.qdcount != 1 ||
	    m.qend != DNS_HDR + m.qname_len + 4 || m.qtype != k->qtype || m.qclass != k->qclass ||
	    !dns_name_equal(m.qname, m.qname_len, k->qname, k->qname_len))
		return -EBADMSG;
	if ((m.flags & DNS_F_TC) || (m.rcode != DNS_R_NOERROR && m.rcode != DNS_R_NXDOMAIN))
		return -EPERM;
	negative = m.rcode == DNS_R_NXDOMAIN || !m.ancount;
	nan = (size_t)m.ancount + m.nscount;
	nrr = nan + m.arcount;
	pos = m.qend;
	for (i = 0; i < nrr; i++) {
		size_t start = pos;
		struct dns_rr rr;

		if (i >= MAX_RRS)
			return -EMSGSIZE;
		if (dns_rr_next(msg, len, &pos, &rr))
			return -EBADMSG;
		owner[i] = start;
		rrs[i] = rr;
		if (rr.type == DNS_T_TSIG)
			return -EPERM;
		if (rr.type == DNS_T_OPT) {
			/* one, last, no extended RCODE: cut off and rebuilt bare */
			if (i < nan || i != nrr - 1 || (rr.ttl >> 24))
				return -EPERM;
			has_opt = 1;
			keep = start;
			opt_class = rr.class;
			opt_ttl = rr.ttl;
			continue;
		}
		/* RFC 2181: a TTL with the top bit set counts as 0 */
		if (!rr.ttl || rr.ttl > INT32_MAX)
			return -ERANGE;
		if (rr.ttl < minttl)
			minttl = rr.ttl;
		if (rr.type == DNS_T_SOA && i >= m.ancount && i < nan && !has_soa) {
			if (soa_minimum(msg, len, &rr, &soa_min))
				return -EBADMSG;
			has_soa = 1;
			soa_ttl_off = rr.ttl_off;
		}
	}
	if (pos != len)
		return -EBADMSG;			/* bytes after the last record */
	if (keep > CACHE_MSG_MAX)
		return -EMSGSIZE;
	if (names_read_ttl(msg, keep, rrs, owner, nrr - (size_t)has_opt))
		return -EBADMSG;
	if (negative) {
		if (!has_soa)
			return -EPERM;			/* RFC 2308: no SOA, no caching */
		if (!soa_min)
			return -ERANGE;
		if (soa_min < minttl)
			minttl = soa_min;
		if (minttl > CACHE_NEG_TTL_MAX)
			minttl = CACHE_NEG_TTL_MAX;
	} else if (minttl > CACHE_TTL_MAX) {
		minttl = CACHE_TTL_MAX;
	}

	h = key_hash(k);
	found = find(k, h, now);
	if (found >= 0) {
		slot = (size_t)found;
		unlink_slot(slot);
	} else {
		slot = take_slot(now);
	}
	memcpy(msgs[slot], msg, keep);
	if (has_opt)
		put16(msgs[slot] + 10, (uint16_t)(m.arcount - 1));
	if (negative) {
		/* the SOA's TTL says how long the name stays negative (RFC 2308) */
		const uint8_t *t = msg + soa_ttl_off;
		uint32_t soa_ttl = (uint32_t)get16(t) << 16 | get16(t + 2);

		if (soa_min < soa_ttl)
			put32(msgs[slot] + soa_ttl_off, soa_min);
	}
	ents[slot] = (struct entry){
		.hash = h, .used = 1, .ref = 0, .has_opt = (uint8_t)has_opt,
		.nup = (uint8_t)k->nup, .variant = (uint8_t)k->variant,
		.qtype = k->qtype, .qclass = k->qclass, .len = (uint16_t)keep,
		.qname_len = (uint16_t)m.qname_len, .opt_class = opt_class, .opt_ttl = opt_ttl,
		.stored = now, .expires = now + (uint64_t)minttl * 1000, .netid = k->netid,
	};
	memcpy(ents[slot].ups, k->ups, k->nup * sizeof(*k->ups));
	ents[slot].next = heads[h & (BUCKETS - 1)];
	heads[h & (BUCKETS - 1)] = (uint32_t)slot + 1;
	nlive++;
	st.stored++;
	return 0;
}

void cache_enable(int on)
{
	disabled = !on;
	if (disabled)
		cache_clear();
}

void cache_clear(void)
{
	size_t i;

	if (!nlive)
		return;
	debug("cache: %zu answers dropped", nlive);
	st.flushed += nlive;
	for (i = 0; i < CACHE_ENTRIES; i++)
		ents[i].used = 0;
	memset(heads, 0, sizeof(heads));
	nlive = 0;
	hand = 0;
}

void cache_reset(void)
{
	cache_clear();
	memset(&st, 0, sizeof(st));
}

void cache_get_stats(struct cache_stats *s)
{
	*s = st;
	s->entries = nlive;
}
