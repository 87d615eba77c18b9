// SPDX-License-Identifier: GPL-2.0-or-later
/* overlay.c - the overlayfs root of an image container, in its own mount namespace */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "file.h"
#include "layer.h"
#include "overlay.h"
#include "proc.h"
#include "statedir.h"

#pragma GCC diagnostic ignored "-Wformat-truncation"

/* the mount options: lower layers by their names relative to STORE/layers
 * (the holder works from there: 65 bytes a layer keeps 60 layers within the
 * page the kernel takes), top first */
static int mount_options(json_t *rec, const char *ctrdir, int rootless, char *out, size_t len)
{
	json_t *layers = json_object_get(rec, "layers");
	size_t used = 0, i;
	int n;

	n = snprintf(out, len, "lowerdir=");
	used = (size_t)n;
	for (i = json_array_size(layers); i-- > 0;) {
		const char *d = json_string_value(json_array_get(layers, i));

		if (!d || strlen(d) != IMAGE_DIGEST_LEN)
			return -EINVAL;
		n = snprintf(out + used, len - used, "%s%s", d + 7, i ? ":" : "");
		if (n < 0 || (size_t)n >= len - used)
			return -E2BIG;
		used += (size_t)n;
	}
	n = snprintf(out + used, len - used, ",upperdir=%s/upper,workdir=%s/work%s", ctrdir,
		     ctrdir, rootless ? ",userxattr" : "");
	return n < 0 || (size_t)n >= len - used ? -E2BIG : 0;
}

int overlay_record(const char *ctrdir, const char *store, const struct image *img,
		   char *err, size_t errlen)
{
	static const char *const sub[] = { "upper", "work", "merged" };
	char path[PATH_MAX + 32];
	json_t *rec, *layers = json_array();
	size_t i;
	int r;

	for (i = 0; i < img->nlayers; i++)
		json_array_append_new(layers, json_string(img->layers[i]));
	rec = json_pack("{s:s,s:s,s:s,s:s,s:o}", "name", img->name, "digest", img->digest,
			"id", img->config, "store", store, "layers", layers);
	snprintf(path, sizeof(path), "%s/image.json", ctrdir);
	r = rec && json_dump_file(rec, path, JSON_COMPACT) == 0 ? 0 : -EIO;
	json_decref(rec);
	if (r < 0) {
		snprintf(err, errlen, "write %s failed", path);
		return r;
	}
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", ctrdir, sub[i]);
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			r = -errno;
			snprintf(err, errlen, "mkdir(%s): %s", path, strerror(errno));
			return r;
		}
	}
	return 0;
}

/* what the holder tries: filled by the caller, then the holder's own copy
 * (nsholder's hooks) */
struct holder_args {
	int mode;		/* enum overlay_mode */
	char kernel_why[128];	/* why the kernel's overlayfs is not tried, or "" */
	char fuse_why[PATH_MAX + 128];	/* why fuse-overlayfs is not tried, or "" */
	char layers[PATH_MAX];	/* STORE/layers */
	char merged[PATH_MAX + 16];
	char opts[4096];	/* the kernel's: one page */
	char fuse_bin[PATH_MAX];
	char fuse_log[PATH_MAX + 32];
	char fuse_opts[IMAGE_MAX_LAYERS * 66 + 2 * PATH_MAX + 64];
	/* in the holder: fuse-overlayfs started by fuse_spawn() (0 if none),
	 * its /dev/fuse and its go pipe (or -1), and what each driver said */
	pid_t fpid;
	int fusefd, go;
	struct holder_try {
		char why[PATH_MAX + 160];
	} k, f;
};

/* the fuse-overlayfs child, before exec: its own session (a terminal's
 * signals are not for it), default signals, stdio on /dev/null and the log,
 * /dev/fuse as fd 3 and nothing else inherited; it waits for @go (the mount
 * is made) and execs, or exits when the holder died first */
