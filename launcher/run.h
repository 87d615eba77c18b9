/* SPDX-License-Identifier: GPL-2.0-or-later
 * run.h - starting a container: make the bundle and record, start the
 * runtime and the network, then wait for the container in the foreground or
 * leave it to burrow-mon (-d)
 */
#ifndef BURROW_LAUNCHER_RUN_H
#define BURROW_LAUNCHER_RUN_H

#include <stddef.h>

#include "limits.h"
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
	struct limits limits;		/* -m, --cpus, --pids-limit */
	/* IMAGE: told of each layer it unpacks (pull_opts.layer_note), or NULL */
	void (*layer_note)(const char *digest, int done, long long size);
};

/**
 * run_container() - start a container (`burrow run`): in the foreground,
 *		     wait for it; with -d, leave it to burrow-mon and return
 * @o:		options
 * @id:		out (-d, started): the container's ID
 * @idlen:	size of @id
 * @err:	out: what went wrong when burrow or the runtime failed; empty
 *		when the container ran (whatever its exit code)
 * @errlen:	size of @err
 *
 * Prints nothing, except in the foreground the note that a stop signal is
 * escalated to SIGKILL, logged (lib/log) when it happens.
 *
 * Return: the container's exit code (foreground), 0 (-d started), or
 * EXIT_BURROW / EXIT_CANNOT_EXEC / EXIT_NOT_FOUND with @err set
 */
int run_container(const struct run_opts *o, char *id, size_t idlen, char *err, size_t errlen);

#endif /* BURROW_LAUNCHER_RUN_H */
