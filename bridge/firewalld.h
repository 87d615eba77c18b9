/* SPDX-License-Identifier: GPL-2.0-or-later
 * firewalld.h - burrow-bridge's networks in firewalld's "trusted" zone.
 *
 * firewalld rejects forwarded traffic that no zone or policy allows, with a
 * rule (not a policy) that no mark can pass.  As netavark does, the subnets
 * of a network go into the trusted zone as sources (runtime configuration:
 * `firewall-cmd --reload` drops them, `burrow-bridge reload` puts them
 * back), through firewall-cmd, only when firewalld runs here (its nftables
 * table "inet firewalld" exists).
 */
#ifndef BRIDGE_FIREWALLD_H
#define BRIDGE_FIREWALLD_H

#include "options.h"

/**
 * fwd_running() - whether firewalld (nftables backend) runs in this namespace
 *
 * Return: 1 or 0
 */
int fwd_running(void);

/**
 * fwd_trust() - add @n's subnets to firewalld's trusted zone, or remove them
 * @n:		the network
 * @add:	1 add, 0 remove
 *
 * Does nothing when firewalld does not run or @n has no subnets.
 *
 * Return: 0, or -errno (firewall-cmd missing: -ENOENT; it failed: -EIO)
 */
int fwd_trust(const struct bo_net *n, int add);

#endif /* BRIDGE_FIREWALLD_H */
