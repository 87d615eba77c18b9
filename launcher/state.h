/* SPDX-License-Identifier: GPL-2.0-or-later
 * state.h - container records: one folder per container under the state
 * directory (lib/statedir.h), holding state.json, config.json, the log and
 * the exit code.  The container's supervisor holds the folder's lock for its
 * whole life, so "is anyone looking after this container?" is a lock probe,
 * never a PID guess; creating, naming and removing take the global lock.
 */
#ifndef BURROW_LAUNCHER_STATE_H
#define BURROW_LAUNCHER_STATE_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#define CTR_ID_LEN 12

struct ctr {
	char id[CTR_ID_LEN + 1];
	char name[64];
	char dir[PATH_MAX];		/* the container's folder, also the OCI bundle */
	char rootfs[PATH_MAX];
	char runtime[32];		/* crun, runc */
	char runtime_root[PATH_MAX];	/* --root of the runtime */
	char network[64];		/* none, slirp, pasta, ... */
	char ports[512];		/* -p specs as given, comma separated */
	char command[1024];		/* for ps: the command line, space separated */
	int rm, detach, rootless;
	int tty, interactive;		/* -t, -i: what `burrow attach` forwards */
	pid_t pid;			/* container init, 0 before start */
	unsigned long long pid_start;	/* its start time (/proc/PID/stat), against reuse */
	pid_t mon_pid;			/* supervisor (burrow-mon, or burrow itself) */
	unsigned long long mon_start;
	pid_t holder_pid;		/* namespace holder that outlives the CLI, or 0 */
	unsigned long long holder_start;
	pid_t net_pid;			/* network helper (slirp, pasta), 0 if none */
	unsigned long long net_start;
	int net_exitfd;			/* supervisor only: closing it stops the helper */
	long long created;		/* unix time, seconds */
	int stop_timeout;		/* run --stop-timeout: `burrow stop`'s default */
};

enum ctr_status {
	CTR_CREATED = 0,	/* supervised, not started yet */
	CTR_RUNNING,		/* supervised, started */
	CTR_EXITED,		/* exit code recorded */
	CTR_DEAD,		/* nobody supervises it and no exit code: a crashed run */
};

/**
 * state_root() - the folder holding all container folders, created if missing
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: 0, or -errno
 */
int state_root(char *buf, size_t len);

/**
 * state_global_lock() - take the lock that guards creating, naming and removing
 *
 * Return: lock fd (release with lock_release()), or -errno
 */
int state_global_lock(void);

/**
 * state_new() - allocate an ID, check the name, make the folder and lock it
 * @c:		record; @c->name may be preset (empty: the ID is the name); id and
 *		dir are filled in
 * @lockfd:	out: the folder's lock, held exclusively (close-on-exec)
 * @err:	reason on failure ("the name web is already in use by 0123abcd4567")
 * @errlen:	size of @err
 *
 * Return: 0, or -errno; nothing is left behind on failure
 */
int state_new(struct ctr *c, int *lockfd, char *err, size_t errlen);

/**
 * state_save() - write @c to its folder's state.json atomically
 *
 * Return: 0, or -errno
 */
int state_save(const struct ctr *c);

/**
 * state_to_json() - the record as a JSON object (for inspect and ps --format json)
 *
 * Return: new reference, or NULL
 */
json_t *state_to_json(const struct ctr *c);

/**
 * state_from_json() - fill @c from a JSON object made by state_to_json()
 *
 * Return: 0, or -EINVAL
 */
int state_from_json(json_t *j, struct ctr *c);

/**
 * state_load() - read the record in the container folder @dir
 * @dir:	container folder
 * @c:		result
 *
 * Return: 0, or -ENOENT / -EINVAL
 */
int state_load(const char *dir, struct ctr *c);

/**
 * state_find() - resolve a full ID, a name or a unique ID prefix
 * @ref:	what the user typed
 * @c:		result
 *
 * Return: 0, -ENOENT (no such container) or -ENOTUNIQ (ambiguous prefix)
 */
int state_find(const char *ref, struct ctr *c);

/**
 * state_list() - all records, oldest first
 * @out:	array (free() it)
 * @n:		number of records
 *
 * Return: 0, or -errno
 */
int state_list(struct ctr **out, size_t *n);

/**
 * state_list_dir() - the records in the sub-folders of @root, oldest first
 *		      (containers, or pods in their own root)
 * @root:	folder holding one sub-folder per record
 * @out:	array (free() it)
 * @n:		number of records
 *
 * Return: 0, or -errno
 */
int state_list_dir(const char *root, struct ctr **out, size_t *n);

/**
 * state_status() - what the container is doing now
 * @c:		record
 * @exit_code:	out: the exit code when CTR_EXITED (may be NULL)
 *
 * Return: an enum ctr_status
 */
enum ctr_status state_status(const struct ctr *c, int *exit_code);

/**
 * state_status_name() - "created", "running", "exited", "dead"
 */
const char *state_status_name(enum ctr_status s);

/**
 * state_write_exit() - record the exit code (atomically, file "exit")
 *
 * Return: 0, or -errno
 */
int state_write_exit(const struct ctr *c, int code);

/**
 * state_path() - @c->dir + "/" + @file
 *
 * Return: @buf
 */
const char *state_path(const struct ctr *c, const char *file, char *buf, size_t len);

/**
 * state_remove() - delete the container's folder and everything in it
 *
 * Return: 0, or -errno
 */
int state_remove(const struct ctr *c);

/**
 * state_sweep_unfinished() - remove container folders with no record in them
 *			      (a run killed between making the folder and its
 *			      first save) whose lock nobody holds
 * @removed:	called with each ID removed (may be NULL)
 * @data:	passed to @removed
 *
 * The caller holds the global lock (state_global_lock()), which state_new()
 * holds from mkdir() to the first save.
 *
 * Return: the number removed, or -errno
 */
int state_sweep_unfinished(void (*removed)(const char *id, void *data), void *data);

/**
 * state_sweep_unfinished_in() - state_sweep_unfinished() in the folder @root
 *				 (the pods' folder: a pod create killed before
 *				 its first save)
 * @root:	folder of container or pod folders
 * @removed:	called with each ID removed (may be NULL)
 * @data:	passed to @removed
 *
 * The caller holds the lock that guards creating folders in @root.
 *
 * Return: the number removed, or -errno
 */
int state_sweep_unfinished_in(const char *root, void (*removed)(const char *id, void *data),
			      void *data);

#endif /* BURROW_LAUNCHER_STATE_H */
