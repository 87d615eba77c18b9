/* SPDX-License-Identifier: GPL-2.0-or-later
 * nsholder.h - a small process that makes namespaces and holds them: the
 * network namespace of a rootless `burrow-netns create` or of a container
 * or pod of the launcher, the mount namespace of an image's overlay root.
 * Other processes enter them through /proc/PID/ns/{user,net,mnt}.
 *
 * The holder owns nothing of its creator (no fds but its own pipes, stdio on
 * /dev/null, cwd /) and is dumpable, so that helpers of the same user may
 * open its /proc/PID/ns files.  Its PID and start time (lib/proc) name it:
 * a recorded holder is only ever stopped if it still has that start time.
 */
#ifndef BURROW_NSHOLDER_H
#define BURROW_NSHOLDER_H

#include <sched.h>	/* CLONE_NEWNET, CLONE_NEWNS */
#include <stddef.h>
#include <sys/types.h>

#include "userns.h"

/* how long a holder lives */
enum nsholder_life {
	/* until the caller closes its end of the quit pipe (nsholder_stop())
	 * or dies (PR_SET_PDEATHSIG): the caller's child */
	NSHOLDER_WITH_CALLER = 0,
	/* until SIGTERM, SIGINT, SIGHUP or SIGKILL: nobody's child (double
	 * fork), a session of its own; once its creator has recorded it and
	 * said so (nsholder_commit()) it survives kill -9 of its creator, and
	 * until then it ends with the creator, so that none is left running
	 * that no record names */
	NSHOLDER_DETACHED,
};

struct nsholder_opts {
	const char *what;		/* for messages: "network namespace" */
	const struct userns_maps *maps;	/* make a user namespace with these
					 * maps (userns_create()), or NULL */
	int userns_fd;			/* without @maps: join this user
					 * namespace, or -1 to stay in ours */
	int clone_flags;		/* namespaces to make: CLONE_NEWNET
					 * (loopback brought up), CLONE_NEWNS
					 * (mounts made private) */
	enum nsholder_life life;
	/* called in the holder after it joined or made the user namespace,
	 * before it makes the others (still in the caller's mount and network
	 * namespaces: to open a device or start a helper there), or NULL:
	 * 0, or -1 with the reason in @why */
	int (*before_unshare)(void *data, char *why, size_t len);
	/* called in the holder once its namespaces exist, or NULL: 0, or
	 * -1 with the reason in @why.  On success, a text it leaves in @why
	 * (what it chose, a PID) is the holder's answer, copied to @answer */
	int (*setup)(void *data, char *why, size_t len);
	void *data;			/* for both hooks: the holder's copy */
	char *answer;			/* @setup's answer ("" if none), or NULL */
	size_t answer_len;		/* size of @answer */
	int timeout_ms;			/* longest wait for the holder's report
					 * (a hook that hangs): -ETIMEDOUT after
					 * it (a detached holder that answers
					 * later finds nobody and exits); 0: no
					 * limit */
};

struct nsholder {
	pid_t pid;			/* the holder, 0 if none */
	unsigned long long start;	/* its start time (proc_start_time()) */
	int quit;			/* closing it ends the holder (detached:
					 * until nsholder_commit()); else -1 */
	int detached;			/* NSHOLDER_DETACHED: not our child */
};

/**
 * nsholder_start() - make the holder and its namespaces, and wait until
 *		      they are ready
 * @o:		what to make
 * @h:		result
 * @err:	reason on failure ("network namespace: unshare(CLONE_NEWNET):
 *		Operation not permitted", "network namespace: no answer from
 *		its holder in 30 s")
 * @errlen:	size of @err
 *
 * Return: 0, or -errno (nothing is left running)
 */
int nsholder_start(const struct nsholder_opts *o, struct nsholder *h,
		   char *err, size_t errlen);

/**
 * nsholder_commit() - tell the detached holder @h that its creator has
 *		       recorded it (PID and start time), so that it outlives
 *		       the creator from now on
 * @h:		holder from nsholder_start(); one that lives with its caller
 *		(NSHOLDER_WITH_CALLER) is left as it is
 *
 * Until this call a detached holder ends when its creator does, kill -9
 * included.  Record it first, then commit: a creator killed in between
 * leaves a record whose holder is gone (stale, and said so), never a holder
 * that nothing names.  @h may still be stopped afterwards.
 *
 * Return: 0, or -ECHILD if the holder is gone
 */
int nsholder_commit(struct nsholder *h);

/**
 * nsholder_stop() - end the holder @h (if still the one started) and wait
 *		     until it is gone; the namespaces live on while used
 * @h:		holder from nsholder_start(), or with @h->pid 0 (nothing to
 *		do); left with pid 0 and quit -1
 */
void nsholder_stop(struct nsholder *h);

/**
 * nsholder_kill() - SIGKILL the holder @pid if it still is the one started
 *		     at @start, and wait (up to @timeout_ms) until it is gone
 * @pid:	holder PID, as recorded
 * @start:	its recorded start time (0: unknown, so it is left alone)
 * @timeout_ms:	how long to wait for the exit
 *
 * For holders that are not our children (NSHOLDER_DETACHED, or one another
 * process started): it watches /proc until the process is gone or a zombie.
 *
 * Return: 0 (also when it was already gone), -ETIMEDOUT, or -errno of kill()
 */
int nsholder_kill(pid_t pid, unsigned long long start, int timeout_ms);

#endif /* BURROW_NSHOLDER_H */
