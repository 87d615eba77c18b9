// SPDX-License-Identifier: GPL-2.0-or-later
/* echopeer.c - TCP/UDP echo server and checking client for network tests
 *
 *	echopeer serve-tcp PORT [ADDR]     echo every TCP connection (forever)
 *	echopeer serve-udp PORT [ADDR]     echo every UDP datagram (forever)
 *	echopeer serve-halves PORT         echo each read in two writes (Nagle on)
 *	echopeer tcp HOST PORT BYTES       send BYTES of a pattern, half-close,
 *	                                   read the echo back and compare
 *	echopeer udp HOST PORT             send datagrams of 1..8000 bytes and
 *	                                   expect each back
 *	echopeer connect HOST PORT         exit 0 if a TCP connect succeeds
 *	echopeer rr HOST PORT N [SIZE]     N request/responses of SIZE bytes (64)
 *	                                   on one connection: prints p50_us=
 *	                                   p99_us= max_us= over_20ms= (round trips
 *	                                   that took 20 ms or more)
 *	echopeer split HOST PORT N         N HTTP requests to serve-http (body 0) on
 *	                                   one connection, each in two writes with
 *	                                   Nagle on (the tail waits for the ack of
 *	                                   the head): prints p50_us= p99_us=
 *	echopeer conns HOST PORT SECONDS   connect, 1-byte echo, close, repeated:
 *	                                   prints conns_per_s=
 *	echopeer relay PORT HOST TPORT HOW a user-space TCP forwarder, one
 *	                                   connection at a time, to HOST TPORT:
 *	                                   HOW is "copy" (recv/send, sleeps in
 *	                                   poll), "spin" (the same, never sleeps)
 *	                                   or "splice" (through a pipe, no copy
 *	                                   into user space): the floor of a
 *	                                   forwarder with no tap in the path
 * Clients print "ok" and exit 0, or print the problem and exit 1.  Servers
 * listen on the wildcard address (IPv6 dual-stack) unless ADDR is given.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint8_t pattern(size_t i)
{
	return (uint8_t)((i * 131 + (i >> 12)) & 0xff);
}

static int resolve(const char *host, const char *port, int type, struct addrinfo **ai)
{
	struct addrinfo hints = { .ai_socktype = type, .ai_flags = AI_NUMERICHOST };
	int r = getaddrinfo(host, port, &hints, ai);

	if (r)
		fprintf(stderr, "getaddrinfo(%s): %s\n", host, gai_strerror(r));
	return r ? -1 : 0;
}

static int listen_on(const char *addr, const char *port, int type)
{
	struct addrinfo *ai;
	int fd, one = 1, zero = 0;

	if (resolve(addr ? addr : "::", port, type, &ai))
		return -1;
	fd = socket(ai->ai_family, type, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) || (type == SOCK_STREAM && listen(fd, 4096))) {
		perror("bind/listen");
		return -1;
	}
	freeaddrinfo(ai);
	return fd;
}

/* Write all of @n bytes; 0, or -1 on error */
static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int serve_tcp(const char *port, const char *addr)
{
	static char buf[1 << 16];
	static struct pollfd p[1024];
	int l = listen_on(addr, port, SOCK_STREAM), n = 1, i;

	if (l < 0)
		return 1;
	p[0].fd = l;
	p[0].events = POLLIN;
	for (;;) {
		if (poll(p, (nfds_t)n, -1) < 0)
			continue;
		if ((p[0].revents & POLLIN) && n < 1024) {
			int c = accept(l, NULL, NULL);

			if (c >= 0) {
				p[n].fd = c;
				p[n].events = POLLIN;
				p[n].revents = 0;
				n++;
			}
		}
		for (i = 1; i < n; i++) {
			ssize_t r;

			if (!p[i].revents)
				continue;
			r = read(p[i].fd, buf, sizeof(buf));
			/* blocking echo: the clients read while they write */
			if (r > 0 && !write_all(p[i].fd, buf, (size_t)r))
				continue;
			close(p[i].fd);
			p[i--] = p[--n];
		}
	}
}

static int serve_udp(const char *port, const char *addr)
{
	static char buf[65536];
	int s = listen_on(addr, port, SOCK_DGRAM);

	if (s < 0)
		return 1;
	for (;;) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);

		if (n >= 0)
			sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
	}
}

