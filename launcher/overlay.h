/* SPDX-License-Identifier: GPL-2.0-or-later
 * overlay.h - a container's root from an image: the kernel's overlayfs over
 * the image's unpacked layers (shared by every container of the image) with
 * the upper and work folders in the container's own folder.
 *
 * The overlay is mounted by a small holder process in a new mount namespace
 * (inside the container's user namespace when rootless: Linux >= 5.11 allows
 * it there, with the userxattr option) and config.json joins that mount
 * namespace, so nothing is mounted on the host and nothing stays mounted
 * after the container: the namespace goes with its last process.
 *
 *	CTRDIR/image.json	the image (name, digest, layers) and the store
 *	CTRDIR/upper, work	overlayfs upper and work folders
 *	CTRDIR/merged		where the root is mounted (root.path)
 */
#ifndef BURROW_LAUNCHER_OVERLAY_H
#define BURROW_LAUNCHER_OVERLAY_H

#include <stddef.h>
#include <sys/types.h>

#include "image.h"
#include "nsholder.h"
#include "userns.h"

struct overlay_holder {
	pid_t pid;		/* holds the mount namespace: /proc/PID/ns/mnt */
	int own_userns;		/* it made a new user namespace (not config.json's) */
	struct nsholder ns;	/* lib/nsholder's holder, valid while @pid > 0 */
};

/**
 * overlay_record() - write CTRDIR/image.json and make upper, work, merged
 * @ctrdir:	the container's folder
 * @store:	the image store
 * @img:	the image
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -errno
 */
int overlay_record(const char *ctrdir, const char *store, const struct image *img,
		   char *err, size_t errlen);

/**
 * overlay_prepare() - for a container with CTRDIR/image.json (else nothing):
 *		       start the holder, mount the overlay in its namespace and
 *		       point CTRDIR/config.json at it.  The holder joins the user
 *		       namespace config.json names, or (rootless, @maps) makes
 *		       one, which config.json then joins.  It dies with the
 *		       calling process, or at overlay_stop().
 * @ctrdir:	the container's folder
 * @maps:	rootless: the maps for a new user namespace; NULL: root
 * @h:		out
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -errno (nothing left running)
 */
int overlay_prepare(const char *ctrdir, const struct userns_maps *maps,
		    struct overlay_holder *h, char *err, size_t errlen);

/**
 * overlay_stop() - end the holder (the mount lives on in the container)
 * @h:		holder (zeroed: nothing)
 */
void overlay_stop(struct overlay_holder *h);

/**
 * overlay_remove() - remove CTRDIR/upper and work, whose files may belong to
 *		      the container's subordinate IDs (rootless: removed inside
 *		      a user namespace with the maps)
 * @ctrdir:	the container's folder
 *
 * Return: 0, or -errno
 */
int overlay_remove(const char *ctrdir);

#endif /* BURROW_LAUNCHER_OVERLAY_H */
