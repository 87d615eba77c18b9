// SPDX-License-Identifier: GPL-2.0-or-later
/* imgcmds.c - `burrow pull`, `images`, `rmi`, `image prune` */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "image.h"
#include "imgcmds.h"
#include "layer.h"
#include "lock.h"
#include "pull.h"
#include "statedir.h"

#pragma GCC diagnostic ignored "-Wformat-truncation"

#define EXIT_FAIL 125

static void errmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void errmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("burrow: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* rootless: the maps the layers are unpacked and removed with, planned into
 * @maps; NULL as root, (void *)-1 on failure */
static const struct userns_maps *store_maps(struct userns_maps *maps, char *err, size_t errlen)
{
	struct userns_opts uo = { .mode = USERNS_MAP_ROOT };

	if (!rootless())
		return NULL;
	if (userns_plan(&uo, maps, err, errlen) < 0)
		return (const struct userns_maps *)-1;
	return maps;
}

/* on a terminal, a progress line per layer; else one line when it is done */
static void note_layer(const char *digest, int done, long long size)
{
	int layer_progress_tty = isatty(2);

	if (!done && layer_progress_tty)
		fprintf(stderr, "Unpacking layer %.19s (%lld bytes)...", digest, size);
	else if (done && layer_progress_tty)
		fprintf(stderr, "\rUnpacked layer %.19s (%lld bytes)   \n", digest, size);
	else if (done)
		fprintf(stderr, "Unpacked layer %.19s (%lld bytes)\n", digest, size);
}

int cmd_pull(const char *ref, int tls_verify, int quiet)
{
	struct pull_opts po = { .tls_verify = tls_verify, .quiet = quiet,
				.layer_note = quiet ? NULL : note_layer };
	struct userns_maps maps;
	static struct image img;
	char err[4096];

	po.maps = store_maps(&maps, err, sizeof(err));
	if (po.maps == (const struct userns_maps *)-1) {
		errmsg("no subordinate IDs to unpack images rootless: %s", err);
		return EXIT_FAIL;
	}
	if (pull_image(ref, &po, &img, err, sizeof(err)) < 0) {
		errmsg("%s", err);
		return EXIT_FAIL;
	}
	printf("%s\n", img.config + 7);
	return 0;
}

static void human_size(long long n, char *out, size_t len)
{
	if (n >= 1000 * 1000)
		snprintf(out, len, "%.1f MB", (double)n / 1e6);
	else if (n >= 1000)
		snprintf(out, len, "%.1f kB", (double)n / 1e3);
	else
		snprintf(out, len, "%lld B", n);
}

int cmd_images(int quiet, int json)
{
	static struct image all[IMAGE_MAX_IMAGES];
	char store[PATH_MAX], size[32], when[32];
	json_t *arr;
	size_t n, i;
	int r = image_store_dir(store, sizeof(store));

	if (r < 0) {
		errmsg("image store: %s", strerror(-r));
		return EXIT_FAIL;
	}
	n = image_list(store, all, IMAGE_MAX_IMAGES);
	if (json) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:I,s:I,s:i}",
				"Id", all[i].config + 7, "Name", all[i].name, "Digest", all[i].digest,
				"Size", (json_int_t)all[i].size, "Created", (json_int_t)all[i].created,
				"Layers", (int)all[i].nlayers));
		json_dumpf(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
		return 0;
	}
	if (!quiet)
		printf("%-50s %-12s %-20s %s\n", "NAME", "IMAGE ID", "PULLED", "SIZE");
	for (i = 0; i < n; i++) {
		time_t t = (time_t)all[i].created;

		if (quiet) {
			printf("%.12s\n", all[i].config + 7);
			continue;
		}
		human_size(all[i].size, size, sizeof(size));
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
		printf("%-50s %.12s %-20s %s\n", all[i].name, all[i].config + 7, when, size);
	}
	return 0;
}

