// SPDX-License-Identifier: GPL-2.0-or-later
/* attachc.c - a minimal client for a conmon-style attach socket (unix
 * SOCK_SEQPACKET): sends its arguments' text to the container's stdin and
 * prints what arrives, each message as "[STREAM]DATA".
 *
 *   attachc SOCKET [-s TEXT] [-u UNTIL] [-t SECONDS] [-r] [-w] [-R FILE]
 *	-s TEXT   send TEXT after connecting (a "\n" is added)
 *	-u UNTIL  stop (exit 0) once UNTIL has been seen in the output
 *	-t SEC    give up after SEC seconds (exit 2 when -u was not seen)
 *	-r        raw: print data only, without the stream tags
 *	-R FILE   create FILE once connected (to sequence a test)
 *	-w        shut down the writing side after sending (as Podman does
 *	          when it has no stdin to forward), keep reading
 *	-F BYTES  flood: send BYTES of input in 8192-byte messages, as fast as
 *	          the socket takes them (without ever blocking the reading)
 *	-C        count: print no output, at the end print
 *	          "received N sent M" (bytes of output, bytes of input sent)
 * Exit: 0, 1 on error, 2 on timeout, 3 when the socket closed before UNTIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *send_text = NULL, *until = NULL, *ready = NULL;
	static char seen[1 << 20];
	size_t seen_len = 0;
	double secs = 10;
	struct timespec t0, t;
	int fd, c, raw = 0, half = 0, count = 0;
	unsigned long long flood = 0, sent = 0, received = 0;
	static char chunk[8192];

	if (argc < 2) {
		fprintf(stderr, "usage: attachc SOCKET [-s TEXT] [-u UNTIL] [-t SECONDS] [-r] [-w] [-R FILE]\n");
		return 1;
	}
	optind = 2;
	while ((c = getopt(argc, argv, "s:u:t:rwR:F:C")) != -1) {
		switch (c) {
		case 's': send_text = optarg; break;
		case 'u': until = optarg; break;
		case 't': secs = atof(optarg); break;
		case 'r': raw = 1; break;
		case 'w': half = 1; break;
		case 'R': ready = optarg; break;
		case 'F': flood = strtoull(optarg, NULL, 10); break;
		case 'C': count = 1; break;
		default: return 1;
		}
	}
	if (strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "attachc: %s: path too long\n", argv[1]);
		return 1;
	}
	strcpy(sa.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "attachc: connect(%s): %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (f)
			fclose(f);
	}
	if (send_text) {
		char buf[4096];
		int n = snprintf(buf, sizeof(buf), "%s\n", send_text);

		if (send(fd, buf, (size_t)n, 0) != n) {
			fprintf(stderr, "attachc: send: %s\n", strerror(errno));
			return 1;
		}
	}
	if (half && shutdown(fd, SHUT_WR) < 0) {
		fprintf(stderr, "attachc: shutdown: %s\n", strerror(errno));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(chunk, 'i', sizeof(chunk));
	chunk[sizeof(chunk) - 1] = '\n';
	if (flood)
		fcntl(fd, F_SETFL, O_NONBLOCK);
	for (;;) {
		char buf[8193];
		struct pollfd p = { .fd = fd, .events = POLLIN | (sent < flood ? POLLOUT : 0) };
		double left;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &t);
		left = secs - ((double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9);
		if (left <= 0) {
			if (count)
				printf("received %llu sent %llu\n", received, sent);
			return until ? 2 : 0;
		}
		if (poll(&p, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		if (p.revents & POLLOUT) {
			size_t k = flood - sent < sizeof(chunk) ? (size_t)(flood - sent) : sizeof(chunk);

			n = send(fd, chunk, k, MSG_NOSIGNAL);
			if (n > 0)
				sent += (unsigned long long)n;
			else if (n < 0 && errno != EAGAIN) {
				fprintf(stderr, "attachc: send: %s (after %llu bytes)\n", strerror(errno), sent);
				return 1;
			}
		}
		if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n <= 0) {
			if (count)
				printf("received %llu sent %llu\n", received, sent);
			return until ? 3 : 0;
		}
		received += (unsigned long long)n - 1;
		if (count)
			continue;
		if (raw)
			fwrite(buf + 1, 1, (size_t)n - 1, stdout);
		else
			printf("[%d]%.*s", buf[0], (int)n - 1, buf + 1);
		fflush(stdout);
		if (until) {
			size_t k = (size_t)n - 1;

			if (seen_len + k >= sizeof(seen))
				seen_len = 0;
			memcpy(seen + seen_len, buf + 1, k);
			seen_len += k;
			seen[seen_len] = '\0';
			if (memmem(seen, seen_len, until, strlen(until)))
				return 0;
		}
	}
}
