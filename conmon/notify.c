// SPDX-License-Identifier: GPL-2.0-or-later
/* notify.c - relay a container's sd_notify messages to the host's socket */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "notify.h"

static const char *const notify_lines[] = {
	"READY=1", "RELOADING=1", "STOPPING=1", "WATCHDOG=1", "WATCHDOG=trigger",
};
static const char *const notify_prefixes[] = {
	"STATUS=", "ERRNO=", "BUSERROR=", "MONOTONIC_USEC=",
};

/* Whether one line (without its end) may be relayed */
static int notify_line_allowed(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(notify_lines) / sizeof(notify_lines[0]); i++)
		if (len == strlen(notify_lines[i]) && !memcmp(line, notify_lines[i], len))
			return 1;
	for (i = 0; i < sizeof(notify_prefixes) / sizeof(notify_prefixes[0]); i++) {
		size_t pl = strlen(notify_prefixes[i]);

		if (len >= pl && !memcmp(line, notify_prefixes[i], pl))
			return 1;
	}
	return 0;
}

size_t notify_filter(const char *msg, size_t len, char *out, size_t outlen)
{
	size_t off = 0, n = 0;

	while (off < len) {
		size_t end = off;

		while (end < len && msg[end] != '\n' && msg[end] != '\r')
			end++;
		if (end > off && notify_line_allowed(msg + off, end - off) &&
		    n + (n ? 1 : 0) + (end - off) <= outlen) {
			if (n)
				out[n++] = '\n';
			memcpy(out + n, msg + off, end - off);
			n += end - off;
		}
		off = end + 1;
	}
	return n;
}

/* The host's address; "@name" is an abstract socket */
static int notify_host_addr(struct notify_relay *n, const char *path)
{
	size_t len = strlen(path);

	memset(&n->host, 0, sizeof(n->host));
	n->host.sun_family = AF_UNIX;
	if (!len || len >= sizeof(n->host.sun_path))
		return -ENAMETOOLONG;
	memcpy(n->host.sun_path, path, len);
	if (path[0] == '@') {
		n->host.sun_path[0] = '\0';
		n->host_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	} else {
		n->host_len = (socklen_t)sizeof(n->host);
	}
	return 0;
}

int notify_open(struct notify_relay *n, const char *bundle, const char *host_path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	_cleanup_close_ int dirfd = -1;
	char dir[PATH_MAX];
	int r;

	n->fd = n->host_fd = -1;
	n->send_errno = 0;
	n->path[0] = '\0';
	r = notify_host_addr(n, host_path);
	if (r < 0) {
		err("--sdnotify-socket %s: not a usable socket path", host_path);
		return r;
	}
	if (snprintf(dir, sizeof(dir), "%s/notify", bundle) >= (int)sizeof(dir) ||
	    snprintf(n->path, sizeof(n->path), "%s/notify.sock", dir) >= (int)sizeof(n->path))
		return -ENAMETOOLONG;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		r = -errno;
		err("mkdir(%s): %s", dir, strerror(errno));
		return r;
	}
	dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		r = -errno;
		err("open(%s): %s", dir, strerror(errno));
		return r;
	}
	/* the bundle path may exceed sun_path: bind through our descriptor */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/notify.sock", dirfd);
	unlinkat(dirfd, "notify.sock", 0);
	n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	n->host_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (n->fd < 0 || n->host_fd < 0 ||
	    bind(n->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    fchmodat(dirfd, "notify.sock", 0777, 0) < 0) {
		r = -errno;
		err("bind(%s): %s", n->path, strerror(errno));
		notify_close(n);
		return r;
	}
	return 0;
}

int notify_relay_pending(struct notify_relay *n)
{
	char msg[NOTIFY_MSG_MAX], out[NOTIFY_MSG_MAX];
	int i, relayed = 0;

	for (i = 0; i < 64; i++) {
		ssize_t len = recv(n->fd, msg, sizeof(msg), MSG_DONTWAIT);
		size_t olen;

		if (len < 0)
			break;
		olen = notify_filter(msg, (size_t)len, out, sizeof(out));
		if (!olen)
			continue;
		if (sendto(n->host_fd, out, olen, MSG_DONTWAIT | MSG_NOSIGNAL,
			   (struct sockaddr *)&n->host, n->host_len) < 0) {
			if (n->send_errno != errno)
				warn("sendto(sd_notify socket %s): %s: container notification dropped",
				     n->host.sun_path[0] ? n->host.sun_path : "(abstract)", strerror(errno));
			n->send_errno = errno;
			continue;
		}
		n->send_errno = 0;
		relayed++;
	}
	return relayed;
}

void notify_close(struct notify_relay *n)
{
	if (n->fd >= 0) {
		close(n->fd);
		unlink(n->path);
	}
	if (n->host_fd >= 0)
		close(n->host_fd);
	n->fd = n->host_fd = -1;
}
