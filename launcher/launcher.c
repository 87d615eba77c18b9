// SPDX-License-Identifier: GPL-2.0-or-later
/* launcher.c - burrow: the user's CLI (argv parsing only) */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "launcher/attach.h"
#include "launcher/cmds.h"
#include "launcher/imgcmds.h"
#include "launcher/netdef.h"
#include "launcher/pull.h"
#include "launcher/run.h"
#include "launcher/sigproxy.h"
#include "cleanup.h"
#include "log.h"
#include "opt.h"

static const char usage_text[] =
"Usage: burrow COMMAND [OPTIONS]\n"
"Run containers from a root filesystem with crun or runc, rootless when not\n"
"root, with no daemon: all state is files under the state directory.\n"
"\n"
"  run [OPTIONS] ROOTFS|BUNDLE|IMAGE [CMD...]   run a container\n"
"      -d, --detach          start it and return; a supervisor stays\n"
"          --rm              remove it when it exits\n"
"          --name NAME       name (default: its ID)\n"
"      -p, --publish SPEC    forward a host port: [ADDR:]HOST:CTR[/udp] (slirp:\n"
"                            the container sees the client's real address)\n"
"          --network MODE    slirp, pasta, none, container:ID, pod:NAME or (root)\n"
"                            bridge[:NAME] (default network: burrow) (default:\n"
"                            slirp if burrow-slirp is installed, else pasta)\n"
"      -e, --env K=V         environment\n"
"      -v, --volume SRC:DST[:ro]  bind mount\n"
"      -w, --workdir DIR     working directory\n"
"      -u, --user UID[:GID]  user inside the container\n"
"          --hostname NAME   host name\n"
"          --runtime NAME    crun (default) or runc\n"
"          --stop-timeout N  seconds from SIGTERM to SIGKILL (10): for burrow\n"
"                            stop, and in the foreground from the first INT,\n"
"                            TERM, HUP or QUIT we pass on (a second one kills\n"
"                            at once)\n"
"      -i, --interactive     keep stdin open\n"
"      -t, --tty             a terminal (foreground: stdin must be one)\n"
"          --pull POLICY     IMAGE: missing (default), always or never\n"
"          --tls-verify=false  IMAGE: pull over http or without verifying TLS\n"
"      -P, --publish-all     IMAGE: its ExposedPorts on free host ports\n"
"  pull [-q] [--tls-verify=false] REF  copy an image into the store (skopeo):\n"
"                                    NAME[:TAG], docker://, oci:DIR, oci-archive:FILE,\n"
"                                    docker-archive:FILE, containers-storage:\n"
"  images [-q] [--format json]       list the store's images\n"
"  rmi [-f] IMAGE...                 remove images and the layers only they use\n"
"  image prune                       remove blobs and layers no image uses\n"
"  ps [-a] [--format json]           list containers\n"
"  logs [-f] ID                      output of a detached container\n"
"  stop [-t SECONDS] ID              SIGTERM, then SIGKILL after SECONDS (run's\n"
"                                    --stop-timeout, 10)\n"
"  kill [-s SIGNAL] ID               send a signal (KILL)\n"
"  rm [-f] ID                        remove (with -f: kill it first)\n"
"  exec [-i] ID CMD...               run a command in a running container\n"
"  attach [OPTIONS] ID              connect to a container started with -d: its\n"
"                                    output, and with -t or -i our input; exit\n"
"                                    status: the container's\n"
"          --detach-keys SEQ         keys that detach (default ctrl-p,ctrl-q): keys\n"
"                                    separated by commas, each a character or\n"
"                                    ctrl-X (X: a-z @ [ \\ ] ^ _); \"\" turns it off\n"
"          --sig-proxy=false         signals we get end the attach instead of going\n"
"                                    to the container (INT TERM HUP QUIT USR1 USR2)\n"
"          --no-stdin                do not pass our input\n"
"  inspect ID                        record and status as JSON\n"
"  pod create [--name N] [-p SPEC]... [--network slirp|pasta|none|bridge[:NAME]]\n"
"                                    a network namespace (with its helper and\n"
"                                    port forwards) for run --network pod:NAME\n"
"  pod rm [-f] NAME                  remove a pod and its containers (-f: running ones too)\n"
"  pod ps [--format json]            list pods\n"
"  network create [--subnet CIDR]... [--ipv6] [--internal] [--disable-dns] NAME\n"
"                                    a rootful bridge network (default: the next\n"
"                                    free 10.89.N.0/24, with --ipv6 also fd89:0:0:N::/64;\n"
"                                    \"burrow\" is 10.89.0.0/24) with a DNS server\n"
"                                    (burrow-dns) for its containers' names\n"
"  network ls [--format json]        list bridge networks\n"
"  network rm NAME                   remove a bridge network no container uses\n"
"  system prune                      remove stopped containers and leftovers of crashed runs\n"
"\n"
"Exit status of run: the container's; 125 when burrow or the runtime failed,\n"
"126 when the command cannot run, 127 when it is not found.\n"
"  -h, --help     this text\n"
"  -V, --version  version\n";

