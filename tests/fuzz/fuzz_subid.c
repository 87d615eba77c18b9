// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_subid.c - libFuzzer target for the /etc/subuid parser: any bytes must
 * give ranges that are valid and disjoint, or an error with a message */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "subid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct subid_ranges *r, int ret, const char *err)
{
	size_t i, j;

	if (ret < 0) {
		if (!err[0])
			abort();
		return;
	}
	if ((size_t)ret != r->n || r->n > SUBID_MAX_RANGES)
		abort();
	for (i = 0; i < r->n; i++) {
		if (!r->r[i].count || r->r[i].start > SUBID_ID_MAX ||
		    r->r[i].count - 1 > SUBID_ID_MAX - r->r[i].start)
			abort();
		for (j = 0; j < i; j++)
			if (r->r[i].start <= r->r[j].start + r->r[j].count - 1 &&
			    r->r[j].start <= r->r[i].start + r->r[i].count - 1)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct subid_ranges r;
	char err[256];
	int ret;

	err[0] = '\0';
	ret = subid_parse((const char *)data, size, "/etc/subuid", "alice", 1000,
			  &r, err, sizeof(err));
	check(&r, ret, err);
	err[0] = '\0';
	ret = subid_parse((const char *)data, size, "/etc/subuid", NULL, 0,
			  &r, err, sizeof(err));
	check(&r, ret, err);
	return 0;
}
