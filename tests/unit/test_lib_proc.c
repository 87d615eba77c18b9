// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_proc.c - start times, liveness, sibling binaries, sleeping */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"

static void start_time_of_self(void **state)
{
	unsigned long long a = 0, b = 0;

	(void)state;
	assert_int_equal(proc_start_time(getpid(), &a), 0);
	assert_int_equal(proc_start_time(getpid(), &b), 0);
	assert_true(a == b && a > 0);
	assert_true(proc_alive(getpid(), a));
	assert_true(proc_alive(getpid(), 0));		/* 0: any start time */
	assert_false(proc_alive(getpid(), a + 1));	/* a reused PID */
}

static void no_such_process(void **state)
{
	unsigned long long s = 7;

	(void)state;
	assert_int_equal(proc_start_time(0, &s), -ESRCH);
	assert_true(s == 0);
	s = 7;
	assert_int_equal(proc_start_time(-1, &s), -ESRCH);
	assert_true(s == 0);
	assert_int_equal(proc_start_time(0x3ffffff0, &s), -ESRCH);
	assert_false(proc_alive(0, 0));
	assert_false(proc_alive(0x3ffffff0, 0));
}

/* the command name may hold ") " and spaces: the fields after the last ')' */
static void command_name_with_parentheses(void **state)
{
	unsigned long long before, after;
	char old[17] = "";

	(void)state;
	assert_int_equal(prctl(PR_GET_NAME, old, 0, 0, 0), 0);
	assert_int_equal(proc_start_time(getpid(), &before), 0);
	assert_int_equal(prctl(PR_SET_NAME, "x) 1 2 (3) Z 4", 0, 0, 0), 0);
	assert_int_equal(proc_start_time(getpid(), &after), 0);
	assert_true(proc_alive(getpid(), before));
	prctl(PR_SET_NAME, old, 0, 0, 0);
	assert_true(before == after);
}

/* a zombie keeps its start time but does not run; once reaped it is gone */
static void zombie(void **state)
{
	unsigned long long s = 0;
	pid_t pid = fork();
	int i;

	(void)state;
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	for (i = 0; i < 500 && proc_alive(pid, 0); i++)
		proc_sleep_ms(2);
	assert_false(proc_alive(pid, 0));
	assert_int_equal(proc_start_time(pid, &s), 0);
	assert_true(s > 0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	assert_int_equal(proc_start_time(pid, &s), -ESRCH);
	assert_false(proc_alive(pid, s));
}

static void sibling(void **state)
{
	char self[PATH_MAX], want[PATH_MAX + 16], got[PATH_MAX], tiny[8];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	(void)state;
	assert_true(n > 0);
	self[n] = '\0';
	assert_int_equal(proc_self_exe(got, sizeof(got)), 0);
	assert_string_equal(got, self);
	*strrchr(self, '/') = '\0';
	snprintf(want, sizeof(want), "%s/burrow-dns", self);
	assert_int_equal(proc_sibling("burrow-dns", got, sizeof(got)), 0);
	assert_string_equal(got, want);
	assert_int_equal(proc_sibling("burrow-dns", tiny, sizeof(tiny)), -ENAMETOOLONG);
	assert_int_equal(proc_self_exe(tiny, sizeof(tiny)), -ENAMETOOLONG);
	assert_int_equal(proc_self_exe(tiny, 0), -ENAMETOOLONG);
}

/* in a child: stdio all /dev/null, inherited across exec, no fd left over;
 * also when stdin was closed and /dev/null opens as fd 0; 0 if so */
static int stdio_null_in_child(int close_stdin)
{
	char path[32], target[32];
	int status, i, fd;
	pid_t pid = fork();

	if (pid == 0) {
		int lowest = open("/dev/null", O_RDONLY);	/* the lowest free fd */

		close(lowest);
		if (close_stdin)
			close(0);
		if (proc_stdio_null() < 0)
			_exit(10);
		for (i = 0; i < 3; i++) {
			ssize_t n;

			snprintf(path, sizeof(path), "/proc/self/fd/%d", i);
			n = readlink(path, target, sizeof(target) - 1);
			if (n < 0)
				_exit(11);
			target[n] = '\0';
			if (strcmp(target, "/dev/null") || fcntl(i, F_GETFD) != 0)
				_exit(12 + i);
		}
		fd = dup(0);	/* still the lowest: nothing was left open */
		_exit(fd == lowest ? 0 : 20);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void stdio_on_dev_null(void **state)
{
	(void)state;
	assert_int_equal(stdio_null_in_child(0), 0);
	assert_int_equal(stdio_null_in_child(1), 0);
}

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

static long elapsed_ms(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

/* a signal handler running meanwhile does not cut the sleep short */
static void sleep_whole_time(void **state)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 0, 5000 }, { 0, 5000 } }, off = { { 0, 0 }, { 0, 0 } };
	struct timespec t0;

	(void)state;
	assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
	proc_sleep_ms(60);
	setitimer(ITIMER_REAL, &off, NULL);
	signal(SIGALRM, SIG_DFL);
	assert_true(ticks > 0);
	assert_true(elapsed_ms(&t0) >= 60);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	proc_sleep_ms(0);
	assert_true(elapsed_ms(&t0) < 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(start_time_of_self),
		cmocka_unit_test(no_such_process),
		cmocka_unit_test(command_name_with_parentheses),
		cmocka_unit_test(zombie),
		cmocka_unit_test(sibling),
		cmocka_unit_test(stdio_on_dev_null),
		cmocka_unit_test(sleep_whole_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
