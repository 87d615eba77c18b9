// SPDX-License-Identifier: GPL-2.0-or-later
/* format.c - the Go-template subset of --format (see format.h) */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format.h"

#define TAB_MINWIDTH	12
#define TAB_PADDING	2
#define VALUE_DEPTH	16	/* nesting printed by value_print(); deeper: "..." */

/* copy @len bytes of @s into @f->buf as a string; NULL when full */
static const char *keep(struct format *f, size_t *used, const char *s, size_t len)
{
	char *p;

	if (*used + len + 1 > sizeof(f->buf))
		return NULL;
	p = f->buf + *used;
	memcpy(p, s, len);
	p[len] = '\0';
	*used += len + 1;
	return p;
}

/* literal text with \t and \n turned into a tab and a newline, as podman does */
static size_t unescape(const char *s, size_t len, char *out)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && (s[i + 1] == 't' || s[i + 1] == 'n')) {
			out[n++] = s[i + 1] == 't' ? '\t' : '\n';
			i++;
		} else {
			out[n++] = s[i];
		}
	}
	return n;
}

/* one more item; @text NULL means keep() ran out of room */
static int add_item(struct format *f, enum format_kind kind, const char *text,
		    char *err, size_t errlen)
{
	if (!text) {
		snprintf(err, errlen, "template too long");
		return -E2BIG;
	}
	if (f->nitems >= FORMAT_MAX_ITEMS) {
		snprintf(err, errlen, "template has more than %d parts", FORMAT_MAX_ITEMS);
		return -E2BIG;
	}
	f->items[f->nitems].kind = kind;
	f->items[f->nitems].text = text;
	f->nitems++;
	return 0;
}

/* ".", ".A", ".A.B": 0 with *@path pointing past the dot, or -errno */
static int field_path(const char *s, size_t len, char *err, size_t errlen)
{
	size_t i, depth = 0, comp = 0;

	if (len == 0 || s[0] != '.') {
		snprintf(err, errlen, "template: expected a field such as .Names, not '%.*s'",
			 (int)(len > 64 ? 64 : len), s);
		return -EINVAL;
	}
	if (len == 1)
		return 0;
	for (i = 1; i <= len; i++) {
		if (i == len || s[i] == '.') {
			if (comp == 0) {
				snprintf(err, errlen, "template: empty component in field '%.*s'",
					 (int)(len > 64 ? 64 : len), s);
				return -EINVAL;
			}
			if (++depth > FORMAT_MAX_DEPTH) {
				snprintf(err, errlen, "template: field '%.64s...' is nested more "
					 "than %d deep", s, FORMAT_MAX_DEPTH);
				return -E2BIG;
			}
			comp = 0;
		} else if (isalnum((unsigned char)s[i]) || s[i] == '_') {
			comp++;
		} else {
			snprintf(err, errlen, "template: unsupported character '%c' in field "
				 "'%.*s' (burrow's templates know .Field, .A.B and json .Field)",
				 s[i], (int)(len > 64 ? 64 : len), s);
			return -EINVAL;
		}
	}
	return 0;
}

/* the inside of one {{ }} (blanks trimmed) into an item */
static int parse_action(struct format *f, size_t *used, const char *s, size_t len,
			char *err, size_t errlen)
{
	size_t w;
	int r;

	if (len && (s[0] == '-' || s[len - 1] == '-')) {
		snprintf(err, errlen, "template: trim markers ({{- and -}}) are not supported");
		return -EINVAL;
	}
	if (memchr(s, '|', len)) {
		snprintf(err, errlen, "template: pipelines ('|' in '{{%.*s}}') are not supported",
			 (int)(len > 64 ? 64 : len), s);
		return -EINVAL;
	}
	if (len && s[0] == '.') {
		r = field_path(s, len, err, errlen);
		if (r < 0)
			return r;
		return add_item(f, FORMAT_FIELD, keep(f, used, s + 1, len - 1), err, errlen);
	}
	for (w = 0; w < len && !isspace((unsigned char)s[w]); w++)
		;
	if (w == 4 && !memcmp(s, "json", 4)) {
		while (w < len && isspace((unsigned char)s[w]))
			w++;
		r = field_path(s + w, len - w, err, errlen);
		if (r < 0)
			return r;
		return add_item(f, FORMAT_JSON, keep(f, used, s + w + 1, len - w - 1),
				err, errlen);
	}
	if (w == 0) {
		snprintf(err, errlen, "template: empty action '{{}}'");
		return -EINVAL;
	}
	snprintf(err, errlen, "template: '%.*s' is not supported: burrow's --format knows "
		 "{{.Field}}, {{.A.B}}, {{json .}} and {{json .Field}}", (int)(w > 64 ? 64 : w), s);
	return -EINVAL;
}