static int connect_to(const char *host, const char *port, int type)
{
	struct addrinfo *ai;
	int fd;

	if (resolve(host, port, type, &ai))
		return -1;
	fd = socket(ai->ai_family, type, 0);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		fprintf(stderr, "connect(%s:%s): %s\n", host, port, strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

/*
 * A minimal HTTP/1.1 keep-alive server for load generators (wrk): every
 * request (up to its blank line) gets "200 OK" with @body bytes
 */
static int serve_http(const char *port, size_t body)
{
	static char hdr[128], in[1 << 16];
	static char *resp;
	int l = listen_on(NULL, port, SOCK_STREAM), ep = epoll_create1(0), hl;
	struct epoll_event ev = { .events = EPOLLIN }, evs[64];
	size_t rlen;

	if (l < 0 || ep < 0)
		return 1;
	hl = snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n"
		      "Content-Type: text/plain\r\n\r\n", body);
	rlen = (size_t)hl + body;
	resp = malloc(rlen);
	if (!resp)
		return 1;
	memcpy(resp, hdr, (size_t)hl);
	memset(resp + hl, 'x', body);
	ev.data.fd = l;
	epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
	for (;;) {
		int n = epoll_wait(ep, evs, 64, -1), i;

		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd, one = 1;
			ssize_t r;
			char *p;

			if (fd == l) {
				int c = accept4(l, NULL, NULL, SOCK_NONBLOCK);
				struct epoll_event cev = { .events = EPOLLIN };

				if (c < 0)
					continue;
				setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
				cev.data.fd = c;
				epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
				continue;
			}
			r = read(fd, in, sizeof(in) - 1);
			if (r <= 0) {
				close(fd);
				continue;
			}
			in[r] = 0;
			/* one answer per request in this read (wrk sends whole requests) */
			for (p = in; (p = strstr(p, "\r\n\r\n")); p += 4)
				if (write(fd, resp, rlen) != (ssize_t)rlen) {
					close(fd);
					break;
				}
		}
	}
}

/* One connection at a time: read to EOF checking the pattern, answer "ok N" or "bad AT" */
static int serve_sink(const char *port)
{
	static uint8_t buf[1 << 18];
	int l = listen_on(NULL, port, SOCK_STREAM);

	if (l < 0)
		return 1;
	for (;;) {
		int c = accept(l, NULL, NULL), bad = 0;
		size_t at = 0, i;
		char reply[64];
		ssize_t r;

		if (c < 0)
			continue;
		while ((r = read(c, buf, sizeof(buf))) > 0) {
			for (i = 0; i < (size_t)r && !bad; i++)
				if (buf[i] != pattern(at + i)) {
					bad = 1;
					at += i;
				}
			if (!bad)
				at += (size_t)r;
		}
		snprintf(reply, sizeof(reply), "%s %zu\n", bad ? "bad" : "ok", at);
		if (write(c, reply, strlen(reply)) < 0)
			perror("write");
		close(c);
	}
}

/* Send @total pattern bytes, half-close, print the sink's answer */
static int client_sink(const char *host, const char *port, size_t total)
{
	static uint8_t out[1 << 16];
	char reply[64];
	size_t sent = 0, i;
	ssize_t r;
	int fd = connect_to(host, port, SOCK_STREAM);

	if (fd < 0)
		return 1;
	while (sent < total) {
		size_t n = total - sent < sizeof(out) ? total - sent : sizeof(out);

		for (i = 0; i < n; i++)
			out[i] = pattern(sent + i);
		r = write(fd, out, n);
		if (r <= 0) {
			perror("write");
			return 1;
		}
		sent += (size_t)r;
	}
	shutdown(fd, SHUT_WR);
	r = read(fd, reply, sizeof(reply) - 1);
	if (r <= 0) {
		fprintf(stderr, "no answer from the sink\n");
		return 1;
	}
	reply[r] = 0;
	fputs(reply, stdout);
	return 0;
}

