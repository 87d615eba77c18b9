/* SPDX-License-Identifier: GPL-2.0-or-later
 * net.h - the container's network: none, slirp (burrow-slirp) or pasta
 * (Debian's passt package), attached to the container's namespaces by PID
 * after the runtime's create and before its start
 */
#ifndef BURROW_LAUNCHER_NET_H
#define BURROW_LAUNCHER_NET_H

#include <stddef.h>

#include "portspec.h"
#include "state.h"

#define NET_MAX_PORTS 32

/**
 * net_default_mode() - slirp when burrow-slirp is installed, else pasta
 *			when pasta is, else none (both forward -p ports)
 * @nports:	number of -p forwards (no longer changes the choice)
 *
 * Return: a static string
 */
const char *net_default_mode(size_t nports);

/**
 * net_mode_check() - validate a --network value and the -p forwards for it
 * @mode:	"none", "slirp", "pasta", "bridge[:NAME]", "container:ID", "pod:NAME"
 * @nports:	number of -p forwards requested
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL / -EOPNOTSUPP / -ENOENT (helper program missing)
 */
int net_mode_check(const char *mode, size_t nports, char *err, size_t errlen);

/**
 * net_port_free() - check that the host port of @f can be bound now
 * @f:		forward
 * @err:	"port 8080/tcp is already in use on 0.0.0.0 ..." on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -EADDRINUSE / -errno
 */
int net_port_free(const struct port_fwd *f, char *err, size_t errlen);

/**
 * net_pasta_arg() - a forward in pasta's -t/-u syntax ("127.0.0.1/8080-8081:80-81")
 * @f:		forward
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: @buf
 */
const char *net_pasta_arg(const struct port_fwd *f, char *buf, size_t len);

/**
 * net_setup() - start the network helper for @c and record its PID in @c
 * @c:		container record
 * @target:	a process in the namespaces to configure (user and network)
 * @tied:	the helper also ends when this process does (else it follows
 *		@target only)
 * @fwd:	forwards
 * @nfwd:	number of forwards
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -errno (nothing left running on failure)
 */
int net_setup(struct ctr *c, pid_t target, int tied, const struct port_fwd *fwd, size_t nfwd,
	      char *err, size_t errlen);

/**
 * net_teardown() - stop the helper recorded in @c, if it still runs
 */
void net_teardown(struct ctr *c);

/**
 * net_host_resolv_path() - the host's resolv.conf: $BURROW_RESOLV_CONF or
 *			    /etc/resolv.conf
 */
const char *net_host_resolv_path(void);

#endif /* BURROW_LAUNCHER_NET_H */