/* literal text before an action or at the end */
static int parse_text(struct format *f, size_t *used, const char *s, size_t len,
		      char *err, size_t errlen)
{
	char tmp[FORMAT_MAX_TEXT];

	if (len == 0)
		return 0;
	return add_item(f, FORMAT_TEXT, keep(f, used, tmp, unescape(s, len, tmp)), err, errlen);
}

int format_parse(const char *text, struct format *f, char *err, size_t errlen)
{
	size_t len = strlen(text), used = 0;
	const char *p, *open, *close, *a, *b;
	int r;

	memset(f, 0, sizeof(*f));
	if (len > FORMAT_MAX_TEXT) {
		snprintf(err, errlen, "template is %zu bytes long, at most %d", len,
			 FORMAT_MAX_TEXT);
		return -E2BIG;
	}
	p = text;
	if (!strncmp(p, "table ", 6) || !strncmp(p, "table\t", 6)) {
		f->table = 1;
		p += 6;
	}
	while (*p) {
		open = strstr(p, "{{");
		if (!open)
			return parse_text(f, &used, p, strlen(p), err, errlen);
		r = parse_text(f, &used, p, (size_t)(open - p), err, errlen);
		if (r < 0)
			return r;
		close = strstr(open + 2, "}}");
		if (!close) {
			snprintf(err, errlen, "template: '{{' at offset %zu is never closed "
				 "with '}}'", (size_t)(open - text));
			return -EINVAL;
		}
		a = open + 2;
		b = close;
		if (memmem(a, (size_t)(b - a), "{{", 2)) {
			snprintf(err, errlen, "template: '{{' inside the action at offset %zu",
				 (size_t)(open - text));
			return -EINVAL;
		}
		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		r = parse_action(f, &used, a, (size_t)(b - a), err, errlen);
		if (r < 0)
			return r;
		p = close + 2;
	}
	if (f->nitems == 0) {
		snprintf(err, errlen, "template is empty");
		return -EINVAL;
	}
	return 0;
}

/* @key of object @o: exactly, or else ignoring case */
static json_t *member(const json_t *o, const char *key, size_t len)
{
	const char *k;
	json_t *v;

	if (!json_is_object(o))
		return NULL;
	json_object_foreach((json_t *)o, k, v)
		if (strlen(k) == len && !memcmp(k, key, len))
			return v;
	json_object_foreach((json_t *)o, k, v)
		if (strlen(k) == len && !strncasecmp(k, key, len))
			return v;
	return NULL;
}

/* the value at "A.B" in @o ("" is @o itself); NULL when missing, with
 * *@stop set to the object where the lookup failed and *@at to the component */
static json_t *lookup(const json_t *o, const char *path, const json_t **stop,
		      const char **at)
{
	const json_t *cur = o;
	const char *p = path, *dot;

	while (*p) {
		json_t *next;

		dot = strchr(p, '.');
		next = member(cur, p, dot ? (size_t)(dot - p) : strlen(p));
		if (!next) {
			*stop = cur;
			*at = p;
			return NULL;
		}
		cur = next;
		p = dot ? dot + 1 : p + strlen(p);
	}
	return (json_t *)cur;
}

/* "ID, Names, Status, ..." into @buf: the fields of @o, for an error */
static void field_names(const json_t *o, char *buf, size_t len)
{
	const char *k;
	json_t *v;
	size_t n = 0;

	buf[0] = '\0';
	if (!json_is_object(o)) {
		snprintf(buf, len, "none: it is not an object");
		return;
	}
	json_object_foreach((json_t *)o, k, v) {
		int w = snprintf(buf + n, len - n, "%s%s", n ? ", " : "", k);

		if (w < 0 || (size_t)w >= len - n)
			break;
		n += (size_t)w;
	}
}

