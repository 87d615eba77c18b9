// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_conmon_output.c - untrusted input of burrow-mon: container output
 * turned into k8s-file lines (log_k8s_build_iov) and control FIFO lines
 * (ctl_parse_line).  Checks that the vector covers exactly the consumed
 * bytes, every complete line gets one prefix, and parsing never overreads.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conmon/ctl.h"
#include "conmon/logging.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct iovec iov[64];
	const char *d = (const char *)data;
	size_t consumed, bytes, n, i, covered = 0, total = 0;
	size_t limit = size ? data[0] * 4u : 0;
	struct ctl_msg m;

	n = log_k8s_build_iov(d, size, "F ", "P ", 2, iov, 64, limit ? limit : (size_t)-1,
			      &consumed, &bytes);
	if (consumed > size || n > 64)
		abort();
	for (i = 0; i < n; i++) {
		total += iov[i].iov_len;
		if (iov[i].iov_base >= (void *)d && iov[i].iov_base < (void *)(d + size))
			covered += iov[i].iov_len;
	}
	if (total != bytes || covered != consumed)
		abort();
	if (size && !consumed)
		abort();	/* always progress */
	ctl_parse_line(d, size, &m);
	return 0;
}
