/* SPDX-License-Identifier: GPL-2.0-or-later
 * xtlegacy.h - burrow-bridge's accept rule in iptables-legacy's FORWARD chain.
 *
 * A host whose Docker runs on iptables-legacy has its FORWARD policy DROP in
 * the kernel's x_tables, which nftables cannot reach: the rule goes in
 * through the iptables-legacy (ip6tables-legacy) program (run.h), as Docker and
 * netavark run iptables.  Only where the legacy filter table exists in this
 * network namespace (/proc/net/ip_tables_names), so a host that never used
 * iptables-legacy gets no legacy table from us.
 */
#ifndef BRIDGE_XTLEGACY_H
#define BRIDGE_XTLEGACY_H

/**
 * xtl_in_use() - whether iptables-legacy's filter table exists here
 * @v6:		0: iptables, 1: ip6tables
 *
 * Return: 1 or 0
 */
int xtl_in_use(int v6);

/**
 * xtl_accept() - make sure our FORWARD accept rule is there (@add) or gone
 * @v6:		0: iptables-legacy, 1: ip6tables-legacy
 * @add:	1: insert it at the head unless present; 0: delete every copy
 *
 * Return: 0, or -errno (the program missing: -ENOENT; it failed: -EIO)
 */
int xtl_accept(int v6, int add);

#endif /* BRIDGE_XTLEGACY_H */
