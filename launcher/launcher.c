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
#include "launcher/help.h"
#include "launcher/imgcmds.h"
#include "launcher/info.h"
#include "launcher/netdef.h"
#include "launcher/pscmds.h"
#include "launcher/pull.h"
#include "launcher/run.h"
#include "launcher/sigproxy.h"
#include "cleanup.h"
#include "log.h"
#include "opt.h"

/* the command (or "pod create") whose usage --help and option errors print */
static const char *help_topic;

static int usage(int code)
{
	help_print(code ? stderr : stdout, help_topic);
	return code;
}

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "burrow: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'burrow %s%s--help'.\n", help_topic ? help_topic : "",
		help_topic ? " " : "");
	return 125;
}

/* The end of every command's option table: --help, and the terminator */
#define OPT_HELP_END \
	{ "help", no_argument, NULL, 'h' }, \
	{ NULL, 0, NULL, 0 }

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
	static char topic[64];

	if (*argc < 2)
		return NULL;
	snprintf(topic, sizeof(topic), "%s %s", (*argv)[0], (*argv)[1]);
	if (help_exists(topic))
		help_topic = topic;
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
		OPT_HELP_END,
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
		OPT_HELP_END,
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
		OPT_HELP_END,
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
	enum { O_RM = O_OWN, O_RUNTIME, O_HOSTNAME, O_STOP_TIMEOUT, O_PULL, O_TLS, O_CPUS,
	       O_PIDS };
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
		{ "memory", required_argument, NULL, 'm' },
		{ "cpus", required_argument, NULL, O_CPUS },
		{ "pids-limit", required_argument, NULL, O_PIDS },
		OPT_HELP_END,
	};
	struct run_opts o = { .stop_timeout = SIGPROXY_STOP_TIMEOUT };
	enum pull_policy pp;
	char err[512];
	long long v;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+dp:e:v:w:u:ithPm:", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (limits_parse_memory(optarg, &o.limits.memory, err, sizeof(err)))
				return bad("%s", err);
			break;
		case O_CPUS:
			if (limits_parse_cpus(optarg, &o.limits.cpu_quota, err, sizeof(err)))
				return bad("%s", err);
			break;
		case O_PIDS:
			if (limits_parse_pids(optarg, &o.limits.pids, err, sizeof(err)))
				return bad("%s", err);
			break;
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
		OPT_HELP_END,
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
		OPT_HELP_END,
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
		OPT_HELP_END,
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

/* ps [-a] [-q] [--format json|table|TEMPLATE] */
static int do_ps(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "format", required_argument, NULL, 'F' },
		{ "filter", required_argument, NULL, 'f' },
		OPT_HELP_END,
	};
	struct ps_opts o = { 0 };
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+aqf:h", opts, NULL)) != -1) {
		if (c == 'a')
			o.all = 1;
		else if (c == 'q')
			o.quiet = 1;
		else if (c == 'F')
			o.format = optarg;
		else if (c == 'f')
			return bad("ps: --filter is not supported (list with --format and "
				   "filter with grep)%s", "");
		else
			return usage(c == 'h' ? 0 : 125);
	}
	if (optind != argc)
		return bad("ps: unexpected argument '%s'", argv[optind]);
	return cmd_ps(&o);
}

/* inspect [-f|--format json|TEMPLATE] ID... */
static int do_inspect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "type", required_argument, NULL, 'T' },
		OPT_HELP_END,
	};
	const char *format = NULL;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+f:h", opts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'T' && strcmp(optarg, "container"))
			return bad("inspect: --type %s is not supported (containers only)", optarg);
		else if (c != 'T')
			return usage(c == 'h' ? 0 : 125);
	}
	if (optind >= argc)
		return bad("inspect: expected a container ID or name%s", "");
	return cmd_inspect(argv + optind, (size_t)(argc - optind), format);
}

/* info|version [-f|--format json|TEMPLATE] */
static int do_info(const char *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		OPT_HELP_END,
	};
	const char *format = NULL;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+f:h", opts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else
			return usage(c == 'h' ? 0 : 125);
	}
	if (optind != argc)
		return bad("unexpected argument '%s'", argv[optind]);
	return !strcmp(cmd, "info") ? cmd_info(format) : cmd_version(format);
}

/* help [COMMAND [SUBCOMMAND]] */
static int do_help(int argc, char **argv)
{
	char topic[64];

	if (argc < 2)
		return usage(0);
	snprintf(topic, sizeof(topic), "%s%s%s", argv[1], argc > 2 ? " " : "",
		 argc > 2 ? argv[2] : "");
	if (help_print(stdout, topic) == 0)
		return 0;
	return bad("help: no command '%s'", topic);
}

/* "CMD --help" or "CMD SUB --help" (before the command's own parsing, so
 * that it works whatever the command takes): the exit code, or -1 */
