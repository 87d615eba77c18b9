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
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "layer.h"
#include "overlay.h"
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

struct holder_args {
	char layers[PATH_MAX];	/* STORE/layers */
	char merged[PATH_MAX + 16];
	char opts[4096];
};

/* in the holder's own mount namespace: the overlay on merged */
static int holder_mount(void *data, char *why, size_t len)
{
	const struct holder_args *a = data;

	if (chdir(a->layers) < 0) {
		snprintf(why, len, "chdir(%s): %s", a->layers, strerror(errno));
		return -1;
	}
	if (mount("overlay", a->merged, "overlay", 0, a->opts) < 0) {
		int e = errno;

		snprintf(why, len, "mount(overlay on %s): %s%s", a->merged, strerror(e),
			 e == EPERM || e == EINVAL ? " (the kernel allows overlayfs in a "
			 "user namespace from Linux 5.11)" : "");
		errno = e;
		return -1;
	}
	return 0;
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
			snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)h->pid);
			json_object_set_new(v, "path", json_string(path));
		}
		if (!strcmp(t, "user") && h->own_userns) {
			snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)h->pid);
			json_object_set_new(v, "path", json_string(path));
		}
	}
	if (h->own_userns) {
		json_object_del(lnx, "uidMappings");
		json_object_del(lnx, "gidMappings");
	}
	json_object_set_new(json_object_get(cfg, "root"), "path", json_string(merged));
}

int overlay_prepare(const char *ctrdir, const struct userns_maps *maps,
		    struct overlay_holder *h, char *err, size_t errlen)
{
	static struct holder_args a;
	struct nsholder_opts o = { .what = "overlay root", .userns_fd = -1,
				   .clone_flags = CLONE_NEWNS, .setup = holder_mount, .data = &a };
	char path[PATH_MAX + 32];
	json_t *rec, *cfg = NULL;
	const char *store, *uns;
	int r = -EIO;

	h->pid = 0;
	h->own_userns = 0;
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
	if (mount_options(rec, ctrdir, maps != NULL, a.opts, sizeof(a.opts)) < 0) {
		snprintf(err, errlen, "overlay root: too many layers for one mount");
		r = -E2BIG;
		goto out;
	}
	snprintf(path, sizeof(path), "%s/config.json", ctrdir);
	cfg = json_load_file(path, 0, NULL);
	if (!cfg) {
		snprintf(err, errlen, "read %s failed", path);
		goto out;
	}
	uns = config_userns(cfg);
	if (uns) {
		o.userns_fd = open(uns, O_RDONLY | O_CLOEXEC);
		if (o.userns_fd < 0) {
			r = -errno;
			snprintf(err, errlen, "open(%s): %s", uns, strerror(errno));
			goto out;
		}
	} else if (maps) {
		o.maps = maps;
		h->own_userns = 1;
	}
	/* the holder dies with us (PR_SET_PDEATHSIG) or with overlay_stop() */
	r = nsholder_start(&o, &h->ns, err, errlen);
	if (r == 0) {
		h->pid = h->ns.pid;
		config_join(cfg, h, a.merged);
		if (json_dump_file(cfg, path, JSON_COMPACT)) {
			snprintf(err, errlen, "write %s failed", path);
			r = -EIO;
		}
	}
	if (r < 0)
		overlay_stop(h);
out:
	if (o.userns_fd >= 0)
		close(o.userns_fd);
	json_decref(rec);
	json_decref(cfg);
	return r;
}

void overlay_stop(struct overlay_holder *h)
{
	if (h->pid > 0)
		nsholder_stop(&h->ns);
	h->pid = 0;
	h->own_userns = 0;
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
