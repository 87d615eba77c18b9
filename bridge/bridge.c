// SPDX-License-Identifier: GPL-2.0-or-later
/* bridge.c - burrow-bridge: argv parsing only */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <jansson.h>

#include "cni.h"
#include "dns.h"
#include "log.h"
#include "netavark.h"
#include "setup.h"

#ifndef BURROW_VERSION
#define BURROW_VERSION "0.0.0"
#endif

static void usage(FILE *f)
{
	fprintf(f,
"Usage: burrow-bridge [OPTIONS] setup|teardown NETNS < options.json\n"
"       burrow-bridge [OPTIONS] reload | version\n"
"       burrow-bridge [OPTIONS] update NETWORK --network-dns-servers LIST\n"
"       CNI_COMMAND=ADD|DEL|CHECK|VERSION|STATUS|GC burrow-bridge < config.json\n"
"\n"
"Rootful container networking on a Linux bridge with nftables: a drop-in for\n"
"netavark (Podman's network backend) and a CNI 1.x bridge plugin.\n"
"\n"
"  --config DIR         state folder (Podman: /run/containers/networks);\n"
"                       burrow-bridge keeps its records in DIR/burrow-bridge;\n"
"                       $BURROW_BRIDGE_CONFIG, when set, takes its place\n"
"  --rootless BOOL      accepted for netavark compatibility\n"
"  --aardvark-binary P  accepted and ignored: burrow-dns takes aardvark-dns's\n"
"                       place (see below)\n"
"  --firewall-driver D  nftables (the default; also $NETAVARK_FW): always\n"
"                       nftables, with an accept rule in iptables' FORWARD and\n"
"                       firewalld's trusted zone where those are in use; other\n"
"                       drivers (iptables, firewalld, none) are refused\n"
"  --log-level LEVEL    error, warn, info, debug\n"
"  -h, --help           this text\n"
"  -V, --version        print the version\n"
"\n"
"Commands:\n"
"  setup NETNS          read netavark's network options JSON on stdin, set up\n"
"                       the networks in NETNS, print the status block JSON\n"
"  teardown NETNS       undo setup for the container named in the JSON\n"
"  reload               sweep what dead containers left (a killed setup or\n"
"                       teardown, a namespace gone), then put back the\n"
"                       nftables table, the accept rule in iptables'\n"
"                       FORWARD and the subnets in firewalld's trusted\n"
"                       zone after a firewall reload\n"
"  update NETWORK --network-dns-servers LIST\n"
"                       the resolvers (comma-separated, empty: the host's)\n"
"                       burrow-dns forwards NETWORK's other queries to\n"
"  version              print the version as JSON\n"
"  dhcp-proxy           refused: no macvlan/ipvlan DHCP leases\n"
"\n"
"Networks with dns_enabled get names served on their gateway addresses by\n"
"burrow-dns ($BURROW_DNS_BIN, else burrow-dns next to burrow-bridge), started\n"
"with the first such network and gone with the last; on port\n"
"$NETAVARK_DNS_PORT if set, the gateways' port 53 DNATed to it.\n"
"\n"
"Errors print {\"error\": \"...\"} on stdout and exit 1.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "rootless", required_argument, NULL, 'r' },
		{ "aardvark-binary", required_argument, NULL, 'a' },
		{ "firewall-driver", required_argument, NULL, 'f' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "network-dns-servers", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *cmd, *dns_servers = NULL, *fw = NULL;
	char root[4096], err[512];
	int c, lvl;

	log_init("burrow-bridge", LOG_LVL_WARN, 0);
	{
		/* jansson's hash seed in one system call (it would otherwise
		 * open, read and close /dev/urandom) */
		uint32_t seed = 0;

		if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == sizeof(seed) && seed)
			json_object_seed(seed);
	}
	if (getenv("CNI_COMMAND"))
		return cni_main(argc > 0 ? argv[0] : "burrow-bridge");
	while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'r':
			if (strcmp(optarg, "true") && strcmp(optarg, "false")) {
				nv_error("--rootless: expected true or false");
				return 1;
			}
			break;
		case 'a':
			break;
		case 'f':
			fw = optarg;
			break;
		case 'l':
			lvl = log_level_parse(optarg);
			if (lvl < 0) {
				nv_error("--log-level: expected error, warn, info or debug");
				return 1;
			}
			log_set_level((enum log_level)lvl);
			break;
		case 'D':
			dns_servers = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("burrow-bridge %s\n", BURROW_VERSION);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 1;
	}
	cmd = argv[optind];
	if (!strcmp(cmd, "version")) {
		printf("{\"version\":\"%s\",\"commit\":\"burrow\",\"build_time\":\"\",\"target\":\"linux\"}\n",
		       BURROW_VERSION);
		return 0;
	}
	if (nv_firewall_driver(fw, err, sizeof(err))) {
		nv_error(err);
		return 1;
	}
	/* the environment wins: tests and the CNI face point it at their own
	 * folder even when an engine passes --config */
	if (getenv("BURROW_BRIDGE_CONFIG") && *getenv("BURROW_BRIDGE_CONFIG"))
		config = getenv("BURROW_BRIDGE_CONFIG");
	if (!config)
		config = "/run/burrow";
	if (snprintf(root, sizeof(root), "%s/burrow-bridge", config) >= (int)sizeof(root)) {
		nv_error("--config: path too long");
		return 1;
	}
	if (!strcmp(cmd, "reload")) {
		if (br_reload(root, err, sizeof(err))) {
			nv_error(err);
			return 1;
		}
		return 0;
	}
	if (!strcmp(cmd, "update")) {	/* podman network update --dns-add/--dns-drop */
		if (optind + 1 >= argc || !dns_servers) {
			nv_error("update: usage: update NETWORK --network-dns-servers LIST");
			return 1;
		}
		if (dns_update(argv[optind + 1], dns_servers, err, sizeof(err))) {
			nv_error(err);
			return 1;
		}
		return 0;
	}
	if (!strcmp(cmd, "dhcp-proxy")) {
		nv_error("dhcp-proxy is not supported by burrow-bridge: it serves bridge networks "
			 "with host-local addresses (no macvlan/ipvlan DHCP leases)");
		return 1;
	}
	if (strcmp(cmd, "setup") && strcmp(cmd, "teardown")) {
		snprintf(err, sizeof(err), "unknown command '%s' (setup, teardown, update, reload, "
			 "version)", cmd);
		nv_error(err);
		return 1;
	}
	if (optind + 1 >= argc) {
		snprintf(err, sizeof(err), "%s: missing network namespace path", cmd);
		nv_error(err);
		return 1;
	}
	return nv_run(root, cmd, argv[optind + 1], STDIN_FILENO);
}
