/* SPDX-License-Identifier: GPL-2.0-or-later
 * pull.h - bring an image into the store with skopeo: skopeo copies REF into
 * an OCI layout under STORE/tmp whose blobs go straight to STORE/blobs (its
 * --dest-shared-blob-dir); we verify every blob's sha256, unpack the layers
 * we do not have yet and record the name.  skopeo brings the transports
 * (docker://, oci:, oci-archive:, docker-archive:, containers-storage:), the
 * registries' configuration, auth files and the signature policy.
 */
#ifndef BURROW_LAUNCHER_PULL_H
#define BURROW_LAUNCHER_PULL_H

#include <stddef.h>

#include "image.h"
#include "userns.h"

enum pull_policy { PULL_MISSING = 0, PULL_ALWAYS, PULL_NEVER };

struct pull_opts {
	int tls_verify;			/* 1 default; 0: --tls-verify=false */
	int quiet;			/* no progress lines */
	const struct userns_maps *maps;	/* rootless: unpack with these maps */
	/* called before and after each layer is unpacked, may be NULL */
	void (*layer_note)(const char *digest, int done, long long size);
};

/**
 * pull_policy_parse() - "never", "missing", "always" (also "newer": missing)
 * @s:		text
 * @p:		out
 *
 * Return: 0, or -EINVAL
 */
int pull_policy_parse(const char *s, enum pull_policy *p);

/**
 * pull_image() - copy @ref into the store, verify, unpack, name it
 * @ref:	image reference as typed
 * @po:		options
 * @img:	out: the image
 * @err:	reason on failure (skopeo's own message when it failed)
 * @errlen:	size of @err
 *
 * Return: 0, or -errno
 */
int pull_image(const char *ref, const struct pull_opts *po, struct image *img,
	       char *err, size_t errlen);

/**
 * pull_ensure_layers() - unpack the layers of @img that are missing (the
 *			  caller holds the store's lock)
 * @store:	the store
 * @img:	image
 * @po:		options (maps, layer_note)
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -errno
 */
int pull_ensure_layers(const char *store, const struct image *img, const struct pull_opts *po,
		       char *err, size_t errlen);

/**
 * pull_repair_layers() - pull_ensure_layers() under the store's lock, for
 *			  an image found in the store (a kill may have left a
 *			  layer out); nothing to do costs one stat a layer
 * @store:	the store
 * @img:	image
 * @po:		options (maps, layer_note)
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -errno
 */
int pull_repair_layers(const char *store, const struct image *img, const struct pull_opts *po,
		       char *err, size_t errlen);

#endif /* BURROW_LAUNCHER_PULL_H */
