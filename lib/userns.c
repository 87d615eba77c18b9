// SPDX-License-Identifier: GPL-2.0-or-later
/* userns.c - user namespaces with subordinate ranges mapped by newuidmap */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cleanup.h"
#include "file.h"
#include "log.h"
#include "subid.h"
#include "userns.h"

extern char **environ;

#define ID_MAX SUBID_ID_MAX

/* ---------------------------------------------------------------- planning */

/* Append one line to a map, refusing more than USERNS_MAX_LINES. */
static int map_add(struct userns_map *m, size_t *n, unsigned long inside,
		   unsigned long outside, unsigned long count)
{
	if (*n == USERNS_MAX_LINES)
		return -E2BIG;
	m[*n].inside = inside;
	m[*n].outside = outside;
	m[*n].count = count;
	(*n)++;
	return 0;
}

/* Place outside IDs [start, start+count) at inside IDs from *cursor upwards,
 * skipping inside ID @own for KEEP_ID (it maps to itself). */
static int place_range(enum userns_mode mode, unsigned long own,
		       unsigned long start, unsigned long count,
		       unsigned long *cursor, struct userns_map *m, size_t *n)
{
	int ret;

	while (count) {
		unsigned long room = ID_MAX - *cursor + 1, c = count;

		if (*cursor > ID_MAX)
			return 0;	/* inside ID space used up: drop the rest */
		if (mode == USERNS_KEEP_ID && *cursor <= own && own - *cursor < c)
			c = own - *cursor;	/* stop before own, continue after */
		if (c > room)
			c = room;
		if (c) {
			ret = map_add(m, n, *cursor, start, c);
			if (ret)
				return ret;
		}
		start += c;
		count -= c;
		*cursor += c;
		if (mode == USERNS_KEEP_ID && *cursor == own)
			(*cursor)++;
	}
	return 0;
}

/* Build one side (uid or gid) of the maps from the ranges of the user. */
static int plan_side(enum userns_mode mode, unsigned long own,
		     const struct subid_ranges *r, struct userns_map *m,
		     size_t *n)
{
	unsigned long cursor = mode == USERNS_MAP_ROOT ? 1 : 0;
	size_t i, j;
	int ret;

	*n = 0;
	ret = map_add(m, n, mode == USERNS_MAP_ROOT ? 0 : own, own, 1);
	if (ret)
		return ret;
	for (i = 0; i < r->n; i++) {
		unsigned long s = r->r[i].start, c = r->r[i].count;

		/* a range containing our own ID: split around it */
		if (own >= s && own - s < c) {
			ret = place_range(mode, own, s, own - s, &cursor, m, n);
			if (!ret)
				ret = place_range(mode, own, own + 1,
						  c - (own - s) - 1, &cursor, m, n);
		} else {
			ret = place_range(mode, own, s, c, &cursor, m, n);
		}
		if (ret)
			return ret;
	}
	/* keep the lines in inside-ID order, as a reader expects */
	for (i = 1; i < *n; i++) {
		struct userns_map t = m[i];

		for (j = i; j > 0 && m[j - 1].inside > t.inside; j--)
			m[j] = m[j - 1];
		m[j] = t;
	}
	return 0;
}

int userns_plan_ids(const struct userns_opts *opts, unsigned long uid,
		    unsigned long gid, const char *name, const char *subuid,
		    const char *subgid, struct userns_maps *maps,
		    char *err, size_t errlen)
{
	_cleanup_free_ struct subid_ranges *ru = NULL, *rg = NULL;
	int nu, ng, ret;
	char who[300];

	memset(maps, 0, sizeof(*maps));
	maps->hold = opts->hold;
	if (errlen)
		err[0] = '\0';
	ru = malloc(sizeof(*ru));
	rg = malloc(sizeof(*rg));
	if (!ru || !rg)
		return -ENOMEM;
	nu = subid_read(subuid, name, uid, ru, err, errlen);
	if (nu < 0)
		return nu;
	ng = subid_read(subgid, name, uid, rg, err, errlen);
	if (ng < 0)
		return ng;

	if (name)
		snprintf(who, sizeof(who), "%s (uid %lu)", name, uid);
	else
		snprintf(who, sizeof(who), "uid %lu", uid);
	if (!nu || !ng) {
		const char *what = !nu && !ng ? "UIDs and GIDs" : !nu ? "UIDs" : "GIDs";

		if (!opts->single_id_ok) {
			snprintf(err, errlen, "no subordinate %s for %s in %s%s%s",
				 what, who, !nu ? subuid : "",
				 !nu && !ng ? " and " : "", !ng ? subgid : "");
			return -ENOENT;
		}
		snprintf(err, errlen,
			 "no subordinate %s for %s in %s%s%s: using a single-ID map "
			 "(own %s only); files owned by other IDs show as nobody and "
			 "chown to them fails", what, who, !nu ? subuid : "",
			 !nu && !ng ? " and " : "", !ng ? subgid : "",
			 !nu && !ng ? "UID and GID" : !nu ? "UID" : "GID");
		maps->single_id = 1;
	}
	ret = plan_side(opts->mode, uid, ru, maps->uid, &maps->nuid);
	if (!ret)
		ret = plan_side(opts->mode, gid, rg, maps->gid, &maps->ngid);
	if (ret) {
		snprintf(err, errlen, "more than %d map lines for %s",
			 USERNS_MAX_LINES, who);
		return ret;
	}
	return 0;
}

