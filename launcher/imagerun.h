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
#include "launcher/run.h"

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
int imagerun_resolve(const struct run_opts *o, const struct userns_maps *maps,
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
int imagerun_apply(struct run_opts *o, const char *store, const struct image *img,
		   char *err, size_t errlen);

#endif /* BURROW_LAUNCHER_IMAGERUN_H */