static void fuse_child(const struct holder_args *a, int fusefd, int go)
{
	sigset_t none;
	char c = 0;
	int i, null, logfd;

	for (i = 1; i < NSIG; i++)
		if (i != SIGKILL && i != SIGSTOP)
			signal(i, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	while (read(go, &c, 1) < 0 && errno == EINTR)
		;
	if (c != 'g' || chdir(a->layers) < 0)
		_exit(1);
	/* out of the way of 0-3 first, whatever numbers they had */
	fusefd = fcntl(fusefd, F_DUPFD_CLOEXEC, 10);
	logfd = open(a->fuse_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	logfd = logfd < 0 ? -1 : fcntl(logfd, F_DUPFD_CLOEXEC, 10);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fusefd < 0 || logfd < 0 || null < 0 || dup2(null, 0) < 0 || dup2(logfd, 1) < 0 ||
	    dup2(logfd, 2) < 0 || dup2(fusefd, 3) < 0)
		_exit(1);
	close_range(4, ~0U, 0);
	execl(a->fuse_bin, "fuse-overlayfs", "-f", "-o", a->fuse_opts, "/dev/fd/3", (char *)NULL);
	dprintf(2, "execve(%s): %s\n", a->fuse_bin, strerror(errno));
	_exit(127);
}

/* before the holder leaves the caller's mount namespace: open /dev/fuse (in
 * the user namespace the mount will belong to, as the kernel requires) and
 * fork fuse-overlayfs, which stays in the caller's mount namespace: it holds
 * no reference to the container's, so when the container's last process is
 * gone the mount goes, the kernel aborts the connection and it exits.
 * Return: its PID (*@fusefd, *@go set), or 0 with @t->why */
static pid_t fuse_spawn(const struct holder_args *a, int *fusefd, int *go,
			struct holder_try *t)
{
	int p[2];
	pid_t pid;

	*fusefd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (*fusefd < 0) {
		snprintf(t->why, sizeof(t->why), "open(/dev/fuse): %s", strerror(errno));
		return 0;
	}
	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(t->why, sizeof(t->why), "pipe2: %s", strerror(errno));
		goto fail;
	}
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		fuse_child(a, *fusefd, p[0]);
	}
	close(p[0]);
	if (pid < 0) {
		snprintf(t->why, sizeof(t->why), "fork: %s", strerror(errno));
		close(p[1]);
		goto fail;
	}
	*go = p[1];
	return pid;
fail:
	close(*fusefd);
	*fusefd = -1;
	return 0;
}

/* the last line fuse-overlayfs wrote to its log, or "" */
static void fuse_last_words(const char *log, char *out, size_t len)
{
	char line[512];
	FILE *f = fopen(log, "re");

	out[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] && !strstr(line, "unknown argument ignored"))
			snprintf(out, len, "%s", line);
	}
	fclose(f);
}

/* in the holder's mount namespace: mount the FUSE file system on merged with
 * the /dev/fuse of fuse_spawn(), let fuse-overlayfs go, and wait for its first
 * answer.  Return: 0, or -1 with @t->why */
static int fuse_mount(const struct holder_args *a, int *fusefd, int *go, struct holder_try *t)
{
	char opts[128], last[400];
	struct stat st;
	int r = -1;

	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,group_id=0,"
		 "allow_other,default_permissions", *fusefd);
	if (mount("fuse-overlayfs", a->merged, "fuse.fuse-overlayfs", 0, opts) < 0) {
		snprintf(t->why, sizeof(t->why), "mount(fuse on %s): %s", a->merged,
			 strerror(errno));
		return -1;
	}
	if (write(*go, "g", 1) == 1)
		r = 0;
	close(*go);
	*go = -1;
	/* from now on only fuse-overlayfs holds the connection: if it dies, the
	 * kernel aborts it and stat fails instead of waiting */
	close(*fusefd);
	*fusefd = -1;
	if (r == 0 && stat(a->merged, &st) == 0)
		return 0;
	fuse_last_words(a->fuse_log, last, sizeof(last));
	snprintf(t->why, sizeof(t->why), "%s: %s", a->fuse_bin,
		 last[0] ? last : "it exited at start");
	umount2(a->merged, MNT_DETACH);
	return -1;
}

