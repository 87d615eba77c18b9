// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_fdpass.c - SCM_RIGHTS passing: a working pipe end, payloads,
 * too many descriptors (nothing leaks) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fdpass.h"

/* Number of open descriptors of this process */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void pass_a_pipe_end(void **state)
{
	int sv[2], p[2], got[FDPASS_MAX];
	size_t n = FDPASS_MAX;
	char buf[16] = "";

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(fd_send(sv[0], &p[1], 1, "hello", 5), 0);
	close(p[1]);
	assert_int_equal(fd_recv(sv[1], got, &n, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "hello");
	assert_int_equal(n, 1);
	assert_true(fcntl(got[0], F_GETFD) & FD_CLOEXEC);
	/* the received descriptor is the pipe's write end */
	assert_int_equal(write(got[0], "ok", 2), 2);
	close(got[0]);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(read(p[0], buf, sizeof(buf)), 2);
	assert_string_equal(buf, "ok");
	close(p[0]);
	close(sv[0]);
	close(sv[1]);
}

static void payload_only_and_end_of_stream(void **state)
{
	int sv[2], got[2];
	size_t n = 2;
	char c = 'x';

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(fd_send(sv[0], NULL, 0, NULL, 0), 0);
	assert_int_equal(fd_recv(sv[1], got, &n, &c, 1), 1);
	assert_int_equal(c, 0);
	assert_int_equal(n, 0);
	/* NULL receive buffer: one byte read and dropped */
	assert_int_equal(fd_send(sv[0], NULL, 0, "y", 1), 0);
	n = 2;
	assert_int_equal(fd_recv(sv[1], got, &n, NULL, 0), 1);
	close(sv[0]);
	n = 2;
	assert_int_equal(fd_recv(sv[1], got, &n, &c, 1), 0);
	assert_int_equal(n, 0);
	close(sv[1]);
	assert_int_equal(fd_send(sv[1], NULL, 0, NULL, 0), -EBADF);
}

static void too_many_descriptors(void **state)
{
	int sv[2], fds[FDPASS_MAX + 1], got[2], before, i;
	size_t n;
	char c;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	for (i = 0; i <= FDPASS_MAX; i++)
		fds[i] = 0;	/* stdin, FDPASS_MAX + 1 times */
	assert_int_equal(fd_send(sv[0], fds, FDPASS_MAX + 1, NULL, 0), -EINVAL);

	before = open_fds();
	assert_int_equal(fd_send(sv[0], fds, 4, "a", 1), 0);
	n = 2;
	assert_int_equal(fd_recv(sv[1], got, &n, &c, 1), -EMSGSIZE);
	assert_int_equal(n, 0);
	assert_int_equal(open_fds(), before);

	/* FDPASS_MAX is fine */
	n = FDPASS_MAX;
	assert_int_equal(fd_send(sv[0], fds, FDPASS_MAX, "b", 1), 0);
	{
		int many[FDPASS_MAX];

		assert_int_equal(fd_recv(sv[1], many, &n, &c, 1), 1);
		assert_int_equal(n, FDPASS_MAX);
		for (i = 0; i < FDPASS_MAX; i++)
			close(many[i]);
	}
	assert_int_equal(open_fds(), before);
	close(sv[0]);
	close(sv[1]);
}

static void more_than_fdpass_max_from_a_raw_sender(void **state)
{
	enum { N = FDPASS_MAX + 8 };
	union {
		char buf[CMSG_SPACE(sizeof(int) * N)];
		struct cmsghdr align;
	} u;
	int sv[2], fds[N], got[FDPASS_MAX], before, i;
	struct iovec iov = { .iov_base = "z", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	size_t n = FDPASS_MAX;
	char ch;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	for (i = 0; i < N; i++)
		fds[i] = 0;
	memset(&u, 0, sizeof(u));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(c), fds, sizeof(fds));
	before = open_fds();
	assert_int_equal(sendmsg(sv[0], &msg, 0), 1);
	assert_int_equal(fd_recv(sv[1], got, &n, &ch, 1), -EMSGSIZE);
	assert_int_equal(n, 0);
	assert_int_equal(open_fds(), before);
	close(sv[0]);
	close(sv[1]);
}

static void large_payload_on_a_stream(void **state)
{
	static char big[512 * 1024], in[512 * 1024];
	size_t n, off = 0;
	int sv[2], got[1], status;
	pid_t pid;

	(void)state;
	memset(big, 'q', sizeof(big));
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(sv[1]);
		_exit(fd_send(sv[0], &sv[0], 1, big, sizeof(big)) ? 1 : 0);
	}
	close(sv[0]);
	while (off < sizeof(in)) {
		ssize_t r;

		n = 1;
		r = fd_recv(sv[1], got, &n, in + off, sizeof(in) - off);
		assert_true(r > 0);
		if (n)
			close(got[0]);
		assert_true(off == 0 || n == 0);	/* descriptors came first */
		off += (size_t)r;
	}
	assert_memory_equal(in, big, sizeof(big));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pass_a_pipe_end),
		cmocka_unit_test(payload_only_and_end_of_stream),
		cmocka_unit_test(too_many_descriptors),
		cmocka_unit_test(more_than_fdpass_max_from_a_raw_sender),
		cmocka_unit_test(large_payload_on_a_stream),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
