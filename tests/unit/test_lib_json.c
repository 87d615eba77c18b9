// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_json.c - bounded JSON reads and typed getters naming the field */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "json.h"

static const char doc[] =
	"{\"network_info\":{\"podman\":{\"name\":\"podman\",\"mtu\":1500,"
	"\"subnets\":\"oops\",\"ipv6\":false,\"dns\":true,\"opts\":{}}}}";

/* Write @s to a pipe and return its read end */
static int pipe_with(const char *s, size_t len)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], s, len), (ssize_t)len);
	close(p[1]);
	return p[0];
}

static void getters_name_the_field(void **state)
{
	struct json_err e = { "" };
	json_t *root, *ni, *pod, *arr = NULL, *obj;
	const char *name = "unset";
	int64_t mtu = 0;
	int b = -1;

	(void)state;
	root = json_parse_buf(doc, strlen(doc), &e);
	assert_non_null(root);
	assert_int_equal(json_get_obj(root, "network_info", NULL, 1, &ni, &e), 1);
	assert_int_equal(json_get_obj(ni, "podman", "network_info", 1, &pod, &e), 1);
	assert_int_equal(json_get_str(pod, "name", "network_info.podman", 1, &name, &e), 1);
	assert_string_equal(name, "podman");
	assert_int_equal(json_get_int(pod, "mtu", "network_info.podman", 1, 68, 65535,
				      &mtu, &e), 1);
	assert_int_equal(mtu, 1500);
	assert_int_equal(json_get_bool(pod, "ipv6", "network_info.podman", 1, &b, &e), 1);
	assert_int_equal(b, 0);
	assert_int_equal(json_get_bool(pod, "dns", "network_info.podman", 1, &b, &e), 1);
	assert_int_equal(b, 1);
	assert_int_equal(json_get_obj(pod, "opts", "network_info.podman", 0, &obj, &e), 1);

	assert_int_equal(json_get_array(pod, "subnets", "network_info.podman", 0, &arr, &e),
			 -EINVAL);
	assert_string_equal(e.msg, "network_info.podman.subnets: expected array, got string");
	assert_null(arr);

	assert_int_equal(json_get_str(pod, "driver", "network_info.podman", 1, &name, &e),
			 -EINVAL);
	assert_string_equal(e.msg, "network_info.podman.driver: missing");
	/* absent and optional: default kept */
	assert_int_equal(json_get_str(pod, "driver", "network_info.podman", 0, &name, &e), 0);
	assert_string_equal(name, "podman");

	assert_int_equal(json_get_int(pod, "mtu", "n", 1, 0, 1000, &mtu, &e), -EINVAL);
	assert_string_equal(e.msg, "n.mtu: 1500 out of range 0..1000");
	assert_int_equal(json_get_int(pod, "name", NULL, 1, 0, 1, &mtu, &e), -EINVAL);
	assert_string_equal(e.msg, "name: expected integer, got string");
	assert_int_equal(json_get_bool(pod, "mtu", "p", 1, &b, &e), -EINVAL);
	assert_string_equal(e.msg, "p.mtu: expected boolean, got integer");
	assert_int_equal(json_get_str(pod, "opts", "p", 1, &name, &e), -EINVAL);
	assert_string_equal(e.msg, "p.opts: expected string, got object");

	/* not an object at all */
	assert_int_equal(json_get_str(json_object_get(pod, "subnets"), "x", "p.subnets", 0,
				      &name, &e), -EINVAL);
	assert_string_equal(e.msg, "p.subnets: expected object, got string");
	assert_int_equal(json_get_str(NULL, "x", NULL, 0, &name, &e), -EINVAL);
	json_decref(root);
}

