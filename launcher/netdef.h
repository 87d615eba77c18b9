/* SPDX-License-Identifier: GPL-2.0-or-later
 * netdef.h - rootful bridge networks: one netavark network definition (the
 * "network_info" entry burrow-bridge reads) per network, as JSON under
 * "networks" in the state directory; the default network "burrow" is
 * 10.89.0.0/24 on the bridge burrow0 and is made on first use
 */
#ifndef BURROW_LAUNCHER_NETDEF_H
#define BURROW_LAUNCHER_NETDEF_H

#include <stddef.h>

#include <jansson.h>

#define NETDEF_DEFAULT "burrow"

/**
 * netdef_load() - a network's definition, making the default one if missing
 * @name:	network name
 * @out:	new reference
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, -ENOENT (no such network) or -errno
 */
int netdef_load(const char *name, json_t **out, char *err, size_t errlen);

/**
 * netdef_create() - `burrow network create [--subnet CIDR] NAME`
 * @name:	network name
 * @subnet:	IPv4 "A.B.C.D/N", or NULL for the next free 10.89.X.0/24
 *
 * Return: exit code
 */
int netdef_create(const char *name, const char *subnet);

/**
 * netdef_ls() - `burrow network ls`
 * @json:	print a JSON array of the definitions
 *
 * Return: exit code
 */
int netdef_ls(int json);

/**
 * netdef_rm() - `burrow network rm NAME`: refused while a container uses it
 * @name:	network name
 *
 * Return: exit code
 */
int netdef_rm(const char *name);

/**
 * netdef_name() - the network name of a --network value
 * @mode:	"bridge" or "bridge:NAME"
 *
 * Return: a pointer into @mode, or NETDEF_DEFAULT
 */
const char *netdef_name(const char *mode);

#endif /* BURROW_LAUNCHER_NETDEF_H */
