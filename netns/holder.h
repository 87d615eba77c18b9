/* SPDX-License-Identifier: GPL-2.0-or-later
 * holder.h - the process that keeps a rootless network namespace alive
 *
 * A rootless caller cannot bind-mount a namespace in the real mount
 * namespace, so a small detached process (double-forked, own session, stdio
 * on /dev/null, no other fds) sits in the namespace until it is killed.
 */
#ifndef NETNS_HOLDER_H
#define NETNS_HOLDER_H

#include <stddef.h>
#include <sys/types.h>

/**
 * holder_spawn() - start a holder in a new network namespace, inside the user
 *		    namespace behind @userns_fd (or the caller's if -1), with
 *		    loopback up
 * @userns_fd:	user namespace to join first, or -1
 * @pid:	out: holder PID
 * @start:	out: holder start time (see proc_start_time())
 * @err:	reason on failure ("setns(user namespace): Operation not permitted")
 * @errlen:	size of @err
 *
 * Return: 0 once the namespace is ready, or -errno
 */
int holder_spawn(int userns_fd, pid_t *pid, unsigned long long *start,
		 char *err, size_t errlen);

/**
 * holder_stop() - kill the holder @pid if it still is the one started at
 *		   @start, and wait (up to @timeout_ms) until it has exited
 * @pid:	holder PID
 * @start:	its recorded start time
 * @timeout_ms:	how long to wait for the exit
 *
 * Return: 0 (also when it was already gone), -ETIMEDOUT, or -errno from kill()
 */
int holder_stop(pid_t pid, unsigned long long start, int timeout_ms);

#endif /* NETNS_HOLDER_H */
