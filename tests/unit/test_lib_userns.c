// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_userns.c - map planning from subuid/subgid files, map formatting,
 * and the holder lifetimes of userns_create() (as root: maps written directly) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "userns.h"

static char dir[] = "/tmp/test_lib_userns.XXXXXX";
static char subuid[64], subgid[64];
static struct userns_maps maps;
static char err[512];

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int plan(enum userns_mode mode, int fallback, const char *u, const char *g)
{
	struct userns_opts o = { .mode = mode, .single_id_ok = fallback };

	put(subuid, u);
	put(subgid, g);
	return userns_plan_ids(&o, 1000, 1001, "alice", subuid, subgid, &maps,
			       err, sizeof(err));
}

static void expect_line(const struct userns_map *m, unsigned long in,
			unsigned long out, unsigned long count)
{
	assert_int_equal(m->inside, in);
	assert_int_equal(m->outside, out);
	assert_int_equal(m->count, count);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(subuid, sizeof(subuid), "%s/subuid", dir);
	snprintf(subgid, sizeof(subgid), "%s/subgid", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(subuid);
	unlink(subgid);
	return rmdir(dir);
}

static void map_root_puts_own_id_at_zero(void **state)
{
	(void)state;
	assert_int_equal(plan(USERNS_MAP_ROOT, 0, "alice:100000:65536\n1000:300000:10\n",
			      "alice:200000:65536\n"), 0);
	assert_int_equal(maps.single_id, 0);
	assert_int_equal(maps.nuid, 3);
	expect_line(&maps.uid[0], 0, 1000, 1);
	expect_line(&maps.uid[1], 1, 100000, 65536);
	expect_line(&maps.uid[2], 65537, 300000, 10);
	assert_int_equal(maps.ngid, 2);
	expect_line(&maps.gid[0], 0, 1001, 1);
	expect_line(&maps.gid[1], 1, 200000, 65536);
}

static void keep_id_maps_own_id_to_itself(void **state)
{
	(void)state;
	assert_int_equal(plan(USERNS_KEEP_ID, 0, "alice:100000:65536\n",
			      "alice:200000:65536\n"), 0);
	assert_int_equal(maps.nuid, 3);
	expect_line(&maps.uid[0], 0, 100000, 1000);
	expect_line(&maps.uid[1], 1000, 1000, 1);
	expect_line(&maps.uid[2], 1001, 101000, 64536);
	assert_int_equal(maps.ngid, 3);
	expect_line(&maps.gid[0], 0, 200000, 1001);
	expect_line(&maps.gid[1], 1001, 1001, 1);
	expect_line(&maps.gid[2], 1002, 201001, 64535);
	/* a range too small to reach our own ID */
	assert_int_equal(plan(USERNS_KEEP_ID, 0, "alice:5000:10\n", "alice:6000:10\n"), 0);
	assert_int_equal(maps.nuid, 2);
	expect_line(&maps.uid[0], 0, 5000, 10);
	expect_line(&maps.uid[1], 1000, 1000, 1);
}

static void range_containing_own_id_is_split(void **state)
{
	(void)state;
	assert_int_equal(plan(USERNS_MAP_ROOT, 0, "alice:990:20\n", "alice:2000:5\n"), 0);
	assert_int_equal(maps.nuid, 3);
	expect_line(&maps.uid[0], 0, 1000, 1);
	expect_line(&maps.uid[1], 1, 990, 10);
	expect_line(&maps.uid[2], 11, 1001, 9);
}

static void fallback_to_single_id_says_why(void **state)
{
	(void)state;
	assert_int_equal(plan(USERNS_MAP_ROOT, 1, "bob:1:2\n", ""), 0);
	assert_int_equal(maps.single_id, 1);
	assert_int_equal(maps.nuid, 1);
	expect_line(&maps.uid[0], 0, 1000, 1);
	assert_int_equal(maps.ngid, 1);
	expect_line(&maps.gid[0], 0, 1001, 1);
	assert_non_null(strstr(err, "no subordinate UIDs and GIDs for alice (uid 1000)"));
	assert_non_null(strstr(err, "single-ID map"));

	/* only the gid side missing */
	assert_int_equal(plan(USERNS_KEEP_ID, 1, "alice:100000:65536\n", ""), 0);
	assert_int_equal(maps.single_id, 1);
	assert_int_equal(maps.nuid, 3);
	assert_int_equal(maps.ngid, 1);
	expect_line(&maps.gid[0], 1001, 1001, 1);
	assert_non_null(strstr(err, "no subordinate GIDs"));
}

static void no_ranges_without_fallback_fails(void **state)
{
	(void)state;
	assert_int_equal(plan(USERNS_MAP_ROOT, 0, "alice:100000:65536\n", "bob:1:1\n"), -ENOENT);
	assert_non_null(strstr(err, "no subordinate GIDs for alice (uid 1000) in "));
	assert_non_null(strstr(err, "/subgid"));
}

static void file_errors_pass_through(void **state)
{
	(void)state;
	assert_int_equal(plan(USERNS_MAP_ROOT, 1, "alice:100000:65536\nalice:1:zz\n", ""),
			 -EINVAL);
	assert_non_null(strstr(err, "/subuid:2: bad count 'zz'"));
	assert_int_equal(plan(USERNS_MAP_ROOT, 1, "alice:1:10\n", "1000:1:10\nalice:5:1\n"),
			 -EINVAL);
	assert_non_null(strstr(err, "/subgid:2: range 5-5 overlaps range 1-10 of line 1"));
}

static void format_like_proc(void **state)
{
	struct userns_map m[2] = { { 0, 1000, 1 }, { 1, 100000, 65536 } };
	char buf[128];

	(void)state;
	assert_int_equal(userns_format_map(m, 2, buf, sizeof(buf)), 66);
	assert_string_equal(buf, "         0       1000          1\n"
				 "         1     100000      65536\n");
	assert_int_equal(userns_format_map(m, 2, buf, 40), -ENOSPC);
}

/* read /proc/PID/FILE into buf */
static void slurp(pid_t pid, const char *file, char *buf, size_t len)
{
	char path[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, buf, len - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
	close(fd);
}

static int count_fds(pid_t pid)
{
	char path[64];
	struct dirent *d;
	DIR *dp;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dp = opendir(path);
	if (!dp)
		return -1;
	while ((d = readdir(dp)))
		if (d->d_name[0] != '.')
			n++;
	closedir(dp);
	return n;
}

/* wait up to 10 s for @pid to be gone (or a zombie) */
static int gone(pid_t pid)
{
	char st[512], *p;
	int i;

	for (i = 0; i < 1000; i++) {
		char path[64];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		f = fopen(path, "r");
		if (!f)
			return 1;
		p = fgets(st, sizeof(st), f);
		fclose(f);
		p = p ? strrchr(st, ')') : NULL;
		if (p && (p[2] == 'Z' || p[2] == 'X'))
			return 1;
		usleep(10000);
	}
	return 0;
}

static void create_holds_namespace_with_maps(enum userns_hold hold)
{
	char want[256], got[256];
	pid_t holder;
	int fd;

	if (geteuid() != 0)
		skip();
	memset(&maps, 0, sizeof(maps));
	maps.hold = hold;
	maps.nuid = maps.ngid = 2;
	maps.uid[0] = (struct userns_map){ 0, 0, 1 };
	maps.uid[1] = (struct userns_map){ 1, 400000, 100 };
	maps.gid[0] = (struct userns_map){ 0, 0, 1 };
	maps.gid[1] = (struct userns_map){ 1, 500000, 10 };
	fd = userns_create(&maps, &holder, err, sizeof(err));
	if (fd < 0)
		fail_msg("userns_create: %s", err);
	assert_true(holder > 0);
	slurp(holder, "uid_map", got, sizeof(got));
	userns_format_map(maps.uid, maps.nuid, want, sizeof(want));
	assert_string_equal(got, want);
	slurp(holder, "gid_map", got, sizeof(got));
	userns_format_map(maps.gid, maps.ngid, want, sizeof(want));
	assert_string_equal(got, want);
	/* the holder keeps none of our fds; wait for it to close them */
	{
		int i, n = -1;

		for (i = 0; i < 1000 && (n = count_fds(holder)) != 0; i++)
			usleep(10000);
		assert_int_equal(n, 0);
	}
	close(fd);
	if (hold == USERNS_HOLD_DETACHED) {
		assert_int_equal(waitpid(holder, NULL, WNOHANG), -1);	/* not our child */
		assert_int_equal(errno, ECHILD);
		assert_int_not_equal(getsid(holder), getsid(0));
	}
	userns_release(holder);
	assert_true(gone(holder));
}

static void create_parent_mode(void **state)
{
	(void)state;
	create_holds_namespace_with_maps(USERNS_HOLD_PARENT);
}

static void create_detached_mode(void **state)
{
	(void)state;
	create_holds_namespace_with_maps(USERNS_HOLD_DETACHED);
}

static void parent_mode_holder_dies_with_its_parent(void **state)
{
	int p[2];
	pid_t child, holder = -1;

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(pipe(p), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct userns_maps m = { .nuid = 1, .ngid = 1 };
		pid_t h;
		int fd;

		m.uid[0] = (struct userns_map){ 0, 0, 1 };
		m.gid[0] = (struct userns_map){ 0, 0, 1 };
		fd = userns_create(&m, &h, err, sizeof(err));
		if (fd < 0 || write(p[1], &h, sizeof(h)) != sizeof(h))
			_exit(1);
		_exit(0);	/* without userns_release() */
	}
	close(p[1]);
	assert_int_equal(read(p[0], &holder, sizeof(holder)), sizeof(holder));
	close(p[0]);
	assert_int_equal(waitpid(child, NULL, 0), child);
	assert_true(holder > 0);
	assert_true(gone(holder));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(map_root_puts_own_id_at_zero),
		cmocka_unit_test(keep_id_maps_own_id_to_itself),
		cmocka_unit_test(range_containing_own_id_is_split),
		cmocka_unit_test(fallback_to_single_id_says_why),
		cmocka_unit_test(no_ranges_without_fallback_fails),
		cmocka_unit_test(file_errors_pass_through),
		cmocka_unit_test(format_like_proc),
		cmocka_unit_test(create_parent_mode),
		cmocka_unit_test(create_detached_mode),
		cmocka_unit_test(parent_mode_holder_dies_with_its_parent),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