int userns_plan(const struct userns_opts *opts, struct userns_maps *maps,
		char *err, size_t errlen)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	uid_t uid = getuid();
	int ret;

	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) != 0)
		res = NULL;
	ret = userns_plan_ids(opts, uid, getgid(), res ? res->pw_name : NULL,
			      "/etc/subuid", "/etc/subgid", maps, err, errlen);
	if (!ret && maps->single_id && !opts->quiet)
		warn("%s", err);
	return ret;
}

int userns_format_map(const struct userns_map *map, size_t n, char *buf,
		      size_t len)
{
	size_t i, off = 0;
	int w;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		w = snprintf(buf + off, len - off, "%10lu %10lu %10lu\n",
			     map[i].inside, map[i].outside, map[i].count);
		if (w < 0 || (size_t)w >= len - off)
			return -ENOSPC;
		off += (size_t)w;
	}
	return (int)off;
}

/* ---------------------------------------------------------------- helpers */

struct helper {
	const char *name;	/* "newuidmap" */
	char path[4096];
	pid_t pid;
	int errfd;		/* read end of the helper's stdout+stderr */
	char cmd[160];		/* start of the command line, for messages */
};

/* Find @h->name in PATH or /usr/bin and check it can do its job. */
static int helper_find(struct helper *h, char *err, size_t errlen)
{
	const char *path = getenv("PATH"), *p, *e;
	struct stat st;
	ssize_t caps;

	h->path[0] = '\0';
	for (p = path; p && *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, ':');
		if (e == p || *p != '/')
			continue;	/* only absolute PATH entries */
		if ((size_t)snprintf(h->path, sizeof(h->path), "%.*s/%s",
				     (int)(e - p), p, h->name) >= sizeof(h->path))
			continue;
		if (!access(h->path, X_OK))
			break;
		h->path[0] = '\0';
	}
	if (!h->path[0]) {
		snprintf(h->path, sizeof(h->path), "/usr/bin/%s", h->name);
		if (access(h->path, X_OK)) {
			snprintf(err, errlen,
				 "%s not found in PATH or /usr/bin: it is needed to map "
				 "subordinate IDs (Debian/Ubuntu: install the uidmap package)",
				 h->name);
			return -ENOENT;
		}
	}
	if (stat(h->path, &st) < 0) {
		int e2 = errno;

		snprintf(err, errlen, "stat(%s): %s", h->path, strerror(e2));
		return -e2;
	}
	if (S_ISREG(st.st_mode) && (st.st_mode & S_ISUID) && st.st_uid == 0)
		return 0;
	caps = getxattr(h->path, "security.capability", NULL, 0);
	if (S_ISREG(st.st_mode) && caps > 0)
		return 0;
	snprintf(err, errlen,
		 "%s is not setuid root and has no file capabilities (mode %04o, "
		 "owner uid %u): it cannot write subordinate ID maps",
		 h->path, (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid);
	return -EPERM;
}