static int want_help(const char *cmd, int argc, char **argv)
{
	static char topic[64];
	int i;

	help_topic = !strcmp(cmd, "list") || !strcmp(cmd, "ls") ? "ps" :
		     help_exists(cmd) ? cmd : NULL;
	for (i = 1; i < argc && i <= 2; i++) {
		if (strcmp(argv[i], "--help") && strcmp(argv[i], "-h"))
			continue;
		if (i == 2) {	/* only after a subcommand */
			snprintf(topic, sizeof(topic), "%s %s", cmd, argv[1]);
			if (!help_exists(topic))
				return -1;
			help_topic = topic;
		}
		return help_topic ? usage(0) : -1;
	}
	return -1;
}

/* an unknown command: say which one was probably meant, as podman does */
static int unknown_command(const char *cmd)
{
	const char *s = help_suggest(cmd);

	if (s)
		fprintf(stderr, "burrow: unknown command '%s': did you mean '%s'?\n", cmd, s);
	else
		fprintf(stderr, "burrow: unknown command '%s'\n", cmd);
	fprintf(stderr, "Try 'burrow --help'.\n");
	return 125;
}

/* info|version, parsed by do_info() */
static int do_info_version(int argc, char **argv)
{
	return do_info(argv[0], argc, argv);
}

/* exec [-i] [-t] ID CMD... */
static int do_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interactive", no_argument, NULL, 'i' },
		{ "tty", no_argument, NULL, 't' },
		OPT_HELP_END,
	};
	int c, tty = 0, interactive = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+ith", opts, NULL)) != -1) {
		if (c == 'h')
			return usage(0);
		if (c == '?')
			return bad("exec: expected ID CMD...%s", "");
		if (c == 'i')
			interactive = 1;
		else
			tty = 1;
	}
	if (optind + 1 >= argc)
		return bad("exec: expected ID CMD...%s", "");
	return cmd_exec(argv[optind], argv + optind + 1, tty, interactive);
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

/* logs [-f], rm [-f], stop [-t SECONDS], kill [-s SIGNAL]: each its one
 * option (options may follow the containers) */
static const struct each_command {
	const char *name, *spec;
	struct option opts[3];
} each_commands[] = {
	{ "logs", "fh", { { "follow", no_argument, NULL, 'f' }, OPT_HELP_END } },
	{ "rm", "fh", { { "force", no_argument, NULL, 'f' }, OPT_HELP_END } },
	{ "stop", "t:h", { { "time", required_argument, NULL, 't' }, OPT_HELP_END } },
	{ "kill", "s:h", { { "signal", required_argument, NULL, 's' }, OPT_HELP_END } },
};

/* logs, rm, stop, kill: their option, then one or more containers */
static int do_each(int argc, char **argv)
{
	const struct each_command *e = each_commands;
	const char *cmd = argv[0];
	int c, rc = 0, flag = 0, sig = SIGKILL, timeout = -1;	/* -1: the container's */
	char err[128];
	long long v;

	while (strcmp(e->name, cmd))
		e++;
	optind = 1;
	while ((c = getopt_long(argc, argv, e->spec, e->opts, NULL)) != -1) {
		if (c == 'h')
			return usage(0);
		if (c == 'f') {
			flag = 1;
		} else if (c == 't') {
			if (opt_number("--time", optarg, 0, INT_MAX, &v, err, sizeof(err))) {
				fprintf(stderr, "burrow: %s\n", err);
				break;
			}
			timeout = (int)v;
		} else if (c == 's') {
			sig = signal_parse(optarg);
			if (sig < 0) {
				fprintf(stderr, "burrow: unknown signal '%s'\n", optarg);
				break;
			}
		} else {
			break;
		}
	}
	if (c != -1 || optind >= argc)
		return bad("%s: expected a container ID or name", cmd);
	for (; optind < argc && rc == 0; optind++) {
		if (!strcmp(cmd, "logs"))
			rc = cmd_logs(argv[optind], flag);
		else if (!strcmp(cmd, "rm"))
			rc = cmd_rm(argv[optind], flag);
		else if (!strcmp(cmd, "stop"))
			rc = cmd_stop(argv[optind], timeout);
		else
			rc = cmd_kill(argv[optind], sig);
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
	{ "list", do_ps },
	{ "ls", do_ps },
	{ "inspect", do_inspect },
	{ "exec", do_exec },
	{ "attach", do_attach },
	{ "logs", do_each },
	{ "stop", do_each },
	{ "kill", do_each },
	{ "rm", do_each },
	{ "pod", do_pod },
	{ "network", do_network },
	{ "pull", do_pull },
	{ "images", do_images },
	{ "rmi", do_rmi },
	{ "image", do_image },
	{ "system", do_system },
	{ "info", do_info_version },
	{ "version", do_info_version },
	{ "cleanup", do_cleanup },
};

int main(int argc, char **argv)
{
	const char *cmd;
	size_t i;
	int r;

	log_init("burrow", LOG_LVL_WARN, 0);
	if (argc < 2)
		return usage(125);
	cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))
		return usage(0);
	if (!strcmp(cmd, "help"))
		return do_help(argc - 1, argv + 1);
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		printf("burrow version %s\n", BURROW_VERSION);
		return 0;
	}
	r = want_help(cmd, argc - 1, argv + 1);
	if (r >= 0)
		return r;
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	return unknown_command(cmd);
}
