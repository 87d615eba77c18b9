/* SPDX-License-Identifier: GPL-2.0-or-later
 * busypoll.h - adaptive polling before the loop sleeps
 *
 * Waking a sleeping helper costs more than the work it then does: on a
 * virtual machine an idle CPU halts, and each round trip through the helper
 * wakes it twice.  So before it blocks in epoll_wait(), the loop polls for a
 * short window, and learns the window as the guest haltpoll governor does:
 * it grows (doubling, up to the maximum) while events come back within the
 * maximum after the loop went idle, and halves each time the loop stays idle
 * longer, down to nothing.  Idle or slow traffic therefore never polls; only
 * a flow whose next packet comes within the maximum (request/response at a
 * high rate) makes the loop poll, and then it polls at most the maximum per
 * wait.
 */
#ifndef SLIRP_BUSYPOLL_H
#define SLIRP_BUSYPOLL_H

#include <stdint.h>
#include <sys/epoll.h>

/* default maximum window, microseconds (--busy-poll) */
#define BUSYPOLL_DEFAULT_US	50
/* largest maximum accepted */
#define BUSYPOLL_MAX_US		1000

/**
 * busypoll_init() - set the maximum polling window
 * @max_us:	microseconds, 0 (never poll) to BUSYPOLL_MAX_US
 */
void busypoll_init(unsigned max_us);

/**
 * busypoll_wait() - epoll_wait() that polls for the learnt window first when
 *		     it would block
 * @epfd:	epoll file descriptor
 * @evs:	events out
 * @max:	size of @evs
 * @tmo:	timeout in milliseconds as for epoll_wait() (0: no polling)
 *
 * Return: as epoll_wait()
 */
int busypoll_wait(int epfd, struct epoll_event *evs, int max, int tmo);

/**
 * busypoll_stats() - for the log and the tests: the window now, and how many
 *		      waits were answered while polling
 * @window_us:	out, the current window
 * @hits:	out, waits that found an event while polling
 * @waits:	out, waits that would have blocked
 */
void busypoll_stats(unsigned *window_us, uint64_t *hits, uint64_t *waits);

#endif
