// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_dir.c - walking and counting the records of a folder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dir.h"

static char root[64];

static void touch(const char *name)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/test_lib_dir.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	touch("a.json");
	touch("b.json");
	touch(".json");		/* hidden: skipped */
	touch(".lock");
	touch("c.jsonx");
	touch("d");
	return 0;
}

static int teardown(void **state)
{
	static const char *names[] = { "a.json", "b.json", ".json", ".lock", "c.jsonx", "d" };
	char path[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, names[i]);
		unlink(path);
	}
	return rmdir(root);
}

struct seen {
	char names[8][16];
	int n, stop_at;
};

static int record(const char *dir, const char *name, void *data)
{
	struct seen *s = data;

	assert_string_equal(dir, root);
	snprintf(s->names[s->n], sizeof(s->names[0]), "%s", name);
	return ++s->n == s->stop_at ? 42 : 0;
}

static void suffix_selects_and_dots_are_skipped(void **state)
{
	struct seen s = { .n = 0 };

	(void)state;
	assert_int_equal(dir_each(root, ".json", record, &s), 0);
	assert_int_equal(s.n, 2);
	assert_true(!strcmp(s.names[0], "a.json") || !strcmp(s.names[1], "a.json"));
	assert_true(!strcmp(s.names[0], "b.json") || !strcmp(s.names[1], "b.json"));
	assert_int_equal(dir_count(root, ".json"), 2);
	assert_int_equal(dir_count(root, ""), 4);
}

static void callback_stops_the_walk(void **state)
{
	struct seen s = { .stop_at = 1 };

	(void)state;
	assert_int_equal(dir_each(root, "", record, &s), 42);
	assert_int_equal(s.n, 1);
}

static void missing_folder_is_empty(void **state)
{
	char path[128];
	struct seen s = { .n = 0 };

	(void)state;
	snprintf(path, sizeof(path), "%s/none", root);
	assert_int_equal(dir_each(path, "", record, &s), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(dir_count(path, ".json"), 0);
	snprintf(path, sizeof(path), "%s/d", root);	/* a file, not a folder */
	assert_int_equal(dir_count(path, ""), -ENOTDIR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(suffix_selects_and_dots_are_skipped),
		cmocka_unit_test(callback_stops_the_walk),
		cmocka_unit_test(missing_folder_is_empty),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
