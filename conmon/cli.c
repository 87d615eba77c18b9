// SPDX-License-Identifier: GPL-2.0-or-later
/* cli.c - parse conmon's command line (the flags Podman 4.3 passes, and the
 * rest of conmon 2.1.6's list so that no caller trips on an unknown flag)
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "name.h"
#include "opt.h"

enum {
	OPT_API_VERSION = 1000, OPT_EXEC_ATTACH, OPT_EXEC_PROCESS_SPEC,
	OPT_EXIT_COMMAND, OPT_EXIT_COMMAND_ARG, OPT_EXIT_DELAY, OPT_EXIT_DIR,
	OPT_LEAVE_STDIN_OPEN, OPT_LOG_LEVEL, OPT_LOG_SIZE_MAX,
	OPT_LOG_GLOBAL_SIZE_MAX, OPT_LOG_TAG, OPT_NO_NEW_KEYRING, OPT_NO_PIVOT,
	OPT_NO_SYNC_LOG, OPT_REPLACE_LISTEN_PID, OPT_RESTORE, OPT_RUNTIME_ARG,
	OPT_RUNTIME_OPT, OPT_SDNOTIFY_SOCKET, OPT_SOCKET_DIR_PATH, OPT_SYNC,
	OPT_SYSLOG, OPT_VERSION, OPT_FULL_ATTACH, OPT_SECCOMP_SOCKET,
	OPT_SECCOMP_PLUGINS, OPT_PRESERVE_FDS,
};

static const struct option cli_longopts[] = {
	{ "api-version",		required_argument, NULL, OPT_API_VERSION },
	{ "bundle",			required_argument, NULL, 'b' },
	{ "cid",			required_argument, NULL, 'c' },
	{ "conmon-pidfile",		required_argument, NULL, 'P' },
	{ "container-pidfile",		required_argument, NULL, 'p' },
	{ "cuuid",			required_argument, NULL, 'u' },
	{ "exec",			no_argument,	   NULL, 'e' },
	{ "exec-attach",		no_argument,	   NULL, OPT_EXEC_ATTACH },
	{ "exec-process-spec",		required_argument, NULL, OPT_EXEC_PROCESS_SPEC },
	{ "exit-command",		required_argument, NULL, OPT_EXIT_COMMAND },
	{ "exit-command-arg",		required_argument, NULL, OPT_EXIT_COMMAND_ARG },
	{ "exit-delay",			required_argument, NULL, OPT_EXIT_DELAY },
	{ "exit-dir",			required_argument, NULL, OPT_EXIT_DIR },
	{ "leave-stdin-open",		no_argument,	   NULL, OPT_LEAVE_STDIN_OPEN },
	{ "log-level",			required_argument, NULL, OPT_LOG_LEVEL },
	{ "log-path",			required_argument, NULL, 'l' },
	{ "log-size-max",		required_argument, NULL, OPT_LOG_SIZE_MAX },
	{ "log-global-size-max",	required_argument, NULL, OPT_LOG_GLOBAL_SIZE_MAX },
	{ "log-tag",			required_argument, NULL, OPT_LOG_TAG },
	{ "name",			required_argument, NULL, 'n' },
	{ "no-new-keyring",		no_argument,	   NULL, OPT_NO_NEW_KEYRING },
	{ "no-pivot",			no_argument,	   NULL, OPT_NO_PIVOT },
	{ "no-sync-log",		no_argument,	   NULL, OPT_NO_SYNC_LOG },
	{ "persist-dir",		required_argument, NULL, '0' },
	{ "preserve-fds",		required_argument, NULL, OPT_PRESERVE_FDS },
	{ "replace-listen-pid",		no_argument,	   NULL, OPT_REPLACE_LISTEN_PID },
	{ "restore",			required_argument, NULL, OPT_RESTORE },
	{ "runtime",			required_argument, NULL, 'r' },
	{ "runtime-arg",		required_argument, NULL, OPT_RUNTIME_ARG },
	{ "runtime-opt",		required_argument, NULL, OPT_RUNTIME_OPT },
	{ "sdnotify-socket",		required_argument, NULL, OPT_SDNOTIFY_SOCKET },
	{ "socket-dir-path",		required_argument, NULL, OPT_SOCKET_DIR_PATH },
	{ "stdin",			no_argument,	   NULL, 'i' },
	{ "sync",			no_argument,	   NULL, OPT_SYNC },
	{ "syslog",			no_argument,	   NULL, OPT_SYSLOG },
	{ "systemd-cgroup",		no_argument,	   NULL, 's' },
	{ "terminal",			no_argument,	   NULL, 't' },
	{ "timeout",			required_argument, NULL, 'T' },
	{ "version",			no_argument,	   NULL, OPT_VERSION },
	{ "full-attach",		no_argument,	   NULL, OPT_FULL_ATTACH },
	{ "seccomp-notify-socket",	required_argument, NULL, OPT_SECCOMP_SOCKET },
	{ "seccomp-notify-plugins",	required_argument, NULL, OPT_SECCOMP_PLUGINS },
	{ "help",			no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char cli_usage_text[] =
	"Usage:\n"
	"  burrow-mon [OPTION...] - container supervisor (conmon-compatible)\n"
	"\n"
	"Help Options:\n"
	"  -h, --help                   Show help options\n"
	"\n"
	"Application Options:\n"
	"  --api-version                Conmon API version to use\n"
	"  -b, --bundle                 Location of the OCI Bundle path\n"
	"  -c, --cid                    Identification of Container\n"
	"  -P, --conmon-pidfile         PID file for the conmon process\n"
	"  -p, --container-pidfile      PID file for the initial pid inside of container\n"
	"  -u, --cuuid                  Container UUID\n"
	"  -e, --exec                   Exec a command into a running container\n"
	"  --exec-attach                Attach to an exec session\n"
	"  --exec-process-spec          Path to the process spec for execution\n"
	"  --exit-command               Path to the program to execute when the container terminates its execution\n"
	"  --exit-command-arg           Additional arg to pass to the exit command.  Can be specified multiple times\n"
	"  --exit-delay                 Delay before invoking the exit command (in seconds)\n"
	"  --exit-dir                   Path to the directory where exit files are written\n"
	"  --leave-stdin-open           Leave stdin open when attached client disconnects\n"
	"  --log-level                  Print debug logs based on log level\n"
	"  -l, --log-path               Log file path (k8s-file:PATH, journald, passthrough, none)\n"
	"  --log-size-max               Maximum size of log file\n"
	"  --log-global-size-max        Maximum size of all log files\n"
	"  --log-tag                    Additional tag to use for logging\n"
	"  -n, --name                   Container name\n"
	"  --no-new-keyring             Do not create a new session keyring for the container\n"
	"  --no-pivot                   Do not use pivot_root\n"
	"  --no-sync-log                Do not manually call sync on logs after container shutdown\n"
	"  -0, --persist-dir            Persistent directory for a container that can be used for storing container data\n"
	"  --preserve-fds               Pass descriptors 3 to 3+N-1 to the runtime (as --runtime-opt --preserve-fds --runtime-opt N)\n"
	"  --replace-listen-pid         Replace listen pid if set for oci-runtime pid\n"
	"  --restore                    Refused: restoring a checkpoint is not implemented\n"
	"  -r, --runtime                Path to store runtime data for the container\n"
	"  --runtime-arg                Additional arg to pass to the runtime. Can be specified multiple times\n"
	"  --runtime-opt                Additional opts to pass to the restore or exec command. Can be specified multiple times\n"
	"  --sdnotify-socket            Path to the host's sd-notify socket to relay messages to\n"
	"  --socket-dir-path            Location of container attach sockets\n"
	"  -i, --stdin                  Open up a pipe to pass stdin to the container\n"
	"  --sync                       Keep the main conmon process as its child by only forking once\n"
	"  --syslog                     Log to syslog (use with cgroupfs cgroup manager)\n"
	"  -s, --systemd-cgroup         Enable systemd cgroup manager, rather then use the cgroupfs directly\n"
	"  -t, --terminal               Allocate a pseudo-TTY. The default is false\n"
	"  -T, --timeout                Kill container after specified timeout in seconds.\n"
	"  --version                    Print the version and exit\n"
	"  --full-attach                Don't truncate the path to the attach socket. This option causes conmon to ignore --socket-dir-path\n"
	"  --seccomp-notify-socket      Refused: seccomp notification is not implemented\n"
	"  --seccomp-notify-plugins     Refused: seccomp notification is not implemented\n";

const char *cli_usage(void)
{
	return cli_usage_text;
}

/* Print an error into the caller's buffer; always returns -EINVAL */
/* -c, -u and -n become file names and journald fields: lib/name's rule
 * (what Podman's names and IDs follow), 1 to 255 characters */
