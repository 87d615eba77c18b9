// SPDX-License-Identifier: GPL-2.0-or-later
/* nswatch.c - notice the removal of the target namespace's file */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "nswatch.h"

static char watched_name[NAME_MAX + 1];

int nswatch_init(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct stat st;
	int fd;

	if (stat(path, &st))
		return -errno;
	if (!slash) {
		snprintf(dir, sizeof(dir), ".");
		slash = path - 1;
	} else if (slash == path) {
		snprintf(dir, sizeof(dir), "/");
	} else if ((size_t)(slash - path) >= sizeof(dir)) {
		return -ENAMETOOLONG;
	} else {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	}
	if (strlen(slash + 1) >= sizeof(watched_name))
		return -ENAMETOOLONG;
	strcpy(watched_name, slash + 1);
	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (inotify_add_watch(fd, dir, IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF |
			      IN_MOVE_SELF) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

int nswatch_event(int fd)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		const char *p = buf;

		while (p + sizeof(struct inotify_event) <= buf + n) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED))
				return 1;
			if (ev->len && !strcmp(ev->name, watched_name))
				return 1;
			p += sizeof(*ev) + ev->len;
		}
	}
	return 0;
}
