// SPDX-License-Identifier: GPL-2.0-or-later
/* state.c - container records under the state directory, guarded by locks */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* messages that name long paths may be cut short: that is fine */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "cleanup.h"
#include "lock.h"
#include "overlay.h"
#include "proc.h"
#include "sigproxy.h"
#include "state.h"
#include "statedir.h"

int state_root(char *buf, size_t len)
{
	return statedir_path("containers", buf, len);
}

int state_global_lock(void)
{
	return statedir_lock("containers");
}

const char *state_path(const struct ctr *c, const char *file, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", c->dir, file);
	return buf;
}

static void new_id(char id[CTR_ID_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[CTR_ID_LEN / 2];
	size_t i;

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		for (i = 0; i < sizeof(b); i++)
			b[i] = (unsigned char)((ts.tv_nsec >> (i * 5)) ^ (getpid() >> i));
	}
	for (i = 0; i < sizeof(b); i++) {
		id[2 * i] = hex[b[i] >> 4];
		id[2 * i + 1] = hex[b[i] & 15];
	}
	id[CTR_ID_LEN] = '\0';
}

json_t *state_to_json(const struct ctr *c)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b,"
			 " s:b, s:b, s:i, s:I, s:i, s:I, s:i, s:I, s:i, s:I, s:I, s:i}",
			 "id", c->id, "name", c->name, "dir", c->dir, "rootfs", c->rootfs,
			 "runtime", c->runtime, "runtime_root", c->runtime_root,
			 "network", c->network, "ports", c->ports, "command", c->command,
			 "rm", c->rm, "detach", c->detach, "rootless", c->rootless,
			 "tty", c->tty, "interactive", c->interactive,
			 "pid", (int)c->pid, "pid_start", (json_int_t)c->pid_start,
			 "mon_pid", (int)c->mon_pid, "mon_start", (json_int_t)c->mon_start,
			 "holder_pid", (int)c->holder_pid,
			 "holder_start", (json_int_t)c->holder_start,
			 "net_pid", (int)c->net_pid,
			 "net_start", (json_int_t)c->net_start, "created", (json_int_t)c->created,
			 "stop_timeout", c->stop_timeout);
}

static int copy_str(json_t *j, const char *key, char *dst, size_t len)
{
	const char *s = json_string_value(json_object_get(j, key));

	if (!s || strlen(s) >= len)
		return -EINVAL;
	strcpy(dst, s);
	return 0;
}

int state_from_json(json_t *j, struct ctr *c)
{
	memset(c, 0, sizeof(*c));
	if (!json_is_object(j) ||
	    copy_str(j, "id", c->id, sizeof(c->id)) ||
	    copy_str(j, "name", c->name, sizeof(c->name)) ||
	    copy_str(j, "dir", c->dir, sizeof(c->dir)) ||
	    copy_str(j, "rootfs", c->rootfs, sizeof(c->rootfs)) ||
	    copy_str(j, "runtime", c->runtime, sizeof(c->runtime)) ||
	    copy_str(j, "runtime_root", c->runtime_root, sizeof(c->runtime_root)) ||
	    copy_str(j, "network", c->network, sizeof(c->network)) ||
	    copy_str(j, "ports", c->ports, sizeof(c->ports)) ||
	    copy_str(j, "command", c->command, sizeof(c->command)))
		return -EINVAL;
	c->rm = json_is_true(json_object_get(j, "rm"));
	c->detach = json_is_true(json_object_get(j, "detach"));
	c->rootless = json_is_true(json_object_get(j, "rootless"));
	c->tty = json_is_true(json_object_get(j, "tty"));
	c->interactive = json_is_true(json_object_get(j, "interactive"));
	c->pid = (pid_t)json_integer_value(json_object_get(j, "pid"));
	c->pid_start = (unsigned long long)json_integer_value(json_object_get(j, "pid_start"));
	c->mon_pid = (pid_t)json_integer_value(json_object_get(j, "mon_pid"));
	c->mon_start = (unsigned long long)json_integer_value(json_object_get(j, "mon_start"));
	c->holder_pid = (pid_t)json_integer_value(json_object_get(j, "holder_pid"));
	c->holder_start = (unsigned long long)json_integer_value(json_object_get(j,
										 "holder_start"));
	c->net_pid = (pid_t)json_integer_value(json_object_get(j, "net_pid"));
	c->net_start = (unsigned long long)json_integer_value(json_object_get(j, "net_start"));
	c->created = json_integer_value(json_object_get(j, "created"));
	/* records from before --stop-timeout: podman's default */
	c->stop_timeout = json_is_integer(json_object_get(j, "stop_timeout")) ?
			  (int)json_integer_value(json_object_get(j, "stop_timeout")) :
			  SIGPROXY_STOP_TIMEOUT;
	if (c->stop_timeout < 0)
		c->stop_timeout = SIGPROXY_STOP_TIMEOUT;
	return 0;
}