static int client_tcp(const char *host, const char *port, size_t total)
{
	static uint8_t out[1 << 16], in[1 << 16];
	size_t sent = 0, got = 0, i;
	int fd = connect_to(host, port, SOCK_STREAM), wr_open = 1;

	if (fd < 0)
		return 1;
	while (got < total || wr_open) {
		struct pollfd p = { .fd = fd, .events = POLLIN | (wr_open ? POLLOUT : 0) };

		if (poll(&p, 1, 20000) <= 0) {
			fprintf(stderr, "timeout: sent %zu, received %zu of %zu\n", sent, got, total);
			return 1;
		}
		if (wr_open && (p.revents & POLLOUT)) {
			size_t n = total - sent < sizeof(out) ? total - sent : sizeof(out);
			ssize_t w;

			for (i = 0; i < n; i++)
				out[i] = pattern(sent + i);
			w = n ? send(fd, out, n, MSG_DONTWAIT) : 0;
			if (w > 0)
				sent += (size_t)w;
			if (sent == total) {
				shutdown(fd, SHUT_WR);
				wr_open = 0;
			}
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = recv(fd, in, sizeof(in), MSG_DONTWAIT);

			if (n == 0)
				break;
			if (n < 0) {
				if (errno == EAGAIN)
					continue;
				fprintf(stderr, "recv: %s\n", strerror(errno));
				return 1;
			}
			for (i = 0; i < (size_t)n; i++)
				if (in[i] != pattern(got + i)) {
					fprintf(stderr, "data differs at byte %zu\n", got + i);
					return 1;
				}
			got += (size_t)n;
		}
	}
	if (got != total) {
		fprintf(stderr, "received %zu of %zu bytes\n", got, total);
		return 1;
	}
	puts("ok");
	return 0;
}

static int client_udp(const char *host, const char *port)
{
	static const size_t sizes[] = { 1, 100, 1400, 3000, 8000 };
	static uint8_t out[8192], in[8192];
	int fd = connect_to(host, port, SOCK_DGRAM);
	size_t k, i;

	if (fd < 0)
		return 1;
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		int tries, ok = 0;

		for (i = 0; i < sizes[k]; i++)
			out[i] = pattern(i + k);
		for (tries = 0; tries < 10 && !ok; tries++) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			ssize_t n;

			send(fd, out, sizes[k], 0);
			if (poll(&p, 1, 1000) <= 0)
				continue;
			n = recv(fd, in, sizeof(in), 0);
			ok = n == (ssize_t)sizes[k] && !memcmp(in, out, sizes[k]);
		}
		if (!ok) {
			fprintf(stderr, "no echo for a %zu-byte datagram\n", sizes[k]);
			return 1;
		}
	}
	puts("ok");
	return 0;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Send @len bytes of @buf and read as many back, both at once (no deadlock) */
static int rr_exchange(int fd, char *buf, char *back, size_t len)
{
	size_t sent = 0, got = 0;

	while (got < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN | (sent < len ? POLLOUT : 0) };
		ssize_t r;

		if (poll(&p, 1, 30000) <= 0)
			return -1;
		if ((p.revents & POLLOUT) && sent < len) {
			r = send(fd, buf + sent, len - sent, MSG_DONTWAIT);
			if (r < 0 && errno != EAGAIN)
				return -1;
			if (r > 0)
				sent += (size_t)r;
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			r = recv(fd, back + got, len - got, MSG_DONTWAIT);
			if (r == 0 || (r < 0 && errno != EAGAIN))
				return -1;
			if (r > 0)
				got += (size_t)r;
		}
	}
	return 0;
}

/* N request/response rounds of @size bytes each (64 by default) */
static int client_rr(const char *host, const char *port, int n, size_t size)
{
	static double t[100000];
	int fd = connect_to(host, port, SOCK_STREAM), i, one = 1, over;
	char *buf = malloc(size), *back = malloc(size);

	if (fd < 0 || n <= 0 || n > 100000 || !buf || !back)
		return 1;
	memset(buf, 'r', size);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (i = 0; i < n; i++) {
		double s = now_us();

		if (rr_exchange(fd, buf, back, size)) {
			fprintf(stderr, "round %d: %s\n", i, errno ? strerror(errno) : "closed");
			return 1;
		}
		if (memcmp(buf, back, size)) {
			fprintf(stderr, "round %d: echo differs\n", i);
			return 1;
		}
		t[i] = now_us() - s;
	}
	for (i = 0, over = 0; i < n; i++)
		over += t[i] >= 20000;
	qsort(t, (size_t)n, sizeof(t[0]), cmp_double);
	printf("p50_us=%.1f p99_us=%.1f max_us=%.1f over_20ms=%d\n", t[n / 2], t[n * 99 / 100],
	       t[n - 1], over);
	free(buf);
	free(back);
	close(fd);
	return 0;
}

