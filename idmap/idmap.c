// SPDX-License-Identifier: GPL-2.0-or-later
/* idmap.c - burrow-idmap: run a command in a new user namespace with the
 * caller's subordinate UID/GID ranges mapped (argv parsing only) */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "run.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: burrow-idmap [OPTION]... [--] [CMD [ARG]...]\n"
		"       burrow-idmap --show[=uid|gid] [--map-root|--keep-id]\n"
		"Run CMD (default: $SHELL) in a new user namespace with your subordinate\n"
		"UIDs and GIDs from /etc/subuid and /etc/subgid mapped by the system\n"
		"newuidmap/newgidmap.\n"
		"\n"
		"  -r, --map-root     your ID is 0 inside, subordinate IDs 1.. (default)\n"
		"  -k, --keep-id      your ID stays itself inside, subordinate IDs around it\n"
		"  -s, --show[=WHICH] print the maps instead of running CMD; WHICH is uid\n"
		"                     or gid for that map alone, as /proc/PID/uid_map shows it\n"
		"  -n, --no-fallback  fail if you have no subordinate ranges, instead of\n"
		"                     mapping your own ID only\n"
		"  -q, --quiet        do not print the single-ID fallback notice\n"
		"  -h, --help         show this help\n"
		"  -V, --version      show the version\n"
		"\n"
		"Exit status: that of CMD; 125 if burrow-idmap failed, 126 if CMD cannot\n"
		"be executed, 127 if CMD was not found.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "map-root", no_argument, NULL, 'r' },
		{ "keep-id", no_argument, NULL, 'k' },
		{ "show", optional_argument, NULL, 's' },
		{ "no-fallback", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct userns_opts opts = { .mode = USERNS_MAP_ROOT, .single_id_ok = 1,
				    .hold = USERNS_HOLD_PARENT };
	enum idmap_show which = IDMAP_SHOW_BOTH;
	char *shell_argv[2];
	int show = 0, c;

	log_init("burrow-idmap", LOG_LVL_WARN, 0);
	while ((c = getopt_long(argc, argv, "+rks::nqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			opts.mode = USERNS_MAP_ROOT;
			break;
		case 'k':
			opts.mode = USERNS_KEEP_ID;
			break;
		case 's':
			show = 1;
			if (!optarg)
				which = IDMAP_SHOW_BOTH;
			else if (!strcmp(optarg, "uid"))
				which = IDMAP_SHOW_UID;
			else if (!strcmp(optarg, "gid"))
				which = IDMAP_SHOW_GID;
			else {
				err("--show: expected 'uid' or 'gid', got '%s'", optarg);
				return IDMAP_EXIT_ERROR;
			}
			break;
		case 'n':
			opts.single_id_ok = 0;
			break;
		case 'q':
			opts.quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("burrow-idmap %s\n", BURROW_VERSION);
			return 0;
		default:
			usage(stderr);
			return IDMAP_EXIT_ERROR;
		}
	}
	if (show) {
		if (optind < argc) {
			err("--show takes no command");
			return IDMAP_EXIT_ERROR;
		}
		return idmap_show(&opts, which);
	}
	if (optind == argc) {
		const char *sh = getenv("SHELL");

		shell_argv[0] = (char *)(sh && *sh ? sh : "/bin/sh");
		shell_argv[1] = NULL;
		return idmap_exec(&opts, shell_argv);
	}
	return idmap_exec(&opts, argv + optind);
}
