// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_bridge_options.c - netavark options JSON and bo_check() on untrusted input */
#include <stddef.h>
#include <stdint.h>

#include "bridge/options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bo_options o;
	char err[256];

	if (bo_parse_netavark((const char *)data, size, &o, err, sizeof(err)) == 0)
		bo_check(&o, err, sizeof(err));
	return 0;
}
