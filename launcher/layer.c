// SPDX-License-Identifier: GPL-2.0-or-later
/* layer.c - unpack layer blobs into overlay lower folders (libarchive) */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "image.h"
#include "layer.h"

#pragma GCC diagnostic ignored "-Wformat-truncation"

#define WH_PREFIX ".wh."
#define WH_OPAQUE ".wh..wh..opq"

const char *layer_path(const char *store, const char *digest, char *buf, size_t len)
{
	int n;

	if (!image_blob_path(store, digest, buf, len))	/* checks the digest */
		return NULL;
	n = snprintf(buf, len, "%s/layers/%s", store, digest + 7);
	return n < 0 || (size_t)n >= len ? NULL : buf;
}

int layer_present(const char *store, const char *digest)
{
	char path[PATH_MAX];
	struct stat st;

	return layer_path(store, digest, path, sizeof(path)) && stat(path, &st) == 0 &&
	       S_ISDIR(st.st_mode);
}

/* run @fn(@arg) in a child: rootless inside a new user namespace with @maps
 * (as its root), else as we are; its message comes back through a pipe */
static int run_isolated(const struct userns_maps *maps,
			int (*fn)(void *arg, char *err, size_t errlen), void *arg,
			char *err, size_t errlen)
{
	pid_t holder = 0, pid, parent;
	int ufd = -1, p[2], status, r;
	ssize_t n;

	err[0] = '\0';
	if (maps) {
		ufd = userns_create(maps, &holder, err, errlen);
		if (ufd < 0)
			return ufd;
	}
	if (pipe2(p, O_CLOEXEC) < 0) {
		r = -errno;
		snprintf(err, errlen, "pipe(): %s", strerror(errno));
		goto out;
	}
	fflush(NULL);
	parent = getpid();
	pid = fork();
	if (pid == 0) {
		char msg[1024] = "";

		/* killed with us: an orphan must not go on writing into the store */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		close(p[0]);
		if (ufd >= 0 && setns(ufd, CLONE_NEWUSER) < 0) {
			snprintf(msg, sizeof(msg), "setns(user namespace): %s", strerror(errno));
			r = -1;
		} else {
			r = fn(arg, msg, sizeof(msg));
		}
		if (r < 0 && write(p[1], msg, strlen(msg)) < 0)
			_exit(2);
		_exit(r < 0 ? 1 : 0);
	}
	close(p[1]);
	if (pid < 0) {
		r = -errno;
		snprintf(err, errlen, "fork(): %s", strerror(errno));
		close(p[0]);
		goto out;
	}
	n = read(p[0], err, errlen - 1);
	err[n > 0 ? n : 0] = '\0';
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	r = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
	if (r < 0 && !err[0])
		snprintf(err, errlen, "the unpacking process died (status %d)", status);
out:
	if (ufd >= 0)
		close(ufd);
	if (holder)
		userns_release(holder);
	return r;
}

/* whether a path from an archive stays inside it: relative, no ".." part */
static const char *entry_path_bad(const char *p)
{
	const char *s = p;

	if (p[0] == '/')
		return "absolute path";
	while (*s) {
		size_t len = strcspn(s, "/");

		if (len == 2 && s[0] == '.' && s[1] == '.')
			return "path with '..' (it would leave the layer)";
		s += len;
		while (*s == '/')
			s++;
	}
	return NULL;
}

