// SPDX-License-Identifier: GPL-2.0-or-later
/* spray.c - floods for the adversarial tests, bounded by a count, and a steady
 * client that measures whether an established connection keeps flowing
 *
 *	spray udp HOST PORT COUNT FIRSTPORT [SRCADDR...]
 *		one datagram to HOST:PORT from each of COUNT source ports
 *		(FIRSTPORT and up), spread over the SRCADDRs (IPv4) if given
 *	spray syn SRCADDR HOST PORT COUNT FIRSTPORT
 *		COUNT raw TCP SYNs (IPv4, needs CAP_NET_RAW) from SRCADDR, source
 *		ports FIRSTPORT and up; nothing answers their SYN-ACKs
 *	spray hold PORT BACKLOG
 *		listen on PORT with BACKLOG and never accept: connections
 *		complete in the kernel and stay open (runs until killed)
 *	spray steady HOST PORT SECONDS
 *		one TCP connection to an echo server: 1 KiB out, 1 KiB back, for
 *		SECONDS; prints "rounds=N max_gap_ms=M" (the longest wait for an
 *		echo) and exits 0, or prints the error and exits 1
 * Floods pace themselves (1 ms pause every 64 datagrams or 16 SYNs) so that a receiver's
 * socket buffer is not what drops them, and print "sent=N".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PACE_US		1000

/* packets between pauses: 64 datagrams, 16 SYNs (each costs the receiver a connect()) */
static long pace_every = 64;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void pace(long i)
{
	if (i % pace_every == pace_every - 1)
		usleep(PACE_US);
}

static int parse_v4(const char *s, struct in_addr *a)
{
	if (inet_pton(AF_INET, s, a) != 1) {
		fprintf(stderr, "not an IPv4 address: %s\n", s);
		return -1;
	}
	return 0;
}

static int spray_udp(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	long count, i, sent = 0;
	int first, nsrc = argc - 4;

	if (argc < 4 || parse_v4(argv[0], &dst.sin_addr))
		return 2;
	dst.sin_port = htons((uint16_t)atoi(argv[1]));
	count = atol(argv[2]);
	first = atoi(argv[3]);
	if (count <= 0 || first <= 0 || first + count / (nsrc ? nsrc : 1) > 65535) {
		fprintf(stderr, "bad COUNT/FIRSTPORT\n");
		return 2;
	}
	for (i = 0; i < count; i++) {
		struct sockaddr_in src = { .sin_family = AF_INET };
		int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), one = 1;

		if (fd < 0) {
			perror("socket");
			return 1;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (nsrc && parse_v4(argv[4 + i % nsrc], &src.sin_addr))
			return 2;
		src.sin_port = htons((uint16_t)(first + (nsrc ? i / nsrc : i)));
		if (bind(fd, (struct sockaddr *)&src, sizeof(src)) == 0 &&
		    sendto(fd, "x", 1, 0, (struct sockaddr *)&dst, sizeof(dst)) == 1)
			sent++;
		close(fd);
		pace(i);
	}
	printf("sent=%ld\n", sent);
	return sent == count ? 0 : 1;
}

static uint16_t csum_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static uint32_t csum_add(uint32_t s, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		s += (uint32_t)b[len - 1] << 8;
	return s;
}

