// SPDX-License-Identifier: GPL-2.0-or-later
/* tcpsink.c - one-way TCP transfers that report stalls, for loss tests
 *
 *	tcpsink serve PORT          accept connections one after another, read
 *	                            each to its end, print one line per connection:
 *	                            "bytes=N ms=T max_gap_ms=G bad=B" (G: the
 *	                            longest time between two reads that brought
 *	                            data, the first byte's wait included; B: bytes
 *	                            that differ from what send sends), then close
 *	tcpsink send HOST PORT BYTES
 *	                            send BYTES of a pattern, half-close, wait for
 *	                            the server to close; print "ms=T"
 *	tcpsink recv HOST PORT BYTES PAUSE_AT PAUSE_MS
 *	                            connect, read BYTES (the server must send
 *	                            them), stop reading for PAUSE_MS after PAUSE_AT
 *	                            bytes; print "ms=T" or what went wrong
 *	tcpsink source PORT BYTES   accept connections one after another, send
 *	                            BYTES to each, close
 * Exit 0 on success, 1 with a message otherwise.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int listen_on(const char *port)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)atoi(port)) };
	int fd = socket(AF_INET6, SOCK_STREAM, 0), one = 1, zero = 0;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 16)) {
		perror("bind/listen");
		return -1;
	}
	return fd;
}

static int connect_to(const char *host, const char *port)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST }, *ai;
	int fd, r = getaddrinfo(host, port, &hints, &ai);

	if (r) {
		fprintf(stderr, "getaddrinfo(%s): %s\n", host, gai_strerror(r));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		perror("connect");
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	return fd;
}

static char buf[1 << 16];

/* byte @i of what send sends: its 64 KiB buffer, over and over */
static char pattern(uint64_t i)
{
	i &= sizeof(buf) - 1;
	return (char)(i * 131 + (i >> 12));
}

static int serve(const char *port)
{
	int lfd = listen_on(port);

	if (lfd < 0)
		return 1;
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		uint64_t start, last, gap = 0, bytes = 0, bad = 0;
		ssize_t n;

		if (fd < 0)
			continue;
		start = last = now_ms();
		while ((n = read(fd, buf, sizeof(buf))) > 0) {
			uint64_t t = now_ms();

			if (t - last > gap)
				gap = t - last;
			last = t;
			for (ssize_t i = 0; i < n; i++)
				bad += buf[i] != pattern(bytes + (uint64_t)i);
			bytes += (uint64_t)n;
		}
		printf("bytes=%llu ms=%llu max_gap_ms=%llu bad=%llu\n", (unsigned long long)bytes,
		       (unsigned long long)(now_ms() - start), (unsigned long long)gap,
		       (unsigned long long)bad);
		fflush(stdout);
		close(fd);
	}
}

static int source(const char *port, long long total)
{
	int lfd = listen_on(port);

	if (lfd < 0)
		return 1;
	memset(buf, 'x', sizeof(buf));
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		long long left = total;

		if (fd < 0)
			continue;
		while (left > 0) {
			ssize_t n = write(fd, buf, left < (long long)sizeof(buf) ? (size_t)left : sizeof(buf));

			if (n <= 0)
				break;
			left -= n;
		}
		close(fd);
	}
}

static int send_bytes(const char *host, const char *port, long long total)
{
	int fd = connect_to(host, port);
	uint64_t start = now_ms();
	long long left = total;

	if (fd < 0)
		return 1;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = pattern(i);
	while (left > 0) {
		ssize_t n = write(fd, buf, left < (long long)sizeof(buf) ? (size_t)left : sizeof(buf));

		if (n <= 0) {
			perror("write");
			return 1;
		}
		left -= n;
	}
	shutdown(fd, SHUT_WR);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	printf("ms=%llu\n", (unsigned long long)(now_ms() - start));
	return 0;
}

static int recv_bytes(const char *host, const char *port, long long total, long long pause_at,
		      long long pause_ms)
{
	int fd = connect_to(host, port), paused = 0;
	uint64_t start = now_ms();
	long long got = 0;

	if (fd < 0)
		return 1;
	while (got < total) {
		ssize_t n;

		if (!paused && got >= pause_at) {
			paused = 1;
			usleep((useconds_t)pause_ms * 1000);
		}
		n = read(fd, buf, sizeof(buf));
		if (n <= 0) {
			printf("stream ended after %lld of %lld bytes\n", got, total);
			return 1;
		}
		got += n;
	}
	printf("ms=%llu\n", (unsigned long long)(now_ms() - start));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "serve"))
		return serve(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "source"))
		return source(argv[2], atoll(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "send"))
		return send_bytes(argv[2], argv[3], atoll(argv[4]));
	if (argc == 7 && !strcmp(argv[1], "recv"))
		return recv_bytes(argv[2], argv[3], atoll(argv[4]), atoll(argv[5]), atoll(argv[6]));
	fprintf(stderr, "usage: tcpsink serve PORT | source PORT BYTES | send HOST PORT BYTES |"
		" recv HOST PORT BYTES PAUSE_AT PAUSE_MS\n");
	return 1;
}