/* the kernel's overlayfs on merged.  Return: 0, or -1 with @t->why */
static int kernel_mount(const struct holder_args *a, struct holder_try *t)
{
	if (a->kernel_why[0]) {
		snprintf(t->why, sizeof(t->why), "%s", a->kernel_why);
		return -1;
	}
	if (mount("overlay", a->merged, "overlay", 0, a->opts) == 0)
		return 0;
	snprintf(t->why, sizeof(t->why), "mount(overlay on %s): %s%s", a->merged, strerror(errno),
		 errno == EPERM || errno == EINVAL ? " (the kernel allows overlayfs in a user "
		 "namespace from Linux 5.11)" : "");
	return -1;
}

/* the holder's answer when neither driver mounted, from what each said */
static void holder_failure(const struct holder_args *a, const struct holder_try *k,
			   const struct holder_try *f, char *why, size_t len)
{
	if (a->mode == OVERLAY_KERNEL)
		snprintf(why, len, "the kernel's overlayfs: %s (BURROW_OVERLAY=kernel: "
			 "fuse-overlayfs not tried)", k->why);
	else if (a->mode == OVERLAY_FUSE)
		snprintf(why, len, "fuse-overlayfs: %s (BURROW_OVERLAY=fuse: the kernel's "
			 "overlayfs not tried)", f->why);
	else
		snprintf(why, len, "neither the kernel's overlayfs nor fuse-overlayfs works here: "
			 "the kernel's overlayfs: %s; fuse-overlayfs: %s", k->why, f->why);
}

/* nsholder's before_unshare: with fuse-overlayfs to try, fuse_spawn() while
 * the holder is still in the caller's mount namespace; never fails (the
 * kernel's overlayfs may still do) */
static int holder_enter(void *data, char *why, size_t len)
{
	struct holder_args *a = data;

	(void)why;
	(void)len;
	if (a->mode == OVERLAY_KERNEL)
		return 0;
	if (a->fuse_why[0])
		snprintf(a->f.why, sizeof(a->f.why), "%s", a->fuse_why);
	else
		a->fpid = fuse_spawn(a, &a->fusefd, &a->go, &a->f);
	return 0;
}

/* nsholder's setup, in the holder's new mount namespace: mount (the kernel's
 * overlayfs, else fuse-overlayfs, as a->mode says) and answer "kernel" or
 * "fuse PID" in @why; or -1 with the reason there */
static int holder_mount(void *data, char *why, size_t len)
{
	struct holder_args *a = data;
	int ok = 0;

	if (chdir(a->layers) < 0)
		snprintf(why, len, "chdir(%s): %s", a->layers, strerror(errno));
	else if (a->mode != OVERLAY_FUSE && kernel_mount(a, &a->k) == 0)
		ok = 'k';
	else if (a->fpid && fuse_mount(a, &a->fusefd, &a->go, &a->f) == 0)
		ok = 'f';
	else
		holder_failure(a, &a->k, &a->f, why, len);
	if (ok != 'f' && a->fpid) {
		/* fuse-overlayfs not used, or failed */
		if (a->go >= 0)
			close(a->go);
		if (a->fusefd >= 0)
			close(a->fusefd);
		kill(a->fpid, SIGKILL);
		waitpid(a->fpid, NULL, 0);
	}
	if (ok == 'k')
		snprintf(why, len, "kernel");
	else if (ok == 'f')
		snprintf(why, len, "fuse %d", (int)a->fpid);
	errno = EIO;
	return ok ? 0 : -1;
}