static int usage(int code)
{
	fputs(usage_text, code ? stderr : stdout);
	return code;
}

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "burrow: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'burrow --help'.\n");
	return 125;
}

/* The options run and pod create share: --name, -p and --network (--net) */
enum { O_NAME = 256, O_NETWORK, O_OWN };
#define NETWORK_OPTIONS \
	{ "name", required_argument, NULL, O_NAME }, \
	{ "publish", required_argument, NULL, 'p' }, \
	{ "network", required_argument, NULL, O_NETWORK }, \
	{ "net", required_argument, NULL, O_NETWORK }

/* One more -p: 0, or the exit status after the message */
static int add_publish(const char **ports, size_t *nports, const char *spec)
{
	if (*nports >= NET_MAX_PORTS)
		return bad("too many -p options (at most %s)", "32");
	ports[(*nports)++] = spec;
	return 0;
}

/* --format's value: json (the only format) sets *@json; -1 after the message */
static int format_json(const char *arg, int *json)
{
	if (strcmp(arg, "json")) {
		bad("--format: only 'json' is supported, not '%s'", arg);
		return -1;
	}
	*json = 1;
	return 0;
}

/* "pod ps ..." -> "ps", and argv from there on; NULL without one */
static const char *subcommand(int *argc, char ***argv)
{
	if (*argc < 2)
		return NULL;
	(*argc)--;
	(*argv)++;
	return (*argv)[0];
}

/* --tls-verify[=true|false]: sets *@no_verify; -1 on a bad value */
static int tls_verify_parse(const char *arg, int *no_verify)
{
	if (!arg || !strcmp(arg, "true") || !strcmp(arg, "1"))
		*no_verify = 0;
	else if (!strcmp(arg, "false") || !strcmp(arg, "0"))
		*no_verify = 1;
	else
		return -1;
	return 0;
}

/* pull [-q] [--tls-verify=false] REF */
static int do_pull(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "tls-verify", optional_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, quiet = 0, no_verify = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
		if (c == 'q')
			quiet = 1;
		else if (c == 'T' && tls_verify_parse(optarg, &no_verify) < 0)
			return bad("--tls-verify: '%s': expected true or false", optarg);
		else if (c != 'T')
			return usage(c == 'h' ? 0 : 125);
	}
	if (optind + 1 != argc)
		return bad("pull: expected one image reference%s", "");
	return cmd_pull(argv[optind], !no_verify, quiet);
}

/* images [-q] [--format json] */
static int do_images(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, quiet = 0, json = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
		if (c == 'q')
			quiet = 1;
		else if (c == 'F') {
			if (format_json(optarg, &json) < 0)
				return 125;
		} else
			return usage(c == 'h' ? 0 : 125);
	}
	if (optind != argc)
		return bad("images: unexpected argument '%s'", argv[optind]);
	return cmd_images(quiet, json);
}

/* rmi [-f] IMAGE... */
static int do_rmi(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, force = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+fh", opts, NULL)) != -1) {
		if (c == 'f')
			force = 1;
		else
			return usage(c == 'h' ? 0 : 125);
	}
	if (optind >= argc)
		return bad("rmi: missing IMAGE%s", "");
	return cmd_rmi(argv + optind, force);
}

