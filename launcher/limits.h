/* SPDX-License-Identifier: GPL-2.0-or-later
 * limits.h - run -m/--memory, --cpus and --pids-limit: parsed as docker and
 * podman read them, checked against the cgroups this host gives the caller,
 * and written into the OCI config's linux.resources for the runtime to apply.
 * A limit is never accepted and then left unapplied: where the caller has no
 * cgroup to put it in (rootless), run refuses.
 */
#ifndef BURROW_LAUNCHER_LIMITS_H
#define BURROW_LAUNCHER_LIMITS_H

#include <stddef.h>

#include <jansson.h>

#define LIMITS_MIN_MEMORY	(6LL << 20)	/* docker's and podman's floor */
#define LIMITS_CPU_PERIOD	100000LL	/* microseconds, the kernel's default */
#define LIMITS_MAX_PIDS		4194304LL	/* the kernel's pid_max ceiling */

struct limits {
	long long memory;	/* bytes; 0: none */
	long long cpu_quota;	/* microseconds per LIMITS_CPU_PERIOD; 0: none */
	long long pids;		/* processes; 0: none */
};

/**
 * limits_parse_memory() - "512m", "1g", "1.5G", "64MB", "1048576" (bytes)
 * @s:		text: a number, optionally with b, k, m, g or t (and a b after)
 * @out:	bytes
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL (also below LIMITS_MIN_MEMORY)
 */
int limits_parse_memory(const char *s, long long *out, char *err, size_t errlen);

/**
 * limits_parse_cpus() - "1.5": one and a half CPUs' worth of time per period
 * @s:		text: a decimal number from 0.01 to the number of CPUs online
 * @quota:	microseconds per LIMITS_CPU_PERIOD
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL
 */
int limits_parse_cpus(const char *s, long long *quota, char *err, size_t errlen);

/**
 * limits_parse_pids() - "100"; "-1" and "0" mean no limit (podman's and docker's)
 * @s:		text
 * @out:	the limit, 0 for none
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL
 */
int limits_parse_pids(const char *s, long long *out, char *err, size_t errlen);

/**
 * limits_any() - whether @l asks for any limit
 */
int limits_any(const struct limits *l);

/**
 * limits_check_host() - whether the cgroup controllers @l needs are there
 *			 for the caller: as root, mounted (v1) or enabled at
 *			 the root (v2); rootless, refused, saying whether a
 *			 cgroup v2 is delegated to the caller (burrow runs
 *			 rootless containers with no cgroup manager, so it could
 *			 not apply them)
 * @l:		the limits
 * @rootless:	the caller is not root
 * @err:	what is missing and what to do, naming the option
 * @errlen:	size of @err
 *
 * Return: 0, or -EPERM (rootless, nothing delegated) / -ENOTSUP (no controller,
 * or rootless with one delegated)
 */
int limits_check_host(const struct limits *l, int rootless, char *err, size_t errlen);

/**
 * limits_apply() - write @l into @cfg's linux.resources (memory.limit,
 *		    cpu.quota and cpu.period, pids.limit)
 * @cfg:	OCI config (changed in place)
 * @l:		the limits
 *
 * Return: 0, or -ENOMEM
 */
int limits_apply(json_t *cfg, const struct limits *l);

/**
 * limits_cgroup_version() - 2 when /sys/fs/cgroup is the unified hierarchy,
 *			     1 otherwise (legacy or hybrid)
 */
int limits_cgroup_version(void);

/**
 * limits_controllers() - the controllers available to the caller, space
 *			  separated ("cpu memory pids"): v1, the mounted ones
 *			  of those burrow uses; v2, the caller's cgroup's
 *			  cgroup.controllers when it may write to it (root:
 *			  the root cgroup's)
 * @rootless:	the caller is not root
 * @buf:	output ("" when none)
 * @len:	size of @buf
 *
 * Return: @buf
 */
const char *limits_controllers(int rootless, char *buf, size_t len);

#endif /* BURROW_LAUNCHER_LIMITS_H */
