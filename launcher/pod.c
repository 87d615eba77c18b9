// SPDX-License-Identifier: GPL-2.0-or-later
/* pod.c - pods: a shared network namespace with its helper, joined by containers */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* messages that name long paths may be cut short: that is fine */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "cleanup.h"
#include "ctr.h"
#include "lock.h"
#include "name.h"
#include "net.h"
#include "netdef.h"
#include "nsholder.h"
#include "pod.h"
#include "proc.h"
#include "spec.h"
#include "state.h"
#include "statedir.h"

static int pods_root(char *buf, size_t len)
{
	return statedir_path("pods", buf, len);
}

/* the lock that guards creating, removing and joining pods */
static int pods_lock(void)
{
	return statedir_lock("pods");
}

int pod_list(struct ctr **out, size_t *n)
{
	char root[PATH_MAX - 64];
	int r = pods_root(root, sizeof(root));

	*out = NULL;
	*n = 0;
	if (r < 0)
		return r;
	return state_list_dir(root, out, n);
}

/* the pod named or numbered @ref */
static int pod_find(const char *ref, struct ctr *p)
{
	_cleanup_free_ struct ctr *v = NULL;
	size_t n, i;
	int r = pod_list(&v, &n);

	if (r < 0)
		return r;
	for (i = 0; i < n; i++) {
		if (!strcmp(v[i].name, ref) || !strcmp(v[i].id, ref)) {
			*p = v[i];
			p->net_exitfd = -1;
			return 0;
		}
	}
	return -ENOENT;
}

int pod_running(const struct ctr *p)
{
	return p->holder_pid > 0 && proc_alive(p->holder_pid, p->holder_start);
}

/* stop the helper and the holder of @p, and wait until the holder is gone */
static void pod_stop(struct ctr *p)
{
	net_teardown(p);
	nsholder_kill(p->holder_pid, p->holder_start, 5000);
}

/* a new pod's folder and ID: like state_new(), in the pods folder */
static int pod_new_dir(struct ctr *p, char *err, size_t errlen)
{
	static const char hex[] = "0123456789abcdef";
	char root[PATH_MAX - 64];
	unsigned char b[CTR_ID_LEN / 2];
	int r = pods_root(root, sizeof(root)), tries;
	size_t i;
	FILE *f;

	if (r < 0) {
		snprintf(err, errlen, "state directory: %s", strerror(-r));
		return r;
	}
	for (tries = 0; tries < 16; tries++) {
		f = fopen("/dev/urandom", "re");
		if (!f || fread(b, 1, sizeof(b), f) != sizeof(b)) {
			if (f)
				fclose(f);
			snprintf(err, errlen, "read /dev/urandom failed");
			return -EIO;
		}
		fclose(f);
		for (i = 0; i < sizeof(b); i++) {
			p->id[2 * i] = hex[b[i] >> 4];
			p->id[2 * i + 1] = hex[b[i] & 15];
		}
		p->id[CTR_ID_LEN] = '\0';
		snprintf(p->dir, sizeof(p->dir), "%s/%s", root, p->id);
		if (mkdir(p->dir, 0700) == 0)
			return 0;
		if (errno != EEXIST) {
			r = -errno;
			snprintf(err, errlen, "mkdir(%s): %s", p->dir, strerror(errno));
			return r;
		}
	}
	snprintf(err, errlen, "no free pod ID in %s", root);
	return -EEXIST;
}

