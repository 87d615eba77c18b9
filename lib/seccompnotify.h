/* SPDX-License-Identifier: GPL-2.0-or-later
 * seccompnotify.h - the OCI seccomp rules that send a container's socket
 * calls to burrow-bypass (burrow run writes them into config.json;
 * burrow-bypass --seccomp-profile prints them for Podman's --security-opt)
 */
#ifndef BURROW_SECCOMPNOTIFY_H
#define BURROW_SECCOMPNOTIFY_H

#include <stddef.h>

#include <jansson.h>

/**
 * seccompnotify_apply() - make a seccomp profile send burrow-bypass its calls
 * @sc:		a linux.seccomp object (config.json), or a Podman/Docker seccomp
 *		profile; an empty object stands for "allow everything"
 * @listener:	path for "listenerPath", or NULL to leave it out (crun's
 *		run.oci.seccomp.receiver annotation then names the socket)
 * @err:	error text out
 * @errlen:	size of @err
 *
 * connect, bind, sendmsg and sendmmsg become SCMP_ACT_NOTIFY, sendto too when
 * it names a destination (argument 4 non-NULL), and io_uring_setup,
 * io_uring_enter and io_uring_register fail with ENOSYS.  Those names leave
 * the profile's other rules.  A profile that does not allow one of the
 * notified calls unconditionally (an allow rule without arguments or
 * capability conditions, or an allowing default) is refused: bypass would
 * open what it closed.  Without "defaultAction" the default is allow; without
 * "architectures" or "archMap" the profile is for x86_64.
 * Return: 0, -EINVAL (@err says which rule), -ENOMEM
 */
int seccompnotify_apply(json_t *sc, const char *listener, char *err, size_t errlen);

#endif /* BURROW_SECCOMPNOTIFY_H */