/* make the folders above @path (inside the layer) */
static void make_parents(const char *path)
{
	char buf[PATH_MAX];
	char *s;

	snprintf(buf, sizeof(buf), "%s", path);
	for (s = strchr(buf + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(buf, 0755);
		*s = '/';
	}
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT ? -1 : 0;
}

/* a whiteout entry: "DIR/.wh..wh..opq" marks DIR opaque, "DIR/.wh.NAME" hides NAME */
static int whiteout(const char *path, const char *base, int rootless, char *err, size_t errlen)
{
	const char *xattr = rootless ? "user.overlay.opaque" : "trusted.overlay.opaque";
	char dir[PATH_MAX], target[PATH_MAX];
	size_t dlen = (size_t)(base - path);

	snprintf(dir, sizeof(dir), "%.*s", (int)(dlen ? dlen - 1 : 1), dlen ? path : ".");
	if (dlen)
		make_parents(path);
	if (!strcmp(base, WH_OPAQUE)) {
		mkdir(dir, 0755);
		if (setxattr(dir, xattr, "y", 1, 0) < 0) {
			snprintf(err, errlen, "setxattr(%s, %s): %s", dir, xattr, strerror(errno));
			return -1;
		}
		return 0;
	}
	snprintf(target, sizeof(target), "%s/%s", dir, base + strlen(WH_PREFIX));
	nftw(target, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	if (mknod(target, S_IFCHR | 0600, makedev(0, 0)) < 0) {
		snprintf(err, errlen, "mknod(%s, whiteout): %s", target, strerror(errno));
		return -1;
	}
	return 0;
}

/* the first folder above @path (in the layer being unpacked, our root) that
 * is a symlink: writing through it could land anywhere; NULL if none.
 * @checked holds the last folder found clean (entries come folder by
 * folder): the same folder again costs no lstat(); a symlink written at or
 * above it clears it (symlink_written()). */
static const char *through_symlink(const char *path, char *checked, size_t clen,
				   char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) : 0;
	struct stat st;
	char *s;

	if (!dlen || (checked[0] && strlen(checked) == dlen && !strncmp(checked, path, dlen)))
		return NULL;
	snprintf(buf, len, "%s", path);
	for (s = strchr(buf, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (lstat(buf, &st) == 0 && S_ISLNK(st.st_mode))
			return buf;
		*s = '/';
	}
	if (dlen < clen)
		snprintf(checked, clen, "%.*s", (int)dlen, path);
	return NULL;
}

/* a symlink (or anything replacing a folder) at @path: forget @checked if
 * @path is it or above it */
static void symlink_written(const char *path, char *checked)
{
	size_t n = strlen(path);

	if (!strncmp(checked, path, n) && (checked[n] == '\0' || checked[n] == '/'))
		checked[0] = '\0';
}

/* refuse what must not be unpacked; NULL when @e is fine */
static const char *entry_refused(struct archive_entry *e, const char *path)
{
	const char *why = entry_path_bad(path), *link = archive_entry_hardlink(e);
	mode_t type = archive_entry_filetype(e);

	if (why)
		return why;
	if (link && entry_path_bad(link))
		return "hard link to a path outside the layer";
	if (type == AE_IFCHR || type == AE_IFBLK)
		return "device node (refused: a container gets its devices from the runtime)";
	return NULL;
}

struct unpack_ctx {
	int blobfd, storefd;
	const char *hex, *digest;
	int rootless;
	const struct userns_maps *maps;	/* rootless: which IDs exist inside */
	struct layer_stats st;
};

/* whether inside ID @id is mapped by one of @n lines */
static int id_mapped(const struct userns_map *m, size_t n, unsigned long id)
{
	for (size_t i = 0; i < n; i++)
		if (id >= m[i].inside && id - m[i].inside < m[i].count)
			return 1;
	return 0;
}

/* copy the current entry's data from @a to @w */
static int copy_data(struct archive *a, struct archive *w, long long *bytes)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	int r;

	while ((r = archive_read_data_block(a, &buf, &size, &off)) == ARCHIVE_OK) {
		/* a failed write() is only ARCHIVE_WARN to libarchive, which goes
		 * on and leaves a hole: for us the layer is broken */
		if (archive_write_data_block(w, buf, size, off) != ARCHIVE_OK)
			return -1;
		*bytes += (long long)size;
	}
	return r == ARCHIVE_EOF ? 0 : -2;
}

/* the archive loop, run chrooted into the new layer folder */
static int extract(struct unpack_ctx *x, char *err, size_t errlen)
{
	int flags = ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
		    ARCHIVE_EXTRACT_XATTR |
		    ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS;
	struct archive *a = archive_read_new(), *w = archive_write_disk_new();
	struct archive_entry *e;
	char checked[PATH_MAX] = "";
	int r, ret = -1;

	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	archive_write_disk_set_options(w, flags);
	if (archive_read_open_fd(a, x->blobfd, 1 << 16) != ARCHIVE_OK) {
		snprintf(err, errlen, "layer %s: %s", x->digest, archive_error_string(a));
		goto out;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *path = archive_entry_pathname(e), *base, *why;
		char link[PATH_MAX];

		while (path && path[0] == '.' && path[1] == '/')
			path += 2;
		if (!path || !path[0] || !strcmp(path, "."))
			continue;
		if (++x->st.entries > LAYER_MAX_ENTRIES) {
			snprintf(err, errlen, "layer %s: more than %d entries", x->digest,
				 LAYER_MAX_ENTRIES);
			goto out;
		}
		why = entry_refused(e, path);
		if (!why && through_symlink(path, checked, sizeof(checked), link, sizeof(link)))
			why = "it would be written through a symlink of the layer";
		/* as podman: an owner the user namespace cannot hold is an error,
		 * not a file silently given to the container's root */
		if (!why && x->maps &&
		    (!id_mapped(x->maps->uid, x->maps->nuid, (unsigned long)archive_entry_uid(e)) ||
		     !id_mapped(x->maps->gid, x->maps->ngid, (unsigned long)archive_entry_gid(e)))) {
			snprintf(err, errlen, "layer %s: entry '%s' belongs to %lld:%lld, outside the "
				 "IDs your subordinate ranges give a container (/etc/subuid, "
				 "/etc/subgid: ask for 65536 or more)", x->digest, path,
				 (long long)archive_entry_uid(e), (long long)archive_entry_gid(e));
			goto out;
		}
		if (why) {
			snprintf(err, errlen, "layer %s: entry '%s': %s", x->digest,
				 archive_entry_pathname(e), why);
			goto out;
		}
		base = strrchr(path, '/');
		base = base ? base + 1 : path;
		if (!strncmp(base, WH_PREFIX, strlen(WH_PREFIX))) {
			char msg[512];

			if (whiteout(path, base, x->rootless, msg, sizeof(msg)) < 0) {
				snprintf(err, errlen, "layer %s: entry '%s': %s", x->digest, path, msg);
				goto out;
			}
			continue;
		}
		if (archive_entry_filetype(e) != AE_IFDIR)
			symlink_written(path, checked);
		archive_entry_set_pathname(e, path);
		r = archive_write_header(w, e);
		if (r < ARCHIVE_WARN) {
			snprintf(err, errlen, "layer %s: entry '%s': %s", x->digest, path,
				 archive_error_string(w));
			goto out;
		}
		if (archive_entry_size(e) > 0) {
			r = copy_data(a, w, &x->st.bytes);
			if (r < 0) {
				struct archive *f = r == -1 ? w : a;

				snprintf(err, errlen, "layer %s: entry '%s': %s%s%s", x->digest, path,
					 archive_error_string(f) ?: "read error",
					 archive_errno(f) > 0 ? ": " : "",
					 archive_errno(f) > 0 ? strerror(archive_errno(f)) : "");
				goto out;
			}
		}
		if (archive_write_finish_entry(w) < ARCHIVE_WARN) {
			snprintf(err, errlen, "layer %s: entry '%s': %s", x->digest, path,
				 archive_error_string(w));
			goto out;
		}
	}
	if (r != ARCHIVE_EOF) {
		snprintf(err, errlen, "layer %s: %s", x->digest,
			 archive_error_string(a) ?: "damaged archive");
		goto out;
	}
	if (archive_write_close(w) < ARCHIVE_WARN) {
		snprintf(err, errlen, "layer %s: %s", x->digest, archive_error_string(w));
		goto out;
	}
	ret = 0;
out:
	archive_read_free(a);
	archive_write_free(w);
	return ret;
}

/* in the child: make HEX.partial, unpack into it chrooted, rename it to HEX */
static int unpack_child(void *arg, char *err, size_t errlen)
{
	struct unpack_ctx *x = arg;
	char partial[128];
	int r;

	snprintf(partial, sizeof(partial), "%s.partial", x->hex);
	if (fchdir(x->storefd) < 0) {
		snprintf(err, errlen, "fchdir(layers): %s", strerror(errno));
		return -1;
	}
	nftw(partial, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	if (mkdir(partial, 0755) < 0) {
		snprintf(err, errlen, "mkdir(%s): %s", partial, strerror(errno));
		return -1;
	}
	if (chroot(partial) < 0 || chdir("/") < 0) {
		snprintf(err, errlen, "chroot(%s): %s", partial, strerror(errno));
		r = -1;
	} else {
		umask(0);
		r = extract(x, err, errlen);
	}
	/* back to the store through the descriptor opened before chroot */
	if (fchdir(x->storefd) < 0)
		return -1;
	if (r == 0 && renameat(x->storefd, partial, x->storefd, x->hex) < 0) {
		snprintf(err, errlen, "rename(%s): %s", partial, strerror(errno));
		r = -1;
	}
	if (r < 0)
		nftw(partial, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	return r;
}

int layer_unpack(const char *store, const char *digest, const struct userns_maps *maps,
		 struct layer_stats *st, char *err, size_t errlen)
{
	char blob[PATH_MAX], dir[PATH_MAX];
	struct unpack_ctx x = { .digest = digest, .rootless = maps != NULL, .maps = maps };
	int r;

	if (!image_blob_path(store, digest, blob, sizeof(blob))) {
		snprintf(err, errlen, "'%s' is not a sha256 digest", digest);
		return -EINVAL;
	}
	x.hex = digest + 7;
	snprintf(dir, sizeof(dir), "%s/layers", store);
	mkdir(dir, 0700);
	x.blobfd = open(blob, O_RDONLY | O_CLOEXEC);
	if (x.blobfd < 0) {
		r = -errno;
		snprintf(err, errlen, "open(%s): %s", blob, strerror(errno));
		return r;
	}
	x.storefd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (x.storefd < 0) {
		r = -errno;
		snprintf(err, errlen, "open(%s): %s", dir, strerror(errno));
		close(x.blobfd);
		return r;
	}
	r = run_isolated(maps, unpack_child, &x, err, errlen);
	close(x.blobfd);
	close(x.storefd);
	if (r == 0 && st) {
		/* the child's counts are not ours: count the folder instead */
		st->entries = 0;
		st->bytes = 0;
	}
	return r;
}

static int remove_child(void *arg, char *err, size_t errlen)
{
	const char *path = arg;

	if (nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "remove %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int layer_remove_path(const char *path, const struct userns_maps *maps, char *err, size_t errlen)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return 0;
	if (!maps)
		return remove_child((void *)path, err, errlen);
	return run_isolated(maps, remove_child, (void *)path, err, errlen);
}
