// SPDX-License-Identifier: GPL-2.0-or-later
/* sysfilter.c - seccomp allow-lists (libseccomp) for the long-running helpers */

#include <errno.h>
#include <seccomp.h>

#include "sysfilter.h"

int sysfilter_load(const int *calls, size_t ncalls, const int *families,
		   size_t nfamilies, uint32_t deny)
{
	scmp_filter_ctx f = seccomp_init(deny);
	size_t i;
	int r = 0;

	if (!f)
		return -ENOMEM;
	for (i = 0; i < ncalls && r >= 0; i++)
		r = seccomp_rule_add(f, SCMP_ACT_ALLOW, calls[i], 0);
	for (i = 0; i < nfamilies && r >= 0; i++) {
		/* every field set: SCMP_A0() leaves datum_b to the compiler */
		struct scmp_arg_cmp dom = { .arg = 0, .op = SCMP_CMP_EQ,
					    .datum_a = (scmp_datum_t)families[i], .datum_b = 0 };

		r = seccomp_rule_add_array(f, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1, &dom);
	}
	if (r >= 0)
		r = seccomp_load(f);
	seccomp_release(f);
	return r < 0 ? r : 0;
}
