// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_seccompnotify.c - burrow-bypass's rules merged into a seccomp profile */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "seccompnotify.h"

/* the action of the first rule naming @call, or NULL */
static const char *action_of(json_t *sc, const char *call, int *nrules)
{
	json_t *r, *n;
	size_t i, j;
	const char *found = NULL;

	*nrules = 0;
	json_array_foreach(json_object_get(sc, "syscalls"), i, r) {
		json_array_foreach(json_object_get(r, "names"), j, n)
			if (!strcmp(json_string_value(n), call)) {
				(*nrules)++;
				if (!found)
					found = json_string_value(json_object_get(r, "action"));
			}
		if (json_is_string(json_object_get(r, "name")) &&
		    !strcmp(json_string_value(json_object_get(r, "name")), call))
			(*nrules)++;
	}
	return found;
}

static json_t *parse(const char *s)
{
	json_t *j = json_loads(s, 0, NULL);

	assert_non_null(j);
	return j;
}

/* an empty profile: allow everything else, x86_64, the socket path */
static void empty_profile_allows_the_rest(void **state)
{
	json_t *sc = json_object();
	char err[256] = "";
	int n;

	(void)state;
	assert_int_equal(seccompnotify_apply(sc, "/run/b.sock", err, sizeof(err)), 0);
	assert_string_equal(json_string_value(json_object_get(sc, "defaultAction")), "SCMP_ACT_ALLOW");
	assert_string_equal(json_string_value(json_object_get(sc, "listenerPath")), "/run/b.sock");
	assert_string_equal(json_string_value(json_array_get(json_object_get(sc, "architectures"), 0)),
			    "SCMP_ARCH_X86_64");
	assert_string_equal(action_of(sc, "connect", &n), "SCMP_ACT_NOTIFY");
	assert_string_equal(action_of(sc, "sendto", &n), "SCMP_ACT_NOTIFY");
	assert_string_equal(action_of(sc, "io_uring_enter", &n), "SCMP_ACT_ERRNO");
	json_decref(sc);
}

/* Podman's shape: deny by default, one big allow rule; our calls leave it,
 * an emptied rule goes, the archMap stays, no listenerPath when none is given */
static void podman_default_is_kept(void **state)
{
	json_t *sc = parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":[{\"architecture\":"
			   "\"SCMP_ARCH_X86_64\"}],\"syscalls\":["
			   "{\"names\":[\"read\",\"connect\",\"bind\",\"sendto\",\"sendmsg\"],"
			   "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[],\"includes\":{},\"excludes\":{}},"
			   "{\"names\":[\"sendmmsg\",\"io_uring_setup\"],\"action\":\"SCMP_ACT_ALLOW\"},"
			   "{\"name\":\"io_uring_enter\",\"action\":\"SCMP_ACT_ALLOW\"},"
			   "{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":"
			   "{\"caps\":[\"CAP_SYS_ADMIN\"]}}]}");
	char err[256] = "";
	int n;

	(void)state;
	assert_int_equal(seccompnotify_apply(sc, NULL, err, sizeof(err)), 0);
	assert_null(json_object_get(sc, "listenerPath"));
	assert_null(json_object_get(sc, "architectures"));
	assert_string_equal(json_string_value(json_object_get(sc, "defaultAction")), "SCMP_ACT_ERRNO");
	assert_string_equal(action_of(sc, "read", &n), "SCMP_ACT_ALLOW");
	assert_string_equal(action_of(sc, "mount", &n), "SCMP_ACT_ALLOW");
	assert_string_equal(action_of(sc, "connect", &n), "SCMP_ACT_NOTIFY");
	assert_int_equal(n, 1);
	assert_string_equal(action_of(sc, "sendmmsg", &n), "SCMP_ACT_NOTIFY");
	assert_int_equal(n, 1);
	assert_string_equal(action_of(sc, "io_uring_setup", &n), "SCMP_ACT_ERRNO");
	assert_int_equal(n, 1);
	action_of(sc, "io_uring_enter", &n);
	assert_int_equal(n, 1);		/* the old-style "name" rule went */
	/* 2 kept (read..., mount) + 5 notified + 1 io_uring */
	assert_int_equal(json_array_size(json_object_get(sc, "syscalls")), 8);
	json_decref(sc);
}

/* a profile that denies or conditions a call bypass would serve is refused */
static void closed_calls_stay_closed(void **state)
{
	static const char *const bad[] = {
		/* deny by default and sendto never allowed */
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"connect\","
		"\"bind\",\"sendmsg\",\"sendmmsg\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
		/* allow by default, bind denied */
		"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"bind\"],"
		"\"action\":\"SCMP_ACT_ERRNO\"}]}",
		/* connect only with a capability */
		"{\"syscalls\":[{\"names\":[\"connect\"],\"action\":\"SCMP_ACT_ALLOW\","
		"\"includes\":{\"caps\":[\"CAP_NET_ADMIN\"]}}]}",
		/* sendto only with some arguments */
		"{\"syscalls\":[{\"name\":\"sendto\",\"action\":\"SCMP_ACT_ALLOW\",\"args\":"
		"[{\"index\":3,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		"{\"syscalls\":{}}",
		"[]",
	};
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *sc = parse(bad[i]);

		err[0] = '\0';
		assert_int_equal(seccompnotify_apply(sc, "/s", err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "seccomp profile"));
		json_decref(sc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_profile_allows_the_rest),
		cmocka_unit_test(podman_default_is_kept),
		cmocka_unit_test(closed_calls_stay_closed),
	};

	return cmocka_run_group_tests(tests, 0, NULL);
}
