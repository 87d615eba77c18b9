/* SPDX-License-Identifier: GPL-2.0-or-later
 * hostsock.h - look at a container's socket and make its host twin
 *
 * A host socket is only ever made with the family, type and protocol of the
 * container's own socket, and only for TCP and UDP over IPv4/IPv6: never a
 * raw, packet or ICMP socket, never anything the container could not make.
 */
#ifndef BURROW_BYPASS_HOSTSOCK_H
#define BURROW_BYPASS_HOSTSOCK_H

#include <stdint.h>
#include <sys/socket.h>

/* what we learnt of a container socket (through a duplicate) */
struct sockinfo {
	int domain;		/* AF_INET, AF_INET6 */
	int type;		/* SOCK_STREAM, SOCK_DGRAM */
	int proto;		/* IPPROTO_TCP, IPPROTO_UDP */
	int nonblock;		/* O_NONBLOCK on the open file */
	int bound;		/* has a local port already */
	int host;		/* lives in our (the host's) network namespace */
};

/**
 * hostsock_init() - remember our own network namespace (its cookie)
 *
 * Return: 0, or -errno (SO_NETNS_COOKIE needs Linux 5.14)
 */
int hostsock_init(void);

/**
 * hostsock_inspect() - family, type, protocol, flags and namespace of @fd
 * @fd:		our duplicate of the container's descriptor
 * @si:		result
 *
 * Return: 0 for a TCP or UDP socket over IPv4 or IPv6; -ENOTSOCK for a
 * descriptor that is not a socket; -EPROTONOSUPPORT for any other socket
 */
int hostsock_inspect(int fd, struct sockinfo *si);

/**
 * hostsock_twin() - a new host socket like @si, options copied from @from
 * @si:		what the container's socket is
 * @from:	the container's socket (options read from it)
 *
 * The new socket is non-blocking whatever @si says (we never block on it);
 * hostsock_finish() gives it the container's flag before it is handed in.
 * Return: descriptor, or -errno
 */
int hostsock_twin(const struct sockinfo *si, int from);

/**
 * hostsock_finish() - give @fd the container's blocking mode
 * @fd:		host socket made by hostsock_twin() (non-blocking, no other
 *		status flag)
 * @nonblock:	the container's O_NONBLOCK
 *
 * Return: 0, or -errno
 */
int hostsock_finish(int fd, int nonblock);

#endif /* BURROW_BYPASS_HOSTSOCK_H */
