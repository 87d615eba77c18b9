/* SPDX-License-Identifier: GPL-2.0-or-later
 * pasta.h - burrow-slirp's second face: pasta's command line and habits
 * (the guest takes the host's addresses; fork to the background once the
 * namespace is configured; leave when the namespace file goes)
 */
#ifndef SLIRP_PASTA_H
#define SLIRP_PASTA_H

#include "ctx.h"
#include "portspec.h"

/**
 * pasta_called() - whether the command line is pasta's: the program was
 * started as "pasta" (a link) or its first argument is --pasta
 * @argc:	argument count
 * @argv:	arguments; a leading --pasta is removed
 *
 * Return: 1 or 0
 */
int pasta_called(int *argc, char **argv);

/**
 * pasta_parse() - read pasta's options into @c->conf and the forward table
 * @argc:	argument count
 * @argv:	arguments
 * @c:		context, with conf_defaults() applied
 * @fwd:	forward table to fill (-t, -u)
 * @nfwd:	entries used, in and out
 * @max:	entries in @fwd
 *
 * Addresses, gateways and the interface name come from the host's interface
 * with the first default route (or -i), as pasta takes them.  An option that
 * pasta has and burrow-slirp does not implement is refused by name.
 *
 * Return: -1 to go on, or the exit status to leave with (0 after --help or
 * --version, 1 on a bad command line, with the reason on stderr)
 */
int pasta_parse(int argc, char **argv, struct ctx *c, struct port_fwd *fwd, int *nfwd,
		int max);

/**
 * pasta_background() - fork: the parent waits until pasta_ready() is called
 * in the child and exits 0 there, or exits with the child's status if it
 * fails first (an engine reads exactly that); nothing without the
 * background option (-f keeps the foreground)
 *
 * Return: 0 in the process that goes on, -errno if fork() failed
 */
int pasta_background(void);

/**
 * pasta_ready_prepare() - before the process loses its filesystem (the
 * sandbox): write the PID file (-P), open the log file (-l) or /dev/null
 * that stdio becomes once ready
 */
void pasta_ready_prepare(void);

/**
 * pasta_ready() - the namespace is configured: stdout and stderr go to what
 * pasta_ready_prepare() opened, stdin to /dev/null (an engine reading our
 * output to its end returns), then the parent is released; before seccomp
 */
void pasta_ready(void);

#endif /* SLIRP_PASTA_H */
