// SPDX-License-Identifier: GPL-2.0-or-later
/* ctr.c - find, signal, wait for, remove, clean up and prune containers */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* messages that name long paths may be cut short: that is fine */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "cleanup.h"
#include "ctr.h"
#include "lock.h"
#include "net.h"
#include "nsholder.h"
#include "proc.h"
#include "runtime.h"
#include "state.h"
#include "statedir.h"

int ctr_find(const char *ref, struct ctr *c, char *err, size_t errlen)
{
	int r = state_find(ref, c);

	if (r == -ENOTUNIQ)
		snprintf(err, errlen, "'%s' matches more than one container: type more of the ID",
			 ref);
	else if (r == -ENOENT)
		snprintf(err, errlen, "no such container: %s", ref);
	else if (r < 0)
		snprintf(err, errlen, "reading the state directory: %s", strerror(-r));
	c->net_exitfd = -1;
	return r;
}

int ctr_status_live(enum ctr_status s)
{
	return s == CTR_RUNNING || s == CTR_CREATED;
}

/* signal the container's init directly (the runtime would do the same) */
int ctr_signal(const struct ctr *c, int sig)
{
	if (!c->pid || !proc_alive(c->pid, c->pid_start))
		return -ESRCH;
	return kill(c->pid, sig) ? -errno : 0;
}

int ctr_wait_stopped(const struct ctr *c, long ms)
{
	for (; ms > 0; ms -= 20) {
		if (!ctr_status_live(state_status(c, NULL)))
			return 1;
		proc_sleep_ms(20);
	}
	return !ctr_status_live(state_status(c, NULL));
}

/* remove runtime state and helpers of @c; its folder lock must be ours */
static void leftovers(struct ctr *c)
{
	char *del[] = { "delete", "--force", c->id, NULL };

	if (c->pid && proc_alive(c->pid, c->pid_start))
		kill(c->pid, SIGKILL);
	net_teardown(c);
	nsholder_kill(c->holder_pid, c->holder_start, 0);
	runtime_exec(c, del, NULL, NULL, 0);
}

/* take @c's folder lock, waiting up to @ms for its supervisor to finish */
static int take_lock(const struct ctr *c, long ms)
{
	char path[PATH_MAX + 16];
	int fd;

	state_path(c, "lock", path, sizeof(path));
	for (;;) {
		if (access(c->dir, F_OK))
			return -ENOENT;
		fd = lock_acquire(path, 1, 0);
		if (fd >= 0 || fd != -EWOULDBLOCK || ms <= 0)
			return fd;
		proc_sleep_ms(20);
		ms -= 20;
	}
}

int ctr_remove(struct ctr *c, long wait_ms)
{
	int fd;

	/* burrow-mon writes into the folder until it exits: let it finish */
	for (; wait_ms > 0 && c->mon_pid && c->mon_pid != getpid() &&
	       proc_alive(c->mon_pid, c->mon_start); wait_ms -= 20)
		proc_sleep_ms(20);
	fd = take_lock(c, wait_ms);

	if (fd == -ENOENT)
		return 0;	/* its supervisor removed it (--rm) */
	if (fd < 0)
		return fd;
	leftovers(c);
	state_remove(c);
	lock_release(fd);
	return 0;
}

int ctr_cleanup(const char *dir)
{
	char path[PATH_MAX + 16], code[16];
	struct ctr c;
	int fd, n = 0;
	FILE *f;

	if (state_load(dir, &c) < 0)
		return 0;	/* already removed (rm -f, or a failed start) */
	fd = take_lock(&c, 30000);
	if (fd < 0)
		return fd == -ENOENT ? 0 : fd;
	leftovers(&c);
	/* keep the exit code under our own name too */
	f = fopen(state_path(&c, c.id, path, sizeof(path)), "re");
	if (f) {
		n = fscanf(f, "%15s", code);
		fclose(f);
	}
	if (n == 1 && access(state_path(&c, "exit", path, sizeof(path)), F_OK)) {
		f = fopen(path, "we");
		if (f) {
			fprintf(f, "%s\n", code);
			fclose(f);
		}
	}
	if (c.rm) {
		/* a `burrow attach` still reading the exit code: up to 10 s */
		int afd = -EWOULDBLOCK, i;

		state_path(&c, "attach.lock", path, sizeof(path));
		for (i = 0; i < 500 && afd == -EWOULDBLOCK && !access(path, F_OK); i++) {
			afd = lock_acquire(path, 1, 0);
			if (afd == -EWOULDBLOCK)
				proc_sleep_ms(20);
		}
		lock_release(afd);
		state_remove(&c);
	}
	lock_release(fd);
	return 0;
}

/* runtime state whose container folder is gone: delete it */
static void prune_runtime_orphans(const char *runtime, ctr_pruned_fn each, void *data)
{
	char sub[64], croot[PATH_MAX];
	struct ctr c = { .net_exitfd = -1 };
	struct dirent *e;
	DIR *d;

	snprintf(sub, sizeof(sub), "runtime/%s", runtime);
	if (statedir_path(sub, c.runtime_root, sizeof(c.runtime_root)) < 0 ||
	    state_root(croot, sizeof(croot)) < 0)
		return;
	snprintf(c.runtime, sizeof(c.runtime), "%s", runtime);
	c.rootless = rootless();
	d = opendir(c.runtime_root);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char probe[PATH_MAX + 300], tmpdir[] = "/tmp/burrow-prune.XXXXXX";
		char *del[] = { "delete", "--force", c.id, NULL };

		if (strlen(e->d_name) != CTR_ID_LEN || e->d_name[0] == '.')
			continue;
		memcpy(c.id, e->d_name, CTR_ID_LEN + 1);
		snprintf(probe, sizeof(probe), "%s/%s", croot, c.id);
		if (access(probe, F_OK) == 0)
			continue;
		/* runtime_exec() logs into the container folder: use a scratch one */
		if (!mkdtemp(tmpdir))
			continue;
		snprintf(c.dir, sizeof(c.dir), "%s", tmpdir);
		runtime_exec(&c, del, NULL, NULL, 0);
		rmdir(tmpdir);
		each(c.id, "runtime state", 0, data);
	}
	closedir(d);
}

struct pruned {
	ctr_pruned_fn each;
	void *data;
};

static void tell_unfinished(const char *id, void *data)
{
	const struct pruned *p = data;

	p->each(id, "no record", 0, p->data);
}

int ctr_prune(ctr_pruned_fn each, void *data)
{
	_cleanup_free_ struct ctr *v = NULL;
	struct pruned p = { each, data };
	size_t n, i;
	int r = state_list(&v, &n), glock, failed = 0;

	if (r < 0)
		return r;
	glock = state_global_lock();
	for (i = 0; i < n; i++) {
		v[i].net_exitfd = -1;
		if (ctr_status_live(state_status(&v[i], NULL)))
			continue;
		r = ctr_remove(&v[i], 0);
		if (r == -EWOULDBLOCK)
			continue;	/* its supervisor is still finishing */
		if (r < 0)
			failed = 1;
		each(v[i].id, NULL, r, data);
	}
	if (glock >= 0)
		state_sweep_unfinished(tell_unfinished, &p);
	prune_runtime_orphans("crun", each, data);
	prune_runtime_orphans("runc", each, data);
	lock_release(glock);
	return failed;
}