/* the path of config.json's user namespace, if it joins one */
static const char *config_userns(json_t *cfg)
{
	json_t *ns = json_object_get(json_object_get(cfg, "linux"), "namespaces"), *v;
	size_t i;

	json_array_foreach(ns, i, v)
		if (!strcmp(json_string_value(json_object_get(v, "type")) ?: "", "user"))
			return json_string_value(json_object_get(v, "path"));
	return NULL;
}

/* point config.json at the holder: its mount namespace, its user namespace
 * when it made one, and root.path on merged */
static void config_join(json_t *cfg, const struct overlay_holder *h, const char *merged)
{
	json_t *lnx = json_object_get(cfg, "linux"), *ns = json_object_get(lnx, "namespaces"), *v;
	char path[64];
	size_t i;

	json_array_foreach(ns, i, v) {
		const char *t = json_string_value(json_object_get(v, "type")) ?: "";

		if (!strcmp(t, "mount")) {
			snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)h->ns.pid);
			json_object_set_new(v, "path", json_string(path));
		}
		if (!strcmp(t, "user") && h->own_userns) {
			snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)h->ns.pid);
			json_object_set_new(v, "path", json_string(path));
		}
	}
	if (h->own_userns) {
		json_object_del(lnx, "uidMappings");
		json_object_del(lnx, "gidMappings");
	}
	json_object_set_new(json_object_get(cfg, "root"), "path", json_string(merged));
}

/* start the holder: it mounts, and answers with the driver it took.
 * Return: 0, or -errno */
static int holder_start(struct holder_args *a, const struct userns_maps *maps, int usernsfd,
			struct overlay_holder *h, char *err, size_t errlen)
{
	char answer[64];
	struct nsholder_opts o = {
		.what = "overlay root", .maps = maps, .userns_fd = usernsfd,
		.clone_flags = CLONE_NEWNS, .life = NSHOLDER_WITH_CALLER,
		.before_unshare = holder_enter, .setup = holder_mount, .data = a,
		.answer = answer, .answer_len = sizeof(answer), .timeout_ms = 30000,
	};
	int r, pid;

	a->fpid = 0;
	a->fusefd = a->go = -1;
	a->k.why[0] = a->f.why[0] = '\0';
	r = nsholder_start(&o, &h->ns, err, errlen);
	if (r == -ETIMEDOUT)
		snprintf(err, errlen, "overlay root: no answer from its holder in 30 s "
			 "(a file system that hangs?)");
	if (r < 0)
		return r;
	if (!strcmp(answer, "kernel")) {
		h->driver = OVERLAY_KERNEL;
		return 0;
	}
	if (sscanf(answer, "fuse %d", &pid) == 1 && pid > 0) {
		h->driver = OVERLAY_FUSE;
		h->fuse_pid = pid;
		return 0;
	}
	snprintf(err, errlen, "overlay root: its holder answered \"%s\"", answer);
	nsholder_stop(&h->ns);
	return -EIO;
}

int overlay_mode(char *err, size_t errlen)
{
	const char *v = getenv("BURROW_OVERLAY");

	if (!v || !v[0] || !strcmp(v, "auto"))
		return OVERLAY_AUTO;
	if (!strcmp(v, "kernel"))
		return OVERLAY_KERNEL;
	if (!strcmp(v, "fuse"))
		return OVERLAY_FUSE;
	snprintf(err, errlen, "BURROW_OVERLAY=%.64s: not one of kernel, fuse, auto", v);
	return -EINVAL;
}

/* fuse-overlayfs: $BURROW_FUSE_OVERLAYFS, else found in $PATH; "" and
 * @why when there is none */
