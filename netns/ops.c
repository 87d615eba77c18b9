// SPDX-License-Identifier: GPL-2.0-or-later
/* ops.c - create, delete, list, enter and configure network namespaces */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "inuse.h"
#include "lock.h"
#include "log.h"
#include "name.h"
#include "netconf.h"
#include "nsholder.h"
#include "ns.h"
#include "ops.h"
#include "proc.h"
#include "state.h"
#include "statedir.h"
#include "userns.h"

#define HOLDER_STOP_MS	10000
#define INUSE_SHOW	8

/* Take the lock that serialises create and delete of this caller's namespaces */
static int ops_lock(void)
{
	int ret = statedir_lock("netns");

	if (ret < 0)
		err("lock of the netns state directory: %s", strerror(-ret));
	return ret;
}

/* lib/name's rule, logged when broken: 0 or -EINVAL */
static int ops_name_check(const char *name)
{
	char why[512];

	if (name_check("namespace name", name, NETNS_NAME_MAX + 1, 0, why, sizeof(why)) < 0) {
		err("%s", why);
		return -EINVAL;
	}
	return 0;
}

/* state_lookup() with the error logged; a dead rootless holder is an error
 * unless @stale_ok */
static int ops_lookup(const char *name, struct netns_rec *rec, int stale_ok)
{
	int ret;

	if (ops_name_check(name) < 0)
		return -EINVAL;
	ret = state_lookup(name, rec);
	if (ret == -ENOENT) {
		err("%s: no such network namespace", name);
		return ret;
	}
	if (ret < 0) {
		err("%s: %s", name, strerror(-ret));
		return ret;
	}
	if (!rec->alive && !stale_ok) {
		if (rec->mode == NETNS_ROOTFUL)
			err("%s: no namespace is mounted on %s (left by a create that did not "
			    "finish; delete it)", name, rec->path);
		else
			err("%s: holder process %d is gone (stale record; delete it)", name,
			    (int)rec->pid);
		return -ESRCH;
	}
	return 0;
}

/* Rootful: unshare a network namespace, bring lo up, bind it on
 * /run/netns/NAME and come back */
static int create_rootful(const char *name)
{
	char path[PATH_MAX];
	_cleanup_close_ int orig = -1;
	int ret, back;

	ret = ns_rundir_prepare(NETNS_RUN_DIR);
	if (ret < 0) {
		err("mount --make-shared " NETNS_RUN_DIR ": %s", strerror(-ret));
		return ret;
	}
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	orig = ns_open_pid(0, "net");
	if (orig < 0)
		return orig;
	if (unshare(CLONE_NEWNET) < 0) {
		ret = -errno;
		err("unshare(CLONE_NEWNET): %s", strerror(-ret));
		return ret;
	}
	ret = netconf_loopback_up();
	if (ret < 0)
		err("netconf_link_up(lo): %s", strerror(-ret));
	else if ((ret = ns_bind("/proc/self/ns/net", path)) < 0)
		err("mount --bind /proc/self/ns/net %s: %s", path, strerror(-ret));
	back = ns_enter_fd(orig, CLONE_NEWNET, "/proc/self/ns/net");
	return ret < 0 ? ret : back;
}

/* Rootless: a holder process in a user namespace keeps the network namespace */
static int create_rootless(const char *name, const char *userns_path)
{
	struct userns_opts opts = { .mode = USERNS_MAP_ROOT, .single_id_ok = 1,
				    .quiet = 1, .hold = USERNS_HOLD_PARENT };
	struct nsholder_opts ho = { .what = "namespace holder", .userns_fd = -1,
				    .clone_flags = CLONE_NEWNET, .life = NSHOLDER_DETACHED };
	_cleanup_free_ struct userns_maps *maps = NULL;
	_cleanup_close_ int ufd = -1;
	struct nsholder h;
	char msg[512];
	int ret;

	if (userns_path) {
		ufd = open(userns_path, O_RDONLY | O_CLOEXEC);
		if (ufd < 0) {
			ret = -errno;
			err("open(%s): %s", userns_path, strerror(-ret));
			return ret;
		}
		ho.userns_fd = ufd;
	} else {
		maps = calloc(1, sizeof(*maps));
		if (!maps)
			return -ENOMEM;
		ret = userns_plan(&opts, maps, msg, sizeof(msg));
		if (ret < 0) {
			err("userns_plan: %s", msg);
			return ret;
		}
		ho.maps = maps;
	}
	ret = nsholder_start(&ho, &h, msg, sizeof(msg));
	if (ret < 0) {
		err("create %s: %s", name, msg);
		return ret;
	}
	ret = state_write(name, h.pid, h.start);
	if (ret < 0) {
		err("state_write(netns/%s): %s", name, strerror(-ret));
		nsholder_stop(&h);
		return ret;
	}
	/* recorded: from now on the holder outlives us */
	ret = nsholder_commit(&h);
	if (ret < 0) {
		err("create %s: its holder %d exited before it was recorded", name, (int)h.pid);
		state_remove(name);
		return ret;
	}
	return 0;
}

