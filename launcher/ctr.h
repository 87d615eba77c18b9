/* SPDX-License-Identifier: GPL-2.0-or-later
 * ctr.h - the life of an existing container below the commands: find it,
 * signal it, wait for it, remove it with its leftovers (runtime state,
 * network helper, namespace holder), clean up after burrow-mon, prune.
 * Nothing here prints: functions return -errno and, where the caller needs
 * one, a message.  (Starting a container is run.h's.)
 */
#ifndef BURROW_LAUNCHER_CTR_H
#define BURROW_LAUNCHER_CTR_H

#include <stddef.h>

#include "state.h"

/**
 * ctr_find() - resolve what the user typed into a container's record
 * @ref:	ID, name or unique ID prefix
 * @c:		result
 * @err:	"no such container: web", "'ab' matches more than one container: ..."
 * @errlen:	size of @err
 *
 * Return: 0, -ENOENT, -ENOTUNIQ or -errno
 */
int ctr_find(const char *ref, struct ctr *c, char *err, size_t errlen);

/**
 * ctr_status_live() - whether a status means someone supervises the container
 * @s:		status from state_status()
 *
 * Return: 1 for created and running, else 0
 */
int ctr_status_live(enum ctr_status s);

/**
 * ctr_signal() - send @sig to a container's init (what `burrow kill` does)
 * @c:		the container's record
 * @sig:	signal number (0: only check that it runs)
 *
 * Return: 0, -ESRCH when its init is gone, or -errno from kill()
 */
int ctr_signal(const struct ctr *c, int sig);

/**
 * ctr_wait_stopped() - wait until nobody supervises @c any more
 * @c:		the container's record
 * @ms:		longest wait, milliseconds
 *
 * Return: 1 when it stopped, 0 when it still runs after @ms
 */
int ctr_wait_stopped(const struct ctr *c, long ms);

/**
 * ctr_remove() - remove a container that no longer runs: its leftovers
 *		  (runtime state, network helper, namespace holder) and its folder
 * @c:		the container's record (its init killed already, if it ran)
 * @wait_ms:	how long to wait for its supervisor to finish (0: not at all)
 *
 * Return: 0 (also when its supervisor removed it first, with --rm),
 * -EWOULDBLOCK when its supervisor still holds it after @wait_ms, or -errno
 */
int ctr_remove(struct ctr *c, long wait_ms);

/**
 * ctr_cleanup() - what burrow-mon runs when a detached container exited: stop
 *		   its network helper and namespace holder, delete the runtime
 *		   state, keep the exit code, remove the record (--rm)
 * @dir:	the container's folder
 *
 * Return: 0 (also when it is gone already), or -errno
 */
int ctr_cleanup(const char *dir);

/* what ctr_prune() removed: a container (@what NULL), a folder a killed run
 * left without a record ("no record"), or runtime state whose folder is gone
 * ("runtime state"); @err is 0, or -errno when it could not be removed */
typedef void (*ctr_pruned_fn)(const char *id, const char *what, int err, void *data);

/**
 * ctr_prune() - remove every container that is not running, and the
 *		 leftovers of crashed runs (runtime state, network helpers)
 * @each:	told of each one removed, or that could not be removed
 * @data:	passed to @each
 *
 * Return: 0, -errno when the state directory cannot be read, or 1 when a
 * container could not be removed
 */
int ctr_prune(ctr_pruned_fn each, void *data);

#endif /* BURROW_LAUNCHER_CTR_H */
