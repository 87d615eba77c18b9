// SPDX-License-Identifier: GPL-2.0-or-later
/* xtlegacy.c - the accept rule in iptables-legacy's FORWARD chain */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nft.h"
#include "run.h"
#include "xtlegacy.h"

#define XTL_MAX_COPIES 8	/* a delete loop's bound */

int xtl_in_use(int v6)
{
	char buf[256];
	FILE *f = fopen(v6 ? "/proc/net/ip6_tables_names" : "/proc/net/ip_tables_names", "re");
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(buf, sizeof(buf), f))
		found = !strcmp(buf, "filter\n");
	fclose(f);
	return found;
}

/* Run PROGRAM -w OP FORWARD <our rule>: its exit status, or -errno */
static int xtl_run(int v6, const char *op)
{
	char mark[32];
	const char *argv[] = { v6 ? "ip6tables-legacy" : "iptables-legacy", "-w", op, "FORWARD",
			       "-m", "mark", "--mark", mark, "-m", "comment", "--comment",
			       NFTB_XT_COMMENT, "-j", "ACCEPT", NULL };

	snprintf(mark, sizeof(mark), "0x%x/0x%x", NFTB_ACCEPT_MARK, NFTB_ACCEPT_MARK);
	return run_quiet(argv);
}

int xtl_accept(int v6, int add)
{
	int rc, i;

	for (i = 0; i < XTL_MAX_COPIES; i++) {
		rc = xtl_run(v6, "-C");
		if (rc < 0)
			return rc;
		if (add)
			return rc == 0 ? 0 : xtl_run(v6, "-I") ? -EIO : 0;
		if (rc)
			return 0;	/* none (left) */
		if (xtl_run(v6, "-D"))
			return -EIO;
	}
	return 0;
}
