// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_nsholder.c - the process that makes namespaces and holds them:
 * its namespaces, what it owns, how long it lives, and that a recorded
 * holder is only stopped while it still has its start time */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nsholder.h"
#include "proc.h"

static char root[] = "/tmp/test_lib_nsholder.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(root);
}

/* the inode of /proc/@pid/ns/@type (0: self) */
static ino_t ns_ino(pid_t pid, const char *type)
{
	char path[64];
	struct stat st;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, type);
	else
		snprintf(path, sizeof(path), "/proc/self/ns/%s", type);
	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

/* whether loopback is up in the network namespace of @pid */
static int lo_up_in(pid_t pid)
{
	char path[64];
	int status;
	pid_t c;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	c = fork();
	assert_true(c >= 0);
	if (c == 0) {
		struct ifreq ifr = { .ifr_name = "lo" };
		int nfd = open(path, O_RDONLY | O_CLOEXEC), s;

		if (nfd < 0 || setns(nfd, CLONE_NEWNET) < 0)
			_exit(2);
		s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
			_exit(3);
		_exit(ifr.ifr_flags & IFF_UP ? 0 : 1);
	}
	assert_int_equal(waitpid(c, &status, 0), c);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* the fds the holder @pid has open, as "0 1 2 5 " */
static void fds_of(pid_t pid, char *out, size_t len)
{
	char path[64];
	struct dirent *e;
	DIR *d;
	int fd[64], n = 0, i, j;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	assert_non_null(d);
	while ((e = readdir(d)) && n < 64)
		if (e->d_name[0] != '.')
			fd[n++] = atoi(e->d_name);
	closedir(d);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && fd[j - 1] > fd[j]; j--) {
			int t = fd[j];

			fd[j] = fd[j - 1];
			fd[j - 1] = t;
		}
	out[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(out + strlen(out), len - strlen(out), "%d ", fd[i]);
}

static void stdio_is_null(pid_t pid)
{
	char path[64], target[64];
	ssize_t n;
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, i);
		n = readlink(path, target, sizeof(target) - 1);
		assert_true(n > 0);
		target[n] = '\0';
		assert_string_equal(target, "/dev/null");
	}
}

static int gone_within(pid_t pid, unsigned long long start, int ms)
{
	for (; ms > 0 && proc_alive(pid, start); ms -= 10)
		proc_sleep_ms(10);
	return !proc_alive(pid, start);
}

/* with the caller: a child in a new network namespace, loopback up, owning
 * nothing of ours but its quit pipe; stopping it reaps it */
static void with_caller(void **state)
{
	struct nsholder_opts o = { .what = "test", .userns_fd = -1,
				   .clone_flags = CLONE_NEWNET };
	struct nsholder h;
	unsigned long long start;
	char err[512] = "", fds[128], want[32];
	pid_t pid;
	int canary = open("/dev/null", O_RDONLY);	/* inheritable */

	(void)state;
	assert_true(canary >= 0);
	assert_int_equal(nsholder_start(&o, &h, err, sizeof(err)), 0);
	assert_true(h.pid > 0 && h.quit >= 0);
	assert_int_equal(proc_start_time(h.pid, &start), 0);
	assert_true(h.start == start);
	assert_true(ns_ino(h.pid, "net") != ns_ino(0, "net"));
	assert_true(ns_ino(h.pid, "mnt") == ns_ino(0, "mnt"));
	assert_true(lo_up_in(h.pid));
	stdio_is_null(h.pid);
	fds_of(h.pid, fds, sizeof(fds));
	assert_int_equal(strncmp(fds, "0 1 2 ", 6), 0);
	assert_int_equal(strchr(fds + 6, ' ') - fds, strlen(fds) - 1);	/* one more */
	snprintf(want, sizeof(want), " %d ", canary);
	assert_null(strstr(fds, want));
	pid = h.pid;
	nsholder_stop(&h);
	assert_int_equal(h.pid, 0);
	assert_int_equal(h.quit, -1);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);	/* reaped */
	assert_int_equal(errno, ECHILD);
	assert_false(proc_alive(pid, start));
	close(canary);
	nsholder_stop(&h);	/* twice: nothing to do */
}

