/* SPDX-License-Identifier: GPL-2.0-or-later
 * tap.h - the tap device in the guest's network namespace: create and
 * configure it from a short-lived child that joins the namespaces, and
 * read/write frames with a virtio-net header (checksum and TSO offload)
 */
#ifndef SLIRP_TAP_H
#define SLIRP_TAP_H

#include <stddef.h>
#include <stdint.h>

#include "ctx.h"

/**
 * tap_create() - join the target namespaces in a child, create the tap
 * device there, configure it (address, routes, MTU, IPv6) if asked
 * @conf:	target, device name and addresses
 * @proc_net:	out: for -t/-u auto, the namespace's /proc/net/tcp, tcp6, udp
 *		and udp6 (indexed by PROC_NET_*), opened inside it so that they
 *		keep reading that namespace; -1 where not asked for or absent
 *
 * The caller stays in its own namespaces; the descriptors are shared with
 * the child through a common file table.
 *
 * Return: non-blocking tap fd, or -errno (logged)
 */
int tap_create(const struct slirp_conf *conf, int proc_net[PROC_NET_MAX]);

/**
 * tap_open_ns() - open the target's network namespace, and its user
 * namespace unless we are in it already
 * @conf:	target (PID, or namespace paths)
 * @userns:	user namespace fd out, -1 when there is none to join
 * @netns:	network namespace fd out
 *
 * Return: 0, or -errno (logged); on failure the caller closes what is >= 0
 */
int tap_open_ns(const struct slirp_conf *conf, int *userns, int *netns);

/**
 * tap_put_headers() - write virtio-net header (zeroed), Ethernet header to
 * the guest and an IP header in front of a transport payload
 * @c:		context (MACs)
 * @buf:	frame buffer, starting with the virtio-net header
 * @family:	AF_INET or AF_INET6
 * @src:	source address
 * @dst:	destination address
 * @proto:	transport protocol
 * @l4_len:	transport length
 *
 * Return: offset of the transport header in @buf
 */
size_t tap_put_headers(const struct ctx *c, uint8_t *buf, int family,
		       const void *src, const void *dst, uint8_t proto,
		       size_t l4_len);

/**
 * tap_send() - write one frame (virtio-net header first) to the guest
 * @c:		context
 * @buf:	frame with its virtio-net header
 * @len:	total length
 *
 * Return: 0, or -errno (counted, not logged)
 */
int tap_send(struct ctx *c, const uint8_t *buf, size_t len);

/**
 * tap_close() - close the tap device; when the namespace goes away anyway
 *		 (c->ns_gone: the target process exited, or the --netns file
 *		 was removed), leave the device's removal to the kernel's
 *		 clean-up of the namespace instead of waiting for it here
 * @c:		context (c->tap_fd is closed and set to -1)
 *
 * Closing the last file of a tap device unregisters it, which waits for an
 * RCU grace period: 14-18 ms measured on a loaded 2-core machine, during
 * which this process cannot exit and whoever waits for it (burrow run --rm,
 * an engine's stop) waits too.  Marked persistent first, the close only drops
 * the file; the device stays in its namespace and is removed with it.
 */
void tap_close(struct ctx *c);

#endif /* SLIRP_TAP_H */
