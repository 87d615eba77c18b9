// SPDX-License-Identifier: GPL-2.0-or-later
/* proc.c - process start times, liveness, sibling binaries, sleeping */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "proc.h"

/* the state letter and start time of @pid from /proc/PID/stat */
static int proc_stat(pid_t pid, char *state, unsigned long long *start)
{
	char path[64], buf[1024], *p, *end;
	_cleanup_close_ int fd = -1;
	ssize_t n;
	int field;

	*start = 0;
	if (pid <= 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return errno == ESRCH ? -ESRCH : -errno;
	buf[n] = '\0';
	/* "PID (COMM) S ..." where COMM may hold spaces and parentheses */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || !p[2])
		return -EINVAL;
	p += 2;
	*state = *p;
	for (field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -EINVAL;
		p++;
	}
	errno = 0;
	*start = strtoull(p, &end, 10);
	if (errno || end == p) {
		*start = 0;
		return -EINVAL;
	}
	return 0;
}

int proc_start_time(pid_t pid, unsigned long long *start)
{
	char state;

	return proc_stat(pid, &state, start);
}

int proc_alive(pid_t pid, unsigned long long start)
{
	unsigned long long now;
	char state;

	if (proc_stat(pid, &state, &now) < 0)
		return 0;
	/* a zombie nobody reaped (an init that does not) is not alive */
	return state != 'Z' && state != 'X' && (!start || now == start);
}

int proc_self_exe(char *buf, size_t len)
{
	ssize_t n;

	if (!len)
		return -ENAMETOOLONG;
	n = readlink("/proc/self/exe", buf, len);
	if (n < 0)
		return -errno;
	if ((size_t)n >= len)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return 0;
}

int proc_sibling(const char *name, char *buf, size_t len)
{
	char self[PATH_MAX], *slash;
	int r = proc_self_exe(self, sizeof(self));

	if (r < 0)
		return r;
	slash = strrchr(self, '/');
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	if ((size_t)snprintf(buf, len, "%s/%s", self, name) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int proc_stdio_null(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC), i;

	if (fd < 0)
		return -errno;
	for (i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);	/* dup2() clears close-on-exec */
	if (fd > 2)
		close(fd);
	else
		fcntl(fd, F_SETFD, 0);
	return 0;
}

void proc_sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}
