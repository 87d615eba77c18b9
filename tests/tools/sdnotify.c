// SPDX-License-Identifier: GPL-2.0-or-later
/* sdnotify.c - both ends of the sd_notify protocol for tests.
 *
 *   sdnotify -l PATH [-t SECONDS] [-n COUNT]
 *	bind a datagram socket at PATH (a manager's NOTIFY_SOCKET) and print
 *	each message received on one line, its newlines shown as '|'; stop
 *	after COUNT messages (exit 0) or SECONDS (exit 2)
 *   sdnotify -s TEXT [PATH]
 *	send TEXT as one datagram to PATH (default: $NOTIFY_SOCKET); the two
 *	characters \n in TEXT stand for a newline
 * Self-contained (no libburrow) so that a static copy can run in a container.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int sd_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (!path || strlen(path) >= sizeof(sa->sun_path)) {
		fprintf(stderr, "sdnotify: bad socket path\n");
		return -1;
	}
	strcpy(sa->sun_path, path);
	return 0;
}

static int sd_send(const char *text, const char *path)
{
	struct sockaddr_un sa;
	char msg[4096];
	size_t n = 0;
	int fd;

	if (sd_addr(&sa, path))
		return 1;
	for (; *text && n < sizeof(msg); text++) {
		if (text[0] == '\\' && text[1] == 'n') {
			msg[n++] = '\n';
			text++;
		} else {
			msg[n++] = *text;
		}
	}
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0 || sendto(fd, msg, n, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "sdnotify: sendto(%s): %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

static int sd_listen(const char *path, int secs, int count)
{
	struct sockaddr_un sa;
	int fd, got = 0, waited = 0;

	if (sd_addr(&sa, path))
		return 1;
	unlink(path);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "sdnotify: bind(%s): %s\n", path, strerror(errno));
		return 1;
	}
	while (waited < secs * 10 && (!count || got < count)) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char msg[4097];
		ssize_t n, i;

		if (poll(&p, 1, 100) <= 0) {
			waited++;
			continue;
		}
		n = recv(fd, msg, sizeof(msg) - 1, 0);
		if (n < 0)
			continue;
		for (i = 0; i < n; i++)
			if (msg[i] == '\n')
				msg[i] = '|';
		printf("%.*s\n", (int)n, msg);
		fflush(stdout);
		got++;
	}
	unlink(path);
	return count && got < count ? 2 : 0;
}

int main(int argc, char **argv)
{
	const char *listen = NULL, *text = NULL;
	int c, secs = 10, count = 0;

	while ((c = getopt(argc, argv, "l:s:t:n:")) != -1) {
		switch (c) {
		case 'l': listen = optarg; break;
		case 's': text = optarg; break;
		case 't': secs = atoi(optarg); break;
		case 'n': count = atoi(optarg); break;
		default: return 1;
		}
	}
	if (listen)
		return sd_listen(listen, secs, count);
	if (text)
		return sd_send(text, optind < argc ? argv[optind] : getenv("NOTIFY_SOCKET"));
	fprintf(stderr, "usage: sdnotify -l PATH [-t SECONDS] [-n COUNT] | -s TEXT [PATH]\n");
	return 1;
}