/* write @len bytes to @path through a temporary file and rename() */
static int write_atomic(const char *path, const char *data, size_t len)
{
	char tmp[PATH_MAX + 16];
	_cleanup_close_ int fd = -1;
	ssize_t w;

	snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	w = write(fd, data, len);
	if (w != (ssize_t)len) {
		int r = w < 0 ? -errno : -EIO;

		unlink(tmp);
		return r;
	}
	if (rename(tmp, path)) {
		int r = -errno;

		unlink(tmp);
		return r;
	}
	return 0;
}

int state_save(const struct ctr *c)
{
	char path[PATH_MAX + 16];
	json_t *j = state_to_json(c);
	_cleanup_free_ char *s = NULL;

	if (!j)
		return -ENOMEM;
	s = json_dumps(j, JSON_INDENT(1));
	json_decref(j);
	if (!s)
		return -ENOMEM;
	return write_atomic(state_path(c, "state.json", path, sizeof(path)), s, strlen(s));
}

int state_write_exit(const struct ctr *c, int code)
{
	char path[PATH_MAX + 16], buf[16];
	int n = snprintf(buf, sizeof(buf), "%d\n", code);

	return write_atomic(state_path(c, "exit", path, sizeof(path)), buf, (size_t)n);
}

int state_load(const char *dir, struct ctr *c)
{
	char path[PATH_MAX + 16];
	json_t *j;
	int r;

	snprintf(path, sizeof(path), "%s/state.json", dir);
	j = json_load_file(path, 0, NULL);
	if (!j)
		return -ENOENT;
	r = state_from_json(j, c);
	json_decref(j);
	c->net_exitfd = -1;
	/* a container started with the runtime's "run" is only known by the
	 * runtime's pid file until it exits */
	if (r == 0 && !c->pid) {
		FILE *f;
		int pid;

		snprintf(path, sizeof(path), "%s/pid", dir);
		f = fopen(path, "re");
		if (f) {
			if (fscanf(f, "%d", &pid) == 1 && pid > 0) {
				c->pid = pid;
				proc_start_time(pid, &c->pid_start);
			}
			fclose(f);
		}
	}
	return r;
}

static int by_created(const void *a, const void *b)
{
	const struct ctr *x = a, *y = b;

	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return strcmp(x->id, y->id);
}

int state_list_dir(const char *root, struct ctr **out, size_t *n)
{
	char dir[PATH_MAX + 300];
	struct ctr *v = NULL, *nv;
	size_t cnt = 0, cap = 0;
	struct dirent *e;
	DIR *d;

	*out = NULL;
	*n = 0;
	d = opendir(root);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				closedir(d);
				return -ENOMEM;
			}
			v = nv;
		}
		snprintf(dir, sizeof(dir), "%s/%s", root, e->d_name);
		if (state_load(dir, &v[cnt]) == 0)
			cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof(*v), by_created);
	*out = v;
	*n = cnt;
	return 0;
}

int state_list(struct ctr **out, size_t *n)
{
	char root[PATH_MAX];
	int r = state_root(root, sizeof(root));

	*out = NULL;
	*n = 0;
	if (r < 0)
		return r;
	return state_list_dir(root, out, n);
}

int state_find(const char *ref, struct ctr *c)
{
	_cleanup_free_ struct ctr *v = NULL;
	size_t n, i, hits = 0, at = 0, rlen = strlen(ref);
	int r = state_list(&v, &n);

	if (r < 0)
		return r;
	if (!rlen)
		return -ENOENT;
	for (i = 0; i < n; i++) {
		if (!strcmp(v[i].id, ref) || !strcmp(v[i].name, ref)) {
			*c = v[i];
			return 0;
		}
	}
	for (i = 0; i < n; i++) {
		if (!strncmp(v[i].id, ref, rlen)) {
			hits++;
			at = i;
		}
	}
	if (hits > 1)
		return -ENOTUNIQ;
	if (!hits)
		return -ENOENT;
	*c = v[at];
	return 0;
}

int state_new(struct ctr *c, int *lockfd, char *err, size_t errlen)
{
	char root[PATH_MAX - 64], path[PATH_MAX + 16];
	_cleanup_free_ struct ctr *v = NULL;
	size_t n = 0, i;
	int glock, r, tries;

	*lockfd = -1;
	r = state_root(root, sizeof(root));
	if (r < 0) {
		snprintf(err, errlen, "state directory: %s", strerror(-r));
		return r;
	}
	glock = state_global_lock();
	if (glock < 0) {
		snprintf(err, errlen, "lock %s/.lock: %s", root, strerror(-glock));
		return glock;
	}
	r = state_list(&v, &n);
	if (r < 0) {
		snprintf(err, errlen, "list %s: %s", root, strerror(-r));
		goto out;
	}
	for (tries = 0; tries < 16; tries++) {
		new_id(c->id);
		snprintf(c->dir, sizeof(c->dir), "%s/%s", root, c->id);
		if (mkdir(c->dir, 0700) == 0)
			break;
		if (errno != EEXIST) {
			r = -errno;
			snprintf(err, errlen, "mkdir(%s): %s", c->dir, strerror(errno));
			goto out;
		}
	}
	if (tries == 16) {
		r = -EEXIST;
		snprintf(err, errlen, "no free container ID in %s", root);
		goto out;
	}
	if (!c->name[0])
		snprintf(c->name, sizeof(c->name), "%s", c->id);
	for (i = 0; i < n; i++) {
		if (!strcmp(v[i].name, c->name) || !strcmp(v[i].id, c->name)) {
			r = -EEXIST;
			snprintf(err, errlen, "the name %s is already in use by container %s "
				 "(remove it with: burrow rm %s)", c->name, v[i].id, v[i].id);
			rmdir(c->dir);
			goto out;
		}
	}
	r = lock_acquire(state_path(c, "lock", path, sizeof(path)), 1, 0);
	if (r < 0) {
		snprintf(err, errlen, "lock %s: %s", path, strerror(-r));
		rmdir(c->dir);
		goto out;
	}
	*lockfd = r;
	c->created = (long long)time(NULL);
	r = state_save(c);
	if (r < 0) {
		snprintf(err, errlen, "write %s/state.json: %s", c->dir, strerror(-r));
		lock_release(*lockfd);
		*lockfd = -1;
		state_remove(c);
	}
out:
	lock_release(glock);
	return r;
}

