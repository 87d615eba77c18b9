/* SPDX-License-Identifier: GPL-2.0-or-later
 * config.h - the configuration grammar of burrow-netns (link, addr, route,
 * sysctl) parsed into one operation, and applied through lib/netconf
 *
 *   link NS up DEV | down DEV | set-mtu DEV MTU | set-mac DEV MAC |
 *           rename DEV NEWNAME | delete DEV | set-master DEV BRIDGE |
 *           move DEV TARGET | add-veth DEV PEER [TARGET] | add-bridge DEV
 *   addr NS add|del DEV CIDR
 *   route NS add|del default|CIDR [via GW] [dev DEV]
 *   sysctl NS KEY=VALUE | KEY
 *
 * TARGET is another namespace: a burrow-netns name, or a path starting with
 * '/' (/run/netns/X, /proc/PID/ns/net).
 */
#ifndef NETNS_CONFIG_H
#define NETNS_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

enum config_kind {
	CFG_LINK_UP = 1, CFG_LINK_DOWN, CFG_LINK_MTU, CFG_LINK_MAC, CFG_LINK_RENAME,
	CFG_LINK_DELETE, CFG_LINK_MASTER, CFG_LINK_MOVE, CFG_LINK_VETH,
	CFG_LINK_BRIDGE, CFG_ADDR_ADD, CFG_ADDR_DEL, CFG_ROUTE_ADD, CFG_ROUTE_DEL,
	CFG_SYSCTL_SET, CFG_SYSCTL_GET,
};

/* One parsed configuration request; strings point into the argv parsed */
struct config_op {
	enum config_kind kind;
	const char *dev;	/* the link acted on (route: optional "dev") */
	const char *arg;	/* new name, bridge, veth peer */
	const char *target;	/* other namespace: move, veth peer (or NULL) */
	unsigned mtu;
	uint8_t mac[6];
	struct cidr cidr;	/* addr: the address; route: the destination */
	int has_dst;		/* route: 0 for "default" */
	struct addr gw;
	int has_gw;
	char key[256];		/* sysctl */
	const char *value;	/* sysctl set */
};

/**
 * config_parse() - parse a configuration request
 * @group:	"link", "addr", "route" or "sysctl"
 * @argc:	number of words after the namespace name
 * @argv:	those words
 * @op:		result
 * @err:	reason on failure ("set-mtu: bad MTU 'x'")
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL
 */
int config_parse(const char *group, int argc, char **argv, struct config_op *op,
		 char *err, size_t errlen);

/**
 * config_apply() - carry out @op in the current network namespace
 * @op:		parsed request
 * @target_fd:	network namespace fd for @op->target, or -1
 * @out:	sysctl get: the value read
 * @outlen:	size of @out
 *
 * Return: 0, or -errno from lib/netconf
 */
int config_apply(const struct config_op *op, int target_fd, char *out, size_t outlen);

/**
 * config_describe() - the call made for @op, for error messages
 *		       ("netconf_addr_add(eth0, 10.0.0.1/24)")
 * @op:		parsed request
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: @buf
 */
const char *config_describe(const struct config_op *op, char *buf, size_t len);

#endif /* NETNS_CONFIG_H */
