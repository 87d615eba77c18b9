// SPDX-License-Identifier: GPL-2.0-or-later
/* test_conmon_runtime.c - runtime command lines and sync-pipe messages */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conmon/runtime.h"

/* Join argv with single spaces */
static const char *joined(const char **argv)
{
	static char buf[1024];
	size_t off = 0;

	buf[0] = '\0';
	for (; *argv; argv++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s", off ? " " : "", *argv);
	return buf;
}

static void create_command_line(void **state)
{
	static struct mon_opts o;
	const char *argv[RUNTIME_ARGV_MAX];

	(void)state;
	o.runtime = "/usr/bin/crun";
	o.runtime_args[0] = "--log-format=json";
	o.runtime_args[1] = "--log";
	o.runtime_args[2] = "/r/oci-log";
	o.n_runtime_args = 3;
	o.bundle = "/b";
	o.container_pidfile = "/r/pidfile";
	o.cid = "abc";
	assert_int_equal(runtime_build_argv(&o, NULL, argv, RUNTIME_ARGV_MAX), 10);
	assert_string_equal(joined(argv), "/usr/bin/crun --log-format=json --log /r/oci-log "
			    "create --bundle /b --pid-file /r/pidfile abc");
	o.no_pivot = 1;
	runtime_build_argv(&o, "/tmp/x/console", argv, RUNTIME_ARGV_MAX);
	assert_string_equal(joined(argv), "/usr/bin/crun --log-format=json --log /r/oci-log "
			    "create --bundle /b --pid-file /r/pidfile --no-pivot "
			    "--console-socket /tmp/x/console abc");
	assert_int_equal(runtime_build_argv(&o, NULL, argv, 5), -E2BIG);
	/* runtime options go to create too (Podman's --preserve-fds N) */
	o.no_pivot = 0;
	o.runtime_opts[0] = "--preserve-fds";
	o.runtime_opts[1] = "2";
	o.n_runtime_opts = 2;
	runtime_build_argv(&o, NULL, argv, RUNTIME_ARGV_MAX);
	assert_string_equal(joined(argv), "/usr/bin/crun --log-format=json --log /r/oci-log "
			    "create --bundle /b --pid-file /r/pidfile --preserve-fds 2 abc");
}

static void exec_command_line(void **state)
{
	static struct mon_opts o;
	const char *argv[RUNTIME_ARGV_MAX];

	(void)state;
	o.runtime = "crun";
	o.exec = 1;
	o.exec_process_spec = "/b/spec";
	o.container_pidfile = "/b/exec_pid";
	o.cid = "abc";
	runtime_build_argv(&o, NULL, argv, RUNTIME_ARGV_MAX);
	assert_string_equal(joined(argv), "crun exec --pid-file /b/exec_pid --process /b/spec --detach abc");
}

static void sync_messages(void **state)
{
	char buf[128];

	(void)state;
	sync_format(buf, sizeof(buf), 4242, NULL);
	assert_string_equal(buf, "{\"data\": 4242}\n");
	sync_format(buf, sizeof(buf), -1, "exec: \"sh\": not found\n\tat\x01");
	assert_string_equal(buf, "{\"data\": -1, \"message\": \"exec: \\\"sh\\\": not found\\n\\tat\\u0001\"}\n");
}

static void sync_message_cut_stays_valid(void **state)
{
	char buf[40], msg[200];
	size_t n;

	(void)state;
	memset(msg, '"', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	n = sync_format(buf, sizeof(buf), -1, msg);
	assert_int_equal(n, strlen(buf));
	assert_true(n < sizeof(buf));
	assert_string_equal(buf + n - 3, "\"}\n");
	/* no dangling backslash before the closing quote: an even run of them */
	{
		size_t k = n - 4, run = 0;

		while (buf[k] == '\\') {
			run++;
			k--;
		}
		assert_int_equal(run % 2, 0);
	}
}

static void pidfile_parsing(void **state)
{
	char path[] = "/tmp/test_conmon_runtime.XXXXXX";
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "1234\n", 5), 5);
	assert_int_equal(runtime_read_pidfile(path), 1234);
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(pwrite(fd, "12x", 3, 0), 3);
	assert_int_equal(runtime_read_pidfile(path), -EINVAL);
	close(fd);
	unlink(path);
	assert_int_equal(runtime_read_pidfile(path), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(create_command_line),
		cmocka_unit_test(exec_command_line),
		cmocka_unit_test(sync_messages),
		cmocka_unit_test(sync_message_cut_stays_valid),
		cmocka_unit_test(pidfile_parsing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