int pod_create(const char *name, const char *network, const char *const *ports, size_t nports,
	       char *id, size_t idlen, char *err, size_t errlen)
{
	struct port_fwd fwd[NET_MAX_PORTS];
	struct nsholder h = { .quit = -1 };
	struct userns_maps maps;
	struct ctr p = { .net_exitfd = -1 }, other;
	int glock = -1, r = -EINVAL;
	size_t i;

	err[0] = '\0';

	r = name ? name_check("pod name", name, sizeof(p.name), NAME_NOT_HEX, err, errlen) : 0;
	if (r < 0)
		goto fail;
	snprintf(p.network, sizeof(p.network), "%s", network ? network :
		 net_default_mode(nports));
	if (strcmp(p.network, "none") && strcmp(p.network, "slirp") &&
	    strcmp(p.network, "pasta") && strcmp(p.network, "bridge") &&
	    strncmp(p.network, "bridge:", 7)) {
		r = -EINVAL;
		snprintf(err, errlen, "pod create --network %s: a pod's network is slirp, "
			 "pasta, none or (root) bridge[:NAME]", p.network);
		goto fail;
	}
	r = net_mode_check(p.network, nports, err, errlen);
	if (r < 0)
		goto fail;
	if (nports > NET_MAX_PORTS) {
		r = -E2BIG;
		snprintf(err, errlen, "too many -p options (at most %d)", NET_MAX_PORTS);
		goto fail;
	}
	for (i = 0; i < nports; i++) {
		r = portspec_parse(ports[i], &fwd[i], err, errlen);
		if (r == 0)
			r = net_port_free(&fwd[i], err, errlen);
		if (r < 0)
			goto fail;
		snprintf(p.ports + strlen(p.ports), sizeof(p.ports) - strlen(p.ports), "%s%s",
			 i ? "," : "", ports[i]);
	}
	p.rootless = rootless();
	r = p.rootless ? spec_rootless_maps(&maps, err, errlen) : 0;
	if (r < 0)
		goto fail;
	snprintf(p.runtime, sizeof(p.runtime), "none");
	snprintf(p.command, sizeof(p.command), "(pod)");

	glock = pods_lock();
	if (glock < 0) {
		r = glock;
		snprintf(err, errlen, "lock the pods folder: %s", strerror(-glock));
		goto fail;
	}
	if (name && pod_find(name, &other) == 0) {
		r = -EEXIST;
		snprintf(err, errlen, "the pod name %s is already in use by pod %s "
			 "(remove it with: burrow pod rm %s)", name, other.id, other.name);
		goto fail;
	}
	r = pod_new_dir(&p, err, errlen);
	if (r < 0)
		goto fail;
	snprintf(p.name, sizeof(p.name), "%s", name ? name : p.id);
	p.created = (long long)time(NULL);
	r = nsholder_start(&(struct nsholder_opts){ .what = "network namespace",
			   .maps = p.rootless ? &maps : NULL, .userns_fd = -1,
			   .clone_flags = CLONE_NEWNET, .life = NSHOLDER_DETACHED },
			   &h, err, errlen);
	if (r == 0) {
		p.holder_pid = h.pid;
		p.holder_start = h.start;
		/* the holder lives until pod rm: the helper follows it, not us */
		r = net_setup(&p, h.pid, 0, fwd, nports, err, errlen);
	}
	if (r == 0)
		r = state_save(&p);
	if (r < 0) {
		if (!err[0])
			snprintf(err, errlen, "write %s/state.json: %s", p.dir, strerror(-r));
		net_teardown(&p);
		nsholder_stop(&h);
		state_remove(&p);
		goto fail;
	}
	/* recorded: the holder outlives us from now on */
	r = nsholder_commit(&h);
	if (r < 0) {
		snprintf(err, errlen, "pod %s: its network namespace holder %d exited", p.name,
			 (int)h.pid);
		net_teardown(&p);
		state_remove(&p);
		goto fail;
	}
	lock_release(glock);
	snprintf(id, idlen, "%s", p.id);
	return 0;
fail:
	if (glock >= 0)
		lock_release(glock);
	return r;
}

int pod_member(const struct ctr *c, const struct ctr *p)
{
	return !strncmp(c->network, "pod:", 4) &&
	       (!strcmp(c->network + 4, p->name) || !strcmp(c->network + 4, p->id));
}

/* kill and remove @c, a container of a pod being removed */
static int remove_member(struct ctr *c, char *err, size_t errlen)
{
	int r;

	if (ctr_status_live(state_status(c, NULL)))
		ctr_signal(c, SIGKILL);
	r = ctr_remove(c, 15000);
	if (r < 0)
		snprintf(err, errlen, "container %s could not be removed: %s", c->id, strerror(-r));
	return r;
}

