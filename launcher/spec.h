/* SPDX-License-Identifier: GPL-2.0-or-later
 * spec.h - build an OCI runtime config.json from `burrow run` options
 *
 * Pure functions: options in, a jansson object out; no system calls.
 */
#ifndef BURROW_LAUNCHER_SPEC_H
#define BURROW_LAUNCHER_SPEC_H

#include <limits.h>
#include <stddef.h>

#include <jansson.h>

#include "userns.h"

/* A bind mount from -v SRC:DST[:ro] */
struct spec_volume {
	char src[PATH_MAX];
	char dst[PATH_MAX];
	int ro;
};

struct spec_opts {
	const char *rootfs;		/* absolute path of the root filesystem */
	const json_t *base;		/* a bundle's config.json to start from, or NULL */
	char *const *args;		/* command, NULL-terminated; NULL or empty: /bin/sh */
	char *const *env;		/* "K=V" entries, added after the defaults */
	size_t nenv;
	const struct spec_volume *volumes;
	size_t nvolumes;
	const char *workdir;		/* NULL: "/" */
	unsigned uid, gid;		/* process user inside the container */
	const char *hostname;		/* NULL: no UTS change beyond a new namespace */
	int terminal;			/* process.terminal */
	const struct userns_maps *maps;	/* non-NULL: new user namespace with these maps */
	const char *netns_path;		/* join this network namespace; NULL: a new one */
	const char *resolv_conf;	/* bind-mounted read-only on /etc/resolv.conf, or NULL */
};

/**
 * spec_build() - the OCI config for @o
 * @o:		options
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: a new reference, or NULL with @err set
 */
json_t *spec_build(const struct spec_opts *o, char *err, size_t errlen);

/**
 * spec_parse_volume() - parse "-v SRC:DST[:ro|:rw]"
 * @s:		text; SRC and DST must be absolute paths
 * @v:		result
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL
 */
int spec_parse_volume(const char *s, struct spec_volume *v, char *err, size_t errlen);

/**
 * spec_parse_user() - parse "-u UID[:GID]" (numeric; GID defaults to UID)
 * @s:		text
 * @uid:	result
 * @gid:	result
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL
 */
int spec_parse_user(const char *s, unsigned *uid, unsigned *gid, char *err, size_t errlen);

/**
 * spec_check_env() - check "-e K=V": a non-empty name without '=' before the first '='
 * @s:		text
 *
 * Return: 0, or -EINVAL
 */
int spec_check_env(const char *s);

/**
 * spec_join() - make a config join existing namespaces instead of new ones
 * @cfg:	config from spec_build() (changed in place)
 * @userns:	user namespace path (drops the uid/gid mappings), or NULL to keep
 * @netns:	network namespace path, or NULL to keep
 *
 * Return: 0, or -EINVAL if @cfg has no linux.namespaces array
 */
int spec_join(json_t *cfg, const char *userns, const char *netns);

/**
 * spec_bind_resolv_conf() - bind-mount @path read-only on /etc/resolv.conf
 *			     (replacing a mount there)
 * @cfg:	config (changed in place)
 * @path:	the container's resolv.conf on the host
 *
 * Return: 0, or -EINVAL (no mounts array) / -ENOMEM
 */
int spec_bind_resolv_conf(json_t *cfg, const char *path);

/**
 * spec_seccomp_listener() - a seccomp profile that sends connect, bind,
 *			     sendto (with a destination), sendmsg and sendmmsg
 *			     to the agent listening on @path (burrow-bypass),
 *			     allows everything else, and refuses io_uring (whose
 *			     requests no seccomp filter sees)
 * @cfg:	config (changed in place)
 * @path:	unix socket for linux.seccomp.listenerPath
 * @err:	reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, -EEXIST (the config has a seccomp profile already) or -ENOMEM
 */
int spec_seccomp_listener(json_t *cfg, const char *path, char *err, size_t errlen);

/**
 * spec_host_network() - run in the host's network namespace (--network host):
 *			 no network namespace of its own; in a user namespace,
 *			 /sys bound from the host (a user namespace may not mount
 *			 sysfs for a network namespace it does not own)
 * @cfg:	config (changed in place)
 *
 * Return: 0, or -EINVAL (no linux.namespaces array) / -ENOMEM
 */
int spec_host_network(json_t *cfg);

/**
 * spec_rootless_maps() - the subordinate maps for the calling user
 * @maps:	result
 * @err:	a clear error with the remedy (usermod --add-subuids ...)
 * @errlen:	size of @err
 *
 * Return: 0, or -errno
 */
int spec_rootless_maps(struct userns_maps *maps, char *err, size_t errlen);

#endif /* BURROW_LAUNCHER_SPEC_H */
