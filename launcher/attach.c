// SPDX-License-Identifier: GPL-2.0-or-later
/* attach.c - `burrow attach`: a terminal or stdio on a detached container */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* messages that name long paths may be cut short: that is fine */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "attach.h"
#include "cleanup.h"
#include "lock.h"
#include "state.h"

/* burrow-mon's messages: one stream byte and at most this much data */
#define ATTACH_CHUNK 8192
#define STREAM_STDOUT 2
#define STREAM_STDERR 3

int attach_scan_keys(struct attach_keys *k, const char *in, size_t n, char *out, size_t *outn)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned char b = (unsigned char)in[i];

		if (k->pending) {
			k->pending = 0;
			if (b == ATTACH_KEY_2) {
				*outn = o;
				return 1;
			}
			out[o++] = ATTACH_KEY_1;
		}
		if (b == ATTACH_KEY_1)
			k->pending = 1;
		else
			out[o++] = (char)b;
	}
	*outn = o;
	return 0;
}

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* write all of @buf to @fd (a terminal or pipe of ours) */
static int put(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };

			poll(&p, 1, 1000);
			continue;
		}
		if (w <= 0)
			return -errno;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* send @len bytes to the container in messages of at most ATTACH_CHUNK */
static int send_input(int sock, const char *buf, size_t len)
{
	while (len) {
		size_t take = len < ATTACH_CHUNK ? len : ATTACH_CHUNK;
		ssize_t w = send(sock, buf, take, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* connect to DIR/attach through a descriptor of DIR: the path may be longer
 * than a socket address holds */
static int attach_connect(const char *dir, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	_cleanup_close_ int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int s;

	if (dfd < 0) {
		snprintf(err, errlen, "open(%s): %s", dir, strerror(errno));
		return -errno;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/attach", dfd);
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0) {
		snprintf(err, errlen, "socket(AF_UNIX): %s", strerror(errno));
		return -errno;
	}
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(s);
		snprintf(err, errlen, "connect(%s/attach): %s", dir, strerror(e));
		return -e;
	}
	return s;
}

/* tell burrow-mon our terminal's size (its winsz FIFO: "1 ROWS COLS") */
static void send_winsize(const struct ctr *c)
{
	char path[PATH_MAX + 16], line[64];
	struct winsize ws;
	_cleanup_close_ int fd = -1;
	int n;

	if (ioctl(0, TIOCGWINSZ, &ws) < 0 || !ws.ws_row || !ws.ws_col)
		return;
	fd = open(state_path(c, "winsz", path, sizeof(path)), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	n = snprintf(line, sizeof(line), "1 %u %u\n", ws.ws_row, ws.ws_col);
	if (write(fd, line, (size_t)n) < 0)
		return;
}

/* the exit code burrow-mon wrote before it closed the socket */
static int wait_exit_code(const struct ctr *c)
{
	int code = -1, i;

	for (i = 0; i < 250; i++) {
		if (state_status(c, &code) == CTR_EXITED)
			return code;
		if (access(c->dir, F_OK))
			break;
		msleep(20);
	}
	fprintf(stderr, "burrow: attach %s: the container's exit code is unknown\n", c->id);
	return 125;
}

/* the loop: output to our stdio, our input to the container; returns
 * 1 after the detach keys, 0 when the socket closed, -errno */
static int attach_loop(int sock, int sfd, int forward, const struct ctr *c)
{
	static char buf[ATTACH_CHUNK + 1], out[ATTACH_CHUNK + 1];
	struct attach_keys keys = { 0 };
	struct pollfd p[3] = {
		{ .fd = sock, .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
		{ .fd = forward ? 0 : -1, .events = POLLIN },
	};

	for (;;) {
		int r = poll(p, 3, -1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (p[0].revents) {
			ssize_t k = recv(sock, buf, sizeof(buf), 0);

			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				return 0;	/* the container ended (or burrow-mon) */
			if (k > 1)
				put(buf[0] == STREAM_STDERR ? 2 : 1, buf + 1, (size_t)k - 1);
		}
		if (p[1].revents) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGWINCH)
					send_winsize(c);
				else
					return -EINTR;
			}
		}
		if (p[2].revents) {
			ssize_t k = read(0, buf, ATTACH_CHUNK);
			size_t n = 0;
			int detach;

			if (k < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (k <= 0) {
				/* end of our input: the container's stdin ends too
				 * (without a terminal); output still comes */
				shutdown(sock, SHUT_WR);
				p[2].fd = -1;
				continue;
			}
			detach = attach_scan_keys(&keys, buf, (size_t)k, out, &n);
			if (n && send_input(sock, out, n) < 0 && !detach) {
				/* the container no longer reads: keep its output */
				p[2].fd = -1;
			}
			if (detach)
				return 1;
		}
	}
}

int cmd_attach(const char *ref)
{
	char err[PATH_MAX + 128], path[PATH_MAX + 16];
	struct termios saved, raw;
	int r, sock, sfd, lockfd, forward, rawmode = 0, code;
	sigset_t mask;
	struct ctr c;

	r = state_find(ref, &c);
	if (r < 0) {
		fprintf(stderr, "burrow: %s: %s\n", ref, r == -ENOTUNIQ ? "matches more than one "
			"container: type more of the ID" : "no such container");
		return 125;
	}
	if (state_status(&c, NULL) != CTR_RUNNING) {
		fprintf(stderr, "burrow: container %s is not running\n", c.id);
		return 125;
	}
	if (!c.detach || access(state_path(&c, "attach", path, sizeof(path)), F_OK)) {
		fprintf(stderr, "burrow: container %s has nothing to attach to: only containers "
			"started with run -d under burrow-mon can be attached\n", c.id);
		return 125;
	}
	/* a --rm container's record stays until we have read its exit code */
	lockfd = lock_acquire(state_path(&c, "attach.lock", path, sizeof(path)), 0, 0);
	sock = attach_connect(c.dir, err, sizeof(err));
	if (sock < 0) {
		fprintf(stderr, "burrow: attach %s: %s\n", c.id, err);
		lock_release(lockfd);
		return 125;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGWINCH);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	forward = c.tty || c.interactive;
	if (!forward)
		shutdown(sock, SHUT_WR);	/* no stdin: nothing will come from us */
	if (forward && c.tty && isatty(0) && tcgetattr(0, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		rawmode = tcsetattr(0, TCSANOW, &raw) == 0;
		send_winsize(&c);
	}
	r = attach_loop(sock, sfd, forward, &c);
	if (rawmode)
		tcsetattr(0, TCSANOW, &saved);
	close(sock);
	if (sfd >= 0)
		close(sfd);
	if (r == 1)
		code = 0;
	else if (r < 0 && r != -EINTR)
		code = 125;
	else if (r == -EINTR)
		code = 128 + SIGTERM;
	else
		code = wait_exit_code(&c);
	lock_release(lockfd);
	return code;
}