static int do_run(int argc, char **argv)
{
	enum { O_RM = O_OWN, O_RUNTIME, O_HOSTNAME, O_STOP_TIMEOUT, O_PULL, O_TLS };
	static const struct option opts[] = {
		{ "detach", no_argument, NULL, 'd' },
		{ "rm", no_argument, NULL, O_RM },
		NETWORK_OPTIONS,
		{ "env", required_argument, NULL, 'e' },
		{ "volume", required_argument, NULL, 'v' },
		{ "workdir", required_argument, NULL, 'w' },
		{ "user", required_argument, NULL, 'u' },
		{ "hostname", required_argument, NULL, O_HOSTNAME },
		{ "runtime", required_argument, NULL, O_RUNTIME },
		{ "stop-timeout", required_argument, NULL, O_STOP_TIMEOUT },
		{ "interactive", no_argument, NULL, 'i' },
		{ "tty", no_argument, NULL, 't' },
		{ "pull", required_argument, NULL, O_PULL },
		{ "tls-verify", optional_argument, NULL, O_TLS },
		{ "publish-all", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_opts o = { .stop_timeout = SIGPROXY_STOP_TIMEOUT };
	enum pull_policy pp;
	char err[512];
	long long v;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+dp:e:v:w:u:ithP", opts, NULL)) != -1) {
		switch (c) {
		case 'P': o.publish_all = 1; break;
		case O_PULL:
			if (pull_policy_parse(optarg, &pp) < 0)
				return bad("--pull: '%s': expected missing, always or never", optarg);
			o.pull = (int)pp;
			break;
		case O_TLS:
			if (tls_verify_parse(optarg, &o.tls_no_verify) < 0)
				return bad("--tls-verify: '%s': expected true or false", optarg);
			break;
		case 'd': o.detach = 1; break;
		case O_RM: o.rm = 1; break;
		case O_NAME: o.name = optarg; break;
		case O_NETWORK: o.network = optarg; break;
		case O_RUNTIME: o.runtime = optarg; break;
		case O_HOSTNAME: o.hostname = optarg; break;
		case O_STOP_TIMEOUT:
			if (opt_number("--stop-timeout", optarg, 0, INT_MAX, &v, err, sizeof(err)))
				return bad("%s", err);
			o.stop_timeout = (int)v;
			break;
		case 'w': o.workdir = optarg; break;
		case 'i': o.interactive = 1; break;
		case 't': o.tty = 1; break;
		case 'p':
			rc = add_publish(o.ports, &o.nports, optarg);
			if (rc)
				return rc;
			break;
		case 'e':
			if (o.nenv >= RUN_MAX_ENV)
				return bad("too many -e options (at most %s)", "128");
			o.env[o.nenv++] = optarg;
			break;
		case 'v':
			if (o.nvolumes >= RUN_MAX_VOLUMES)
				return bad("too many -v options (at most %s)", "32");
			if (spec_parse_volume(optarg, &o.volumes[o.nvolumes], err, sizeof(err)))
				return bad("%s", err);
			o.nvolumes++;
			break;
		case 'u':
			if (spec_parse_user(optarg, &o.uid, &o.gid, err, sizeof(err)))
				return bad("%s", err);
			o.user_set = 1;
			break;
		default:	/* -h, or what getopt_long() just complained about */
			return usage(c == 'h' ? 0 : 125);
		}
	}
	if (optind >= argc)
		return bad("run: missing ROOTFS, BUNDLE or IMAGE%s", "");
	o.target = argv[optind];
	o.args = argv + optind + 1;
	return cmd_run(&o);
}

static int do_pod(int argc, char **argv)
{
	static const struct option opts[] = {
		NETWORK_OPTIONS,
		{ "force", no_argument, NULL, 'f' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ports[NET_MAX_PORTS], *name = NULL, *network = NULL, *sub;
	size_t nports = 0;
	int c, rc, force = 0, json = 0;

	sub = subcommand(&argc, &argv);
	if (!sub)
		return bad("pod: expected create, rm or ps%s", "");
	optind = 1;
	while ((c = getopt_long(argc, argv, "+p:fh", opts, NULL)) != -1) {
		switch (c) {
		case O_NAME: name = optarg; break;
		case O_NETWORK: network = optarg; break;
		case 'f': force = 1; break;
		case 'p':
			rc = add_publish(ports, &nports, optarg);
			if (rc)
				return rc;
			break;
		case 'F':
			if (format_json(optarg, &json))
				return 125;
			break;
		default:	/* -h, or what getopt_long() just complained about */
			return usage(c == 'h' ? 0 : 125);
		}
	}
	if (!strcmp(sub, "create") && optind == argc)
		return cmd_pod_create(name, network, ports, nports);
	if (!strcmp(sub, "ps") || !strcmp(sub, "ls"))
		return optind == argc ? cmd_pod_ps(json) : bad("pod ps: no operands%s", "");
	if (!strcmp(sub, "rm")) {
		if (optind >= argc)
			return bad("pod rm: expected a pod name or ID%s", "");
		for (rc = 0; optind < argc && rc == 0; optind++)
			rc = cmd_pod_rm(argv[optind], force);
		return rc;
	}
	return bad("pod: expected create [--name N] [-p SPEC]... [--network MODE], "
		   "rm [-f] NAME or ps%s", "");
}

static int do_network(int argc, char **argv)
{
	enum { O_SUBNET = 256, O_FORMAT, O_IPV6, O_INTERNAL, O_NODNS };
	static const struct option opts[] = {
		{ "subnet", required_argument, NULL, O_SUBNET },
		{ "ipv6", no_argument, NULL, O_IPV6 },
		{ "internal", no_argument, NULL, O_INTERNAL },
		{ "disable-dns", no_argument, NULL, O_NODNS },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct netdef_opts no = { .nsubnets = 0 };
	const char *sub;
	int c, json = 0, rc = 0;

	sub = subcommand(&argc, &argv);
	if (!sub)
		return bad("network: expected create, ls or rm%s", "");
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case O_SUBNET:
			if (no.nsubnets >= NETDEF_MAX_SUBNETS)
				return bad("too many --subnet options (at most %s)", "8");
			no.subnets[no.nsubnets++] = optarg;
			break;
		case O_IPV6: no.ipv6 = 1; break;
		case O_INTERNAL: no.internal = 1; break;
		case O_NODNS: no.disable_dns = 1; break;
		case O_FORMAT:
			if (format_json(optarg, &json))
				return 125;
			break;
		default:	/* -h, or what getopt_long() just complained about */
			return usage(c == 'h' ? 0 : 125);
		}
	}
	if (!strcmp(sub, "create") && optind + 1 == argc)
		return cmd_network_create(argv[optind], &no);
	if ((!strcmp(sub, "ls") || !strcmp(sub, "list")) && optind == argc)
		return cmd_network_ls(json);
	if (!strcmp(sub, "rm") && optind < argc) {
		for (; optind < argc && rc == 0; optind++)
			rc = cmd_network_rm(argv[optind]);
		return rc;
	}
	return bad("network: expected create [--subnet CIDR]... [--ipv6] [--internal] "
		   "[--disable-dns] NAME, ls or rm NAME%s", "");
}

static int do_attach(int argc, char **argv)
{
	enum { O_KEYS = 256, O_PROXY, O_NOSTDIN };
	static const struct option opts[] = {
		{ "detach-keys", required_argument, NULL, O_KEYS },
		{ "sig-proxy", optional_argument, NULL, O_PROXY },
		{ "no-stdin", no_argument, NULL, O_NOSTDIN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct attach_opts o = { .sig_proxy = 1 };
	const char *keys = ATTACH_DEFAULT_KEYS;
	char err[512];
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case O_KEYS: keys = optarg; break;
		case O_NOSTDIN: o.no_stdin = 1; break;
		case O_PROXY:
			if (!optarg || !strcmp(optarg, "true") || !strcmp(optarg, "1"))
				o.sig_proxy = 1;
			else if (!strcmp(optarg, "false") || !strcmp(optarg, "0"))
				o.sig_proxy = 0;
			else
				return bad("--sig-proxy: expected true or false, not '%s'", optarg);
			break;
		default:	/* -h, or what getopt_long() just complained about */
			return usage(c == 'h' ? 0 : 125);
		}
	}
	if (attach_parse_keys(keys, &o.keys, err, sizeof(err)) < 0)
		return bad("--detach-keys: %s", err);
	if (optind + 1 != argc)
		return bad("attach: expected one container ID or name%s", "");
	return cmd_attach(argv[optind], &o);
}

/* parse "[-f]"-style flags of the small commands; returns the first operand index */
static int simple_opts(int argc, char **argv, const char *spec, const struct option *lo,
		       int (*each)(int c, const char *arg, void *data), void *data)
{
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, spec, lo, NULL)) != -1) {
		if (c == '?' || each(c, optarg, data))
			return -1;
	}
	return optind;
}

