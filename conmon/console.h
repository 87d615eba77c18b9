/* SPDX-License-Identifier: GPL-2.0-or-later
 * console.h - the --console-socket over which the runtime hands over the
 * pseudo-terminal master of a container started with a terminal
 */
#ifndef BURROW_CONMON_CONSOLE_H
#define BURROW_CONMON_CONSOLE_H

#include <limits.h>

struct console_sock {
	int listen_fd;
	char dir[PATH_MAX];
	char path[PATH_MAX];
};

/**
 * console_listen() - make a private directory and a listening unix socket in it
 * @c:		result; c->path is what the runtime gets as --console-socket
 * @base:	directory for the private one ($XDG_RUNTIME_DIR or /tmp)
 *
 * Return: 0, or -errno
 */
int console_listen(struct console_sock *c, const char *base);

/**
 * console_receive() - accept one connection and receive the terminal fd
 * @c:		listening socket
 * @block:	wait for a connection if non-zero
 *
 * Return: the pty master (close-on-exec), -EAGAIN if nobody connected, or -errno
 */
int console_receive(struct console_sock *c, int block);

/**
 * console_close() - close the socket and remove it and its directory
 * @c:		socket (may be unused)
 */
void console_close(struct console_sock *c);

/**
 * console_resize() - set the terminal's window size
 * @master:	pty master
 * @rows:	height
 * @cols:	width
 *
 * Return: 0, or -errno
 */
int console_resize(int master, unsigned rows, unsigned cols);

#endif /* BURROW_CONMON_CONSOLE_H */