/* Start "@h->name PID INSIDE OUTSIDE COUNT..." with output to a pipe. */
static int helper_spawn(struct helper *h, pid_t target,
			const struct userns_map *m, size_t n,
			char *err, size_t errlen)
{
	posix_spawn_file_actions_t fa;
	_cleanup_free_ char **argv = NULL;
	_cleanup_free_ char *strs = NULL;
	size_t i, off = 0, cap = 16 + n * 3 * 12, co = 0;
	int p[2], ret;

	h->pid = -1;
	h->errfd = -1;
	argv = calloc(n * 3 + 3, sizeof(*argv));
	strs = malloc(cap);
	if (!argv || !strs)
		return -ENOMEM;
	argv[0] = (char *)h->name;
	argv[1] = strs;
	off = (size_t)snprintf(strs, cap, "%d", (int)target) + 1;
	for (i = 0; i < n; i++) {
		argv[2 + 3 * i] = strs + off;
		off += (size_t)snprintf(strs + off, cap - off, "%lu", m[i].inside) + 1;
		argv[3 + 3 * i] = strs + off;
		off += (size_t)snprintf(strs + off, cap - off, "%lu", m[i].outside) + 1;
		argv[4 + 3 * i] = strs + off;
		off += (size_t)snprintf(strs + off, cap - off, "%lu", m[i].count) + 1;
	}
	for (i = 0; argv[i] && co < sizeof(h->cmd) - 1; i++)
		co += (size_t)snprintf(h->cmd + co, sizeof(h->cmd) - co, "%s%s",
				       i ? " " : "", argv[i]);
	if (co >= sizeof(h->cmd) - 1)
		memcpy(h->cmd + sizeof(h->cmd) - 4, "...", 4);

	if (pipe2(p, O_CLOEXEC) < 0) {
		ret = -errno;
		snprintf(err, errlen, "pipe2: %s", strerror(-ret));
		return ret;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_adddup2(&fa, p[1], 2);
	ret = posix_spawn(&h->pid, h->path, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (ret) {
		close(p[0]);
		h->pid = -1;
		snprintf(err, errlen, "posix_spawn(%s): %s", h->path, strerror(ret));
		return -ret;
	}
	h->errfd = p[0];
	return 0;
}

/* Collect a helper's output and exit status; fill @err when it failed. */
static int helper_wait(struct helper *h, char *err, size_t errlen)
{
	char out[1024];
	size_t len = 0, i;
	ssize_t r;
	int status = 0;

	if (h->pid <= 0)
		return 0;
	while ((r = read(h->errfd, out + len, sizeof(out) - 1 - len)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		len += (size_t)r;
		if (len == sizeof(out) - 1) {	/* keep draining, drop the rest */
			char sink[512];

			while ((r = read(h->errfd, sink, sizeof(sink))) > 0 ||
			       (r < 0 && errno == EINTR))
				;
			break;
		}
	}
	close(h->errfd);
	h->errfd = -1;
	while (waitpid(h->pid, &status, 0) < 0 && errno == EINTR)
		;
	h->pid = -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;

	while (len && (out[len - 1] == '\n' || out[len - 1] == ' '))
		len--;
	out[len] = '\0';
	for (i = 0; i < len; i++)
		if (out[i] == '\n')
			out[i] = ' ';
	if (len)
		snprintf(err, errlen, "%s failed: %s", h->cmd, out);
	else if (WIFEXITED(status))
		snprintf(err, errlen, "%s failed: exit status %d", h->cmd,
			 WEXITSTATUS(status));
	else
		snprintf(err, errlen, "%s failed: killed by signal %d", h->cmd,
			 WTERMSIG(status));
	return -EPERM;
}

/* Write @len bytes to /proc/@pid/@file in one write(2). */
static int proc_write(pid_t pid, const char *file, const char *data,
		      size_t len, char *err, size_t errlen)
{
	_cleanup_close_ int fd = -1;
	char path[64];
	ssize_t w;
	int e;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "open(%s): %s", path, strerror(e));
		return -e;
	}
	w = write(fd, data, len);
	if (w == (ssize_t)len)
		return 0;
	e = w < 0 ? errno : EIO;
	snprintf(err, errlen, "write(%s): %s", path, strerror(e));
	return -e;
}

/* Write one side of the maps directly (single own ID, or caller is root). */
static int map_write_direct(pid_t pid, const char *file,
			    const struct userns_map *m, size_t n,
			    char *err, size_t errlen)
{
	char buf[USERNS_MAX_LINES * 36];
	size_t i, off = 0;

	for (i = 0; i < n; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%lu %lu %lu\n",
					m[i].inside, m[i].outside, m[i].count);
	return proc_write(pid, file, buf, off, err, errlen);
}

/* Read a small /proc/sys value into @v; return 0 if it could be read. */
static int sysctl_read(const char *path, char *v, size_t len)
{
	long r = file_read_text(path, v, len);

	if (r <= 0)
		return -1;
	while (r && (v[r - 1] == '\n' || v[r - 1] == ' '))
		r--;
	v[r] = '\0';
	return 0;
}

/* Explain why @call (clone or unshare with CLONE_NEWUSER) failed with @e. */
static void newuser_diagnose(const char *call, int e, char *err, size_t errlen)
{
	static const char max[] = "/proc/sys/user/max_user_namespaces";
	static const char clone[] = "/proc/sys/kernel/unprivileged_userns_clone";
	char v[32];

	if (!sysctl_read(max, v, sizeof(v)) && !strcmp(v, "0"))
		snprintf(err, errlen,
			 "%s(CLONE_NEWUSER): %s: user namespaces disabled (%s = 0)",
			 call, strerror(e), max);
	else if (geteuid() != 0 && !sysctl_read(clone, v, sizeof(v)) &&
		 !strcmp(v, "0"))
		snprintf(err, errlen,
			 "%s(CLONE_NEWUSER): %s: unprivileged user namespaces disabled (%s = 0)",
			 call, strerror(e), clone);
	else if (e == ENOSPC)
		snprintf(err, errlen,
			 "%s(CLONE_NEWUSER): %s: user namespace limit reached (%s = %s)",
			 call, strerror(e), max, sysctl_read(max, v, sizeof(v)) ? "?" : v);
	else
		snprintf(err, errlen, "%s(CLONE_NEWUSER): %s", call, strerror(e));
}

/* ---------------------------------------------------------------- holder */

/*
 * A USERNS_HOLD_PARENT holder is made with clone(CLONE_VM | CLONE_NEWUSER):
 * no page tables are copied, which is most of fork()'s cost on small VMs.
 * It shares our memory, so it runs on its own small stack and only makes raw
 * system calls (no errno, no sanitizer interceptors, no atexit handlers).
 * A detached holder must not pin our memory for its whole life: it is made
 * with a double fork() instead.
 */
#define HOLDER_STACK	(64 * 1024)
#define HOLDER_SLOTS	64

static struct {
	pid_t pid;
	void *stack;
} holder_stacks[HOLDER_SLOTS];
static pthread_mutex_t holder_lock = PTHREAD_MUTEX_INITIALIZER;

struct holder_args {
	int go;		/* our end of the go socket: read one byte, then hold */
	int other;	/* the caller's end, to close */
	pid_t parent;	/* USERNS_HOLD_PARENT: the caller */
};

#define HOLDER_NOSAN __attribute__((no_sanitize("address", "undefined")))

/* Exit a holder without running any handler of the caller's. */
static HOLDER_NOSAN __attribute__((noreturn)) void holder_exit(int status)
{
	for (;;)
		syscall(SYS_exit_group, status);
}

/* Default dispositions and an empty mask: ^C or SIGTERM end the holder
 * instead of running a handler of the caller's (in its memory). */
static HOLDER_NOSAN void holder_reset_signals(void)
{
	struct { void *handler; unsigned long flags; void *restorer; unsigned long mask; }
		dfl = { 0 };	/* the kernel's struct sigaction, SIG_DFL */
	unsigned long none = 0;
	int sig;

	for (sig = 1; sig < 32; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(none));
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof(none));
}

