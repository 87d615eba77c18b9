/* SPDX-License-Identifier: GPL-2.0-or-later
 * pscmds.h - `burrow ps` and `burrow inspect`, with podman's --format: json,
 * table, or a Go template (format.h) over the fields inspect.h builds.  Each
 * prints its own errors and returns the process exit code.
 */
#ifndef BURROW_LAUNCHER_PSCMDS_H
#define BURROW_LAUNCHER_PSCMDS_H

#include <stddef.h>

struct ps_opts {
	int all;		/* -a: exited and dead ones too */
	int quiet;		/* -q: IDs only */
	const char *format;	/* NULL or "table": burrow's table; "json"; a template */
};

/**
 * cmd_ps() - list containers
 * @o:		options
 *
 * Return: exit code (125 for a template that is refused)
 */
int cmd_ps(const struct ps_opts *o);

/**
 * cmd_inspect() - print containers as podman inspect does: a JSON array, or
 *		   each one through a --format template
 * @refs:	IDs, names or unique ID prefixes
 * @n:		how many
 * @format:	NULL or "json": the JSON array; else a template
 *
 * Return: 0, or 125 when one was not found or the template is refused (the
 * others are still printed, as podman does)
 */
int cmd_inspect(char *const *refs, size_t n, const char *format);

#endif /* BURROW_LAUNCHER_PSCMDS_H */
