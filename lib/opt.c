// SPDX-License-Identifier: GPL-2.0-or-later
/* opt.c - command-line helpers shared by the programs */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "opt.h"

int opt_number(const char *name, const char *s, long long min, long long max,
	       long long *out, char *err, size_t errlen)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (!errno && end != s && !*end && v >= min && v <= max) {
		*out = v;
		return 0;
	}
	if (min == LLONG_MIN && max == LLONG_MAX)
		snprintf(err, errlen, "%s: expected a number, got '%s'", name, s);
	else
		snprintf(err, errlen, "%s: expected a number from %lld to %lld, got '%s'",
			 name, min, max, s);
	return -EINVAL;
}

int opt_argv_add(const char **argv, size_t size, size_t *n, ...)
{
	size_t count = 0;
	va_list ap;

	va_start(ap, n);
	while (va_arg(ap, const char *))
		count++;
	va_end(ap);
	if (*n >= size)
		return -E2BIG;
	if (count > size - 1 - *n) {
		argv[*n] = NULL;
		return -E2BIG;
	}
	va_start(ap, n);
	for (; count; count--)
		argv[(*n)++] = va_arg(ap, const char *);
	va_end(ap);
	argv[*n] = NULL;
	return 0;
}
