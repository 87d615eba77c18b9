// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_conmon_notify.c - untrusted input of burrow-mon: a container's
 * sd_notify datagram (notify_filter).  Checks that the output is never
 * longer than the room given, and that every line of it is an allowed one
 * found in the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conmon/notify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[NOTIFY_MSG_MAX];
	size_t room = size ? data[0] % sizeof(out) : 0, n, off = 0;
	const char *d = (const char *)data;

	n = notify_filter(d, size, out, room);
	if (n > room)
		abort();
	while (off < n) {
		const char *nl = memchr(out + off, '\n', n - off);
		size_t len = nl ? (size_t)(nl - (out + off)) : n - off;

		if (!len || !memmem(d, size, out + off, len) || memchr(out + off, '\r', len))
			abort();
		if (strncmp(out + off, "READY=1", 7) && strncmp(out + off, "STATUS=", 7) &&
		    strncmp(out + off, "RELOADING=1", 11) && strncmp(out + off, "STOPPING=1", 10) &&
		    strncmp(out + off, "WATCHDOG=", 9) && strncmp(out + off, "ERRNO=", 6) &&
		    strncmp(out + off, "BUSERROR=", 9) && strncmp(out + off, "MONOTONIC_USEC=", 15))
			abort();
		off += len + 1;
	}
	return 0;
}