/* Wait for the go byte, close every fd, then keep the namespace alive. */
static HOLDER_NOSAN __attribute__((noreturn)) void holder_hold(int go)
{
	long r;
	char c;

	r = syscall(SYS_read, go, &c, 1);	/* no handlers left: no EINTR */
	if (r != 1)
		holder_exit(1);	/* the caller failed or died: nothing to hold */
	if (syscall(SYS_close_range, 0, ~0U, 0) < 0) {
		int fd;

		for (fd = 0; fd < 65536; fd++)
			syscall(SYS_close, fd);
	}
	for (;;)
		syscall(SYS_ppoll, NULL, 0, NULL, NULL, 8);
}

/* Entry of a USERNS_HOLD_PARENT holder (clone, shares our memory). */
static HOLDER_NOSAN int holder_vm_main(void *arg)
{
	const struct holder_args *a = arg;

	syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (syscall(SYS_getppid) != a->parent)
		holder_exit(1);
	syscall(SYS_close, a->other);
	holder_reset_signals();
	holder_hold(a->go);
}

/* Start a USERNS_HOLD_PARENT holder; return its PID, -EAGAIN when no stack
 * slot is free (use fork), or -errno of clone(). */
static pid_t holder_start_vm(int go[2])
{
	struct holder_args *a;
	void *stack;
	pid_t pid;
	int slot, e;

	pthread_mutex_lock(&holder_lock);
	for (slot = 0; slot < HOLDER_SLOTS && holder_stacks[slot].stack; slot++)
		;
	if (slot == HOLDER_SLOTS) {
		pthread_mutex_unlock(&holder_lock);
		return -EAGAIN;
	}
	stack = mmap(NULL, HOLDER_STACK, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED) {
		pthread_mutex_unlock(&holder_lock);
		return -EAGAIN;
	}
	holder_stacks[slot].stack = stack;
	holder_stacks[slot].pid = 0;
	pthread_mutex_unlock(&holder_lock);

	/* the arguments live at the top of the holder's own stack */
	a = (struct holder_args *)((char *)stack + HOLDER_STACK - 64);
	a->go = go[1];
	a->other = go[0];
	a->parent = getpid();
	pid = clone(holder_vm_main, (char *)a - 64,
		    CLONE_VM | CLONE_NEWUSER | SIGCHLD, a);
	e = errno;
	pthread_mutex_lock(&holder_lock);
	if (pid < 0) {
		munmap(stack, HOLDER_STACK);
		holder_stacks[slot].stack = NULL;
	} else {
		holder_stacks[slot].pid = pid;
	}
	pthread_mutex_unlock(&holder_lock);
	return pid < 0 ? -e : pid;
}

