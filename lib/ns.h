/* SPDX-License-Identifier: GPL-2.0-or-later
 * ns.h - namespace helpers: open, enter, keep alive by bind mount
 */
#ifndef BURROW_NS_H
#define BURROW_NS_H

#include <sys/types.h>

/**
 * ns_open_pid() - open /proc/@pid/ns/@type read-only, close-on-exec
 * @pid:	process (0 for self)
 * @type:	"net", "user", "mnt", ...
 *
 * Return: fd, or -errno (logged with the path)
 */
int ns_open_pid(pid_t pid, const char *type);

/**
 * ns_enter_fd() - setns() into the namespace behind @fd
 * @fd:		namespace fd
 * @nstype:	CLONE_NEWNET, CLONE_NEWUSER, ... or 0 for any
 * @what:	name for the error message (a path)
 *
 * Return: 0, or -errno; logs "setns(WHAT): reason"
 */
int ns_enter_fd(int fd, int nstype, const char *what);

/**
 * ns_enter_path() - open @path and setns() into it
 * @path:	e.g. /run/netns/NAME or /proc/42/ns/net
 * @nstype:	CLONE_NEWNET, ...
 *
 * Return: 0, or -errno; logs "open(PATH)" or "setns(PATH)" with the reason
 */
int ns_enter_path(const char *path, int nstype);

/**
 * ns_bind() - keep the namespace behind @src alive by bind-mounting it on @target
 * @src:	e.g. /proc/self/ns/net
 * @target:	file to create (0444) and mount over
 *
 * Return: 0, or -errno (the created file is removed on failure)
 */
int ns_bind(const char *src, const char *target);

/**
 * ns_unbind() - lazy-unmount and remove a file made by ns_bind()
 * @target:	the bind target
 *
 * Return: 0, or -errno (-ENOENT if it did not exist)
 */
int ns_unbind(const char *target);

/**
 * ns_same() - whether two namespace fds refer to the same namespace
 *
 * Return: 1 same, 0 different, -errno on fstat failure
 */
int ns_same(int fd_a, int fd_b);

/**
 * ns_rundir_prepare() - create @dir (0755) and make it a shared mount point,
 *			 as iproute2 does for /run/netns, so that bind mounts
 *			 below it show in every mount namespace
 * @dir:	e.g. /run/netns
 *
 * Return: 0, or -errno
 */
int ns_rundir_prepare(const char *dir);

#endif /* BURROW_NS_H */
