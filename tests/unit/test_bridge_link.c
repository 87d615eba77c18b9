// SPDX-License-Identifier: GPL-2.0-or-later
/* test_bridge_link.c - the bridge's own address: random, locally administered, unicast */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "bridge/link.h"

static void local_bits_set_and_rest_kept(void **state)
{
	uint8_t a[6] = { 0xff, 0x11, 0x22, 0x33, 0x44, 0x55 };
	uint8_t b[6] = { 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 };

	(void)state;
	lk_mac_local(a);
	assert_int_equal(a[0], 0xfe);	/* multicast bit off, local bit on */
	assert_int_equal(a[5], 0x55);
	lk_mac_local(b);
	assert_int_equal(b[0], 0x02);
	assert_int_equal(b[5], 0x01);
}

static void random_addresses_are_local_unicast_and_differ(void **state)
{
	uint8_t m[6], first[6];
	int i, same = 0;

	(void)state;
	assert_int_equal(lk_mac_random(first), 0);
	for (i = 0; i < 64; i++) {
		assert_int_equal(lk_mac_random(m), 0);
		assert_int_equal(m[0] & 0x01, 0);
		assert_int_equal(m[0] & 0x02, 0x02);
		same += !memcmp(m, first, 6);
	}
	assert_int_equal(same, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(local_bits_set_and_rest_kept),
		cmocka_unit_test(random_addresses_are_local_unicast_and_differ),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
