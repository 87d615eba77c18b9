// SPDX-License-Identifier: GPL-2.0-or-later
/* ns.c - namespace helpers: open, enter, compare, keep alive by bind mount */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "ns.h"

/**
 * ns_open_pid() - open /proc/@pid/ns/@type read-only, close-on-exec
 * @pid:	process (0 for self)
 * @type:	"net", "user", "mnt", ...
 *
 * Return: fd, or -errno (logged with the path)
 */
int ns_open_pid(pid_t pid, const char *type)
{
	char path[PATH_MAX];
	int fd;

	if (pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, type);
	else
		snprintf(path, sizeof(path), "/proc/self/ns/%s", type);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int ret = -errno;

		err("open(%s): %s", path, strerror(-ret));
		return ret;
	}
	return fd;
}

/**
 * ns_enter_fd() - setns() into the namespace behind @fd
 * @fd:		namespace fd
 * @nstype:	CLONE_NEWNET, CLONE_NEWUSER, ... or 0 for any
 * @what:	name for the error message (a path)
 *
 * Return: 0, or -errno; logs "setns(WHAT): reason"
 */
int ns_enter_fd(int fd, int nstype, const char *what)
{
	if (setns(fd, nstype) < 0) {
		int ret = -errno;

		err("setns(%s): %s", what ? what : "fd", strerror(-ret));
		return ret;
	}
	return 0;
}

/**
 * ns_enter_path() - open @path and setns() into it
 * @path:	e.g. /run/netns/NAME or /proc/42/ns/net
 * @nstype:	CLONE_NEWNET, ...
 *
 * Return: 0, or -errno; logs "open(PATH)" or "setns(PATH)" with the reason
 */
int ns_enter_path(const char *path, int nstype)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		int ret = -errno;

		err("open(%s): %s", path, strerror(-ret));
		return ret;
	}
	return ns_enter_fd(fd, nstype, path);
}

/**
 * ns_bind() - keep the namespace behind @src alive by bind-mounting it on @target
 * @src:	e.g. /proc/self/ns/net
 * @target:	file to create (0444) and mount over
 *
 * Return: 0, or -errno (the created file is removed on failure)
 */
int ns_bind(const char *src, const char *target)
{
	int fd, ret;

	fd = open(target, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0)
		return -errno;
	close(fd);
	if (mount(src, target, "none", MS_BIND, NULL) < 0) {
		ret = -errno;
		unlink(target);
		return ret;
	}
	return 0;
}

/**
 * ns_unbind() - lazy-unmount and remove a file made by ns_bind()
 * @target:	the bind target
 *
 * Return: 0, or -errno (-ENOENT if it did not exist)
 */
int ns_unbind(const char *target)
{
	struct stat st;

	if (lstat(target, &st) < 0)
		return -errno;
	/* EINVAL: not a mount point (half-made, or already unmounted) */
	if (umount2(target, MNT_DETACH) < 0 && errno != EINVAL)
		return -errno;
	if (unlink(target) < 0)
		return -errno;
	return 0;
}

/**
 * ns_same() - whether two namespace fds refer to the same namespace
 * @fd_a:	namespace fd
 * @fd_b:	namespace fd
 *
 * Return: 1 same, 0 different, -errno on fstat failure
 */
int ns_same(int fd_a, int fd_b)
{
	struct stat a, b;

	if (fstat(fd_a, &a) < 0 || fstat(fd_b, &b) < 0)
		return -errno;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/**
 * ns_rundir_prepare() - create @dir (0755) and make it a shared mount point,
 *			 the way iproute2 prepares /run/netns, so that bind
 *			 mounts below it propagate to every mount namespace
 * @dir:	e.g. /run/netns
 *
 * Return: 0, or -errno
 */
int ns_rundir_prepare(const char *dir)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	for (int tries = 0; tries < 2; tries++) {
		if (mount("", dir, "none", MS_SHARED | MS_REC, NULL) == 0)
			return 0;
		/* EINVAL: not a mount point yet; bind it onto itself first */
		if (errno != EINVAL || tries)
			return -errno;
		if (mount(dir, dir, "none", MS_BIND | MS_REC, NULL) < 0)
			return -errno;
	}
	return -EINVAL;
}