/* Free the stack of a reaped USERNS_HOLD_PARENT holder, if it had one. */
static void holder_stack_free(pid_t pid)
{
	int slot;

	pthread_mutex_lock(&holder_lock);
	for (slot = 0; slot < HOLDER_SLOTS; slot++)
		if (holder_stacks[slot].stack && holder_stacks[slot].pid == pid) {
			munmap(holder_stacks[slot].stack, HOLDER_STACK);
			holder_stacks[slot].stack = NULL;
			holder_stacks[slot].pid = 0;
		}
	pthread_mutex_unlock(&holder_lock);
}

struct ready_msg {
	pid_t pid;
	int err;	/* errno of unshare() (or of fork() when pid is -1), or 0 */
};

/* Fork a holder (double fork when detached) that unshares and reports its
 * PID on @ready_w; return the PID of the direct child, or -errno. */
static pid_t holder_start_fork(int go[2], int ready_w, int ready_r,
			       enum userns_hold hold)
{
	struct ready_msg m = { .pid = -1, .err = 0 };
	pid_t parent = getpid(), pid;

	pid = fork();
	if (pid != 0)
		return pid < 0 ? -errno : pid;
	close(ready_r);
	close(go[0]);
	if (hold == USERNS_HOLD_DETACHED) {
		setsid();
		pid = fork();
		if (pid < 0) {
			m.err = errno;
			if (write(ready_w, &m, sizeof(m)) < 0)
				holder_exit(1);
			holder_exit(1);
		}
		if (pid > 0)
			holder_exit(0);
	} else {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			holder_exit(1);
	}
	m.pid = getpid();
	if (unshare(CLONE_NEWUSER) < 0)
		m.err = errno;
	if (write(ready_w, &m, sizeof(m)) != (ssize_t)sizeof(m) || m.err)
		holder_exit(1);
	close(ready_w);
	holder_reset_signals();
	holder_hold(go[1]);
}

/* Start a holder for @hold; on success store its PID in @pid and return 0;
 * else fill @err and return -errno. */
static int holder_start(enum userns_hold hold, int go[2], pid_t *pid,
			char *err, size_t errlen)
{
	struct ready_msg m = { .pid = -1, .err = 0 };
	int ready[2], ret = 0;
	pid_t child;
	ssize_t r;

	if (hold == USERNS_HOLD_PARENT) {
		child = holder_start_vm(go);
		if (child > 0) {
			*pid = child;
			return 0;
		}
		if (child != -EAGAIN) {
			newuser_diagnose("clone", (int)-child, err, errlen);
			return (int)child;
		}
	}
	if (pipe2(ready, O_CLOEXEC) < 0) {
		ret = -errno;
		snprintf(err, errlen, "pipe2: %s", strerror(-ret));
		return ret;
	}
	child = holder_start_fork(go, ready[1], ready[0], hold);
	close(ready[1]);
	if (child < 0) {
		close(ready[0]);
		snprintf(err, errlen, "fork: %s", strerror((int)-child));
		return (int)child;
	}
	while ((r = read(ready[0], &m, sizeof(m))) < 0 && errno == EINTR)
		;
	close(ready[0]);
	if (hold == USERNS_HOLD_DETACHED)	/* reap the intermediate child */
		while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
			;
	if (r != (ssize_t)sizeof(m)) {
		snprintf(err, errlen, "holder process exited before unshare(CLONE_NEWUSER)");
		ret = -ECHILD;
	} else if (m.pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(m.err));
		ret = -m.err;
	} else if (m.err) {
		newuser_diagnose("unshare", m.err, err, errlen);
		ret = -m.err;	/* the holder has exited by itself */
	}
	if (ret) {
		if (hold != USERNS_HOLD_DETACHED)
			while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
				;
		return ret;
	}
	*pid = m.pid;
	return 0;
}

