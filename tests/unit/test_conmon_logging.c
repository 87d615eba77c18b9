// SPDX-License-Identifier: GPL-2.0-or-later
/* test_conmon_logging.c - k8s-file line formatting, splitting and rotation */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conmon/logging.h"

/* Concatenate an iovec into @out */
static size_t flatten(const struct iovec *iov, size_t n, char *out, size_t len)
{
	size_t off = 0, i;

	for (i = 0; i < n; i++) {
		assert_true(off + iov[i].iov_len < len);
		memcpy(out + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	out[off] = '\0';
	return off;
}

static void timestamp_is_rfc3339_nano_with_offset(void **state)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 5 };
	struct tm tm = { .tm_year = 123, .tm_mon = 0, .tm_mday = 2, .tm_hour = 3,
			 .tm_min = 4, .tm_sec = 5, .tm_gmtoff = 0 };
	char buf[64];

	(void)state;
	assert_int_equal(log_format_timestamp(&ts, &tm, buf, sizeof(buf)), LOG_TS_LEN);
	assert_string_equal(buf, "2023-01-02T03:04:05.000000005+00:00");
	tm.tm_gmtoff = -(5 * 3600 + 30 * 60);
	ts.tv_nsec = 123456789;
	log_format_timestamp(&ts, &tm, buf, sizeof(buf));
	assert_string_equal(buf, "2023-01-02T03:04:05.123456789-05:30");
	assert_int_equal(log_format_timestamp(&ts, &tm, buf, 10), 0);
}

static void prefix_names_stream_and_tag(void **state)
{
	char buf[LOG_PREFIX_MAX];

	(void)state;
	assert_int_equal(log_format_prefix("T", LOG_STDOUT, 0, buf, sizeof(buf)), 11);
	assert_string_equal(buf, "T stdout F ");
	log_format_prefix("T", LOG_STDERR, 1, buf, sizeof(buf));
	assert_string_equal(buf, "T stderr P ");
}

static void lines_and_unterminated_tail(void **state)
{
	const char data[] = "one\ntwo\nthr";
	struct iovec iov[16];
	char out[256];
	size_t consumed, bytes, n;

	(void)state;
	n = log_k8s_build_iov(data, strlen(data), "F> ", "P> ", 3, iov, 16,
			      (size_t)-1, &consumed, &bytes);
	assert_int_equal(n, 7);
	assert_int_equal(consumed, strlen(data));
	assert_int_equal(bytes, flatten(iov, n, out, sizeof(out)));
	assert_string_equal(out, "F> one\nF> two\nP> thr\n");
}

static void empty_lines_are_kept(void **state)
{
	struct iovec iov[16];
	char out[64];
	size_t consumed, bytes, n;

	(void)state;
	n = log_k8s_build_iov("\n\n", 2, "F ", "P ", 2, iov, 16, (size_t)-1,
			      &consumed, &bytes);
	flatten(iov, n, out, sizeof(out));
	assert_string_equal(out, "F \nF \n");
}

static void vector_full_stops_at_a_line(void **state)
{
	const char data[] = "a\nb\nc\n";
	struct iovec iov[5];
	char out[64];
	size_t consumed, bytes, n;

	(void)state;
	n = log_k8s_build_iov(data, 6, "F ", "P ", 2, iov, 5, (size_t)-1,
			      &consumed, &bytes);
	assert_int_equal(n, 4);
	assert_int_equal(consumed, 4);
	flatten(iov, n, out, sizeof(out));
	assert_string_equal(out, "F a\nF b\n");
}