static int spray_syn(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct in_addr src;
	long count, i, sent = 0;
	int fd, first;

	if (argc < 5 || parse_v4(argv[0], &src) || parse_v4(argv[1], &dst.sin_addr))
		return 2;
	count = atol(argv[3]);
	first = atoi(argv[4]);
	if (count <= 0 || first <= 0 || first + count > 65536) {
		fprintf(stderr, "bad COUNT/FIRSTPORT\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0) {
		perror("socket(AF_INET, SOCK_RAW, IPPROTO_TCP)");
		return 1;
	}
	srandom((unsigned)getpid());
	pace_every = 16;
	for (i = 0; i < count; i++) {
		uint8_t th[20] = { 0 }, ph[12];
		uint16_t sport = (uint16_t)(first + i), dport = (uint16_t)atoi(argv[2]), ck;
		uint32_t seq = (uint32_t)random();

		th[0] = (uint8_t)(sport >> 8); th[1] = (uint8_t)sport;
		th[2] = (uint8_t)(dport >> 8); th[3] = (uint8_t)dport;
		th[4] = (uint8_t)(seq >> 24); th[5] = (uint8_t)(seq >> 16);
		th[6] = (uint8_t)(seq >> 8); th[7] = (uint8_t)seq;
		th[12] = 5 << 4;
		th[13] = 0x02;			/* SYN */
		th[14] = 0xfa; th[15] = 0xf0;	/* window 64240 */
		memcpy(ph, &src, 4);
		memcpy(ph + 4, &dst.sin_addr, 4);
		ph[8] = 0;
		ph[9] = IPPROTO_TCP;
		ph[10] = 0;
		ph[11] = sizeof(th);
		ck = csum_fold(csum_add(csum_add(0, ph, sizeof(ph)), th, sizeof(th)));
		th[16] = (uint8_t)(ck >> 8);
		th[17] = (uint8_t)ck;
		if (sendto(fd, th, sizeof(th), 0, (struct sockaddr *)&dst, sizeof(dst)) ==
		    (ssize_t)sizeof(th))
			sent++;
		pace(i);
	}
	close(fd);
	printf("sent=%ld\n", sent);
	return sent == count ? 0 : 1;
}

static int spray_hold(int argc, char **argv)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT };
	int fd, one = 1, zero = 0;

	if (argc < 2)
		return 2;
	a.sin6_port = htons((uint16_t)atoi(argv[0]));
	fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, atoi(argv[1]))) {
		perror("hold: socket/bind/listen");
		return 1;
	}
	for (;;)
		pause();
}

/* Read exactly @len bytes within @ms milliseconds */
static int read_full(int fd, char *buf, size_t len, int ms)
{
	size_t got = 0;

	while (got < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, ms) <= 0)
			return -ETIMEDOUT;
		n = read(fd, buf + got, len - got);
		if (n <= 0)
			return n ? -errno : -ECONNRESET;
		got += (size_t)n;
	}
	return 0;
}

static int spray_steady(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	char out[1024], in[1024];
	uint64_t end, gap = 0, rounds = 0;
	int fd, r, one = 1;

	if (argc < 3 || parse_v4(argv[0], &dst.sin_addr))
		return 2;
	dst.sin_port = htons((uint16_t)atoi(argv[1]));
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&dst, sizeof(dst))) {
		perror("steady: connect");
		return 1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	end = now_ms() + (uint64_t)atoi(argv[2]) * 1000;
	while (now_ms() < end) {
		uint64_t t0 = now_ms();

		memset(out, (int)('a' + rounds % 26), sizeof(out));
		if (write(fd, out, sizeof(out)) != (ssize_t)sizeof(out)) {
			perror("steady: write");
			return 1;
		}
		r = read_full(fd, in, sizeof(in), 10000);
		if (r || memcmp(in, out, sizeof(in))) {
			fprintf(stderr, "steady: round %llu: %s\n", (unsigned long long)rounds,
				r ? strerror(-r) : "echo differs");
			return 1;
		}
		if (now_ms() - t0 > gap)
			gap = now_ms() - t0;
		rounds++;
		usleep(2000);
	}
	printf("rounds=%llu max_gap_ms=%llu\n", (unsigned long long)rounds,
	       (unsigned long long)gap);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "udp"))
		return spray_udp(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "syn"))
		return spray_syn(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "hold"))
		return spray_hold(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "steady"))
		return spray_steady(argc - 2, argv + 2);
	fprintf(stderr, "usage: spray udp|syn|hold|steady ... (see spray.c)\n");
	return 2;
}
