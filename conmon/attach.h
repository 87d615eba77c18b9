/* SPDX-License-Identifier: GPL-2.0-or-later
 * attach.h - the attach socket (unix SOCK_SEQPACKET, BUNDLE/attach): clients
 * get the container's output as messages "STREAM-BYTE DATA" and their own
 * messages go to the container's stdin
 */
#ifndef BURROW_CONMON_ATTACH_H
#define BURROW_CONMON_ATTACH_H

#include <limits.h>
#include <stddef.h>

#define ATTACH_MAX_CLIENTS	16
#define ATTACH_CHUNK		8192	/* data bytes per message, as conmon */
#define ATTACH_STDOUT		2
#define ATTACH_STDERR		3

struct attach_srv {
	int listen_fd;
	int clients[ATTACH_MAX_CLIENTS];	/* -1: free slot */
	unsigned char input_done[ATTACH_MAX_CLIENTS];	/* client shut its writing side */
	char sock_path[PATH_MAX];		/* BUNDLE/attach */
	char link_path[PATH_MAX];		/* SOCKET-DIR/CUUID, or "" */
};

/**
 * attach_listen() - bind and listen on BUNDLE/attach
 * @a:		result
 * @bundle:	bundle directory
 * @socket_dir:	--socket-dir-path, or NULL
 * @cuuid:	container UUID (the symlink's name in @socket_dir)
 * @full_attach: bind through /proc/self/fd so long bundle paths work, and
 *		make no symlink in @socket_dir
 *
 * Return: 0, or -errno
 */
int attach_listen(struct attach_srv *a, const char *bundle, const char *socket_dir,
		  const char *cuuid, int full_attach);

/**
 * attach_accept() - accept one client
 * @a:		server
 *
 * Return: the client's slot, or -errno (-EMFILE when all slots are in use)
 */
int attach_accept(struct attach_srv *a);

/**
 * attach_broadcast() - send output to every client, ATTACH_CHUNK bytes per message
 * @a:		server
 * @stream:	ATTACH_STDOUT or ATTACH_STDERR
 * @data:	output
 * @len:	length of @data
 *
 * A client that cannot keep up misses data; one that went away is dropped.
 */
void attach_broadcast(struct attach_srv *a, unsigned char stream,
		      const char *data, size_t len);

/**
 * attach_drop() - close the client in @slot
 * @a:		server
 * @slot:	slot index
 */
void attach_drop(struct attach_srv *a, int slot);

/**
 * attach_close() - close every socket and remove the socket file and symlink
 * @a:		server
 */
void attach_close(struct attach_srv *a);

#endif /* BURROW_CONMON_ATTACH_H */