static void numbers_are_typed(void **state)
{
	static const char text[] = "{\"r\":1.0,\"n\":null,\"neg\":-5,\"big\":9223372036854775807}";
	struct json_err e;
	json_t *root = json_parse_buf(text, strlen(text), &e);
	int64_t v;

	(void)state;
	assert_non_null(root);
	assert_int_equal(json_get_int(root, "r", "", 1, 0, 10, &v, &e), -EINVAL);
	assert_string_equal(e.msg, "r: expected integer, got number");
	assert_int_equal(json_get_int(root, "n", "", 0, 0, 10, &v, &e), -EINVAL);
	assert_string_equal(e.msg, "n: expected integer, got null");
	assert_int_equal(json_get_int(root, "neg", "", 1, -5, 0, &v, &e), 1);
	assert_int_equal(v, -5);
	assert_int_equal(json_get_int(root, "big", "", 1, INT64_MIN, INT64_MAX, &v, &e), 1);
	assert_true(v == INT64_MAX);
	json_decref(root);
}

static void parse_errors(void **state)
{
	static const char *const bad[] = {
		"", "{", "{\"a\":1,\"a\":2}", "{\"a\":\"x\\u0000y\"}", "[1,]",
		"{\"a\":99999999999999999999999}", "nul", "{} {}",
	};
	struct json_err e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e.msg[0] = '\0';
		if (json_parse_buf(bad[i], strlen(bad[i]), &e))
			fail_msg("accepted '%s'", bad[i]);
		assert_non_null(strstr(e.msg, "line "));
	}
	/* buffer need not be NUL-terminated: parse only the first 2 bytes */
	json_t *j = json_parse_buf("{}garbage", 2, &e);
	assert_non_null(j);
	json_decref(j);
	assert_null(json_parse_buf("{\n\"a\":}", 7, &e));
	assert_non_null(strstr(e.msg, "line 2"));
}

static void bounded_reads(void **state)
{
	struct json_err e;
	char big[10000];
	json_t *j;
	int fd;

	(void)state;
	fd = pipe_with(doc, strlen(doc));
	j = json_read_fd(fd, strlen(doc), &e);
	assert_non_null(j);
	json_decref(j);
	close(fd);

	fd = pipe_with(doc, strlen(doc));
	assert_null(json_read_fd(fd, strlen(doc) - 1, &e));
	assert_non_null(strstr(e.msg, "input larger than"));
	assert_non_null(strstr(e.msg, "fd "));
	close(fd);

	/* more than one buffer's worth, within the limit */
	memset(big, ' ', sizeof(big));
	big[0] = '[';
	big[sizeof(big) - 1] = ']';
	fd = pipe_with(big, sizeof(big));
	j = json_read_fd(fd, sizeof(big), &e);
	assert_non_null(j);
	assert_true(json_is_array(j));
	json_decref(j);
	close(fd);

	fd = pipe_with(big, sizeof(big));
	assert_null(json_read_fd(fd, 5000, &e));
	assert_string_equal(strchr(e.msg, ':'), ": input larger than 5000 bytes");
	close(fd);

	assert_null(json_read_fd(-1, 100, &e));
	assert_non_null(strstr(e.msg, "read(fd -1)"));
}

static void dump(void **state)
{
	json_t *j = json_pack("{s:i,s:[s]}", "a", 1, "b", "x");
	char buf[64] = "";
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(json_dump_fd(p[1], j), 0);
	close(p[1]);
	assert_true(read(p[0], buf, sizeof(buf) - 1) > 0);
	assert_string_equal(buf, "{\"a\":1,\"b\":[\"x\"]}\n");
	close(p[0]);
	assert_int_equal(json_dump_fd(-1, j), -EBADF);
	json_decref(j);
}

static void type_names(void **state)
{
	json_t *j = json_loads("[{}, [], \"s\", 1, 1.5, true, false, null]", 0, NULL);
	static const char *const want[] = {
		"object", "array", "string", "integer", "number", "boolean", "boolean", "null",
	};
	size_t i;

	(void)state;
	assert_non_null(j);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_string_equal(json_type_name(json_array_get(j, i)), want[i]);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(getters_name_the_field),
		cmocka_unit_test(numbers_are_typed),
		cmocka_unit_test(parse_errors),
		cmocka_unit_test(bounded_reads),
		cmocka_unit_test(dump),
		cmocka_unit_test(type_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
