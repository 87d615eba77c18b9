// SPDX-License-Identifier: GPL-2.0-or-later
/* spec.c - build an OCI runtime config.json from `burrow run` options */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "seccompnotify.h"
#include "spec.h"

/* the capabilities a container's root keeps by default (podman's list) */
static const char *const default_caps[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
	"CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP",
	"CAP_SETUID", "CAP_SYS_CHROOT",
};

static const char *const masked_paths[] = {
	"/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
	"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
	"/proc/scsi", "/sys/firmware",
};

static const char *const readonly_paths[] = {
	"/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
	"/proc/sysrq-trigger",
};

/* set @key of @obj to @val (stolen); 0 or -ENOMEM */
static int put(json_t *obj, const char *key, json_t *val)
{
	return json_object_set_new(obj, key, val) ? -ENOMEM : 0;
}

static json_t *str_array(const char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *mount_new(const char *dst, const char *type, const char *src,
			 const char *const *opts, size_t nopts)
{
	return json_pack("{s:s, s:s, s:s, s:o}", "destination", dst, "type", type,
			 "source", src, "options", str_array(opts, nopts));
}

static json_t *default_mounts(int userns)
{
	static const char *const o_proc[] = { "nosuid", "noexec", "nodev" };
	static const char *const o_dev[] = { "nosuid", "strictatime", "mode=755", "size=65536k" };
	static const char *const o_pts[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666",
					     "mode=0620" };
	static const char *const o_pts_root[] = { "nosuid", "noexec", "newinstance",
						  "ptmxmode=0666", "mode=0620", "gid=5" };
	static const char *const o_shm[] = { "nosuid", "noexec", "nodev", "mode=1777",
					     "size=65536k" };
	static const char *const o_mq[] = { "nosuid", "noexec", "nodev" };
	static const char *const o_sys[] = { "nosuid", "noexec", "nodev", "ro" };
	static const char *const o_cg[] = { "nosuid", "noexec", "nodev", "relatime", "ro" };
	json_t *m = json_array();

	if (!m)
		return NULL;
	json_array_append_new(m, mount_new("/proc", "proc", "proc", o_proc, ARRAY_SIZE(o_proc)));
	json_array_append_new(m, mount_new("/dev", "tmpfs", "tmpfs", o_dev, ARRAY_SIZE(o_dev)));
	if (userns)
		json_array_append_new(m, mount_new("/dev/pts", "devpts", "devpts", o_pts,
						   ARRAY_SIZE(o_pts)));
	else
		json_array_append_new(m, mount_new("/dev/pts", "devpts", "devpts", o_pts_root,
						   ARRAY_SIZE(o_pts_root)));
	json_array_append_new(m, mount_new("/dev/shm", "tmpfs", "shm", o_shm, ARRAY_SIZE(o_shm)));
	json_array_append_new(m, mount_new("/dev/mqueue", "mqueue", "mqueue", o_mq,
					   ARRAY_SIZE(o_mq)));
	json_array_append_new(m, mount_new("/sys", "sysfs", "sysfs", o_sys, ARRAY_SIZE(o_sys)));
	json_array_append_new(m, mount_new("/sys/fs/cgroup", "cgroup", "cgroup", o_cg,
					   ARRAY_SIZE(o_cg)));
	return m;
}

static json_t *caps_object(void)
{
	size_t n = ARRAY_SIZE(default_caps);

	return json_pack("{s:o, s:o, s:o, s:o}",
			 "bounding", str_array(default_caps, n),
			 "effective", str_array(default_caps, n),
			 "permitted", str_array(default_caps, n),
			 "inheritable", json_array());
}

static json_t *id_mappings(const struct userns_map *m, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:I, s:I}",
						   "containerID", (json_int_t)m[i].inside,
						   "hostID", (json_int_t)m[i].outside,
						   "size", (json_int_t)m[i].count));
	return a;
}

