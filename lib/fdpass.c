// SPDX-License-Identifier: GPL-2.0-or-later
/* fdpass.c - passing file descriptors over unix sockets (SCM_RIGHTS) */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fdpass.h"

/**
 * fd_send() - send @nfds descriptors and a payload of at least one byte
 * @sock:	connected unix socket
 * @fds:	descriptors to pass
 * @nfds:	how many (at most FDPASS_MAX, else -EINVAL)
 * @data:	payload (NULL, or @len 0, sends a single zero byte)
 * @len:	payload length
 *
 * The whole payload is sent (a stream socket may take several writes); the
 * descriptors travel with its first byte.
 *
 * Return: 0, or -errno
 */
int fd_send(int sock, const int *fds, size_t nfds, const void *data, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * FDPASS_MAX)];
		struct cmsghdr align;
	} u;
	static const char zero;
	struct iovec iov;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	size_t off = 0;

	if (nfds > FDPASS_MAX)
		return -EINVAL;
	if (!data || !len) {
		data = &zero;
		len = 1;
	}
	if (nfds) {
		struct cmsghdr *c;

		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	while (off < len) {
		ssize_t n;

		iov.iov_base = (char *)data + off;
		iov.iov_len = len - off;
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		off += (size_t)n;
		msg.msg_control = NULL;		/* descriptors went with the first part */
		msg.msg_controllen = 0;
	}
	return 0;
}

/* Close the descriptors of every SCM_RIGHTS message in @msg */
static void close_all(struct msghdr *msg)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		size_t i, n;
		int fd;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			close(fd);
		}
	}
}

/**
 * fd_recv() - receive descriptors (set close-on-exec) and a payload
 * @sock:	connected unix socket
 * @fds:	array for received descriptors
 * @nfds:	in: room in @fds; out: descriptors received
 * @data:	payload buffer (may be NULL: one byte is read and dropped)
 * @len:	size of @data
 *
 * Return: payload bytes received (0 at end of stream), or -errno.  If more
 * descriptors arrive than fit in *@nfds (or than FDPASS_MAX), all of them
 * are closed, *@nfds is set to 0 and -EMSGSIZE returned.
 */
ssize_t fd_recv(int sock, int *fds, size_t *nfds, void *data, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * FDPASS_MAX)];
		struct cmsghdr align;
	} u;
	char scratch;
	struct iovec iov = { .iov_base = data, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	size_t room = *nfds, got = 0;
	ssize_t n;

	*nfds = 0;
	if (!data || !len) {
		iov.iov_base = &scratch;
		iov.iov_len = 1;
	}
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;

	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			got += (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	}
	if (got > room || (msg.msg_flags & MSG_CTRUNC)) {
		close_all(&msg);
		return -EMSGSIZE;
	}
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		size_t n_here;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n_here = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		memcpy(fds + *nfds, CMSG_DATA(c), n_here * sizeof(int));
		*nfds += n_here;
	}
	return n;
}
