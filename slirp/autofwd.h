/* SPDX-License-Identifier: GPL-2.0-or-later
 * autofwd.h - pasta's -t auto / -u auto: forward the host ports that match
 * the namespace's listening sockets, following them as they come and go
 */
#ifndef SLIRP_AUTOFWD_H
#define SLIRP_AUTOFWD_H

#include "ctx.h"

/* Forwards -t/-u auto keep at most, per protocol (one host socket each) */
#define AUTOFWD_MAX	1024

/**
 * autofwd_scan() - read the namespace's listening sockets from the
 * /proc/net files opened by tap_create() and add or remove forwards so that
 * every port a socket listens on (not only on the namespace's loopback)
 * is forwarded from the same host port; ports the host cannot bind are
 * tried again at the next scan
 * @c:		context; c->proc_net[] holds the files (-1 entries are skipped)
 *
 * Called once a second from the event loop; no allocation.
 */
void autofwd_scan(struct ctx *c);

/**
 * autofwd_parse_line() - one line of /proc/net/{tcp,udp}[6]
 * @line:	text, NUL-terminated, without the newline
 * @want_state:	0x0A (TCP_LISTEN) or 0x07 (UDP: bound, not connected)
 * @port:	out: the local port
 *
 * Return: 1 if the socket is in @want_state and bound to something other than
 * a loopback address, 0 otherwise (also for the header line and bad input)
 */
int autofwd_parse_line(const char *line, unsigned want_state, uint16_t *port);

/**
 * autofwd_parse_socket() - one line of /proc/net/{tcp,udp}[6], loopback
 * sockets too
 * @line:	text, NUL-terminated, without the newline
 * @want_state:	0x0A (TCP_LISTEN) or 0x07 (UDP: bound, not connected)
 * @port:	out: the local port
 * @loopback:	out: 1 if bound to a loopback address (127/8, ::1, ::ffff:127/104)
 *
 * Return: 1 if the socket is in @want_state, 0 otherwise (also for the
 * header line and bad input)
 */
int autofwd_parse_socket(const char *line, unsigned want_state, uint16_t *port, int *loopback);

/**
 * autofwd_read_ports() - mark in @map the ports of the sockets in
 * @want_state that a /proc/net file lists
 * @fd:		the file, read again from its start
 * @want_state:	as for autofwd_parse_socket()
 * @with_loopback: also sockets bound only to a loopback address
 * @map:	bitmap of 65536 bits, bits are only set
 */
void autofwd_read_ports(int fd, unsigned want_state, int with_loopback, uint8_t *map);

#endif /* SLIRP_AUTOFWD_H */
