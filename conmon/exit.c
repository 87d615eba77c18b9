// SPDX-License-Identifier: GPL-2.0-or-later
/* exit.c - exit files, OOM detection, exit command */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "exit.h"
#include "log.h"
#include "proc.h"

int exit_code_from_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 255;
}

int exit_write_file(const char *dir, const char *name, int code)
{
	char path[PATH_MAX], tmp[PATH_MAX], text[16];
	_cleanup_close_ int fd = -1;
	int len;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	len = snprintf(text, sizeof(text), "%d", code);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, (size_t)len) != len) {
		int e = -errno;

		err("write(%s): %s", tmp, strerror(errno));
		unlink(tmp);
		return e;
	}
	if (rename(tmp, path) < 0) {
		int e = -errno;

		err("rename(%s, %s): %s", tmp, path, strerror(errno));
		unlink(tmp);
		return e;
	}
	return 0;
}

long long oom_parse_count(const char *text)
{
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, "oom_kill ", 9))
			return strtoll(p + 9, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

/* Read the OOM counter through the kept descriptor */
static long long oom_read(int fd)
{
	char buf[1024];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return oom_parse_count(buf);
}

void oom_watch_open(struct oom_watch *w, pid_t pid)
{
	char path[PATH_MAX], line[PATH_MAX], v1[PATH_MAX] = "", v2[PATH_MAX] = "";
	struct stat st;
	FILE *f;

	w->fd = -1;
	w->start = 0;
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *nl = strchr(line, '\n'), *c1 = strchr(line, ':'), *c2;

		if (nl)
			*nl = '\0';
		if (!c1 || !(c2 = strchr(c1 + 1, ':')))
			continue;
		*c2 = '\0';
		if (!strcmp(c1 + 1, ""))
			snprintf(v2, sizeof(v2), "%s", c2 + 1);
		else if (strstr(c1 + 1, "memory"))
			snprintf(v1, sizeof(v1), "%s", c2 + 1);
	}
	fclose(f);
	if (v1[0])
		snprintf(path, sizeof(path), "/sys/fs/cgroup/memory%s/memory.oom_control", v1);
	else if (v2[0] && !stat("/sys/fs/cgroup/unified", &st))
		snprintf(path, sizeof(path), "/sys/fs/cgroup/unified%s/memory.events", v2);
	else if (v2[0])
		snprintf(path, sizeof(path), "/sys/fs/cgroup%s/memory.events", v2);
	else
		return;
	w->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (w->fd < 0)
		return;
	w->start = oom_read(w->fd);
	if (w->start < 0) {
		close(w->fd);
		w->fd = -1;
	}
}

int oom_watch_fired(struct oom_watch *w)
{
	if (w->fd < 0)
		return 0;
	return oom_read(w->fd) > w->start;
}

void oom_watch_close(struct oom_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

pid_t exit_run_command(const char *path, const char *const *args, size_t n, int delay)
{
	const char *argv[n + 2];
	sigset_t none;
	pid_t pid;
	size_t i;

	argv[0] = path;
	for (i = 0; i < n; i++)
		argv[i + 1] = args[i];
	argv[n + 1] = NULL;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0)
		return pid;
	setsid();
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	proc_stdio_null();
	syscall(SYS_close_range, 3U, ~0U, 0U);
	if (delay > 0)
		sleep((unsigned)delay);
	execv(path, (char *const *)argv);
	_exit(127);
}
