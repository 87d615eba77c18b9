/* SPDX-License-Identifier: GPL-2.0-or-later
 * isolation.h - what burrow-dns gives up at start: every capability but
 * CAP_NET_BIND_SERVICE (needed to listen on port 53 of networks added later),
 * and new privileges through exec; then every system call the event loop
 * does not need
 */
#ifndef DNS_ISOLATION_H
#define DNS_ISOLATION_H

/**
 * isolate() - drop capabilities (bounding, permitted, effective, inheritable)
 *	       except CAP_NET_BIND_SERVICE, and set no_new_privs
 *
 * Without the capabilities to drop (an unprivileged run), nothing is lost.
 *
 * Return: 0, or -errno (logged; the caller may go on)
 */
int isolate(void);

/**
 * isolate_seccomp() - install the seccomp allow-list of the running daemon
 *
 * Call once start-up work is done (pid file, control socket, first
 * listeners): afterwards only what the event loop and a reload need is
 * allowed (epoll, socket I/O, socket/bind/listen/connect for new gateway
 * addresses and upstream queries, reading the records folder and
 * resolv.conf, removing the pid file and control socket). Any other call
 * raises SIGSYS: one line "seccomp: system call N not allowed" on stderr,
 * then exit status 2. Sanitizer builds (SAN=1) skip the filter.
 *
 * Return: 0, or -errno (logged; the caller may go on unfiltered)
 */
int isolate_seccomp(void);

#endif /* DNS_ISOLATION_H */
