// SPDX-License-Identifier: GPL-2.0-or-later
/* zone.c - per-network name table: open addressing on an FNV-1a hash */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "zone.h"

static uint32_t hash_name(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

int zone_build(struct zone *z, struct dnsrec_net *n)
{
	size_t total = 0, size = 16, i, k;

	memset(z, 0, sizeof(*z));
	for (i = 0; i < n->nctr; i++)
		total += n->ctr[i].nnames;
	while (size < total * 2)
		size *= 2;
	z->tab = calloc(size, sizeof(*z->tab));
	if (!z->tab)
		return -ENOMEM;
	z->mask = size - 1;
	for (i = 0; i <= z->mask; i++)
		z->tab[i].ctr = UINT32_MAX;
	z->net = *n;
	n->ctr = NULL;
	n->nctr = n->cap = 0;
	lower(z->net.search);
	for (i = 0; i < z->net.nctr; i++) {
		struct dnsrec_ctr *c = &z->net.ctr[i];

		for (k = 0; k < c->nnames; k++) {
			uint32_t h;
			size_t slot;

			lower(c->names[k]);
			h = hash_name(c->names[k]);
			for (slot = h & z->mask; z->tab[slot].ctr != UINT32_MAX;
			     slot = (slot + 1) & z->mask)
				;
			z->tab[slot].hash = h;
			z->tab[slot].ctr = (uint32_t)i;
			z->tab[slot].name = c->names[k];
		}
	}
	return 0;
}

void zone_free(struct zone *z)
{
	free(z->tab);
	dnsrec_free(&z->net);
	memset(z, 0, sizeof(*z));
}

/* strip_search() - @name without ".SEARCH"; returns 1 if it had the suffix */
static int strip_search(const struct zone *z, const char *name, char *buf, size_t len)
{
	size_t nl = strlen(name), sl = strlen(z->net.search);

	if (sl && nl > sl + 1 && name[nl - sl - 1] == '.' && !strcmp(name + nl - sl, z->net.search) &&
	    nl - sl - 1 < len) {
		memcpy(buf, name, nl - sl - 1);
		buf[nl - sl - 1] = '\0';
		return 1;
	}
	if (nl >= len)
		return -1;
	memcpy(buf, name, nl + 1);
	return 0;
}

enum zone_result zone_lookup(const struct zone *z, const char *name, int family,
			     struct addr *out, size_t max, size_t *n)
{
	char key[DNSREC_HOST_MAX];
	int under = strip_search(z, name, key, sizeof(key)), found = 0;
	uint32_t h;
	size_t slot;

	*n = 0;
	if (under < 0 || !z->tab)
		return ZONE_OTHER;
	if (!strcmp(name, z->net.search))
		return ZONE_FOUND;	/* the domain itself: exists, no addresses */
	h = hash_name(key);
	for (slot = h & z->mask; z->tab[slot].ctr != UINT32_MAX; slot = (slot + 1) & z->mask) {
		const struct dnsrec_ctr *c;
		const struct addr *src;
		size_t cnt, i;

		if (z->tab[slot].hash != h || strcmp(z->tab[slot].name, key))
			continue;
		found = 1;
		c = &z->net.ctr[z->tab[slot].ctr];
		src = family == AF_INET ? c->ip4 : c->ip6;
		cnt = family == AF_INET ? c->n4 : family == AF_INET6 ? c->n6 : 0;
		for (i = 0; i < cnt && *n < max; i++) {
			size_t j;

			for (j = 0; j < *n && !addr_equal(&out[j], &src[i]); j++)
				;
			if (j == *n)
				out[(*n)++] = src[i];
		}
	}
	if (found)
		return ZONE_FOUND;
	return under ? ZONE_NXDOMAIN : ZONE_OTHER;
}

const struct dnsrec_ctr *zone_ctr_by_addr(const struct zone *z, const struct addr *a)
{
	size_t i, k;

	for (i = 0; i < z->net.nctr; i++) {
		const struct dnsrec_ctr *c = &z->net.ctr[i];
		const struct addr *list = a->family == AF_INET ? c->ip4 : c->ip6;
		size_t cnt = a->family == AF_INET ? c->n4 : c->n6;

		for (k = 0; k < cnt; k++)
			if (addr_equal(&list[k], a))
				return c;
	}
	return NULL;
}

int zone_in_subnet(const struct zone *z, const struct addr *a)
{
	size_t i;

	for (i = 0; i < z->net.nlisten; i++)
		if (cidr_contains(&z->net.listen[i], a))
			return 1;
	return 0;
}
