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
 * cgroup_hugetlb_hybrid() - whether this machine runs hybrid cgroups with the
 *			     hugetlb controller on the v2 hierarchy and no v1
 *			     hugetlb mount (crun 1.8 then fails to start anything)
 *
 * Return: 1 or 0
 */
int cgroup_hugetlb_hybrid(void);

#endif /* BURROW_LAUNCHER_RUNTIME_H */
