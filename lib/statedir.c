// SPDX-License-Identifier: GPL-2.0-or-later
/* statedir.c - where burrow keeps state, created private to the caller */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lock.h"
#include "log.h"
#include "statedir.h"

/**
 * rootless() - non-zero when burrow runs rootless (euid != 0, or BURROW_ROOTLESS=1)
 *
 * Return: non-zero if rootless
 */
int rootless(void)
{
	const char *env = getenv("BURROW_ROOTLESS");

	return geteuid() != 0 || (env && !strcmp(env, "1"));
}

/* Create one folder; an existing folder is fine, anything else is -ENOTDIR */
static int mkdir_one(const char *path, mode_t mode)
{
	struct stat st;

	if (!mkdir(path, mode))
		return 0;
	if (errno != EEXIST)
		return -errno;
	if (stat(path, &st))
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/**
 * mkdir_p() - create @path and its parents with @mode; existing folders are fine
 * @path:	folder to create
 * @mode:	mode of every folder created (existing ones are left alone)
 *
 * Return: 0, or -errno
 */
int mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t len = strnlen(path, sizeof(buf));
	char *p;
	int rc;

	if (!len)
		return -EINVAL;
	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (p = buf + 1; *p; p++) {
		if (*p != '/' || p[-1] == '/')
			continue;
		*p = '\0';
		rc = mkdir_one(buf, mode);
		*p = '/';
		if (rc)
			return rc;
	}
	return mkdir_one(buf, mode);
}

/* Create @path (0700) if missing; it must be a real folder owned by us.
 * If @private, also refuse or fix group/other access. */
static int own_dir(const char *path, int private)
{
	struct stat st;
	int rc;

	rc = mkdir_p(path, 0700);
	if (rc) {
		err("mkdir(%s): %s", path, strerror(-rc));
		return rc;
	}
	if (lstat(path, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode)) {
		err("%s: not a folder", path);
		return -ENOTDIR;
	}
	if (st.st_uid != geteuid()) {
		err("%s: owned by uid %u, not by us (uid %u)", path,
		    (unsigned)st.st_uid, (unsigned)geteuid());
		return -EPERM;
	}
	if (private && (st.st_mode & 077) && chmod(path, 0700)) {
		rc = -errno;
		err("chmod(%s): %s", path, strerror(errno));
		return rc;
	}
	return 0;
}

/* Copy "@a@b" into @buf, or -ENAMETOOLONG */
static int path_join(char *buf, size_t len, const char *a, const char *b)
{
	int n = snprintf(buf, len, "%s%s", a, b);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Whether @path exists as a folder owned by us */
static int ours(const char *path)
{
	struct stat st;

	return !lstat(path, &st) && S_ISDIR(st.st_mode) && st.st_uid == geteuid();
}

/**
 * statedir_root() - the state root for this caller, created if missing
 * @buf:	output path
 * @len:	size of @buf
 *
 * Return: 0, or -errno (e.g. -EPERM if an existing folder is not ours)
 */
int statedir_root(char *buf, size_t len)
{
	const char *env = getenv("BURROW_STATE_DIR");
	char run_user[64];
	int rc;

	if (env && *env)
		rc = path_join(buf, len, env, "");
	else if (!rootless())
		rc = path_join(buf, len, "/run/burrow", "");
	else if ((env = getenv("XDG_RUNTIME_DIR")) && env[0] == '/')
		rc = path_join(buf, len, env, "/burrow");
	else {
		snprintf(run_user, sizeof(run_user), "/run/user/%u", (unsigned)geteuid());
		if (ours(run_user))
			rc = path_join(buf, len, run_user, "/burrow");
		else
			rc = snprintf(buf, len, "/tmp/burrow-%u", (unsigned)geteuid()) >= (int)len ?
			     -ENAMETOOLONG : 0;
	}
	if (rc)
		return rc;
	return own_dir(buf, 1);
}

/* Whether @sub is a relative path without "." or ".." components */
static int sub_ok(const char *sub)
{
	const char *p = sub, *end;

	if (!*sub || *sub == '/' || sub[strlen(sub) - 1] == '/')
		return 0;
	for (; *p; p = *end ? end + 1 : end) {
		size_t n;

		end = strchrnul(p, '/');
		n = (size_t)(end - p);
		if (!n || (n == 1 && p[0] == '.') || (n == 2 && !strncmp(p, "..", 2)))
			return 0;
	}
	return 1;
}

/**
 * statedir_path() - statedir_root() + "/" + @sub, created (0700) if missing
 * @sub:	relative path, e.g. "netns" or "containers/ID"; may contain '/',
 *		never "." or ".." components, empty components or a leading '/'
 * @buf:	output path
 * @len:	size of @buf
 *
 * Return: 0, or -errno (-EINVAL for a bad @sub)
 */
int statedir_path(const char *sub, char *buf, size_t len)
{
	char root[PATH_MAX];
	int n, rc;

	if (!sub_ok(sub))
		return -EINVAL;
	rc = statedir_root(root, sizeof(root));
	if (rc)
		return rc;
	n = snprintf(buf, len, "%s/%s", root, sub);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	rc = mkdir_p(buf, 0700);
	if (rc)
		err("mkdir(%s): %s", buf, strerror(-rc));
	return rc;
}

int statedir_lock(const char *sub)
{
	char dir[PATH_MAX], path[PATH_MAX + 8];
	int rc = statedir_path(sub, dir, sizeof(dir));

	if (rc < 0)
		return rc;
	snprintf(path, sizeof(path), "%s/.lock", dir);
	return lock_acquire(path, 1, 1);
}