/* the skeleton used when no bundle config is given */
static json_t *default_config(const struct spec_opts *o)
{
	static const char *const path_env = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
					    "/usr/bin:/sbin:/bin";
	json_t *c;

	c = json_pack("{s:s, s:{s:b, s:{s:i, s:i}, s:[s], s:[s, s], s:s, s:o,"
		      " s:[{s:s, s:i, s:i}], s:b},"
		      " s:{s:s, s:b}, s:o,"
		      " s:{s:[], s:o, s:o}}",
		      "ociVersion", "1.0.2",
		      "process",
		      "terminal", 0,
		      "user", "uid", 0, "gid", 0,
		      "args", "/bin/sh",
		      "env", path_env, "TERM=xterm",
		      "cwd", "/",
		      "capabilities", caps_object(),
		      "rlimits", "type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024,
		      "noNewPrivileges", 1,
		      "root", "path", "", "readonly", 0,
		      "mounts", default_mounts(o->maps != NULL),
		      "linux", "namespaces",
		      "maskedPaths", str_array(masked_paths, ARRAY_SIZE(masked_paths)),
		      "readonlyPaths", str_array(readonly_paths, ARRAY_SIZE(readonly_paths)));
	return c;
}

/* replace or append "K=V" in the env array @env, matching on K */
static int env_set(json_t *env, const char *kv)
{
	size_t klen = strcspn(kv, "=") + 1, i;
	json_t *v;

	json_array_foreach(env, i, v) {
		const char *s = json_string_value(v);

		if (s && !strncmp(s, kv, klen))
			return json_array_set_new(env, i, json_string(kv)) ? -ENOMEM : 0;
	}
	return json_array_append_new(env, json_string(kv)) ? -ENOMEM : 0;
}

/* set the namespace list: pid, ipc, uts, mount, network (new or @netns), user */
static json_t *namespaces(const struct spec_opts *o)
{
	static const char *const always[] = { "pid", "ipc", "uts", "mount" };
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < ARRAY_SIZE(always); i++)
		json_array_append_new(a, json_pack("{s:s}", "type", always[i]));
	if (!a)
		return NULL;
	if (o->netns_path)
		json_array_append_new(a, json_pack("{s:s, s:s}", "type", "network",
						   "path", o->netns_path));
	else
		json_array_append_new(a, json_pack("{s:s}", "type", "network"));
	if (o->maps)
		json_array_append_new(a, json_pack("{s:s}", "type", "user"));
	return a;
}

static int get_obj(json_t *parent, const char *key, json_t **out)
{
	json_t *o = json_object_get(parent, key);

	if (!o) {
		o = json_object();
		if (!o || put(parent, key, o))
			return -ENOMEM;
	}
	if (!json_is_object(o))
		return -EINVAL;
	*out = o;
	return 0;
}