/* remove the blobs and layers nothing uses, and pull leftovers; counts */
static int collect(const char *store, const struct userns_maps *maps, int *nblobs, int *nlayers)
{
	static struct image all[IMAGE_MAX_IMAGES];
	size_t n = image_list(store, all, IMAGE_MAX_IMAGES);
	char dir[PATH_MAX + 16], path[PATH_MAX + 300], digest[IMAGE_DIGEST_LEN + 8], err[512];
	struct dirent *de;
	DIR *d;
	int r = 0;

	snprintf(dir, sizeof(dir), "%s/layers", store);
	if ((d = opendir(dir))) {
		while ((de = readdir(d))) {
			size_t len = strlen(de->d_name);

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			snprintf(digest, sizeof(digest), "sha256:%.64s", de->d_name);
			/* an interrupted unpack, or a layer nothing uses */
			if ((len > 8 && !strcmp(de->d_name + len - 8, ".partial")) ||
			    !image_digest_in_use(all, n, digest, NULL)) {
				if (layer_remove_path(path, maps, err, sizeof(err)) < 0) {
					errmsg("%s", err);
					r = -EIO;
				} else {
					(*nlayers)++;
				}
			}
		}
		closedir(d);
	}
	snprintf(dir, sizeof(dir), "%s/blobs/sha256", store);
	if ((d = opendir(dir))) {
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(digest, sizeof(digest), "sha256:%.64s", de->d_name);
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			if (strlen(de->d_name) != 64 || !image_digest_in_use(all, n, digest, NULL)) {
				if (unlink(path) == 0)
					(*nblobs)++;
			}
		}
		closedir(d);
	}
	snprintf(dir, sizeof(dir), "%s/tmp", store);
	image_rm_tree(dir);
	return r;
}

/* rmi and image prune: the maps the store's layers are owned through, the
 * store folder, and its lock taken; the lock's fd, or -1 after the message */
static int store_lock(char *store, size_t len, struct userns_maps *mapbuf,
		      const struct userns_maps **maps)
{
	char err[512];
	int lockfd, r;

	*maps = store_maps(mapbuf, err, sizeof(err));
	if (*maps == (const struct userns_maps *)-1) {
		errmsg("no subordinate IDs: %s", err);
		return -1;
	}
	r = image_store_dir(store, len);
	if (r < 0) {
		errmsg("image store: %s", strerror(-r));
		return -1;
	}
	lockfd = image_lock(store);
	if (lockfd < 0)
		errmsg("lock %s/lock: %s", store, strerror(-lockfd));
	return lockfd < 0 ? -1 : lockfd;
}

int cmd_rmi(char *const *refs, int force)
{
	char store[PATH_MAX], ctr[16];
	static struct image img;
	struct userns_maps mapbuf;
	const struct userns_maps *maps;
	int lockfd = store_lock(store, sizeof(store), &mapbuf, &maps), code = 0, nb = 0, nl = 0, r;

	if (lockfd < 0)
		return EXIT_FAIL;
	for (; *refs; refs++) {
		r = image_find(store, *refs, &img);
		if (r < 0) {
			errmsg("image '%s': %s", *refs, r == -ENOTUNIQ ?
			       "more than one image ID starts so" : "no such image");
			code = 1;
			continue;
		}
		if (!force && image_ctr_uses(&img, ctr)) {
			errmsg("image %s is used by container %s: remove it first (or rmi -f)",
			       img.name, ctr);
			code = 2;
			continue;
		}
		if (image_index_remove(store, img.name) < 0) {
			errmsg("image %s: cannot update %s/images.json", img.name, store);
			code = EXIT_FAIL;
			continue;
		}
		printf("Untagged: %s\nDeleted: %s\n", img.name, img.config + 7);
	}
	if (collect(store, maps, &nb, &nl) < 0)
		code = EXIT_FAIL;
	lock_release(lockfd);
	return code;
}

int cmd_image_prune(void)
{
	char store[PATH_MAX];
	struct userns_maps mapbuf;
	const struct userns_maps *maps;
	int lockfd = store_lock(store, sizeof(store), &mapbuf, &maps), nb = 0, nl = 0, r;

	if (lockfd < 0)
		return EXIT_FAIL;
	r = collect(store, maps, &nb, &nl);
	lock_release(lockfd);
	printf("Removed %d blobs and %d layers\n", nb, nl);
	return r < 0 ? EXIT_FAIL : 0;
}
