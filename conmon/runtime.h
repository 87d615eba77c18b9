/* SPDX-License-Identifier: GPL-2.0-or-later
 * runtime.h - running the OCI runtime (create, exec) and the sync pipe
 * messages conmon sends to its caller
 */
#ifndef BURROW_CONMON_RUNTIME_H
#define BURROW_CONMON_RUNTIME_H

#include <stddef.h>
#include <sys/types.h>

#include "cli.h"

#define RUNTIME_ARGV_MAX	(2 * CLI_MAX_ARGS + 24)

/**
 * runtime_build_argv() - the runtime's command line for create or exec
 * @o:		options (runtime, runtime args, bundle, pid file, exec spec, cid)
 * @console_socket: path for --console-socket, or NULL
 * @argv:	output, NULL-terminated
 * @max:	room in @argv
 *
 * "RUNTIME [ARGS] create --bundle B --pid-file P [--no-pivot]
 * [--no-new-keyring] [OPTS] [--console-socket S] CID" or "RUNTIME [ARGS] exec
 * --pid-file P --process SPEC --detach [OPTS] [--console-socket S] CID"
 *
 * Return: number of entries (without the NULL), or -E2BIG
 */
int runtime_build_argv(const struct mon_opts *o, const char *console_socket,
		       const char **argv, size_t max);

/**
 * runtime_spawn() - fork and exec @argv with the given stdio
 * @argv:	NULL-terminated command line, argv[0] the runtime's path
 * @in:		descriptor for the child's stdin
 * @out:	descriptor for the child's stdout
 * @errfd:	descriptor for the child's stderr
 * @preserve_fds: descriptors 3 to 3+@preserve_fds-1 are passed on too
 *		(close-on-exec cleared in the child); they must not be any of
 *		@in, @out, @errfd
 * @replace_listen_pid: set LISTEN_PID to the child's PID if it is set at
 *		all (without this flag: only if it names the calling process)
 *
 * The child gets the default signal mask and no other descriptors.
 *
 * Return: the child's PID, or -errno
 */
pid_t runtime_spawn(const char *const *argv, int in, int out, int errfd,
		    int preserve_fds, int replace_listen_pid);

/**
 * runtime_read_pidfile() - read the container PID the runtime wrote
 * @path:	pid file
 *
 * Return: PID > 0, or -errno (-EINVAL if the content is not a PID)
 */
pid_t runtime_read_pidfile(const char *path);

/**
 * sync_format() - one sync-pipe message: {"data": N} or
 * {"data": N, "message": "TEXT"} with TEXT escaped for JSON, and a newline
 * @buf:	output
 * @len:	size of @buf (the message is cut to fit, still valid JSON)
 * @data:	PID, exit code, or -1 on failure
 * @msg:	error text, or NULL
 *
 * Return: length written
 */
size_t sync_format(char *buf, size_t len, int data, const char *msg);

/**
 * sync_send() - write one sync-pipe message
 * @fd:		sync pipe (ignored if negative)
 * @data:	PID, exit code, or -1
 * @msg:	error text, or NULL
 *
 * Return: 0, or -errno
 */
int sync_send(int fd, int data, const char *msg);

#endif /* BURROW_CONMON_RUNTIME_H */
