/* SPDX-License-Identifier: GPL-2.0-or-later
 * run.h - run another host program (iptables-legacy, firewall-cmd) quietly
 * and wait for it: burrow-bridge's stdout carries its JSON answer, so the
 * program's output goes to /dev/null.
 */
#ifndef BRIDGE_RUN_H
#define BRIDGE_RUN_H

/**
 * run_quiet() - run @argv[0], found in $PATH first, then in /usr/sbin,
 *		 /sbin, /usr/bin and /bin, with stdin and output on /dev/null
 * @argv:	program name and arguments, NULL-terminated
 *
 * Return: its exit status (0-255), or -errno (-ENOENT: not found; -EINTR:
 *	   killed by a signal)
 */
int run_quiet(const char *const argv[]);

#endif /* BRIDGE_RUN_H */