static void fuse_find(char *bin, size_t len, char *why, size_t whylen)
{
	const char *env = getenv("BURROW_FUSE_OVERLAYFS"), *path = getenv("PATH");
	const char *p, *end;

	bin[0] = '\0';
	if (env && env[0]) {
		if (access(env, X_OK) == 0)
			snprintf(bin, len, "%s", env);
		else
			snprintf(why, whylen, "BURROW_FUSE_OVERLAYFS=%s: %s", env, strerror(errno));
		return;
	}
	for (p = path ?: "/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		if (end == p)
			continue;
		snprintf(bin, len, "%.*s/fuse-overlayfs", (int)(end - p), p);
		if (access(bin, X_OK) == 0)
			return;
	}
	bin[0] = '\0';
	snprintf(why, whylen, "not installed (apt-get install fuse-overlayfs)");
}

/* choose what the holder tries, from BURROW_OVERLAY and what is installed */
static int holder_plan(struct holder_args *a, json_t *rec, const char *ctrdir, int rootless_,
		       char *err, size_t errlen)
{
	int r;

	a->mode = overlay_mode(err, errlen);
	if (a->mode < 0)
		return a->mode;
	a->kernel_why[0] = a->fuse_why[0] = a->fuse_bin[0] = '\0';
	r = mount_options(rec, ctrdir, rootless_, a->opts, sizeof(a->opts));
	if (r == -E2BIG)
		snprintf(a->kernel_why, sizeof(a->kernel_why), "%zu layers do not fit in one "
			 "mount's options (one page)", json_array_size(json_object_get(rec, "layers")));
	else if (r < 0)
		goto damaged;
	if (a->mode != OVERLAY_KERNEL) {
		fuse_find(a->fuse_bin, sizeof(a->fuse_bin), a->fuse_why, sizeof(a->fuse_why));
		snprintf(a->fuse_log, sizeof(a->fuse_log), "%s/fuse-overlayfs.log", ctrdir);
		/* the same layers, upper and work as the kernel's, no page limit */
		r = mount_options(rec, ctrdir, 0, a->fuse_opts, sizeof(a->fuse_opts));
		if (r < 0)
			goto damaged;
	}
	return 0;
damaged:
	snprintf(err, errlen, "%s/image.json: damaged layer list", ctrdir);
	return r;
}

/* CTRDIR/overlay.json: the driver, and fuse-overlayfs's PID, for rm */
static int overlay_note(const char *ctrdir, const struct overlay_holder *h)
{
	char path[PATH_MAX + 32];
	json_t *j = h->driver == OVERLAY_FUSE ?
		json_pack("{s:s,s:i}", "driver", "fuse", "pid", (int)h->fuse_pid) :
		json_pack("{s:s}", "driver", "kernel");
	int r;

	snprintf(path, sizeof(path), "%s/overlay.json", ctrdir);
	r = j && json_dump_file(j, path, JSON_COMPACT) == 0 ? 0 : -EIO;
	json_decref(j);
	return r;
}

int overlay_prepare(const char *ctrdir, const struct userns_maps *maps,
		    struct overlay_holder *h, char *err, size_t errlen)
{
	static struct holder_args a;
	char path[PATH_MAX + 32];
	json_t *rec, *cfg = NULL;
	const char *store, *uns;
	int r = -EIO, usernsfd = -1;

