// SPDX-License-Identifier: GPL-2.0-or-later
/* subid.c - parse /etc/subuid and /etc/subgid */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "file.h"
#include "subid.h"

#define SUBID_FILE_MAX (16 << 20)	/* refuse absurdly large files */

int subid_parse_number(const char *s, size_t len, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
		if (v > SUBID_ID_MAX + 1)
			return -ERANGE;
	}
	*out = v;
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Whether the NAME_OR_UID field @f (length @n) names the user we look for. */
static int field_matches(const char *f, size_t n, const char *name,
			 unsigned long id)
{
	unsigned long v;

	if (name && strlen(name) == n && !memcmp(f, name, n))
		return 1;
	return !subid_parse_number(f, n, &v) && v == id;
}

/* Parse START:COUNT of one matched line; on error fill @why. */
static int parse_range(const char *s, size_t n, struct subid_range *r,
		       char *why, size_t whylen)
{
	const char *colon = memchr(s, ':', n);
	size_t slen, clen;
	int ret;

	if (!colon) {
		snprintf(why, whylen, "expected NAME:START:COUNT, missing COUNT");
		return -EINVAL;
	}
	slen = (size_t)(colon - s);
	clen = n - slen - 1;
	if (memchr(colon + 1, ':', clen)) {
		snprintf(why, whylen, "expected NAME:START:COUNT, too many fields");
		return -EINVAL;
	}
	ret = subid_parse_number(s, slen, &r->start);
	if (ret == 0 && r->start > SUBID_ID_MAX)
		ret = -ERANGE;
	if (ret) {
		snprintf(why, whylen, "bad start '%.*s'%s", (int)(slen > 32 ? 32 : slen),
			 s, ret == -ERANGE ? " (above 4294967294)" : "");
		return -EINVAL;
	}
	ret = subid_parse_number(colon + 1, clen, &r->count);
	if (ret) {
		snprintf(why, whylen, "bad count '%.*s'%s", (int)(clen > 32 ? 32 : clen),
			 colon + 1, ret == -ERANGE ? " (above 4294967295)" : "");
		return -EINVAL;
	}
	if (!r->count) {
		snprintf(why, whylen, "count is 0");
		return -EINVAL;
	}
	if (r->count - 1 > SUBID_ID_MAX - r->start) {
		snprintf(why, whylen, "range %lu+%lu goes past ID 4294967294",
			 r->start, r->count);
		return -EINVAL;
	}
	return 0;
}

int subid_parse(const char *buf, size_t len, const char *file,
		const char *name, unsigned long id, struct subid_ranges *out,
		char *err, size_t errlen)
{
	const char *p = buf, *end = buf + len;
	unsigned lineno = 0;
	char why[128];
	size_t i;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *s = p, *e = nl ? nl : end, *colon;
		struct subid_range r;
		int mine;

		p = nl ? nl + 1 : end;
		lineno++;
		while (s < e && is_blank(*s))
			s++;
		while (e > s && is_blank(e[-1]))
			e--;
		if (s == e || *s == '#')
			continue;

		colon = memchr(s, ':', (size_t)(e - s));
		if (!colon || colon == s) {
			snprintf(err, errlen, "%s:%u: %s", file, lineno,
				 colon ? "empty user name" :
					 "expected NAME:START:COUNT, no ':'");
			return -EINVAL;
		}
		mine = field_matches(s, (size_t)(colon - s), name, id);
		if (parse_range(colon + 1, (size_t)(e - colon - 1), &r, why,
				sizeof(why))) {
			if (!mine) {
				if (!out->skipped++)
					out->first_skipped = lineno;
				continue;
			}
			snprintf(err, errlen, "%s:%u: %s", file, lineno, why);
			return -EINVAL;
		}
		if (!mine)
			continue;
		r.line = lineno;
		for (i = 0; i < out->n; i++) {
			const struct subid_range *o = &out->r[i];

			if (r.start <= o->start + (o->count - 1) &&
			    o->start <= r.start + (r.count - 1)) {
				snprintf(err, errlen,
					 "%s:%u: range %lu-%lu overlaps range %lu-%lu of line %u",
					 file, lineno, r.start, r.start + r.count - 1,
					 o->start, o->start + o->count - 1, o->line);
				return -EINVAL;
			}
		}
		if (out->n == SUBID_MAX_RANGES) {
			snprintf(err, errlen, "%s:%u: more than %d ranges for one user",
				 file, lineno, SUBID_MAX_RANGES);
			return -E2BIG;
		}
		out->r[out->n++] = r;
	}
	return (int)out->n;
}

int subid_read(const char *path, const char *name, unsigned long id,
	       struct subid_ranges *out, char *err, size_t errlen)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;

	memset(out, 0, sizeof(*out));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (e == ENOENT)
			return 0;
		snprintf(err, errlen, "open(%s): %s", path, strerror(e));
		return -e;
	}
	buf = file_read_fd(fd, SUBID_FILE_MAX, &len);
	if (!buf) {
		int e = errno;

		if (e == EFBIG)
			snprintf(err, errlen, "%s: larger than %d bytes", path, SUBID_FILE_MAX);
		else if (e != ENOMEM)
			snprintf(err, errlen, "read(%s): %s", path, strerror(e));
		return -e;
	}
	return subid_parse(buf, len, path, name, id, out, err, errlen);
}
