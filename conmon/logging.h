/* SPDX-License-Identifier: GPL-2.0-or-later
 * logging.h - the container's output to its logs: k8s-file lines (with
 * rotation at a size limit), journald, or nothing.  No allocation per line.
 */
#ifndef BURROW_CONMON_LOGGING_H
#define BURROW_CONMON_LOGGING_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>

#include "cli.h"

enum log_stream { LOG_STDOUT = 0, LOG_STDERR = 1 };

/* "2023-01-02T03:04:05.123456789+00:00" */
#define LOG_TS_LEN	35
/* timestamp, " stderr P " and a NUL */
#define LOG_PREFIX_MAX	(LOG_TS_LEN + 12)

/* Where a container's output goes */
struct log_writer {
	int k8s_fd;			/* -1: no k8s-file log */
	const char *k8s_path;
	long long size_max;		/* <= 0: never rotate */
	long long written;		/* bytes in the current file */
	long long global_max;		/* <= 0: no limit on all files together */
	long long total;		/* bytes written to every file of this log */
	int global_full;		/* global_max reached: nothing more is logged */
	int journald_fd;		/* -1: no journald */
	const char *cid;
	const char *name;
	const char *tag;
	int write_failed;		/* a write error was reported already */
	unsigned long long rotations;
};

/**
 * log_format_timestamp() - RFC 3339 local time with nanoseconds and zone offset
 * @ts:		time
 * @tm:		@ts broken down (localtime_r), for the date and tm_gmtoff
 * @buf:	output, at least LOG_TS_LEN + 1 bytes
 * @len:	size of @buf
 *
 * Return: characters written (LOG_TS_LEN for years 1000-9999), or 0 if @len is too small
 */
size_t log_format_timestamp(const struct timespec *ts, const struct tm *tm,
			    char *buf, size_t len);

/**
 * log_format_prefix() - "TIMESTAMP STREAM TAG " for one k8s-file line
 * @ts:		formatted timestamp
 * @stream:	LOG_STDOUT or LOG_STDERR
 * @partial:	non-zero for the "P" tag, else "F"
 * @buf:	output, at least LOG_PREFIX_MAX bytes
 * @len:	size of @buf
 *
 * Return: characters written, or 0 if @len is too small
 */
size_t log_format_prefix(const char *ts, enum log_stream stream, int partial,
			 char *buf, size_t len);

/**
 * log_k8s_build_iov() - turn output into k8s-file lines without copying it
 * @data:	container output
 * @len:	length of @data
 * @pfx_full:	prefix for complete lines ("... F ")
 * @pfx_partial: prefix for the unterminated tail ("... P ")
 * @pfx_len:	length of either prefix (they have the same length)
 * @iov:	output vector; complete lines take 2 entries, a tail 3
 * @iov_max:	room in @iov
 * @limit:	stop before a line that would take the output past this many
 *		bytes, unless it is the first line (so there is always progress)
 * @consumed:	out: bytes of @data covered by the vector
 * @bytes:	out: bytes the vector writes
 *
 * Return: entries used in @iov
 */
size_t log_k8s_build_iov(const char *data, size_t len, const char *pfx_full,
			 const char *pfx_partial, size_t pfx_len, struct iovec *iov,
			 size_t iov_max, size_t limit, size_t *consumed, size_t *bytes);

/**
 * log_writer_open() - open the logs named on the command line
 * @w:		writer to initialise
 * @o:		options (-l targets, --log-size-max, --log-global-size-max,
 *		names and tag)
 *
 * Return: 0, or -errno if the k8s-file log cannot be opened
 */
int log_writer_open(struct log_writer *w, const struct mon_opts *o);

/**
 * log_writer_write() - log one chunk of container output
 * @w:		writer
 * @stream:	where the chunk came from
 * @data:	the bytes
 * @len:	length of @data
 *
 * Write errors (a full disk) are reported once and the output dropped; they
 * never stop the container.  Once the k8s-file log has taken
 * --log-global-size-max bytes in all (across rotations; the line that
 * crosses the limit is written whole), no more lines go to it.
 */
void log_writer_write(struct log_writer *w, enum log_stream stream,
		      const char *data, size_t len);

/**
 * log_writer_reopen() - start a fresh k8s-file log at the same path (used for
 * rotation and for the "reopen log" control message)
 * @w:		writer
 *
 * Return: 0, or -errno (the old file stays in use)
 */
int log_writer_reopen(struct log_writer *w);

/**
 * log_writer_close() - flush to disk (unless @nosync) and close
 * @w:		writer
 * @nosync:	skip fdatasync
 */
void log_writer_close(struct log_writer *w, int nosync);

#endif /* BURROW_CONMON_LOGGING_H */
