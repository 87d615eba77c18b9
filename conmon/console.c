// SPDX-License-Identifier: GPL-2.0-or-later
/* console.c - receive a pty master over a unix socket, resize it */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cleanup.h"
#include "console.h"
#include "log.h"

int console_listen(struct console_sock *c, const char *base)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	c->listen_fd = -1;
	c->path[0] = '\0';
	if (snprintf(c->dir, sizeof(c->dir), "%s/burrow-mon-tty.XXXXXX", base) >= (int)sizeof(c->dir))
		return -ENAMETOOLONG;
	if (!mkdtemp(c->dir)) {
		int e = -errno;

		err("mkdtemp(%s): %s", c->dir, strerror(errno));
		c->dir[0] = '\0';
		return e;
	}
	if (snprintf(c->path, sizeof(c->path), "%s/console", c->dir) >= (int)sizeof(sa.sun_path)) {
		err("console socket path %s: too long", c->path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, c->path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0) {
		int e = -errno;

		err("bind(%s): %s", c->path, strerror(errno));
		close(fd);
		return e;
	}
	c->listen_fd = fd;
	return 0;
}

int console_receive(struct console_sock *c, int block)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 4)];
	char data[256];
	struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	_cleanup_close_ int conn = -1;
	int master = -1;
	ssize_t n;

	if (block) {
		int fl = fcntl(c->listen_fd, F_GETFL);

		fcntl(c->listen_fd, F_SETFL, fl & ~O_NONBLOCK);
		conn = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		fcntl(c->listen_fd, F_SETFL, fl);
	} else {
		conn = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	}
	if (conn < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	do
		n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int e = -errno;

		err("recvmsg(%s): %s", c->path, strerror(errno));
		return e;
	}
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		size_t nfd, i;
		int *fds;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		nfd = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		fds = (int *)CMSG_DATA(cm);
		for (i = 0; i < nfd; i++) {
			if (master < 0)
				master = fds[i];
			else
				close(fds[i]);
		}
	}
	if (master < 0) {
		err("recvmsg(%s): no terminal descriptor received", c->path);
		return -EBADMSG;
	}
	return master;
}

void console_close(struct console_sock *c)
{
	if (c->listen_fd >= 0)
		close(c->listen_fd);
	c->listen_fd = -1;
	if (c->path[0])
		unlink(c->path);
	if (c->dir[0])
		rmdir(c->dir);
	c->path[0] = c->dir[0] = '\0';
}

int console_resize(int master, unsigned rows, unsigned cols)
{
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };

	if (ioctl(master, TIOCSWINSZ, &ws) < 0)
		return -errno;
	return 0;
}
