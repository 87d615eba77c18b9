/* SPDX-License-Identifier: GPL-2.0-or-later
 * udpbatch.h - receiving UDP datagrams in batches (recvmmsg) into buffers
 * and address slots fixed once: the headers are filled when the batch is
 * set up, and only what the kernel changes is put back before each call.
 */
#ifndef DNS_UDPBATCH_H
#define DNS_UDPBATCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define UDPBATCH_MAX	32

/* One batch: datagram k lands in bufs + k * size, its sender in addr[k] */
struct udp_batch {
	unsigned n;
	struct mmsghdr mm[UDPBATCH_MAX];
	struct iovec iov[UDPBATCH_MAX];
	struct sockaddr_storage addr[UDPBATCH_MAX];
};

/**
 * udp_batch_init() - point the headers of @b at @n buffers of @size bytes
 * @b:		batch
 * @bufs:	n * size bytes, one buffer after the other
 * @size:	room per datagram
 * @n:		datagrams per call (at most UDPBATCH_MAX)
 */
void udp_batch_init(struct udp_batch *b, uint8_t *bufs, size_t size, unsigned n);

/**
 * udp_batch_recv() - read up to a batch of datagrams from @fd, not waiting
 * @b:		batch; mm[k].msg_len is datagram k's length, its msg_hdr's
 *		msg_namelen the length of addr[k], msg_flags has MSG_TRUNC if it
 *		did not fit
 * @fd:		UDP socket
 *
 * Return: how many datagrams, or -1 with errno set (EAGAIN: none)
 */
int udp_batch_recv(struct udp_batch *b, int fd);

#endif /* DNS_UDPBATCH_H */
