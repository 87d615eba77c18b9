// SPDX-License-Identifier: GPL-2.0-or-later
/* lock.c - advisory file locks (flock) for state shared between processes */

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "cleanup.h"
#include "lock.h"

/**
 * lock_acquire() - open (creating, mode 0600) and lock @path
 * @path:	lock file (a symlink is refused)
 * @exclusive:	LOCK_EX if non-zero, else LOCK_SH
 * @wait:	block until the lock is free if non-zero, else fail with -EWOULDBLOCK
 *
 * Return: the lock fd (close-on-exec), or -errno
 */
int lock_acquire(const char *path, int exclusive, int wait)
{
	_cleanup_close_ int fd = -1;
	int op = (exclusive ? LOCK_EX : LOCK_SH) | (wait ? 0 : LOCK_NB);

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	while (flock(fd, op)) {
		if (errno != EINTR)
			return -errno;
	}
	return take_fd(&fd);
}

/**
 * lock_release() - unlock and close a lock fd; a negative fd is ignored
 * @fd:		fd from lock_acquire()
 */
void lock_release(int fd)
{
	if (fd < 0)
		return;
	flock(fd, LOCK_UN);
	close(fd);
}
