/* SPDX-License-Identifier: GPL-2.0-or-later
 * opt.h - command-line helpers the programs share: a bounded number option
 * with one message for every program, and a child's argument list built
 * without overrunning its array
 */
#ifndef BURROW_OPT_H
#define BURROW_OPT_H

#include <stddef.h>

/**
 * opt_number() - parse the value of a numeric option: decimal, whole
 * string, within [@min, @max]
 * @name:	the option as the user knows it ("--mtu"), for the message
 * @s:		the value given
 * @min:	smallest value accepted
 * @max:	largest value accepted
 * @out:	the value; untouched on error
 * @err:	on error "--mtu: expected a number from 1280 to 65521, got 'x'"
 *		("expected a number, got 'x'" when any long long is accepted)
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL with @err set
 */
int opt_number(const char *name, const char *s, long long min, long long max,
	       long long *out, char *err, size_t errlen);

/**
 * opt_argv_add() - append arguments to a NULL-terminated argument list
 * @argv:	the list; argv[*n] is NULL on return (if *n < @size)
 * @size:	number of elements of @argv (room for the final NULL included)
 * @n:		arguments in @argv so far; advanced
 * @...:	strings to append, then NULL
 *
 * Nothing is appended unless all of them fit.
 *
 * Return: 0, or -E2BIG
 */
int opt_argv_add(const char **argv, size_t size, size_t *n, ...)
	__attribute__((sentinel));

#endif /* BURROW_OPT_H */
