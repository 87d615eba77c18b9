// SPDX-License-Identifier: GPL-2.0-or-later
/* test_launcher_state.c - container records: create, find, list, status, remove */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "launcher/cmds.h"
#include "launcher/state.h"
#include "lock.h"

static char dir[] = "/tmp/burrow-unit-state.XXXXXX";

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	setenv("BURROW_STATE_DIR", dir, 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void records_round_trip(void **state)
{
	struct ctr a = { .net_exitfd = -1 }, b, found;
	char err[256];
	int lock_a, lock_b, code = -1;

	(void)state;
	snprintf(a.name, sizeof(a.name), "web");
	snprintf(a.runtime, sizeof(a.runtime), "crun");
	snprintf(a.network, sizeof(a.network), "none");
	a.pid = 42;
	assert_int_equal(state_new(&a, &lock_a, err, sizeof(err)), 0);
	assert_int_equal(strlen(a.id), CTR_ID_LEN);
	assert_true(lock_a >= 0);

	/* the name is taken */
	memset(&b, 0, sizeof(b));
	snprintf(b.name, sizeof(b.name), "web");
	assert_int_equal(state_new(&b, &lock_b, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "already in use"));

	assert_int_equal(state_find("web", &found), 0);
	assert_string_equal(found.id, a.id);
	assert_int_equal(found.pid, 42);
	assert_int_equal(state_find(a.id, &found), 0);
	assert_int_equal(state_find("zz-none", &found), -ENOENT);

	/* supervised while the lock is held; dead once it is released */
	assert_int_equal(state_status(&found, NULL), CTR_RUNNING);
	lock_release(lock_a);
	assert_int_equal(state_status(&found, NULL), CTR_DEAD);
	assert_int_equal(state_write_exit(&found, 7), 0);
	assert_int_equal(state_status(&found, &code), CTR_EXITED);
	assert_int_equal(code, 7);
	assert_string_equal(state_status_name(CTR_EXITED), "exited");

	assert_int_equal(state_remove(&found), 0);
	assert_int_equal(state_find("web", &found), -ENOENT);
}

static void json_is_checked(void **state)
{
	json_t *j = json_pack("{s:s}", "id", "x");
	struct ctr c;

	(void)state;
	assert_int_equal(state_from_json(j, &c), -EINVAL);
	json_decref(j);
}

static void signals_parse(void **state)
{
	(void)state;
	assert_int_equal(signal_parse("TERM"), 15);
	assert_int_equal(signal_parse("SIGKILL"), 9);
	assert_int_equal(signal_parse("sigusr1"), 10);
	assert_int_equal(signal_parse("2"), 2);
	assert_int_equal(signal_parse("0"), -1);
	assert_int_equal(signal_parse("99"), -1);
	assert_int_equal(signal_parse("NOPE"), -1);
	assert_int_equal(signal_parse(""), -1);
}

static void k8s_log_lines(void **state)
{
	int partial = -1;

	(void)state;
	assert_string_equal(log_line_text("2026-11-26T07:42:01.123456789Z stdout F hello", &partial),
			    "hello");
	assert_int_equal(partial, 0);
	assert_string_equal(log_line_text("2026-11-26T07:42:01.123456789Z stderr P part", &partial),
			    "part");
	assert_int_equal(partial, 1);
	assert_string_equal(log_line_text("2026-11-26T07:42:01.123456789Z stdout F", &partial), "");
	/* plain text from the fallback supervisor is printed as it is */
	assert_string_equal(log_line_text("hello world", &partial), "hello world");
	assert_string_equal(log_line_text("2026-11-26T07:42:01Z other F x", &partial),
			    "2026-11-26T07:42:01Z other F x");
	assert_string_equal(log_line_text("", &partial), "");
}

static void count_removed(const char *id, void *data)
{
	(void)id;
	(*(int *)data)++;
}

/* a run killed between mkdir() and its first save leaves a folder with no
 * record: swept, unless its lock is held (a run still making it) */
static void unfinished_folders_swept(void **state)
{
	char root[512], path[600];
	struct ctr a = { .net_exitfd = -1 };
	char err[256];
	int lock_a, held, n = 0;

	(void)state;
	assert_int_equal(state_root(root, sizeof(root)), 0);
	snprintf(path, sizeof(path), "%s/0123456789ab", root);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/ba9876543210", root);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/ba9876543210/lock", root);
	held = lock_acquire(path, 1, 0);
	assert_true(held >= 0);
	snprintf(a.runtime, sizeof(a.runtime), "crun");
	snprintf(a.network, sizeof(a.network), "none");
	assert_int_equal(state_new(&a, &lock_a, err, sizeof(err)), 0);

	assert_int_equal(state_sweep_unfinished(count_removed, &n), 1);
	assert_int_equal(n, 1);
	snprintf(path, sizeof(path), "%s/0123456789ab", root);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/ba9876543210", root);
	assert_int_equal(access(path, F_OK), 0);		/* its lock is held */
	assert_int_equal(access(a.dir, F_OK), 0);		/* it has a record */
	lock_release(held);
	assert_int_equal(state_sweep_unfinished(NULL, NULL), 1);
	assert_int_equal(state_remove(&a), 0);
	lock_release(lock_a);
}

/* the same in another folder (the pods'): an unfinished folder swept, one
 * with a record and names that are not IDs left alone */
static void unfinished_folders_swept_in(void **state)
{
	char root[512], path[700];
	int n = 0, fd;

	(void)state;
	assert_int_equal(state_root(root, sizeof(root)), 0);
	snprintf(root + strlen(root), sizeof(root) - strlen(root), "/../pods-test");
	assert_int_equal(mkdir(root, 0700), 0);
	snprintf(path, sizeof(path), "%s/00112233aabb", root);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/ccddeeff0011", root);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/ccddeeff0011/state.json", root);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/not-an-id", root);
	assert_int_equal(mkdir(path, 0700), 0);

	assert_int_equal(state_sweep_unfinished_in(root, count_removed, &n), 1);
	assert_int_equal(n, 1);
	snprintf(path, sizeof(path), "%s/00112233aabb", root);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/ccddeeff0011/state.json", root);
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/not-an-id", root);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(state_sweep_unfinished_in(root, NULL, NULL), 0);
	assert_int_equal(state_sweep_unfinished_in("/nonexistent-burrow-dir", NULL, NULL), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records_round_trip),
		cmocka_unit_test(unfinished_folders_swept),
		cmocka_unit_test(unfinished_folders_swept_in),
		cmocka_unit_test(json_is_checked),
		cmocka_unit_test(signals_parse),
		cmocka_unit_test(k8s_log_lines),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
