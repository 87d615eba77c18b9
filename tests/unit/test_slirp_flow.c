// SPDX-License-Identifier: GPL-2.0-or-later
/* test_slirp_flow.c - the flow table's quotas and eviction order: half-open
 * TCP first, then the least recently active datagram flow, never an
 * established TCP flow; per-forward, per-source and all-forwards quotas evict
 * only within themselves; freed entries wait for flow_reclaim() */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "slirp/flow.h"

static int evicted[16384];
static int n_evicted;

static void evict(void *arg, int idx)
{
	(void)arg;
	evicted[n_evicted++] = idx;
	flow_del(idx);
}

static void setup(int capacity)
{
	flow_init(capacity, evict, NULL);
	n_evicted = 0;
}

/* A flow the container starts: guest 10.0.2.100:@port to 198.51.100.2:80 */
static int add_own(uint8_t proto, uint16_t port)
{
	struct in_addr g = { htonl(0x0a000264) }, d = { htonl(0xc6336402) };

	return flow_add(proto, AF_INET, &g, port, &d, 80);
}

/* A client of forward @fwd from 203.0.113.@host:@port */
static int add_in(int fwd, uint8_t host, uint16_t port)
{
	struct in_addr g = { htonl(0x0a000264) }, d = { htonl(0xcb007100 | host) };

	return flow_add_inbound(IPPROTO_UDP, AF_INET, &g, 7002, &d, port, fwd);
}

static void test_evict_order(void **state)
{
	int t[4], u[4], i, n, t3;

	(void)state;
	setup(8);
	for (i = 0; i < 4; i++) {
		t[i] = add_own(IPPROTO_TCP, (uint16_t)(1000 + i));
		assert_true(t[i] >= 0);
		assert_int_equal(flow_at(t[i])->list, FLOW_L_HALF);
	}
	for (i = 0; i < 4; i++) {
		u[i] = add_own(IPPROTO_UDP, (uint16_t)(2000 + i));
		assert_true(u[i] >= 0);
		assert_int_equal(flow_at(u[i])->list, FLOW_L_DGRAM);
	}
	flow_established(t[0]);
	flow_established(t[2]);
	flow_touch(u[0], 5, FLOW_SEEN_FROM_GUEST);	/* u[1] is now the idlest */
	assert_int_equal(flow_count(), 8);

	/* full: the oldest half-open TCP flow goes, then the next */
	t3 = add_own(IPPROTO_TCP, 3000);
	assert_true(t3 >= 0);
	assert_int_equal(evicted[0], t[1]);
	assert_true(add_own(IPPROTO_UDP, 3001) >= 0);
	assert_int_equal(evicted[1], t[3]);
	/* the new TCP flow is half-open too and goes next */
	assert_true(add_own(IPPROTO_UDP, 3002) >= 0);
	assert_int_equal(evicted[2], t3);
	/* then the least recently active datagram flows, u[0] (touched) last */
	assert_true(add_own(IPPROTO_UDP, 3003) >= 0);
	assert_int_equal(evicted[3], u[1]);
	assert_true(add_own(IPPROTO_UDP, 3004) >= 0);
	assert_int_equal(evicted[4], u[2]);
	n = n_evicted;
	for (i = 0; i < n; i++)
		assert_true(evicted[i] != t[0] && evicted[i] != t[2]);
	assert_int_equal(flow_stats()->evicted[FLOW_L_HALF], 3);
	assert_int_equal(flow_stats()->evicted[FLOW_L_DGRAM], 2);
}

static void test_established_never_evicted(void **state)
{
	int i, idx;

	(void)state;
	setup(4);
	for (i = 0; i < 4; i++) {
		idx = add_own(IPPROTO_TCP, (uint16_t)(1000 + i));
		assert_true(idx >= 0);
		flow_established(idx);
	}
	assert_int_equal(add_own(IPPROTO_TCP, 2000), -ENOSPC);
	assert_int_equal(add_in(0, 1, 2000), -ENOSPC);
	assert_int_equal(n_evicted, 0);
	assert_int_equal(flow_stats()->refused, 2);
}

