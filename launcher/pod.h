/* SPDX-License-Identifier: GPL-2.0-or-later
 * pod.h - pods: a network namespace (rootless: inside its own user
 * namespace) kept by a namespace holder, with its network helper and port
 * forwards, that containers join with `run --network pod:NAME`.  A pod's
 * record is a struct ctr (no rootfs, no runtime) in its own folder under
 * "pods" in the state directory; creating and removing take that folder's
 * global lock.  Nothing here prints: functions return -errno and a message.
 */
#ifndef BURROW_LAUNCHER_POD_H
#define BURROW_LAUNCHER_POD_H

#include <stddef.h>

#include <jansson.h>

#include "state.h"

/**
 * pod_create() - make a pod: holder, network helper, record
 * @name:	pod name, or NULL for its ID
 * @network:	slirp, pasta, none or (root) bridge[:NAME]; NULL: the same
 *		default as run (net_default_mode())
 * @ports:	-p specs
 * @nports:	number of @ports
 * @id:		out: the pod's ID
 * @idlen:	size of @id
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -errno (nothing is left behind)
 */
int pod_create(const char *name, const char *network, const char *const *ports, size_t nports,
	       char *id, size_t idlen, char *err, size_t errlen);

/**
 * pod_remove() - remove a pod: its containers, helper, holder and record
 * @ref:	name or ID
 * @force:	kill running containers of the pod first (else refuse)
 * @p:		out: the pod's record (for its ID and name)
 * @err:	reason on failure, or which container could not be removed
 * @errlen:	size of @err
 *
 * Return: 0; 1 when the pod is gone but a container of it could not be
 * removed (@err says which); -ENOENT (no such pod), -EBUSY (a container of
 * it runs and not @force) or -errno, the pod left as it was
 */
int pod_remove(const char *ref, int force, struct ctr *p, char *err, size_t errlen);

/**
 * pod_list() - all pod records, oldest first
 * @out:	array (free() it)
 * @n:		number of records
 *
 * Return: 0, or -errno
 */
int pod_list(struct ctr **out, size_t *n);

/**
 * pod_running() - whether a pod's namespace holder still runs
 * @p:		the pod's record
 *
 * Return: 1 or 0
 */
int pod_running(const struct ctr *p);

/**
 * pod_member() - whether container @c joined pod @p (run --network pod:...)
 * @c:		container record
 * @p:		pod record
 *
 * Return: 1 or 0
 */
int pod_member(const struct ctr *c, const struct ctr *p);

/**
 * pod_join() - point a container's config at a pod's namespaces
 * @ref:	pod name or ID
 * @cfg:	config from spec_build() (changed in place)
 * @rootless_mode: also join the pod's user namespace
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, -ENOENT (no such pod), -ESRCH (its holder is gone) or -errno
 */
int pod_join(const char *ref, json_t *cfg, int rootless_mode, char *err, size_t errlen);

/* told the ID of each pod pod_prune() removed */
typedef void (*pod_pruned_fn)(const char *id, void *data);

/**
 * pod_prune() - remove the pods whose namespace holder is gone (with their
 *		 network helper and record), for `burrow system prune`
 * @each:	told of each pod removed
 * @data:	passed to @each
 *
 * Return: 0, or 1 if a record could not be removed
 */
int pod_prune(pod_pruned_fn each, void *data);

/**
 * pod_on_network() - whether a live pod uses bridge network @net
 * @net:	network name
 * @id:		out: the pod's name
 * @idlen:	size of @id
 *
 * Return: 1 or 0
 */
int pod_on_network(const char *net, char *id, size_t idlen);

#endif /* BURROW_LAUNCHER_POD_H */
