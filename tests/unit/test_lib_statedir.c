// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_statedir.c - state folders: where, created how, refused when */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lock.h"
#include "statedir.h"

static char top[] = "/tmp/test_lib_statedir.XXXXXX";

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(top))
		return -1;
	unsetenv("BURROW_STATE_DIR");
	unsetenv("BURROW_ROOTLESS");
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd);
}

/* Path under the per-run temporary folder */
static const char *tmp(const char *rel)
{
	static char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s/%s", top, rel);
	return buf;
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

static void mkdir_p_creates_parents(void **state)
{
	char path[PATH_MAX + 8], file[PATH_MAX];

	(void)state;
	snprintf(path, sizeof(path), "%s", tmp("a/b//c/"));
	assert_int_equal(mkdir_p(path, 0750), 0);
	assert_int_equal(mode_of(tmp("a/b/c")) & 0777 & ~0750, 0);
	assert_int_equal(mkdir_p(path, 0700), 0);	/* exists: fine */

	snprintf(file, sizeof(file), "%s", tmp("a/file"));
	close(open(file, O_CREAT | O_WRONLY, 0600));
	assert_int_equal(mkdir_p(file, 0700), -ENOTDIR);
	snprintf(path, sizeof(path), "%s/x", file);
	assert_int_equal(mkdir_p(path, 0700), -ENOTDIR);
	assert_int_equal(mkdir_p("", 0700), -EINVAL);
}

static void mkdir_p_too_long(void **state)
{
	char *path = malloc(PATH_MAX + 10);

	(void)state;
	memset(path, 'x', PATH_MAX + 9);
	path[0] = '/';
	path[PATH_MAX + 9] = '\0';
	assert_int_equal(mkdir_p(path, 0700), -ENAMETOOLONG);
	free(path);
}

static void rootless_flag(void **state)
{
	(void)state;
	if (geteuid() == 0) {
		assert_false(rootless());
		setenv("BURROW_ROOTLESS", "0", 1);
		assert_false(rootless());
	}
	setenv("BURROW_ROOTLESS", "1", 1);
	assert_true(rootless());
	unsetenv("BURROW_ROOTLESS");
}

/* statedir_lock() holds STATEDIR/SUB/.lock exclusively until released */
static void folder_lock_is_exclusive(void **state)
{
	int fd;

	(void)state;
	setenv("BURROW_STATE_DIR", tmp("locked"), 1);
	fd = statedir_lock("pods");
	assert_true(fd >= 0);
	assert_int_equal(lock_acquire(tmp("locked/pods/.lock"), 1, 0), -EWOULDBLOCK);
	lock_release(fd);
	fd = lock_acquire(tmp("locked/pods/.lock"), 1, 0);
	assert_true(fd >= 0);
	lock_release(fd);
	unsetenv("BURROW_STATE_DIR");
}

static void override_dir_is_created_private(void **state)
{
	char buf[PATH_MAX];

	(void)state;
	setenv("BURROW_STATE_DIR", tmp("override/state"), 1);
	assert_int_equal(statedir_root(buf, sizeof(buf)), 0);
	assert_string_equal(buf, tmp("override/state"));
	assert_int_equal(mode_of(buf), 0700);

	/* an existing folder of ours with group access is made private */
	assert_int_equal(chmod(buf, 0755), 0);
	assert_int_equal(statedir_root(buf, sizeof(buf)), 0);
	assert_int_equal(mode_of(buf), 0700);

	assert_int_equal(statedir_root(buf, 8), -ENAMETOOLONG);
	unsetenv("BURROW_STATE_DIR");
}

static void rootless_uses_xdg_runtime_dir(void **state)
{
	char buf[PATH_MAX];

	(void)state;
	setenv("BURROW_ROOTLESS", "1", 1);
	assert_int_equal(mkdir_p(tmp("xdg"), 0700), 0);
	setenv("XDG_RUNTIME_DIR", tmp("xdg"), 1);
	assert_int_equal(statedir_root(buf, sizeof(buf)), 0);
	assert_string_equal(buf, tmp("xdg/burrow"));
	assert_int_equal(mode_of(buf), 0700);
	unsetenv("BURROW_ROOTLESS");
	unsetenv("XDG_RUNTIME_DIR");
}

static void foreign_or_symlinked_root_is_refused(void **state)
{
	char buf[PATH_MAX], target[PATH_MAX];

	(void)state;
	snprintf(target, sizeof(target), "%s", tmp("real"));
	assert_int_equal(mkdir(target, 0700), 0);
	assert_int_equal(symlink(target, tmp("link")), 0);
	setenv("BURROW_STATE_DIR", tmp("link"), 1);
	assert_int_equal(statedir_root(buf, sizeof(buf)), -ENOTDIR);

	if (geteuid() == 0) {
		assert_int_equal(chown(target, 65534, 65534), 0);
		setenv("BURROW_STATE_DIR", target, 1);
		assert_int_equal(statedir_root(buf, sizeof(buf)), -EPERM);
	}
	unsetenv("BURROW_STATE_DIR");
}

static void sub_paths(void **state)
{
	static const char *const bad[] = {
		"", "/abs", "..", "../x", "a/../b", "a/..", ".", "./a", "a//b", "a/",
	};
	char buf[PATH_MAX];
	size_t i;

	(void)state;
	setenv("BURROW_STATE_DIR", tmp("subs"), 1);
	assert_int_equal(statedir_path("containers/abc", buf, sizeof(buf)), 0);
	assert_string_equal(buf, tmp("subs/containers/abc"));
	assert_int_equal(mode_of(buf), 0700);
	assert_int_equal(mode_of(tmp("subs/containers")), 0700);
	assert_int_equal(statedir_path("a..b", buf, sizeof(buf)), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (statedir_path(bad[i], buf, sizeof(buf)) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
	}
	unsetenv("BURROW_STATE_DIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mkdir_p_creates_parents),
		cmocka_unit_test(mkdir_p_too_long),
		cmocka_unit_test(rootless_flag),
		cmocka_unit_test(override_dir_is_created_private),
		cmocka_unit_test(rootless_uses_xdg_runtime_dir),
		cmocka_unit_test(foreign_or_symlinked_root_is_refused),
		cmocka_unit_test(sub_paths),
		cmocka_unit_test(folder_lock_is_exclusive),
	};
	umask(022);
	return cmocka_run_group_tests(tests, setup, teardown);
}
