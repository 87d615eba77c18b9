// SPDX-License-Identifier: GPL-2.0-or-later
/* state.c - names and records of burrow network namespaces */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cleanup.h"
#include "file.h"
#include "name.h"
#include "proc.h"
#include "state.h"
#include "statedir.h"

/**
 * state_format() - the text of a rootless record file
 * @pid:	holder PID
 * @start:	holder start time
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: length written, or -ENOSPC
 */
int state_format(pid_t pid, unsigned long long start, char *buf, size_t len)
{
	int n = snprintf(buf, len, "mode=rootless\npid=%d\nstart=%llu\n", (int)pid, start);

	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return n;
}

/**
 * state_parse() - parse the text of a rootless record file
 * @text:	NUL-terminated contents
 * @pid:	holder PID out
 * @start:	holder start time out
 *
 * Return: 0, or -EINVAL
 */
int state_parse(const char *text, pid_t *pid, unsigned long long *start)
{
	int have_pid = 0, have_start = 0;
	const char *line = text;

	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t n = eol ? (size_t)(eol - line) : strlen(line);
		char val[32], *end;

		if (n > 4 && !strncmp(line, "pid=", 4) && n - 4 < sizeof(val)) {
			long v;

			memcpy(val, line + 4, n - 4);
			val[n - 4] = '\0';
			errno = 0;
			v = strtol(val, &end, 10);
			if (errno || *end || v <= 1 || v > INT32_MAX)
				return -EINVAL;
			*pid = (pid_t)v;
			have_pid = 1;
		} else if (n > 6 && !strncmp(line, "start=", 6) && n - 6 < sizeof(val)) {
			memcpy(val, line + 6, n - 6);
			val[n - 6] = '\0';
			if (val[0] < '0' || val[0] > '9')
				return -EINVAL;
			errno = 0;
			*start = strtoull(val, &end, 10);
			if (errno || *end)
				return -EINVAL;
			have_start = 1;
		}
		line = eol ? eol + 1 : NULL;
	}
	return have_pid && have_start ? 0 : -EINVAL;
}

/**
 * state_dir() - STATEDIR/netns, created if missing
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: 0, or -errno
 */
int state_dir(char *buf, size_t len)
{
	return statedir_path("netns", buf, len);
}

/* STATEDIR/netns/@name */
static int state_file(const char *name, char *buf, size_t len)
{
	char dir[PATH_MAX];
	int ret;

	if (!name_valid(name, NETNS_NAME_MAX + 1))
		return -EINVAL;
	ret = state_dir(dir, sizeof(dir));
	if (ret < 0)
		return ret;
	if ((size_t)snprintf(buf, len, "%s/%s", dir, name) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/**
 * state_write() - record the holder of rootless namespace @name
 * @name:	namespace name
 * @pid:	holder PID
 * @start:	holder start time
 *
 * The record is written to a temporary file and renamed, so a reader never
 * sees half of it (the temporary name starts with a dot, which no namespace
 * name does).
 *
 * Return: 0, or -errno (-EEXIST if a record exists)
 */
int state_write(const char *name, pid_t pid, unsigned long long start)
{
	char dir[PATH_MAX], path[PATH_MAX + NETNS_NAME_MAX + 2];
	char tmp[PATH_MAX + NETNS_NAME_MAX + 8], text[128];
	_cleanup_close_ int fd = -1;
	int len, ret;

	if (!name_valid(name, NETNS_NAME_MAX + 1))
		return -EINVAL;
	ret = state_dir(dir, sizeof(dir));
	if (ret < 0)
		return ret;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (access(path, F_OK) == 0)
		return -EEXIST;
	len = state_format(pid, start, text, sizeof(text));
	if (len < 0)
		return len;
	/* a leading dot keeps it out of listings */
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, text, (size_t)len) != len || fsync(fd) < 0) {
		ret = errno ? -errno : -EIO;
		unlink(tmp);
		return ret;
	}
	if (rename(tmp, path) < 0) {
		ret = -errno;
		unlink(tmp);
		return ret;
	}
	return 0;
}

/**
 * state_remove() - remove the record of @name
 * @name:	namespace name
 *
 * Return: 0, or -errno (-ENOENT if none)
 */
int state_remove(const char *name)
{
	char path[PATH_MAX];
	int ret;

	ret = state_file(name, path, sizeof(path));
	if (ret < 0)
		return ret;
	if (unlink(path) < 0)
		return -errno;
	return 0;
}

