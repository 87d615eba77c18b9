// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_ns.c - open, compare, enter, bind and unbind namespaces; the bind
 * tests run in a private mount namespace (root only)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "ns.h"

static int is_root;
static char tmpdir[] = "/tmp/test_lib_ns.XXXXXX";

/* Root: a private mount namespace (mounts vanish with the process) */
static int setup(void **state)
{
	(void)state;
	log_init("test_lib_ns", LOG_LVL_ERROR, 0);
	if (!mkdtemp(tmpdir))
		return -1;
	if (geteuid() != 0)
		return 0;	/* the mount tests need root; as a user they skip */
	/* as root these always work: failing here fails the group, it does
	 * not skip the tests */
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		print_error("private mount namespace: %s\n", strerror(errno));
		return -1;
	}
	is_root = 1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rmdir(tmpdir);
	return 0;
}

static void open_and_compare(void **state)
{
	int a, b, u;

	(void)state;
	a = ns_open_pid(0, "net");
	b = ns_open_pid(getpid(), "net");
	u = ns_open_pid(0, "user");
	assert_true(a >= 0 && b >= 0 && u >= 0);
	assert_int_equal(ns_same(a, b), 1);
	assert_int_equal(ns_same(a, u), 0);
	assert_int_equal(ns_open_pid(0, "nosuchns"), -ENOENT);
	assert_int_equal(ns_same(a, -1), -EBADF);
	close(a);
	close(b);
	close(u);
}

static void enter_own_namespace(void **state)
{
	(void)state;
	if (!is_root)
		skip();
	/* entering the namespace we are in is allowed and changes nothing */
	assert_int_equal(ns_enter_path("/proc/self/ns/net", CLONE_NEWNET), 0);
	assert_int_equal(ns_enter_path("/proc/self/ns/net", CLONE_NEWUTS), -EINVAL);
	assert_int_equal(ns_enter_path("/nonexistent/ns", CLONE_NEWNET), -ENOENT);
	assert_int_equal(ns_enter_fd(-1, 0, "nothing"), -EBADF);
}

static void bind_keeps_namespace(void **state)
{
	char target[PATH_MAX];
	int here, kept;

	(void)state;
	if (!is_root)
		skip();
	snprintf(target, sizeof(target), "%s/net", tmpdir);
	here = ns_open_pid(0, "net");
	assert_int_equal(ns_bind("/proc/self/ns/net", target), 0);
	assert_int_equal(ns_bind("/proc/self/ns/net", target), -EEXIST);
	kept = open(target, O_RDONLY | O_CLOEXEC);
	assert_true(kept >= 0);
	assert_int_equal(ns_same(here, kept), 1);
	close(kept);
	assert_int_equal(ns_unbind(target), 0);
	assert_int_equal(access(target, F_OK), -1);
	assert_int_equal(ns_unbind(target), -ENOENT);
	/* a failed bind leaves no file behind */
	assert_int_equal(ns_bind("/nonexistent/ns", target), -ENOENT);
	assert_int_equal(access(target, F_OK), -1);
	close(here);
}

static void rundir_is_shared_mount(void **state)
{
	char dir[PATH_MAX], line[1024];
	int found = 0;
	FILE *f;

	(void)state;
	if (!is_root)
		skip();
	snprintf(dir, sizeof(dir), "%s/run", tmpdir);
	assert_int_equal(ns_rundir_prepare(dir), 0);
	assert_int_equal(ns_rundir_prepare(dir), 0);	/* idempotent */
	f = fopen("/proc/self/mountinfo", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, dir) && strstr(line, "shared:"))
			found = 1;
	fclose(f);
	assert_true(found);
	while (umount2(dir, MNT_DETACH) == 0)
		;
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_and_compare),
		cmocka_unit_test(enter_own_namespace),
		cmocka_unit_test(bind_keeps_namespace),
		cmocka_unit_test(rundir_is_shared_mount),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
