/* SPDX-License-Identifier: GPL-2.0-or-later
 * cli.h - burrow-mon's command line, shaped like conmon 2.1's as Podman
 * passes it
 */
#ifndef BURROW_CONMON_CLI_H
#define BURROW_CONMON_CLI_H

#include <stddef.h>

#define CLI_MAX_ARGS	512	/* runtime args, runtime opts, exit command args */
#define CLI_MAX_LOGS	8	/* -l may be given several times */
#define CLI_MAX_PRESERVE_FDS 1024	/* --preserve-fds N: at most this many */

enum log_driver {
	LOG_DRIVER_NONE = 0,
	LOG_DRIVER_K8S_FILE,
	LOG_DRIVER_JOURNALD,
	LOG_DRIVER_PASSTHROUGH,
};

/* One -l value: driver and, for k8s-file, the path */
struct log_target {
	enum log_driver driver;
	const char *path;
};

/* Everything the command line says; strings point into argv */
struct mon_opts {
	int api_version;
	const char *cid;
	const char *cuuid;
	const char *name;
	const char *runtime;
	const char *bundle;
	const char *container_pidfile;
	const char *conmon_pidfile;
	const char *exit_dir;
	const char *persist_dir;
	const char *socket_dir;
	const char *exit_command;
	const char *exec_process_spec;
	const char *log_tag;
	const char *log_level;
	const char *sdnotify_socket;
	long long log_size_max;		/* <= 0: unlimited */
	long long log_global_size_max;
	int preserve_fds;		/* descriptors 3..3+N-1 go to the runtime */
	int exit_delay;
	int timeout;
	int terminal;
	int stdin_open;
	int leave_stdin_open;
	int exec;
	int exec_attach;
	int full_attach;
	int syslog;
	int no_pivot;
	int no_new_keyring;
	int replace_listen_pid;
	int systemd_cgroup;
	int sync;
	int no_sync_log;
	int help;
	int version;
	struct log_target logs[CLI_MAX_LOGS];
	size_t n_logs;
	const char *runtime_args[CLI_MAX_ARGS];
	size_t n_runtime_args;
	const char *runtime_opts[CLI_MAX_ARGS];
	size_t n_runtime_opts;
	const char *exit_args[CLI_MAX_ARGS];
	size_t n_exit_args;
};

/**
 * cli_parse_log_target() - parse one -l value
 * @spec:	"k8s-file:PATH", "journald[:...]", "passthrough", "none", "off"
 *		or a bare PATH (k8s-file)
 * @t:		result; path points into @spec
 *
 * Return: 0, or -EINVAL (unknown driver, k8s-file without a path)
 */
int cli_parse_log_target(const char *spec, struct log_target *t);

/**
 * cli_parse() - parse conmon's command line into @o
 * @argc:	argument count
 * @argv:	arguments (kept: @o points into them)
 * @o:		result
 * @errbuf:	message on error ("--log-size-max: expected a number, got 'x'")
 * @errlen:	size of @errbuf
 *
 * Return: 0, or -EINVAL with @errbuf set
 */
int cli_parse(int argc, char **argv, struct mon_opts *o, char *errbuf, size_t errlen);

/**
 * cli_usage() - the --help text, mentioning every flag conmon has
 *
 * Return: static text
 */
const char *cli_usage(void);

#endif /* BURROW_CONMON_CLI_H */
