// SPDX-License-Identifier: GPL-2.0-or-later
/* test_launcher_sigproxy.c - which signals a foreground run passes on, and
 * when it sends SIGKILL */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>

#include "launcher/sigproxy.h"

static struct sigproxy fresh(int timeout)
{
	struct sigproxy sp;

	memset(&sp, 0, sizeof(sp));
	sp.fd = -1;
	sp.stop_timeout = timeout;
	return sp;
}

static void first_stop_passes_and_arms_the_timeout(void **state)
{
	struct sigproxy sp = fresh(10);

	(void)state;
	assert_int_equal(sigproxy_wait_ms(&sp, 1000), -1);
	assert_int_equal(sigproxy_decide(&sp, SIGTERM, 42, 0, 1000), SIGPROXY_PASS);
	assert_int_equal(sigproxy_wait_ms(&sp, 1000), 10000);
	assert_int_equal(sigproxy_wait_ms(&sp, 4000), 7000);
	assert_int_equal(sigproxy_expire(&sp, 10999), 0);
	assert_int_equal(sigproxy_expire(&sp, 11000), SIGPROXY_KILL);
	assert_int_equal(sigproxy_expire(&sp, 12000), 0);	/* once */
	assert_int_equal(sigproxy_wait_ms(&sp, 12000), -1);
	/* nothing is passed after SIGKILL */
	assert_int_equal(sigproxy_decide(&sp, SIGUSR1, 42, 0, 12000), 0);
	assert_int_equal(sigproxy_decide(&sp, SIGTERM, 42, 0, 13000), 0);
}

/* timeout(1) signals its child, then its process group: one request */
static void repeat_is_not_a_second_signal(void **state)
{
	struct sigproxy sp = fresh(10);

	(void)state;
	assert_int_equal(sigproxy_decide(&sp, SIGTERM, 42, 0, 1000), SIGPROXY_PASS);
	assert_int_equal(sigproxy_decide(&sp, SIGTERM, 42, 0, 1000 + SIGPROXY_REPEAT_MS - 1), 0);
	/* another signal or sender right after is passed on (systemd: HUP after TERM) */
	assert_int_equal(sigproxy_decide(&sp, SIGHUP, 1, 0, 1010), SIGPROXY_PASS);
	assert_int_equal(sigproxy_decide(&sp, SIGTERM, 43, 0, 1020), SIGPROXY_PASS);
	/* later, a stop signal is the second one: SIGKILL */
	assert_int_equal(sigproxy_decide(&sp, SIGTERM, 42, 0, 1000 + SIGPROXY_REPEAT_MS),
			 SIGPROXY_KILL);
}

static void second_stop_kills(void **state)
{
	struct sigproxy sp = fresh(10);

	(void)state;
	assert_int_equal(sigproxy_decide(&sp, SIGINT, 0, 0, 0), SIGPROXY_PASS);
	assert_int_equal(sigproxy_decide(&sp, SIGQUIT, 0, 0, 2000), SIGPROXY_KILL);
}

static void user_signals_pass_without_timeout(void **state)
{
	struct sigproxy sp = fresh(10);

	(void)state;
	assert_int_equal(sigproxy_decide(&sp, SIGUSR1, 7, 0, 0), SIGPROXY_PASS);
	assert_int_equal(sigproxy_decide(&sp, SIGUSR2, 7, 0, 0), SIGPROXY_PASS);
	assert_int_equal(sigproxy_wait_ms(&sp, 0), -1);
	assert_int_equal(sigproxy_decide(&sp, SIGCHLD, 7, 0, 0), 0);
	assert_true(sigproxy_is_stop(SIGHUP));
	assert_false(sigproxy_is_stop(SIGUSR1));
}

/* ^C reaches a runtime in our process group itself: counted, not passed */
static void terminal_signals_count_but_are_not_passed(void **state)
{
	struct sigproxy sp = fresh(0);

	(void)state;
	assert_int_equal(sigproxy_decide(&sp, SIGINT, 0, 1, 500), 0);
	assert_int_equal(sigproxy_wait_ms(&sp, 500), 0);	/* --stop-timeout 0 */
	assert_int_equal(sigproxy_expire(&sp, 500), SIGPROXY_KILL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(first_stop_passes_and_arms_the_timeout),
		cmocka_unit_test(repeat_is_not_a_second_signal),
		cmocka_unit_test(second_stop_kills),
		cmocka_unit_test(user_signals_pass_without_timeout),
		cmocka_unit_test(terminal_signals_count_but_are_not_passed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
