// SPDX-License-Identifier: GPL-2.0-or-later
/* file.c - read a whole file or pipe into memory, bounded */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "cleanup.h"
#include "file.h"

char *file_read_fd(int fd, size_t max, size_t *len)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;

	for (;;) {
		ssize_t r;

		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 4096;
			char *p;

			/* room for max + 1 bytes: one more than max tells too long */
			if (max < (size_t)-1 && ncap > max + 1)
				ncap = max + 1;
			if (ncap <= cap) {
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			p = realloc(buf, ncap + 1);
			if (!p) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
			buf = p;
			cap = ncap;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(buf);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

char *file_read(const char *path, int oflags, size_t max, size_t *len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | oflags);

	if (fd < 0)
		return NULL;
	return file_read_fd(fd, max, len);
}

long file_read_buf(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got + 1 < len) {
		ssize_t r = read(fd, buf + got, len - 1 - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			if (!got) {
				buf[0] = '\0';
				return -errno;
			}
			break;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (len)
		buf[got] = '\0';
	return (long)got;
}

long file_read_text(const char *path, char *buf, size_t len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		int e = errno;

		if (len)
			buf[0] = '\0';
		return -e;
	}
	return file_read_buf(fd, buf, len);
}
