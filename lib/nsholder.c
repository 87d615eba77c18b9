// SPDX-License-Identifier: GPL-2.0-or-later
/* nsholder.c - a small process that makes namespaces and holds them */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "file.h"
#include "netconf.h"
#include "nsholder.h"
#include "proc.h"

/* the longest reason a holder reports, with room for a path */
#define NSHOLDER_WHY	(PATH_MAX + 256)

/* Close every fd from 3 up except the @n in @keep (entries below 3 ignored) */
static void close_all_but(const int *keep, size_t n)
{
	int sorted[3];
	size_t m = 0, i, j;
	unsigned lo = 3;

	for (i = 0; i < n && m < 3; i++)
		if (keep[i] >= 3)
			sorted[m++] = keep[i];
	for (i = 1; i < m; i++)
		for (j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
			int t = sorted[j];

			sorted[j] = sorted[j - 1];
			sorted[j - 1] = t;
		}
	for (i = 0; i < m; i++) {
		if ((unsigned)sorted[i] > lo)
			close_range(lo, (unsigned)sorted[i] - 1, 0);
		lo = (unsigned)sorted[i] + 1;
	}
	close_range(lo, ~0U, 0);
}

/* @fd moved to 3 or above (stdio is about to be replaced), or -1 */
static int above_stdio(int fd)
{
	return fd >= 0 && fd < 3 ? fcntl(fd, F_DUPFD_CLOEXEC, 3) : fd;
}

/* Call the hook @fn of @o; 0, or -1 with "<errno> <reason>" in @why.  On
 * success what @fn left in its buffer goes to @answer (@anslen bytes) unless
 * it is NULL */
static int holder_hook(const struct nsholder_opts *o, int (*fn)(void *, char *, size_t),
		       char *why, size_t len, char *answer, size_t anslen)
{
	char msg[NSHOLDER_WHY - 16] = "";
	int e;

	errno = 0;
	if (fn(o->data, msg, sizeof(msg)) < 0) {
		e = errno ? errno : EIO;
		snprintf(why, len, "%d %s", e, msg[0] ? msg : "set-up failed");
		return -1;
	}
	if (answer)
		snprintf(answer, anslen, "%s", msg);
	return 0;
}

/* Make the namespaces of @o; 0 with @setup's answer in @answer (@anslen
 * bytes), or -1 with the reason in @why */
static int holder_setup(const struct nsholder_opts *o, int userns_fd, char *why, size_t len,
			char *answer, size_t anslen)
{
	int e;

	if (chdir("/") < 0) {
		snprintf(why, len, "%d chdir(/): %s", errno, strerror(errno));
		return -1;
	}
	if (userns_fd >= 0 && setns(userns_fd, CLONE_NEWUSER) < 0) {
		snprintf(why, len, "%d setns(user namespace): %s", errno, strerror(errno));
		return -1;
	}
	if (o->before_unshare &&
	    holder_hook(o, o->before_unshare, why, len, NULL, 0) < 0)
		return -1;
	if (o->clone_flags && unshare(o->clone_flags) < 0) {
		e = errno;
		snprintf(why, len, "%d unshare(%s): %s", e,
			 o->clone_flags == CLONE_NEWNET ? "CLONE_NEWNET" :
			 o->clone_flags == CLONE_NEWNS ? "CLONE_NEWNS" : "CLONE_NEWNET|CLONE_NEWNS",
			 strerror(e));
		return -1;
	}
	if ((o->clone_flags & CLONE_NEWNS) &&
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		snprintf(why, len, "%d mount(/, private): %s", errno, strerror(errno));
		return -1;
	}
	if (o->clone_flags & CLONE_NEWNET) {
		e = netconf_loopback_up();
		if (e < 0) {
			snprintf(why, len, "%d netconf_loopback_up(): %s", -e, strerror(-e));
			return -1;
		}
	}
	if (o->setup && holder_hook(o, o->setup, why, len, answer, anslen) < 0)
		return -1;
	/* entering a user namespace cleared dumpable; helpers of the same
	 * user open /proc/PID/ns of this process */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	return 0;
}

/* The holder: set up, report "O<pid>", "O<pid> <answer>" or "E<errno> <why>"
 * on @ready, then wait for its end */
