/* SPDX-License-Identifier: GPL-2.0-or-later
 * ops.h - what burrow-netns does: create, delete, list, path, enter, exec,
 * configure.  Each logs its own error (naming the call and the object) and
 * returns -errno.
 */
#ifndef NETNS_OPS_H
#define NETNS_OPS_H

#include <stdio.h>

#include "config.h"

/**
 * ops_create() - create network namespace @name with loopback up: rootful a
 *		  bind mount /run/netns/NAME, rootless a holder process in a
 *		  new user namespace (or in the one at @userns_path)
 * @name:	namespace name
 * @userns_path: rootless: existing user namespace to use, or NULL
 *
 * Return: 0, or -errno (-EEXIST if the name is taken)
 */
int ops_create(const char *name, const char *userns_path);

/**
 * ops_delete() - remove network namespace @name; refuses (-EBUSY) while other
 *		  processes use it unless @force
 * @name:	namespace name
 * @force:	remove the name even if processes still use the namespace
 *
 * Return: 0, or -errno
 */
int ops_delete(const char *name, int force);

/**
 * ops_list() - print "NAME MODE PATH" for every namespace, "stale" for a
 *		rootless one whose holder is gone
 * @out:	where to print
 *
 * Return: 0, or -errno
 */
int ops_list(FILE *out);

/**
 * ops_path() - print the path of @name usable with setns(): /run/netns/NAME,
 *		or /proc/PID/ns/net (rootless; @user: /proc/PID/ns/user)
 * @name:	namespace name
 * @user:	print the user namespace instead (rootless only)
 * @out:	where to print
 *
 * Return: 0, or -errno
 */
int ops_path(const char *name, int user, FILE *out);

/**
 * ops_enter() - join namespace @name (rootless: its user namespace first)
 * @name:	namespace name
 *
 * Return: 0, or -errno
 */
int ops_enter(const char *name);

/**
 * ops_exec() - join namespace @name and execvp() @argv; no mount namespace,
 *		no remount of /sys (unlike `ip netns exec`)
 * @name:	namespace name
 * @argv:	command, NULL-terminated
 *
 * Return: only on failure: -errno (-ENOENT: command not found)
 */
int ops_exec(const char *name, char **argv);

/**
 * ops_config() - join namespace @name and apply @op; prints a sysctl value read
 * @name:	namespace name
 * @op:		parsed request
 * @out:	where to print a value read
 *
 * Return: 0, or -errno
 */
int ops_config(const char *name, const struct config_op *op, FILE *out);

#endif /* NETNS_OPS_H */
