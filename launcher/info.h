/* SPDX-License-Identifier: GPL-2.0-or-later
 * info.h - `burrow info` and `burrow version`, shaped like podman's: the
 * host (kernel, cgroups, rootless, OCI runtime, network helpers found), the
 * stores, and the version; YAML by default, --format json or a template.
 */
#ifndef BURROW_LAUNCHER_INFO_H
#define BURROW_LAUNCHER_INFO_H

#include <stdio.h>

#include <jansson.h>

/**
 * info_json() - what `burrow info` reports, as podman's keys name it
 *		 ({host: {arch, os, kernel, rootless, cgroupVersion,
 *		 cgroupControllers, ociRuntime, conmon, helpers, ...},
 *		 store: {graphRoot, runRoot, containerStore, imageStore},
 *		 version: {Version, OsArch}})
 *
 * Return: a new object, or NULL
 */
json_t *info_json(void);

/**
 * info_version_json() - what `burrow version` reports ({Client: {Version,
 *			 OsArch, OCIRuntime}})
 *
 * Return: a new object, or NULL
 */
json_t *info_version_json(void);

/**
 * info_print_yaml() - print a JSON value as YAML (podman info's default look)
 * @fp:		where to
 * @v:		the value
 * @indent:	spaces before each key at the top level
 */
void info_print_yaml(FILE *fp, const json_t *v, int indent);

/**
 * cmd_info() - `burrow info [--format json|TEMPLATE]`
 * @format:	NULL for YAML
 *
 * Return: exit code
 */
int cmd_info(const char *format);

/**
 * cmd_version() - `burrow version [--format json|TEMPLATE]`
 * @format:	NULL for podman's "Version: ..." lines
 *
 * Return: exit code
 */
int cmd_version(const char *format);

#endif /* BURROW_LAUNCHER_INFO_H */
