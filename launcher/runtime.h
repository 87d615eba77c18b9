/* SPDX-License-Identifier: GPL-2.0-or-later
 * runtime.h - calling the OCI runtime (crun, runc) and explaining its failures
 */
#ifndef BURROW_LAUNCHER_RUNTIME_H
#define BURROW_LAUNCHER_RUNTIME_H

#include <stddef.h>
#include <sys/types.h>

#include "state.h"

/* the remedy printed when crun fails on hybrid cgroups with hugetlb on v2 */
#define RUNTIME_HUGETLB_REMEDY \
	"mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb"

/**
 * find_program() - look @name up: next to our own executable first, then $PATH
 * @name:	program name ("crun", "burrow-slirp")
 * @out:	full path
 * @len:	size of @out
 *
 * Return: 0, or -ENOENT
 */
int find_program(const char *name, char *out, size_t len);

/* a runtime process started by runtime_start() */
struct runtime_proc {
	pid_t pid;
	int errfd;		/* read end of its stderr (-1 once finished) */
	int killed_by;		/* runtime_finish(): the signal that ended it, or 0 */
};

/**
 * runtime_start() - start "RUNTIME --root ROOT [global options] ARGS..."
 * @c:		container (runtime name, runtime root, rootless)
 * @args:	NULL-terminated subcommand and its arguments
 * @stdio:	as for runtime_exec()
 * @own_pgrp:	put the runtime in a process group of its own
 * @rp:		out: its PID and stderr pipe; pass it to runtime_finish()
 *
 * The runtime gets an empty signal mask and default dispositions whatever
 * ours are.
 *
 * Return: 0, or -errno if it could not start (-ENOENT: not installed)
 */
int runtime_start(const struct ctr *c, char *const *args, const int *stdio, int own_pgrp,
		  struct runtime_proc *rp);

/**
 * runtime_finish() - wait for a runtime started by runtime_start()
 * @c:		the same container
 * @rp:		the process; its pipe is closed and it is reaped
 * @errbuf:	its stderr and log (NUL-terminated, may be NULL)
 * @errlen:	size of @errbuf
 *
 * Return: its exit status (0-255, 128 + N when signal N ended it), or -errno
 */
int runtime_finish(const struct ctr *c, struct runtime_proc *rp, char *errbuf, size_t errlen);

/**
 * runtime_exec() - run "RUNTIME --root ROOT [global options] ARGS..." and wait
 * @c:		container (runtime name, runtime root, rootless)
 * @args:	NULL-terminated subcommand and its arguments
 * @stdio:	three fds for the runtime's stdin/stdout/stderr, or NULL for
 *		/dev/null in and our stdout
 * @errbuf:	the runtime's stderr is captured here (NUL-terminated, may be NULL)
 * @errlen:	size of @errbuf
 *
 * Stdio given in @stdio is inherited (the container's process gets it on
 * create); the runtime's own stderr is then still captured in @errbuf.
 *
 * Return: the runtime's exit status (0-255), or -errno if it could not run
 */
int runtime_exec(const struct ctr *c, char *const *args, const int *stdio,
		 char *errbuf, size_t errlen);

/**
 * runtime_explain() - a human remedy for a runtime failure, if one is known
 * @runtime:	"crun" or "runc"
 * @msg:	the runtime's stderr
 * @hugetlb_hybrid: non-zero when cgroup_hugetlb_hybrid() found the quirk
 *
 * Return: a static remedy text, or NULL
 */
const char *runtime_explain(const char *runtime, const char *msg, int hugetlb_hybrid);

/**
 * runtime_last_line() - the last line of a runtime's message, trailing
 *			 blanks trimmed (in place)
 * @msg:	the runtime's stderr
 *
 * Return: a pointer into @msg
 */
char *runtime_last_line(char *msg);

/**
 * runtime_failure() - the message for a runtime that ran and failed: "RUNTIME
 *		       STEP failed: LAST LINE", then the remedy on a line of
 *		       its own ("burrow: ...") when runtime_explain() knows one
 * @runtime:	"crun" or "runc"
 * @step:	its subcommand that failed ("run", "create")
 * @errbuf:	its stderr (trimmed in place); empty: "no message"
 * @msg:	output
 * @msglen:	size of @msg
 *
 * Return: @msg
 */
const char *runtime_failure(const char *runtime, const char *step, char *errbuf, char *msg,
			    size_t msglen);

/**
 * cgroup_hugetlb_hybrid() - whether this machine runs hybrid cgroups with the
 *			     hugetlb controller on the v2 hierarchy and no v1
 *			     hugetlb mount (crun 1.8 then fails to start anything)
 *
 * Return: 1 or 0
 */
int cgroup_hugetlb_hybrid(void);

#endif /* BURROW_LAUNCHER_RUNTIME_H */
