/* SPDX-License-Identifier: GPL-2.0-or-later
 * netavark.h - the netavark face: setup/teardown with options JSON on stdin,
 * the status block or {"error": ...} on stdout
 */
#ifndef BRIDGE_NETAVARK_H
#define BRIDGE_NETAVARK_H

#include "state.h"

#include <jansson.h>
#include <stdint.h>

/**
 * nv_status() - the status block netavark prints after setup
 * @c:		what was made
 *
 * Return: new JSON object (caller decrefs), or NULL
 */
json_t *nv_status(const struct st_ctr *c);

/**
 * nv_error() - print {"error": MSG} on stdout
 * @msg:	message
 */
void nv_error(const char *msg);

/**
 * nv_run() - run one netavark command
 * @root:	state folder
 * @cmd:	"setup" or "teardown"
 * @netns:	namespace path
 * @in_fd:	where the options JSON comes from
 *
 * Return: process exit status
 */
int nv_run(const char *root, const char *cmd, const char *netns, int in_fd);

/**
 * nv_dns_port() - NETAVARK_DNS_PORT, as netavark reads it: unset means 53,
 * anything but a port number 1..65535 is an error worded as netavark's
 * @port:	out: the port
 * @err:	reason on failure ("Invalid NETAVARK_DNS_PORT x: ...")
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL
 */
int nv_dns_port(uint16_t *port, char *err, size_t errlen);

/**
 * nv_firewall_driver() - check the firewall driver asked for: --firewall-driver
 * @opt, else NETAVARK_FW (netavark's order); unset, empty or "nftables" (any
 * case) is what burrow-bridge does; "iptables", "firewalld", "none" and
 * anything else are refused, in netavark's words for an unknown driver
 * @opt:	the option's value, or NULL
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL
 */
int nv_firewall_driver(const char *opt, char *err, size_t errlen);

#endif /* BRIDGE_NETAVARK_H */
