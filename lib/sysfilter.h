/* SPDX-License-Identifier: GPL-2.0-or-later
 * sysfilter.h - seccomp allow-lists (libseccomp) for the long-running helpers
 */
#ifndef BURROW_SYSFILTER_H
#define BURROW_SYSFILTER_H

#include <stddef.h>
#include <stdint.h>

/**
 * sysfilter_load() - allow only the given system calls in this thread group
 * @calls:	syscall numbers (SCMP_SYS(name)) that are allowed
 * @ncalls:	number of @calls
 * @families:	address families socket() may create (AF_INET, ...); any
 *		other socket() call gets @deny
 * @nfamilies:	number of @families (0: no socket() at all)
 * @deny:	libseccomp action for every other call, e.g. SCMP_ACT_ERRNO(EPERM)
 *		or SCMP_ACT_TRAP
 *
 * libseccomp sets no_new_privs on the way.  The filter is inherited by
 * children and cannot be lifted.
 * Return: 0, or -errno (nothing loaded).
 */
int sysfilter_load(const int *calls, size_t ncalls, const int *families,
		   size_t nfamilies, uint32_t deny);

#endif /* BURROW_SYSFILTER_H */
