// SPDX-License-Identifier: GPL-2.0-or-later
/* logging.c - k8s-file and journald logs of a container's stdout/stderr */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "logging.h"

#define LOG_IOV_MAX	1024
#define JOURNAL_SOCKET	"/run/systemd/journal/socket"

static const char *const log_stream_names[] = { "stdout", "stderr" };

size_t log_format_timestamp(const struct timespec *ts, const struct tm *tm,
			    char *buf, size_t len)
{
	long off = tm->tm_gmtoff;
	char sign = '+';
	int n;

	if (off < 0) {
		sign = '-';
		off = -off;
	}
	n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09ld%c%02ld:%02ld",
		     tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour,
		     tm->tm_min, tm->tm_sec, ts->tv_nsec, sign, off / 3600,
		     off % 3600 / 60);
	if (n < 0 || (size_t)n >= len)
		return 0;
	return (size_t)n;
}

size_t log_format_prefix(const char *ts, enum log_stream stream, int partial,
			 char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s %s %c ", ts, log_stream_names[stream],
			 partial ? 'P' : 'F');

	if (n < 0 || (size_t)n >= len)
		return 0;
	return (size_t)n;
}

size_t log_k8s_build_iov(const char *data, size_t len, const char *pfx_full,
			 const char *pfx_partial, size_t pfx_len, struct iovec *iov,
			 size_t iov_max, size_t limit, size_t *consumed, size_t *bytes)
{
	static const char newline = '\n';
	size_t n = 0, off = 0, total = 0;

	while (off < len) {
		const char *nl = memchr(data + off, '\n', len - off);
		size_t seg = nl ? (size_t)(nl - (data + off)) + 1 : len - off;
		size_t need = pfx_len + seg + (nl ? 0 : 1);

		if (n + (nl ? 2 : 3) > iov_max)
			break;
		if (n && total + need > limit)
			break;
		iov[n].iov_base = (void *)(nl ? pfx_full : pfx_partial);
		iov[n++].iov_len = pfx_len;
		iov[n].iov_base = (void *)(data + off);
		iov[n++].iov_len = seg;
		if (!nl) {
			iov[n].iov_base = (void *)&newline;
			iov[n++].iov_len = 1;
		}
		total += need;
		off += seg;
	}
	*consumed = off;
	*bytes = total;
	return n;
}

/* Open a fresh log file at @path: create PATH.tmp, rename it into place */
static int log_open_fresh(const char *path)
{
	char tmp[PATH_MAX];
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (rename(tmp, path) < 0) {
		int e = -errno;

		close(fd);
		unlink(tmp);
		return e;
	}
	return fd;
}

int log_writer_open(struct log_writer *w, const struct mon_opts *o)
{
	size_t i;

	memset(w, 0, sizeof(*w));
	w->k8s_fd = -1;
	w->journald_fd = -1;
	w->size_max = o->log_size_max;
	w->global_max = o->log_global_size_max;
	w->cid = o->cid;
	w->name = o->name;
	w->tag = o->log_tag;
	for (i = 0; i < o->n_logs; i++) {
		const struct log_target *t = &o->logs[i];

		if (t->driver == LOG_DRIVER_K8S_FILE && w->k8s_fd < 0) {
			int fd = open(t->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
			struct stat st;

			if (fd < 0) {
				int e = -errno;

				err("open(%s): %s", t->path, strerror(-e));
				return e;
			}
			w->k8s_fd = fd;
			w->k8s_path = t->path;
			if (!fstat(fd, &st))
				w->written = w->total = st.st_size;
		} else if (t->driver == LOG_DRIVER_JOURNALD && w->journald_fd < 0) {
			struct sockaddr_un sa = { .sun_family = AF_UNIX };
			const char *path = getenv("BURROW_MON_JOURNAL_SOCKET");
			int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

			if (!path || !*path)
				path = JOURNAL_SOCKET;
			snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
			if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
				warn("connect(%s): %s: journald logging disabled",
				     path, strerror(errno));
				close(fd);
				fd = -1;
			}
			w->journald_fd = fd;
		}
	}
	return 0;
}

int log_writer_reopen(struct log_writer *w)
{
	int fd;

	if (w->k8s_fd < 0)
		return 0;
	fd = log_open_fresh(w->k8s_path);
	if (fd < 0) {
		err("reopen log %s: %s", w->k8s_path, strerror(-fd));
		return fd;
	}
	close(w->k8s_fd);
	w->k8s_fd = fd;
	w->written = 0;
	w->rotations++;
	return 0;
}

