/* SPDX-License-Identifier: GPL-2.0-or-later
 * run.h - `burrow run`: make the bundle and record, start the runtime and the
 * network, then supervise the container (in the foreground, or in a detached
 * supervisor process that outlives the CLI)
 */
#ifndef BURROW_LAUNCHER_RUN_H
#define BURROW_LAUNCHER_RUN_H

#include <stddef.h>

#include "net.h"
#include "spec.h"
#include "userns.h"

#define RUN_MAX_ENV 128
#define RUN_MAX_VOLUMES 32

/* exit codes of burrow itself, docker's convention */
#define EXIT_BURROW 125		/* burrow or the runtime failed */
#define EXIT_CANNOT_EXEC 126	/* the command cannot be executed */
#define EXIT_NOT_FOUND 127	/* the command was not found */

struct run_opts {
	const char *target;		/* ROOTFS or BUNDLE as typed */
	char *const *args;		/* command, NULL-terminated (may be empty) */
	const char *name;
	const char *network;		/* NULL: the default for this user */
	const char *runtime;		/* NULL: crun */
	const char *ports[NET_MAX_PORTS];
	size_t nports;
	char *env[RUN_MAX_ENV];
	size_t nenv;
	struct spec_volume volumes[RUN_MAX_VOLUMES];
	size_t nvolumes;
	const char *workdir;
	const char *hostname;
	unsigned uid, gid;
	int detach, rm, interactive, tty;
	int pull;			/* enum pull_policy: missing, always, never */
	int tls_no_verify;		/* --tls-verify=false: http or unverified registry */
	int publish_all;		/* -P: the image's ExposedPorts on free host ports */
	int user_set;			/* -u given: the image's User does not apply */
	int stop_timeout;		/* foreground: seconds from a stop signal to SIGKILL */
};

/**
 * run_container() - `burrow run`
 * @o:		options
 *
 * Errors are printed on stderr.  With -d the container's ID is printed on
 * stdout once it runs, and the CLI returns while a supervisor stays.
 *
 * Return: the container's exit code (foreground), 0 (-d started), or
 * EXIT_BURROW / EXIT_CANNOT_EXEC / EXIT_NOT_FOUND
 */
int run_container(const struct run_opts *o);

#endif /* BURROW_LAUNCHER_RUN_H */