/*
 * N requests, each written in two parts without TCP_NODELAY: Nagle holds the
 * second part until the first is acknowledged, and the server answers only
 * the whole request, so each round waits for the peer's (delayed) ack
 */
static int client_split(const char *host, const char *port, int n)
{
	static const char head[] = "GET / HTTP/1.1\r\nHost: peer", tail[] = "\r\n\r\n";
	static double t[100000];
	int fd = connect_to(host, port, SOCK_STREAM), i;
	char in[512];

	if (fd < 0 || n <= 0 || n > 100000)
		return 1;
	for (i = 0; i < n; i++) {
		double s = now_us();
		size_t got = 0;

		if (write(fd, head, sizeof(head) - 1) != sizeof(head) - 1 ||
		    write(fd, tail, sizeof(tail) - 1) != sizeof(tail) - 1) {
			perror("write");
			return 1;
		}
		while (got < 4 || memcmp(in + got - 4, "\r\n\r\n", 4)) {
			ssize_t r = read(fd, in + got, sizeof(in) - got);

			if (r <= 0 || got + (size_t)r >= sizeof(in)) {
				fprintf(stderr, "round %d: no answer\n", i);
				return 1;
			}
			got += (size_t)r;
		}
		t[i] = now_us() - s;
	}
	qsort(t, (size_t)n, sizeof(t[0]), cmp_double);
	printf("p50_us=%.1f p99_us=%.1f max_us=%.1f\n", t[n / 2], t[n * 99 / 100], t[n - 1]);
	close(fd);
	return 0;
}

static int client_conns(const char *host, const char *port, double seconds)
{
	double end = now_us() + seconds * 1e6, start = now_us();
	long count = 0;
	struct addrinfo *ai;

	if (resolve(host, port, SOCK_STREAM, &ai))
		return 1;
	while (now_us() < end) {
		int fd = socket(ai->ai_family, SOCK_STREAM, 0);
		char c = 'x';

		if (connect(fd, ai->ai_addr, ai->ai_addrlen) || write(fd, &c, 1) != 1 ||
		    read(fd, &c, 1) != 1) {
			fprintf(stderr, "connection %ld: %s\n", count, strerror(errno));
			return 1;
		}
		close(fd);
		count++;
	}
	printf("conns_per_s=%.0f\n", count / ((now_us() - start) / 1e6));
	freeaddrinfo(ai);
	return 0;
}

/*
 * Echo each read back in two writes, first half then second half, with
 * Nagle's algorithm on (the default): the second half waits until the first
 * is acknowledged.  One connection at a time.
 */
static int serve_halves(const char *port)
{
	static char buf[1 << 16];
	int l = listen_on(NULL, port, SOCK_STREAM);

	if (l < 0)
		return 1;
	for (;;) {
		int c = accept(l, NULL, NULL);
		ssize_t r;

		if (c < 0)
			continue;
		while ((r = read(c, buf, sizeof(buf))) > 0) {
			size_t h = (size_t)r / 2;

			if (write_all(c, buf, h) || write_all(c, buf + h, (size_t)r - h))
				break;
		}
		close(c);
	}
}

/* relay_one_way: move what is readable on FROM to TO (through PIPE_FD when
 * splicing; FROM was polled readable, TO blocks); 0 on progress, -1 at end
 * of file or error */
