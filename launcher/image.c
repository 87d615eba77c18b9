// SPDX-License-Identifier: GPL-2.0-or-later
/* image.c - the image store: verified blobs, the name index, lookups */
#define _XOPEN_SOURCE 700
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "file.h"
#include "image.h"
#include "lock.h"
#include "statedir.h"

/* messages that name long paths may be cut short: that is fine */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#define MANIFEST_MAX (4 << 20)	/* a manifest or config larger than this is refused */

int image_store_dir(char *buf, size_t len)
{
	const char *env = getenv("BURROW_STORAGE_DIR"), *home;
	int n, r;

	if (env && env[0])
		n = snprintf(buf, len, "%s", env);
	else if (!rootless())
		n = snprintf(buf, len, "/var/lib/burrow");
	else if ((env = getenv("XDG_DATA_HOME")) && env[0] == '/')
		n = snprintf(buf, len, "%s/burrow", env);
	else if ((home = getenv("HOME")) && home[0] == '/')
		n = snprintf(buf, len, "%s/.local/share/burrow", home);
	else
		return -ENOENT;
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	r = mkdir_p(buf, 0700);
	return r < 0 ? r : 0;
}

static const char *const transports[] = {
	"docker://", "oci:", "oci-archive:", "docker-archive:", "containers-storage:",
};

static int has_transport(const char *ref)
{
	for (size_t i = 0; i < sizeof(transports) / sizeof(transports[0]); i++)
		if (!strncmp(ref, transports[i], strlen(transports[i])))
			return 1;
	return 0;
}

int image_is_ref(const char *target)
{
	struct stat st;

	if (has_transport(target))
		return 1;
	/* a path as typed (/x, ./x, ../x) is a root filesystem, also when missing */
	if (target[0] == '/' || target[0] == '.')
		return 0;
	return stat(target, &st) != 0;
}

/* docker.io/library/NAME:latest for a registry reference without transport */
static int docker_name(const char *ref, char *out, size_t len)
{
	const char *slash = strchr(ref, '/'), *last = strrchr(ref, '/');
	int has_domain = slash && (memchr(ref, '.', (size_t)(slash - ref)) ||
				   memchr(ref, ':', (size_t)(slash - ref)) ||
				   !strncmp(ref, "localhost/", 10));
	int has_tag = strchr(last ? last : ref, ':') || strchr(ref, '@');
	int n;

	n = snprintf(out, len, "%s%s%s%s", has_domain ? "" : "docker.io/",
		     has_domain || slash ? "" : "library/", ref, has_tag ? "" : ":latest");
	return n < 0 || (size_t)n >= len ? -EINVAL : 0;
}

int image_normalize(const char *ref, char *name, size_t namelen, char *src, size_t srclen)
{
	int n;

	if (!ref[0] || strlen(ref) >= IMAGE_NAME_LEN - 32)
		return -EINVAL;
	for (const char *p = ref; *p; p++)
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p))
			return -EINVAL;
	if (!strncmp(ref, "docker://", 9)) {
		if (docker_name(ref + 9, name, namelen) < 0)
			return -EINVAL;
	} else if (has_transport(ref)) {
		n = snprintf(name, namelen, "%s", ref);
		if (n < 0 || (size_t)n >= namelen)
			return -EINVAL;
		n = snprintf(src, srclen, "%s", ref);
		return n < 0 || (size_t)n >= srclen ? -EINVAL : 0;
	} else if (docker_name(ref, name, namelen) < 0) {
		return -EINVAL;
	}
	n = snprintf(src, srclen, "docker://%s", name);
	return n < 0 || (size_t)n >= srclen ? -EINVAL : 0;
}

static int digest_valid(const char *d)
{
	if (strncmp(d, "sha256:", 7) || strlen(d) != IMAGE_DIGEST_LEN)
		return 0;
	for (d += 7; *d; d++)
		if (!isdigit((unsigned char)*d) && (*d < 'a' || *d > 'f'))
			return 0;
	return 1;
}

const char *image_blob_path(const char *store, const char *digest, char *buf, size_t len)
{
	int n;

	if (!digest || !digest_valid(digest))
		return NULL;
	n = snprintf(buf, len, "%s/blobs/sha256/%s", store, digest + 7);
	return n < 0 || (size_t)n >= len ? NULL : buf;
}

int image_sha256_file(const char *path, char *out, long long *size)
{
	unsigned char md[EVP_MAX_MD_SIZE], buf[65536];
	unsigned int mdlen = 0;
	long long total = 0;
	EVP_MD_CTX *ctx;
	ssize_t n;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		r = -ENOMEM;
		goto out;
	}
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			goto out;
		}
		EVP_DigestUpdate(ctx, buf, (size_t)n);
		total += n;
	}
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	strcpy(out, "sha256:");
	for (unsigned int i = 0; i < mdlen && i < 32; i++)
		sprintf(out + 7 + 2 * i, "%02x", md[i]);
	if (size)
		*size = total;
out:
	EVP_MD_CTX_free(ctx);
	close(fd);
	return r;
}

