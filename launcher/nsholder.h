/* SPDX-License-Identifier: GPL-2.0-or-later
 * nsholder.h - a small process holding a network namespace (inside a new
 * user namespace with the subordinate maps, rootless) that the network helper
 * configures before the container joins it.  Needed because the runtime's
 * half-created container is not dumpable, so a rootless helper cannot open
 * its /proc/PID/ns files; our own holder is.
 */
#ifndef BURROW_LAUNCHER_NSHOLDER_H
#define BURROW_LAUNCHER_NSHOLDER_H

#include <stddef.h>
#include <sys/types.h>

#include "userns.h"

struct nsholder {
	pid_t pid;		/* the holder: /proc/PID/ns/{user,net} */
	pid_t uholder;		/* lib/userns's holder of the user namespace, or 0 */
	int quit;		/* closing it ends the holder */
};

/**
 * nsholder_start() - make the namespaces and the holder process
 * @maps:	rootless: the user namespace's maps; NULL: network namespace only
 * @persist:	0: the holder ends with us (or nsholder_stop()); 1: it lives
 *		until killed (a detached container's clean-up kills it)
 * @h:		result
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -errno (nothing left behind)
 */
int nsholder_start(const struct userns_maps *maps, int persist, struct nsholder *h,
		   char *err, size_t errlen);

/**
 * nsholder_stop() - end the holder (the namespaces live on while used)
 */
void nsholder_stop(struct nsholder *h);

#endif /* BURROW_LAUNCHER_NSHOLDER_H */
