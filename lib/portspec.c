// SPDX-License-Identifier: GPL-2.0-or-later
/* portspec.c - podman-style -p and pasta-style -t/-u port-forward specs
 *
 * Both parsers take untrusted text: every number is range-checked, ranges
 * must be of equal length, and the error text names the offending part.
 */

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "portspec.h"

#define SPEC_MAX	4096	/* longer input is refused outright */
#define SPEC_SHOWN	64	/* characters of the input quoted in errors */

/* A parsed "N" or "N-M" */
struct port_range {
	unsigned first, last;
};

/* Set @err to "MESSAGE in 'SPEC'", quoting at most SPEC_SHOWN printable characters */
static int fail(char *err, size_t errlen, const char *spec, const char *fmt, ...)
{
	char msg[160], shown[SPEC_SHOWN + 4];
	size_t i;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (i = 0; spec[i] && i < SPEC_SHOWN; i++)
		shown[i] = (spec[i] >= 0x20 && spec[i] < 0x7f) ? spec[i] : '?';
	if (spec[i]) {
		memcpy(shown + i, "...", 3);
		i += 3;
	}
	shown[i] = '\0';
	if (err && errlen)
		snprintf(err, errlen, "%s in '%s'", msg, shown);
	return -EINVAL;
}

/* Copy @len bytes of @s into @buf (size @size) as a printable C string for messages */
static const char *part(const char *s, size_t len, char *buf, size_t size)
{
	size_t i;

	if (len >= size)
		len = size - 1;
	for (i = 0; i < len; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	buf[len] = '\0';
	return buf;
}

/* Parse one decimal port 1..65535 of exactly @len bytes: 0, -EINVAL or -ERANGE */
static int parse_port(const char *s, size_t len, unsigned *out)
{
	unsigned long v = 0;
	size_t i;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		if (v <= 65535)
			v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return -ERANGE;
	if (s[0] == '0')	/* leading zeros: octal or a typo, refuse */
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

/* Parse "N" or "N-M" of exactly @len bytes into @r, or set @err */
static int parse_range(const char *s, size_t len, struct port_range *r,
		       const char *spec, char *err, size_t errlen)
{
	const char *dash = memchr(s, '-', len);
	size_t flen = dash ? (size_t)(dash - s) : len;
	char b[32];
	int rc;

	if (!len)
		return fail(err, errlen, spec, "missing port");
	rc = parse_port(s, flen, &r->first);
	if (!rc && dash)
		rc = parse_port(dash + 1, len - flen - 1, &r->last);
	else if (!rc)
		r->last = r->first;
	if (rc == -ERANGE)
		return fail(err, errlen, spec, "port %s out of range",
			    part(s, len, b, sizeof(b)));
	if (rc)
		return fail(err, errlen, spec, "bad port '%s'", part(s, len, b, sizeof(b)));
	if (r->last < r->first)
		return fail(err, errlen, spec, "reversed port range '%s'",
			    part(s, len, b, sizeof(b)));
	return 0;
}

/* Check that @h and @g have equal length and fill the ports of @f */
static int set_ports(struct port_fwd *f, const struct port_range *h,
		     const struct port_range *g, const char *spec,
		     char *err, size_t errlen)
{
	if (h->last - h->first != g->last - g->first)
		return fail(err, errlen, spec,
			    "host ports %u-%u and container ports %u-%u differ in length",
			    h->first, h->last, g->first, g->last);
	f->host_port = (uint16_t)h->first;
	f->guest_port = (uint16_t)g->first;
	f->count = (uint16_t)(h->last - h->first + 1);
	return 0;
}

/* Common input checks: length and printable ASCII only */
static int check_text(const char *spec, char *err, size_t errlen)
{
	size_t i, n = strnlen(spec, SPEC_MAX + 1);

	if (!n)
		return fail(err, errlen, spec, "empty port specification");
	if (n > SPEC_MAX)
		return fail(err, errlen, spec, "port specification longer than %d bytes",
			    SPEC_MAX);
	for (i = 0; i < n; i++) {
		if (spec[i] <= 0x20 || spec[i] >= 0x7f)
			return fail(err, errlen, spec, "invalid character 0x%02x at offset %zu",
				    (unsigned char)spec[i], i);
	}
	return 0;
}

/* Parse the "/tcp" or "/udp" suffix of a podman spec starting at @slash */
static int parse_proto(const char *slash, const char *spec, int *proto,
		       char *err, size_t errlen)
{
	char b[32];

	if (!strcmp(slash, "/tcp"))
		*proto = IPPROTO_TCP;
	else if (!strcmp(slash, "/udp"))
		*proto = IPPROTO_UDP;
	else
		return fail(err, errlen, spec, "protocol '%s' not supported (tcp or udp)",
			    part(slash + 1, strlen(slash + 1), b, sizeof(b)));
	return 0;
}

/**
 * portspec_parse() - parse one podman/docker-style -p spec
 * @spec:	"[ADDR:]HOSTPORTS:CONTAINERPORTS[/PROTO]" or "PORTS[/PROTO]"
 * @out:	result
 * @err:	human-readable reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL
 */
int portspec_parse(const char *spec, struct port_fwd *out, char *err, size_t errlen)
{
	const char *p = spec, *c1, *c2, *slash, *end;
	struct port_range h, g;
	struct port_fwd f = { .proto = IPPROTO_TCP };
	char b[64];
	int rc;

	if ((rc = check_text(spec, err, errlen)))
		return rc;
	slash = strchr(spec, '/');
	end = slash ? slash : spec + strlen(spec);
	if (slash && (rc = parse_proto(slash, spec, &f.proto, err, errlen)))
		return rc;

	if (*p == '[') {	/* [IPv6]:HOST:CONTAINER */
		const char *rb = memchr(p, ']', (size_t)(end - p));

		if (!rb || rb[1] != ':')
			return fail(err, errlen, spec, "bad bracketed address");
		if ((size_t)(rb - p + 1) >= sizeof(b) ||
		    addr_parse(part(p, (size_t)(rb - p + 1), b, sizeof(b)), &f.host_addr))
			return fail(err, errlen, spec, "bad address '%s'",
				    part(p, (size_t)(rb - p + 1), b, sizeof(b)));
		p = rb + 2;
		c1 = memchr(p, ':', (size_t)(end - p));
		if (!c1)
			return fail(err, errlen, spec, "missing container port");
	} else {
		c1 = memchr(p, ':', (size_t)(end - p));
		c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
		if (c2 && memchr(c2 + 1, ':', (size_t)(end - c2 - 1)))
			return fail(err, errlen, spec,
				    "too many ':' (write IPv6 addresses in brackets)");
		if (c2) {	/* IPv4:HOST:CONTAINER */
			size_t alen = (size_t)(c1 - p);

			if (!alen)
				return fail(err, errlen, spec, "empty host address");
			if (alen >= sizeof(b) || addr_parse(part(p, alen, b, sizeof(b)),
							    &f.host_addr))
				return fail(err, errlen, spec, "bad address '%s'",
					    part(p, alen, b, sizeof(b)));
			p = c1 + 1;
			c1 = c2;
		}
	}

	if (!c1) {		/* PORTS: same ports on both sides */
		if ((rc = parse_range(p, (size_t)(end - p), &h, spec, err, errlen)))
			return rc;
		g = h;
	} else {
		if (c1 == p)
			return fail(err, errlen, spec,
				    "missing host port (no random host ports)");
		if ((rc = parse_range(p, (size_t)(c1 - p), &h, spec, err, errlen)) ||
		    (rc = parse_range(c1 + 1, (size_t)(end - c1 - 1), &g, spec, err, errlen)))
			return rc;
	}
	if ((rc = set_ports(&f, &h, &g, spec, err, errlen)))
		return rc;
	*out = f;
	return 0;
}

/* Mark ports of "~N[-M]" items of a pasta list in @excl (a 65536-bit map) */
static int pasta_exclusions(const char *list, uint8_t *excl, int *only_excl,
			    const char *spec, char *err, size_t errlen)
{
	const char *p = list, *end;
	struct port_range r;
	unsigned i;
	int rc;

	*only_excl = 1;
	for (; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ',');
		if (*p != '~') {
			*only_excl = 0;
			continue;
		}
		if ((rc = parse_range(p + 1, (size_t)(end - p - 1), &r, spec, err, errlen)))
			return rc;
		for (i = r.first; i <= r.last; i++) {
			if (excl[i / 8] & (1u << (i % 8)))
				return fail(err, errlen, spec, "overlapping exclusions at port %u", i);
			excl[i / 8] |= (uint8_t)(1u << (i % 8));
		}
	}
	return 0;
}

/* Append the non-excluded runs of @h (mapped onto @g) to @out */
static int pasta_emit(const struct port_fwd *tmpl, const struct port_range *h,
		      const struct port_range *g, const uint8_t *excl,
		      struct port_fwd *out, size_t max, size_t *n,
		      const char *spec, char *err, size_t errlen)
{
	unsigned i = h->first, start;

	while (i <= h->last) {
		if (excl[i / 8] & (1u << (i % 8))) {
			i++;
			continue;
		}
		for (start = i; i <= h->last && !(excl[i / 8] & (1u << (i % 8))); i++)
			;
		if (*n >= max) {
			fail(err, errlen, spec, "more than %zu forwards", max);
			return -ENOSPC;
		}
		out[*n] = *tmpl;
		out[*n].host_port = (uint16_t)start;
		out[*n].guest_port = (uint16_t)(g->first + (start - h->first));
		out[*n].count = (uint16_t)(i - start);
		(*n)++;
	}
	return 0;
}

/* Parse the optional "ADDR/" prefix of a pasta spec; return the list after it */
static const char *pasta_address(const char *spec, struct addr *a, char *err,
				 size_t errlen, int *rc)
{
	const char *slash = strchr(spec, '/');
	size_t alen = slash ? (size_t)(slash - spec) : 0;
	char b[64];

	*rc = 0;
	memset(a, 0, sizeof(*a));
	if (!slash)
		return spec;
	if (memchr(spec, '%', alen))
		*rc = fail(err, errlen, spec, "binding to an interface ('%%') not supported");
	else if (!alen || alen >= sizeof(b) || addr_parse(part(spec, alen, b, sizeof(b)), a))
		*rc = fail(err, errlen, spec, "bad address '%s'", part(spec, alen, b, sizeof(b)));
	else if (strchr(slash + 1, '/'))
		*rc = fail(err, errlen, spec, "only one address, before the first port");
	return slash + 1;
}

/**
 * portspec_parse_pasta() - parse a pasta -t/-u argument into forwards
 * @spec:	"none", or "[ADDR/]LIST": LIST is a comma list of items
 *		"PORT[-PORT][:PORT[-PORT]]" and exclusions "~PORT[-PORT]"
 * @proto:	IPPROTO_TCP or IPPROTO_UDP
 * @out:	table to fill
 * @max:	entries in @out
 * @err:	human-readable reason on failure
 * @errlen:	size of @err
 *
 * Return: number of entries written (0 for "none"), or -EINVAL / -ENOSPC
 */
int portspec_parse_pasta(const char *spec, int proto, struct port_fwd *out,
			 size_t max, char *err, size_t errlen)
{
	static const size_t maplen = 65536 / 8;
	uint8_t excl[65536 / 8], used[65536 / 8];
	struct port_fwd tmpl = { .proto = proto };
	const char *list, *p, *end;
	int rc, only_excl;
	size_t n = 0;

	if ((rc = check_text(spec, err, errlen)))
		return rc;
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return fail(err, errlen, spec, "protocol %d not supported", proto);
	if (!strcmp(spec, "none"))
		return 0;
	if (!strcmp(spec, "all") || !strcmp(spec, "auto"))
		return fail(err, errlen, spec,
			    "'%s' not supported: list the ports to forward", spec);
	list = pasta_address(spec, &tmpl.host_addr, err, errlen, &rc);
	if (rc)
		return rc;
	if (!*list || list[strlen(list) - 1] == ',')
		return fail(err, errlen, spec, "empty item in list");
	memset(excl, 0, maplen);
	memset(used, 0, maplen);
	if ((rc = pasta_exclusions(list, excl, &only_excl, spec, err, errlen)))
		return rc;
	if (only_excl)
		return fail(err, errlen, spec,
			    "only exclusions given (that forwards every other port): list the ports");

	for (p = list; *p; p = *end ? end + 1 : end) {
		const char *colon;
		struct port_range h, g;
		unsigned i;

		end = strchrnul(p, ',');
		if (*p == '~')
			continue;
		colon = memchr(p, ':', (size_t)(end - p));
		if ((rc = parse_range(p, (size_t)((colon ? colon : end) - p), &h, spec,
				      err, errlen)))
			return rc;
		g = h;
		if (colon && (rc = parse_range(colon + 1, (size_t)(end - colon - 1), &g,
					       spec, err, errlen)))
			return rc;
		if ((rc = set_ports(&tmpl, &h, &g, spec, err, errlen)))
			return rc;
		for (i = h.first; i <= h.last; i++) {
			if (used[i / 8] & (1u << (i % 8)))
				return fail(err, errlen, spec, "port %u given twice", i);
			used[i / 8] |= (uint8_t)(1u << (i % 8));
		}
		if ((rc = pasta_emit(&tmpl, &h, &g, excl, out, max, &n, spec, err, errlen)))
			return rc;
	}
	if (!n)
		return fail(err, errlen, spec, "every listed port is excluded");
	return (int)n;
}

/**
 * portspec_format() - print a forward in podman style ("127.0.0.1:8080:80/tcp")
 * @f:		forward
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: @buf
 */
const char *portspec_format(const struct port_fwd *f, char *buf, size_t len)
{
	const char *proto = f->proto == IPPROTO_TCP ? "tcp" :
			    f->proto == IPPROTO_UDP ? "udp" : "?";
	char a[ADDR_STRLEN + 3] = "", h[16], g[16];
	unsigned last = f->count ? f->count - 1u : 0;

	if (!len)
		return buf;
	if (f->host_addr.family == AF_INET6) {
		char t[ADDR_STRLEN];

		snprintf(a, sizeof(a), "[%s]:", addr_format(&f->host_addr, t, sizeof(t)));
	} else if (f->host_addr.family == AF_INET) {
		addr_format(&f->host_addr, a, sizeof(a));
		strcat(a, ":");
	}
	if (last) {
		snprintf(h, sizeof(h), "%u-%u", f->host_port, f->host_port + last);
		snprintf(g, sizeof(g), "%u-%u", f->guest_port, f->guest_port + last);
	} else {
		snprintf(h, sizeof(h), "%u", f->host_port);
		snprintf(g, sizeof(g), "%u", f->guest_port);
	}
	snprintf(buf, len, "%s%s:%s/%s", a, h, g, proto);
	return buf;
}

/* Whether binding both addresses would claim the same socket address */
static int bind_overlap(const struct addr *a, const struct addr *b)
{
	if (!a->family || !b->family)
		return 1;
	/* :: binds IPv4 too (dual stack) unless v6only; assume it does */
	if ((a->family == AF_INET6 && addr_is_any(a)) ||
	    (b->family == AF_INET6 && addr_is_any(b)))
		return 1;
	if (a->family != b->family)
		return 0;
	return addr_is_any(a) || addr_is_any(b) || addr_equal(a, b);
}

/**
 * portspec_overlap() - whether two forwards claim the same host port, protocol
 *			and (overlapping) bind address
 * @a:		first forward
 * @b:		second forward
 *
 * Family 0 overlaps everything, 0.0.0.0 every IPv4 address, :: every address.
 *
 * Return: non-zero if they overlap
 */
int portspec_overlap(const struct port_fwd *a, const struct port_fwd *b)
{
	unsigned a_last = a->host_port + (a->count ? a->count - 1u : 0);
	unsigned b_last = b->host_port + (b->count ? b->count - 1u : 0);

	if (a->proto != b->proto)
		return 0;
	if (a_last < b->host_port || b_last < a->host_port)
		return 0;
	return bind_overlap(&a->host_addr, &b->host_addr);
}
