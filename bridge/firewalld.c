// SPDX-License-Identifier: GPL-2.0-or-later
/* firewalld.c - subnets in firewalld's trusted zone, through firewall-cmd */

#include <errno.h>
#include <stdio.h>

#include "addr.h"
#include "firewalld.h"
#include "nft.h"
#include "run.h"

#define FWD_ZONE "trusted"

int fwd_running(void)
{
	return nftb_inet_table_exists("firewalld") > 0;
}

int fwd_trust(const struct bo_net *n, int add)
{
	char opts[BO_MAX_SUBNETS][CIDR_STRLEN + 20];
	const char *argv[BO_MAX_SUBNETS + 3];
	size_t k, a = 0;
	int rc;

	if (!n->nsubnets || !fwd_running())
		return 0;
	argv[a++] = "firewall-cmd";
	argv[a++] = "--zone=" FWD_ZONE;
	for (k = 0; k < n->nsubnets; k++) {
		char buf[CIDR_STRLEN];

		snprintf(opts[k], sizeof(opts[k]), "--%s-source=%s", add ? "add" : "remove",
			 cidr_format(&n->subnets[k].net, buf, sizeof(buf)));
		argv[a++] = opts[k];
	}
	argv[a] = NULL;
	/* an address already there (or already gone) is only a warning: 0 */
	rc = run_quiet(argv);
	return rc > 0 ? -EIO : rc;
}
