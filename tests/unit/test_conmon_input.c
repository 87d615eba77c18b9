// SPDX-License-Identifier: GPL-2.0-or-later
/* test_conmon_input.c - stdin writes that never block */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "conmon/input.h"

static struct input_buf in;
static char chunk[ATTACH_CHUNK];

/* A full pipe: the rest waits, nothing blocks, the reader gets every byte */
static void full_pipe_keeps_the_rest(void **state)
{
	int p[2], r, size;
	size_t total = 0, got = 0;
	char sink[ATTACH_CHUNK];

	(void)state;
	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	size = fcntl(p[1], F_GETPIPE_SZ);
	in.fd = p[1];
	memset(chunk, 'x', sizeof(chunk));
	do {
		r = input_write(&in, chunk, sizeof(chunk));
		assert_true(r >= 0);
		total += sizeof(chunk);
	} while (r == 0);
	assert_int_equal((size_t)size, total - input_pending(&in));
	/* a second write while bytes wait is refused, not queued */
	assert_int_equal(input_write(&in, chunk, 1), -EINVAL);
	/* the reader takes some: the rest goes */
	while (got < total) {
		ssize_t n = read(p[0], sink, sizeof(sink));

		if (n > 0)
			got += (size_t)n;
		r = input_flush(&in);
		assert_true(r >= 0);
		if (n <= 0 && r == 0)
			break;
	}
	assert_int_equal(got, total);
	assert_int_equal(input_pending(&in), 0);
	close(p[0]);
	close(p[1]);
}

/* The reader gone: an error, and nothing waits */
static void closed_reader_drops(void **state)
{
	int p[2];

	(void)state;
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	close(p[0]);
	in.fd = p[1];
	assert_int_equal(input_write(&in, "abc", 3), -EPIPE);
	assert_int_equal(input_pending(&in), 0);
	assert_int_equal(input_write(&in, chunk, sizeof(chunk) + 1), -EINVAL);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_pipe_keeps_the_rest),
		cmocka_unit_test(closed_reader_drops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
