/* SPDX-License-Identifier: GPL-2.0-or-later
 * netavark.h - the netavark face: setup/teardown with options JSON on stdin,
 * the status block or {"error": ...} on stdout
 */
#ifndef BRIDGE_NETAVARK_H
#define BRIDGE_NETAVARK_H

#include "state.h"

#include <jansson.h>

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

#endif /* BRIDGE_NETAVARK_H */