/* read the exit code from @file in the container folder: 1 found, 0 not */
static int read_exit(const struct ctr *c, const char *file, int *exit_code)
{
	char path[PATH_MAX + 16];
	int code = -1;
	FILE *f = fopen(state_path(c, file, path, sizeof(path)), "re");

	if (!f)
		return 0;
	if (fscanf(f, "%d", &code) != 1)
		code = -1;
	fclose(f);
	if (exit_code)
		*exit_code = code;
	return 1;
}

enum ctr_status state_status(const struct ctr *c, int *exit_code)
{
	char path[PATH_MAX + 16];
	int fd, tries;

	for (tries = 0; tries < 2; tries++) {
		/* "exit" is ours; burrow-mon names its exit file after the ID */
		if (read_exit(c, "exit", exit_code) || read_exit(c, c->id, exit_code))
			return CTR_EXITED;
		if (tries)
			break;
		state_path(c, "lock", path, sizeof(path));
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			int held = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;

			close(fd);
			if (held)
				return c->pid ? CTR_RUNNING : CTR_CREATED;
		}
		if (c->mon_pid && proc_alive(c->mon_pid, c->mon_start))
			return c->pid ? CTR_RUNNING : CTR_CREATED;
		/* the supervisor may have written the exit code and quit meanwhile */
	}
	return CTR_DEAD;
}

const char *state_status_name(enum ctr_status s)
{
	switch (s) {
	case CTR_CREATED:
		return "created";
	case CTR_RUNNING:
		return "running";
	case CTR_EXITED:
		return "exited";
	default:
		return "dead";
	}
}

static int rm_tree(int parent, const char *name)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct dirent *e;
	DIR *d;
	int r = 0;

	if (fd < 0)
		return unlinkat(parent, name, 0) ? -errno : 0;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_type == DT_DIR)
			r = rm_tree(dirfd(d), e->d_name) ?: r;
		else if (unlinkat(dirfd(d), e->d_name, 0) && errno != ENOENT)
			r = -errno;
	}
	closedir(d);
	if (unlinkat(parent, name, AT_REMOVEDIR) && errno != ENOENT)
		r = -errno;
	return r;
}

int state_sweep_unfinished(void (*removed)(const char *id, void *data), void *data)
{
	char root[PATH_MAX - 300];
	int r = state_root(root, sizeof(root));

	return r < 0 ? r : state_sweep_unfinished_in(root, removed, data);
}

int state_sweep_unfinished_in(const char *root, void (*removed)(const char *id, void *data),
			      void *data)
{
	char path[PATH_MAX];
	struct dirent *e;
	int n = 0, fd;
	DIR *d;

	if (strlen(root) > PATH_MAX - 300)
		return -ENAMETOOLONG;
	d = opendir(root);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || strlen(e->d_name) != CTR_ID_LEN)
			continue;
		snprintf(path, sizeof(path), "%s/%s/state.json", root, e->d_name);
		if (access(path, F_OK) == 0 || errno != ENOENT)
			continue;
		/* no record: state_new() died before its first save */
		snprintf(path, sizeof(path), "%s/%s/lock", root, e->d_name);
		fd = lock_acquire(path, 1, 0);
		if (fd < 0 && fd != -ENOENT)
			continue;
		if (rm_tree(dirfd(d), e->d_name) == 0) {
			n++;
			if (removed)
				removed(e->d_name, data);
		}
		lock_release(fd);
	}
	closedir(d);
	return n;
}

int state_remove(const struct ctr *c)
{
	int r = 0, i;

	if (!c->dir[0] || !c->id[0])
		return -EINVAL;
	/* an image's root: upper files may belong to subordinate IDs */
	overlay_remove(c->dir);
	/* a helper may still drop a file in while we empty it: try again */
	for (i = 0; i < 5; i++) {
		r = rm_tree(AT_FDCWD, c->dir);
		if (r != -ENOTEMPTY && r != -EEXIST)
			break;
	}
	return r;
}
