/* SPDX-License-Identifier: GPL-2.0-or-later
 * server.h - the burrow-dns daemon: one epoll loop serving every network of
 * the records folder on UDP and TCP port 53 of its gateway addresses,
 * answering container names of that network and forwarding the rest
 * (fwd.h); reloads on SIGHUP or a "reload" on the control socket, exits when
 * no network is left or on SIGTERM.
 */
#ifndef DNS_SERVER_H
#define DNS_SERVER_H

#include <stdint.h>

/**
 * server_run() - run the daemon until no network is left
 * @dir:	records folder (lib/dnsrec.h)
 * @ready_fd:	write "ok\n" (or "error: ...\n") here once listening, then
 *		close it; -1 for none
 * @port:	port to listen on (53; tests may use another)
 *
 * Return: process exit status
 */
int server_run(const char *dir, int ready_fd, uint16_t port);

#endif /* DNS_SERVER_H */
