/* SPDX-License-Identifier: GPL-2.0-or-later
 * isolation.h - what burrow-dns gives up at start: every capability but
 * CAP_NET_BIND_SERVICE (needed to listen on port 53 of networks added later),
 * and new privileges through exec
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

#endif /* DNS_ISOLATION_H */
