/* SPDX-License-Identifier: GPL-2.0-or-later
 * overlay.h - a container's root from an image: an overlay of the image's
 * unpacked layers (shared by every container of the image) with the upper and
 * work folders in the container's own folder.
 *
 * The overlay is mounted by a small holder process (lib/nsholder) in a new
 * mount namespace (inside the container's user namespace when rootless) and config.json joins
 * that mount namespace, so nothing is mounted on the host and nothing stays
 * mounted after the container: the namespace goes with its last process.
 * The kernel's overlayfs where it mounts (rootless: Linux >= 5.11, with the
 * userxattr option), else fuse-overlayfs over the same folders, as podman
 * does (BURROW_OVERLAY=kernel|fuse|auto chooses).  fuse-overlayfs runs in the
 * user namespace but the caller's mount namespace, on a /dev/fuse the holder
 * mounted: it holds no reference to the container's mount namespace, so when
 * that goes the kernel ends the connection and fuse-overlayfs exits.
 *
 *	CTRDIR/image.json	the image (name, digest, layers) and the store
 *	CTRDIR/upper, work	upper and work folders
 *	CTRDIR/merged		where the root is mounted (root.path)
 *	CTRDIR/overlay.json	the driver used, and fuse-overlayfs's PID
 *	CTRDIR/fuse-overlayfs.log  its messages
 */
#ifndef BURROW_LAUNCHER_OVERLAY_H
#define BURROW_LAUNCHER_OVERLAY_H

#include <stddef.h>
#include <sys/types.h>

#include "image.h"
#include "nsholder.h"
#include "userns.h"

enum overlay_mode {
	OVERLAY_AUTO,		/* the kernel's, else fuse-overlayfs */
	OVERLAY_KERNEL,
	OVERLAY_FUSE,
};

struct overlay_holder {
	struct nsholder ns;	/* holds the mount namespace: /proc/PID/ns/mnt */
	int own_userns;		/* 1: and the user namespace it made */
	int driver;		/* OVERLAY_KERNEL or OVERLAY_FUSE once mounted */
	pid_t fuse_pid;		/* fuse-overlayfs, outliving the holder */
};

/**
 * overlay_mode() - the driver $BURROW_OVERLAY asks for: kernel, fuse, or
 *		    auto (also when unset)
 * @err:	reason on failure (another value)
 * @errlen:	size of @err
 *
 * Return: enum overlay_mode, or -EINVAL
 */
int overlay_mode(char *err, size_t errlen);

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
 * overlay_release() - end the container's fuse-overlayfs if it still runs
 *		       (it exits by itself when the container's mount namespace
 *		       goes; this is for one whose namespace something still
 *		       holds); identified by its PID in CTRDIR/overlay.json and
 *		       its command line naming CTRDIR/upper
 * @ctrdir:	the container's folder
 *
 * Return: 1 ended, 0 none running, -EBUSY still there after 2 s
 */
int overlay_release(const char *ctrdir);

/**
 * overlay_remove() - overlay_release(), then remove CTRDIR/upper and work, whose files may belong to
 *		      the container's subordinate IDs (rootless: removed inside
 *		      a user namespace with the maps)
 * @ctrdir:	the container's folder
 *
 * Return: 0, or -errno
 */
int overlay_remove(const char *ctrdir);

#endif /* BURROW_LAUNCHER_OVERLAY_H */
