// SPDX-License-Identifier: GPL-2.0-or-later
/* receiver.c - take the seccomp listener from the OCI runtime */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "clock.h"
#include "fdpass.h"
#include "log.h"
#include "receiver.h"

int receiver_open(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int s, r;

	if (path[0] != '/' || strlen(path) >= sizeof(sa.sun_path))
		return -EINVAL;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	unlink(path);
	old = umask(0177);
	r = bind(s, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || listen(s, 4) < 0) {
		r = -errno;
		close(s);
		return r;
	}
	return s;
}

/* whether @fd is a seccomp listener: its /proc link reads anon_inode:seccomp notify */
static int is_listener(int fd)
{
	char path[64], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return 0;
	link[n] = '\0';
	return !strcmp(link, "anon_inode:seccomp notify");
}

/* one connection: the listener it brings, or -errno */
static int take_one(int c, pid_t *pid)
{
	static char state[16384];
	int fds[FDPASS_MAX];
	size_t nfds = FDPASS_MAX, i;
	struct timeval tv = { 2, 0 };
	ssize_t n;
	int lfd = -1;
	char *p;

	/* a peer that connects and says nothing may not hold us */
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = fd_recv(c, fds, &nfds, state, sizeof(state) - 1);
	if (n < 0)
		return (int)n;
	state[n > 0 ? n : 0] = '\0';
	for (i = 0; i < nfds; i++) {
		if (lfd < 0 && is_listener(fds[i]))
			lfd = fds[i];
		else
			close(fds[i]);
	}
	if (lfd < 0)
		return -ENOMSG;
	p = strstr(state, "\"pid\":");
	*pid = p ? (pid_t)strtol(p + 6, NULL, 10) : 0;
	return lfd;
}

int receiver_take(int sock, int timeout_ms, pid_t *pid)
{
	long end = timeout_ms < 0 ? 0 : (long)clock_ms() + timeout_ms;

	*pid = 0;
	for (;;) {
		struct pollfd p = { .fd = sock, .events = POLLIN };
		int left = timeout_ms < 0 ? -1 : (int)(end - (long)clock_ms());
		_cleanup_close_ int c = -1;
		int r;

		if (timeout_ms >= 0 && left <= 0)
			return -ETIMEDOUT;
		r = poll(&p, 1, left);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r <= 0)
			continue;
		c = accept4(sock, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			continue;
		r = take_one(c, pid);
		if (r >= 0)
			return r;
		log_msg(LOG_LVL_WARN, "a connection to the listener socket brought no seccomp "
			"listener (%s): dropped", strerror(-r));
	}
}

int receiver_accept(int sock, pid_t *pid)
{
	_cleanup_close_ int c = accept4(sock, NULL, NULL, SOCK_CLOEXEC);

	*pid = 0;
	if (c < 0)
		return -errno;
	return take_one(c, pid);
}
