// SPDX-License-Identifier: GPL-2.0-or-later
/* runtime.c - calling the OCI runtime (crun, runc) and explaining its failures */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
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
#include "runtime.h"

static int executable(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

int find_program(const char *name, char *out, size_t len)
{
	char self[PATH_MAX], *slash;
	const char *path = getenv("PATH"), *p;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(out, len, "%s/%s", self, name);
			if (executable(out))
				return 0;
		}
	}
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

/* append up to @len bytes of @path to @buf (holding @got bytes, room @room) */
static size_t slurp(const char *path, char *buf, size_t got, size_t room)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t k;

	while (fd >= 0 && got + 1 < room) {
		k = read(fd, buf + got, room - 1 - got);
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	return got;
}

int runtime_exec(const struct ctr *c, char *const *args, const int *stdio,
		 char *errbuf, size_t errlen)
{
	char bin[PATH_MAX], logpath[PATH_MAX + 16];
	const char *argv[64];
	size_t n = 0, i, got = 0;
	int efd[2], status, r;
	pid_t pid;

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
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(efd[0]);
		close(efd[1]);
		return r;
	}
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		if (stdio) {
			/* the container's stdio; the runtime's messages go to --log */
			dup2(stdio[0], 0);
			dup2(stdio[1], 1);
			dup2(stdio[2], 2);
		} else {
			int nul = open("/dev/null", O_RDONLY);

			dup2(nul, 0);
			dup2(efd[1], 2);
		}
		execv(bin, (char *const *)argv);
		dprintf(efd[1], "exec %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	close(efd[1]);
	for (;;) {
		char tmp[1024];
		ssize_t k = read(efd[0], tmp, sizeof(tmp));

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
	close(efd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (errbuf && errlen) {
		got = slurp(logpath, errbuf, got, errlen);
		errbuf[got] = '\0';
	}
	unlink(logpath);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
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
