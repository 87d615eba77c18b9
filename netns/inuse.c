// SPDX-License-Identifier: GPL-2.0-or-later
/* inuse.c - which processes use a network namespace */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "file.h"
#include "inuse.h"

/* Whether /proc/@pid has an open fd on the namespace inode @target (stat()
 * follows the fd's magic link to the inode without opening anything; a
 * readlink() would show a bind-mount path instead of "net:[INO]") */
static int fd_holds(pid_t pid, const struct stat *target)
{
	char dir[64], link[64 + 256];
	struct dirent *de;
	struct stat st;
	int found = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	d = opendir(dir);
	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "%s/%s", dir, de->d_name);
		found = stat(link, &st) == 0 && st.st_dev == target->st_dev &&
			st.st_ino == target->st_ino;
	}
	closedir(d);
	return found;
}

/**
 * inuse_scan() - find processes whose network namespace is the one behind
 *		  @nspath, or that hold an fd to it
 * @nspath:	/run/netns/NAME or /proc/PID/ns/net
 * @exclude:	a PID not to count (the holder), or 0
 * @pids:	out: up to @max PIDs
 * @max:	size of @pids
 *
 * Processes this caller may not inspect are skipped.
 *
 * Return: the number found (may exceed @max), or -errno if @nspath is unusable
 */
int inuse_scan(const char *nspath, pid_t exclude, pid_t *pids, size_t max)
{
	struct stat target, st;
	struct dirent *de;
	pid_t self = getpid();
	int count = 0;
	DIR *d;

	if (stat(nspath, &target) < 0)
		return -errno;
	d = opendir("/proc");
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char path[64], *end;
		long v = strtol(de->d_name, &end, 10);
		pid_t pid;
		int hit;

		if (*end || v <= 0)
			continue;
		pid = (pid_t)v;
		if (pid == self || pid == exclude)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
		hit = stat(path, &st) == 0 && st.st_dev == target.st_dev &&
		      st.st_ino == target.st_ino;
		if (!hit)
			hit = fd_holds(pid, &target);
		if (!hit)
			continue;
		if ((size_t)count < max)
			pids[count] = pid;
		count++;
	}
	closedir(d);
	return count;
}

/**
 * inuse_comm() - the command name of @pid, or "?"
 * @pid:	process
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: @buf
 */
const char *inuse_comm(pid_t pid, char *buf, size_t len)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	if (len < 2 || file_read_text(path, buf, len) <= 0) {
		snprintf(buf, len, "?");
		return buf;
	}
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}
