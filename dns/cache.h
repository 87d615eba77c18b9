/* SPDX-License-Identifier: GPL-2.0-or-later
 * cache.h - answers of upstream resolvers, kept for their TTL: a fixed table
 * of CACHE_ENTRIES slots of CACHE_MSG_MAX bytes (no allocation per packet),
 * clock eviction, keyed by the question (name without case, type, class),
 * the query's RD, CD, EDNS and DO bits, the network the query came from
 * (an answer forged into one network's cache reaches no other network), and
 * the upstream resolvers asked.  An answer
 * is kept as received (the OPT record apart: its options, e.g. cookies, are
 * the first client's) and served with the client's ID and name case and
 * every TTL lowered by the time it spent here.  Kept: NOERROR with answers
 * for their smallest TTL (at most CACHE_TTL_MAX), NXDOMAIN and NODATA with an
 * SOA for min(SOA TTL, SOA MINIMUM) (at most CACHE_NEG_TTL_MAX, RFC 2308).
 * Never kept: truncated, other RCODEs, a question other than the one asked,
 * a TTL of 0, TSIG.  Only forwarded answers come here, and a query of an
 * internal network is refused before the cache is asked.
 */
#ifndef DNS_CACHE_H
#define DNS_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "msg.h"

#define CACHE_ENTRIES		4096
#define CACHE_MSG_MAX		1232	/* the EDNS size that avoids fragments */
#define CACHE_TTL_MAX		3600
#define CACHE_NEG_TTL_MAX	300
#define CACHE_MAX_UPSTREAM	4

/* What an answer is looked up by (points into the caller's data) */
struct cache_key {
	const uint8_t *qname;		/* wire form, any case */
	size_t qname_len;
	uint16_t qtype, qclass;
	unsigned variant;		/* from cache_variant() */
	const struct addr *ups;		/* the upstream resolvers, in order */
	size_t nup;
	uint32_t netid;			/* the client's network (server's id) */
};

/* Counters since start (or the last cache_reset()) */
struct cache_stats {
	uint64_t hits, misses, stored, evicted, flushed;
	size_t entries;
};

/**
 * cache_variant() - the bits of a query its answer may depend on
 * @q:		the parsed query
 *
 * Return: a variant (>= 0) for cache_key, or -1 if answers to this query
 * must not come from or go into the cache (opcode, not one question, EDNS
 * options such as client subnet)
 */
int cache_variant(const struct dns_msg *q);

/**
 * cache_get() - answer from the cache
 * @k:		key; k->qname's case is copied into the answer
 * @id:		the client's query ID
 * @out:	answer buffer
 * @max:	the client's limit; a longer answer is cut to its question with
 *		TC set
 * @now:	monotonic clock, milliseconds
 *
 * Return: answer length, or 0 if nothing (live) is cached
 */
size_t cache_get(const struct cache_key *k, uint16_t id, uint8_t *out, size_t max, uint64_t now);

/**
 * cache_put() - keep an upstream's answer, if it may be kept
 * @k:		the question asked and of whom
 * @msg:	the answer as received (its ID is ignored)
 * @len:	its length
 * @now:	monotonic clock, milliseconds
 *
 * Return: 0 if kept; -EMSGSIZE (too long), -EBADMSG (malformed or not the
 * question asked), -EPERM (truncated, RCODE, TSIG, negative without SOA),
 * -ERANGE (a TTL of 0)
 */
int cache_put(const struct cache_key *k, const uint8_t *msg, size_t len, uint64_t now);

/**
 * cache_enable() - use the cache (the default) or not (every forwarded
 *		    query goes upstream; cache_get() and cache_put() do nothing)
 * @on:		1 to use it, 0 not
 */
void cache_enable(int on);

/**
 * cache_clear() - forget every answer (the upstream list changed)
 */
void cache_clear(void);

/**
 * cache_reset() - forget every answer and zero the counters
 */
void cache_reset(void);

/**
 * cache_get_stats() - counters and live entries
 * @s:		result
 */
void cache_get_stats(struct cache_stats *s);

#endif /* DNS_CACHE_H */
