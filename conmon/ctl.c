// SPDX-License-Identifier: GPL-2.0-or-later
/* ctl.c - control FIFOs: terminal resize and log reopen messages */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"
#include "log.h"

/* Parse one decimal integer at *p (optional sign), skipping leading blanks */
static int ctl_int(const char **p, const char *end, int *out)
{
	long v = 0;
	int neg = 0, digits = 0;

	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	if (*p < end && (**p == '-' || **p == '+'))
		neg = *(*p)++ == '-';
	while (*p < end && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		if (v > INT_MAX)
			return -EINVAL;
		(*p)++;
		digits++;
	}
	if (!digits)
		return -EINVAL;
	*out = neg ? (int)-v : (int)v;
	return 0;
}

int ctl_parse_line(const char *line, size_t len, struct ctl_msg *m)
{
	const char *p = line, *end = line + len;

	if (ctl_int(&p, end, &m->type) || ctl_int(&p, end, &m->a) ||
	    ctl_int(&p, end, &m->b))
		return -EINVAL;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p == end ? 0 : -EINVAL;
}

int ctl_open(struct ctl_fifo *f, const char *dir, const char *name)
{
	char path[PATH_MAX];

	f->fd = f->keep_fd = -1;
	f->len = 0;
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	if (mkfifo(path, 0660) < 0 && errno != EEXIST) {
		int e = -errno;

		err("mkfifo(%s): %s", path, strerror(errno));
		return e;
	}
	f->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (f->fd < 0) {
		int e = -errno;

		err("open(%s): %s", path, strerror(errno));
		return e;
	}
	f->keep_fd = open(path, O_WRONLY | O_CLOEXEC);
	return 0;
}

int ctl_read(struct ctl_fifo *f, void (*cb)(const struct ctl_msg *m, void *arg), void *arg)
{
	int handled = 0;

	for (;;) {
		ssize_t n = read(f->fd, f->buf + f->len, sizeof(f->buf) - f->len);
		char *nl;

		if (n <= 0)
			break;
		f->len += (size_t)n;
		while ((nl = memchr(f->buf, '\n', f->len))) {
			size_t ll = (size_t)(nl - f->buf);
			struct ctl_msg m;

			if (!ctl_parse_line(f->buf, ll, &m)) {
				cb(&m, arg);
				handled++;
			} else {
				warn("control message not understood: '%.*s'", (int)ll, f->buf);
			}
			memmove(f->buf, nl + 1, f->len - ll - 1);
			f->len -= ll + 1;
		}
		if (f->len == sizeof(f->buf))
			f->len = 0;	/* an overlong line: drop it */
	}
	return handled;
}

void ctl_close(struct ctl_fifo *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->keep_fd >= 0)
		close(f->keep_fd);
	f->fd = f->keep_fd = -1;
}
