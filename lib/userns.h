/* SPDX-License-Identifier: GPL-2.0-or-later
 * userns.h - user namespaces with the caller's subordinate ranges mapped
 * through the system newuidmap/newgidmap (burrow is never setuid itself)
 *
 * The launcher and burrow-netns call this; burrow-idmap is its CLI.
 *
 *	struct userns_opts o = { .mode = USERNS_MAP_ROOT, .single_id_ok = 1,
 *				 .hold = USERNS_HOLD_DETACHED };
 *	struct userns_maps m;
 *	char err[512];
 *	pid_t holder;
 *	int fd;
 *
 *	if (userns_plan(&o, &m, err, sizeof(err)) < 0) ...
 *	fd = userns_create(&m, &holder, err, sizeof(err));
 *	if (fd < 0) ...
 *	// fd is /proc/HOLDER/ns/user: setns(fd, CLONE_NEWUSER) from a
 *	// single-threaded process of the same user enters it (the creator
 *	// owns it); the holder keeps it alive, see enum userns_hold.
 *	userns_release(holder);	// when done (USERNS_HOLD_PARENT: optional)
 */
#ifndef BURROW_USERNS_H
#define BURROW_USERNS_H

#include <stddef.h>
#include <sys/types.h>

enum userns_mode {
	USERNS_MAP_ROOT = 0,	/* own ID -> 0, subordinate ranges -> 1.. (podman default) */
	USERNS_KEEP_ID,		/* own ID -> own ID, subordinate ranges fill 0.. around it */
};

/*
 * How long the holder process made by userns_create() lives.  In every mode
 * it also exits if the caller fails before the maps are written, and it holds
 * no fd of the caller (all are closed), so it never keeps a pipe or socket
 * of the caller open.
 */
enum userns_hold {
	/* until killed (userns_release()) or until the process that called
	 * userns_create() exits (PR_SET_PDEATHSIG, SIGKILL; note that the kernel
	 * ties this to the calling *thread*).  It stays the caller's child. */
	USERNS_HOLD_PARENT = 0,
	/* until killed with SIGTERM/SIGKILL (userns_release() or kill(2) from
	 * any process of the user): outlives the caller.  It is not the
	 * caller's child (double fork, reparented to init or the nearest
	 * subreaper) and runs in its own session, so the terminal's ^C or
	 * hang-up does not reach it.  Record its PID, e.g. in a state file. */
	USERNS_HOLD_DETACHED,
};

struct userns_opts {
	enum userns_mode mode;
	int single_id_ok;	/* without subordinate ranges, fall back to own ID only */
	int quiet;		/* do not print the single-ID fallback notice */
	enum userns_hold hold;	/* holder lifetime; copied into the maps by userns_plan() */
};

/* The maps that userns_create() writes (also what `burrow-idmap --show` prints) */
#define USERNS_MAX_LINES 340
struct userns_map {
	unsigned long inside, outside, count;
};
struct userns_maps {
	struct userns_map uid[USERNS_MAX_LINES], gid[USERNS_MAX_LINES];
	size_t nuid, ngid;
	int single_id;		/* fallback used: only the caller's own IDs (uid or gid side) */
	enum userns_hold hold;	/* from userns_opts; read by userns_create() */
};

/**
 * userns_plan() - compute the maps for the calling user from /etc/subuid and
 *		   /etc/subgid (by name and numeric ID)
 * @opts:	mode, fallback policy and holder lifetime
 * @maps:	result
 * @err:	reason on failure ("/etc/subuid:3: bad count 'x'", "no subordinate
 *		UIDs for alice (uid 1000) in /etc/subuid", "/etc/subuid:4: range
 *		... overlaps ..."); on success with the single-ID fallback, the
 *		notice (printed once on stderr unless @opts->quiet)
 * @errlen:	size of @err
 *
 * The real UID/GID and the login name of getpwuid(getuid()) are used; both
 * files are matched by the user's name or numeric UID.  A subordinate range
 * that contains the caller's own ID is split around it.
 *
 * Return: 0, or -errno (-ENOENT: no ranges and no fallback allowed;
 * -EINVAL: malformed file or overlapping ranges; -E2BIG: too many lines)
 */
int userns_plan(const struct userns_opts *opts, struct userns_maps *maps,
		char *err, size_t errlen);

/**
 * userns_plan_ids() - userns_plan() for given IDs and files, printing nothing
 * @opts:	mode, fallback policy and holder lifetime (quiet is ignored)
 * @uid:	the user's UID
 * @gid:	the user's primary GID
 * @name:	the user's login name, or NULL to match by UID only
 * @subuid:	path of the subuid file ("/etc/subuid")
 * @subgid:	path of the subgid file ("/etc/subgid")
 * @maps:	result
 * @err:	reason on failure, or the fallback notice (see userns_plan())
 * @errlen:	size of @err
 *
 * Return: 0, or -errno as userns_plan()
 */
int userns_plan_ids(const struct userns_opts *opts, unsigned long uid,
		    unsigned long gid, const char *name, const char *subuid,
		    const char *subgid, struct userns_maps *maps,
		    char *err, size_t errlen);

/**
 * userns_format_map() - format map lines exactly as /proc/PID/uid_map shows them
 * @map:	lines
 * @n:		number of lines
 * @buf:	output, NUL-terminated ("%10lu %10lu %10lu\n" per line)
 * @len:	size of @buf
 *
 * Return: length written, or -ENOSPC if @buf is too small
 */
int userns_format_map(const struct userns_map *map, size_t n, char *buf,
		      size_t len);

/**
 * userns_create() - fork a holder process in a new user namespace with @maps
 *		     written (newuidmap/newgidmap, or directly for single-ID)
 * @maps:	from userns_plan(); @maps->hold says how long the holder lives
 * @holder:	out: PID of the holder; it keeps the namespace alive as
 *		described at enum userns_hold (see also userns_release())
 * @err:	reason on failure (names newuidmap's own message, "newuidmap
 *		missing or not setuid", "user namespaces disabled (...)")
 * @errlen:	size of @err
 *
 * The system newuidmap/newgidmap (first in PATH, else /usr/bin) write a side
 * whose map is more than the caller's own ID; a single own-ID side, and any
 * side when the caller is root, is written directly (gid side of an
 * unprivileged caller: "deny" to /proc/HOLDER/setgroups first).  Both sides
 * are written concurrently.  Safe to call from a multi-threaded process.
 *
 * Return: an fd for the namespace (/proc/HOLDER/ns/user, O_CLOEXEC), or -errno
 */
int userns_create(const struct userns_maps *maps, pid_t *holder,
		  char *err, size_t errlen);

/**
 * userns_release() - stop a holder made by userns_create(), and reap it if it
 *		      is the caller's child (USERNS_HOLD_PARENT)
 * @holder:	PID from userns_create(); <= 0 is ignored
 *
 * The namespace itself lives on while any process or fd still refers to it.
 */
void userns_release(pid_t holder);

#endif /* BURROW_USERNS_H */