/* Fill @rec from the rootless record file @path */
static int state_read_rootless(const char *name, const char *path, struct netns_rec *rec)
{
	char text[256];
	long n = file_read_text(path, text, sizeof(text));
	int ret;

	if (n < 0)
		return (int)n;
	memset(rec, 0, sizeof(*rec));
	snprintf(rec->name, sizeof(rec->name), "%s", name);
	rec->mode = NETNS_ROOTLESS;
	ret = state_parse(text, &rec->pid, &rec->start);
	if (ret < 0)
		return ret;
	rec->alive = proc_alive(rec->pid, rec->start);
	snprintf(rec->path, sizeof(rec->path), "/proc/%d/ns/net", (int)rec->pid);
	snprintf(rec->userns, sizeof(rec->userns), "/proc/%d/ns/user", (int)rec->pid);
	return 0;
}

/* Fill @rec for the rootful namespace /run/netns/@name */
static int state_read_rootful(const char *name, struct netns_rec *rec)
{
	struct statfs sf;
	struct stat st;

	memset(rec, 0, sizeof(*rec));
	snprintf(rec->name, sizeof(rec->name), "%s", name);
	snprintf(rec->path, sizeof(rec->path), NETNS_RUN_DIR "/%s", name);
	if (lstat(rec->path, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -ENOENT;
	rec->mode = NETNS_ROOTFUL;
	/* a namespace is bound there; a plain file is what a create killed
	 * between making the mount point and mounting on it leaves */
	rec->alive = statfs(rec->path, &sf) == 0 && sf.f_type == NSFS_MAGIC;
	return 0;
}

/**
 * state_lookup() - find namespace @name: a rootless record first, then (when
 *		    running rootful) /run/netns/NAME
 * @name:	namespace name
 * @rec:	filled on success
 *
 * Return: 0, -ENOENT if there is no such namespace, or -errno
 */
int state_lookup(const char *name, struct netns_rec *rec)
{
	char path[PATH_MAX];
	int ret;

	ret = state_file(name, path, sizeof(path));
	if (ret < 0)
		return ret;
	ret = state_read_rootless(name, path, rec);
	if (ret != -ENOENT)
		return ret;
	if (rootless())
		return -ENOENT;
	return state_read_rootful(name, rec);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted valid names in @dir (regular files only); *n set; caller frees */
static int names_in(const char *dir, char ***out, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	*out = NULL;
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (!name_valid(de->d_name, NETNS_NAME_MAX + 1))
			continue;
		if (*n == cap) {
			char **nv = realloc(v, (cap ? cap * 2 : 16) * sizeof(*v));

			if (!nv)
				goto nomem;
			v = nv;
			cap = cap ? cap * 2 : 16;
		}
		v[*n] = strdup(de->d_name);
		if (!v[*n])
			goto nomem;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof(*v), name_cmp);
	*out = v;
	return 0;
nomem:
	closedir(d);
	while (*n)
		free(v[--(*n)]);
	free(v);
	return -ENOMEM;
}

static void names_free(char **v, size_t n)
{
	while (n)
		free(v[--n]);
	free(v);
}

/**
 * state_list() - every namespace this caller can see, rootless records then
 *		  (rootful) /run/netns entries, each sorted by name
 * @cb:		called for each; a non-zero return stops the walk
 * @data:	passed to @cb
 *
 * Return: 0, or -errno
 */
int state_list(int (*cb)(const struct netns_rec *rec, void *data), void *data)
{
	char dir[PATH_MAX], path[PATH_MAX * 2];
	struct netns_rec rec;
	char **v;
	size_t n, i;
	int ret, stop = 0;

	ret = state_dir(dir, sizeof(dir));
	if (ret < 0)
		return ret;
	ret = names_in(dir, &v, &n);
	if (ret < 0)
		return ret;
	for (i = 0; i < n && !stop; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, v[i]);
		if (state_read_rootless(v[i], path, &rec) == 0)
			stop = cb(&rec, data);
	}
	names_free(v, n);
	if (stop || rootless())
		return 0;

	ret = names_in(NETNS_RUN_DIR, &v, &n);
	if (ret < 0)
		return ret;
	for (i = 0; i < n && !stop; i++)
		if (state_read_rootful(v[i], &rec) == 0)
			stop = cb(&rec, data);
	names_free(v, n);
	return 0;
}
