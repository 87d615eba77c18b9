// SPDX-License-Identifier: GPL-2.0-or-later
/* config.c - the link/addr/route/sysctl grammar of burrow-netns, applied
 * through lib/netconf (no iproute2)
 */

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "name.h"
#include "netconf.h"

static const struct {
	const char *word;
	enum config_kind kind;
	int min, max;		/* words after the action */
} link_actions[] = {
	{ "up",		CFG_LINK_UP,	 1, 1 },
	{ "down",	CFG_LINK_DOWN,	 1, 1 },
	{ "set-mtu",	CFG_LINK_MTU,	 2, 2 },
	{ "set-mac",	CFG_LINK_MAC,	 2, 2 },
	{ "rename",	CFG_LINK_RENAME, 2, 2 },
	{ "delete",	CFG_LINK_DELETE, 1, 1 },
	{ "set-master",	CFG_LINK_MASTER, 2, 2 },
	{ "move",	CFG_LINK_MOVE,	 2, 2 },
	{ "add-veth",	CFG_LINK_VETH,	 2, 3 },
	{ "add-bridge",	CFG_LINK_BRIDGE, 1, 1 },
};

static int parse_link(int argc, char **argv, struct config_op *op, char *err, size_t errlen)
{
	unsigned i;
	int n;

	if (argc < 1) {
		snprintf(err, errlen, "link: missing action");
		return -EINVAL;
	}
	for (i = 0; i < sizeof(link_actions) / sizeof(link_actions[0]); i++)
		if (!strcmp(argv[0], link_actions[i].word))
			break;
	if (i == sizeof(link_actions) / sizeof(link_actions[0])) {
		snprintf(err, errlen, "link: unknown action '%s'", argv[0]);
		return -EINVAL;
	}
	n = argc - 1;
	if (n < link_actions[i].min || n > link_actions[i].max) {
		snprintf(err, errlen, "link %s: wrong number of arguments", argv[0]);
		return -EINVAL;
	}
	op->kind = link_actions[i].kind;
	op->dev = argv[1];
	if (!name_ifname_valid(op->dev)) {
		snprintf(err, errlen, "link %s: bad link name '%s'", argv[0], op->dev);
		return -EINVAL;
	}
	switch (op->kind) {
	case CFG_LINK_MTU: {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(argv[2], &end, 10);
		if (errno || *end || argv[2][0] < '0' || argv[2][0] > '9' ||
		    v < 68 || v > 65535) {
			snprintf(err, errlen, "set-mtu: bad MTU '%s' (68-65535)", argv[2]);
			return -EINVAL;
		}
		op->mtu = (unsigned)v;
		break;
	}
	case CFG_LINK_MAC:
		if (mac_parse(argv[2], op->mac) < 0) {
			snprintf(err, errlen, "set-mac: bad MAC address '%s'", argv[2]);
			return -EINVAL;
		}
		break;
	case CFG_LINK_RENAME:
	case CFG_LINK_MASTER:
	case CFG_LINK_VETH:
		op->arg = argv[2];
		if (!name_ifname_valid(op->arg)) {
			snprintf(err, errlen, "link %s: bad link name '%s'", argv[0], op->arg);
			return -EINVAL;
		}
		if (op->kind == CFG_LINK_VETH && n == 3)
			op->target = argv[3];
		break;
	case CFG_LINK_MOVE:
		op->target = argv[2];
		break;
	default:
		break;
	}
	if (op->target && !*op->target) {
		snprintf(err, errlen, "link %s: empty namespace", argv[0]);
		return -EINVAL;
	}
	return 0;
}

static int parse_addr(int argc, char **argv, struct config_op *op, char *err, size_t errlen)
{
	if (argc != 3 || (strcmp(argv[0], "add") && strcmp(argv[0], "del"))) {
		snprintf(err, errlen, "addr: expected 'add|del DEV CIDR'");
		return -EINVAL;
	}
	op->kind = !strcmp(argv[0], "add") ? CFG_ADDR_ADD : CFG_ADDR_DEL;
	op->dev = argv[1];
	if (!name_ifname_valid(op->dev)) {
		snprintf(err, errlen, "addr: bad link name '%s'", op->dev);
		return -EINVAL;
	}
	if (cidr_parse(argv[2], &op->cidr) < 0) {
		snprintf(err, errlen, "addr: bad address '%s'", argv[2]);
		return -EINVAL;
	}
	return 0;
}