/* a holder of @life started by a child that is then killed with SIGKILL,
 * after nsholder_commit() if @commit; the holder's PID and start time into
 * @pid, @start */
static void start_then_kill_creator(enum nsholder_life life, int commit, pid_t *pid,
				    unsigned long long *start)
{
	int p[2], status;
	pid_t mid;

	assert_int_equal(pipe(p), 0);
	mid = fork();
	assert_true(mid >= 0);
	if (mid == 0) {
		struct nsholder_opts o = { .userns_fd = -1, .clone_flags = CLONE_NEWNET,
					   .life = life };
		struct nsholder h;
		char err[256];

		if (nsholder_start(&o, &h, err, sizeof(err)) < 0 || h.quit < 0 ||
		    h.detached != (life == NSHOLDER_DETACHED) ||
		    (commit && nsholder_commit(&h) < 0) ||
		    /* committed: a detached holder's socket is closed, the
		     * other's is kept */
		    (h.quit < 0) != (commit && life == NSHOLDER_DETACHED) ||
		    write(p[1], &h.pid, sizeof(h.pid)) < 0 ||
		    write(p[1], &h.start, sizeof(h.start)) < 0)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], pid, sizeof(*pid)), sizeof(*pid));
	assert_int_equal(read(p[0], start, sizeof(*start)), sizeof(*start));
	close(p[0]);
	assert_true(proc_alive(*pid, *start));
	kill(mid, SIGKILL);
	assert_int_equal(waitpid(mid, &status, 0), mid);
}

/* a holder with the caller dies with it, even by SIGKILL */
static void dies_with_caller(void **state)
{
	unsigned long long start = 0;
	pid_t pid = 0;

	(void)state;
	start_then_kill_creator(NSHOLDER_WITH_CALLER, 0, &pid, &start);
	assert_true(gone_within(pid, start, 5000));
	/* committing one that lives with its caller changes nothing */
	start_then_kill_creator(NSHOLDER_WITH_CALLER, 1, &pid, &start);
	assert_true(gone_within(pid, start, 5000));
}

/* detached but not committed: its creator killed before it recorded the
 * holder leaves nothing running that no record names */
static void detached_uncommitted_ends_with_creator(void **state)
{
	unsigned long long start = 0;
	pid_t pid = 0;

	(void)state;
	start_then_kill_creator(NSHOLDER_DETACHED, 0, &pid, &start);
	assert_true(gone_within(pid, start, 5000));
}

/* detached and committed: nobody's child, a session of its own, survives
 * kill -9 of its creator; stopped only while it has its recorded start time */
static void detached_survives_creator(void **state)
{
	unsigned long long start = 0;
	pid_t pid = 0;

	(void)state;
	start_then_kill_creator(NSHOLDER_DETACHED, 1, &pid, &start);
	proc_sleep_ms(50);
	assert_true(proc_alive(pid, start));
	assert_true(getsid(pid) != getsid(0));	/* a session of its own */
	assert_true(lo_up_in(pid));
	stdio_is_null(pid);
	/* a record whose start time is not the holder's names another process */
	assert_int_equal(nsholder_kill(pid, start + 1, 1000), 0);
	assert_int_equal(nsholder_kill(pid, 0, 1000), 0);
	assert_true(proc_alive(pid, start));
	assert_int_equal(nsholder_kill(pid, start, 5000), 0);
	assert_false(proc_alive(pid, start));
	assert_int_equal(nsholder_kill(pid, start, 5000), 0);	/* already gone */
}

