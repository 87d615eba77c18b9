/* SPDX-License-Identifier: GPL-2.0-or-later
 * imagerun.h - `burrow run IMAGE`: find the image (pulling it as --pull
 * says), and turn its config into the run's options as podman does:
 * Entrypoint + (the command given, else Cmd), Env under -e, WorkingDir under
 * -w, User (a name looked up in the image's /etc/passwd) under -u, and with
 * -P its ExposedPorts published on free host ports.
 */
#ifndef BURROW_LAUNCHER_IMAGERUN_H
#define BURROW_LAUNCHER_IMAGERUN_H

#include <stddef.h>

#include "image.h"
#include "userns.h"

#define IMAGERUN_MAX_ENV 128		/* as RUN_MAX_ENV */
#define IMAGERUN_MAX_PORTS 32		/* as NET_MAX_PORTS */

/* what of `burrow run`'s options an image touches (run.c copies in and out) */
struct imagerun_opts {
	const char *target;		/* IMAGE as typed */
	int pull;			/* enum pull_policy */
	int tls_no_verify, publish_all, user_set;
	char *const *args;		/* the command given; out: the one to run */
	char *env[IMAGERUN_MAX_ENV];	/* -e; out: the image's Env, then -e */
	size_t nenv;
	const char *workdir;
	unsigned uid, gid;
	const char *ports[IMAGERUN_MAX_PORTS];	/* -p; out: with -P's added */
	size_t nports;
	char port_specs[IMAGERUN_MAX_PORTS][32];	/* what -P's entries point into */
	/* told of each layer unpacking (@done 0) and unpacked (1), or NULL */
	void (*layer_note)(const char *digest, int done, long long size);
};

/**
 * imagerun_resolve() - the image @o->target names, pulled when @o->pull says
 * @o:		run options (target, pull, tls_verify)
 * @maps:	rootless: maps to unpack layers with; NULL: root
 * @store:	out: the store's folder
 * @storelen:	size of @store
 * @img:	out: the image
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -errno
 */
int imagerun_resolve(const struct imagerun_opts *o, const struct userns_maps *maps,
		     char *store, size_t storelen, struct image *img, char *err, size_t errlen);

/**
 * imagerun_apply() - fill @o from the image's config where the user gave nothing
 * @o:		run options, changed (args, env, workdir, uid/gid, ports)
 * @store:	the store
 * @img:	the image
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -errno
 */
int imagerun_apply(struct imagerun_opts *o, const char *store, const struct image *img,
		   char *err, size_t errlen);

#endif /* BURROW_LAUNCHER_IMAGERUN_H */