static int parse_route(int argc, char **argv, struct config_op *op, char *err, size_t errlen)
{
	int i;

	if (argc < 2 || (strcmp(argv[0], "add") && strcmp(argv[0], "del"))) {
		snprintf(err, errlen, "route: expected 'add|del default|CIDR [via GW] [dev DEV]'");
		return -EINVAL;
	}
	op->kind = !strcmp(argv[0], "add") ? CFG_ROUTE_ADD : CFG_ROUTE_DEL;
	if (strcmp(argv[1], "default")) {
		if (cidr_parse(argv[1], &op->cidr) < 0) {
			snprintf(err, errlen, "route: bad destination '%s'", argv[1]);
			return -EINVAL;
		}
		op->has_dst = 1;
	}
	for (i = 2; i < argc; i += 2) {
		if (i + 1 >= argc) {
			snprintf(err, errlen, "route: '%s' needs a value", argv[i]);
			return -EINVAL;
		}
		if (!strcmp(argv[i], "via") && !op->has_gw) {
			if (addr_parse(argv[i + 1], &op->gw) < 0) {
				snprintf(err, errlen, "route: bad gateway '%s'", argv[i + 1]);
				return -EINVAL;
			}
			op->has_gw = 1;
		} else if (!strcmp(argv[i], "dev") && !op->dev) {
			op->dev = argv[i + 1];
			if (!name_ifname_valid(op->dev)) {
				snprintf(err, errlen, "route: bad link name '%s'", op->dev);
				return -EINVAL;
			}
		} else {
			snprintf(err, errlen, "route: unexpected '%s'", argv[i]);
			return -EINVAL;
		}
	}
	if (!op->has_gw && !op->dev) {
		snprintf(err, errlen, "route: needs 'via GW' or 'dev DEV'");
		return -EINVAL;
	}
	if (op->has_gw && op->has_dst && op->gw.family != op->cidr.addr.family) {
		snprintf(err, errlen, "route: gateway and destination differ in family");
		return -EINVAL;
	}
	return 0;
}

static int parse_sysctl(int argc, char **argv, struct config_op *op, char *err, size_t errlen)
{
	const char *eq;
	size_t klen;

	if (argc != 1) {
		snprintf(err, errlen, "sysctl: expected 'KEY=VALUE' or 'KEY'");
		return -EINVAL;
	}
	eq = strchr(argv[0], '=');
	klen = eq ? (size_t)(eq - argv[0]) : strlen(argv[0]);
	if (klen == 0 || klen >= sizeof(op->key)) {
		snprintf(err, errlen, "sysctl: bad key in '%s'", argv[0]);
		return -EINVAL;
	}
	memcpy(op->key, argv[0], klen);
	op->key[klen] = '\0';
	if (op->key[0] == '/' || op->key[0] == '.' || strstr(op->key, "..")) {
		snprintf(err, errlen, "sysctl: bad key '%s'", op->key);
		return -EINVAL;
	}
	/* a namespace's own settings only: net.* */
	if (strncmp(op->key, "net.", 4) && strncmp(op->key, "net/", 4)) {
		snprintf(err, errlen, "sysctl: '%s' is not a network (net.*) setting", op->key);
		return -EINVAL;
	}
	op->kind = eq ? CFG_SYSCTL_SET : CFG_SYSCTL_GET;
	op->value = eq ? eq + 1 : NULL;
	return 0;
}

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
		 char *err, size_t errlen)
{
	memset(op, 0, sizeof(*op));
	if (!strcmp(group, "link"))
		return parse_link(argc, argv, op, err, errlen);
	if (!strcmp(group, "addr"))
		return parse_addr(argc, argv, op, err, errlen);
	if (!strcmp(group, "route"))
		return parse_route(argc, argv, op, err, errlen);
	if (!strcmp(group, "sysctl"))
		return parse_sysctl(argc, argv, op, err, errlen);
	snprintf(err, errlen, "unknown command '%s'", group);
	return -EINVAL;
}

/* Carry out link, address or route request @op over @nc */
static int config_apply_on(struct netconf *nc, const struct config_op *op, int target_fd)
{
	const struct cidr *dst = op->has_dst ? &op->cidr : NULL;
	const struct addr *gw = op->has_gw ? &op->gw : NULL;
	struct netconf_veth v = { .name = op->dev, .peer = op->arg, .peer_netns_fd = target_fd };

	switch (op->kind) {
	case CFG_LINK_UP:	return netconf_link_up(nc, op->dev);
	case CFG_LINK_DOWN:	return netconf_link_down(nc, op->dev);
	case CFG_LINK_MTU:	return netconf_link_set_mtu(nc, op->dev, op->mtu);
	case CFG_LINK_MAC:	return netconf_link_set_mac(nc, op->dev, op->mac);
	case CFG_LINK_RENAME:	return netconf_link_rename(nc, op->dev, op->arg);
	case CFG_LINK_DELETE:	return netconf_link_delete(nc, op->dev);
	case CFG_LINK_MASTER:	return netconf_link_set_master(nc, op->dev, op->arg);
	case CFG_LINK_MOVE:	return netconf_link_move_ns(nc, op->dev, target_fd);
	case CFG_LINK_VETH:	return netconf_veth_create(nc, &v);
	case CFG_LINK_BRIDGE:	return netconf_bridge_create(nc, op->dev, 0, 0);
	case CFG_ADDR_ADD:	return netconf_addr_add(nc, op->dev, &op->cidr);
	case CFG_ADDR_DEL:	return netconf_addr_del(nc, op->dev, &op->cidr);
	case CFG_ROUTE_ADD:	return netconf_route_add(nc, op->dev, dst, gw);
	case CFG_ROUTE_DEL:	return netconf_route_del(nc, op->dev, dst, gw);
	default:		return -EINVAL;
	}
}