static void limit_stops_before_overflowing_line(void **state)
{
	const char data[] = "aaaa\nbbbb\ncccc\n";
	struct iovec iov[16];
	size_t consumed, bytes, n;

	(void)state;
	/* each line is 2 + 5 = 7 bytes: a limit of 15 takes two */
	n = log_k8s_build_iov(data, 15, "F ", "P ", 2, iov, 16, 15, &consumed, &bytes);
	assert_int_equal(n, 4);
	assert_int_equal(consumed, 10);
	assert_int_equal(bytes, 14);
	/* a limit below one line still takes the first line */
	n = log_k8s_build_iov(data, 15, "F ", "P ", 2, iov, 16, 1, &consumed, &bytes);
	assert_int_equal(n, 2);
	assert_int_equal(consumed, 5);
}

/* A writer on a temporary file */
static char tmpdir[64];
static char logpath[128];

static void writer_open_global(struct log_writer *w, long long max, long long global)
{
	static struct mon_opts o;

	memset(&o, 0, sizeof(o));
	strcpy(tmpdir, "/tmp/test_conmon_logging.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(logpath, sizeof(logpath), "%s/ctr.log", tmpdir);
	o.cid = "0123456789abcdef";
	o.name = "n";
	o.logs[0].driver = LOG_DRIVER_K8S_FILE;
	o.logs[0].path = logpath;
	o.n_logs = 1;
	o.log_size_max = max;
	o.log_global_size_max = global;
	assert_int_equal(log_writer_open(w, &o), 0);
}

static void writer_open(struct log_writer *w, long long max)
{
	writer_open_global(w, max, -1);
}

static void writer_done(struct log_writer *w)
{
	log_writer_close(w, 1);
	unlink(logpath);
	rmdir(tmpdir);
}

static size_t file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (size_t)st.st_size;
}

static void writer_writes_k8s_lines(void **state)
{
	struct log_writer w;
	char buf[512];
	FILE *f;

	(void)state;
	writer_open(&w, -1);
	log_writer_write(&w, LOG_STDERR, "hello\n", 6);
	f = fopen(logpath, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_int_equal(strlen(buf), LOG_TS_LEN + 1 + 6 + 3 + 6);
	assert_string_equal(buf + LOG_TS_LEN, " stderr F hello\n");
	assert_int_equal(buf[4], '-');
	assert_int_equal(buf[10], 'T');
	assert_int_equal(buf[19], '.');
	writer_done(&w);
}

static void writer_rotates_at_size_max(void **state)
{
	struct log_writer w;
	char line[32];
	int i;

	(void)state;
	writer_open(&w, 500);
	for (i = 0; i < 100; i++) {
		int n = snprintf(line, sizeof(line), "line %d\n", i);

		log_writer_write(&w, LOG_STDOUT, line, (size_t)n);
		assert_true(file_size(logpath) <= 500);
	}
	assert_true(w.rotations > 0);
	assert_true(file_size(logpath) > 0);
	writer_done(&w);
}

/* --log-global-size-max: all files together; the crossing line is whole,
 * nothing after it */
static void writer_stops_at_global_max(void **state)
{
	struct log_writer w;
	char line[32];
	int i;

	(void)state;
	writer_open_global(&w, 500, 2000);
	for (i = 0; i < 100; i++) {
		int n = snprintf(line, sizeof(line), "line %02d\n", i);

		log_writer_write(&w, LOG_STDOUT, line, (size_t)n);
	}
	assert_true(w.rotations > 0);
	assert_true(w.global_full);
	/* 2000 bytes at 53 a line: 38 lines, the 38th crossing the limit */
	assert_int_equal(w.total, 38 * (LOG_TS_LEN + 18));
	assert_true(file_size(logpath) <= 500);
	writer_done(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(timestamp_is_rfc3339_nano_with_offset),
		cmocka_unit_test(prefix_names_stream_and_tag),
		cmocka_unit_test(lines_and_unterminated_tail),
		cmocka_unit_test(empty_lines_are_kept),
		cmocka_unit_test(vector_full_stops_at_a_line),
		cmocka_unit_test(limit_stops_before_overflowing_line),
		cmocka_unit_test(writer_writes_k8s_lines),
		cmocka_unit_test(writer_rotates_at_size_max),
		cmocka_unit_test(writer_stops_at_global_max),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