/**
 * ops_create() - create network namespace @name with loopback up: rootful a
 *		  bind mount /run/netns/NAME, rootless a holder process in a
 *		  new user namespace (or in the one at @userns_path)
 * @name:	namespace name
 * @userns_path: rootless: existing user namespace to use, or NULL
 *
 * Return: 0, or -errno (-EEXIST if the name is taken)
 */
int ops_create(const char *name, const char *userns_path)
{
	struct netns_rec rec;
	int lock, ret;

	if (ops_name_check(name) < 0)
		return -EINVAL;
	if (userns_path && !rootless()) {
		err("--userns is for rootless namespaces (running as root makes /run/netns/%s)",
		    name);
		return -EINVAL;
	}
	lock = ops_lock();
	if (lock < 0)
		return lock;
	ret = state_lookup(name, &rec);
	if (ret == 0) {
		err("create %s: already exists (%s)", name, rec.path);
		ret = -EEXIST;
	} else if (ret != -ENOENT) {
		err("create %s: %s", name, strerror(-ret));
	} else if (rootless()) {
		ret = create_rootless(name, userns_path);
	} else {
		ret = create_rootful(name);
	}
	lock_release(lock);
	return ret;
}

/* Log who uses @rec and return how many (or 0 if it cannot tell) */
static int report_users(const struct netns_rec *rec, int force)
{
	pid_t pids[INUSE_SHOW];
	char list[INUSE_SHOW * 40] = "", comm[32];
	int n, i;
	size_t off = 0;

	n = inuse_scan(rec->path, rec->mode == NETNS_ROOTLESS ? rec->pid : 0,
		       pids, INUSE_SHOW);
	if (n <= 0)
		return 0;
	for (i = 0; i < n && i < INUSE_SHOW && off < sizeof(list); i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%d (%s)",
					i ? ", " : "", (int)pids[i],
					inuse_comm(pids[i], comm, sizeof(comm)));
	if (force)
		warn("delete %s: still in use by %d process%s: %s%s; removing the name anyway",
		     rec->name, n, n == 1 ? "" : "es", list, n > INUSE_SHOW ? ", ..." : "");
	else
		err("delete %s: in use by %d process%s: %s%s; stop %s or use --force",
		    rec->name, n, n == 1 ? "" : "es", list, n > INUSE_SHOW ? ", ..." : "",
		    n == 1 ? "it" : "them");
	return n;
}

/**
 * ops_delete() - remove network namespace @name; refuses (-EBUSY) while other
 *		  processes use it unless @force
 * @name:	namespace name
 * @force:	remove the name even if processes still use the namespace
 *
 * Return: 0, or -errno
 */
int ops_delete(const char *name, int force)
{
	struct netns_rec rec;
	int lock, ret;

	lock = ops_lock();
	if (lock < 0)
		return lock;
	ret = ops_lookup(name, &rec, 1);
	if (ret < 0)
		goto out;
	if (rec.alive && report_users(&rec, force) > 0 && !force) {
		ret = -EBUSY;
		goto out;
	}
	if (rec.mode == NETNS_ROOTFUL) {
		ret = ns_unbind(rec.path);
		if (ret < 0)
			err("umount/unlink %s: %s", rec.path, strerror(-ret));
		goto out;
	}
	ret = nsholder_kill(rec.pid, rec.start, HOLDER_STOP_MS);
	if (ret < 0) {
		err("kill(%d) (holder of %s): %s", (int)rec.pid, name, strerror(-ret));
		goto out;
	}
	ret = state_remove(name);
	if (ret < 0)
		err("state_remove(netns/%s): %s", name, strerror(-ret));
out:
	lock_release(lock);
	return ret;
}

static int list_one(const struct netns_rec *rec, void *data)
{
	FILE *out = data;

	fprintf(out, "%s %s %s%s\n", rec->name,
		rec->mode == NETNS_ROOTFUL ? "rootful" : "rootless", rec->path,
		rec->alive ? "" : " stale");
	return 0;
}

/**
 * ops_list() - print "NAME MODE PATH" for every namespace, "stale" for a
 *		rootless one whose holder is gone
 * @out:	where to print
 *
 * Return: 0, or -errno
 */
int ops_list(FILE *out)
{
	int ret = state_list(list_one, out);

	if (ret < 0)
		err("list: %s", strerror(-ret));
	return ret;
}

/**
 * ops_path() - print the path of @name usable with setns(): /run/netns/NAME,
 *		or /proc/PID/ns/net (rootless; @user: /proc/PID/ns/user)
 * @name:	namespace name
 * @user:	print the user namespace instead (rootless only)
 * @out:	where to print
 *
 * Return: 0, or -errno
 */