/* check blob @digest: present, its sha256 is @digest, and (if >= 0) its size */
static int blob_verify(const char *store, const char *digest, long long want_size, int hash,
		       char *err, size_t errlen)
{
	char path[PATH_MAX], got[IMAGE_DIGEST_LEN + 1];
	long long size;
	struct stat st;
	int r;

	if (!image_blob_path(store, digest, path, sizeof(path))) {
		snprintf(err, errlen, "'%s' is not a sha256 digest", digest ? digest : "(none)");
		return -EINVAL;
	}
	if (!hash) {
		if (stat(path, &st) < 0) {
			snprintf(err, errlen, "blob %s: %s", digest, strerror(errno));
			return -ENOENT;
		}
		return 0;
	}
	r = image_sha256_file(path, got, &size);
	if (r < 0) {
		snprintf(err, errlen, "blob %s: open(%s): %s", digest, path, strerror(-r));
		return r;
	}
	if (strcmp(got, digest)) {
		snprintf(err, errlen, "blob %s: its content has digest %s: corrupt or tampered "
			 "with, not used", digest, got);
		return -EBADMSG;
	}
	if (want_size >= 0 && size != want_size) {
		snprintf(err, errlen, "blob %s: %lld bytes, the manifest says %lld", digest,
			 size, want_size);
		return -EBADMSG;
	}
	return 0;
}

static json_t *load_blob_json(const char *store, const char *digest, char *err, size_t errlen)
{
	char path[PATH_MAX];
	json_error_t je;
	json_t *j;
	struct stat st;

	if (!image_blob_path(store, digest, path, sizeof(path))) {
		snprintf(err, errlen, "'%s' is not a sha256 digest", digest);
		return NULL;
	}
	if (stat(path, &st) == 0 && st.st_size > MANIFEST_MAX) {
		snprintf(err, errlen, "blob %s: %lld bytes, more than a manifest may have",
			 digest, (long long)st.st_size);
		return NULL;
	}
	j = json_load_file(path, 0, &je);
	if (!j)
		snprintf(err, errlen, "blob %s: %s", digest, je.text);
	return j;
}

int image_load_manifest(const char *store, const char *digest, struct image *img, int verify,
			char *err, size_t errlen)
{
	json_t *m, *cfg, *layers, *l;
	const char *d;
	size_t i;
	int r;

	r = blob_verify(store, digest, -1, verify, err, errlen);
	if (r < 0)
		return r;
	m = load_blob_json(store, digest, err, errlen);
	if (!m)
		return -EBADMSG;
	r = -EBADMSG;
	cfg = json_object_get(m, "config");
	layers = json_object_get(m, "layers");
	d = json_string_value(json_object_get(cfg, "digest"));
	if (!d || !json_is_array(layers)) {
		snprintf(err, errlen, "manifest %s: no config or layers (an image index? pull "
			 "one platform's image)", digest);
		goto out;
	}
	if (json_array_size(layers) > IMAGE_MAX_LAYERS) {
		snprintf(err, errlen, "manifest %s: %zu layers, at most %d", digest,
			 json_array_size(layers), IMAGE_MAX_LAYERS);
		goto out;
	}
	r = blob_verify(store, d, json_integer_value(json_object_get(cfg, "size")), verify,
			err, errlen);
	if (r < 0)
		goto out;
	snprintf(img->digest, sizeof(img->digest), "%s", digest);
	snprintf(img->config, sizeof(img->config), "%s", d);
	img->nlayers = 0;
	img->size = 0;
	json_array_foreach(layers, i, l) {
		json_t *sz = json_object_get(l, "size");

		d = json_string_value(json_object_get(l, "digest"));
		r = blob_verify(store, d, json_is_integer(sz) ? json_integer_value(sz) : -1, verify,
				err, errlen);
		if (r < 0)
			goto out;
		snprintf(img->layers[img->nlayers++], IMAGE_DIGEST_LEN + 1, "%s", d);
		img->size += json_integer_value(sz);
	}
	r = 0;
out:
	json_decref(m);
	return r;
}

json_t *image_load_config(const char *store, const struct image *img, char *err, size_t errlen)
{
	return load_blob_json(store, img->config, err, errlen);
}

