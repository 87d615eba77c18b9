// SPDX-License-Identifier: GPL-2.0-or-later
/* test_launcher_runtime.c - runtime failures explained, programs found */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "launcher/runtime.h"

static void hugetlb_quirk_gets_the_remedy(void **state)
{
	const char *r;

	(void)state;
	r = runtime_explain("crun", "cannot open hugetlb.2MB.limit_in_bytes: No such file", 0);
	assert_non_null(r);
	assert_non_null(strstr(r, RUNTIME_HUGETLB_REMEDY));
	/* detected from the machine even when crun's message does not say so */
	r = runtime_explain("crun", "writing file `pids.max`: Invalid argument", 1);
	assert_non_null(r);
	assert_non_null(strstr(r, "hybrid cgroups"));
	/* runc works either way: no such advice */
	assert_null(runtime_explain("runc", "some failure", 1));
	assert_null(runtime_explain("crun", "some failure", 0));
}

static void other_known_failures(void **state)
{
	(void)state;
	assert_non_null(strstr(runtime_explain("crun", "newuidmap: write to uid_map failed", 0),
			       "uidmap"));
	assert_non_null(strstr(runtime_explain("crun",
		"executable file `nope` not found in $PATH: No such file or directory", 0),
		"does not exist"));
	assert_null(runtime_explain("crun", NULL, 0));
}

/* one message for a runtime that ran and failed: its last line, then the remedy */
static void failure_message_has_last_line_and_remedy(void **state)
{
	char err[] = "starting\nexecutable file `nope` not found in $PATH\n \n", msg[512];
	char none[] = "", plain[] = "boom\n";

	(void)state;
	assert_string_equal(runtime_failure("runc", "create", err, msg, sizeof(msg)),
			    "runc create failed: executable file `nope` not found in $PATH\n"
			    "burrow: the command does not exist in the root filesystem");
	assert_string_equal(runtime_failure("runc", "run", none, msg, sizeof(msg)),
			    "runc run failed: no message");
	assert_string_equal(runtime_failure("runc", "run", plain, msg, sizeof(msg)),
			    "runc run failed: boom");
	assert_string_equal(plain, "boom");
}

static void programs_are_found_on_path(void **state)
{
	char out[4096];

	(void)state;
	setenv("PATH", "/nonexistent:/bin:/usr/bin", 1);
	assert_int_equal(find_program("sh", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "/sh"));
	assert_int_equal(find_program("no-such-program-burrow", out, sizeof(out)), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hugetlb_quirk_gets_the_remedy),
		cmocka_unit_test(other_known_failures),
		cmocka_unit_test(failure_message_has_last_line_and_remedy),
		cmocka_unit_test(programs_are_found_on_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