int pod_remove(const char *ref, int force, struct ctr *p, char *err, size_t errlen)
{
	_cleanup_free_ struct ctr *v = NULL;
	size_t n = 0, i;
	int glock, r, failed = 0;

	glock = pods_lock();
	if (glock < 0) {
		snprintf(err, errlen, "lock the pods folder: %s", strerror(-glock));
		return glock;
	}
	if (pod_find(ref, p) < 0) {
		snprintf(err, errlen, "no such pod: %s", ref);
		lock_release(glock);
		return -ENOENT;
	}
	r = state_list(&v, &n);
	if (r < 0)
		n = 0;
	for (i = 0; i < n; i++) {
		if (pod_member(&v[i], p) && !force &&
		    ctr_status_live(state_status(&v[i], NULL))) {
			snprintf(err, errlen, "pod %s has running container %s: stop it first or "
				 "use burrow pod rm -f %s", p->name, v[i].id, p->name);
			lock_release(glock);
			return -EBUSY;
		}
	}
	for (i = 0; i < n; i++) {
		v[i].net_exitfd = -1;
		if (pod_member(&v[i], p) && remove_member(&v[i], err, errlen) < 0)
			failed = 1;
	}
	pod_stop(p);
	r = state_remove(p);
	lock_release(glock);
	if (r < 0) {
		snprintf(err, errlen, "remove %s: %s", p->dir, strerror(-r));
		return r;
	}
	if (failed)
		return 1;
	return 0;
}

int pod_join(const char *ref, json_t *cfg, int rootless_mode, char *err, size_t errlen)
{
	char userns[64], netns[64], path[PATH_MAX + 16];
	struct ctr p;
	int glock = pods_lock(), r;

	if (glock < 0) {
		snprintf(err, errlen, "lock the pods folder: %s", strerror(-glock));
		return glock;
	}
	r = pod_find(ref, &p);
	if (r < 0) {
		snprintf(err, errlen, "--network pod:%s: no such pod (make it with: burrow pod "
			 "create --name %s)", ref, ref);
		goto out;
	}
	if (!pod_running(&p)) {
		snprintf(err, errlen, "--network pod:%s: the pod's namespace holder is gone; "
			 "remove it with burrow pod rm -f %s", ref, p.name);
		r = -ESRCH;
		goto out;
	}
	if (!!p.rootless != !!rootless_mode) {
		snprintf(err, errlen, "--network pod:%s: the pod is %s", ref,
			 p.rootless ? "rootless" : "rootful");
		r = -EPERM;
		goto out;
	}
	snprintf(userns, sizeof(userns), "/proc/%d/ns/user", (int)p.holder_pid);
	snprintf(netns, sizeof(netns), "/proc/%d/ns/net", (int)p.holder_pid);
	r = spec_join(cfg, rootless_mode ? userns : NULL, netns);
	if (r < 0)
		snprintf(err, errlen, "--network pod:%s: config.json has no namespaces", ref);
	/* a pod's containers share its resolv.conf (its network's DNS server) */
	if (r == 0 &&
	    !access(state_path(&p, "resolv.conf", path, sizeof(path)), F_OK) &&
	    spec_bind_resolv_conf(cfg, path) < 0) {
		snprintf(err, errlen, "--network pod:%s: config.json has no mounts", ref);
		r = -EINVAL;
	}
out:
	lock_release(glock);
	return r;
}

struct pod_pruned {
	pod_pruned_fn each;
	void *data;
};

static void tell_unfinished(const char *id, void *data)
{
	const struct pod_pruned *p = data;

	p->each(id, p->data);
}

int pod_prune(pod_pruned_fn each, void *data)
{
	_cleanup_free_ struct ctr *v = NULL;
	struct pod_pruned pp = { each, data };
	char root[PATH_MAX - 64];
	size_t n, i;
	int glock = pods_lock(), failed = 0;

	if (glock < 0 || pod_list(&v, &n) < 0) {
		if (glock >= 0)
			lock_release(glock);
		return 1;
	}
	for (i = 0; i < n; i++) {
		v[i].net_exitfd = -1;
		if (pod_running(&v[i]))
			continue;
		pod_stop(&v[i]);
		if (state_remove(&v[i]) < 0) {
			failed = 1;
			continue;
		}
		each(v[i].id, data);
	}
	/* folders of pod creates killed before their first save (pod_create()
	 * holds the lock from mkdir() to it) */
	if (pods_root(root, sizeof(root)) == 0)
		state_sweep_unfinished_in(root, tell_unfinished, &pp);
	lock_release(glock);
	return failed;
}

int pod_on_network(const char *net, char *id, size_t idlen)
{
	_cleanup_free_ struct ctr *v = NULL;
	size_t n, i;

	if (pod_list(&v, &n) < 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (strncmp(v[i].network, "bridge", 6) || strcmp(netdef_name(v[i].network), net) ||
		    !pod_running(&v[i]))
			continue;
		snprintf(id, idlen, "%s", v[i].name);
		return 1;
	}
	return 0;
}
