// SPDX-License-Identifier: GPL-2.0-or-later
/* test_slirp_busypoll.c - the polling window learns as haltpoll does: it grows
 * while events come back soon after the loop went idle, and shrinks to nothing
 * while the loop stays idle longer than the maximum */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <cmocka.h>

#include "slirp/busypoll.h"

static int epfd, evfd;

static int setup(void **state)
{
	struct epoll_event ev = { .events = EPOLLIN };

	(void)state;
	epfd = epoll_create1(EPOLL_CLOEXEC);
	evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (epfd < 0 || evfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, evfd, &ev))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	close(evfd);
	close(epfd);
	return 0;
}

/* one wait: with an event already there (@ready) or none (a 3 ms timeout) */
static int wait_once(int ready)
{
	struct epoll_event evs[4];
	uint64_t v = 1;
	int n;

	if (ready)
		assert_int_equal(write(evfd, &v, sizeof(v)), sizeof(v));
	n = busypoll_wait(epfd, evs, 4, 3);
	if (ready)
		assert_int_equal(read(evfd, &v, sizeof(v)), sizeof(v));
	return n;
}

/* one wait for an event that comes 100 us after the loop went idle (a timer) */
static int wait_soon(int tfd)
{
	struct itimerspec its = { .it_value = { 0, 100 * 1000 } };
	struct epoll_event evs[4];
	uint64_t v;
	int n;

	assert_int_equal(timerfd_settime(tfd, 0, &its, NULL), 0);
	n = busypoll_wait(epfd, evs, 4, 100);
	assert_int_equal(read(tfd, &v, sizeof(v)), sizeof(v));
	return n;
}

static unsigned window(void)
{
	uint64_t hits, waits;
	unsigned w;

	busypoll_stats(&w, &hits, &waits);
	return w;
}

static uint64_t hits(void)
{
	uint64_t h, waits;
	unsigned w;

	busypoll_stats(&w, &h, &waits);
	return h;
}

static void grows_from_nothing(void **state)
{
	(void)state;
	busypoll_init(40);
	assert_int_equal(window(), 0);
	assert_int_equal(wait_once(1), 1);	/* came at once: worth polling */
	assert_int_equal(window(), 10);
}

/*
 * Events 100 us after the loop went idle, maximum 1000 us: the window doubles
 * (10, 20, 40, 80, 160) until polling catches them; then it stays.  A wait
 * the machine delays beyond the maximum halves it, so the test allows many.
 */
static void grows_until_polling_catches(void **state)
{
	struct epoll_event ev = { .events = EPOLLIN };
	uint64_t h0;
	unsigned w;
	int tfd, i;

	(void)state;
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	assert_true(tfd >= 0);
	assert_int_equal(epoll_ctl(epfd, EPOLL_CTL_ADD, tfd, &ev), 0);
	busypoll_init(1000);
	for (i = 0; i < 200 && window() < 160; i++)
		assert_int_equal(wait_soon(tfd), 1);
	assert_int_equal(window(), 160);
	h0 = hits();
	for (i = 0; i < 20; i++)
		wait_soon(tfd);
	assert_true(hits() > h0);
	/* idle for 3 ms at a time, longer than the maximum: it halves to nothing */
	for (w = window(), i = 0; w && i < 10; i++) {
		assert_int_equal(wait_once(0), 0);
		w = w / 2 < 10 ? 0 : w / 2;
		assert_int_equal(window(), w);
	}
	assert_int_equal(window(), 0);
	epoll_ctl(epfd, EPOLL_CTL_DEL, tfd, NULL);
	close(tfd);
}

static void zero_never_polls(void **state)
{
	uint64_t h0 = hits();
	int i;

	(void)state;
	busypoll_init(0);
	for (i = 0; i < 4; i++)
		assert_int_equal(wait_once(1), 1);
	assert_int_equal(window(), 0);
	assert_int_equal(hits(), h0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grows_from_nothing),
		cmocka_unit_test(grows_until_polling_catches),
		cmocka_unit_test(zero_never_polls),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
