/* SPDX-License-Identifier: GPL-2.0-or-later
 * receiver.h - take the seccomp listener from the OCI runtime: a unix socket
 * at the config's linux.seccomp.listenerPath, to which the runtime connects
 * and sends the listener with SCM_RIGHTS and the container's state (JSON)
 */
#ifndef BURROW_BYPASS_RECEIVER_H
#define BURROW_BYPASS_RECEIVER_H

#include <stddef.h>
#include <sys/types.h>

/**
 * receiver_open() - listen on @path (mode 0600; a stale socket file there is
 *		     replaced)
 * @path:	absolute path
 *
 * Return: listening socket, or -errno
 */
int receiver_open(const char *path);

/**
 * receiver_take() - wait up to @timeout_ms for the runtime and take its listener
 * @sock:	from receiver_open()
 * @timeout_ms:	how long to wait (-1: forever)
 * @pid:	out: the container's PID from the state, 0 if none was given
 *
 * A connection that brings no descriptor, or one that is not a seccomp
 * listener, is dropped and the wait goes on.
 * Return: the listener, -ETIMEDOUT, or -errno
 */
int receiver_take(int sock, int timeout_ms, pid_t *pid);

/**
 * receiver_accept() - take the listener of one waiting connection (an exec
 *		       session of the same container brings its own)
 * @sock:	from receiver_open(), readable
 * @pid:	out: PID from the state, 0 if none
 *
 * Return: the listener, or -errno
 */
int receiver_accept(int sock, pid_t *pid);

#endif /* BURROW_BYPASS_RECEIVER_H */