/* SIGTERM ends a detached holder; nsholder_stop() ends one we started */
static void detached_ends_on_sigterm(void **state)
{
	struct nsholder_opts o = { .userns_fd = -1, .clone_flags = CLONE_NEWNET,
				   .life = NSHOLDER_DETACHED };
	struct nsholder h;
	char err[256];
	pid_t pid;

	(void)state;
	assert_int_equal(nsholder_start(&o, &h, err, sizeof(err)), 0);
	assert_true(getpgid(h.pid) != getpgid(0));
	kill(h.pid, SIGTERM);
	assert_true(gone_within(h.pid, h.start, 5000));
	assert_int_equal(nsholder_start(&o, &h, err, sizeof(err)), 0);
	pid = h.pid;
	nsholder_stop(&h);
	assert_int_equal(h.pid, 0);
	assert_false(proc_alive(pid, 0));
	/* committed, then stopped; a commit to a holder that is gone fails */
	assert_int_equal(nsholder_start(&o, &h, err, sizeof(err)), 0);
	assert_int_equal(nsholder_commit(&h), 0);
	assert_int_equal(h.quit, -1);
	assert_int_equal(nsholder_commit(&h), 0);	/* twice: nothing to do */
	pid = h.pid;
	nsholder_stop(&h);
	assert_false(proc_alive(pid, 0));
	assert_int_equal(nsholder_start(&o, &h, err, sizeof(err)), 0);
	kill(h.pid, SIGKILL);
	assert_true(gone_within(h.pid, h.start, 5000));
	assert_int_equal(nsholder_commit(&h), -ECHILD);
	nsholder_stop(&h);
}

/* the set-up hook runs in the holder's own mount namespace, private */
struct mark {
	const char *dir;
};

