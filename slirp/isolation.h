/* SPDX-License-Identifier: GPL-2.0-or-later
 * isolation.h - sandbox burrow-slirp once it is set up: no new privileges,
 * an empty filesystem root where possible, a seccomp allow-list
 */
#ifndef SLIRP_ISOLATION_H
#define SLIRP_ISOLATION_H

/**
 * isolation_fs() - move into a new user and mount namespace whose root is
 * an empty read-only tmpfs, so no file can be opened by path
 *
 * Return: 0, or -errno (the caller may go on with seccomp alone)
 */
int isolation_fs(void);

/**
 * isolation_seccomp() - set no_new_privs and load the seccomp allow-list of
 * the system calls the event loop needs; everything else fails with EPERM
 *
 * Return: 0, or -errno (logged)
 */
int isolation_seccomp(void);

/**
 * isolation_seccomp_helper() - the splice helper's allow-list, tighter still:
 * read its requests, make IPv4/IPv6 sockets, bind and listen (pasta -T/-U
 * listeners on the namespace's loopback), send them (sendmsg), close
 *
 * Return: 0, or -errno (logged)
 */
int isolation_seccomp_helper(void);

/**
 * isolation_trim_prepare() - note the executable mappings (ours and the
 * libraries') while /proc is still reachable
 *
 * Return: number of mappings noted, or -errno if /proc/self/maps is unreadable
 */
int isolation_trim_prepare(void);

/**
 * isolation_trim() - drop the page mappings of the noted code, so that only
 * what the event loop touches stays resident; code faults back in from the
 * page cache on use.  Call once set-up is over.
 */
void isolation_trim(void);

#endif /* SLIRP_ISOLATION_H */
