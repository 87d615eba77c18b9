// SPDX-License-Identifier: GPL-2.0-or-later
/* busypoll.c - adaptive polling before the loop sleeps (see busypoll.h) */

#include <errno.h>

#include "busypoll.h"
#include "clock.h"

/* the window starts here when it grows from nothing, microseconds */
#define GROW_START_US	10

static unsigned max_us = BUSYPOLL_DEFAULT_US;
static unsigned window_us;
static uint64_t n_hits, n_waits;

void busypoll_init(unsigned us)
{
	max_us = us > BUSYPOLL_MAX_US ? BUSYPOLL_MAX_US : us;
	window_us = 0;
}

/* after an idle period of @idle_us that the window did not cover: grow the
 * window if polling a little longer would have caught the event, else halve it */
static void learn(uint64_t idle_us)
{
	if (idle_us <= max_us) {
		window_us = window_us ? window_us * 2 : GROW_START_US;
		if (window_us > max_us)
			window_us = max_us;
	} else {
		window_us /= 2;
		if (window_us < GROW_START_US)
			window_us = 0;
	}
}

int busypoll_wait(int epfd, struct epoll_event *evs, int max, int tmo)
{
	uint64_t t0, now;
	int n;

	if (tmo == 0 || max_us == 0)
		return epoll_wait(epfd, evs, max, tmo);
	n_waits++;
	t0 = clock_us();
	if (window_us) {
		do {
			n = epoll_wait(epfd, evs, max, 0);
			if (n != 0)
				goto polled;
			now = clock_us();
		} while (now - t0 < window_us);
	}
	n = epoll_wait(epfd, evs, max, tmo);
	if (n >= 0 || errno != EINTR)
		learn(clock_us() - t0);
	return n;
polled:
	if (n > 0)
		n_hits++;
	return n;
}

void busypoll_stats(unsigned *w, uint64_t *hits, uint64_t *waits)
{
	*w = window_us;
	*hits = n_hits;
	*waits = n_waits;
}