int format_check(const struct format *f, const json_t *sample, const char *what,
		 char *err, size_t errlen)
{
	const json_t *stop;
	const char *at;
	char names[512];
	size_t i;

	for (i = 0; i < f->nitems; i++) {
		if (f->items[i].kind == FORMAT_TEXT || lookup(sample, f->items[i].text, &stop, &at))
			continue;
		field_names(stop, names, sizeof(names));
		snprintf(err, errlen, "template: %s has no field .%s (at '%s'; fields there: %s)",
			 what, f->items[i].text, at, names);
		return -ENOENT;
	}
	return 0;
}

/* append @len bytes of @s, growing the buffer up to FORMAT_MAX_OUT */
static int out_put(struct format_out *o, const char *s, size_t len)
{
	if (o->len + len + 1 > FORMAT_MAX_OUT)
		return -E2BIG;
	if (o->len + len + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		char *nb;

		while (cap < o->len + len + 1)
			cap *= 2;
		nb = realloc(o->buf, cap);
		if (!nb)
			return -ENOMEM;
		o->buf = nb;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, len);
	o->len += len;
	o->buf[o->len] = '\0';
	return 0;
}

/* append the string @s */
static int out_str(struct format_out *o, const char *s)
{
	return out_put(o, s, strlen(s));
}

/* qsort() order of object keys, as Go prints maps */
static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* @v as Go's text/template prints it: [a b] for arrays, map[k:v] for objects */
static int value_print(const json_t *v, struct format_out *o, int depth)
{
	char num[64];
	size_t i, n;
	int r = 0;

	if (depth > VALUE_DEPTH)
		return out_str(o, "...");
	switch (json_typeof(v)) {
	case JSON_STRING:
		return out_put(o, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return out_str(o, num);
	case JSON_REAL:
		snprintf(num, sizeof(num), "%g", json_real_value(v));
		return out_str(o, num);
	case JSON_TRUE:
		return out_str(o, "true");
	case JSON_FALSE:
		return out_str(o, "false");
	case JSON_NULL:
		return out_str(o, "<no value>");
	case JSON_ARRAY:
		r = out_str(o, "[");
		for (i = 0; r == 0 && i < json_array_size(v); i++) {
			if (i)
				r = out_str(o, " ");
			if (r == 0)
				r = value_print(json_array_get(v, i), o, depth + 1);
		}
		return r ? r : out_str(o, "]");
	case JSON_OBJECT: {
		const char **keys;
		const char *k;
		json_t *x;

		n = json_object_size(v);
		keys = calloc(n ? n : 1, sizeof(*keys));
		if (!keys)
			return -ENOMEM;
		i = 0;
		json_object_foreach((json_t *)v, k, x)
			keys[i++] = k;
		qsort(keys, n, sizeof(*keys), key_cmp);
		r = out_str(o, "map[");
		for (i = 0; r == 0 && i < n; i++) {
			r = out_str(o, i ? " " : "");
			if (r == 0)
				r = out_str(o, keys[i]);
			if (r == 0)
				r = out_str(o, ":");
			if (r == 0)
				r = value_print(json_object_get(v, keys[i]), o, depth + 1);
		}
		free(keys);
		return r ? r : out_str(o, "]");
	}
	}
	return 0;
}

/* a newline after the row unless the template ends with one */
static int end_row(const struct format *f, struct format_out *o)
{
	const struct format_item *last = &f->items[f->nitems - 1];
	size_t n = strlen(last->text);

	if (last->kind == FORMAT_TEXT && n && last->text[n - 1] == '\n')
		return 0;
	return out_str(o, "\n");
}

int format_render(const struct format *f, const json_t *obj, struct format_out *o)
{
	const json_t *stop;
	const char *at;
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && i < f->nitems; i++) {
		const struct format_item *it = &f->items[i];
		json_t *v;
		char *s;

		if (it->kind == FORMAT_TEXT) {
			r = out_str(o, it->text);
			continue;
		}
		v = lookup(obj, it->text, &stop, &at);
		if (!v) {
			r = out_str(o, "<no value>");
			continue;
		}
		if (it->kind == FORMAT_FIELD) {
			r = value_print(v, o, 0);
			continue;
		}
		s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (!s)
			return -ENOMEM;
		r = out_str(o, s);
		free(s);
	}
	return r ? r : end_row(f, o);
}

