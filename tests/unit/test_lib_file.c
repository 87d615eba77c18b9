// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_file.c - reading a whole file or pipe, bounded */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "file.h"

static char root[] = "/tmp/test_lib_file.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

/* a file of @n bytes 'a'..'z' repeating; its path into @path */
static void make_file(const char *name, size_t n, char *path, size_t len)
{
	FILE *f;
	size_t i;

	snprintf(path, len, "%s/%s", root, name);
	f = fopen(path, "we");
	assert_non_null(f);
	for (i = 0; i < n; i++)
		fputc('a' + (int)(i % 26), f);
	assert_int_equal(fclose(f), 0);
}

static void whole_files(void **state)
{
	static const size_t sizes[] = { 0, 1, 4095, 4096, 4097, 100000 };
	char path[PATH_MAX], name[32];
	size_t i, j, len;
	char *s;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(name, sizeof(name), "f%zu", sizes[i]);
		make_file(name, sizes[i], path, sizeof(path));
		len = 12345;
		s = file_read(path, 0, 100000, &len);
		assert_non_null(s);
		assert_int_equal(len, sizes[i]);
		assert_int_equal(strlen(s), sizes[i]);	/* NUL-terminated */
		for (j = 0; j < len; j++)
			if (s[j] != 'a' + (int)(j % 26))
				fail_msg("byte %zu of %zu", j, len);
		free(s);
	}
	/* exactly @max is fine, one more is not */
	make_file("max", 5000, path, sizeof(path));
	s = file_read(path, 0, 5000, NULL);
	assert_non_null(s);
	free(s);
	errno = 0;
	assert_null(file_read(path, 0, 4999, &len));
	assert_int_equal(errno, EFBIG);
	assert_null(file_read(path, 0, 0, &len));
	assert_int_equal(errno, EFBIG);
	make_file("empty", 0, path, sizeof(path));
	s = file_read(path, 0, 0, &len);
	assert_non_null(s);
	assert_int_equal(len, 0);
	free(s);
}

static void missing_and_links(void **state)
{
	char path[PATH_MAX], link[PATH_MAX + 8];
	char *s;

	(void)state;
	snprintf(path, sizeof(path), "%s/none", root);
	errno = 0;
	assert_null(file_read(path, 0, 100, NULL));
	assert_int_equal(errno, ENOENT);
	make_file("target", 10, path, sizeof(path));
	snprintf(link, sizeof(link), "%s/link", root);
	assert_int_equal(symlink(path, link), 0);
	s = file_read(link, 0, 100, NULL);
	assert_non_null(s);
	free(s);
	errno = 0;
	assert_null(file_read(link, O_NOFOLLOW, 100, NULL));
	assert_int_equal(errno, ELOOP);
	/* a folder: read() fails with EISDIR */
	errno = 0;
	assert_null(file_read(root, 0, 100, NULL));
	assert_int_equal(errno, EISDIR);
}

/* a pipe fed in small pieces with pauses: read to its end, not its first piece */
static void pipe_in_pieces(void **state)
{
	int p[2], status;
	size_t len;
	pid_t pid;
	char *s;

	(void)state;
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int i;

		close(p[0]);
		for (i = 0; i < 5; i++) {
			if (write(p[1], "0123456789", 10) != 10)
				_exit(1);
			usleep(2000);
		}
		_exit(0);
	}
	close(p[1]);
	s = file_read_fd(p[0], 1000, &len);
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_non_null(s);
	assert_int_equal(len, 50);
	assert_int_equal(strncmp(s + 40, "0123456789", 11), 0);
	free(s);
}

static void into_a_buffer(void **state)
{
	char path[PATH_MAX], buf[16];
	int fd;

	(void)state;
	make_file("small", 10, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(file_read_buf(fd, buf, sizeof(buf)), 10);
	assert_string_equal(buf, "abcdefghij");
	close(fd);
	/* longer than the buffer: cut, NUL-terminated */
	make_file("long", 100, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(file_read_buf(fd, buf, sizeof(buf)), 15);
	assert_string_equal(buf, "abcdefghijklmno");
	close(fd);
	/* a read error before anything came */
	fd = open(root, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(file_read_buf(fd, buf, sizeof(buf)), -EISDIR);
	assert_string_equal(buf, "");
	close(fd);
	assert_int_equal(file_read_buf(-1, buf, sizeof(buf)), -EBADF);
	assert_int_equal(file_read_buf(-1, buf, 0), 0);
}

static void small_text_files(void **state)
{
	char path[PATH_MAX], buf[16];

	(void)state;
	make_file("text", 3, path, sizeof(path));
	assert_int_equal(file_read_text(path, buf, sizeof(buf)), 3);
	assert_string_equal(buf, "abc");
	make_file("text2", 40, path, sizeof(path));
	assert_int_equal(file_read_text(path, buf, sizeof(buf)), 15);
	assert_int_equal(strlen(buf), 15);
	snprintf(path, sizeof(path), "%s/none", root);
	strcpy(buf, "old");
	assert_int_equal(file_read_text(path, buf, sizeof(buf)), -ENOENT);
	assert_string_equal(buf, "");
	/* a /proc file reads whole although its size says 0 */
	assert_true(file_read_text("/proc/self/stat", buf, sizeof(buf)) == 15);
	assert_int_equal(atoi(buf), getpid());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_files),
		cmocka_unit_test(missing_and_links),
		cmocka_unit_test(pipe_in_pieces),
		cmocka_unit_test(into_a_buffer),
		cmocka_unit_test(small_text_files),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
