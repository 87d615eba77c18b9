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
#include "ctr.h"
#include "lock.h"
#include "proc.h"
#include "state.h"

/* burrow-mon's messages: one stream byte and at most this much data */
#define ATTACH_CHUNK 8192
#define STREAM_STDOUT 2
#define STREAM_STDERR 3

/* the byte of ctrl-@X, or -1 (the keys a terminal sends with ctrl held) */
static int ctrl_key(char x)
{
	static const char punct[] = "@[\\]^_";
	const char *p;

	if (x >= 'a' && x <= 'z')
		return x - 'a' + 1;
	p = x ? strchr(punct, x) : NULL;
	if (!p)
		return -1;
	return p == punct ? 0 : (int)(p - punct) + 26;
}

int attach_parse_keys(const char *spec, struct attach_keys *k, char *err, size_t errlen)
{
	const char *key = spec;

	memset(k, 0, sizeof(*k));
	if (!*spec)
		return 0;	/* detaching off */
	for (;;) {
		size_t len = strcspn(key, ",");
		int b = -1;

		if (len == 1 && key[0] >= ' ' && key[0] <= '~')
			b = (unsigned char)key[0];
		else if (len == 6 && !strncmp(key, "ctrl-", 5))
			b = ctrl_key(key[5]);
		if (b < 0) {
			snprintf(err, errlen, "invalid detach key '%.*s' in \"%s\": expected keys "
				 "separated by commas, each one character or ctrl-X with X one "
				 "of a-z @ [ \\ ] ^ _ (like \"%s\"), or \"\" to turn detaching off",
				 (int)(len > 32 ? 32 : len), key, spec, ATTACH_DEFAULT_KEYS);
			return -EINVAL;
		}
		if (k->len == ATTACH_KEYS_MAX) {
			snprintf(err, errlen, "detach keys \"%s\": at most %d keys", spec,
				 ATTACH_KEYS_MAX);
			return -EINVAL;
		}
		k->seq[k->len++] = (unsigned char)b;
		if (!key[len])
			return 0;
		key += len + 1;
	}
}

int attach_scan_keys(struct attach_keys *k, const char *in, size_t n, char *out, size_t *outn)
{
	unsigned char tmp[ATTACH_KEYS_MAX];
	size_t i, o = 0, len, s;

	for (i = 0; i < n; i++) {
		unsigned char b = (unsigned char)in[i];

		if (!k->len) {
			out[o++] = (char)b;
			continue;
		}
		if (b == k->seq[k->held]) {
			if (++k->held < k->len)
				continue;
			k->held = 0;
			*outn = o;
			return 1;
		}
		/* not the sequence after all: send what was held back, up to
		 * the longest tail that may still start it */
		memcpy(tmp, k->seq, k->held);
		tmp[k->held] = b;
		len = k->held + 1;
		for (s = 1; s < len; s++) {
			if (!memcmp(tmp + s, k->seq, len - s))
				break;
		}
		memcpy(out + o, tmp, s);
		o += s;
		k->held = len - s;
	}
	*outn = o;
	return 0;
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
		proc_sleep_ms(20);
	}
	fprintf(stderr, "burrow: attach %s: the container's exit code is unknown\n", c->id);
	return 125;
}

/* a signal we got: passed to the container (1) or the end of the attach (0) */
static int proxy_signal(const struct ctr *c, int sig, int proxy)
{
	int r;

	if (!proxy)
		return 0;
	r = ctr_signal(c, sig);
	if (r < 0 && r != -ESRCH)	/* ESRCH: it ended, its exit follows */
		fprintf(stderr, "burrow: attach %s: kill(%d, %s): %s\n", c->id, (int)c->pid,
			strsignal(sig), strerror(-r));
	return 1;
}

/* the loop: output to our stdio, our input to the container; returns
 * 1 after the detach keys, 0 when the socket closed, -EINTR with *@sig set
 * when a signal ended it, -errno */
static int attach_loop(int sock, int sfd, int forward, const struct ctr *c,
		       const struct attach_opts *o, int *sig)
{
	static char buf[ATTACH_CHUNK + 1], out[ATTACH_CHUNK + ATTACH_KEYS_MAX];
	struct attach_keys keys = o->keys;
	struct pollfd p[3] = {
		{ .fd = sock, .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
		{ .fd = forward ? 0 : -1, .events = POLLIN },
	};

	keys.held = 0;
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
				if (si.ssi_signo == SIGWINCH) {
					send_winsize(c);
				} else if (!proxy_signal(c, (int)si.ssi_signo, o->sig_proxy)) {
					*sig = (int)si.ssi_signo;
					return -EINTR;
				}
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

int cmd_attach(const char *ref, const struct attach_opts *o)
{
	static const int sigs[] = { SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
	char err[PATH_MAX + 128], path[PATH_MAX + 16];
	struct termios saved, raw;
	int r, sock, sfd, lockfd, forward, rawmode = 0, code, sig = SIGTERM;
	sigset_t mask;
	struct ctr c;
	size_t i;

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
	/* blocked signals reach the signalfd even when we were started with
	 * them ignored (as background jobs of a shell are, for SIGINT) */
	sigemptyset(&mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&mask, sigs[i]);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	forward = (c.tty || c.interactive) && !o->no_stdin;
	if (!c.tty && !c.interactive)
		shutdown(sock, SHUT_WR);	/* no stdin: nothing will come from us */
	if (forward && c.tty && isatty(0) && tcgetattr(0, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		rawmode = tcsetattr(0, TCSANOW, &raw) == 0;
	}
	if (c.tty)
		send_winsize(&c);
	r = attach_loop(sock, sfd, forward, &c, o, &sig);
	if (rawmode)
		tcsetattr(0, TCSANOW, &saved);
	close(sock);
	if (sfd >= 0)
		close(sfd);
	if (r == 1)
		code = 0;
	else if (r == -EINTR)
		code = 128 + sig;
	else if (r < 0)
		code = 125;
	else
		code = wait_exit_code(&c);
	lock_release(lockfd);
	return code;
}