static int mount_mark(void *data, char *why, size_t len)
{
	const struct mark *m = data;
	char path[PATH_MAX];
	int fd;

	if (mount("tmpfs", m->dir, "tmpfs", 0, "size=64k") < 0) {
		snprintf(why, len, "mount(%s): %s", m->dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/mark", m->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static void setup_hook_in_mount_namespace(void **state)
{
	struct mark m = { root };
	struct nsholder_opts o = { .userns_fd = -1, .clone_flags = CLONE_NEWNS,
				   .setup = mount_mark, .data = &m };
	char path[PATH_MAX + 64], err[256];
	struct nsholder h;

	(void)state;
	assert_int_equal(nsholder_start(&o, &h, err, sizeof(err)), 0);
	assert_true(ns_ino(h.pid, "mnt") != ns_ino(0, "mnt"));
	assert_true(ns_ino(h.pid, "net") == ns_ino(0, "net"));
	snprintf(path, sizeof(path), "%s/mark", root);
	assert_int_equal(access(path, F_OK), -1);	/* not in ours */
	snprintf(path, sizeof(path), "/proc/%d/root%s/mark", (int)h.pid, root);
	assert_int_equal(access(path, F_OK), 0);	/* in its own */
	nsholder_stop(&h);
}

/* before_unshare: the mount namespace it runs in, as an inode */
static int note_mnt(void *data, char *why, size_t len)
{
	struct stat st;

	(void)why;
	(void)len;
	if (stat("/proc/self/ns/mnt", &st) < 0)
		return -1;
	*(ino_t *)data = st.st_ino;
	return 0;
}

/* setup: answers with the mount namespace before_unshare saw and its own */
static int answer_mnt(void *data, char *why, size_t len)
{
	struct stat st;

	if (stat("/proc/self/ns/mnt", &st) < 0)
		return -1;
	snprintf(why, len, "%lu %lu", (unsigned long)*(ino_t *)data, (unsigned long)st.st_ino);
	return 0;
}

/* before_unshare runs in the caller's mount namespace, setup in the new one,
 * and setup's answer comes back to the caller */
static void hook_before_unshare_and_answer(void **state)
{
	ino_t seen = 0;
	char answer[64] = "x", err[256], want[64];
	struct nsholder_opts o = { .userns_fd = -1, .clone_flags = CLONE_NEWNS,
				   .before_unshare = note_mnt, .setup = answer_mnt,
				   .data = &seen, .answer = answer, .answer_len = sizeof(answer) };
	struct nsholder h;

	(void)state;
	assert_int_equal(nsholder_start(&o, &h, err, sizeof(err)), 0);
	assert_int_equal(seen, 0);	/* the holder's copy, not ours */
	snprintf(want, sizeof(want), "%lu %lu", (unsigned long)ns_ino(0, "mnt"),
		 (unsigned long)ns_ino(h.pid, "mnt"));
	assert_string_equal(answer, want);
	assert_true(ns_ino(h.pid, "mnt") != ns_ino(0, "mnt"));
	nsholder_stop(&h);

	/* no setup: no answer */
	o.setup = NULL;
	assert_int_equal(nsholder_start(&o, &h, err, sizeof(err)), 0);
	assert_string_equal(answer, "");
	nsholder_stop(&h);
}

static int hang(void *data, char *why, size_t len)
{
	(void)data;
	(void)why;
	(void)len;
	pause();
	return 0;
}

/* a hook that hangs: -ETIMEDOUT after timeout_ms, the holder is gone */
static void timeout(void **state)
{
	struct nsholder_opts o = { .what = "test", .userns_fd = -1, .setup = hang,
				   .timeout_ms = 300 };
	struct nsholder h;
	char err[256];

	(void)state;
	assert_int_equal(nsholder_start(&o, &h, err, sizeof(err)), -ETIMEDOUT);
	assert_string_equal(err, "test: no answer from its holder in 300 ms");
	assert_int_equal(h.pid, 0);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	o.before_unshare = hang;
	o.setup = NULL;
	o.timeout_ms = 1000;
	assert_int_equal(nsholder_start(&o, &h, err, sizeof(err)), -ETIMEDOUT);
	assert_string_equal(err, "test: no answer from its holder in 1 s");
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
}

static int refuse(void *data, char *why, size_t len)
{
	(void)data;
	snprintf(why, len, "no way");
	errno = EACCES;
	return -1;
}

/* failures carry the step and the errno; nothing is left running */
static void failures(void **state)
{
	struct nsholder_opts o = { .what = "test", .userns_fd = -1, .setup = refuse };
	struct nsholder h;
	char err[256];
	int fd;

	(void)state;
	assert_int_equal(nsholder_start(&o, &h, err, sizeof(err)), -EACCES);
	assert_string_equal(err, "test: no way");
	assert_int_equal(h.pid, 0);
	assert_int_equal(h.quit, -1);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);

	/* not a user namespace */
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	o.setup = NULL;
	o.userns_fd = fd;
	o.life = NSHOLDER_DETACHED;
	assert_int_equal(nsholder_start(&o, &h, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "test: setns(user namespace): Invalid argument");
	close(fd);
}

/* the caller's stdin closed: the holder's pipes may be fds 0 and 1 */
static void pipes_on_stdio(void **state)
{
	struct nsholder_opts o = { .userns_fd = -1, .clone_flags = CLONE_NEWNET };
	struct nsholder h;
	char err[256];
	int saved0 = dup(0), saved1 = dup(1), r;

	(void)state;
	fflush(stdout);
	close(0);
	close(1);
	r = nsholder_start(&o, &h, err, sizeof(err));
	dup2(saved0, 0);
	dup2(saved1, 1);
	close(saved0);
	close(saved1);
	assert_int_equal(r, 0);
	assert_true(lo_up_in(h.pid));
	nsholder_stop(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(with_caller),
		cmocka_unit_test(dies_with_caller),
		cmocka_unit_test(detached_uncommitted_ends_with_creator),
		cmocka_unit_test(detached_survives_creator),
		cmocka_unit_test(detached_ends_on_sigterm),
		cmocka_unit_test(setup_hook_in_mount_namespace),
		cmocka_unit_test(hook_before_unshare_and_answer),
		cmocka_unit_test(timeout),
		cmocka_unit_test(failures),
		cmocka_unit_test(pipes_on_stdio),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
