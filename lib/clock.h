/* SPDX-License-Identifier: GPL-2.0-or-later
 * clock.h - the monotonic clock (CLOCK_MONOTONIC, read through the vDSO: no
 * system call), for deadlines, timeouts and timers
 */
#ifndef BURROW_CLOCK_H
#define BURROW_CLOCK_H

#include <stdint.h>
#include <time.h>

/* clock_us() - the monotonic clock in microseconds */
static inline uint64_t clock_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* clock_ms() - the monotonic clock in milliseconds */
static inline uint64_t clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#endif
