// SPDX-License-Identifier: GPL-2.0-or-later
/* name.c - the one rule for names used as file names and command-line words */

#include <string.h>

#include "name.h"

/* ASCII letter or digit, whatever the locale */
static int name_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
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
		if (!name_alnum(s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
			return 0;
	return 1;
}
