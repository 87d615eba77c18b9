/* SPDX-License-Identifier: GPL-2.0-or-later
 * userns.h - user namespaces with the caller's subordinate ranges mapped
 * through the system newuidmap/newgidmap (burrow is never setuid itself)
 *
 * The launcher and burrow-netns call this; burrow-idmap is its CLI.
 */
#ifndef BURROW_USERNS_H
#define BURROW_USERNS_H

#include <stddef.h>
#include <sys/types.h>

enum userns_mode {
	USERNS_MAP_ROOT = 0,	/* own ID -> 0, subordinate ranges -> 1.. (podman default) */
	USERNS_KEEP_ID,		/* own ID -> own ID, subordinate ranges around it */
};

struct userns_opts {
	enum userns_mode mode;
	int single_id_ok;	/* without subordinate ranges, fall back to own ID only */
	int quiet;		/* do not print the single-ID fallback notice */
};

/* The maps that userns_create() writes (also what `burrow-idmap --show` prints) */
#define USERNS_MAX_LINES 340
struct userns_map {
	unsigned long inside, outside, count;
};
struct userns_maps {
	struct userns_map uid[USERNS_MAX_LINES], gid[USERNS_MAX_LINES];
	size_t nuid, ngid;
	int single_id;		/* fallback used: only the caller's own IDs */
};

/**
 * userns_plan() - compute the maps for the calling user from /etc/subuid and
 *		   /etc/subgid (by name and numeric ID)
 * @opts:	mode and fallback policy
 * @maps:	result
 * @err:	reason on failure ("/etc/subuid:3: bad count 'x'", "no subordinate
 *		UIDs for alice in /etc/subuid", "overlapping ranges ...")
 * @errlen:	size of @err
 *
 * Return: 0, or -errno
 */
int userns_plan(const struct userns_opts *opts, struct userns_maps *maps,
		char *err, size_t errlen);

/**
 * userns_create() - fork a holder process in a new user namespace with @maps
 *		     written (newuidmap/newgidmap, or directly for single-ID)
 * @maps:	from userns_plan()
 * @holder:	out: PID of the holder; it keeps the namespace alive until it is
 *		killed or its parent-death fd closes (see userns_release())
 * @err:	reason on failure (names newuidmap's own message, "newuidmap
 *		missing or not setuid", "user namespaces disabled (...)")
 * @errlen:	size of @err
 *
 * Return: an fd for the namespace (/proc/HOLDER/ns/user), or -errno
 */
int userns_create(const struct userns_maps *maps, pid_t *holder,
		  char *err, size_t errlen);

/**
 * userns_release() - stop and reap a holder made by userns_create()
 * @holder:	PID from userns_create()
 */
void userns_release(pid_t holder);

#endif /* BURROW_USERNS_H */
