/* SPDX-License-Identifier: GPL-2.0-or-later
 * inuse.h - which processes use a network namespace
 */
#ifndef NETNS_INUSE_H
#define NETNS_INUSE_H

#include <stddef.h>
#include <sys/types.h>

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
int inuse_scan(const char *nspath, pid_t exclude, pid_t *pids, size_t max);

/**
 * inuse_comm() - the command name of @pid, or "?"
 * @pid:	process
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: @buf
 */
const char *inuse_comm(pid_t pid, char *buf, size_t len);

#endif /* NETNS_INUSE_H */
