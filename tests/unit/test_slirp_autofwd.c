// SPDX-License-Identifier: GPL-2.0-or-later
/* test_slirp_autofwd.c - the /proc/net line parser behind pasta's -t/-u auto:
 * listening state only, the local port, loopback-bound sockets never taken
 * for -t/-u auto, flagged for -T/-U auto */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "slirp/autofwd.h"

static void test_tcp4(void **state)
{
	uint16_t port = 0;

	(void)state;
	/* header */
	assert_int_equal(autofwd_parse_line("  sl  local_address rem_address   st tx_queue "
					    "rx_queue tr tm->when retrnsmt   uid  timeout inode",
					    0x0A, &port), 0);
	/* 0.0.0.0:80 listening */
	assert_int_equal(autofwd_parse_line("   0: 00000000:0050 00000000:0000 0A 00000000:00000000 "
					    "00:00000000 00000000  1000        0 12345", 0x0A,
					    &port), 1);
	assert_int_equal(port, 80);
	/* 198.51.100.1:8080 listening (the kernel's word: bytes reversed) */
	assert_int_equal(autofwd_parse_line("   1: 016433C6:1F90 00000000:0000 0A 0", 0x0A, &port), 1);
	assert_int_equal(port, 8080);
	/* 127.0.0.1:8081 and 127.1.2.3:8082: loopback only, never forwarded */
	assert_int_equal(autofwd_parse_line("   2: 0100007F:1F91 00000000:0000 0A 0", 0x0A, &port), 0);
	assert_int_equal(autofwd_parse_line("   3: 0302017F:1F92 00000000:0000 0A 0", 0x0A, &port), 0);
	/* an established connection is not a listener */
	assert_int_equal(autofwd_parse_line("   4: 016433C6:1F90 026433C6:D431 01 0", 0x0A, &port), 0);
}

static void test_tcp6_udp(void **state)
{
	uint16_t port = 0;

	(void)state;
	/* [::]:443 */
	assert_int_equal(autofwd_parse_line("   0: 00000000000000000000000000000000:01BB "
					    "00000000000000000000000000000000:0000 0A 0", 0x0A,
					    &port), 1);
	assert_int_equal(port, 443);
	/* [::1]:444 and [::ffff:127.0.0.1]:445 */
	assert_int_equal(autofwd_parse_line("   1: 00000000000000000000000001000000:01BC "
					    "00000000000000000000000000000000:0000 0A 0", 0x0A,
					    &port), 0);
	assert_int_equal(autofwd_parse_line("   2: 0000000000000000FFFF00000100007F:01BD "
					    "00000000000000000000000000000000:0000 0A 0", 0x0A,
					    &port), 0);
	/* UDP: bound and unconnected is 07 */
	assert_int_equal(autofwd_parse_line(" 1234: 00000000:0035 00000000:0000 07 0", 0x07, &port), 1);
	assert_int_equal(port, 53);
	assert_int_equal(autofwd_parse_line(" 1234: 00000000:0035 00000000:0000 07 0", 0x0A, &port), 0);
	/* garbage and port 0 */
	assert_int_equal(autofwd_parse_line("   9: 00000000:0000 00000000:0000 0A 0", 0x0A, &port), 0);
	assert_int_equal(autofwd_parse_line("   9: zz:0050 00000000:0000 0A", 0x0A, &port), 0);
	assert_int_equal(autofwd_parse_line("", 0x0A, &port), 0);
}

/* -T/-U auto read the host's sockets, loopback ones included, flagged */
static void test_with_loopback(void **state)
{
	uint16_t port = 0;
	int lo = -1;

	(void)state;
	assert_int_equal(autofwd_parse_socket("   2: 0100007F:1F91 00000000:0000 0A 0", 0x0A, &port,
					      &lo), 1);
	assert_int_equal(port, 8081);
	assert_int_equal(lo, 1);
	assert_int_equal(autofwd_parse_socket("   0: 00000000000000000000000001000000:01BC "
					      "00000000000000000000000000000000:0000 0A 0", 0x0A,
					      &port, &lo), 1);
	assert_int_equal(port, 444);
	assert_int_equal(lo, 1);
	assert_int_equal(autofwd_parse_socket("   1: 016433C6:1F90 00000000:0000 0A 0", 0x0A, &port,
					      &lo), 1);
	assert_int_equal(port, 8080);
	assert_int_equal(lo, 0);
	assert_int_equal(autofwd_parse_socket("   4: 0100007F:1F90 0100007F:D431 01 0", 0x0A, &port,
					      &lo), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp4),
		cmocka_unit_test(test_tcp6_udp),
		cmocka_unit_test(test_with_loopback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
