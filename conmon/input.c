// SPDX-License-Identifier: GPL-2.0-or-later
/* input.c - non-blocking writes to the container's stdin with one waiting buffer */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "input.h"

int input_flush(struct input_buf *in)
{
	while (in->off < in->len) {
		ssize_t w;

		if (in->fd < 0) {
			input_discard(in);
			return -EBADF;
		}
		w = write(in->fd, in->buf + in->off, in->len - in->off);
		if (w < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			if (e == EAGAIN)
				return 1;
			input_discard(in);
			return -e;
		}
		in->off += (size_t)w;
	}
	input_discard(in);
	return 0;
}

int input_write(struct input_buf *in, const char *data, size_t len)
{
	if (len > sizeof(in->buf) || input_pending(in))
		return -EINVAL;
	memcpy(in->buf, data, len);
	in->off = 0;
	in->len = len;
	return input_flush(in);
}

size_t input_pending(const struct input_buf *in)
{
	return in->len - in->off;
}

void input_discard(struct input_buf *in)
{
	in->off = in->len = 0;
}