static int cli_check_names(const struct mon_opts *o, char *errbuf, size_t errlen)
{
	const char *what[] = { "--cid", "--cuuid", "--name" };
	const char *val[] = { o->cid, o->cuuid, o->name };
	size_t i;

	for (i = 0; i < 3; i++)
		if (name_check(what[i], val[i], 256, 0, errbuf, errlen) < 0)
			return -EINVAL;
	return 0;
}

static int cli_error(char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int cli_parse_log_target(const char *spec, struct log_target *t)
{
	const char *colon = strchr(spec, ':');
	size_t dlen = colon ? (size_t)(colon - spec) : strlen(spec);

	t->path = NULL;
	if (!colon) {
		if (!strcmp(spec, "none") || !strcmp(spec, "off") || !strcmp(spec, "null")) {
			t->driver = LOG_DRIVER_NONE;
			return 0;
		}
		if (!strcmp(spec, "journald")) {
			t->driver = LOG_DRIVER_JOURNALD;
			return 0;
		}
		if (!strcmp(spec, "passthrough")) {
			t->driver = LOG_DRIVER_PASSTHROUGH;
			return 0;
		}
		if (!*spec)
			return -EINVAL;
		t->driver = LOG_DRIVER_K8S_FILE;
		t->path = spec;
		return 0;
	}
	if (dlen == 8 && !strncmp(spec, "k8s-file", 8)) {
		if (!colon[1])
			return -EINVAL;
		t->driver = LOG_DRIVER_K8S_FILE;
		t->path = colon + 1;
		return 0;
	}
	if (dlen == 8 && !strncmp(spec, "journald", 8)) {
		t->driver = LOG_DRIVER_JOURNALD;
		return 0;
	}
	if (dlen == 11 && !strncmp(spec, "passthrough", 11)) {
		t->driver = LOG_DRIVER_PASSTHROUGH;
		return 0;
	}
	if (dlen == 4 && !strncmp(spec, "none", 4)) {
		t->driver = LOG_DRIVER_NONE;
		return 0;
	}
	return -EINVAL;
}

/* Append @arg to a bounded argument list */
static int cli_push(const char **list, size_t *n, const char *arg)
{
	if (*n >= CLI_MAX_ARGS)
		return -E2BIG;
	list[(*n)++] = arg;
	return 0;
}

/* The runtime gets --preserve-fds N from the runtime options (Podman's way
 * of asking); we must then hand it descriptors 3..3+N-1 */
static int cli_preserve_fds(struct mon_opts *o, char *errbuf, size_t errlen)
{
	size_t i;

	for (i = 0; i < o->n_runtime_opts; i++) {
		const char *a = o->runtime_opts[i], *val = NULL;
		long long v;

		if (!strcmp(a, "--preserve-fds")) {
			if (i + 1 >= o->n_runtime_opts)
				return cli_error(errbuf, errlen, "--runtime-opt --preserve-fds: no count follows");
			val = o->runtime_opts[++i];
		} else if (!strncmp(a, "--preserve-fds=", 15)) {
			val = a + 15;
		} else {
			continue;
		}
		if (opt_number("--preserve-fds", val, 0, CLI_MAX_PRESERVE_FDS, &v, errbuf, errlen))
			return -EINVAL;
		if (v > o->preserve_fds)
			o->preserve_fds = (int)v;
	}
	return 0;
}

int cli_parse(int argc, char **argv, struct mon_opts *o, char *errbuf, size_t errlen)
{
	long long v;
	int c;

	memset(o, 0, sizeof(*o));
	o->log_size_max = -1;
	o->log_global_size_max = -1;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:b:c:P:p:u:el:n:0:r:istT:h",
				cli_longopts, NULL)) != -1) {
		switch (c) {
		case OPT_API_VERSION:
			/* the sync messages are version 1's; no other is spoken */
			if (opt_number("--api-version", optarg, 1, 1, &v, errbuf, errlen))
				return -EINVAL;
			o->api_version = (int)v;
			break;
		case 'b': o->bundle = optarg; break;
		case 'c': o->cid = optarg; break;
		case 'P': o->conmon_pidfile = optarg; break;
		case 'p': o->container_pidfile = optarg; break;
		case 'u': o->cuuid = optarg; break;
		case 'e': o->exec = 1; break;
		case OPT_EXEC_ATTACH: o->exec_attach = 1; break;
		case OPT_EXEC_PROCESS_SPEC: o->exec_process_spec = optarg; break;
		case OPT_EXIT_COMMAND: o->exit_command = optarg; break;
		case OPT_EXIT_COMMAND_ARG:
			if (cli_push(o->exit_args, &o->n_exit_args, optarg))
				return cli_error(errbuf, errlen, "too many --exit-command-arg");
			break;
		case OPT_EXIT_DELAY:
			if (opt_number("--exit-delay", optarg, 0, 86400, &v, errbuf, errlen))
				return -EINVAL;
			o->exit_delay = (int)v;
			break;
		case OPT_EXIT_DIR: o->exit_dir = optarg; break;
		case OPT_LEAVE_STDIN_OPEN: o->leave_stdin_open = 1; break;
		case OPT_LOG_LEVEL:
			if (log_level_parse(optarg) < 0)
				return cli_error(errbuf, errlen, "--log-level: unknown level '%s' "
						 "(error, warning, info, debug, trace)", optarg);
			o->log_level = optarg;
			break;
		case 'l':
			if (o->n_logs >= CLI_MAX_LOGS)
				return cli_error(errbuf, errlen, "too many -l");
			if (cli_parse_log_target(optarg, &o->logs[o->n_logs]))
				return cli_error(errbuf, errlen, "-l: unknown log driver or missing path: '%s'", optarg);
			o->n_logs++;
			break;
		case OPT_LOG_SIZE_MAX:
			if (opt_number("--log-size-max", optarg, LLONG_MIN, LLONG_MAX, &v, errbuf, errlen))
				return -EINVAL;
			o->log_size_max = v;
			break;
		case OPT_LOG_GLOBAL_SIZE_MAX:
			if (opt_number("--log-global-size-max", optarg, LLONG_MIN, LLONG_MAX, &v,
				       errbuf, errlen))
				return -EINVAL;
			o->log_global_size_max = v;
			break;
		case OPT_LOG_TAG: o->log_tag = optarg; break;
		case 'n': o->name = optarg; break;
		case OPT_NO_NEW_KEYRING: o->no_new_keyring = 1; break;
		case OPT_NO_PIVOT: o->no_pivot = 1; break;
		case OPT_NO_SYNC_LOG: o->no_sync_log = 1; break;
		case '0': o->persist_dir = optarg; break;
		case OPT_REPLACE_LISTEN_PID: o->replace_listen_pid = 1; break;
		case OPT_RESTORE:
			return cli_error(errbuf, errlen, "--restore: restoring a checkpoint is not implemented");
		case OPT_PRESERVE_FDS:
			/* what Podman passes as --runtime-opt --preserve-fds --runtime-opt N */
			if (opt_number("--preserve-fds", optarg, 0, CLI_MAX_PRESERVE_FDS, &v, errbuf, errlen))
				return -EINVAL;
			if (cli_push(o->runtime_opts, &o->n_runtime_opts, "--preserve-fds") ||
			    cli_push(o->runtime_opts, &o->n_runtime_opts, optarg))
				return cli_error(errbuf, errlen, "too many --runtime-opt");
			break;
		case 'r': o->runtime = optarg; break;
		case OPT_RUNTIME_ARG:
			if (cli_push(o->runtime_args, &o->n_runtime_args, optarg))
				return cli_error(errbuf, errlen, "too many --runtime-arg");
			break;
		case OPT_RUNTIME_OPT:
			if (cli_push(o->runtime_opts, &o->n_runtime_opts, optarg))
				return cli_error(errbuf, errlen, "too many --runtime-opt");
			break;
		case OPT_SDNOTIFY_SOCKET: o->sdnotify_socket = optarg; break;
		case OPT_SOCKET_DIR_PATH: o->socket_dir = optarg; break;
		case 'i': o->stdin_open = 1; break;
		case OPT_SYNC: o->sync = 1; break;
		case OPT_SYSLOG: o->syslog = 1; break;
		case 's': o->systemd_cgroup = 1; break;
		case 't': o->terminal = 1; break;
		case 'T':
			if (opt_number("--timeout", optarg, 0, INT_MAX, &v, errbuf, errlen))
				return -EINVAL;
			o->timeout = (int)v;
			break;
		case OPT_VERSION: o->version = 1; break;
		case OPT_FULL_ATTACH: o->full_attach = 1; break;
		case OPT_SECCOMP_SOCKET:
		case OPT_SECCOMP_PLUGINS:
			return cli_error(errbuf, errlen, "%s: seccomp notification is not implemented",
					 c == OPT_SECCOMP_SOCKET ? "--seccomp-notify-socket"
								 : "--seccomp-notify-plugins");
		case 'h': o->help = 1; break;
		case ':':
			return cli_error(errbuf, errlen, "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_error(errbuf, errlen, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_error(errbuf, errlen, "unexpected argument '%s'", argv[optind]);
	if (o->help || o->version)
		return 0;
	if (!o->cid)
		return cli_error(errbuf, errlen, "container ID not provided (-c)");
	if (!o->runtime)
		return cli_error(errbuf, errlen, "runtime path not provided (-r)");
	if (o->exec && !o->exec_process_spec)
		return cli_error(errbuf, errlen, "--exec needs --exec-process-spec");
	if (o->exec_attach && !o->exec)
		return cli_error(errbuf, errlen, "--exec-attach needs --exec");
	if (o->exec && o->sdnotify_socket)
		return cli_error(errbuf, errlen, "--sdnotify-socket: not for an exec session (--exec)");
	if (cli_preserve_fds(o, errbuf, errlen))
		return -EINVAL;
	if (!o->cuuid)
		o->cuuid = o->cid;
	if (!o->name)
		o->name = o->cid;
	if (cli_check_names(o, errbuf, errlen) < 0)
		return -EINVAL;
	if (o->n_logs == 0) {
		/* conmon's default: a k8s-file log in the bundle is not created
		 * without -l; keep output flowing to nobody */
		o->logs[0].driver = LOG_DRIVER_NONE;
		o->n_logs = 1;
	}
	return 0;
}
