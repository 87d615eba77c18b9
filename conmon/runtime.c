// SPDX-License-Identifier: GPL-2.0-or-later
/* runtime.c - OCI runtime invocation and the sync pipe protocol */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "file.h"
#include "runtime.h"

#include <sys/syscall.h>

/* Append to a bounded argv; -E2BIG when full (room is kept for the NULL) */
static int argv_add(const char **argv, size_t max, size_t *n, const char *s)
{
	if (*n + 1 >= max)
		return -E2BIG;
	argv[(*n)++] = s;
	return 0;
}

int runtime_build_argv(const struct mon_opts *o, const char *console_socket,
		       const char **argv, size_t max)
{
	size_t n = 0, i;
	int r = 0;

	r |= argv_add(argv, max, &n, o->runtime);
	if (o->systemd_cgroup)
		r |= argv_add(argv, max, &n, "--systemd-cgroup");
	for (i = 0; i < o->n_runtime_args; i++)
		r |= argv_add(argv, max, &n, o->runtime_args[i]);
	if (o->exec) {
		r |= argv_add(argv, max, &n, "exec");
		r |= argv_add(argv, max, &n, "--pid-file");
		r |= argv_add(argv, max, &n, o->container_pidfile);
		r |= argv_add(argv, max, &n, "--process");
		r |= argv_add(argv, max, &n, o->exec_process_spec);
		r |= argv_add(argv, max, &n, "--detach");
		for (i = 0; i < o->n_runtime_opts; i++)
			r |= argv_add(argv, max, &n, o->runtime_opts[i]);
	} else {
		r |= argv_add(argv, max, &n, "create");
		r |= argv_add(argv, max, &n, "--bundle");
		r |= argv_add(argv, max, &n, o->bundle);
		r |= argv_add(argv, max, &n, "--pid-file");
		r |= argv_add(argv, max, &n, o->container_pidfile);
		if (o->no_pivot)
			r |= argv_add(argv, max, &n, "--no-pivot");
		if (o->no_new_keyring)
			r |= argv_add(argv, max, &n, "--no-new-keyring");
		/* as conmon: --preserve-fds and the like, for create too */
		for (i = 0; i < o->n_runtime_opts; i++)
			r |= argv_add(argv, max, &n, o->runtime_opts[i]);
	}
	if (console_socket) {
		r |= argv_add(argv, max, &n, "--console-socket");
		r |= argv_add(argv, max, &n, console_socket);
	}
	r |= argv_add(argv, max, &n, o->cid);
	if (r)
		return -E2BIG;
	argv[n] = NULL;
	return (int)n;
}

/* LISTEN_PID names the process that may use the LISTEN_FDS descriptors: the
 * runtime's, when we were asked to (--replace-listen-pid) or when it named
 * the supervisor (conmon's rule) */
static void runtime_listen_pid(int replace, pid_t parent)
{
	const char *s = getenv("LISTEN_PID");
	char pid[24];
	long v;

	if (!s)
		return;
	v = strtol(s, NULL, 10);
	if (!replace && v != (long)parent)
		return;
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("LISTEN_PID", pid, 1);
}

pid_t runtime_spawn(const char *const *argv, int in, int out, int errfd,
		    int preserve_fds, int replace_listen_pid)
{
	pid_t pid, parent = getpid();
	sigset_t all;
	int fd;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0)
		return pid;

	/* child: stdio in place, nothing else open but the descriptors to
	 * preserve, default signals */
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(errfd, 2) < 0)
		_exit(127);
	syscall(SYS_close_range, 3U + (unsigned)preserve_fds, ~0U, 0U);
	for (fd = 3; fd < 3 + preserve_fds; fd++)
		fcntl(fd, F_SETFD, 0);
	runtime_listen_pid(replace_listen_pid, parent);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	execv(argv[0], (char *const *)argv);
	dprintf(2, "burrow-mon: execv(%s): %s\n", argv[0], strerror(errno));
	_exit(127);
}

pid_t runtime_read_pidfile(const char *path)
{
	char buf[32], *end;
	long n = file_read_text(path, buf, sizeof(buf)), v;

	if (n < 0)
		return (pid_t)n;
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || end == buf || v <= 0 || v > 0x7fffffff || (*end && *end != '\n'))
		return -EINVAL;
	return (pid_t)v;
}

size_t sync_format(char *buf, size_t len, int data, const char *msg)
{
	static const char tail[] = "\"}\n";
	size_t n, room;
	int r;

	if (!msg) {
		r = snprintf(buf, len, "{\"data\": %d}\n", data);
		return r < 0 ? 0 : ((size_t)r < len ? (size_t)r : len - 1);
	}
	r = snprintf(buf, len, "{\"data\": %d, \"message\": \"", data);
	if (r < 0 || (size_t)r + sizeof(tail) > len)
		return 0;
	n = (size_t)r;
	room = len - sizeof(tail);	/* keep room for the tail and NUL */
	for (; *msg; msg++) {
		unsigned char c = (unsigned char)*msg;
		char esc[8];
		size_t el;

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			el = 2;
		} else if (c == '\n') {
			memcpy(esc, "\\n", 2);
			el = 2;
		} else if (c == '\t') {
			memcpy(esc, "\\t", 2);
			el = 2;
		} else if (c < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			el = 6;
		} else {
			esc[0] = (char)c;
			el = 1;
		}
		if (n + el > room)
			break;
		memcpy(buf + n, esc, el);
		n += el;
	}
	memcpy(buf + n, tail, sizeof(tail));
	return n + sizeof(tail) - 1;
}

int sync_send(int fd, int data, const char *msg)
{
	char buf[8192];
	size_t len, off = 0;

	if (fd < 0)
		return 0;
	len = sync_format(buf, sizeof(buf), data, msg);
	while (off < len) {
		ssize_t w = write(fd, buf + off, len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		off += (size_t)w;
	}
	return 0;
}
