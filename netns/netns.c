// SPDX-License-Identifier: GPL-2.0-or-later
/* netns.c - burrow-netns: create, name, keep alive, enter, list and remove
 * network namespaces, and configure links, addresses, routes and sysctls in
 * them.  Only argument parsing lives here; see ops.c and config.c.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "ops.h"
#include "statedir.h"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: burrow-netns [--debug] COMMAND ...\n"
"\n"
"Network namespaces that outlive this command.  As root they are bind mounts\n"
"/run/netns/NAME, the same as `ip netns`; as an ordinary user a small holder\n"
"process keeps each one alive inside a user namespace of the caller's.\n"
"\n"
"Commands:\n"
"  create NAME [--userns PATH]   new namespace with loopback up; rootless: in a\n"
"                                new user namespace (subordinate IDs mapped), or\n"
"                                in the existing one at PATH\n"
"  list                          NAME MODE PATH per namespace (MODE rootful or\n"
"                                rootless; \"stale\" if its holder died or\n"
"                                nothing is mounted on /run/netns/NAME)\n"
"  path NAME [--user]            a path for setns(2): /run/netns/NAME, or rootless\n"
"                                /proc/PID/ns/net; --user: its user namespace.\n"
"                                A rootless namespace is entered together with\n"
"                                its user namespace (user first), as exec does\n"
"  exec NAME [--] CMD [ARG...]   run CMD in the namespace (setns and exec: no new\n"
"                                mount namespace, /sys is not remounted)\n"
"  delete NAME [--force]         remove it; refused while other processes use the\n"
"                                namespace unless --force (they keep it alive)\n"
"\n"
"Configuration (inside namespace NAME, no iproute2 needed):\n"
"  link NAME up DEV | down DEV | delete DEV\n"
"  link NAME set-mtu DEV MTU | set-mac DEV MAC | rename DEV NEWNAME\n"
"  link NAME set-master DEV BRIDGE | add-bridge DEV\n"
"  link NAME add-veth DEV PEER [TARGET]   peer made in namespace TARGET if given\n"
"  link NAME move DEV TARGET              TARGET: a namespace name or a path\n"
"  addr NAME add|del DEV CIDR             IPv6 addresses are added without DAD\n"
"  route NAME add|del default|CIDR [via GW] [dev DEV]\n"
"  sysctl NAME KEY=VALUE | KEY            net.* keys (dots or slashes)\n"
"\n"
"Options:\n"
"  --debug        verbose messages\n"
"  -h, --help     this text\n"
"  --version      print the version\n"
"\n"
"Rootless mode is used when not running as root, or with BURROW_ROOTLESS=1;\n"
"state lives in $XDG_RUNTIME_DIR/burrow/netns (BURROW_STATE_DIR overrides).\n");
}

/* Exit status for a failed exec, as shells use */
static int exec_status(int ret)
{
	if (ret == -ENOENT)
		return 127;
	if (ret == -EACCES || ret == -ENOEXEC)
		return 126;
	return 1;
}

/**
 * main() - parse the command line and run one command of ops.c
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: 0 on success, 1 on failure, 2 on a usage error; exec: the command's
 * status, 127 if not found
 */
int main(int argc, char **argv)
{
	const char *cmd, *name, *userns = NULL;
	int i = 1, ret, force = 0, user = 0;

	log_init("burrow-netns", LOG_LVL_WARN, 0);
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf("burrow-netns %s\n", BURROW_VERSION);
			return 0;
		} else if (!strcmp(argv[i], "--debug")) {
			log_set_level(LOG_LVL_DEBUG);
		} else {
			err("unknown option '%s' (see --help)", argv[i]);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	cmd = argv[i++];
	if (!strcmp(cmd, "list")) {
		if (i != argc) {
			err("list takes no arguments");
			return 2;
		}
		return ops_list(stdout) < 0;
	}
	if (!strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (i >= argc) {
		err("%s: missing namespace name (see --help)", cmd);
		return 2;
	}
	name = argv[i++];

	if (!strcmp(cmd, "exec")) {
		if (i < argc && !strcmp(argv[i], "--"))
			i++;
		if (i >= argc) {
			err("exec %s: missing command", name);
			return 2;
		}
		return exec_status(ops_exec(name, argv + i));
	}
	if (!strcmp(cmd, "create") || !strcmp(cmd, "add")) {
		for (; i < argc; i++) {
			if (!strcmp(argv[i], "--userns") && i + 1 < argc) {
				userns = argv[++i];
			} else if (!strncmp(argv[i], "--userns=", 9)) {
				userns = argv[i] + 9;
			} else {
				err("create: unexpected '%s'", argv[i]);
				return 2;
			}
		}
		return ops_create(name, userns) < 0;
	}
	if (!strcmp(cmd, "delete") || !strcmp(cmd, "del")) {
		for (; i < argc; i++) {
			if (!strcmp(argv[i], "--force") || !strcmp(argv[i], "-f")) {
				force = 1;
			} else {
				err("delete: unexpected '%s'", argv[i]);
				return 2;
			}
		}
		return ops_delete(name, force) < 0;
	}
	if (!strcmp(cmd, "path")) {
		for (; i < argc; i++) {
			if (!strcmp(argv[i], "--user")) {
				user = 1;
			} else {
				err("path: unexpected '%s'", argv[i]);
				return 2;
			}
		}
		return ops_path(name, user, stdout) < 0;
	}
	if (!strcmp(cmd, "link") || !strcmp(cmd, "addr") || !strcmp(cmd, "route") ||
	    !strcmp(cmd, "sysctl")) {
		struct config_op op;
		char msg[256];

		ret = config_parse(cmd, argc - i, argv + i, &op, msg, sizeof(msg));
		if (ret < 0) {
			err("%s (see --help)", msg);
			return 2;
		}
		return ops_config(name, &op, stdout) < 0;
	}
	err("unknown command '%s' (see --help)", cmd);
	return 2;
}
