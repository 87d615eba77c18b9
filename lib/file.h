/* SPDX-License-Identifier: GPL-2.0-or-later
 * file.h - read a whole file or pipe into memory, bounded
 */
#ifndef BURROW_FILE_H
#define BURROW_FILE_H

#include <stddef.h>

/**
 * file_read_fd() - read @fd to its end into a new NUL-terminated buffer
 * @fd:		file, pipe or socket (reads are retried after EINTR)
 * @max:	most bytes accepted
 * @len:	out: bytes read, without the NUL (may be NULL)
 *
 * The buffer grows as the input comes, so a short input costs little.
 *
 * Return: the buffer (free() it), or NULL with errno set: EFBIG when the
 *	   input is longer than @max, ENOMEM, or read()'s
 */
char *file_read_fd(int fd, size_t max, size_t *len);

/**
 * file_read() - open @path and file_read_fd() it
 * @path:	file
 * @oflags:	extra open() flags (O_NOFOLLOW), or 0
 * @max:	most bytes accepted
 * @len:	out: bytes read, without the NUL (may be NULL)
 *
 * Return: the buffer (free() it), or NULL with errno set: open()'s (ENOENT:
 *	   no such file), or as file_read_fd()
 */
char *file_read(const char *path, int oflags, size_t max, size_t *len);

/**
 * file_read_buf() - read @fd into @buf until its end or until @buf is full
 * @fd:		file, pipe or socket (reads are retried after EINTR)
 * @buf:	output, NUL-terminated
 * @len:	size of @buf (at least 1)
 *
 * For short texts of known bound (a helper's error message, a pid file): a
 * longer input is cut, not refused.
 *
 * Return: bytes read (without the NUL), or -errno of read() if nothing was
 *	   read
 */
long file_read_buf(int fd, char *buf, size_t len);

/**
 * file_read_text() - open @path and file_read_buf() it: a small file (a pid
 *		      file, a sysctl, a /proc entry) as a string
 * @path:	file
 * @buf:	output, NUL-terminated ("" on failure)
 * @len:	size of @buf (at least 1)
 *
 * Return: bytes read (without the NUL), or -errno of open() or read()
 */
long file_read_text(const char *path, char *buf, size_t len);

#endif /* BURROW_FILE_H */
