// SPDX-License-Identifier: GPL-2.0-or-later
/* quota.c - in-flight counters per key: fixed node table, hash chains */

#include <string.h>

#include "quota.h"

#define BUCKETS	(2 * QUOTA_NODES)

void quota_init(struct quota_table *t)
{
	int i;

	for (i = 0; i < BUCKETS; i++)
		t->head[i] = -1;
	t->free = -1;
	for (i = QUOTA_NODES - 1; i >= 0; i--) {
		t->node[i].count = 0;
		t->node[i].next = t->free;
		t->free = i;
	}
	t->active = 0;
}

struct quota_key quota_key_addr(const struct addr *a)
{
	struct quota_key k = { { 0 } };

	k.b[0] = (uint8_t)a->family;
	if (a->family == AF_INET)
		memcpy(k.b + 1, &a->v4, 4);
	else
		memcpy(k.b + 1, &a->v6, 16);
	return k;
}

struct quota_key quota_key_id(uint32_t id)
{
	struct quota_key k = { { 0 } };

	k.b[0] = 0xff;
	memcpy(k.b + 1, &id, sizeof(id));
	return k;
}

/* bucket() - FNV-1a of the key */
static unsigned bucket(const struct quota_key *k)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < QUOTA_KEY; i++)
		h = (h ^ k->b[i]) * 16777619u;
	return h & (BUCKETS - 1);
}

/* find() - the node of @k, or -1 */
static int find(const struct quota_table *t, const struct quota_key *k, unsigned b)
{
	int i;

	for (i = t->head[b]; i >= 0; i = t->node[i].next)
		if (!memcmp(t->node[i].key, k->b, QUOTA_KEY))
			return i;
	return -1;
}

uint32_t quota_count(const struct quota_table *t, const struct quota_key *k)
{
	int i = find(t, k, bucket(k));

	return i < 0 ? 0 : t->node[i].count;
}

int quota_take(struct quota_table *t, const struct quota_key *k)
{
	unsigned b = bucket(k);
	int i = find(t, k, b);

	if (i >= 0) {
		t->node[i].count++;
		return i;
	}
	if (t->free < 0)
		return -1;
	i = t->free;
	t->free = t->node[i].next;
	memcpy(t->node[i].key, k->b, QUOTA_KEY);
	t->node[i].count = 1;
	t->node[i].next = t->head[b];
	t->head[b] = i;
	t->active++;
	return i;
}

void quota_put(struct quota_table *t, int idx)
{
	struct quota_key k;
	int *link;

	if (idx < 0 || idx >= QUOTA_NODES || !t->node[idx].count || --t->node[idx].count)
		return;
	memcpy(k.b, t->node[idx].key, QUOTA_KEY);
	for (link = &t->head[bucket(&k)]; *link >= 0; link = &t->node[*link].next) {
		if (*link == idx) {
			*link = t->node[idx].next;
			break;
		}
	}
	t->node[idx].next = t->free;
	t->free = idx;
	t->active--;
}

uint32_t quota_node_count(const struct quota_table *t, int idx)
{
	return idx < 0 || idx >= QUOTA_NODES ? 0 : t->node[idx].count;
}
