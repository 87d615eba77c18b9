// SPDX-License-Identifier: GPL-2.0-or-later
/* nsholder.c - a process holding the container's network (and user) namespace */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "netconf.h"
#include "nsholder.h"

/* the holder's body: enter/make namespaces, report, wait for the quit pipe */
static void holder_main(int usernsfd, int ready, int quit, int persist)
{
	char c, why[128] = "";
	sigset_t none;

	/* keep only what we need: no lock, pipe or socket of the caller
	 * (moved out of the way first so that the dup2()s cannot clobber) */
	ready = fcntl(ready, F_DUPFD, 100);
	quit = fcntl(quit, F_DUPFD, 100);
	if (usernsfd >= 0)
		usernsfd = fcntl(usernsfd, F_DUPFD, 100);
	if (ready < 0 || quit < 0 || dup2(ready, 3) < 0 || dup2(quit, 4) < 0 || (usernsfd >= 0 && dup2(usernsfd, 5) < 0))
		_exit(1);
	ready = 3;
	quit = 4;
	if (usernsfd >= 0)
		usernsfd = 5;
	close_range(6, ~0U, 0);
	/* nor the caller's stdio: a $(burrow run -d ...) must see its end */
	{
		int nul = open("/dev/null", O_RDWR);

		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
			dup2(nul, 2);
			if (nul > 5)
				close(nul);
		}
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (persist)
		setsid();
	else
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (usernsfd >= 0) {
		if (setns(usernsfd, CLONE_NEWUSER) < 0) {
			snprintf(why, sizeof(why), "setns(user namespace): %s", strerror(errno));
			goto out;
		}
		/* entering the namespace changed our credentials, which cleared
		 * dumpable; the helpers must open /proc/PID/ns of this process */
		prctl(PR_SET_DUMPABLE, 1);
	}
	if (unshare(CLONE_NEWNET) < 0) {
		snprintf(why, sizeof(why), "unshare(CLONE_NEWNET): %s", strerror(errno));
		goto out;
	}
	if (netconf_loopback_up() < 0) {
		snprintf(why, sizeof(why), "bring up lo in the new network namespace failed");
		goto out;
	}
out:
	if (write(ready, why[0] ? why : "O", why[0] ? strlen(why) : 1) < 0)
		_exit(1);
	close(ready);
	if (why[0])
		_exit(1);
	if (persist) {
		close(quit);
		for (;;)
			pause();
	}
	while (read(quit, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

int nsholder_start(const struct userns_maps *maps, int persist, struct nsholder *h,
		   char *err, size_t errlen)
{
	int ready[2] = { -1, -1 }, quit[2] = { -1, -1 }, r = 0, ufd = -1;
	char buf[160];
	ssize_t n;

	h->pid = 0;
	h->uholder = 0;
	h->quit = -1;
	if (maps) {
		ufd = userns_create(maps, &h->uholder, err, errlen);
		if (ufd < 0)
			return ufd;
	}
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(quit, O_CLOEXEC) < 0) {
		r = -errno;
		snprintf(err, errlen, "pipe(): %s", strerror(errno));
		goto fail;
	}
	h->pid = fork();
	if (h->pid < 0) {
		r = -errno;
		h->pid = 0;
		snprintf(err, errlen, "fork(): %s", strerror(errno));
		goto fail;
	}
	if (h->pid == 0) {
		close(ready[0]);
		close(quit[1]);
		holder_main(ufd, ready[1], quit[0], persist);
	}
	close(ready[1]);
	close(quit[0]);
	h->quit = quit[1];
	n = read(ready[0], buf, sizeof(buf) - 1);
	close(ready[0]);
	if (n != 1 || buf[0] != 'O') {
		buf[n > 0 ? n : 0] = '\0';
		snprintf(err, errlen, "network namespace: %s", n > 0 ? buf : "holder died");
		r = -EIO;
		goto fail_holder;
	}
	if (ufd >= 0)
		close(ufd);
	return 0;

fail_holder:
	nsholder_stop(h);
	if (ufd >= 0)
		close(ufd);
	return r;
fail:
	for (int i = 0; i < 2; i++) {
		if (ready[i] >= 0)
			close(ready[i]);
		if (quit[i] >= 0)
			close(quit[i]);
	}
	if (ufd >= 0)
		close(ufd);
	if (h->uholder)
		userns_release(h->uholder);
	h->uholder = 0;
	return r;
}

void nsholder_stop(struct nsholder *h)
{
	if (h->quit >= 0)
		close(h->quit);
	h->quit = -1;
	if (h->pid > 0) {
		kill(h->pid, SIGKILL);
		while (waitpid(h->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	h->pid = 0;
	if (h->uholder)
		userns_release(h->uholder);
	h->uholder = 0;
}
