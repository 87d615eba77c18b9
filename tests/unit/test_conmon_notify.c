// SPDX-License-Identifier: GPL-2.0-or-later
/* test_conmon_notify.c - which sd_notify lines a container may relay */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "conmon/notify.h"

static const char *filtered(const char *msg)
{
	static char out[256];
	size_t n = notify_filter(msg, strlen(msg), out, sizeof(out) - 1);

	out[n] = '\0';
	return out;
}

static void only_safe_lines_pass(void **state)
{
	(void)state;
	assert_string_equal(filtered("READY=1"), "READY=1");
	assert_string_equal(filtered("MAINPID=1\nREADY=1\nSTATUS=up\nFDSTORE=1\n"), "READY=1\nSTATUS=up");
	assert_string_equal(filtered("RELOADING=1\r\nSTOPPING=1\nWATCHDOG=1\nWATCHDOG=trigger"),
			    "RELOADING=1\nSTOPPING=1\nWATCHDOG=1\nWATCHDOG=trigger");
	assert_string_equal(filtered("ERRNO=2\nBUSERROR=x.y\nMONOTONIC_USEC=5"),
			    "ERRNO=2\nBUSERROR=x.y\nMONOTONIC_USEC=5");
	/* near misses stay out */
	assert_string_equal(filtered("READY=10\nREADY=\nready=1\nWATCHDOG_USEC=1\nNOTIFYACCESS=all"), "");
	assert_string_equal(filtered(""), "");
	assert_string_equal(filtered("\n\n"), "");
}

static void output_is_bounded(void **state)
{
	char out[8];

	(void)state;
	/* a line that does not fit is left out, not cut */
	assert_int_equal(notify_filter("STATUS=long\nREADY=1", 19, out, sizeof(out)), 7);
	assert_memory_equal(out, "READY=1", 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(only_safe_lines_pass),
		cmocka_unit_test(output_is_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