struct flags {
	int all, json, follow, force, tty, interactive, sig, timeout;
};

static int flag(int c, const char *arg, void *data)
{
	struct flags *f = data;
	char err[128];
	long long v;

	switch (c) {
	case 'a': f->all = 1; break;
	case 'F':
		if (format_json(arg, &f->json))
			return -1;
		break;
	case 'f': f->follow = f->force = 1; break;
	case 't':
		f->tty = 1;
		if (!arg)	/* exec's --tty; stop's -t SECONDS has a value */
			break;
		if (opt_number("--time", arg, 0, INT_MAX, &v, err, sizeof(err))) {
			fprintf(stderr, "burrow: %s\n", err);
			return -1;
		}
		f->timeout = (int)v;
		break;
	case 'i': f->interactive = 1; break;
	case 's':
		f->sig = signal_parse(arg);
		if (f->sig < 0) {
			fprintf(stderr, "burrow: unknown signal '%s'\n", arg);
			return -1;
		}
		break;
	default:
		return -1;
	}
	return 0;
}

static const struct option common_lo[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "format", required_argument, NULL, 'F' },
	{ "follow", no_argument, NULL, 'f' },
	{ "force", no_argument, NULL, 'f' },
	{ "time", required_argument, NULL, 't' },
	{ "signal", required_argument, NULL, 's' },
	{ "interactive", no_argument, NULL, 'i' },
	{ "tty", no_argument, NULL, 't' },
	{ NULL, 0, NULL, 0 },
};

