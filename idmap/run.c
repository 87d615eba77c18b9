// SPDX-License-Identifier: GPL-2.0-or-later
/* run.c - burrow-idmap's actions: --show, and running a command */

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "run.h"

/* Print one side of the maps; return 0 or -errno. */
static int show_side(const char *title, const struct userns_map *m, size_t n)
{
	char buf[USERNS_MAX_LINES * 34 + 1];

	if (userns_format_map(m, n, buf, sizeof(buf)) < 0)
		return -ENOSPC;
	if (title)
		printf("%s\n", title);
	fputs(buf, stdout);
	return 0;
}

int idmap_show(const struct userns_opts *opts, enum idmap_show which)
{
	_cleanup_free_ struct userns_maps *maps = malloc(sizeof(*maps));
	char msg[1024];
	int ret = 0;

	if (!maps) {
		err("out of memory");
		return IDMAP_EXIT_ERROR;
	}
	if (userns_plan(opts, maps, msg, sizeof(msg)) < 0) {
		err("%s", msg);
		return IDMAP_EXIT_ERROR;
	}
	if (which != IDMAP_SHOW_GID)
		ret = show_side(which == IDMAP_SHOW_BOTH ? "uid_map:" : NULL,
				maps->uid, maps->nuid);
	if (!ret && which != IDMAP_SHOW_UID)
		ret = show_side(which == IDMAP_SHOW_BOTH ? "gid_map:" : NULL,
				maps->gid, maps->ngid);
	if (fflush(stdout) == EOF || ferror(stdout) || ret) {
		err("writing the maps to stdout: %s", strerror(ret ? -ret : errno));
		return IDMAP_EXIT_ERROR;
	}
	return 0;
}

int idmap_exec(const struct userns_opts *opts, char *const argv[])
{
	_cleanup_free_ struct userns_maps *maps = malloc(sizeof(*maps));
	_cleanup_close_ int nsfd = -1;
	char msg[1024];
	pid_t holder;
	int e;

	if (!maps) {
		err("out of memory");
		return IDMAP_EXIT_ERROR;
	}
	if (userns_plan(opts, maps, msg, sizeof(msg)) < 0) {
		err("%s", msg);
		return IDMAP_EXIT_ERROR;
	}
	nsfd = userns_create(maps, &holder, msg, sizeof(msg));
	if (nsfd < 0) {
		err("%s", msg);
		return IDMAP_EXIT_ERROR;
	}
	if (setns(nsfd, CLONE_NEWUSER) < 0) {
		err("setns(/proc/%d/ns/user): %s", (int)holder, strerror(errno));
		userns_release(holder);
		return IDMAP_EXIT_ERROR;
	}
	/* we are in the namespace now and keep it alive ourselves */
	userns_release(holder);
	close(take_fd(&nsfd));
	fflush(NULL);
	execvp(argv[0], argv);
	e = errno;
	err("execvp(%s): %s", argv[0], strerror(e));
	return e == ENOENT ? IDMAP_EXIT_NOT_FOUND : IDMAP_EXIT_CANNOT_EXEC;
}
