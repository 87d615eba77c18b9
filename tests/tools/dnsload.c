// SPDX-License-Identifier: GPL-2.0-or-later
/* dnsload.c - DNS test client for burrow-dns tests and benchmarks
 *
 *	dnsload -t SERVER NAME...      pipeline one A query per NAME on one TCP
 *	                               connection; print "NAME ADDR|RCODE" per answer
 *	dnsload -R SERVER              send a truncated TCP query, then reset (RST)
 *	dnsload -E SERVER              send a truncated TCP query, then close (EOF)
 *	dnsload -C N SERVER NAME       open N TCP connections at once, one query on
 *	                               each; prints "answered K of N"
 *	dnsload -D N [-n SECS] [-w MS] SERVER
 *	                               dribble: open N TCP connections, send a
 *	                               length prefix (40), then one byte every MS
 *	                               milliseconds (default 1000) on each, for at
 *	                               most SECS seconds (default 20); prints
 *	                               "refused R closed K of N, last after MS ms"
 *	                               (R: closed before the first byte could be sent)
 *	dnsload -u -n COUNT [-w WINDOW] [-b SRC] SERVER NAME...
 *	                               UDP load: COUNT queries (the NAMEs in
 *	                               turn), WINDOW in flight, from address SRC;
 *	                               prints "answered N lost N qps N us N" (us:
 *	                               mean per answer)
 *
 * Port 53 unless -p PORT.  Exit 0 on success, 1 on errors or missing answers.
 * For tests only: talks to the given server.
 */

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "dnsquery.h"