static int do_ps(int argc, char **argv)
{
	struct flags f = { .sig = SIGKILL, .timeout = -1 };

	if (simple_opts(argc, argv, "a", common_lo, flag, &f) < 0)
		return 125;
	return cmd_ps(f.all, f.json);
}

static int do_exec(int argc, char **argv)
{
	struct flags f = { .sig = SIGKILL, .timeout = -1 };
	int i = simple_opts(argc, argv, "+it", common_lo, flag, &f);

	if (i < 0 || i + 1 >= argc)
		return bad("exec: expected ID CMD...%s", "");
	return cmd_exec(argv[i], argv + i + 1, f.tty, f.interactive);
}

static int do_system(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "prune"))
		return cmd_prune();
	return bad("system: expected 'prune'%s", "");
}

/* internal: burrow-mon's exit command for a detached container */
static int do_cleanup(int argc, char **argv)
{
	return argc == 2 ? cmd_cleanup(argv[1]) : 125;
}

static int do_image(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "prune") && argc == 2)
		return cmd_image_prune();
	if (argc >= 2 && (!strcmp(argv[1], "ls") || !strcmp(argv[1], "list")))
		return do_images(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "rm"))
		return do_rmi(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "pull"))
		return do_pull(argc - 1, argv + 1);
	return bad("image: expected prune, ls, rm or pull%s", "");
}

/* logs, rm, inspect, stop, kill: flags, then one or more containers */
static int do_each(int argc, char **argv)
{
	struct flags f = { .sig = SIGKILL, .timeout = -1 };	/* -1: the container's */
	const char *cmd = argv[0];
	const char *spec = !strcmp(cmd, "stop") ? "t:" : !strcmp(cmd, "kill") ? "s:" : "f";
	int i, rc = 0;

	i = simple_opts(argc, argv, spec, common_lo, flag, &f);
	if (i < 0 || i >= argc)
		return bad("%s: expected a container ID or name", cmd);
	for (; i < argc && rc == 0; i++) {
		if (!strcmp(cmd, "logs"))
			rc = cmd_logs(argv[i], f.follow);
		else if (!strcmp(cmd, "rm"))
			rc = cmd_rm(argv[i], f.force);
		else if (!strcmp(cmd, "inspect"))
			rc = cmd_inspect(argv[i]);
		else if (!strcmp(cmd, "stop"))
			rc = cmd_stop(argv[i], f.timeout);
		else
			rc = cmd_kill(argv[i], f.sig);
	}
	return rc;
}

/* the commands, as crun's src/crun.c lists its own: a name and the function
 * that parses its arguments (argv[0] is the command's name) */
static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "run", do_run },
	{ "ps", do_ps },
	{ "exec", do_exec },
	{ "attach", do_attach },
	{ "logs", do_each },
	{ "stop", do_each },
	{ "kill", do_each },
	{ "rm", do_each },
	{ "inspect", do_each },
	{ "pod", do_pod },
	{ "network", do_network },
	{ "pull", do_pull },
	{ "images", do_images },
	{ "rmi", do_rmi },
	{ "image", do_image },
	{ "system", do_system },
	{ "cleanup", do_cleanup },
};

int main(int argc, char **argv)
{
	const char *cmd;
	size_t i;

	log_init("burrow", LOG_LVL_WARN, 0);
	if (argc < 2)
		return usage(125);
	cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help"))
		return usage(0);
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("burrow version %s\n", BURROW_VERSION);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	return bad("unknown command '%s'", cmd);
}
