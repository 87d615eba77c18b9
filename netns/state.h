/* SPDX-License-Identifier: GPL-2.0-or-later
 * state.h - names and records of burrow network namespaces
 *
 * Rootful namespaces are bind mounts /run/netns/NAME (as iproute2 makes
 * them); rootless ones are held by a holder process whose PID and start time
 * are recorded in STATEDIR/netns/NAME, so that a reused PID is not mistaken
 * for the holder.
 */
#ifndef NETNS_STATE_H
#define NETNS_STATE_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#define NETNS_RUN_DIR	"/run/netns"
#define NETNS_NAME_MAX	64

enum netns_mode { NETNS_ROOTFUL = 1, NETNS_ROOTLESS };

/* One namespace as found on disk */
struct netns_rec {
	char name[NETNS_NAME_MAX + 1];
	enum netns_mode mode;
	pid_t pid;			/* rootless: holder */
	unsigned long long start;	/* rootless: holder start time (clock ticks) */
	int alive;			/* rootful: a namespace is mounted on the
					 * path; rootless: the holder runs */
	char path[PATH_MAX];		/* usable with setns() */
	char userns[PATH_MAX];		/* rootless: the holder's user namespace */
};

/**
 * state_format() - the text of a rootless record file
 * @pid:	holder PID
 * @start:	holder start time
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: length written, or -ENOSPC
 */
int state_format(pid_t pid, unsigned long long start, char *buf, size_t len);

/**
 * state_parse() - parse the text of a rootless record file
 * @text:	NUL-terminated contents
 * @pid:	holder PID out
 * @start:	holder start time out
 *
 * Return: 0, or -EINVAL
 */
int state_parse(const char *text, pid_t *pid, unsigned long long *start);

/**
 * state_dir() - STATEDIR/netns, created if missing
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: 0, or -errno
 */
int state_dir(char *buf, size_t len);

/**
 * state_write() - record the holder of rootless namespace @name
 * @name:	namespace name
 * @pid:	holder PID
 * @start:	holder start time
 *
 * Return: 0, or -errno (-EEXIST if a record exists)
 */
int state_write(const char *name, pid_t pid, unsigned long long start);

/**
 * state_remove() - remove the record of @name
 * @name:	namespace name
 *
 * Return: 0, or -errno (-ENOENT if none)
 */
int state_remove(const char *name);

/**
 * state_lookup() - find namespace @name: a rootless record first, then (when
 *		    running rootful) /run/netns/NAME
 * @name:	namespace name
 * @rec:	filled on success
 *
 * Return: 0, -ENOENT if there is no such namespace, or -errno
 */
int state_lookup(const char *name, struct netns_rec *rec);

/**
 * state_list() - every namespace this caller can see, rootless records then
 *		  (rootful) /run/netns entries, each sorted by name
 * @cb:		called for each; a non-zero return stops the walk
 * @data:	passed to @cb
 *
 * Return: 0, or -errno
 */
int state_list(int (*cb)(const struct netns_rec *rec, void *data), void *data);

#endif /* NETNS_STATE_H */
