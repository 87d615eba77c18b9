// SPDX-License-Identifier: GPL-2.0-or-later
/* attach.c - the seqpacket attach socket */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "attach.h"
#include "cleanup.h"
#include "log.h"

int attach_listen(struct attach_srv *a, const char *bundle, const char *socket_dir,
		  const char *cuuid, int full_attach)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	_cleanup_close_ int dirfd = -1;
	int fd, i;

	a->listen_fd = -1;
	a->link_path[0] = '\0';
	for (i = 0; i < ATTACH_MAX_CLIENTS; i++)
		a->clients[i] = -1;
	if (snprintf(a->sock_path, sizeof(a->sock_path), "%s/attach", bundle) >= (int)sizeof(a->sock_path))
		return -ENAMETOOLONG;
	dirfd = open(bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		int e = -errno;

		err("open(%s): %s", bundle, strerror(errno));
		return e;
	}
	if (socket_dir && !full_attach) {
		if (snprintf(a->link_path, sizeof(a->link_path), "%s/%s", socket_dir, cuuid) >= (int)sizeof(a->link_path))
			a->link_path[0] = '\0';
		else if (symlink(bundle, a->link_path) < 0 && errno != EEXIST) {
			warn("symlink(%s): %s", a->link_path, strerror(errno));
			a->link_path[0] = '\0';
		}
	}
	/* the bundle path may exceed sun_path: go through our descriptor */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/attach", dirfd);
	unlinkat(dirfd, "attach", 0);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 10) < 0) {
		int e = -errno;

		err("bind(%s): %s", a->sock_path, strerror(errno));
		close(fd);
		return e;
	}
	fchmodat(dirfd, "attach", 0700, 0);
	a->listen_fd = fd;
	return 0;
}

int attach_accept(struct attach_srv *a)
{
	int fd, i;

	fd = accept4(a->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return -errno;
	for (i = 0; i < ATTACH_MAX_CLIENTS; i++) {
		if (a->clients[i] < 0) {
			a->clients[i] = fd;
			a->input_done[i] = 0;
			return i;
		}
	}
	warn("attach: more than %d clients, refusing one", ATTACH_MAX_CLIENTS);
	close(fd);
	return -EMFILE;
}

void attach_broadcast(struct attach_srv *a, unsigned char stream,
		      const char *data, size_t len)
{
	size_t off;
	int i;

	for (i = 0; i < ATTACH_MAX_CLIENTS; i++) {
		if (a->clients[i] < 0)
			continue;
		for (off = 0; off < len; off += ATTACH_CHUNK) {
			size_t n = len - off < ATTACH_CHUNK ? len - off : ATTACH_CHUNK;
			struct iovec iov[2] = {
				{ .iov_base = &stream, .iov_len = 1 },
				{ .iov_base = (void *)(data + off), .iov_len = n },
			};
			struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };

			if (sendmsg(a->clients[i], &mh, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
				if (errno == EAGAIN || errno == ENOBUFS)
					break;	/* slow client: it misses this chunk */
				attach_drop(a, i);
				break;
			}
		}
	}
}

void attach_drop(struct attach_srv *a, int slot)
{
	if (slot < 0 || slot >= ATTACH_MAX_CLIENTS || a->clients[slot] < 0)
		return;
	close(a->clients[slot]);
	a->clients[slot] = -1;
	a->input_done[slot] = 0;
}

void attach_close(struct attach_srv *a)
{
	int i;

	for (i = 0; i < ATTACH_MAX_CLIENTS; i++)
		attach_drop(a, i);
	if (a->listen_fd >= 0) {
		close(a->listen_fd);
		unlink(a->sock_path);
	}
	a->listen_fd = -1;
	if (a->link_path[0])
		unlink(a->link_path);
	a->link_path[0] = '\0';
}
