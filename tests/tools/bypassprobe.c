// SPDX-License-Identifier: GPL-2.0-or-later
/* bypassprobe - socket calls from inside a container for the bypass tests
 * (built with cc -static and copied into the container's root):
 *   bypassprobe tcp ADDR PORT       connect (IPv4 or IPv6), print "local=ADDR" (IPv4)
 *                                   and what the peer says
 *   bypassprobe udp ADDR PORT       connected UDP: send "ping", print local and reply
 *   bypassprobe sendto ADDR PORT TO   connect UDP to ADDR, then sendto TO (port PORT):
 *                                   prints "sendto=OK" or "sendto=ERRNO"
 *   bypassprobe listen PORT         bind and listen on PORT, print "local=", answer one
 *                                   client and print its address as "peer=ADDR"
 *   bypassprobe udplisten PORT LOOPPORT  bind UDP PORT, answer one datagram, print
 *                                   "peer=ADDR", then sendto 127.0.0.1:LOOPPORT
 *                                   from that socket: "loopback=OK" or "loopback=ERRNO"
 *   bypassprobe rate ADDR PORT SEC  connect+close for SEC seconds, print "conn/s=N"
 *   bypassprobe sink ADDR PORT      accept and close connections forever (rate's peer)
 *   bypassprobe stale ADDR PORT N   N children block in connect() to ADDR (which does
 *                                   not answer) and are killed while they wait
 *   bypassprobe hostile ADDR PORT LOOPPORT SEC  bad pointers, bad lengths, racing
 *                                   address flips, fd exhaustion; prints "survived"
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in sin_of(const char *a, int port)
{
	struct sockaddr_in s = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

	inet_pton(AF_INET, a, &s.sin_addr);
	return s;
}

static void print_local(int fd)
{
	struct sockaddr_in s;
	socklen_t l = sizeof(s);
	char b[32];

	getsockname(fd, (struct sockaddr *)&s, &l);
	printf("local=%s\n", inet_ntop(AF_INET, &s.sin_addr, b, sizeof(b)));
}

static int tcp(const char *a, int port)
{
	struct sockaddr_in s = sin_of(a, port);
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	int v6 = strchr(a, ':') != NULL;
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
	char buf[256];
	ssize_t n;

	inet_pton(AF_INET6, a, &s6.sin6_addr);
	if ((v6 ? connect(fd, (struct sockaddr *)&s6, sizeof(s6)) :
		  connect(fd, (struct sockaddr *)&s, sizeof(s))) < 0) {
		printf("connect=%s\n", strerror(errno));
		return 1;
	}
	print_local(fd);
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("data=%s", buf);
	return 0;
}

static int udp(const char *a, int port)
{
	struct sockaddr_in s = sin_of(a, port);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct timeval tv = { 3, 0 };
	char buf[256];
	ssize_t n;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&s, sizeof(s)) < 0) {
		printf("connect=%s\n", strerror(errno));
		return 1;
	}
	print_local(fd);
	send(fd, "ping\n", 5, 0);
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	printf("data=%s\n", buf);
	return 0;
}

static int udp_sendto(const char *a, int port, const char *to)
{
	struct sockaddr_in s = sin_of(a, port), t = sin_of(to, port);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct msghdr m = { .msg_name = &t, .msg_namelen = sizeof(t) };
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };

	connect(fd, (struct sockaddr *)&s, sizeof(s));
	print_local(fd);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	if (sendto(fd, "x", 1, 0, (struct sockaddr *)&t, sizeof(t)) < 0)
		printf("sendto=%s\n", strerror(errno));
	else
		printf("sendto=OK\n");
	if (sendmsg(fd, &m, 0) < 0)
		printf("sendmsg=%s\n", strerror(errno));
	else
		printf("sendmsg=OK\n");
	return 0;
}

static int listen_one(int port)
{
	struct sockaddr_in s = sin_of("0.0.0.0", port);
	int fd = socket(AF_INET, SOCK_STREAM, 0), c, one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&s, sizeof(s)) < 0 || listen(fd, 8) < 0) {
		printf("bind=%s\n", strerror(errno));
		return 1;
	}
	print_local(fd);
	fflush(stdout);
	c = accept(fd, (struct sockaddr *)&s, &(socklen_t){ sizeof(s) });
	if (c < 0 || write(c, "hello-from-ctr\n", 15) < 0)
		return 1;
	printf("peer=%s\n", inet_ntoa(s.sin_addr));
	close(c);
	return 0;
}

static int udp_listen_one(int port, int loop_port)
{
	struct sockaddr_in s = sin_of("0.0.0.0", port), lo = sin_of("127.0.0.1", loop_port);
	socklen_t l = sizeof(s);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	char buf[256];

	if (bind(fd, (struct sockaddr *)&s, sizeof(s)) < 0) {
		printf("bind=%s\n", strerror(errno));
		return 1;
	}
	print_local(fd);
	fflush(stdout);
	if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&s, &l) < 0 ||
	    sendto(fd, "udp-hello\n", 10, 0, (struct sockaddr *)&s, l) < 0)
		return 1;
	printf("peer=%s\n", inet_ntoa(s.sin_addr));
	if (sendto(fd, "x", 1, 0, (struct sockaddr *)&lo, sizeof(lo)) < 0)
		printf("loopback=%s\n", strerror(errno));
	else
		printf("loopback=OK\n");
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int rate(const char *a, int port, int sec)
{
	struct sockaddr_in s = sin_of(a, port);
	double end = now() + sec, t0 = now();
	long n = 0, fails = 0;

	while (now() < end) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct linger lg = { 1, 0 };

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		if (connect(fd, (struct sockaddr *)&s, sizeof(s)) == 0)
			n++;
		else
			fails++;
		close(fd);
	}
	printf("conn/s=%.0f fails=%ld\n", n / (now() - t0), fails);
	return 0;
}

/* the address a racing thread flips between remote and host loopback */
static struct sockaddr_in flip;
static volatile int stop;
static struct sockaddr_in remote_sa, loop_sa;

