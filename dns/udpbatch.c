// SPDX-License-Identifier: GPL-2.0-or-later
/* udpbatch.c - recvmmsg batches with headers prepared once */

#include <string.h>

#include "udpbatch.h"

void udp_batch_init(struct udp_batch *b, uint8_t *bufs, size_t size, unsigned n)
{
	unsigned k;

	memset(b, 0, sizeof(*b));
	b->n = n > UDPBATCH_MAX ? UDPBATCH_MAX : n;
	for (k = 0; k < b->n; k++) {
		b->iov[k].iov_base = bufs + (size_t)k * size;
		b->iov[k].iov_len = size;
		b->mm[k].msg_hdr.msg_iov = &b->iov[k];
		b->mm[k].msg_hdr.msg_iovlen = 1;
		b->mm[k].msg_hdr.msg_name = &b->addr[k];
	}
}

int udp_batch_recv(struct udp_batch *b, int fd)
{
	unsigned k;

	/* the kernel shortens the address length to the sender's */
	for (k = 0; k < b->n; k++)
		b->mm[k].msg_hdr.msg_namelen = sizeof(b->addr[k]);
	return recvmmsg(fd, b->mm, b->n, MSG_DONTWAIT, NULL);
}