/**
 * config_apply() - carry out @op in the current network namespace
 * @op:		parsed request
 * @target_fd:	network namespace fd for @op->target, or -1
 * @out:	sysctl get: the value read
 * @outlen:	size of @out
 *
 * Return: 0, or -errno from lib/netconf
 */
int config_apply(const struct config_op *op, int target_fd, char *out, size_t outlen)
{
	struct netconf nc = NETCONF_INIT;
	int ret;

	if (op->kind == CFG_SYSCTL_SET)
		return netconf_sysctl_set(op->key, op->value);
	if (op->kind == CFG_SYSCTL_GET)
		return netconf_sysctl_get(op->key, out, outlen);
	ret = netconf_open(&nc, -1);
	if (ret < 0)
		return ret;
	ret = config_apply_on(&nc, op, target_fd);
	netconf_close(&nc);
	return ret;
}

/**
 * config_describe() - the call made for @op, for error messages
 *		       ("netconf_addr_add(eth0, 10.0.0.1/24)")
 * @op:		parsed request
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: @buf
 */
const char *config_describe(const struct config_op *op, char *buf, size_t len)
{
	char c[CIDR_STRLEN] = "default", g[ADDR_STRLEN] = "-", m[MAC_STRLEN];
	const char *dev = op->dev ? op->dev : "-";

	switch (op->kind) {
	case CFG_LINK_UP:	snprintf(buf, len, "netconf_link_up(%s)", dev); break;
	case CFG_LINK_DOWN:	snprintf(buf, len, "netconf_link_down(%s)", dev); break;
	case CFG_LINK_MTU:	snprintf(buf, len, "netconf_link_set_mtu(%s, %u)", dev, op->mtu); break;
	case CFG_LINK_MAC:	snprintf(buf, len, "netconf_link_set_mac(%s, %s)", dev,
					 mac_format(op->mac, m)); break;
	case CFG_LINK_RENAME:	snprintf(buf, len, "netconf_link_rename(%s, %s)", dev, op->arg); break;
	case CFG_LINK_DELETE:	snprintf(buf, len, "netconf_link_delete(%s)", dev); break;
	case CFG_LINK_MASTER:	snprintf(buf, len, "netconf_link_set_master(%s, %s)", dev, op->arg); break;
	case CFG_LINK_MOVE:	snprintf(buf, len, "netconf_link_move_ns(%s, %s)", dev, op->target); break;
	case CFG_LINK_VETH:	snprintf(buf, len, "netconf_veth_create(%s, %s%s%s)", dev, op->arg,
					 op->target ? " in " : "", op->target ? op->target : ""); break;
	case CFG_LINK_BRIDGE:	snprintf(buf, len, "netconf_bridge_create(%s)", dev); break;
	case CFG_ADDR_ADD:
	case CFG_ADDR_DEL:
		snprintf(buf, len, "netconf_addr_%s(%s, %s)", op->kind == CFG_ADDR_ADD ? "add" : "del",
			 dev, cidr_format(&op->cidr, c, sizeof(c)));
		break;
	case CFG_ROUTE_ADD:
	case CFG_ROUTE_DEL:
		if (op->has_dst)
			cidr_format(&op->cidr, c, sizeof(c));
		if (op->has_gw)
			addr_format(&op->gw, g, sizeof(g));
		snprintf(buf, len, "netconf_route_%s(%s, %s via %s)",
			 op->kind == CFG_ROUTE_ADD ? "add" : "del", dev, c, g);
		break;
	case CFG_SYSCTL_SET:	snprintf(buf, len, "netconf_sysctl_set(%s)", op->key); break;
	case CFG_SYSCTL_GET:	snprintf(buf, len, "netconf_sysctl_get(%s)", op->key); break;
	default:		snprintf(buf, len, "netconf"); break;
	}
	return buf;
}
