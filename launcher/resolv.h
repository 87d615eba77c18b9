/* SPDX-License-Identifier: GPL-2.0-or-later
 * resolv.h - the /etc/resolv.conf a container on a bridge network gets:
 * the network's DNS server (burrow-dns on the gateways) with its search
 * domains, else the host's resolvers that the container can reach
 *
 * Pure function: texts in, text out; no system calls.
 */
#ifndef BURROW_LAUNCHER_RESOLV_H
#define BURROW_LAUNCHER_RESOLV_H

#include <stddef.h>

/**
 * resolv_build() - compose a container's resolv.conf
 * @host:	the host's resolv.conf text (may be NULL)
 * @hostlen:	its length
 * @servers:	the network's DNS servers (the status block's dns_server_ips)
 * @nservers:	their number; 0: the host's nameservers instead, without
 *		loopback ones (127.0.0.0/8, ::1: the container cannot reach
 *		them), and none at all if only those are there
 * @search:	the network's search domains, put before the host's
 * @nsearch:	their number
 * @ipv6:	the container has an IPv6 address; else IPv6 servers are left out
 * @out:	result, NUL-terminated
 * @outlen:	size of @out
 *
 * The host's "search"/"domain" domains and "options" lines are kept.
 *
 * Return: length written, or -ENOSPC
 */
int resolv_build(const char *host, size_t hostlen, const char *const *servers, size_t nservers,
		 const char *const *search, size_t nsearch, int ipv6, char *out, size_t outlen);

#endif /* BURROW_LAUNCHER_RESOLV_H */
