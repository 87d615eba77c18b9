// SPDX-License-Identifier: GPL-2.0-or-later
/* runtime.c - calling the OCI runtime (crun, runc) and explaining its failures */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <spawn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* messages that name long paths may be cut short: that is fine */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "cleanup.h"
#include "file.h"
#include "proc.h"
#include "runtime.h"

static int executable(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

int find_program(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH"), *p;

	if (proc_sibling(name, out, len) == 0 && executable(out))
		return 0;
	if (!path || !*path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (p = path; *p;) {
		size_t l = strcspn(p, ":");

		if (l) {
			snprintf(out, len, "%.*s/%s", (int)l, p, name);
			if (executable(out))
				return 0;
		}
		p += l;
		if (*p == ':')
			p++;
	}
	return -ENOENT;
}

/*
 * spawn the runtime with posix_spawn(): glibc makes the child with
 * clone(CLONE_VM | CLONE_VFORK), so no page tables are copied and nothing is
 * faulted back in afterwards, most of what a fork() costs on small VMs.  The
 * child gets an empty signal mask (a foreground run blocks the signals it
 * passes on) and default dispositions; with @own_pgrp a process group of its
 * own, so that signals to our group (a terminal's ^C, `timeout`) reach only us.
 */
static int spawn_runtime(const char *bin, const char *const *argv, const int *stdio,
			 int errfd, int own_pgrp, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;
	int r;

	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGQUIT);
	sigaddset(&dfl, SIGPIPE);
	if (posix_spawn_file_actions_init(&fa))
		return -ENOMEM;
	if (posix_spawnattr_init(&at)) {
		posix_spawn_file_actions_destroy(&fa);
		return -ENOMEM;
	}
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
				 (own_pgrp ? POSIX_SPAWN_SETPGROUP : 0));
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	if (stdio) {
		/* the container's stdio; the runtime's messages go to --log */
		posix_spawn_file_actions_adddup2(&fa, stdio[0], 0);
		posix_spawn_file_actions_adddup2(&fa, stdio[1], 1);
		posix_spawn_file_actions_adddup2(&fa, stdio[2], 2);
	} else {
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
		posix_spawn_file_actions_adddup2(&fa, errfd, 2);
	}
	r = posix_spawn(pid, bin, &fa, &at, (char *const *)argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return -r;
}

int runtime_start(const struct ctr *c, char *const *args, const int *stdio, int own_pgrp,
		  struct runtime_proc *rp)
{
	char bin[PATH_MAX], logpath[PATH_MAX + 16];
	const char *argv[64];
	size_t n = 0, i;
	int efd[2], r;

	rp->pid = 0;
	rp->errfd = -1;
	rp->killed_by = 0;
	if (find_program(c->runtime, bin, sizeof(bin)) < 0)
		return -ENOENT;
	state_path(c, "runtime.log", logpath, sizeof(logpath));
	unlink(logpath);
	argv[n++] = c->runtime;
	argv[n++] = "--root";
	argv[n++] = c->runtime_root;
	argv[n++] = "--log";
	argv[n++] = logpath;
	if (c->rootless && !strcmp(c->runtime, "crun"))
		argv[n++] = "--cgroup-manager=disabled";
	for (i = 0; args[i] && n < ARRAY_SIZE(argv) - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;

	if (pipe2(efd, O_CLOEXEC) < 0)
		return -errno;
	r = spawn_runtime(bin, argv, stdio, efd[1], own_pgrp, &rp->pid);
	close(efd[1]);
	if (r < 0) {
		close(efd[0]);
		rp->pid = 0;
		return r;
	}
	rp->errfd = efd[0];
	return 0;
}

int runtime_finish(const struct ctr *c, struct runtime_proc *rp, char *errbuf, size_t errlen)
{
	char logpath[PATH_MAX + 16];
	size_t got = 0;
	int status;

	for (;;) {
		char tmp[1024];
		ssize_t k = read(rp->errfd, tmp, sizeof(tmp));

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		if (errbuf && got + 1 < errlen) {
			size_t take = (size_t)k < errlen - 1 - got ? (size_t)k : errlen - 1 - got;

			memcpy(errbuf + got, tmp, take);
			got += take;
		}
	}
	close(rp->errfd);
	rp->errfd = -1;
	while (waitpid(rp->pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	rp->pid = 0;
	state_path(c, "runtime.log", logpath, sizeof(logpath));
	if (errbuf && errlen) {
		long k = file_read_text(logpath, errbuf + got, errlen - got);

		if (k > 0)
			got += (size_t)k;
		errbuf[got] = '\0';
	}
	unlink(logpath);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	rp->killed_by = WTERMSIG(status);
	return 128 + WTERMSIG(status);
}

int runtime_exec(const struct ctr *c, char *const *args, const int *stdio,
		 char *errbuf, size_t errlen)
{
	struct runtime_proc rp;
	int r = runtime_start(c, args, stdio, 0, &rp);

	return r < 0 ? r : runtime_finish(c, &rp, errbuf, errlen);
}

const char *runtime_explain(const char *runtime, const char *msg, int hugetlb_hybrid)
{
	if (!strcmp(runtime, "crun") && msg && strstr(msg, "hugetlb"))
		hugetlb_hybrid = 1;
	if (hugetlb_hybrid && !strcmp(runtime, "crun"))
		return "this machine runs hybrid cgroups with the hugetlb controller on the v2 "
		       "hierarchy, and crun 1.8 refuses to start containers there. As root, run: "
		       RUNTIME_HUGETLB_REMEDY " (or use --runtime runc)";
	if (msg && (strstr(msg, "newuidmap") || strstr(msg, "newgidmap")))
		return "the subordinate ID maps could not be written: check that newuidmap and "
		       "newgidmap are installed setuid (apt-get install uidmap) and that your "
		       "ranges in /etc/subuid and /etc/subgid are right";
	if (msg && strstr(msg, "executable file") && strstr(msg, "not found"))
		return "the command does not exist in the root filesystem";
	return NULL;
}

char *runtime_last_line(char *msg)
{
	size_t n = strlen(msg);
	char *p;

	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	p = strrchr(msg, '\n');
	return p ? p + 1 : msg;
}

const char *runtime_failure(const char *runtime, const char *step, char *errbuf, char *msg,
			    size_t msglen)
{
	const char *why = runtime_explain(runtime, errbuf, 0);

	if (!why && !strcmp(runtime, "crun") && cgroup_hugetlb_hybrid())
		why = runtime_explain(runtime, errbuf, 1);
	snprintf(msg, msglen, "%s %s failed: %s%s%s", runtime, step,
		 errbuf[0] ? runtime_last_line(errbuf) : "no message",
		 why ? "\nburrow: " : "", why ? why : "");
	return msg;
}

int cgroup_hugetlb_hybrid(void)
{
	char line[512];
	int v2_hugetlb = 0, v1_hugetlb = 0;
	FILE *f;

	f = fopen("/sys/fs/cgroup/unified/cgroup.controllers", "re");
	if (!f)
		return 0;
	if (fgets(line, sizeof(line), f) && strstr(line, "hugetlb"))
		v2_hugetlb = 1;
	fclose(f);
	f = fopen("/proc/self/cgroup", "re");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (strstr(line, ":hugetlb:"))
				v1_hugetlb = 1;
		fclose(f);
	}
	return v2_hugetlb || !v1_hugetlb;
}
