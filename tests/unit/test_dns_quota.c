// SPDX-License-Identifier: GPL-2.0-or-later
/* test_dns_quota.c - in-flight counters per client and network; and the
 * 0x20 case randomisation of fwd.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "dns/fwd.h"
#include "dns/quota.h"

static struct quota_table t;

static void counts_and_frees(void **state)
{
	struct addr a, b;
	struct quota_key ka, kb, kn;
	int ia, ib, i;

	(void)state;
	quota_init(&t);
	assert_int_equal(addr_parse("10.1.0.2", &a), 0);
	assert_int_equal(addr_parse("fd00::2", &b), 0);
	ka = quota_key_addr(&a);
	kb = quota_key_addr(&b);
	kn = quota_key_id(2);
	assert_int_equal(quota_count(&t, &ka), 0);
	ia = quota_take(&t, &ka);
	assert_true(ia >= 0);
	assert_int_equal(quota_take(&t, &ka), ia);
	ib = quota_take(&t, &kb);
	assert_true(ib >= 0 && ib != ia);
	assert_int_equal(quota_take(&t, &kn) >= 0, 1);
	assert_int_equal(quota_count(&t, &ka), 2);
	assert_int_equal(quota_node_count(&t, ia), 2);
	assert_int_equal(quota_count(&t, &kb), 1);
	assert_int_equal(t.active, 3);
	quota_put(&t, ia);
	quota_put(&t, ia);
	assert_int_equal(quota_count(&t, &ka), 0);
	assert_int_equal(t.active, 2);
	quota_put(&t, ia);		/* already free: nothing happens */
	assert_int_equal(t.active, 2);
	assert_int_equal(quota_count(&t, &kb), 1);
	/* every node in use: the next new key gets none */
	quota_init(&t);
	for (i = 0; i < QUOTA_NODES; i++) {
		struct quota_key k = quota_key_id((uint32_t)i + 100);

		assert_true(quota_take(&t, &k) >= 0);
	}
	assert_int_equal(quota_take(&t, &ka), -1);
	quota_put(&t, 5);
	assert_true(quota_take(&t, &ka) >= 0);
}

static uint8_t ones(void)
{
	return 0xff;
}

static uint8_t zeros(void)
{
	return 0;
}

static void case_randomize(void **state)
{
	static const uint8_t name[] = "\x03" "wWw" "\x07" "ex-4mpl" "\x04" "TEST" "\x00";
	uint8_t n[sizeof(name)];

	(void)state;
	memcpy(n, name, sizeof(name));
	assert_int_equal(fwd_case_randomize(n, sizeof(name) - 1, ones), 12);
	assert_memory_equal(n, "\x03" "WWW" "\x07" "EX-4MPL" "\x04" "TEST", sizeof(name) - 1);
	assert_int_equal(fwd_case_randomize(n, sizeof(name) - 1, zeros), 12);
	assert_memory_equal(n, "\x03" "www" "\x07" "ex-4mpl" "\x04" "test", sizeof(name) - 1);
	/* digits, '-' and label lengths never change */
	assert_int_equal(n[0], 3);
	assert_int_equal(n[4], 7);
	assert_int_equal(n[7], '-');
	assert_int_equal(n[8], '4');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_and_frees),
		cmocka_unit_test(case_randomize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