	memset(h, 0, sizeof(*h));
	h->ns.quit = -1;
	snprintf(path, sizeof(path), "%s/image.json", ctrdir);
	if (access(path, F_OK) != 0)
		return 0;
	rec = json_load_file(path, 0, NULL);
	store = json_string_value(json_object_get(rec, "store"));
	if (!store) {
		snprintf(err, errlen, "%s: damaged", path);
		goto out;
	}
	snprintf(a.layers, sizeof(a.layers), "%s/layers", store);
	snprintf(a.merged, sizeof(a.merged), "%s/merged", ctrdir);
	r = holder_plan(&a, rec, ctrdir, maps != NULL, err, errlen);
	if (r < 0)
		goto out;
	r = -EIO;
	snprintf(path, sizeof(path), "%s/config.json", ctrdir);
	cfg = json_load_file(path, 0, NULL);
	if (!cfg) {
		snprintf(err, errlen, "read %s failed", path);
		goto out;
	}
	/* the holder joins the user namespace config.json names, or makes one
	 * with @maps, which config.json then joins */
	uns = config_userns(cfg);
	if (uns) {
		usernsfd = open(uns, O_RDONLY | O_CLOEXEC);
		if (usernsfd < 0) {
			r = -errno;
			snprintf(err, errlen, "open(%s): %s", uns, strerror(errno));
			goto out;
		}
	}
	h->own_userns = !uns && maps;
	r = holder_start(&a, h->own_userns ? maps : NULL, usernsfd, h, err, errlen);
	if (r == 0 && overlay_note(ctrdir, h) < 0) {
		snprintf(err, errlen, "write %s/overlay.json failed", ctrdir);
		r = -EIO;
	}
	if (r == 0) {
		config_join(cfg, h, a.merged);
		if (json_dump_file(cfg, path, JSON_COMPACT)) {
			snprintf(err, errlen, "write %s failed", path);
			r = -EIO;
		}
	}
	/* the holder dies with us (NSHOLDER_WITH_CALLER); fuse-overlayfs
	 * exits by itself once the mount namespace is gone */
	if (r < 0)
		overlay_stop(h);
out:
	if (usernsfd >= 0)
		close(usernsfd);
	json_decref(rec);
	json_decref(cfg);
	return r;
}

void overlay_stop(struct overlay_holder *h)
{
	if (h->ns.pid > 0)
		nsholder_stop(&h->ns);
	h->own_userns = 0;
}

/* whether /proc/PID/cmdline is fuse-overlayfs's with @upper as its upperdir */
static int fuse_is_ours(pid_t pid, const char *upper)
{
	char path[64], buf[IMAGE_MAX_LAYERS * 66 + 2 * PATH_MAX + 128], want[PATH_MAX + 32];
	long n, i;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	n = file_read_text(path, buf, sizeof(buf));
	if (n <= 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = ' ';
	buf[n] = '\0';
	snprintf(want, sizeof(want), ",upperdir=%s,", upper);
	return !strncmp(buf, "fuse-overlayfs ", 15) && strstr(buf, want) != NULL;
}

int overlay_release(const char *ctrdir)
{
	char path[PATH_MAX + 32];
	json_t *j;
	pid_t pid;
	int i;

	snprintf(path, sizeof(path), "%s/overlay.json", ctrdir);
	j = json_load_file(path, 0, NULL);
	pid = (pid_t)json_integer_value(json_object_get(j, "pid"));
	json_decref(j);
	snprintf(path, sizeof(path), "%s/upper", ctrdir);
	if (pid <= 0 || !fuse_is_ours(pid, path))
		return 0;
	/* the container is gone: nothing it wrote waits in the daemon */
	kill(pid, SIGKILL);
	for (i = 0; i < 200 && fuse_is_ours(pid, path); i++)
		proc_sleep_ms(10);
	return fuse_is_ours(pid, path) ? -EBUSY : 1;
}

int overlay_remove(const char *ctrdir)
{
	static const char *const sub[] = { "upper", "work" };
	struct userns_maps maps;
	char path[PATH_MAX + 16], err[512];
	int r = 0;

	struct userns_opts uo = { .mode = USERNS_MAP_ROOT };
	size_t i;

	snprintf(path, sizeof(path), "%s/image.json", ctrdir);
	if (access(path, F_OK) != 0)
		return 0;
	overlay_release(ctrdir);
	/* most often every file there is the container root's, which is us:
	 * no user namespace needed (it costs two setuid helpers) */
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", ctrdir, sub[i]);
		if (image_rm_tree(path) < 0)
			r = -EPERM;
	}
	if (r == 0 || !rootless())
		return r;
	if (userns_plan(&uo, &maps, err, sizeof(err)) < 0)
		return -EPERM;
	for (i = 0, r = 0; i < 2 && r == 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", ctrdir, sub[i]);
		r = layer_remove_path(path, &maps, err, sizeof(err));
	}
	return r;
}