json_t *spec_build(const struct spec_opts *o, char *err, size_t errlen)
{
	json_t *c, *proc, *lnx, *root, *env, *mounts, *user;
	size_t i;

	if (!o->rootfs || o->rootfs[0] != '/') {
		snprintf(err, errlen, "root filesystem path must be absolute");
		return NULL;
	}
	if (o->base) {
		if (!json_is_object(o->base)) {
			snprintf(err, errlen, "config.json: not a JSON object");
			return NULL;
		}
		c = json_deep_copy(o->base);
	} else {
		c = default_config(o);
	}
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (get_obj(c, "process", &proc) || get_obj(c, "root", &root) ||
	    get_obj(c, "linux", &lnx) || get_obj(proc, "user", &user)) {
		snprintf(err, errlen, "config.json: process, root, lnx or process.user "
			 "is not an object");
		goto fail;
	}
	put(root, "path", json_string(o->rootfs));
	put(root, "readonly", json_false());

	if (o->args && o->args[0]) {
		json_t *a = json_array();

		for (i = 0; a && o->args[i]; i++)
			json_array_append_new(a, json_string(o->args[i]));
		put(proc, "args", a);
	} else if (!json_is_array(json_object_get(proc, "args"))) {
		put(proc, "args", json_pack("[s]", "/bin/sh"));
	}

	env = json_object_get(proc, "env");
	if (!json_is_array(env)) {
		env = json_array();
		put(proc, "env", env);
	}
	for (i = 0; i < o->nenv; i++) {
		if (spec_check_env(o->env[i])) {
			snprintf(err, errlen, "bad environment entry '%s': expected NAME=VALUE",
				 o->env[i]);
			goto fail;
		}
		env_set(env, o->env[i]);
	}
	if (o->hostname) {
		char h[300];

		put(c, "hostname", json_string(o->hostname));
		snprintf(h, sizeof(h), "HOSTNAME=%s", o->hostname);
		env_set(env, h);
	}
	if (o->workdir) {
		if (o->workdir[0] != '/') {
			snprintf(err, errlen, "working directory '%s' must be absolute", o->workdir);
			goto fail;
		}
		put(proc, "cwd", json_string(o->workdir));
	} else if (!json_object_get(proc, "cwd")) {
		put(proc, "cwd", json_string("/"));
	}
	put(user, "uid", json_integer(o->uid));
	put(user, "gid", json_integer(o->gid));
	put(proc, "terminal", json_boolean(o->terminal));

	put(lnx, "namespaces", namespaces(o));
	if (o->maps) {
		put(lnx, "uidMappings", id_mappings(o->maps->uid, o->maps->nuid));
		put(lnx, "gidMappings", id_mappings(o->maps->gid, o->maps->ngid));
	} else {
		json_object_del(lnx, "uidMappings");
		json_object_del(lnx, "gidMappings");
	}

	mounts = json_object_get(c, "mounts");
	if (!json_is_array(mounts)) {
		mounts = json_array();
		put(c, "mounts", mounts);
	}
	for (i = 0; i < o->nvolumes; i++) {
		const struct spec_volume *v = &o->volumes[i];
		static const char *const o_rw[] = { "rbind", "rw" };
		static const char *const o_ro[] = { "rbind", "ro" };

		json_array_append_new(mounts, mount_new(v->dst, "bind", v->src,
							v->ro ? o_ro : o_rw, 2));
	}
	if (o->resolv_conf) {
		static const char *const o_ro[] = { "bind", "ro" };

		json_array_append_new(mounts, mount_new("/etc/resolv.conf", "bind",
							o->resolv_conf, o_ro, 2));
	}
	return c;
fail:
	json_decref(c);
	return NULL;
}

int spec_parse_volume(const char *s, struct spec_volume *v, char *err, size_t errlen)
{
	const char *c1 = strchr(s, ':'), *c2;
	size_t l1, l2;

	memset(v, 0, sizeof(*v));
	if (!c1)
		goto bad;
	c2 = strchr(c1 + 1, ':');
	l1 = (size_t)(c1 - s);
	l2 = c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1);
	if (!l1 || !l2 || l1 >= sizeof(v->src) || l2 >= sizeof(v->dst))
		goto bad;
	memcpy(v->src, s, l1);
	memcpy(v->dst, c1 + 1, l2);
	if (v->src[0] != '/' || v->dst[0] != '/') {
		snprintf(err, errlen, "volume '%s': source and destination must be absolute paths",
			 s);
		return -EINVAL;
	}
	if (c2) {
		if (!strcmp(c2 + 1, "ro"))
			v->ro = 1;
		else if (strcmp(c2 + 1, "rw"))
			goto bad;
	}
	return 0;
bad:
	snprintf(err, errlen, "volume '%s': expected SRC:DST[:ro]", s);
	return -EINVAL;
}

static int parse_id(const char *s, size_t len, unsigned *out)
{
	unsigned long v = 0;
	size_t i;

	if (!len || len > 10)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > 0xfffffffeUL)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

int spec_parse_user(const char *s, unsigned *uid, unsigned *gid, char *err, size_t errlen)
{
	const char *colon = strchr(s, ':');
	size_t ulen = colon ? (size_t)(colon - s) : strlen(s);

	if (parse_id(s, ulen, uid) ||
	    (colon && parse_id(colon + 1, strlen(colon + 1), gid))) {
		snprintf(err, errlen, "user '%s': expected numeric UID[:GID]", s);
		return -EINVAL;
	}
	if (!colon)
		*gid = *uid;
	return 0;
}

int spec_check_env(const char *s)
{
	const char *eq = strchr(s, '=');

	return (!eq || eq == s) ? -EINVAL : 0;
}