int ops_path(const char *name, int user, FILE *out)
{
	struct netns_rec rec;
	int ret = ops_lookup(name, &rec, 0);

	if (ret < 0)
		return ret;
	if (user && rec.mode != NETNS_ROOTLESS) {
		err("%s: a rootful namespace has no user namespace of its own", name);
		return -EINVAL;
	}
	fprintf(out, "%s\n", user ? rec.userns : rec.path);
	return 0;
}

/* Open the namespaces of @rec, checking that a rootless holder is still the
 * recorded one once they are open (so a reused PID is never entered) */
static int open_rec(const struct netns_rec *rec, int *ufd, int *nfd)
{

	*ufd = -1;
	*nfd = open(rec->path, O_RDONLY | O_CLOEXEC);
	if (*nfd < 0) {
		int ret = -errno;

		err("open(%s): %s", rec->path, strerror(-ret));
		return ret;
	}
	if (rec->mode != NETNS_ROOTLESS)
		return 0;
	*ufd = open(rec->userns, O_RDONLY | O_CLOEXEC);
	if (*ufd < 0 || !proc_alive(rec->pid, rec->start)) {
		int ret = *ufd < 0 ? -errno : -ESRCH;

		err("open(%s): %s", rec->userns, strerror(-ret));
		if (*ufd >= 0)
			close(*ufd);
		close(*nfd);
		*ufd = *nfd = -1;
		return ret;
	}
	return 0;
}

/* setns() into @ufd (unless it is ours already) and @nfd */
static int enter_fds(const struct netns_rec *rec, int ufd, int nfd)
{
	int ret;

	if (ufd >= 0) {
		_cleanup_close_ int cur = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);

		if (cur < 0 || ns_same(cur, ufd) != 1) {
			ret = ns_enter_fd(ufd, CLONE_NEWUSER, rec->userns);
			if (ret < 0)
				return ret;
		}
	}
	return ns_enter_fd(nfd, CLONE_NEWNET, rec->path);
}

/**
 * ops_enter() - join namespace @name (rootless: its user namespace first)
 * @name:	namespace name
 *
 * Return: 0, or -errno
 */
int ops_enter(const char *name)
{
	struct netns_rec rec;
	int ufd, nfd, ret;

	ret = ops_lookup(name, &rec, 0);
	if (ret < 0)
		return ret;
	ret = open_rec(&rec, &ufd, &nfd);
	if (ret < 0)
		return ret;
	ret = enter_fds(&rec, ufd, nfd);
	if (ufd >= 0)
		close(ufd);
	close(nfd);
	return ret;
}

/**
 * ops_exec() - join namespace @name and execvp() @argv; no mount namespace,
 *		no remount of /sys (unlike `ip netns exec`)
 * @name:	namespace name
 * @argv:	command, NULL-terminated
 *
 * Return: only on failure: -errno (-ENOENT: command not found)
 */
int ops_exec(const char *name, char **argv)
{
	int ret = ops_enter(name);

	if (ret < 0)
		return ret;
	execvp(argv[0], argv);
	ret = -errno;
	err("execvp(%s): %s", argv[0], strerror(-ret));
	return ret;
}

/* Open the network namespace @target: a path, or a namespace name */
static int open_target(const char *target)
{
	struct netns_rec rec;
	int ufd, nfd, ret;

	if (strchr(target, '/')) {
		nfd = open(target, O_RDONLY | O_CLOEXEC);
		if (nfd < 0) {
			ret = -errno;
			err("open(%s): %s", target, strerror(-ret));
			return ret;
		}
		return nfd;
	}
	ret = ops_lookup(target, &rec, 0);
	if (ret < 0)
		return ret;
	ret = open_rec(&rec, &ufd, &nfd);
	if (ret < 0)
		return ret;
	if (ufd >= 0)
		close(ufd);
	return nfd;
}

/**
 * ops_config() - join namespace @name and apply @op; prints a sysctl value read
 * @name:	namespace name
 * @op:		parsed request
 * @out:	where to print a value read
 *
 * Return: 0, or -errno
 */
int ops_config(const char *name, const struct config_op *op, FILE *out)
{
	_cleanup_close_ int tfd = -1;
	char value[4096], what[256];
	int ret;

	if (op->target) {
		tfd = open_target(op->target);
		if (tfd < 0)
			return tfd;
	}
	ret = ops_enter(name);
	if (ret < 0)
		return ret;
	ret = config_apply(op, tfd, value, sizeof(value));
	if (ret < 0) {
		err("%s in %s: %s", config_describe(op, what, sizeof(what)), name,
		    strerror(-ret));
		return ret;
	}
	if (op->kind == CFG_SYSCTL_GET)
		fprintf(out, "%s\n", value);
	return 0;
}
