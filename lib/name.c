// SPDX-License-Identifier: GPL-2.0-or-later
/* name.c - the one rule for names used as file names and command-line words */

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "name.h"

/* ASCII letter or digit, whatever the locale */
static int name_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* a byte allowed after the first */
static int name_char(char c)
{
	return name_alnum(c) || c == '_' || c == '.' || c == '-';
}

int name_valid(const char *s, size_t max)
{
	size_t i, n;

	if (!s || !max)
		return 0;
	n = strnlen(s, max);
	if (!n || n >= max || !name_alnum(s[0]))
		return 0;
	for (i = 1; i < n; i++)
		if (!name_char(s[i]))
			return 0;
	return 1;
}

int name_ifname_valid(const char *s)
{
	size_t i, n;

	if (!s)
		return 0;
	n = strnlen(s, IFNAMSIZ);
	if (!n || n >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c >= 0x7f || c == '/' || c == ':')
			return 0;
	}
	return 1;
}

int name_is_hex(const char *s)
{
	if (!s || !*s)
		return 0;
	return s[strspn(s, "0123456789abcdef")] == '\0';
}

const char *name_quote(const char *s, char *buf, size_t len)
{
	size_t used = 0, i;

	if (len < 8) {
		if (len)
			buf[0] = '\0';
		return buf;
	}
	if (!s)
		s = "";
	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		char one[8];
		int n;

		if (c == '\n')
			n = snprintf(one, sizeof(one), "\\n");
		else if (c == '\t')
			n = snprintf(one, sizeof(one), "\\t");
		else if (c == '\\' || c == '\'')
			n = snprintf(one, sizeof(one), "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			n = snprintf(one, sizeof(one), "\\x%02x", c);
		else
			n = snprintf(one, sizeof(one), "%c", c);
		if (i >= 64 || used + (size_t)n + 4 > len) {
			memcpy(buf + used, "...", 4);
			return buf;
		}
		memcpy(buf + used, one, (size_t)n);
		used += (size_t)n;
	}
	buf[used] = '\0';
	return buf;
}

/* why @s breaks the character rule (NULL: it does not) */
static const char *name_fault(const char *s, size_t max, char *why, size_t len)
{
	size_t n = strlen(s), i;

	if (!n)
		return "is empty";
	if (n >= max) {
		snprintf(why, len, "is %zu characters long", n);
		return why;
	}
	if (!name_alnum(s[0])) {
		char q[16];

		snprintf(why, len, "starts with '%s'", name_quote((char[2]){ s[0], 0 }, q,
								   sizeof(q)));
		return why;
	}
	for (i = 1; i < n; i++) {
		if (!name_char(s[i])) {
			char q[16];

			snprintf(why, len, "holds '%s'",
				 name_quote((char[2]){ s[i], 0 }, q, sizeof(q)));
			return why;
		}
	}
	return NULL;
}

int name_check(const char *what, const char *s, size_t max, int flags,
	       char *err, size_t errlen)
{
	char q[300], why[64];
	const char *fault;

	if (!s)
		s = "";
	fault = max ? name_fault(s, max, why, sizeof(why)) : "cannot be stored";
	if (fault) {
		snprintf(err, errlen, "%s '%s' %s: a name is 1 to %zu characters, an ASCII "
			 "letter or digit, then letters, digits, '_', '.' or '-'", what,
			 name_quote(s, q, sizeof(q)), fault, max ? max - 1 : 0);
		return -EINVAL;
	}
	if ((flags & NAME_NOT_HEX) && name_is_hex(s)) {
		snprintf(err, errlen, "%s '%s' is made only of hex digits (0-9, a-f): it would "
			 "read as an ID or the start of one; a name needs another character, "
			 "e.g. '%.40s-1'", what, s, s);
		return -EINVAL;
	}
	return 0;
}
