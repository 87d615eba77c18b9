// SPDX-License-Identifier: GPL-2.0-or-later
/* test_dns_isolation.c - the seccomp allow-list of burrow-dns: what the loop
 * needs still works, anything else ends the process with status 2 and one
 * line naming the call */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dns/isolation.h"

/* child() - install the filter, then one allowed and one refused call */
static void child(int out)
{
	int fd;

	dup2(out, STDERR_FILENO);
	if (isolate_seccomp())
		_exit(10);
	fd = socket(AF_INET, SOCK_DGRAM, 0);		/* allowed */
	if (fd < 0)
		_exit(11);
	close(fd);
	fd = open("/proc/self/status", O_RDONLY);	/* allowed (openat) */
	if (fd < 0)
		_exit(12);
	close(fd);
	syscall(SYS_getppid);				/* not allowed */
	_exit(0);
}

static void refused_call_exits(void **state)
{
	char buf[256] = "";
	int p[2], status;
	ssize_t n;
	pid_t pid;

	(void)state;
#if defined(__SANITIZE_ADDRESS__)
	skip();		/* sanitizer builds run without the filter */
#endif
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		close(p[0]);
		child(p[1]);
	}
	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
	assert_true(n > 0);
	assert_non_null(strstr(buf, "seccomp: system call"));
	assert_non_null(strstr(buf, "not allowed"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refused_call_exits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