int spec_join(json_t *cfg, const char *userns, const char *netns)
{
	json_t *lnx = json_object_get(cfg, "linux");
	json_t *ns = json_object_get(lnx, "namespaces"), *v;
	size_t i;

	if (!json_is_array(ns))
		return -EINVAL;
	json_array_foreach(ns, i, v) {
		const char *t = json_string_value(json_object_get(v, "type"));

		if (!t)
			continue;
		if (userns && !strcmp(t, "user"))
			json_object_set_new(v, "path", json_string(userns));
		if (netns && !strcmp(t, "network"))
			json_object_set_new(v, "path", json_string(netns));
	}
	if (userns) {
		json_object_del(lnx, "uidMappings");
		json_object_del(lnx, "gidMappings");
	}
	return 0;
}

int spec_bind_resolv_conf(json_t *cfg, const char *path)
{
	static const char *const o_ro[] = { "bind", "ro" };
	json_t *mounts = json_object_get(cfg, "mounts"), *m;
	size_t i;

	if (!json_is_array(mounts))
		return -EINVAL;
	for (i = json_array_size(mounts); i-- > 0;) {
		m = json_array_get(mounts, i);
		if (!strcmp(json_string_value(json_object_get(m, "destination")) ?: "",
			    "/etc/resolv.conf"))
			json_array_remove(mounts, i);
	}
	return json_array_append_new(mounts, mount_new("/etc/resolv.conf", "bind", path, o_ro,
							ARRAY_SIZE(o_ro))) ? -ENOMEM : 0;
}

int spec_seccomp_listener(json_t *cfg, const char *path, char *err, size_t errlen)
{
	json_t *linux_ = json_object_get(cfg, "linux"), *sc;

	if (!json_is_object(linux_)) {
		linux_ = json_object();
		if (!linux_ || json_object_set_new(cfg, "linux", linux_) < 0)
			return -ENOMEM;
	}
	if (json_object_get(linux_, "seccomp")) {
		snprintf(err, errlen, "--network slirp:bypass: the bundle's config.json has a "
			 "seccomp profile of its own; bypass needs to write one");
		return -EEXIST;
	}
	sc = json_object();
	if (!sc || json_object_set_new(linux_, "seccomp", sc) < 0) {
		snprintf(err, errlen, "seccomp profile: out of memory");
		return -ENOMEM;
	}
	return seccompnotify_apply(sc, path, err, errlen);
}

int spec_host_network(json_t *cfg)
{
	static const char *const o_sys[] = { "rbind", "nosuid", "noexec", "nodev", "ro" };
	json_t *lnx = json_object_get(cfg, "linux");
	json_t *ns = json_object_get(lnx, "namespaces"), *mounts, *v;
	int userns = 0;
	size_t i;

	if (!json_is_array(ns))
		return -EINVAL;
	for (i = json_array_size(ns); i-- > 0;) {
		const char *t = json_string_value(json_object_get(json_array_get(ns, i), "type"));

		if (t && !strcmp(t, "network"))
			json_array_remove(ns, i);
		else if (t && !strcmp(t, "user"))
			userns = 1;
	}
	mounts = json_object_get(cfg, "mounts");
	if (!userns || !json_is_array(mounts))
		return 0;
	/* /sys and what is under it come from the host, read-only */
	for (i = json_array_size(mounts); i-- > 0;) {
		const char *d;

		v = json_array_get(mounts, i);
		d = json_string_value(json_object_get(v, "destination"));
		if (d && (!strcmp(d, "/sys") || !strncmp(d, "/sys/", 5)))
			json_array_remove(mounts, i);
	}
	v = mount_new("/sys", "bind", "/sys", o_sys, ARRAY_SIZE(o_sys));
	if (!v || json_array_append_new(mounts, v) < 0)
		return -ENOMEM;
	return 0;
}

int spec_rootless_maps(struct userns_maps *maps, char *err, size_t errlen)
{
	struct userns_opts uo = { .mode = USERNS_MAP_ROOT };
	struct passwd *pw = getpwuid(geteuid());
	char why[512] = "";
	int r = userns_plan(&uo, maps, why, sizeof(why));

	if (r < 0) {
		const char *user = pw ? pw->pw_name : "USER";

		snprintf(err, errlen, "no subordinate IDs to run a rootless container: %s. "
			 "Ask root to add ranges, e.g.: usermod --add-subuids 100000-165535 "
			 "--add-subgids 100000-165535 %s", why[0] ? why : strerror(-r), user);
	}
	return r;
}
