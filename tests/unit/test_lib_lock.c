// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_lock.c - flock-based locks: exclusion, sharing, waiting */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lock.h"

static char top[] = "/tmp/test_lib_lock.XXXXXX";
static char path[PATH_MAX];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(top))
		return -1;
	snprintf(path, sizeof(path), "%s/lock", top);
	return 0;
}

static int teardown(void **state)
{
	char other[PATH_MAX];

	(void)state;
	snprintf(other, sizeof(other), "%s/link", top);
	unlink(other);
	unlink(path);
	return rmdir(top);
}

static void exclusive_excludes(void **state)
{
	struct stat st;
	int a, b;

	(void)state;
	a = lock_acquire(path, 1, 0);
	assert_true(a >= 0);
	assert_true(fcntl(a, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(fstat(a, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(lock_acquire(path, 1, 0), -EWOULDBLOCK);
	assert_int_equal(lock_acquire(path, 0, 0), -EWOULDBLOCK);
	lock_release(a);
	b = lock_acquire(path, 1, 0);
	assert_true(b >= 0);
	lock_release(b);
	lock_release(-1);
}

static void shared_locks_share(void **state)
{
	int a, b;

	(void)state;
	a = lock_acquire(path, 0, 0);
	b = lock_acquire(path, 0, 1);
	assert_true(a >= 0 && b >= 0);
	assert_int_equal(lock_acquire(path, 1, 0), -EWOULDBLOCK);
	lock_release(a);
	lock_release(b);
}

static void bad_paths(void **state)
{
	char link[PATH_MAX];

	(void)state;
	assert_int_equal(lock_acquire("/nonexistent-burrow-dir/lock", 1, 0), -ENOENT);
	snprintf(link, sizeof(link), "%s/link", top);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(lock_acquire(link, 1, 0), -ELOOP);
}

static void waiter_gets_lock_after_release(void **state)
{
	struct pollfd pfd;
	int p[2], held, status;
	char c;
	pid_t pid;

	(void)state;
	held = lock_acquire(path, 1, 0);
	assert_true(held >= 0);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd;

		close(p[0]);
		close(held);	/* the lock stays held through the parent's fd */
		fd = lock_acquire(path, 1, 1);
		_exit(fd >= 0 && write(p[1], "x", 1) == 1 ? 0 : 1);
	}
	close(p[1]);
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 200), 0);	/* still waiting */
	lock_release(held);
	assert_int_equal(poll(&pfd, 1, 30000), 1);
	assert_int_equal(read(p[0], &c, 1), 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(p[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exclusive_excludes),
		cmocka_unit_test(shared_locks_share),
		cmocka_unit_test(bad_paths),
		cmocka_unit_test(waiter_gets_lock_after_release),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