/* Write both sides of @maps for @pid: helpers run while we write directly. */
static int maps_write(const struct userns_maps *maps, pid_t pid,
		      char *err, size_t errlen)
{
	struct helper uh = { .name = "newuidmap", .pid = -1, .errfd = -1 };
	struct helper gh = { .name = "newgidmap", .pid = -1, .errfd = -1 };
	uid_t euid = geteuid();
	int uid_direct, gid_direct, ret = 0, ru, rg;
	char gerr[512] = "";

	uid_direct = euid == 0 || (maps->nuid == 1 && maps->uid[0].count == 1 &&
				   maps->uid[0].outside == euid);
	gid_direct = euid == 0 || (maps->ngid == 1 && maps->gid[0].count == 1 &&
				   maps->gid[0].outside == getegid());
	if (!uid_direct)
		ret = helper_find(&uh, err, errlen);
	if (!ret && !gid_direct)
		ret = helper_find(&gh, err, errlen);
	if (!ret && !uid_direct)
		ret = helper_spawn(&uh, pid, maps->uid, maps->nuid, err, errlen);
	if (!ret && !gid_direct)
		ret = helper_spawn(&gh, pid, maps->gid, maps->ngid, err, errlen);
	if (!ret && gid_direct) {
		if (euid != 0)
			ret = proc_write(pid, "setgroups", "deny", 4, err, errlen);
		if (!ret)
			ret = map_write_direct(pid, "gid_map", maps->gid, maps->ngid,
					       err, errlen);
	}
	if (!ret && uid_direct)
		ret = map_write_direct(pid, "uid_map", maps->uid, maps->nuid,
				       err, errlen);
	ru = helper_wait(&uh, err, errlen);
	rg = helper_wait(&gh, gerr, sizeof(gerr));
	if (!ret && ru)
		ret = ru;
	if (!ret && rg) {
		ret = rg;
		snprintf(err, errlen, "%s", gerr);
	}
	return ret;
}

int userns_create(const struct userns_maps *maps, pid_t *holder,
		  char *err, size_t errlen)
{
	int go[2] = { -1, -1 }, ret, nsfd = -1;
	pid_t pid = -1;
	char path[64];

	*holder = -1;
	if (!maps->nuid || !maps->ngid || maps->nuid > USERNS_MAX_LINES ||
	    maps->ngid > USERNS_MAX_LINES) {
		snprintf(err, errlen, "empty or oversized ID maps");
		return -EINVAL;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, go) < 0) {
		ret = -errno;
		snprintf(err, errlen, "socketpair: %s", strerror(-ret));
		return ret;
	}
	ret = holder_start(maps->hold, go, &pid, err, errlen);
	close(go[1]);
	go[1] = -1;
	if (ret)
		goto out;
	ret = maps_write(maps, pid, err, errlen);
	if (ret)
		goto out;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0) {
		ret = -errno;
		snprintf(err, errlen, "open(%s): %s", path, strerror(-ret));
		goto out;
	}
	if (send(go[0], "g", 1, MSG_NOSIGNAL) != 1) {
		ret = -errno;
		snprintf(err, errlen, "holder %d exited before the maps were written: %s",
			 (int)pid, strerror(-ret));
		goto out;
	}
	*holder = pid;
	ret = nsfd;
	nsfd = -1;
out:
	if (ret < 0 && pid > 0) {
		kill(pid, SIGKILL);
		if (maps->hold != USERNS_HOLD_DETACHED)
			userns_release(pid);
	}
	if (nsfd >= 0)
		close(nsfd);
	close(go[0]);
	return ret;
}

void userns_release(pid_t holder)
{
	if (holder <= 0)
		return;
	kill(holder, SIGKILL);
	while (waitpid(holder, NULL, 0) < 0 && errno == EINTR)
		;
	holder_stack_free(holder);
}
