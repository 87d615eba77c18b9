/* SPDX-License-Identifier: GPL-2.0-or-later
 * input.h - what attach clients send to the container's stdin, written
 * without ever blocking: bytes the container has not taken yet wait in one
 * fixed buffer, and while they wait the supervisor reads no more client
 * input (the clients are back-pressured, nothing is dropped)
 */
#ifndef BURROW_CONMON_INPUT_H
#define BURROW_CONMON_INPUT_H

#include <stddef.h>

#include "attach.h"

/* The container's stdin and the bytes still owed to it */
struct input_buf {
	int fd;			/* non-blocking; -1: closed */
	size_t off;		/* first byte not yet written */
	size_t len;		/* end of the waiting bytes */
	char buf[ATTACH_CHUNK];	/* one client message, the most ever read at once */
};

/**
 * input_write() - write @len bytes to the container's stdin, keeping what
 * does not fit now
 * @in:		stdin and its buffer; must have nothing waiting (input_pending() 0)
 * @data:	the bytes
 * @len:	length of @data, at most ATTACH_CHUNK
 *
 * Return: 0 all written, 1 some bytes wait (watch in->fd for POLLOUT and
 * call input_flush()), -errno on a write error (the bytes are dropped:
 * the container closed its stdin), -EINVAL if @len is too big or bytes
 * were already waiting
 */
int input_write(struct input_buf *in, const char *data, size_t len);

/**
 * input_flush() - write what waits
 * @in:		stdin and its buffer
 *
 * Return: 0 nothing waits any more, 1 some still waits, -errno on a write
 * error (what waited is dropped)
 */
int input_flush(struct input_buf *in);

/**
 * input_pending() - bytes waiting for the container to read its stdin
 * @in:		stdin and its buffer
 *
 * Return: number of bytes
 */
size_t input_pending(const struct input_buf *in);

/**
 * input_discard() - forget what waits (stdin is being closed)
 * @in:		stdin and its buffer
 */
void input_discard(struct input_buf *in);

#endif /* BURROW_CONMON_INPUT_H */
