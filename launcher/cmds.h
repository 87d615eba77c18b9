/* SPDX-License-Identifier: GPL-2.0-or-later
 * cmds.h - the commands: run, logs, stop, kill, rm, exec, system prune, pod
 * and network (ps and inspect: pscmds.h).  Each prints its results and its
 * errors and returns the process exit code; the layers below (ctr.h, pod.h,
 * netdef.h) print nothing.
 */
#ifndef BURROW_LAUNCHER_CMDS_H
#define BURROW_LAUNCHER_CMDS_H

#include <stddef.h>

struct ctr;
struct run_opts;

/**
 * cmd_run() - `burrow run`: errors on stderr; with -d the container's ID on
 *	       stdout once it runs
 * @o:		options (run.h)
 *
 * Return: the container's exit code (foreground), 0 (-d started), or
 * EXIT_BURROW / EXIT_CANNOT_EXEC / EXIT_NOT_FOUND
 */
int cmd_run(const struct run_opts *o);

/**
 * cmd_find() - resolve what the user typed to a container, saying why not
 *		on stderr ("burrow: no such container: web")
 * @ref:	ID, name or unique ID prefix
 * @c:		result
 *
 * Return: 0, or -ENOENT / -ENOTUNIQ / -errno after the message
 */
int cmd_find(const char *ref, struct ctr *c);

/**
 * cmd_logs() - print a detached container's output
 * @ref:	ID, name or unique ID prefix
 * @follow:	keep printing until the container exits
 *
 * Return: exit code
 */
int cmd_logs(const char *ref, int follow);

/**
 * cmd_kill() - send @sig to the container's init
 * @ref:	ID, name or unique ID prefix
 * @sig:	signal number
 *
 * Return: exit code
 */
int cmd_kill(const char *ref, int sig);

/**
 * cmd_stop() - SIGTERM, wait up to @timeout seconds, then SIGKILL
 * @ref:	ID, name or unique ID prefix
 * @timeout:	seconds, or -1 for the container's --stop-timeout
 *
 * Return: exit code
 */
int cmd_stop(const char *ref, int timeout);

/**
 * cmd_rm() - remove a container that is not running (with @force: kill it first)
 * @ref:	ID, name or unique ID prefix
 * @force:	kill a running container
 *
 * Return: exit code
 */
int cmd_rm(const char *ref, int force);

/**
 * cmd_exec() - run a command in a running container (replaces this process)
 * @ref:	ID, name or unique ID prefix
 * @args:	NULL-terminated command
 * @tty:	allocate a terminal
 * @interactive: keep stdin open
 *
 * Return: exit code (only on failure)
 */
int cmd_exec(const char *ref, char *const *args, int tty, int interactive);

/**
 * cmd_prune() - remove every container that is not running, and the
 *		 leftovers of crashed runs (runtime state, network helpers)
 *
 * Return: exit code
 */
int cmd_prune(void);

/**
 * cmd_cleanup() - what burrow-mon runs when a detached container exited:
 *		   stop its network helper and namespace holder, delete the
 *		   runtime state, keep the exit code, remove the record (--rm)
 * @dir:	the container's folder
 *
 * Return: exit code
 */
int cmd_cleanup(const char *dir);

/**
 * cmd_pod_create() - `burrow pod create`: prints the pod's ID
 * @name:	pod name, or NULL for its ID
 * @network:	slirp, pasta, none or (root) bridge[:NAME]; NULL: run's default
 * @ports:	-p specs
 * @nports:	number of @ports
 *
 * Return: exit code
 */
int cmd_pod_create(const char *name, const char *network, const char *const *ports,
		   size_t nports);

/**
 * cmd_pod_rm() - `burrow pod rm`: remove a pod and its containers
 * @ref:	name or ID
 * @force:	kill running containers of the pod first (else refuse)
 *
 * Return: exit code
 */
int cmd_pod_rm(const char *ref, int force);

/**
 * cmd_pod_ps() - `burrow pod ps`: list pods
 * @json:	JSON array instead of a table
 *
 * Return: exit code
 */
int cmd_pod_ps(int json);

struct netdef_opts;

/**
 * cmd_network_create() - `burrow network create`: prints the network's name
 * @name:	network name
 * @o:		options (netdef.h)
 *
 * Return: exit code
 */
int cmd_network_create(const char *name, const struct netdef_opts *o);

/**
 * cmd_network_ls() - `burrow network ls`
 * @json:	print a JSON array of the definitions
 *
 * Return: exit code
 */
int cmd_network_ls(int json);

/**
 * cmd_network_rm() - `burrow network rm NAME`: refused while a container or
 *		      a pod uses it
 * @name:	network name
 *
 * Return: exit code
 */
int cmd_network_rm(const char *name);

/**
 * log_line_text() - the text of a k8s-file log line ("TIME STREAM F|P TEXT")
 * @line:	one line without its newline
 * @partial:	out: 1 for a partial line (P), to print without a newline
 *
 * Return: pointer into @line at TEXT, or @line itself if it is not k8s-file
 */
const char *log_line_text(const char *line, int *partial);

/**
 * signal_parse() - "TERM", "SIGTERM", "15" to a signal number
 *
 * Return: the signal, or -1
 */
int signal_parse(const char *s);

#endif /* BURROW_LAUNCHER_CMDS_H */