/* writev() everything in @iov, resuming after short writes */
static int log_writev_all(int fd, struct iovec *iov, size_t n)
{
	while (n) {
		ssize_t r = writev(fd, iov, (int)n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		while (n && (size_t)r >= iov->iov_len) {
			r -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n && r) {
			iov->iov_base = (char *)iov->iov_base + r;
			iov->iov_len -= (size_t)r;
		}
	}
	return 0;
}

/* Write one chunk as k8s-file lines, rotating at the size limit */
static void log_k8s_write(struct log_writer *w, const char *pfx_full,
			  const char *pfx_partial, size_t pfx_len,
			  const char *data, size_t len)
{
	static struct iovec iov[LOG_IOV_MAX];

	while (len) {
		size_t limit = SIZE_MAX, glimit = SIZE_MAX, consumed, bytes, n;
		int r;

		if (w->global_max > 0) {
			if (w->total >= w->global_max) {
				if (!w->global_full)
					warn("log %s: %lld bytes written in all (--log-global-size-max): "
					     "no more output is logged", w->k8s_path, w->total);
				w->global_full = 1;
				return;
			}
			glimit = (size_t)(w->global_max - w->total);
		}
		if (w->size_max > 0)
			limit = w->written < w->size_max ? (size_t)(w->size_max - w->written) : 0;
		n = log_k8s_build_iov(data, len, pfx_full, pfx_partial, pfx_len, iov, LOG_IOV_MAX,
				      limit < glimit ? limit : glimit, &consumed, &bytes);
		if (w->size_max > 0 && w->written > 0 && bytes > limit) {
			if (log_writer_reopen(w) < 0)
				w->written = 0;	/* keep writing to the old file */
			continue;
		}
		r = log_writev_all(w->k8s_fd, iov, n);
		if (r < 0) {
			if (!w->write_failed)
				err("write(%s): %s: container output is not logged until writes succeed",
				    w->k8s_path, strerror(-r));
			w->write_failed = 1;
		} else if (w->write_failed) {
			w->write_failed = 0;
			info("write(%s): logging again", w->k8s_path);
		}
		w->written += (long long)bytes;
		w->total += (long long)bytes;
		data += consumed;
		len -= consumed;
	}
}

/* Send each line of a chunk to journald (native protocol, one datagram per line) */
static void log_journald_write(struct log_writer *w, enum log_stream stream,
			       const char *data, size_t len)
{
	char fields[512];
	int flen;

	flen = snprintf(fields, sizeof(fields),
			"CONTAINER_ID=%.12s\nCONTAINER_ID_FULL=%s\nCONTAINER_NAME=%s\n"
			"SYSLOG_IDENTIFIER=%s\nPRIORITY=%d\n%s%s%s",
			w->cid, w->cid, w->name ? w->name : w->cid,
			w->tag ? w->tag : "conmon", stream == LOG_STDERR ? 3 : 6,
			w->tag ? "CONTAINER_TAG=" : "", w->tag ? w->tag : "",
			w->tag ? "\n" : "");
	if (flen < 0 || (size_t)flen >= sizeof(fields))
		flen = (int)strlen(fields);
	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t seg = nl ? (size_t)(nl - data) : len;
		struct iovec iov[4] = {
			{ .iov_base = "MESSAGE=", .iov_len = 8 },
			{ .iov_base = (void *)data, .iov_len = seg },
			{ .iov_base = "\n", .iov_len = 1 },
			{ .iov_base = fields, .iov_len = (size_t)flen },
		};
		struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 4 };

		if (sendmsg(w->journald_fd, &mh, MSG_NOSIGNAL) < 0 && !w->write_failed) {
			err("sendmsg(journald): %s", strerror(errno));
			w->write_failed = 1;
		}
		if (!nl)
			break;
		data += seg + 1;
		len -= seg + 1;
	}
}

void log_writer_write(struct log_writer *w, enum log_stream stream,
		      const char *data, size_t len)
{
	static time_t last_sec = -1;
	static struct tm tm;
	char ts[LOG_TS_LEN + 8], full[LOG_PREFIX_MAX], partial[LOG_PREFIX_MAX];
	struct timespec now;
	size_t plen;

	if (!len)
		return;
	if (w->k8s_fd >= 0) {
		clock_gettime(CLOCK_REALTIME, &now);
		if (now.tv_sec != last_sec) {
			localtime_r(&now.tv_sec, &tm);
			last_sec = now.tv_sec;
		}
		log_format_timestamp(&now, &tm, ts, sizeof(ts));
		plen = log_format_prefix(ts, stream, 0, full, sizeof(full));
		log_format_prefix(ts, stream, 1, partial, sizeof(partial));
		log_k8s_write(w, full, partial, plen, data, len);
	}
	if (w->journald_fd >= 0)
		log_journald_write(w, stream, data, len);
}

void log_writer_close(struct log_writer *w, int nosync)
{
	if (w->k8s_fd >= 0) {
		if (!nosync)
			fdatasync(w->k8s_fd);
		close(w->k8s_fd);
		w->k8s_fd = -1;
	}
	if (w->journald_fd >= 0) {
		close(w->journald_fd);
		w->journald_fd = -1;
	}
}
