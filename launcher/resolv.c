// SPDX-License-Identifier: GPL-2.0-or-later
/* resolv.c - compose a bridge container's resolv.conf */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "resolv.h"

struct out {
	char *buf;
	size_t len, used;
	int full;
};

static void emit(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->len - o->used) {
		o->full = 1;
		o->buf[o->used] = '\0';
		return;
	}
	o->used += (size_t)n;
}

/* the next line of @s (up to @end) without its newline: *@ll its length */
static const char *next_line(const char **s, const char *end, size_t *ll)
{
	const char *l = *s, *nl;

	if (l >= end)
		return NULL;
	nl = memchr(l, '\n', (size_t)(end - l));
	*ll = nl ? (size_t)(nl - l) : (size_t)(end - l);
	*s = nl ? nl + 1 : end;
	return l;
}

/* the word after @key at the start of line @l, or NULL; words: *@rest */
static const char *keyword(const char *l, size_t ll, const char *key, size_t *restlen)
{
	size_t k = strlen(key);

	while (ll && (*l == ' ' || *l == '\t')) {
		l++;
		ll--;
	}
	if (ll <= k || strncmp(l, key, k) || (l[k] != ' ' && l[k] != '\t'))
		return NULL;
	l += k;
	ll -= k;
	while (ll && (*l == ' ' || *l == '\t')) {
		l++;
		ll--;
	}
	while (ll && (l[ll - 1] == ' ' || l[ll - 1] == '\t' || l[ll - 1] == '\r'))
		ll--;
	*restlen = ll;
	return ll ? l : NULL;
}

/* whether a nameserver the container gets is usable there */
static int server_ok(const char *s, size_t len, int ipv6, int from_host)
{
	char a[ADDR_STRLEN];
	struct addr ad;

	if (len >= sizeof(a))
		return 0;
	memcpy(a, s, len);
	a[len] = '\0';
	if (addr_parse(a, &ad) < 0)
		return 0;
	if (from_host && addr_is_loopback(&ad))
		return 0;
	return ad.family == AF_INET || ipv6;
}

int resolv_build(const char *host, size_t hostlen, const char *const *servers, size_t nservers,
		 const char *const *search, size_t nsearch, int ipv6, char *out, size_t outlen)
{
	struct out o = { .buf = out, .len = outlen };
	const char *end = host ? host + hostlen : NULL, *p, *l, *w;
	size_t ll, wl, i;
	int any_search = 0;

	if (!outlen)
		return -ENOSPC;
	out[0] = '\0';
	/* search: the network's domains, then the host's */
	for (i = 0; i < nsearch; i++) {
		emit(&o, "%s%s", any_search ? " " : "search ", search[i]);
		any_search = 1;
	}
	for (p = host; host && (l = next_line(&p, end, &ll));) {
		if ((w = keyword(l, ll, "search", &wl)) || (w = keyword(l, ll, "domain", &wl))) {
			emit(&o, "%s%.*s", any_search ? " " : "search ", (int)wl, w);
			any_search = 1;
		}
	}
	if (any_search)
		emit(&o, "\n");
	if (nservers) {
		for (i = 0; i < nservers; i++)
			if (server_ok(servers[i], strlen(servers[i]), ipv6, 0))
				emit(&o, "nameserver %s\n", servers[i]);
	} else {
		for (p = host; host && (l = next_line(&p, end, &ll));)
			if ((w = keyword(l, ll, "nameserver", &wl)) && server_ok(w, wl, ipv6, 1))
				emit(&o, "nameserver %.*s\n", (int)wl, w);
	}
	for (p = host; host && (l = next_line(&p, end, &ll));)
		if ((w = keyword(l, ll, "options", &wl)))
			emit(&o, "options %.*s\n", (int)wl, w);
	return o.full ? -ENOSPC : (int)o.used;
}
