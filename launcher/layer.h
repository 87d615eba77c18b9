/* SPDX-License-Identifier: GPL-2.0-or-later
 * layer.h - unpack a layer blob (tar, gzip or zstd) once into the store, as
 * an overlayfs lower folder: whiteouts become 0/0 character devices, opaque
 * folders get the overlay.opaque xattr (trusted.* rootful, user.* rootless,
 * mounted with userxattr).  Rootless, the work runs inside a user namespace
 * with the user's subordinate maps so that owners land shifted.  Hostile
 * entries are refused with the entry's name: absolute paths, "..", links
 * that leave the layer or writing through a symlink, device nodes.
 */
#ifndef BURROW_LAUNCHER_LAYER_H
#define BURROW_LAUNCHER_LAYER_H

#include <stddef.h>

#include "userns.h"

#define LAYER_MAX_ENTRIES (1 << 20)	/* entries per layer: the quota */

struct layer_stats {
	unsigned long entries;
	long long bytes;		/* of regular file content */
};

/**
 * layer_path() - STORE/layers/HEX of a layer digest
 * @store:	the store
 * @digest:	"sha256:HEX"
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: @buf, or NULL
 */
const char *layer_path(const char *store, const char *digest, char *buf, size_t len);

/**
 * layer_present() - whether the layer is unpacked (complete)
 * @store:	the store
 * @digest:	"sha256:HEX"
 *
 * Return: 1 or 0
 */
int layer_present(const char *store, const char *digest);

/**
 * layer_unpack() - unpack blob @digest into STORE/layers/HEX (through
 *		    HEX.partial, renamed when complete; a failure leaves nothing)
 * @store:	the store
 * @digest:	"sha256:HEX"
 * @maps:	rootless: the user namespace's maps; NULL: as we are (root)
 * @st:		out: what was unpacked
 * @err:	"layer sha256:...: entry 'x': why"
 * @errlen:	size of @err
 *
 * Return: 0, or -errno
 */
int layer_unpack(const char *store, const char *digest, const struct userns_maps *maps,
		 struct layer_stats *st, char *err, size_t errlen);

/**
 * layer_remove_path() - remove a folder of the store whose files may belong
 *			 to subordinate IDs (inside the user namespace rootless)
 * @path:	the folder
 * @maps:	rootless: the maps; NULL: as we are
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -errno
 */
int layer_remove_path(const char *path, const struct userns_maps *maps, char *err, size_t errlen);

#endif /* BURROW_LAUNCHER_LAYER_H */
