// SPDX-License-Identifier: GPL-2.0-or-later
/* test_launcher_overlay.c - BURROW_OVERLAY: the driver of an image's root */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "launcher/overlay.h"

static void unset_or_empty_is_auto(void **state)
{
	char err[128] = "";

	(void)state;
	unsetenv("BURROW_OVERLAY");
	assert_int_equal(overlay_mode(err, sizeof(err)), OVERLAY_AUTO);
	setenv("BURROW_OVERLAY", "", 1);
	assert_int_equal(overlay_mode(err, sizeof(err)), OVERLAY_AUTO);
	assert_string_equal(err, "");
}

static void each_name(void **state)
{
	char err[128] = "";

	(void)state;
	setenv("BURROW_OVERLAY", "auto", 1);
	assert_int_equal(overlay_mode(err, sizeof(err)), OVERLAY_AUTO);
	setenv("BURROW_OVERLAY", "kernel", 1);
	assert_int_equal(overlay_mode(err, sizeof(err)), OVERLAY_KERNEL);
	setenv("BURROW_OVERLAY", "fuse", 1);
	assert_int_equal(overlay_mode(err, sizeof(err)), OVERLAY_FUSE);
	assert_string_equal(err, "");
}

static void other_values_refused_by_name(void **state)
{
	static const char *const bad[] = { "Kernel", "fuse-overlayfs", "overlay", "vfs", " fuse" };
	char err[128], want[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("BURROW_OVERLAY", bad[i], 1);
		assert_int_equal(overlay_mode(err, sizeof(err)), -EINVAL);
		snprintf(want, sizeof(want), "BURROW_OVERLAY=%s: not one of kernel, fuse, auto", bad[i]);
		assert_string_equal(err, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unset_or_empty_is_auto),
		cmocka_unit_test(each_name),
		cmocka_unit_test(other_values_refused_by_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
