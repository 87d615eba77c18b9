/* SPDX-License-Identifier: GPL-2.0-or-later
 * statedir.h - where burrow keeps state: $XDG_RUNTIME_DIR/burrow rootless,
 * /run/burrow rootful; mode 0700, owned by the caller
 */
#ifndef BURROW_STATEDIR_H
#define BURROW_STATEDIR_H

#include <stddef.h>
#include <sys/types.h>

/**
 * statedir_root() - the state root for this caller, created if missing
 * @buf:	output path
 * @len:	size of @buf
 *
 * Rootful (euid 0 and BURROW_ROOTLESS not "1"): /run/burrow.  Rootless:
 * $XDG_RUNTIME_DIR/burrow, else /run/user/UID/burrow if that exists and is
 * ours, else /tmp/burrow-UID (checked to be ours and 0700).
 * $BURROW_STATE_DIR overrides all of these (tests use it).  A relative
 * $XDG_RUNTIME_DIR is ignored.  The root must be a real folder (not a
 * symlink) owned by the caller; group/other access on it is removed.
 *
 * Return: 0, or -errno (e.g. -EPERM if an existing folder is not ours)
 */
int statedir_root(char *buf, size_t len);

/**
 * statedir_path() - statedir_root() + "/" + @sub, created (0700) if missing
 * @sub:	relative path, e.g. "netns" or "containers/ID"; may contain '/'
 *		but no "." or ".." or empty components (-EINVAL)
 * @buf:	output path
 * @len:	size of @buf
 *
 * Return: 0, or -errno
 */
int statedir_path(const char *sub, char *buf, size_t len);

/**
 * statedir_lock() - take the exclusive lock of a state folder, waiting for it
 * @sub:	folder under the state root, as for statedir_path() ("netns")
 *
 * The lock is the file ".lock" inside the folder; every program that changes
 * records in that folder takes it first.
 *
 * Return: the lock fd (release with lock_release()), or -errno
 */
int statedir_lock(const char *sub);

/**
 * mkdir_p() - create @path and its parents with @mode; existing folders are fine
 *
 * Return: 0, or -errno
 */
int mkdir_p(const char *path, mode_t mode);

/**
 * rootless() - non-zero when burrow runs rootless (euid != 0, or BURROW_ROOTLESS=1)
 */
int rootless(void);

#endif /* BURROW_STATEDIR_H */
