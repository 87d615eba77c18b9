/* SPDX-License-Identifier: GPL-2.0-or-later
 * run.h - burrow-idmap's actions: show the planned maps, run a command in a
 * new user namespace with them
 */
#ifndef BURROW_IDMAP_RUN_H
#define BURROW_IDMAP_RUN_H

#include "userns.h"

/* exit statuses of burrow-idmap's own failures (as env(1), podman) */
#define IDMAP_EXIT_ERROR	125	/* burrow-idmap itself failed */
#define IDMAP_EXIT_CANNOT_EXEC	126	/* CMD found but not executable */
#define IDMAP_EXIT_NOT_FOUND	127	/* CMD not found */

enum idmap_show { IDMAP_SHOW_BOTH = 0, IDMAP_SHOW_UID, IDMAP_SHOW_GID };

/**
 * idmap_show() - print the maps that would be written, as /proc/PID/uid_map
 *		  shows them
 * @opts:	mapping mode and fallback policy
 * @which:	both sides (each after a "uid_map:" / "gid_map:" line), or one
 *		side alone with no header (diffable against /proc/self/uid_map)
 *
 * Return: process exit status (0, or IDMAP_EXIT_ERROR with a message printed)
 */
int idmap_show(const struct userns_opts *opts, enum idmap_show which);

/**
 * idmap_exec() - enter a new user namespace with the full maps and exec @argv
 * @opts:	mapping mode and fallback policy
 * @argv:	command and arguments, NULL-terminated, searched in PATH
 *
 * The calling process itself joins the namespace (setns) and becomes the
 * command, so the command's exit status is burrow-idmap's.
 *
 * Return: only on failure: IDMAP_EXIT_ERROR, IDMAP_EXIT_CANNOT_EXEC or
 * IDMAP_EXIT_NOT_FOUND, with a message printed
 */
int idmap_exec(const struct userns_opts *opts, char *const argv[]);

#endif /* BURROW_IDMAP_RUN_H */
