// SPDX-License-Identifier: GPL-2.0-or-later
/* dns.c - burrow-dns: argv parsing only */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "dnsrec.h"
#include "log.h"
#include "server.h"

#ifndef BURROW_VERSION
#define BURROW_VERSION "0.0.0"
#endif

static void usage(FILE *f)
{
	fprintf(f,
"Usage: burrow-dns [OPTIONS]\n"
"\n"
"DNS for burrow-bridge networks (like aardvark-dns for netavark): one daemon\n"
"serves every network recorded in the records folder on UDP and TCP port 53\n"
"of its gateway addresses, answers the names and aliases of the containers\n"
"of that network (also NAME.dns.podman, and PTR), and forwards other names\n"
"to the network's resolvers or those of resolv.conf; internal networks are\n"
"never forwarded.  Forwarded answers are cached for their TTL (at most 1 h,\n"
"negative ones 5 min; 4096 answers of up to 1232 bytes; emptied when\n"
"resolv.conf changes; kept per network).  Each forwarded query leaves from a\n"
"socket of its own (a random port), with a random ID and the name in random\n"
"case (0x20); 1024 in flight at most, 128 per client, 512 per network.\n"
"burrow-bridge starts it on setup and tells it to\n"
"reload; it exits when no network is left.\n"
"\n"
"  --dir DIR            records folder (default $BURROW_DNS_DIR, else\n"
"                       /run/burrow/dns)\n"
"  --ready-fd N         write \"ok\" or \"error: ...\" to fd N once listening\n"
"  --port N             listen on port N instead of 53\n"
"  --no-cache           send every forwarded query upstream\n"
"  --log-level LEVEL    error, warn, info, debug (default warn)\n"
"  --syslog             log to syslog too\n"
"  -h, --help           this text\n"
"  -V, --version        print the version\n"
"\n"
"Signals: SIGHUP reloads the records, SIGTERM exits.\n"
"Environment: BURROW_RESOLV_CONF names the resolv.conf to forward to.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "ready-fd", required_argument, NULL, 'r' },
		{ "port", required_argument, NULL, 'p' },
		{ "no-cache", no_argument, NULL, 'n' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "syslog", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	enum log_level level = LOG_LVL_WARN;
	char dir[4096] = "", *end;
	int c, ready_fd = -1, use_syslog = 0, lvl, rc;
	unsigned long port = 53, v;

	log_init("burrow-dns", level, 0);
	while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (optarg[0] != '/' || strlen(optarg) >= sizeof(dir))
				die("--dir: expected an absolute path");
			strcpy(dir, optarg);
			break;
		case 'r':
			v = strtoul(optarg, &end, 10);
			if (*end || !*optarg || v < 3 || v > 65535)
				die("--ready-fd: expected a file descriptor number above 2");
			ready_fd = (int)v;
			break;
		case 'p':
			port = strtoul(optarg, &end, 10);
			if (*end || !*optarg || !port || port > 65535)
				die("--port: expected 1..65535");
			break;
		case 'l':
			lvl = log_level_parse(optarg);
			if (lvl < 0)
				die("--log-level: expected error, warn, info or debug");
			level = (enum log_level)lvl;
			break;
		case 's':
			use_syslog = 1;
			break;
		case 'n':
			cache_enable(0);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("burrow-dns %s\n", BURROW_VERSION);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 1;
	}
	log_init("burrow-dns", level, use_syslog);
	if (!dir[0] && (rc = dnsrec_dir(dir, sizeof(dir))))
		die("records folder: %s", strerror(-rc));
	return server_run(dir, ready_fd, (uint16_t)port);
}
