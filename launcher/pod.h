/* SPDX-License-Identifier: GPL-2.0-or-later
 * pod.h - pods: a network namespace (rootless: inside its own user
 * namespace) kept by a namespace holder, with its network helper and port
 * forwards, that containers join with `run --network pod:NAME`.  A pod's
 * record is a struct ctr (no rootfs, no runtime) in its own folder under
 * "pods" in the state directory; creating and removing take that folder's
 * global lock.
 */
#ifndef BURROW_LAUNCHER_POD_H
#define BURROW_LAUNCHER_POD_H

#include <stddef.h>

#include <jansson.h>

/**
 * pod_create() - `burrow pod create`: holder, network helper, record
 * @name:	pod name, or NULL for its ID
 * @network:	slirp, pasta, none or (root) bridge[:NAME]; NULL: the same
 *		default as run
 * @ports:	-p specs
 * @nports:	number of @ports
 *
 * Prints the pod's ID on success and the reason on failure.
 *
 * Return: exit code
 */
int pod_create(const char *name, const char *network, const char *const *ports, size_t nports);

/**
 * pod_rm() - `burrow pod rm`: remove a pod's containers, helper, holder, record
 * @ref:	name or ID
 * @force:	kill running containers of the pod first (else refuse)
 *
 * Return: exit code
 */
int pod_rm(const char *ref, int force);

/**
 * pod_ps() - `burrow pod ps`: list pods
 * @json:	JSON array instead of a table
 *
 * Return: exit code
 */
int pod_ps(int json);

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

/**
 * pod_prune() - remove the pods whose namespace holder is gone (with their
 *		 network helper and record), for `burrow system prune`
 *
 * Return: 0, or 1 if a record could not be removed
 */
int pod_prune(void);

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
