/* SPDX-License-Identifier: GPL-2.0-or-later
 * mon.h - the supervisor: detach, run the runtime, hold the container's stdio,
 * log it, serve attach and control, record the exit
 */
#ifndef BURROW_CONMON_MON_H
#define BURROW_CONMON_MON_H

#include "cli.h"

/**
 * mon_run() - supervise one container (or exec session) as @o says
 * @o:		parsed command line
 *
 * Forks: the caller's process writes --conmon-pidfile and returns 0 at once
 * (unless --sync); the detached child supervises and returns when the
 * container has exited and the exit command is started.
 *
 * Return: the process exit status (0 success, 1 failure)
 */
int mon_run(const struct mon_opts *o);

#endif /* BURROW_CONMON_MON_H */
