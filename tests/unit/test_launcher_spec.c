// SPDX-License-Identifier: GPL-2.0-or-later
/* test_launcher_spec.c - config.json from `burrow run` options */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "launcher/spec.h"

static int has_ns(json_t *c, const char *type, const char **path)
{
	json_t *ns = json_object_get(json_object_get(c, "linux"), "namespaces"), *v;
	size_t i;

	json_array_foreach(ns, i, v) {
		if (!strcmp(json_string_value(json_object_get(v, "type")), type)) {
			if (path)
				*path = json_string_value(json_object_get(v, "path"));
			return 1;
		}
	}
	return 0;
}

static void defaults_rootful(void **state)
{
	struct spec_opts o = { .rootfs = "/srv/rootfs" };
	char err[256] = "";
	json_t *c = spec_build(&o, err, sizeof(err));
	json_t *proc;
	const char *p = "x";

	(void)state;
	assert_non_null(c);
	proc = json_object_get(c, "process");
	assert_string_equal(json_string_value(json_object_get(json_object_get(c, "root"), "path")),
			    "/srv/rootfs");
	assert_string_equal(json_string_value(json_array_get(json_object_get(proc, "args"), 0)),
			    "/bin/sh");
	assert_string_equal(json_string_value(json_object_get(proc, "cwd")), "/");
	assert_false(json_is_true(json_object_get(proc, "terminal")));
	assert_true(has_ns(c, "network", &p));
	assert_null(p);
	assert_true(has_ns(c, "pid", NULL));
	assert_false(has_ns(c, "user", NULL));
	assert_null(json_object_get(json_object_get(c, "linux"), "uidMappings"));
	json_decref(c);
}

static void rootless_maps_and_options(void **state)
{
	static struct userns_maps maps = {
		.uid = { { 0, 1001, 1 }, { 1, 400000, 65536 } }, .nuid = 2,
		.gid = { { 0, 1001, 1 }, { 1, 400000, 65536 } }, .ngid = 2,
	};
	char *args[] = { "httpd", "-f", "-p", "80", NULL };
	char *env[] = { "A=1", "PATH=/bin" };
	struct spec_volume vol = { "/data", "/mnt", 1 };
	struct spec_opts o = {
		.rootfs = "/r", .args = args, .env = env, .nenv = 2, .maps = &maps,
		.volumes = &vol, .nvolumes = 1, .workdir = "/tmp", .uid = 7, .gid = 8,
		.hostname = "web", .terminal = 1, .netns_path = "/run/netns/x",
	};
	char err[256] = "";
	json_t *c = spec_build(&o, err, sizeof(err)), *proc, *m, *e, *mounts;
	const char *p = NULL;

	(void)state;
	assert_non_null(c);
	proc = json_object_get(c, "process");
	assert_int_equal(json_array_size(json_object_get(proc, "args")), 4);
	assert_true(has_ns(c, "user", NULL));
	assert_true(has_ns(c, "network", &p));
	assert_string_equal(p, "/run/netns/x");
	m = json_object_get(json_object_get(c, "linux"), "uidMappings");
	assert_int_equal(json_array_size(m), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(m, 1), "hostID")),
			 400000);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(m, 1), "size")),
			 65536);
	e = json_object_get(proc, "env");
	/* PATH replaced, not duplicated; A and HOSTNAME added */
	assert_string_equal(json_string_value(json_array_get(e, 0)), "PATH=/bin");
	assert_int_equal(json_array_size(e), 4);
	assert_string_equal(json_string_value(json_object_get(c, "hostname")), "web");
	assert_string_equal(json_string_value(json_object_get(proc, "cwd")), "/tmp");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(proc, "user"), "uid")),
			 7);
	assert_true(json_is_true(json_object_get(proc, "terminal")));
	mounts = json_object_get(c, "mounts");
	m = json_array_get(mounts, json_array_size(mounts) - 1);
	assert_string_equal(json_string_value(json_object_get(m, "source")), "/data");
	assert_string_equal(json_string_value(json_array_get(json_object_get(m, "options"), 1)),
			    "ro");
	json_decref(c);
}

static void base_bundle_is_overridden(void **state)
{
	json_t *base = json_pack("{s:{s:[s], s:[s]}, s:{s:s}, s:{s:[{s:s}]}}",
				 "process", "args", "sleep", "env", "X=1",
				 "root", "path", "rootfs",
				 "linux", "namespaces", "type", "pid");
	char *args[] = { "true", NULL };
	struct spec_opts o = { .rootfs = "/b/rootfs", .base = base, .args = args };
	char err[256] = "";
	json_t *c = spec_build(&o, err, sizeof(err));

	(void)state;
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(json_object_get(c, "root"), "path")),
			    "/b/rootfs");
	assert_string_equal(json_string_value(json_array_get(
		json_object_get(json_object_get(c, "process"), "args"), 0)), "true");
	assert_true(has_ns(c, "network", NULL));
	/* the base is not modified */
	assert_string_equal(json_string_value(json_object_get(json_object_get(base, "root"), "path")),
			    "rootfs");
	json_decref(c);
	json_decref(base);
}

static void bad_options_are_refused(void **state)
{
	char *env[] = { "=x" };
	struct spec_opts o = { .rootfs = "relative" };
	char err[256] = "";

	(void)state;
	assert_null(spec_build(&o, err, sizeof(err)));
	assert_non_null(strstr(err, "absolute"));
	o.rootfs = "/r";
	o.env = env;
	o.nenv = 1;
	assert_null(spec_build(&o, err, sizeof(err)));
	assert_non_null(strstr(err, "=x"));
	o.nenv = 0;
	o.workdir = "tmp";
	assert_null(spec_build(&o, err, sizeof(err)));
}