static void __attribute__((noreturn)) holder_main(const struct nsholder_opts *o,
						  int userns_fd, int ready, int quit,
						  pid_t creator)
{
	char why[NSHOLDER_WHY] = "", answer[NSHOLDER_WHY] = "", ok[NSHOLDER_WHY + 32];
	int keep[3], n;
	sigset_t set;

	if (o->life == NSHOLDER_WITH_CALLER) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != creator)	/* it died before the line above */
			_exit(1);
	}
	keep[0] = userns_fd = above_stdio(userns_fd);
	keep[1] = ready = above_stdio(ready);
	keep[2] = quit = above_stdio(quit);
	/* own nothing of the creator: no fds but @keep, stdio on /dev/null */
	close_all_but(keep, 3);
	proc_stdio_null();
	prctl(PR_SET_NAME, "burrow-nsholder", 0, 0, 0);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);

	if (ready < 0 ||
	    holder_setup(o, userns_fd, why, sizeof(why), answer, sizeof(answer)) < 0) {
		if (ready >= 0 && write(ready, "E", 1) == 1 && write(ready, why, strlen(why)) < 0)
			_exit(1);
		_exit(1);
	}
	if (userns_fd >= 0)
		close(userns_fd);
	n = snprintf(ok, sizeof(ok), "O%d%s%s", (int)getpid(), answer[0] ? " " : "", answer);
	if (write(ready, ok, (size_t)n) != n)
		_exit(1);
	close(ready);

	if (o->life == NSHOLDER_WITH_CALLER) {
		char c;

		while (read(quit, &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	/* detached: the creator's end closing before its commit byte (it
	 * failed, gave up or was killed before it recorded us) ends us */
	{
		char c = 0;

		while ((n = (int)read(quit, &c, 1)) < 0 && errno == EINTR)
			;
		if (n != 1 || c != 'C')
			_exit(0);
		close(quit);
	}
	sigfillset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	for (;;) {
		int sig;

		/* SIGTERM, SIGINT, SIGHUP end it; SIGKILL always does */
		if (sigwait(&set, &sig) == 0 && (sig == SIGTERM || sig == SIGINT || sig == SIGHUP))
			_exit(0);
	}
}

/* Read the holder's report from @fd into @buf (@len bytes, NUL-terminated)
 * until the holder closes it, for at most @timeout_ms (0: no limit).
 * Return: its length, or -errno (-ETIMEDOUT) */
static long holder_read(int fd, char *buf, size_t len, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t end = clock_ms() + (uint64_t)timeout_ms, now;
	size_t used = 0;
	ssize_t n;
	int r;

	if (!timeout_ms)
		return file_read_buf(fd, buf, len);
	for (;;) {
		now = clock_ms();
		r = now < end ? poll(&p, 1, (int)(end - now)) : 0;
		if (r == 0)
			return -ETIMEDOUT;
		n = r < 0 ? -1 : read(fd, buf + used, len - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || (used += (size_t)n) == len - 1)
			break;
	}
	buf[used] = '\0';
	return n < 0 && !used ? -errno : (long)used;
}

/* Parse the holder's report @buf (@n bytes): its PID (its answer copied to
 * @answer, @anslen bytes, if not NULL), or -errno with @err set */
static int holder_report(const char *what, const char *buf, long n, char *answer,
			 size_t anslen, char *err, size_t errlen)
{
	char *end;
	long v;

	if (n > 1 && buf[0] == 'O') {
		v = strtol(buf + 1, &end, 10);
		if ((!*end || *end == ' ') && v > 0) {
			if (answer)
				snprintf(answer, anslen, "%s", *end ? end + 1 : "");
			return (int)v;
		}
	}
	if (n > 1 && buf[0] == 'E') {
		v = strtol(buf + 1, &end, 10);
		if (*end == ' ' && v > 0 && v < 4096) {
			snprintf(err, errlen, "%s: %s", what, end + 1);
			return -(int)v;
		}
	}
	snprintf(err, errlen, "%s: its holder died while starting", what);
	return -ECHILD;
}

int nsholder_start(const struct nsholder_opts *o, struct nsholder *h,
		   char *err, size_t errlen)
{
	const char *what = o->what ? o->what : "namespace holder";
	int ready[2] = { -1, -1 }, quit[2] = { -1, -1 }, ufd = o->userns_fd, r;
	pid_t uholder = 0, child, creator = getpid();
	char buf[NSHOLDER_WHY + 16];
	long n;

	h->pid = 0;
	h->start = 0;
	h->quit = -1;
	h->detached = o->life == NSHOLDER_DETACHED;
	if (o->answer && o->answer_len)
		o->answer[0] = '\0';
	if (o->maps) {
		ufd = userns_create(o->maps, &uholder, err, errlen);
		if (ufd < 0)
			return ufd;
	}
	/* quit: a socket pair, so that a commit to a holder that is gone
	 * fails with EPIPE instead of raising SIGPIPE */
	if (pipe2(ready, O_CLOEXEC) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, quit) < 0) {
		r = -errno;
		snprintf(err, errlen, "%s: pipe2()/socketpair(): %s", what, strerror(-r));
		goto out;
	}
	child = fork();
	if (child < 0) {
		r = -errno;
		snprintf(err, errlen, "%s: fork(): %s", what, strerror(-r));
		goto out;
	}
	if (child == 0) {
		close(ready[0]);
		if (quit[1] >= 0)
			close(quit[1]);
		if (o->life == NSHOLDER_DETACHED) {
			/* the middle process: a new session, fork the holder,
			 * leave, so that the holder is nobody's child */
			setsid();
			child = fork();
			if (child < 0)
				dprintf(ready[1], "E%d fork(): %s", errno, strerror(errno));
			if (child != 0)
				_exit(child < 0);
		}
		holder_main(o, ufd, ready[1], quit[0], creator);
	}
	close(ready[1]);
	ready[1] = -1;
	if (quit[0] >= 0)
		close(quit[0]);
	quit[0] = -1;
	if (o->life == NSHOLDER_DETACHED)
		while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
			;
	n = holder_read(ready[0], buf, sizeof(buf), o->timeout_ms);
	if (n == -ETIMEDOUT) {
		snprintf(err, errlen, "%s: no answer from its holder in %d %s", what,
			 o->timeout_ms % 1000 ? o->timeout_ms : o->timeout_ms / 1000,
			 o->timeout_ms % 1000 ? "ms" : "s");
		r = -ETIMEDOUT;
	} else {
		r = holder_report(what, buf, n, o->answer, o->answer_len, err, errlen);
	}
	if (r > 0 && o->life == NSHOLDER_WITH_CALLER && r != child)
		r = holder_report(what, "", 0, NULL, 0, err, errlen);
	if (r < 0) {
		if (o->life == NSHOLDER_WITH_CALLER) {
			kill(child, SIGKILL);
			while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
				;
		}
		goto out;
	}
	h->pid = r;
	h->quit = quit[1];
	quit[1] = -1;
	r = proc_start_time(h->pid, &h->start);
	if (r < 0) {
		snprintf(err, errlen, "%s: /proc/%d/stat: %s", what, (int)h->pid, strerror(-r));
		nsholder_stop(h);
	}
out:
	for (int i = 0; i < 2; i++) {
		if (ready[i] >= 0)
			close(ready[i]);
		if (quit[i] >= 0)
			close(quit[i]);
	}
	/* the holder keeps the user namespace alive by itself now */
	if (o->maps) {
		close(ufd);
		userns_release(uholder);
	}
	return r < 0 ? r : 0;
}

int nsholder_commit(struct nsholder *h)
{
	ssize_t n;

	if (!h->detached || h->quit < 0)
		return 0;
	while ((n = send(h->quit, "C", 1, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	close(h->quit);
	h->quit = -1;
	/* a send to a socket whose peer is gone fails (EPIPE) */
	return n == 1 && proc_alive(h->pid, h->start) ? 0 : -ECHILD;
}

void nsholder_stop(struct nsholder *h)
{
	int child = !h->detached && h->quit >= 0;

	if (h->quit >= 0)
		close(h->quit);
	h->quit = -1;
	if (h->pid > 0 && child) {
		/* a wait for any child (a supervisor's) may have reaped it */
		if (proc_alive(h->pid, h->start))
			kill(h->pid, SIGKILL);
		while (waitpid(h->pid, NULL, 0) < 0 && errno == EINTR)
			;
	} else if (h->pid > 0) {
		nsholder_kill(h->pid, h->start, 5000);
	}
	h->pid = 0;
	h->start = 0;
}

int nsholder_kill(pid_t pid, unsigned long long start, int timeout_ms)
{
	int waited = 0;

	/* no start time recorded: nothing tells it from a reused PID */
	if (!start || !proc_alive(pid, start))
		return 0;
	if (kill(pid, SIGKILL) < 0)
		return errno == ESRCH ? 0 : -errno;
	/* not our child: watch /proc until it is gone or a zombie */
	while (proc_alive(pid, start)) {
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		proc_sleep_ms(10);
		waited += 10;
	}
	return 0;
}
