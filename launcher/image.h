/* SPDX-License-Identifier: GPL-2.0-or-later
 * image.h - the image store: blobs by sha256 digest (verified), layers
 * unpacked once, and an index from image names to manifests.
 *
 *	STORE/blobs/sha256/HEX	manifests, configs and layer archives
 *	STORE/layers/HEX/	layer HEX unpacked (HEX: its blob's digest)
 *	STORE/images.json	{"images":[{"name","digest","created"}]}
 *	STORE/tmp/		skopeo's OCI layouts while pulling
 *	STORE/lock		flock: pull commits, rmi and prune
 *
 * STORE is $BURROW_STORAGE_DIR, else $XDG_DATA_HOME/burrow (rootless;
 * ~/.local/share/burrow without XDG_DATA_HOME), else /var/lib/burrow (root).
 */
#ifndef BURROW_LAUNCHER_IMAGE_H
#define BURROW_LAUNCHER_IMAGE_H

#include <stddef.h>

#include <jansson.h>

#define IMAGE_MAX_LAYERS 128
#define IMAGE_DIGEST_LEN 71		/* "sha256:" + 64 hex */
#define IMAGE_NAME_LEN 512
#define IMAGE_MAX_IMAGES 1024		/* the index's quota */

struct image {
	char name[IMAGE_NAME_LEN];
	char digest[IMAGE_DIGEST_LEN + 1];	/* the manifest's */
	char config[IMAGE_DIGEST_LEN + 1];	/* the config blob's: the image ID */
	char layers[IMAGE_MAX_LAYERS][IMAGE_DIGEST_LEN + 1];	/* bottom first */
	size_t nlayers;
	long long size;				/* sum of the layer blobs' sizes */
	long long created;			/* unix time it was pulled */
};

/**
 * image_store_dir() - the store's folder, created if missing
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: 0, or -errno
 */
int image_store_dir(char *buf, size_t len);

/**
 * image_is_ref() - whether @target names an image rather than a folder: it has
 *		    a transport (docker://, oci:, oci-archive:, docker-archive:,
 *		    containers-storage:), or is neither an existing path nor
 *		    one that starts with / or . (those stay root filesystems)
 * @target:	what the user typed after `run`
 *
 * Return: 1 or 0
 */
int image_is_ref(const char *target);

/**
 * image_normalize() - the name a reference is stored under, and skopeo's
 *		       source for it: "busybox" is docker.io/library/busybox:latest
 *		       and docker://docker.io/library/busybox:latest
 * @ref:	as typed
 * @name:	out: the index name
 * @namelen:	size of @name
 * @src:	out: skopeo's source reference
 * @srclen:	size of @src
 *
 * Return: 0, or -EINVAL (empty or too long)
 */
int image_normalize(const char *ref, char *name, size_t namelen, char *src, size_t srclen);

/**
 * image_sha256_file() - the sha256 of a file, as "sha256:HEX"
 * @path:	file
 * @out:	IMAGE_DIGEST_LEN + 1 bytes
 * @size:	out: its size, or NULL
 *
 * Return: 0, or -errno
 */
int image_sha256_file(const char *path, char *out, long long *size);

/**
 * image_blob_path() - STORE/blobs/sha256/HEX for @digest
 * @store:	the store
 * @digest:	"sha256:HEX" (checked: 64 lowercase hex digits)
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: @buf, or NULL when @digest is not a sha256 digest
 */
const char *image_blob_path(const char *store, const char *digest, char *buf, size_t len);

/**
 * image_load_manifest() - read a manifest blob and check its config and
 *			   layer blobs: present, and with @verify their sha256
 *			   and size as listed
 * @store:	the store
 * @digest:	the manifest's digest
 * @verify:	hash every blob (after a pull); 0: only check they are there
 * @img:	out: digest, config, layers, size (name and created untouched)
 * @err:	the blob and what is wrong with it
 * @errlen:	size of @err
 *
 * Return: 0, or -errno
 */
int image_load_manifest(const char *store, const char *digest, struct image *img, int verify,
			char *err, size_t errlen);

/**
 * image_load_config() - the image's config blob, parsed
 * @store:	the store
 * @img:	the image
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: a new reference, or NULL
 */
json_t *image_load_config(const char *store, const struct image *img, char *err, size_t errlen);

/**
 * image_index_set() - record @name -> @digest in the index (replacing a
 *		       previous image of that name); the store's lock is held
 * @store:	the store
 * @name:	image name
 * @digest:	manifest digest
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -errno (-ENOSPC at IMAGE_MAX_IMAGES names)
 */
int image_index_set(const char *store, const char *name, const char *digest,
		    char *err, size_t errlen);

/**
 * image_list() - every image of the index, verified
 * @store:	the store
 * @out:	array of @max
 * @max:	its size
 *
 * Return: number of images (entries whose blobs are broken are left out)
 */
size_t image_list(const char *store, struct image *out, size_t max);

/**
 * image_find() - the image for @ref: its normalized name, the name as
 *		  typed, or a unique prefix (>= 3 hex digits) of its ID
 * @store:	the store
 * @ref:	reference
 * @img:	out
 *
 * Return: 0, -ENOENT, or -ENOTUNIQ
 */
int image_find(const char *store, const char *ref, struct image *img);

/**
 * image_index_remove() - drop @name from the index
 * @store:	the store
 * @name:	exact name
 *
 * Return: 0, or -errno
 */
int image_index_remove(const char *store, const char *name);

/**
 * image_lock() - take the store's lock (exclusive, waiting)
 * @store:	the store
 *
 * Return: an fd for lock_release(), or -errno
 */
int image_lock(const char *store);

/**
 * image_digest_in_use() - whether an image of @all (from image_list()) or a
 *			   container record (STATE/ID/image.json) uses blob or
 *			   layer @digest
 * @all:	the images
 * @n:		how many
 * @digest:	"sha256:HEX"
 * @by_ctr:	out: 1 when a container uses it (may be NULL)
 *
 * Return: 1 or 0
 */
int image_digest_in_use(const struct image *all, size_t n, const char *digest, int *by_ctr);

/**
 * image_ctr_uses() - whether a container uses image @img (its manifest)
 * @img:	image
 * @ctr:	out: that container's ID (13 bytes) or ""
 *
 * Return: 1 or 0
 */
int image_ctr_uses(const struct image *img, char *ctr);

/**
 * image_rm_tree() - remove a folder and everything in it, not following links
 * @path:	folder
 *
 * Return: 0, or -errno of the first failure
 */
int image_rm_tree(const char *path);

#endif /* BURROW_LAUNCHER_IMAGE_H */