static void volumes_parse(void **state)
{
	struct spec_volume v;
	char err[256];

	(void)state;
	assert_int_equal(spec_parse_volume("/a:/b", &v, err, sizeof(err)), 0);
	assert_string_equal(v.src, "/a");
	assert_string_equal(v.dst, "/b");
	assert_false(v.ro);
	assert_int_equal(spec_parse_volume("/a:/b:ro", &v, err, sizeof(err)), 0);
	assert_true(v.ro);
	assert_int_equal(spec_parse_volume("/a:/b:rw", &v, err, sizeof(err)), 0);
	assert_int_equal(spec_parse_volume("/a", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(spec_parse_volume("a:/b", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(spec_parse_volume("/a:/b:xx", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(spec_parse_volume(":/b", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(spec_parse_volume("/a:", &v, err, sizeof(err)), -EINVAL);
}

static void users_and_env_parse(void **state)
{
	unsigned u = 9, g = 9;
	char err[256];

	(void)state;
	assert_int_equal(spec_parse_user("1000", &u, &g, err, sizeof(err)), 0);
	assert_int_equal(u, 1000);
	assert_int_equal(g, 1000);
	assert_int_equal(spec_parse_user("5:6", &u, &g, err, sizeof(err)), 0);
	assert_int_equal(u, 5);
	assert_int_equal(g, 6);
	assert_int_equal(spec_parse_user("root", &u, &g, err, sizeof(err)), -EINVAL);
	assert_int_equal(spec_parse_user("1:", &u, &g, err, sizeof(err)), -EINVAL);
	assert_int_equal(spec_parse_user("99999999999", &u, &g, err, sizeof(err)), -EINVAL);
	assert_int_equal(spec_check_env("A=1"), 0);
	assert_int_equal(spec_check_env("A="), 0);
	assert_int_equal(spec_check_env("A"), -EINVAL);
	assert_int_equal(spec_check_env("=1"), -EINVAL);
}

static void join_existing_namespaces(void **state)
{
	static struct userns_maps maps = {
		.uid = { { 0, 1001, 1 } }, .nuid = 1, .gid = { { 0, 1001, 1 } }, .ngid = 1,
	};
	struct spec_opts o = { .rootfs = "/r", .maps = &maps };
	char err[256] = "";
	json_t *c = spec_build(&o, err, sizeof(err)), *bad = json_object();
	const char *p = NULL;

	(void)state;
	assert_int_equal(spec_join(c, "/proc/5/ns/user", "/proc/5/ns/net"), 0);
	assert_true(has_ns(c, "network", &p));
	assert_string_equal(p, "/proc/5/ns/net");
	assert_true(has_ns(c, "user", &p));
	assert_string_equal(p, "/proc/5/ns/user");
	assert_null(json_object_get(json_object_get(c, "linux"), "uidMappings"));
	assert_int_equal(spec_join(bad, NULL, "/x"), -EINVAL);
	json_decref(c);
	json_decref(bad);
}

/* slirp:bypass: the runtime sends the listener to our socket; connect,
 * bind, sendmsg, sendmmsg and sendto-with-a-destination stop at the agent,
 * io_uring is refused; a bundle's own profile is never overwritten */
static void seccomp_listener_profile(void **state)
{
	struct spec_opts o = { .rootfs = "/srv/rootfs" };
	char err[256] = "";
	json_t *c = spec_build(&o, err, sizeof(err)), *sc, *rules, *r;
	size_t i;
	int sendto_seen = 0, uring_seen = 0, notify = 0;

	(void)state;
	assert_int_equal(spec_seccomp_listener(c, "/run/x/bypass.sock", err, sizeof(err)), 0);
	sc = json_object_get(json_object_get(c, "linux"), "seccomp");
	assert_string_equal(json_string_value(json_object_get(sc, "listenerPath")),
			    "/run/x/bypass.sock");
	assert_string_equal(json_string_value(json_object_get(sc, "defaultAction")),
			    "SCMP_ACT_ALLOW");
	rules = json_object_get(sc, "syscalls");
	json_array_foreach(rules, i, r) {
		const char *name = json_string_value(json_array_get(json_object_get(r, "names"), 0));
		const char *act = json_string_value(json_object_get(r, "action"));

		if (!strcmp(name, "sendto")) {
			json_t *a = json_array_get(json_object_get(r, "args"), 0);

			assert_int_equal(json_integer_value(json_object_get(a, "index")), 4);
			assert_string_equal(json_string_value(json_object_get(a, "op")),
					    "SCMP_CMP_NE");
			sendto_seen = 1;
		}
		if (!strcmp(name, "io_uring_setup")) {
			assert_string_equal(act, "SCMP_ACT_ERRNO");
			uring_seen = 1;
		}
		notify += !strcmp(act, "SCMP_ACT_NOTIFY");
	}
	assert_true(sendto_seen);
	assert_true(uring_seen);
	assert_int_equal(notify, 5);
	assert_int_equal(spec_seccomp_listener(c, "/run/y.sock", err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "seccomp profile of its own"));
	json_decref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_rootful),
		cmocka_unit_test(rootless_maps_and_options),
		cmocka_unit_test(base_bundle_is_overridden),
		cmocka_unit_test(bad_options_are_refused),
		cmocka_unit_test(volumes_parse),
		cmocka_unit_test(users_and_env_parse),
		cmocka_unit_test(join_existing_namespaces),
		cmocka_unit_test(seccomp_listener_profile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