static void *flipper(void *arg)
{
	(void)arg;
	while (!stop) {
		memcpy(&flip, &loop_sa, sizeof(flip));
		memcpy(&flip, &remote_sa, sizeof(flip));
	}
	return NULL;
}

static void *closer(void *arg)
{
	(void)arg;
	/* descriptor numbers the racing connects are likely to use */
	while (!stop)
		for (int fd = 5; fd < 12; fd++)
			dup2(0, fd);
	return NULL;
}

static int hostile(const char *a, int port, int lport, int sec)
{
	struct sockaddr_in s = sin_of(a, port);
	void *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_t t1, t2;
	double end = now() + sec;
	char big[300];
	long i, n = 0;
	int fd;

	remote_sa = s;
	loop_sa = sin_of("127.0.0.1", lport);
	/* bad pointers and lengths */
	for (i = 0; i < 200; i++) {
		fd = socket(AF_INET, i & 1 ? SOCK_DGRAM : SOCK_STREAM, 0);
		connect(fd, NULL, sizeof(s));
		connect(fd, (void *)1, sizeof(s));
		connect(fd, page, sizeof(s));
		connect(fd, (struct sockaddr *)&s, 0);
		connect(fd, (struct sockaddr *)&s, 1);
		connect(fd, (struct sockaddr *)&s, 0x7fffffff);
		connect(fd, (struct sockaddr *)((char *)page - 4), sizeof(s));
		memset(big, 0xff, sizeof(big));
		connect(fd, (struct sockaddr *)big, sizeof(big));
		bind(fd, page, sizeof(s));
		bind(fd, NULL, 16);
		sendto(fd, "x", 1, 0, page, sizeof(s));
		sendto(fd, page, 100, 0, (struct sockaddr *)&s, sizeof(s));
		sendmsg(fd, page, 0);
		sendmsg(fd, NULL, 0);
		sendmmsg(fd, page, 4, 0);
		connect(12345, (struct sockaddr *)&s, sizeof(s));	/* no such fd */
		connect(1, (struct sockaddr *)&s, sizeof(s));		/* not a socket */
		close(fd);
	}
	/* connected UDP on the host, then sendto/sendmsg toward host loopback */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	connect(fd, (struct sockaddr *)&s, sizeof(s));
	sendto(fd, "x", 1, 0, (struct sockaddr *)&loop_sa, sizeof(loop_sa));
	close(fd);
	/* racing: connect() on an address another thread keeps flipping to the
	 * host's loopback, while a third thread replaces descriptors */
	flip = s;
	pthread_create(&t1, NULL, flipper, NULL);
	pthread_create(&t2, NULL, closer, NULL);
	while (now() < end) {
		int nb = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

		fd = socket(AF_INET, SOCK_STREAM, 0);
		connect(nb, (struct sockaddr *)&flip, sizeof(flip));
		connect(fd, (struct sockaddr *)&flip, sizeof(flip));
		close(fd);
		close(nb);
		n++;
	}
	stop = 1;
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	/* fd exhaustion: a table with no room left */
	{
		struct rlimit rl = { 64, 64 };
		int fds[64], k = 0;

		setrlimit(RLIMIT_NOFILE, &rl);
		while (k < 64 && (fds[k] = socket(AF_INET, SOCK_STREAM, 0)) >= 0)
			k++;
		for (i = 0; i < k; i++)
			connect(fds[i], (struct sockaddr *)&s, sizeof(s));
		while (k > 0)
			close(fds[--k]);
	}
	printf("survived racing=%ld\n", n);
	return 0;
}

static int stale(const char *a, int port, int n)
{
	struct sockaddr_in s = sin_of(a, port);
	pid_t kids[256];
	int i;

	for (i = 0; i < n && i < 256; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			int fd = socket(AF_INET, SOCK_STREAM, 0);

			connect(fd, (struct sockaddr *)&s, sizeof(s));
			_exit(0);
		}
	}
	usleep(300000);
	for (i = 0; i < n && i < 256; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	/* stay, so that the agent finds them stale while our session lives */
	sleep(4);
	printf("stale done\n");
	return 0;
}

static int sink(const char *a, int port)
{
	struct sockaddr_in s = sin_of(a, port);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&s, sizeof(s)) < 0 || listen(fd, 1024) < 0)
		return 1;
	for (;;) {
		int c = accept(fd, NULL, NULL);

		if (c >= 0)
			close(c);
	}
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (argc == 4 && !strcmp(argv[1], "tcp"))
		return tcp(argv[2], atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "udp"))
		return udp(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "sendto"))
		return udp_sendto(argv[2], atoi(argv[3]), argv[4]);
	if (argc == 4 && !strcmp(argv[1], "udplisten"))
		return udp_listen_one(atoi(argv[2]), atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "listen"))
		return listen_one(atoi(argv[2]));
	if (argc == 5 && !strcmp(argv[1], "rate"))
		return rate(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "stale"))
		return stale(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "sink"))
		return sink(argv[2], atoi(argv[3]));
	if (argc == 6 && !strcmp(argv[1], "hostile"))
		return hostile(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
	fprintf(stderr, "usage: see the comment at the top of bypassprobe.c\n");
	return 2;
}
