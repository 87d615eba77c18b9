// SPDX-License-Identifier: GPL-2.0-or-later
/* test_slirp_ooo.c - out-of-order queue for guest TCP data */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "slirp/ooo.h"

static uint8_t data[3 * OOO_RING];

static void fill(void)
{
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + (i >> 9));
}

/* Bytes ready at @nxt, compared with data[@nxt - @base ...] */
static size_t ready_matches(int flow, uint32_t base, uint32_t nxt)
{
	struct iovec iov[2];
	size_t n, k = 0;
	int niov, i;

	n = ooo_ready(flow, nxt, iov, &niov);
	for (i = 0; i < niov; i++) {
		assert_memory_equal(iov[i].iov_base, data + (nxt - base) + k, iov[i].iov_len);
		k += iov[i].iov_len;
	}
	assert_int_equal(k, n);
	return n;
}

static void gap_then_fill(void **state)
{
	uint32_t base = 0xfffff000u, blocks[4][2];	/* wraps around 2^32 */

	(void)state;
	fill();
	assert_int_equal(ooo_insert(1, base, base + 1000, data + 1000, 500, 0), 1);
	assert_int_equal(ooo_insert(1, base, base + 3000, data + 3000, 100, 0), 1);
	assert_int_equal(ooo_slot_of(1) >= 0, 1);
	assert_int_equal(ooo_sack(1, blocks, 4), 2);
	assert_int_equal(blocks[0][0], base + 3000);	/* the latest first */
	assert_int_equal(blocks[0][1], base + 3100);
	assert_int_equal(blocks[1][0], base + 1000);
	assert_int_equal(blocks[1][1], base + 1500);
	assert_int_equal(ready_matches(1, base, base), 0);	/* gap still open */
	/* overlapping and adjacent segments merge */
	assert_int_equal(ooo_insert(1, base, base + 1400, data + 1400, 200, 0), 1);
	assert_int_equal(ooo_insert(1, base, base + 1600, data + 1600, 100, 0), 1);
	assert_int_equal(ooo_sack(1, blocks, 4), 2);
	assert_int_equal(blocks[0][0], base + 1000);
	assert_int_equal(blocks[0][1], base + 1700);
	/* the gap [0, 1000) is filled by the caller: 700 bytes follow */
	assert_int_equal(ready_matches(1, base, base + 1000), 700);
	ooo_advance(1, base + 1700, 0);
	assert_int_equal(ready_matches(1, base, base + 1700), 0);
	assert_int_equal(ooo_sack(1, blocks, 4), 1);
	ooo_advance(1, base + 3100, 0);
	assert_int_equal(ooo_slot_of(1), -1);		/* empty: freed */
	assert_int_equal(ooo_in_use(), 0);
}

static void bounds(void **state)
{
	uint32_t base = 5000;
	struct iovec iov[2];
	int niov;

	(void)state;
	fill();
	/* in order, old or too far: not kept */
	assert_int_equal(ooo_insert(2, base, base, data, 10, 0), 0);
	assert_int_equal(ooo_insert(2, base, base - 100, data, 10, 0), 0);
	assert_int_equal(ooo_insert(2, base, base + OOO_RING, data, 10, 0), 0);
	assert_int_equal(ooo_in_use(), 0);
	/* cut at OOO_RING past rcv_nxt, the ring wraps */
	assert_int_equal(ooo_insert(2, base, base + OOO_RING - 10, data + OOO_RING - 10, 100, 0), 1);
	assert_int_equal(ooo_insert(2, base, base + 1, data + 1, OOO_RING - 20, 0), 1);
	assert_int_equal(ooo_insert(2, base, base + OOO_RING - 19, data + OOO_RING - 19, 9, 0), 1);
	assert_int_equal(ready_matches(2, base, base + 1), OOO_RING - 1);
	assert_int_equal(ooo_ready(2, base + 1, iov, &niov), OOO_RING - 1);
	assert_int_equal(niov, 2);		/* across the ring's end */
	ooo_release(2);
	assert_int_equal(ooo_in_use(), 0);
	/* at most OOO_RANGES disjoint ranges */
	for (int i = 0; i < OOO_RANGES; i++)
		assert_int_equal(ooo_insert(3, base, base + 100u * (uint32_t)(i + 1), data, 10, 0), 1);
	assert_int_equal(ooo_insert(3, base, base + 100u * (OOO_RANGES + 1), data, 10, 0), 0);
	assert_int_equal(ooo_insert(3, base, base + 105, data, 10, 0), 1);	/* merges */
	ooo_release(3);
}

static void pool_quota_and_takeover(void **state)
{
	uint32_t base = 1;
	int i;

	(void)state;
	fill();
	for (i = 0; i < OOO_SLOTS; i++)
		assert_int_equal(ooo_insert(10 + i, base, base + 10, data, 10, 1000 + (uint64_t)i), 1);
	/* the pool is full and every slot changed within OOO_IDLE_MS */
	assert_int_equal(ooo_insert(100, base, base + 10, data, 10, 1500), 0);
	assert_int_equal(ooo_slot_of(100), -1);
	/* a flow keeps its own slot */
	assert_int_equal(ooo_insert(12, base, base + 30, data, 10, 1500), 1);
	/* once idle long enough, the slot idle longest is taken over */
	assert_int_equal(ooo_insert(100, base, base + 10, data, 10, 1000 + OOO_IDLE_MS + 5), 1);
	assert_int_equal(ooo_slot_of(10), -1);
	assert_int_equal(ooo_slot_of(100) >= 0, 1);
	assert_int_equal(ooo_in_use(), OOO_SLOTS);
	for (i = 0; i < OOO_SLOTS; i++)
		ooo_release(10 + i);
	ooo_release(100);
	assert_int_equal(ooo_in_use(), 0);
}

static void trim_gives_pages_back(void **state)
{
	uint32_t base = 77;

	(void)state;
	fill();
	ooo_trim(40000);		/* the rings the tests above used */
	assert_int_equal(ooo_trim(40500), 0);			/* once a second at most */
	assert_int_equal(ooo_insert(5, base, base + 100, data + 100, 4096, 50000), 1);
	assert_int_equal(ooo_trim(50000 + OOO_TRIM_MS), 0);	/* in use: kept */
	ooo_advance(5, base + 4196, 50000);			/* freed */
	assert_int_equal(ooo_slot_of(5), -1);
	assert_int_equal(ooo_trim(50000 + OOO_TRIM_MS - 1), 0);	/* not long enough */
	assert_int_equal(ooo_trim(50000 + 2 * OOO_TRIM_MS), 1);
	assert_int_equal(ooo_trim(50000 + 4 * OOO_TRIM_MS), 0);	/* nothing left */
	/* a trimmed ring works as before */
	assert_int_equal(ooo_insert(5, base, base + 100, data + 100, 4096, 90000), 1);
	assert_int_equal(ready_matches(5, base, base + 100), 4096);
	ooo_release(5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gap_then_fill),
		cmocka_unit_test(bounds),
		cmocka_unit_test(pool_quota_and_takeover),
		cmocka_unit_test(trim_gives_pages_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
