/* SPDX-License-Identifier: GPL-2.0-or-later
 * quota.h - counters of forwarded queries in flight, one per key (a client
 * address, a network): a fixed table of QUOTA_NODES nodes hashed by key, no
 * allocation.  A node exists while its count is above zero, so a table never
 * needs more nodes than there are queries in flight.
 */
#ifndef DNS_QUOTA_H
#define DNS_QUOTA_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define QUOTA_NODES	1024		/* = the most queries in flight */
#define QUOTA_KEY	17		/* family + IPv6 address */

struct quota_node {
	uint8_t key[QUOTA_KEY];
	uint32_t count;
	int next;			/* hash chain or free list, -1 ends */
};

struct quota_table {
	struct quota_node node[QUOTA_NODES];
	int head[2 * QUOTA_NODES];
	int free;
	size_t active;			/* nodes with a count above zero */
};

/* A key: the bytes that tell two owners apart */
struct quota_key {
	uint8_t b[QUOTA_KEY];
};

/**
 * quota_init() - empty @t
 */
void quota_init(struct quota_table *t);

/**
 * quota_key_addr() - the key of client address @a
 */
struct quota_key quota_key_addr(const struct addr *a);

/**
 * quota_key_id() - the key of network @id
 */
struct quota_key quota_key_id(uint32_t id);

/**
 * quota_count() - how many @k holds
 *
 * Return: its count, 0 if it holds none
 */
uint32_t quota_count(const struct quota_table *t, const struct quota_key *k);

/**
 * quota_take() - count one more for @k
 *
 * Return: the node index (for quota_put() and quota_node_count()), or -1 if
 * every node is in use
 */
int quota_take(struct quota_table *t, const struct quota_key *k);

/**
 * quota_put() - count one less for node @idx (from quota_take()); the node
 *		 is freed when it reaches zero
 */
void quota_put(struct quota_table *t, int idx);

/**
 * quota_node_count() - the count of node @idx
 */
uint32_t quota_node_count(const struct quota_table *t, int idx);

#endif /* DNS_QUOTA_H */
