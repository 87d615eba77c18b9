/* SPDX-License-Identifier: GPL-2.0-or-later
 * lock.h - advisory file locks (flock) for state shared between processes
 */
#ifndef BURROW_LOCK_H
#define BURROW_LOCK_H

/**
 * lock_acquire() - open (creating, mode 0600) and lock @path
 * @path:	lock file
 * @exclusive:	LOCK_EX if non-zero, else LOCK_SH
 * @wait:	block until the lock is free if non-zero, else fail with -EWOULDBLOCK
 *
 * Return: the lock fd (close-on-exec), or -errno
 */
int lock_acquire(const char *path, int exclusive, int wait);

/**
 * lock_release() - unlock and close a lock fd; a negative fd is ignored
 */
void lock_release(int fd);

#endif /* BURROW_LOCK_H */
