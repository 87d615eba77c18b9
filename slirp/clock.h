/* SPDX-License-Identifier: GPL-2.0-or-later
 * clock.h - the monotonic clock in microseconds (the vDSO's, no system call)
 */
#ifndef SLIRP_CLOCK_H
#define SLIRP_CLOCK_H

#include <stdint.h>
#include <time.h>

/* mono_us() - CLOCK_MONOTONIC in microseconds */
static inline uint64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

#endif
