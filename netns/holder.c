// SPDX-License-Identifier: GPL-2.0-or-later
/* holder.c - the process that keeps a rootless network namespace alive */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "holder.h"
#include "netconf.h"
#include "state.h"


/* What the holder tells its creator once set up (or why it gave up) */
struct holder_msg {
	int err;		/* 0 or an errno value */
	int step;		/* which step failed */
	pid_t pid;
};

enum { STEP_OK, STEP_USERNS, STEP_NETNS, STEP_LOOPBACK };

static const char *const holder_steps[] = {
	"", "setns(user namespace)", "unshare(CLONE_NEWNET)", "netconf_link_up(lo)",
};

/* Close every fd from 3 up except @keep_a and @keep_b (-1 for none) */
static void close_all_but(int keep_a, int keep_b)
{
	int keep[2] = { keep_a < keep_b ? keep_a : keep_b,
			keep_a < keep_b ? keep_b : keep_a };
	unsigned lo = 3;
	int i;

	for (i = 0; i < 2; i++) {
		if (keep[i] < (int)lo)
			continue;
		if ((unsigned)keep[i] > lo)
			close_range(lo, (unsigned)keep[i] - 1, 0);
		lo = (unsigned)keep[i] + 1;
	}
	close_range(lo, ~0U, 0);
}

/* The holder itself: enter, set up, report, then wait to be killed */
static void __attribute__((noreturn)) holder_main(int userns_fd, int report)
{
	struct holder_msg msg = { 0, STEP_OK, getpid() };
	sigset_t all;
	int fd;

	/* own nothing of the CLI: no lock fds, no pipes to its callers */
	close_all_but(userns_fd, report);
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	if (chdir("/") < 0)
		_exit(1);
	prctl(PR_SET_NAME, "burrow-netns-h", 0, 0, 0);

	if (userns_fd >= 0 && setns(userns_fd, CLONE_NEWUSER) < 0) {
		msg.err = errno;
		msg.step = STEP_USERNS;
	} else if (unshare(CLONE_NEWNET) < 0) {
		msg.err = errno;
		msg.step = STEP_NETNS;
	} else {
		int ret = netconf_loopback_up();

		if (ret < 0) {
			msg.err = -ret;
			msg.step = STEP_LOOPBACK;
		}
	}
	if (userns_fd >= 0)
		close(userns_fd);
	if (write(report, &msg, sizeof(msg)) != sizeof(msg) || msg.err)
		_exit(1);
	close(report);

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	for (;;) {
		int sig;

		/* SIGTERM, SIGINT, SIGHUP end it; SIGKILL always does */
		if (sigwait(&all, &sig) == 0 &&
		    (sig == SIGTERM || sig == SIGINT || sig == SIGHUP))
			_exit(0);
	}
}

/**
 * holder_spawn() - start a holder in a new network namespace, inside the user
 *		    namespace behind @userns_fd (or the caller's if -1), with
 *		    loopback up
 * @userns_fd:	user namespace to join first, or -1
 * @pid:	out: holder PID
 * @start:	out: holder start time (see proc_start_time())
 * @err:	reason on failure ("setns(user namespace): Operation not permitted")
 * @errlen:	size of @err
 *
 * Return: 0 once the namespace is ready, or -errno
 */
int holder_spawn(int userns_fd, pid_t *pid, unsigned long long *start,
		 char *err, size_t errlen)
{
	struct holder_msg msg;
	int p[2], status, ret;
	pid_t mid;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) < 0) {
		ret = -errno;
		snprintf(err, errlen, "pipe2: %s", strerror(-ret));
		return ret;
	}
	mid = fork();
	if (mid < 0) {
		ret = -errno;
		snprintf(err, errlen, "fork: %s", strerror(-ret));
		close(p[0]);
		close(p[1]);
		return ret;
	}
	if (mid == 0) {
		pid_t h;

		/* the middle process: new session, fork the holder, leave, so
		 * the holder is nobody's child and outlives this command */
		close(p[0]);
		setsid();
		h = fork();
		if (h < 0) {
			struct holder_msg m = { errno, STEP_OK, 0 };

			if (write(p[1], &m, sizeof(m)) < 0)
				_exit(1);
			_exit(1);
		}
		if (h == 0) {
			signal(SIGHUP, SIG_DFL);
			holder_main(userns_fd, p[1]);
		}
		_exit(0);
	}
	close(p[1]);
	while (waitpid(mid, &status, 0) < 0 && errno == EINTR)
		;
	do
		n = read(p[0], &msg, sizeof(msg));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	if (n != sizeof(msg)) {
		snprintf(err, errlen, "namespace holder died while starting");
		return -ECHILD;
	}
	if (msg.err) {
		if (msg.step == STEP_OK)
			snprintf(err, errlen, "fork: %s", strerror(msg.err));
		else
			snprintf(err, errlen, "%s: %s", holder_steps[msg.step],
				 strerror(msg.err));
		return -msg.err;
	}
	*pid = msg.pid;
	ret = proc_start_time(msg.pid, start);
	if (ret < 0) {
		snprintf(err, errlen, "/proc/%d/stat: %s", (int)msg.pid, strerror(-ret));
		kill(msg.pid, SIGKILL);
		return ret;
	}
	return 0;
}

/* Sleep @ms milliseconds */
static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/**
 * holder_stop() - kill the holder @pid if it still is the one started at
 *		   @start, and wait (up to @timeout_ms) until it has exited
 * @pid:	holder PID
 * @start:	its recorded start time
 * @timeout_ms:	how long to wait for the exit
 *
 * Return: 0 (also when it was already gone), -ETIMEDOUT, or -errno from kill()
 */
int holder_stop(pid_t pid, unsigned long long start, int timeout_ms)
{
	unsigned long long now;
	int waited = 0;

	if (proc_start_time(pid, &now) < 0 || now != start)
		return 0;
	if (kill(pid, SIGKILL) < 0)
		return errno == ESRCH ? 0 : -errno;
	/* it is not our child: watch /proc until it is gone or a zombie */
	while (proc_start_time(pid, &now) == 0 && now == start) {
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		sleep_ms(10);
		waited += 10;
	}
	return 0;
}
