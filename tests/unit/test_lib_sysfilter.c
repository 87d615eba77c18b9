// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_sysfilter.c - allow-lists: listed calls work, socket() only for the
 * listed families, everything else gets the deny action */

#include <errno.h>
#include <seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sysfilter.h"

/* in a child (filters cannot be lifted): exit code 0 when all held */
static int child_checks(void)
{
	static const int calls[] = {
		SCMP_SYS(close), SCMP_SYS(getpid), SCMP_SYS(exit), SCMP_SYS(exit_group),
		SCMP_SYS(write), SCMP_SYS(rt_sigreturn),
		/* sanitizer runtimes */
		SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mprotect),
		SCMP_SYS(madvise), SCMP_SYS(futex), SCMP_SYS(sigaltstack),
		SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask), SCMP_SYS(getrlimit),
		SCMP_SYS(prlimit64), SCMP_SYS(sched_getaffinity), SCMP_SYS(gettid),
	};
	static const int families[] = { AF_UNIX };
	int fd;

	if (sysfilter_load(calls, sizeof(calls) / sizeof(calls[0]), families, 1,
			   SCMP_ACT_ERRNO(EPERM)))
		return 10;
	if (getpid() <= 0)
		return 11;
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0)
		return 12;
	close(fd);
	if (socket(AF_INET, SOCK_DGRAM, 0) >= 0 || errno != EPERM)
		return 13;
	if (getppid() >= 0 || errno != EPERM)	/* not listed */
		return 14;
	return 0;
}

static void test_filter_in_child(void **state)
{
	int status = -1;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_checks());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_in_child),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