int format_header(const struct format *f, const json_t *headers, struct format_out *o)
{
	size_t i;
	int r = 0;

	if (!f->table)
		return 0;
	for (i = 0; r == 0 && i < f->nitems; i++) {
		const struct format_item *it = &f->items[i];
		const char *h, *last;
		json_t *t;

		if (it->kind == FORMAT_TEXT) {
			r = out_str(o, it->text);
			continue;
		}
		if (it->kind == FORMAT_JSON) {
			r = out_str(o, "JSON");
			continue;
		}
		t = headers ? json_object_get(headers, it->text) : NULL;
		if (json_is_string(t)) {
			r = out_str(o, json_string_value(t));
			continue;
		}
		last = strrchr(it->text, '.');
		last = last ? last + 1 : it->text;
		for (h = last; r == 0 && *h; h++) {
			char c = (char)toupper((unsigned char)*h);

			r = out_put(o, &c, 1);
		}
	}
	return r ? r : end_row(f, o);
}

/* display width of @len bytes of UTF-8: continuation bytes do not count */
static size_t width(const char *s, size_t len)
{
	size_t i, w = 0;

	for (i = 0; i < len; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

/* per column, the widest tab-ended cell in any line (with padding and minimum) */
static size_t *column_widths(const char *s, size_t *ncols)
{
	size_t *w = NULL, n = 0, col = 0, start = 0, i, len = strlen(s);

	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			col = 0;
			start = i + 1;
		} else if (s[i] == '\t') {
			size_t cw = width(s + start, i - start) + TAB_PADDING;

			if (cw < TAB_MINWIDTH)
				cw = TAB_MINWIDTH;
			if (col >= n) {
				size_t *nw = realloc(w, (col + 1) * sizeof(*w));

				if (!nw) {
					free(w);
					return NULL;
				}
				w = nw;
				while (n <= col)
					w[n++] = 0;
			}
			if (cw > w[col])
				w[col] = cw;
			col++;
			start = i + 1;
		}
	}
	*ncols = n;
	return w ? w : calloc(1, sizeof(*w));
}

char *format_align(const struct format_out *o)
{
	const char *s = o->buf ? o->buf : "";
	size_t ncols, i, col = 0, start = 0, len = strlen(s), total = 0, n = 0, k;
	size_t *w = column_widths(s, &ncols);
	char *out;

	if (!w)
		return NULL;
	for (k = 0; k < ncols; k++)
		total += w[k];
	/* a cell is padded to its column's width: a line grows by at most the sum */
	{
		size_t lines = 1;

		for (i = 0; i < len; i++)
			lines += s[i] == '\n';
		out = malloc(len + lines * total + 1);
	}
	if (!out) {
		free(w);
		return NULL;
	}
	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			memcpy(out + n, s + start, i - start + 1);
			n += i - start + 1;
			col = 0;
			start = i + 1;
		} else if (s[i] == '\t') {
			size_t cw = width(s + start, i - start);

			memcpy(out + n, s + start, i - start);
			n += i - start;
			for (; cw < w[col]; cw++)
				out[n++] = ' ';
			col++;
			start = i + 1;
		}
	}
	memcpy(out + n, s + start, len - start);
	n += len - start;
	out[n] = '\0';
	free(w);
	return out;
}

int format_flush(struct format_out *o, FILE *fp)
{
	char *s = format_align(o);
	int r = 0;

	if (!s)
		return -ENOMEM;
	if (fputs(s, fp) == EOF || fflush(fp))
		r = -EIO;
	free(s);
	o->len = 0;
	if (o->buf)
		o->buf[0] = '\0';
	return r;
}

void format_out_free(struct format_out *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}
