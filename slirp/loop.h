/* SPDX-License-Identifier: GPL-2.0-or-later
 * loop.h - the single epoll loop: tap frames in batches, host sockets,
 * timers, signals, the exit fd and the target process
 */
#ifndef SLIRP_LOOP_H
#define SLIRP_LOOP_H

#include <stddef.h>
#include <stdint.h>

#include "ctx.h"

/**
 * loop_init() - set up epoll, the timer, signal handling and the watches
 * on the tap device, the exit fd and the target process
 * @c:		context with tap_fd and conf set
 *
 * Return: 0, or -errno (logged)
 */
int loop_init(struct ctx *c);

/**
 * loop_frame() - dispatch one frame read from the tap device
 * @c:		context
 * @buf:	Ethernet frame (after the virtio-net header)
 * @len:	its length
 *
 * Return: 1 if it was TCP data with PSH set (the guest pushed what it had:
 * likely nothing more waits right behind it), else 0
 */
int loop_frame(struct ctx *c, const uint8_t *buf, size_t len);

/**
 * loop_run() - run until SIGTERM/SIGINT, the exit fd, the end of the
 * target process or the removal of the tap device
 * @c:		context
 *
 * Return: 0 on a requested exit, -errno on a fatal error
 */
int loop_run(struct ctx *c);

/**
 * loop_cleanup() - close every flow and descriptor
 * @c:		context
 */
void loop_cleanup(struct ctx *c);

#endif /* SLIRP_LOOP_H */
