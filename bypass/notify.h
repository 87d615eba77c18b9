/* SPDX-License-Identifier: GPL-2.0-or-later
 * notify.h - seccomp user notification: receive, check, answer, and reach
 * into the calling thread (its memory and its descriptors)
 *
 * Everything read from the container is untrusted: reads are bounded and
 * may come back short; a notification may go stale at any moment (the
 * thread was signalled or killed), so notify_valid() is checked after the
 * container's memory was read and before anything is done for it.
 */
#ifndef BURROW_BYPASS_NOTIFY_H
#define BURROW_BYPASS_NOTIFY_H

#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/**
 * notify_sync_wakeup() - ask the kernel to switch straight between the
 * waiting thread and us on one CPU (SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP)
 * @lfd:	listener
 *
 * Linux 6.6 and later; older kernels answer EINVAL and keep the usual
 * wake-ups.
 * Return: 0, or -errno
 */
int notify_sync_wakeup(int lfd);

/**
 * notify_recv() - the next notification
 * @lfd:	seccomp listener
 * @n:		result
 *
 * Return: 0, -ENOENT (the thread went away before we read it; try again),
 * or -errno
 */
int notify_recv(int lfd, struct seccomp_notif *n);

/**
 * notify_valid() - whether notification @id still waits for an answer
 * @lfd:	seccomp listener
 * @id:		notification id
 *
 * Return: 1 or 0
 */
int notify_valid(int lfd, uint64_t id);

/**
 * notify_continue() - let the call run as the container made it
 * @lfd:	seccomp listener
 * @id:		notification id
 *
 * Return: 0, or -errno (-ENOENT: stale)
 */
int notify_continue(int lfd, uint64_t id);

/**
 * notify_reply() - answer the call with a result
 * @lfd:	seccomp listener
 * @id:		notification id
 * @val:	return value (>= 0), or -errno for a failure
 *
 * Return: 0, or -errno (-ENOENT: stale)
 */
int notify_reply(int lfd, uint64_t id, int64_t val);

/**
 * notify_setfd() - put @src at descriptor number @target of the caller,
 *		    replacing what was there
 * @lfd:	seccomp listener
 * @id:		notification id
 * @src:	our descriptor
 * @target:	descriptor number in the caller's table
 * @cloexec:	set close-on-exec on it
 *
 * Return: 0, or -errno (-ENOENT: stale, -EBADF/-EMFILE from the caller's table)
 */
int notify_setfd(int lfd, uint64_t id, int src, int target, int cloexec);

/**
 * notify_read_mem() - copy at most @len bytes from the caller's memory
 * @tid:	calling thread
 * @addr:	address in the caller (untrusted)
 * @buf:	destination
 * @len:	bytes wanted
 *
 * Return: bytes read (may be short), or -errno (-EFAULT for a bad pointer)
 */
ssize_t notify_read_mem(pid_t tid, uint64_t addr, void *buf, size_t len);

/**
 * notify_write_mem() - copy @len bytes into the caller's memory
 * @tid:	calling thread
 * @addr:	address in the caller (untrusted)
 * @buf:	source
 * @len:	bytes
 *
 * Return: 0, or -errno (-EFAULT also for a short write)
 */
int notify_write_mem(pid_t tid, uint64_t addr, const void *buf, size_t len);

/**
 * notify_getfd() - a duplicate of descriptor @fd of thread @tid
 * @tid:	calling thread
 * @fd:		its descriptor number (untrusted)
 *
 * Return: our descriptor, or -errno (-EBADF: no such descriptor)
 */
int notify_getfd(pid_t tid, int fd);

/**
 * notify_cloexec() - whether descriptor @fd of thread @tid is close-on-exec
 * @tid:	calling thread
 * @fd:		its descriptor number
 *
 * Read from /proc/TID/fdinfo/FD (a duplicate does not carry the flag), so
 * only when a host socket is about to replace the descriptor.
 * Return: 1 or 0 (0 also when it cannot be read)
 */
int notify_cloexec(pid_t tid, int fd);

#endif /* BURROW_BYPASS_NOTIFY_H */