static int relay_one_way(int from, int to, const int pipe_fd[2], char *buf, size_t len)
{
	ssize_t r;

	if (pipe_fd) {
		r = splice(from, NULL, pipe_fd[1], NULL, len, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (r <= 0)
			return r < 0 && errno == EAGAIN ? 0 : -1;
		while (r > 0) {
			ssize_t w = splice(pipe_fd[0], NULL, to, NULL, (size_t)r, SPLICE_F_MOVE);

			if (w <= 0)
				return -1;
			r -= w;
		}
		return 0;
	}
	r = recv(from, buf, len, MSG_DONTWAIT);
	if (r <= 0)
		return r < 0 && errno == EAGAIN ? 0 : -1;
	return write_all(to, buf, (size_t)r);
}

static int relay(const char *port, const char *host, const char *tport, const char *how)
{
	static char buf[1 << 18];
	int spin = !strcmp(how, "spin"), use_pipe = !strcmp(how, "splice");
	int l = listen_on(NULL, port, SOCK_STREAM), one = 1;

	if (!spin && !use_pipe && strcmp(how, "copy")) {
		fprintf(stderr, "relay: HOW is copy, spin or splice, not %s\n", how);
		return 2;
	}
	if (l < 0)
		return 1;
	for (;;) {
		int p[2][2] = { { -1, -1 }, { -1, -1 } }, a = accept(l, NULL, NULL), b, i;

		if (a < 0)
			continue;
		b = connect_to(host, tport, SOCK_STREAM);
		if (b >= 0 && use_pipe && (pipe(p[0]) || pipe(p[1]))) {
			close(b);
			b = -1;
		}
		if (b < 0) {
			close(a);
			for (i = 0; i < 4; i++)
				if (p[i / 2][i % 2] >= 0)
					close(p[i / 2][i % 2]);
			continue;
		}
		setsockopt(a, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		setsockopt(b, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		for (;;) {
			struct pollfd pf[2] = { { .fd = a, .events = POLLIN }, { .fd = b, .events = POLLIN } };

			if (poll(pf, 2, spin ? 0 : -1) < 0)
				break;
			if ((pf[0].revents && relay_one_way(a, b, use_pipe ? p[0] : NULL, buf, sizeof(buf))) ||
			    (pf[1].revents && relay_one_way(b, a, use_pipe ? p[1] : NULL, buf, sizeof(buf))))
				break;
		}
		for (i = 0; i < 4; i++)
			if (p[i / 2][i % 2] >= 0)
				close(p[i / 2][i % 2]);
		close(a);
		close(b);
	}
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "serve-tcp"))
		return serve_tcp(argv[2], argc > 3 ? argv[3] : NULL);
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "serve-http"))
		return serve_http(argv[2], argc == 4 ? strtoull(argv[3], NULL, 10) : 4096);
	if (argc == 3 && !strcmp(argv[1], "serve-halves"))
		return serve_halves(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "serve-sink"))
		return serve_sink(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "sink"))
		return client_sink(argv[2], argv[3], strtoull(argv[4], NULL, 10));
	if (argc >= 3 && !strcmp(argv[1], "serve-udp"))
		return serve_udp(argv[2], argc > 3 ? argv[3] : NULL);
	if (argc == 5 && !strcmp(argv[1], "tcp"))
		return client_tcp(argv[2], argv[3], strtoull(argv[4], NULL, 10));
	if (argc == 4 && !strcmp(argv[1], "udp"))
		return client_udp(argv[2], argv[3]);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "rr"))
		return client_rr(argv[2], argv[3], atoi(argv[4]),
				 argc == 6 ? strtoull(argv[5], NULL, 10) : 64);
	if (argc == 5 && !strcmp(argv[1], "split"))
		return client_split(argv[2], argv[3], atoi(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "conns"))
		return client_conns(argv[2], argv[3], atof(argv[4]));
	if (argc == 6 && !strcmp(argv[1], "relay"))
		return relay(argv[2], argv[3], argv[4], argv[5]);
	if (argc == 4 && !strcmp(argv[1], "connect")) {
		int fd = connect_to(argv[2], argv[3], SOCK_STREAM);

		return fd < 0 ? 1 : 0;
	}
	fprintf(stderr, "usage: echopeer serve-tcp|serve-udp PORT [ADDR] | serve-sink PORT | serve-http PORT [BODY] | tcp|sink HOST PORT BYTES | "
		"udp HOST PORT | connect HOST PORT | rr HOST PORT N [SIZE] | split HOST PORT N | conns HOST PORT SECONDS | "
		"relay PORT HOST TPORT copy|spin|splice\n");
	return 2;
}
