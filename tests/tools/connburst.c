// SPDX-License-Identifier: GPL-2.0-or-later
/* connburst.c - open many TCP connections at once and check every one is answered
 *
 *	connburst HOST PORT N SECONDS
 *
 * Starts N non-blocking connects to HOST:PORT at once, sends each connection
 * its number ("%08d\n"), half-closes, and expects the same 9 bytes back
 * (an echo server) followed by EOF, all within SECONDS.  Prints
 * "ok conns=N ms=T" and exits 0, or prints how many connections failed
 * (and the first errors) and exits 1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { CONNECTING, READING, DONE, FAILED };

struct conn {
	int fd;
	int state;
	char want[16];
	char got[16];
	size_t len;
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int failures;

static void conn_fail(struct conn *c, int i, const char *what, int err)
{
	if (failures++ < 5)
		fprintf(stderr, "connection %d: %s: %s\n", i, what, err ? strerror(err) : "bad echo");
	close(c->fd);
	c->fd = -1;
	c->state = FAILED;
}

/* on_writable: the connect finished; send the number and half-close */
static void on_writable(struct conn *c, int i)
{
	int err = 0;
	socklen_t l = sizeof(err);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0 || err)
		return conn_fail(c, i, "connect", err ? err : errno);
	if (write(c->fd, c->want, 9) != 9)
		return conn_fail(c, i, "write", errno);
	if (shutdown(c->fd, SHUT_WR) < 0)
		return conn_fail(c, i, "shutdown", errno);
	c->state = READING;
}

static void on_readable(struct conn *c, int i)
{
	ssize_t r = read(c->fd, c->got + c->len, sizeof(c->got) - c->len);

	if (r < 0)
		return conn_fail(c, i, "read", errno);
	if (r > 0) {
		c->len += (size_t)r;
		if (c->len > 9)
			conn_fail(c, i, "echo", 0);
		return;
	}
	if (c->len != 9 || memcmp(c->got, c->want, 9))
		return conn_fail(c, i, "echo", 0);
	close(c->fd);
	c->fd = -1;
	c->state = DONE;
}

int main(int argc, char **argv)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST }, *ai;
	struct rlimit rl;
	struct conn *c;
	struct pollfd *p;
	int *idx;
	int n, i, left, rc;
	long start, deadline;

	if (argc != 5 || (n = atoi(argv[3])) <= 0) {
		fprintf(stderr, "usage: connburst HOST PORT N SECONDS\n");
		return 2;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	rc = getaddrinfo(argv[1], argv[2], &hints, &ai);
	if (rc) {
		fprintf(stderr, "getaddrinfo(%s): %s\n", argv[1], gai_strerror(rc));
		return 1;
	}
	c = calloc((size_t)n, sizeof(*c));
	p = calloc((size_t)n, sizeof(*p));
	idx = calloc((size_t)n, sizeof(*idx));
	if (!c || !p || !idx) {
		perror("calloc");
		return 1;
	}
	start = now_ms();
	deadline = start + (long)(atof(argv[4]) * 1000);
	for (i = 0; i < n; i++) {
		snprintf(c[i].want, sizeof(c[i].want), "%08d\n", i);
		c[i].fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (c[i].fd < 0) {
			conn_fail(&c[i], i, "socket", errno);
			continue;
		}
		if (connect(c[i].fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS)
			conn_fail(&c[i], i, "connect", errno);
	}
	freeaddrinfo(ai);
	for (;;) {
		int m = 0;

		for (i = 0; i < n; i++) {
			if (c[i].state != CONNECTING && c[i].state != READING)
				continue;
			p[m].fd = c[i].fd;
			p[m].events = c[i].state == CONNECTING ? POLLOUT : POLLIN;
			p[m].revents = 0;
			idx[m++] = i;
		}
		left = m;
		if (!left || now_ms() >= deadline)
			break;
		if (poll(p, (nfds_t)m, (int)(deadline - now_ms())) < 0 && errno != EINTR) {
			perror("poll");
			return 1;
		}
		for (i = 0; i < m; i++) {
			struct conn *x = &c[idx[i]];

			if (!p[i].revents)
				continue;
			if (x->state == CONNECTING)
				on_writable(x, idx[i]);
			else
				on_readable(x, idx[i]);
		}
	}
	for (i = 0; i < n; i++)
		if (c[i].fd >= 0)
			close(c[i].fd);
	free(c);
	free(p);
	free(idx);
	if (left || failures) {
		printf("failed: %d of %d connections (%d errors, %d unanswered after %s s)\n",
		       failures + left, n, failures, left, argv[4]);
		return 1;
	}
	printf("ok conns=%d ms=%ld\n", n, now_ms() - start);
	return 0;
}
