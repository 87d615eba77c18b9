/* SPDX-License-Identifier: GPL-2.0-or-later
 * fdpass.h - passing file descriptors over unix sockets (SCM_RIGHTS)
 */
#ifndef BURROW_FDPASS_H
#define BURROW_FDPASS_H

#include <stddef.h>
#include <sys/types.h>

#define FDPASS_MAX 16

/**
 * fd_send() - send @nfds descriptors and a payload of at least one byte
 * @sock:	connected unix socket
 * @fds:	descriptors to pass
 * @nfds:	how many (at most FDPASS_MAX, else -EINVAL)
 * @data:	payload (NULL, or @len 0, sends a single zero byte)
 * @len:	payload length
 *
 * Return: 0, or -errno
 */
int fd_send(int sock, const int *fds, size_t nfds, const void *data, size_t len);

/**
 * fd_recv() - receive descriptors (set close-on-exec) and a payload
 * @sock:	connected unix socket
 * @fds:	array for received descriptors
 * @nfds:	in: room in @fds; out: descriptors received
 * @data:	payload buffer (may be NULL: then one byte is read and dropped)
 * @len:	size of @data
 *
 * Return: payload bytes received (0 at end of stream), or -errno.  When more
 * descriptors arrive than fit in *@nfds, all received descriptors are closed,
 * *@nfds is set to 0 and -EMSGSIZE returned (nothing is left to clean up).
 */
ssize_t fd_recv(int sock, int *fds, size_t *nfds, void *data, size_t len);

#endif /* BURROW_FDPASS_H */
