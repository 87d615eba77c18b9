/* SPDX-License-Identifier: GPL-2.0-or-later
 * notify.h - the sd_notify relay of --sdnotify-socket (Podman's
 * --sdnotify=container): a datagram socket BUNDLE/notify/notify.sock that the
 * engine mounts into the container as NOTIFY_SOCKET; the few messages a
 * container may send on its service's behalf go on to the host's socket
 */
#ifndef BURROW_CONMON_NOTIFY_H
#define BURROW_CONMON_NOTIFY_H

#include <limits.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

#define NOTIFY_MSG_MAX	4096	/* bytes of one datagram relayed; longer ones are cut */

struct notify_relay {
	int fd;				/* BUNDLE/notify/notify.sock, non-blocking */
	int host_fd;			/* unbound datagram socket for sendto() */
	struct sockaddr_un host;	/* the host's socket */
	socklen_t host_len;
	char path[PATH_MAX];		/* BUNDLE/notify/notify.sock */
	int send_errno;			/* last sendto() error reported, 0 after a success */
};

/**
 * notify_filter() - keep the lines a container may send to its service's
 * manager: READY=1, RELOADING=1, STOPPING=1, WATCHDOG=1, WATCHDOG=trigger,
 * and STATUS=, ERRNO=, BUSERROR=, MONOTONIC_USEC= lines (as conmon); MAINPID=,
 * FDSTORE= and the rest are dropped
 * @msg:	one datagram, lines separated by "\n" (or "\r")
 * @len:	its length
 * @out:	kept lines joined by "\n", no trailing newline
 * @outlen:	size of @out (at least @len)
 *
 * Return: length written to @out (0: nothing to relay)
 */
size_t notify_filter(const char *msg, size_t len, char *out, size_t outlen);

/**
 * notify_open() - make BUNDLE/notify/notify.sock (directory created if
 * missing, socket mode 0777 so any container user may send) and a socket
 * for the host's
 * @n:		result
 * @bundle:	the bundle directory
 * @host_path:	the host's notify socket ("@name" for an abstract one)
 *
 * Return: 0, or -errno (-ENAMETOOLONG: @host_path does not fit a socket address)
 */
int notify_open(struct notify_relay *n, const char *bundle, const char *host_path);

/**
 * notify_relay_pending() - relay every datagram waiting (at most 64 per
 * call, so one container cannot hold the loop)
 * @n:		relay
 *
 * Return: number of datagrams relayed
 */
int notify_relay_pending(struct notify_relay *n);

/**
 * notify_close() - close both sockets and remove the socket file
 * @n:		relay (may be unused: fd -1)
 */
void notify_close(struct notify_relay *n);

#endif /* BURROW_CONMON_NOTIFY_H */