static const char *rcodes[] = { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED" };

/* first_addr() - the rcode name or the first A/AAAA address of an answer */
static void describe(const uint8_t *m, size_t len, char *out, size_t outlen)
{
	size_t pos = 12;
	unsigned rc, an, i;

	snprintf(out, outlen, "MALFORMED");
	if (len < 12)
		return;
	rc = m[3] & 0xf;
	an = (unsigned)(m[6] << 8 | m[7]);
	if (rc) {
		snprintf(out, outlen, "%s", rc < 6 ? rcodes[rc] : "RCODE");
		return;
	}
	snprintf(out, outlen, "EMPTY");
	while (pos < len && m[pos])
		pos += (size_t)m[pos] + 1;
	pos += 5;
	for (i = 0; i < an && pos + 12 <= len; i++) {
		unsigned type, rdlen;

		pos += (m[pos] & 0xc0) == 0xc0 ? 2 : 0;
		if (pos + 10 > len)
			return;
		type = (unsigned)(m[pos] << 8 | m[pos + 1]);
		rdlen = (unsigned)(m[pos + 8] << 8 | m[pos + 9]);
		pos += 10;
		if (pos + rdlen > len)
			return;
		if ((type == 1 && rdlen == 4) || (type == 28 && rdlen == 16)) {
			struct addr a = { .family = type == 1 ? AF_INET : AF_INET6 };

			memcpy(type == 1 ? (void *)&a.v4 : (void *)&a.v6, m + pos, rdlen);
			addr_format(&a, out, outlen);
			return;
		}
		pos += rdlen;
	}
}

static int tcp_connect(const struct addr *a, uint16_t port)
{
	struct sockaddr_storage ss;
	size_t sl = addr_to_sockaddr(a, port, &ss);
	int fd = socket(a->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct timeval tv = { .tv_sec = 5 };

	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, (socklen_t)sl)) {
		perror("connect");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static int read_full(int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = read(fd, buf + got, len - got);

		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static int tcp_pipeline(const struct addr *a, uint16_t port, char **names, int n)
{
	static uint8_t buf[65536 * 2];
	size_t pos = 0;
	int fd = tcp_connect(a, port), i, k;

	if (fd < 0)
		return 1;
	for (i = 0; i < n; i++) {
		size_t l = dnsquery_build(buf + pos + 2, sizeof(buf) - pos - 2, (uint16_t)i, 0,
					  names[i], 1);

		if (!l)
			return 1;
		buf[pos] = (uint8_t)(l >> 8);
		buf[pos + 1] = (uint8_t)l;
		pos += l + 2;
	}
	if (write(fd, buf, pos) != (ssize_t)pos) {
		perror("write");
		return 1;
	}
	{
		char *res[256] = { 0 };

		for (k = 0; k < n && k < 256; k++) {
			uint8_t hdr[2], msg[65535];
			size_t l;
			char d[64];
			unsigned id;

			if (read_full(fd, hdr, 2) || (l = (size_t)(hdr[0] << 8 | hdr[1])) < 12 ||
			    read_full(fd, msg, l)) {
				fprintf(stderr, "answer %d of %d missing\n", k + 1, n);
				return 1;
			}
			id = (unsigned)(msg[0] << 8 | msg[1]);
			describe(msg, l, d, sizeof(d));
			if (id < (unsigned)n && id < 256)
				res[id] = strdup(d);
		}
		for (i = 0; i < n && i < 256; i++) {
			printf("%s %s\n", names[i], res[i] ? res[i] : "NONE");
			free(res[i]);
		}
	}
	close(fd);
	return 0;
}

static int tcp_cut(const struct addr *a, uint16_t port, int rst)
{
	uint8_t part[] = { 0, 64, 0x12, 0x34, 0x01, 0x00, 0x00 };
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int fd = tcp_connect(a, port);

	if (fd < 0)
		return 1;
	if (write(fd, part, sizeof(part)) != (ssize_t)sizeof(part))
		return 1;
	usleep(100000);
	if (rst)
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
	return 0;
}

static int tcp_many(const struct addr *a, uint16_t port, const char *name, int n)
{
	int fds[1024], i, ok = 0;
	uint8_t q[512 + 2];
	size_t l = dnsquery_build(q + 2, sizeof(q) - 2, 7, 0, name, 1);

	if (n > 1024 || !l)
		return 1;
	q[0] = (uint8_t)(l >> 8);
	q[1] = (uint8_t)l;
	for (i = 0; i < n; i++) {
		fds[i] = tcp_connect(a, port);
		if (fds[i] >= 0 && write(fds[i], q, l + 2) != (ssize_t)(l + 2)) {
			close(fds[i]);
			fds[i] = -1;
		}
	}
	for (i = 0; i < n; i++) {
		uint8_t hdr[2], msg[4096];
		size_t ml;

		if (fds[i] < 0)
			continue;
		if (!read_full(fds[i], hdr, 2) && (ml = (size_t)(hdr[0] << 8 | hdr[1])) >= 12 &&
		    ml <= sizeof(msg) && !read_full(fds[i], msg, ml))
			ok++;
	}
	/* all held open until every answer or refusal is in */
	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	printf("answered %d of %d\n", ok, n);
	return 0;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* tcp_dribble() - hold @n connections with a query that never ends: a byte
 * every @every_ms; report when the server closed them */
static int tcp_dribble(const struct addr *a, uint16_t port, int n, long secs, int every_ms)
{
	int fds[512], closed = 0, refused = 0, i;
	uint64_t start = now_us(), last_close = 0, next_byte;
	uint8_t b = 0;

	if (n < 1 || n > 512)
		return 1;
	for (i = 0; i < n; i++) {
		fds[i] = tcp_connect(a, port);
		if (fds[i] < 0)
			return 1;
		/* a length prefix: 40 bytes to come */
		if (send(fds[i], "\0\x28", 2, MSG_NOSIGNAL) != 2) {
			close(fds[i]);
			fds[i] = -1;
			closed++;
			refused++;
			last_close = now_us();
		}
	}
	next_byte = now_us() + (uint64_t)every_ms * 1000;
	while (closed < n && now_us() - start < (uint64_t)secs * 1000000) {
		struct pollfd pfd[512];
		uint8_t buf[64];

		for (i = 0; i < n; i++)
			pfd[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
		poll(pfd, (nfds_t)n, 50);
		for (i = 0; i < n; i++) {
			if (fds[i] < 0 || !pfd[i].revents)
				continue;
			if (recv(fds[i], buf, sizeof(buf), MSG_DONTWAIT) > 0)
				continue;
			close(fds[i]);
			fds[i] = -1;
			closed++;
			last_close = now_us();
		}
		if (now_us() >= next_byte) {
			for (i = 0; i < n; i++) {
				if (fds[i] >= 0 && send(fds[i], &b, 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 &&
				    errno != EAGAIN) {
					close(fds[i]);
					fds[i] = -1;
					closed++;
					last_close = now_us();
				}
			}
			next_byte += (uint64_t)every_ms * 1000;
		}
	}
	printf("refused %d closed %d of %d, last after %llu ms\n", refused, closed, n,
	       last_close ? (unsigned long long)((last_close - start) / 1000) : 0ULL);
	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return 0;
}

static int udp_load(const struct addr *a, uint16_t port, char **names, int nnames, long count,
		    int window, const struct addr *src)
{
	struct sockaddr_storage ss, bs;
	size_t sl = addr_to_sockaddr(a, port, &ss);
	int fd = socket(a->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd >= 0 && src->family) {
		size_t bl = addr_to_sockaddr(src, 0, &bs);

		if (bind(fd, (struct sockaddr *)&bs, (socklen_t)bl)) {
			perror("bind");
			return 1;
		}
	}
	uint8_t q[512], r[4096];
	long sent = 0, answered = 0, inflight = 0;
	uint64_t start, last;
	size_t ql;

	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, (socklen_t)sl)) {
		perror("udp connect");
		return 1;
	}
	start = last = now_us();
	while (answered < count) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		while (inflight < window && sent < count) {
			ql = dnsquery_build(q, sizeof(q), (uint16_t)sent, 0, names[sent % nnames], 1);
			if (send(fd, q, ql, 0) < 0)
				break;
			sent++;
			inflight++;
		}
		if (poll(&pfd, 1, 200) <= 0) {
			if (now_us() - last > 2000000)
				break;		/* the rest is lost */
			inflight = 0;		/* resend the window */
			continue;
		}
		while (recv(fd, r, sizeof(r), MSG_DONTWAIT) > 0) {
			answered++;
			if (inflight)
				inflight--;
			last = now_us();
		}
	}
	{
		double secs = (double)(now_us() - start) / 1e6;

		printf("answered %ld lost %ld qps %.0f us %.1f\n", answered, sent - answered,
		       secs > 0 ? (double)answered / secs : 0.0,
		       answered ? secs * 1e6 / (double)answered : 0.0);
	}
	return answered == count ? 0 : 1;
}

int main(int argc, char **argv)
{
	int c, mode = 0, window = 32, dribble = 0;
	long count = 1000;
	unsigned long port = 53;
	struct addr srv, src = { 0 };

	while ((c = getopt(argc, argv, "tREuC:D:p:n:w:b:h")) != -1) {
		switch (c) {
		case 'D': mode = c; dribble = atoi(optarg); break;
		case 't': case 'R': case 'E': case 'u': mode = c; break;
		case 'C': mode = c; count = strtol(optarg, NULL, 10); break;
		case 'p': port = strtoul(optarg, NULL, 10); break;
		case 'n': count = strtol(optarg, NULL, 10); break;
		case 'w': window = atoi(optarg); break;
		case 'b':
			if (addr_parse(optarg, &src))
				return 1;
			break;
		default:
			fprintf(stderr, "usage: see the comment at the top of dnsload.c\n");
			return c == 'h' ? 0 : 1;
		}
	}
	if (!mode || optind >= argc || addr_parse(argv[optind], &srv)) {
		fprintf(stderr, "dnsload: need a mode and a server address\n");
		return 1;
	}
	switch (mode) {
	case 't':
		return tcp_pipeline(&srv, (uint16_t)port, argv + optind + 1, argc - optind - 1);
	case 'R':
	case 'E':
		return tcp_cut(&srv, (uint16_t)port, mode == 'R');
	case 'D':
		return tcp_dribble(&srv, (uint16_t)port, dribble, count == 1000 ? 20 : count,
				   window == 32 ? 1000 : window);
	case 'C':
		if (optind + 1 >= argc)
			return 1;
		return tcp_many(&srv, (uint16_t)port, argv[optind + 1], (int)count);
	default:
		if (optind + 1 >= argc)
			return 1;
		return udp_load(&srv, (uint16_t)port, argv + optind + 1, argc - optind - 1, count,
				window > 0 ? window : 1, &src);
	}
}
