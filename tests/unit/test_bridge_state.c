// SPDX-License-Identifier: GPL-2.0-or-later
/* test_bridge_state.c - container records through their phases, and what a
 * kill in the middle of a write leaves */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "bridge/state.h"

static char root[64];

static int setup(void **state)
{
	int fd;

	(void)state;
	snprintf(root, sizeof(root), "/tmp/test_bridge_state.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	fd = state_open(root);
	if (fd < 0)
		return -1;
	state_close(fd);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static struct st_ctr *ctr(const char *key, const char *veth)
{
	static struct st_ctr c;

	memset(&c, 0, sizeof(c));
	snprintf(c.key, sizeof(c.key), "%s", key);
	c.natt = 1;
	snprintf(c.att[0].net.name, sizeof(c.att[0].net.name), "n");
	snprintf(c.att[0].veth, sizeof(c.att[0].veth), "%s", veth);
	return &c;
}

static int exists(const char *key, const char *suffix)
{
	char path[256];

	state_ctr_path(root, key, suffix, path, sizeof(path));
	return access(path, F_OK) == 0;
}

/* Append @txt to the record file of @key with @suffix, as a kill leaves it. */
static void append_raw(const char *key, const char *suffix, const char *txt)
{
	char path[256];
	int fd;

	state_ctr_path(root, key, suffix, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, txt, strlen(txt)), (ssize_t)strlen(txt));
	close(fd);
}

static int count_cb(const struct st_ctr *c, void *data)
{
	int *n = data;

	n[c->phase]++;
	return 0;
}

static void phases_move_one_file(void **state)
{
	struct st_ctr *c = ctr("k1", "vb1"), got;
	int n[3] = { 0 };

	(void)state;
	c->phase = ST_SETUP;
	assert_int_equal(state_save(root, c), 0);
	assert_true(exists("k1", ".setup"));
	assert_int_equal(state_load(root, "k1", &got), 0);
	assert_int_equal(got.phase, ST_SETUP);
	assert_string_equal(got.att[0].veth, "vb1");

	/* what setup learns later is a line more; the last one counts */
	snprintf(c->att[0].veth, sizeof(c->att[0].veth), "vb2");
	assert_int_equal(state_save(root, c), 0);
	c->phase = ST_READY;
	assert_int_equal(state_save(root, c), 0);
	assert_false(exists("k1", ".setup"));
	assert_true(exists("k1", ".json"));
	assert_int_equal(state_load(root, "k1", &got), 0);
	assert_int_equal(got.phase, ST_READY);
	assert_string_equal(got.att[0].veth, "vb2");

	c->phase = ST_TEARDOWN;
	assert_int_equal(state_save(root, c), 0);
	assert_false(exists("k1", ".json"));
	assert_int_equal(state_load(root, "k1", &got), 0);
	assert_int_equal(got.phase, ST_TEARDOWN);

	state_for_each_ctr(root, count_cb, n);
	assert_int_equal(n[ST_TEARDOWN], 1);
	assert_int_equal(n[ST_READY] + n[ST_SETUP], 0);
	assert_int_equal(state_remove(root, "k1"), 0);
	assert_int_equal(state_load(root, "k1", &got), -ENOENT);
}

static void cut_lines_are_skipped(void **state)
{
	struct st_ctr *c = ctr("k2", "vb3"), got;

	(void)state;
	/* an intent cut short: the setup was killed before any change */
	append_raw("k2", ".setup", "\n{\"key\":\"k2\",\"attach");
	assert_int_equal(state_load(root, "k2", &got), -ENOENT);
	/* the next setup's intent is not glued to it */
	c->phase = ST_SETUP;
	assert_int_equal(state_save(root, c), 0);
	assert_int_equal(state_load(root, "k2", &got), 0);
	assert_string_equal(got.att[0].veth, "vb3");
	/* a later line cut short: the one before counts */
	append_raw("k2", ".setup", "\n{\"key\":\"k2\",\"attachments\":[{\"ve");
	assert_int_equal(state_load(root, "k2", &got), 0);
	assert_string_equal(got.att[0].veth, "vb3");
	assert_int_equal(got.phase, ST_SETUP);
}

static void stale_intent_is_removed(void **state)
{
	struct st_ctr *c = ctr("k3", "vb4");

	(void)state;
	append_raw("k4", ".setup", "{\"key\":");
	c->phase = ST_SETUP;
	assert_int_equal(state_save(root, c), 0);
	state_remove_stale(root);
	assert_false(exists("k4", ".setup"));
	assert_true(exists("k3", ".setup"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(phases_move_one_file, setup, teardown),
		cmocka_unit_test_setup_teardown(cut_lines_are_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(stale_intent_is_removed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
