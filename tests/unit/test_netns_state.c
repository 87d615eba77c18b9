// SPDX-License-Identifier: GPL-2.0-or-later
/* test_netns_state.c - namespace names, rootless records */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns/state.h"
#include "proc.h"

static char root[] = "/tmp/test_netns_state.XXXXXX";

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(root))
		return -1;
	setenv("BURROW_STATE_DIR", root, 1);
	setenv("BURROW_ROOTLESS", "1", 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

/* records take lib/name's rule (name_valid()), the one every program uses */
static void names(void **state)
{
	static const char *bad[] = { "", ".hidden", "-opt", "a/b", "..", "../x", "sp ace",
				     "nl\n", "_x" };
	char long_name[NETNS_NAME_MAX + 2];
	unsigned long long me;
	size_t i;

	(void)state;
	assert_int_equal(proc_start_time(getpid(), &me), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (state_write(bad[i], getpid(), me) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[NETNS_NAME_MAX] = '\0';
	assert_int_equal(state_write(long_name, getpid(), me), 0);
	assert_int_equal(state_remove(long_name), 0);
	long_name[NETNS_NAME_MAX] = 'x';
	long_name[NETNS_NAME_MAX + 1] = '\0';
	assert_int_equal(state_write(long_name, getpid(), me), -EINVAL);
	assert_int_equal(state_write("a.b_c-D9", getpid(), me), 0);
	assert_int_equal(state_remove("a.b_c-D9"), 0);
}

static void record_text(void **state)
{
	unsigned long long start = 0;
	char buf[128];
	pid_t pid = 0;

	(void)state;
	assert_true(state_format(4242, 123456789ULL, buf, sizeof(buf)) > 0);
	assert_int_equal(state_parse(buf, &pid, &start), 0);
	assert_int_equal(pid, 4242);
	assert_true(start == 123456789ULL);
	assert_int_equal(state_format(1, 2, buf, 4), -ENOSPC);

	assert_int_equal(state_parse("pid=10\n", &pid, &start), -EINVAL);
	assert_int_equal(state_parse("start=5\n", &pid, &start), -EINVAL);
	assert_int_equal(state_parse("pid=x\nstart=5\n", &pid, &start), -EINVAL);
	assert_int_equal(state_parse("pid=1\nstart=5\n", &pid, &start), -EINVAL);
	assert_int_equal(state_parse("pid=-3\nstart=5\n", &pid, &start), -EINVAL);
	assert_int_equal(state_parse("pid=99999999999\nstart=5\n", &pid, &start), -EINVAL);
	assert_int_equal(state_parse("pid=10\nstart=-5\n", &pid, &start), -EINVAL);
	assert_int_equal(state_parse("pid=10\nstart=5x\n", &pid, &start), -EINVAL);
	assert_int_equal(state_parse("", &pid, &start), -EINVAL);
	/* unknown keys are ignored, order does not matter, last newline optional */
	assert_int_equal(state_parse("start=7\nmode=rootless\npid=11", &pid, &start), 0);
	assert_int_equal(pid, 11);
	assert_true(start == 7);
}

static int collect(const struct netns_rec *rec, void *data)
{
	char *out = data;

	strcat(out, rec->name);
	strcat(out, rec->alive ? "+ " : "- ");
	return 0;
}

static void records_on_disk(void **state)
{
	unsigned long long me;
	struct netns_rec rec;
	char seen[256] = "";

	(void)state;
	assert_int_equal(proc_start_time(getpid(), &me), 0);
	assert_int_equal(state_lookup("n1", &rec), -ENOENT);
	assert_int_equal(state_write("n1", getpid(), me), 0);
	assert_int_equal(state_write("n1", getpid(), me), -EEXIST);
	assert_int_equal(state_write("../x", getpid(), me), -EINVAL);
	/* a record whose PID now belongs to another process is stale */
	assert_int_equal(state_write("a0", getpid(), me + 1), 0);

	assert_int_equal(state_lookup("n1", &rec), 0);
	assert_int_equal(rec.mode, NETNS_ROOTLESS);
	assert_int_equal(rec.pid, getpid());
	assert_true(rec.alive);
	assert_string_equal(rec.name, "n1");
	assert_int_equal(state_lookup("a0", &rec), 0);
	assert_false(rec.alive);

	assert_int_equal(state_list(collect, seen), 0);
	assert_string_equal(seen, "a0- n1+ ");	/* sorted, lock/temp files skipped */

	assert_int_equal(state_remove("a0"), 0);
	assert_int_equal(state_remove("a0"), -ENOENT);
	assert_int_equal(state_remove("n1"), 0);
	seen[0] = '\0';
	assert_int_equal(state_list(collect, seen), 0);
	assert_string_equal(seen, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names),
		cmocka_unit_test(record_text),
		cmocka_unit_test(records_on_disk),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