static int index_path(const char *store, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/images.json", store);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* the index's "images" array (a new one when there is no index yet) */
static json_t *index_load(const char *store)
{
	char path[PATH_MAX];
	json_t *j = NULL;

	if (index_path(store, path, sizeof(path)) == 0)
		j = json_load_file(path, 0, NULL);
	if (!json_is_object(j) || !json_is_array(json_object_get(j, "images"))) {
		json_decref(j);
		j = json_pack("{s:[]}", "images");
	}
	return j;
}

/* write the index atomically (a new file renamed over the old one) */
static int index_save(const char *store, json_t *j)
{
	char path[PATH_MAX], tmp[PATH_MAX + 16];

	if (index_path(store, path, sizeof(path)) < 0)
		return -ENAMETOOLONG;
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	errno = 0;
	if (json_dump_file(j, tmp, JSON_INDENT(1)) < 0) {
		int e = errno ? errno : EIO;

		unlink(tmp);
		return -e;
	}
	if (rename(tmp, path) < 0) {
		int e = errno;

		unlink(tmp);
		return -e;
	}
	return 0;
}

int image_index_set(const char *store, const char *name, const char *digest,
		    char *err, size_t errlen)
{
	json_t *j = index_load(store), *arr = json_object_get(j, "images"), *e;
	size_t i;
	int r;

	json_array_foreach(arr, i, e) {
		if (!strcmp(json_string_value(json_object_get(e, "name")) ?: "", name)) {
			json_array_remove(arr, i);
			break;
		}
	}
	if (json_array_size(arr) >= IMAGE_MAX_IMAGES) {
		snprintf(err, errlen, "the store holds %d images already: remove some (burrow rmi)",
			 IMAGE_MAX_IMAGES);
		json_decref(j);
		return -ENOSPC;
	}
	json_array_append_new(arr, json_pack("{s:s,s:s,s:I}", "name", name, "digest", digest,
					     "created", (json_int_t)time(NULL)));
	r = index_save(store, j);
	if (r < 0)
		snprintf(err, errlen, "write %s/images.json: %s", store, strerror(-r));
	json_decref(j);
	return r;
}

int image_index_remove(const char *store, const char *name)
{
	json_t *j = index_load(store), *arr = json_object_get(j, "images"), *e;
	size_t i;
	int r = -ENOENT;

	json_array_foreach(arr, i, e) {
		if (!strcmp(json_string_value(json_object_get(e, "name")) ?: "", name)) {
			json_array_remove(arr, i);
			r = index_save(store, j);
			break;
		}
	}
	json_decref(j);
	return r;
}

size_t image_list(const char *store, struct image *out, size_t max)
{
	json_t *j = index_load(store), *e;
	char err[256];
	size_t i, n = 0;

	json_array_foreach(json_object_get(j, "images"), i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));
		const char *d = json_string_value(json_object_get(e, "digest"));

		if (n >= max || !name || !d)
			continue;
		if (image_load_manifest(store, d, &out[n], 0, err, sizeof(err)) < 0)
			continue;
		snprintf(out[n].name, sizeof(out[n].name), "%s", name);
		out[n].created = json_integer_value(json_object_get(e, "created"));
		n++;
	}
	json_decref(j);
	return n;
}

int image_find(const char *store, const char *ref, struct image *img)
{
	static struct image all[IMAGE_MAX_IMAGES];
	char name[IMAGE_NAME_LEN], src[IMAGE_NAME_LEN + 16];
	size_t n = image_list(store, all, IMAGE_MAX_IMAGES), i, hits = 0, plen = strlen(ref);
	int hex = plen >= 3 && plen <= 64;

	if (image_normalize(ref, name, sizeof(name), src, sizeof(src)) < 0)
		name[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!strcmp(all[i].name, ref) || (name[0] && !strcmp(all[i].name, name))) {
			*img = all[i];
			return 0;
		}
	}
	for (const char *p = ref; *p && hex; p++)
		hex = isdigit((unsigned char)*p) || (*p >= 'a' && *p <= 'f');
	for (i = 0; i < n && hex; i++) {
		if (!strncmp(all[i].config + 7, ref, plen)) {
			if (hits++ && strcmp(img->config, all[i].config))
				return -ENOTUNIQ;
			*img = all[i];
		}
	}
	return hits ? 0 : -ENOENT;
}

int image_lock(const char *store)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/lock", store);
	return lock_acquire(path, 1, 1);
}

/* whether the file @path (a container's image.json) names @digest */
static int file_names(const char *path, const char *digest)
{
	char buf[16384];

	if (file_read_text(path, buf, sizeof(buf)) <= 0)
		return 0;
	return strstr(buf, digest) != NULL;
}

/* whether a container record uses @digest; its ID into @ctr when given */
static int ctr_uses_digest(const char *digest, char *ctr)
{
	char root[PATH_MAX], path[PATH_MAX + 300];
	struct dirent *de;
	int found = 0;
	DIR *d;

	if (ctr)
		ctr[0] = '\0';
	if (statedir_path("containers", root, sizeof(root)) < 0 || !(d = opendir(root)))
		return 0;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/image.json", root, de->d_name);
		if (file_names(path, digest)) {
			found = 1;
			if (ctr)
				snprintf(ctr, 13, "%s", de->d_name);
		}
	}
	closedir(d);
	return found;
}

int image_ctr_uses(const struct image *img, char *ctr)
{
	return ctr_uses_digest(img->digest, ctr);
}

int image_digest_in_use(const struct image *all, size_t n, const char *digest, int *by_ctr)
{
	size_t i, k;

	if (by_ctr)
		*by_ctr = 0;
	for (i = 0; i < n; i++) {
		if (!strcmp(all[i].digest, digest) || !strcmp(all[i].config, digest))
			return 1;
		for (k = 0; k < all[i].nlayers; k++)
			if (!strcmp(all[i].layers[k], digest))
				return 1;
	}
	if (ctr_uses_digest(digest, NULL)) {
		if (by_ctr)
			*by_ctr = 1;
		return 1;
	}
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if ((flag == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int image_rm_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) < 0 ? -errno : 0;
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}