static void test_source_quota(void **state)
{
	int first, i, idx;

	(void)state;
	setup(FLOW_MAX);
	first = add_in(0, 1, 10000);
	for (i = 1; i < FLOW_QUOTA_SRC; i++)
		assert_true(add_in(0, 1, (uint16_t)(10000 + i)) >= 0);
	idx = add_in(0, 2, 10000);		/* another address: no eviction */
	assert_true(idx >= 0);
	assert_int_equal(n_evicted, 0);
	assert_true(add_in(0, 1, 20000) >= 0);	/* address 1 at its quota: its oldest goes */
	assert_int_equal(n_evicted, 1);
	assert_int_equal(evicted[0], first);
	assert_int_equal(flow_at(idx)->proto, IPPROTO_UDP);
	assert_int_equal(flow_stats()->at_src, 1);
}

static void test_forward_quota(void **state)
{
	int own, first, i, host;

	(void)state;
	setup(FLOW_MAX);
	own = add_own(IPPROTO_UDP, 5353);	/* the container's: outside the quotas */
	first = add_in(1, 10, 10000);
	for (i = 1; i < FLOW_QUOTA_FWD; i++) {
		host = 10 + i / (FLOW_QUOTA_SRC / 2);	/* under each address's quota */
		assert_true(add_in(1, (uint8_t)host, (uint16_t)(10000 + i)) >= 0);
	}
	assert_int_equal(n_evicted, 0);
	assert_true(add_in(2, 10, 30000) >= 0);	/* another forward still has room */
	assert_true(add_in(1, 200, 30000) >= 0);	/* forward 1 full: its oldest goes */
	assert_int_equal(n_evicted, 1);
	assert_int_equal(evicted[0], first);
	assert_int_equal(flow_at(own)->proto, IPPROTO_UDP);
	/* removing the forward: its flows stay, they no longer count against it */
	flow_forget_fwd(1);
	assert_true(add_in(1, 201, 30000) >= 0);
	assert_int_equal(n_evicted, 1);
}

static void test_inbound_quota(void **state)
{
	int own[2048], i, n = 0, fwd;

	(void)state;
	setup(FLOW_MAX);
	for (i = 0; i < FLOW_QUOTA_INBOUND; i++) {
		fwd = i / (FLOW_QUOTA_FWD / 2);
		assert_true(add_in(fwd, (uint8_t)(1 + i / (FLOW_QUOTA_SRC / 2)),
				   (uint16_t)(10000 + i)) >= 0);
	}
	for (i = 0; i < 2048; i++)
		assert_true((own[n++] = add_own(IPPROTO_UDP, (uint16_t)(1000 + i))) >= 0);
	assert_int_equal(flow_count(), FLOW_MAX);
	assert_int_equal(n_evicted, 0);
	/* a new client of a forward never takes the container's share */
	assert_true(add_in(9, 250, 40000) >= 0);
	assert_int_equal(n_evicted, 1);
	assert_true(flow_at(evicted[0])->proto == 0);
	for (i = 0; i < n; i++)
		assert_int_equal(flow_at(own[i])->proto, IPPROTO_UDP);
}

static void test_reclaim(void **state)
{
	int a, b;

	(void)state;
	setup(8);
	a = add_own(IPPROTO_UDP, 1000);
	flow_del(a);
	b = add_own(IPPROTO_UDP, 1001);
	assert_true(b != a);			/* not before flow_reclaim() */
	assert_int_equal(flow_lookup(IPPROTO_UDP, AF_INET, &flow_at(b)->gaddr, 1001,
				     &flow_at(b)->daddr, 80), b);
	flow_reclaim();
	assert_int_equal(add_own(IPPROTO_UDP, 1002), a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_evict_order),
		cmocka_unit_test(test_established_never_evicted),
		cmocka_unit_test(test_source_quota),
		cmocka_unit_test(test_forward_quota),
		cmocka_unit_test(test_inbound_quota),
		cmocka_unit_test(test_reclaim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
