// SPDX-License-Identifier: GPL-2.0-or-later
/* pull.c - skopeo into the store, verify, unpack, name */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launcher/runtime.h"
#include "layer.h"
#include "lock.h"
#include "pull.h"

#pragma GCC diagnostic ignored "-Wformat-truncation"

int pull_policy_parse(const char *s, enum pull_policy *p)
{
	if (!strcmp(s, "missing") || !strcmp(s, "newer"))
		*p = PULL_MISSING;
	else if (!strcmp(s, "always"))
		*p = PULL_ALWAYS;
	else if (!strcmp(s, "never"))
		*p = PULL_NEVER;
	else
		return -EINVAL;
	return 0;
}

/* run skopeo with @argv; its stdout goes to our stderr (progress), its
 * stderr is kept for the message; Return: exit status, or -errno */
static int skopeo_run(char *const *argv, char *msg, size_t msglen)
{
	char bin[PATH_MAX];
	int p[2], status;
	size_t got = 0;
	pid_t pid;

	msg[0] = '\0';
	if (find_program("skopeo", bin, sizeof(bin)) < 0)
		return -ENOENT;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(2, 1);
		dup2(p[1], 2);
		execv(bin, argv);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -errno;
	}
	for (;;) {
		ssize_t k = read(p[0], msg + got, msglen - 1 - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
		if (got >= msglen - 1)	/* keep the last part */
			got = 0;
	}
	msg[got] = '\0';
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* the manifest digest skopeo wrote into the layout's index.json */
static int layout_manifest(const char *dir, char *digest, size_t len, char *err, size_t errlen)
{
	char path[PATH_MAX + 16];
	json_error_t je;
	json_t *j;
	const char *d;

	snprintf(path, sizeof(path), "%s/index.json", dir);
	j = json_load_file(path, 0, &je);
	if (!j) {
		snprintf(err, errlen, "%s: %s", path, je.text);
		return -EBADMSG;
	}
	d = json_string_value(json_object_get(json_array_get(json_object_get(j, "manifests"), 0),
					      "digest"));
	if (!d || strlen(d) >= len) {
		snprintf(err, errlen, "%s: no manifest", path);
		json_decref(j);
		return -EBADMSG;
	}
	strcpy(digest, d);
	json_decref(j);
	return 0;
}

int pull_ensure_layers(const char *store, const struct image *img, const struct pull_opts *po,
		       char *err, size_t errlen)
{
	struct layer_stats st;
	char path[PATH_MAX];
	struct stat sb;
	size_t i;
	int r;

	for (i = 0; i < img->nlayers; i++) {
		if (layer_present(store, img->layers[i]))
			continue;
		image_blob_path(store, img->layers[i], path, sizeof(path));
		if (po->layer_note)
			po->layer_note(img->layers[i], 0, stat(path, &sb) ? 0 : (long long)sb.st_size);
		r = layer_unpack(store, img->layers[i], po->maps, &st, err, errlen);
		if (r < 0)
			return r;
		if (po->layer_note)
			po->layer_note(img->layers[i], 1, (long long)sb.st_size);
	}
	return 0;
}

int pull_repair_layers(const char *store, const struct image *img, const struct pull_opts *po,
		       char *err, size_t errlen)
{
	size_t i;
	int lockfd, r;

	for (i = 0; i < img->nlayers && layer_present(store, img->layers[i]); i++)
		;
	if (i == img->nlayers)
		return 0;
	lockfd = image_lock(store);
	if (lockfd < 0) {
		snprintf(err, errlen, "lock %s/lock: %s", store, strerror(-lockfd));
		return lockfd;
	}
	r = pull_ensure_layers(store, img, po, err, errlen);
	lock_release(lockfd);
	return r;
}

/* make STORE/blobs/sha256 and a fresh STORE/tmp/pull-XXXXXX */
static int pull_dirs(const char *store, char *tmp, size_t len, char *err, size_t errlen)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/blobs", store);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/blobs/sha256", store);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/tmp", store);
	mkdir(path, 0700);
	snprintf(tmp, len, "%s/tmp/pull-XXXXXX", store);
	if (!mkdtemp(tmp)) {
		snprintf(err, errlen, "mkdtemp(%s): %s", tmp, strerror(errno));
		return -errno;
	}
	return 0;
}

int pull_image(const char *ref, const struct pull_opts *po, struct image *img,
	       char *err, size_t errlen)
{
	char store[PATH_MAX], tmp[PATH_MAX], dest[PATH_MAX + 16], blobs[PATH_MAX + 16];
	char name[IMAGE_NAME_LEN], src[IMAGE_NAME_LEN + 16], digest[IMAGE_DIGEST_LEN + 8];
	char msg[2048];
	char *argv[16];
	int r, n = 0, lockfd = -1;

	if (image_normalize(ref, name, sizeof(name), src, sizeof(src)) < 0) {
		snprintf(err, errlen, "'%s' is not an image reference", ref);
		return -EINVAL;
	}
	r = image_store_dir(store, sizeof(store));
	if (r < 0) {
		snprintf(err, errlen, "image store: %s", strerror(-r));
		return r;
	}
	r = pull_dirs(store, tmp, sizeof(tmp), err, errlen);
	if (r < 0)
		return r;
	snprintf(dest, sizeof(dest), "oci:%s:image", tmp);
	snprintf(blobs, sizeof(blobs), "%s/blobs", store);
	argv[n++] = "skopeo";
	argv[n++] = "copy";
	if (!po->tls_verify)
		argv[n++] = "--src-tls-verify=false";
	if (po->quiet)
		argv[n++] = "--quiet";
	argv[n++] = "--dest-shared-blob-dir";
	argv[n++] = blobs;
	argv[n++] = src;
	argv[n++] = dest;
	argv[n] = NULL;
	r = skopeo_run(argv, msg, sizeof(msg));
	if (r != 0) {
		char *nl;

		while ((nl = strrchr(msg, '\n')) && !nl[1])
			*nl = '\0';
		if (r == -ENOENT)
			snprintf(err, errlen, "skopeo not found: install it (apt-get install skopeo)");
		else if (r < 0)
			snprintf(err, errlen, "skopeo: %s", strerror(-r));
		else
			snprintf(err, errlen, "pull %s: %s", src, msg[0] ? msg : "skopeo failed");
		r = -EIO;
		goto out;
	}
	r = layout_manifest(tmp, digest, sizeof(digest), err, errlen);
	if (r < 0)
		goto out;
	lockfd = image_lock(store);
	if (lockfd < 0) {
		r = lockfd;
		snprintf(err, errlen, "lock %s/lock: %s", store, strerror(-r));
		goto out;
	}
	r = image_load_manifest(store, digest, img, 1, err, errlen);
	if (r == 0)
		r = pull_ensure_layers(store, img, po, err, errlen);
	if (r == 0)
		r = image_index_set(store, name, digest, err, errlen);
	if (r == 0)
		snprintf(img->name, sizeof(img->name), "%s", name);
out:
	if (lockfd >= 0)
		lock_release(lockfd);
	image_rm_tree(tmp);
	return r;
}
