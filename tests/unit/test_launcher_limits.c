// SPDX-License-Identifier: GPL-2.0-or-later
/* test_launcher_limits.c - -m/--cpus/--pids-limit parsing and linux.resources */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "launcher/limits.h"

static long long mem(const char *s)
{
	char err[256];
	long long v = -1;

	return limits_parse_memory(s, &v, err, sizeof(err)) ? -1 : v;
}

static void memory_sizes(void **state)
{
	(void)state;
	assert_int_equal(mem("512m"), 512LL << 20);
	assert_int_equal(mem("512M"), 512LL << 20);
	assert_int_equal(mem("64MB"), 64LL << 20);
	assert_int_equal(mem("1g"), 1LL << 30);
	assert_int_equal(mem("1.5g"), 3LL << 29);
	assert_int_equal(mem("8388608"), 8388608);
	assert_int_equal(mem("8388608b"), 8388608);
	assert_int_equal(mem("7000k"), 7000LL << 10);
	assert_int_equal(mem("1t"), 1LL << 40);
	/* refused */
	assert_int_equal(mem("5m"), -1);		/* below 6m */
	assert_int_equal(mem("1k"), -1);
	assert_int_equal(mem("0"), -1);
	assert_int_equal(mem("-1g"), -1);
	assert_int_equal(mem("+1g"), -1);
	assert_int_equal(mem("1x"), -1);
	assert_int_equal(mem("1gg"), -1);
	assert_int_equal(mem("g"), -1);
	assert_int_equal(mem(""), -1);
	assert_int_equal(mem("nan"), -1);
	assert_int_equal(mem("inf"), -1);
	assert_int_equal(mem("1e30g"), -1);
}

static void cpus_and_pids(void **state)
{
	char err[256];
	long long v;

	(void)state;
	assert_int_equal(limits_parse_cpus("0.5", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 50000);
	assert_int_equal(limits_parse_cpus("1", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 100000);
	assert_int_equal(limits_parse_cpus("0.01", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 1000);
	assert_int_equal(limits_parse_cpus("0", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(limits_parse_cpus("0.001", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(limits_parse_cpus("abc", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(limits_parse_cpus("100000", &v, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "more than the"));
	assert_int_equal(limits_parse_pids("100", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 100);
	assert_int_equal(limits_parse_pids("-1", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 0);
	assert_int_equal(limits_parse_pids("0", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 0);
	assert_int_equal(limits_parse_pids("-2", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(limits_parse_pids("10x", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(limits_parse_pids("99999999999", &v, err, sizeof(err)), -EINVAL);
}

static void resources(void **state)
{
	struct limits l = { .memory = 64LL << 20, .cpu_quota = 50000, .pids = 20 };
	json_t *cfg = json_pack("{s:{s:[]}}", "linux", "namespaces"), *r;

	(void)state;
	assert_int_equal(limits_apply(cfg, &l), 0);
	r = json_object_get(json_object_get(cfg, "linux"), "resources");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "memory"), "limit")),
			 64LL << 20);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "cpu"), "quota")),
			 50000);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "cpu"), "period")),
			 100000);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "pids"), "limit")),
			 20);
	json_decref(cfg);
	/* no limits: the config is left alone */
	cfg = json_object();
	l = (struct limits){ 0 };
	assert_int_equal(limits_apply(cfg, &l), 0);
	assert_int_equal(json_object_size(cfg), 0);
	json_decref(cfg);
}

static void rootless_refused(void **state)
{
	struct limits l = { .pids = 20 };
	char err[512] = "";

	(void)state;
	assert_int_equal(limits_check_host(&(struct limits){ 0 }, 1, err, sizeof(err)), 0);
	assert_true(limits_check_host(&l, 1, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "--pids-limit"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memory_sizes),
		cmocka_unit_test(cpus_and_pids),
		cmocka_unit_test(resources),
		cmocka_unit_test(rootless_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
