// SPDX-License-Identifier: GPL-2.0-or-later
/* test_conmon_cli.c - conmon's command line as Podman 4.3 passes it */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "conmon/cli.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static struct mon_opts o;
static char errbuf[256];

static void podman_run_command_line(void **state)
{
	char *argv[] = {
		"conmon", "--api-version", "1", "-c", "22287bd6", "-u", "22287bd6",
		"-r", "/usr/bin/crun", "-b", "/s/userdata", "-p", "/r/userdata/pidfile",
		"-n", "w1", "--exit-dir", "/x/exits", "--full-attach",
		"-l", "k8s-file:/s/userdata/ctr.log", "--log-level", "warning",
		"--runtime-arg", "--log-format=json", "--runtime-arg", "--log",
		"--runtime-arg=/r/userdata/oci-log", "--conmon-pidfile", "/r/conmon.pid",
		"--exit-command", "/usr/bin/podman", "--exit-command-arg", "--root",
		"--exit-command-arg", "/s", "--exit-command-arg", "--network-config-dir",
		"--exit-command-arg", "", "--exit-command-arg", "container",
		"--exit-command-arg", "cleanup", "--exit-command-arg", "22287bd6",
		"--log-size-max", "4096", "--syslog", "-t", "-i", "--persist-dir", "/p",
		"--socket-dir-path", "/sock", "--log-tag", "tag",
	};

	(void)state;
	assert_int_equal(cli_parse(ARGC(argv), argv, &o, errbuf, sizeof(errbuf)), 0);
	assert_int_equal(o.api_version, 1);
	assert_string_equal(o.cid, "22287bd6");
	assert_string_equal(o.runtime, "/usr/bin/crun");
	assert_string_equal(o.bundle, "/s/userdata");
	assert_string_equal(o.container_pidfile, "/r/userdata/pidfile");
	assert_string_equal(o.conmon_pidfile, "/r/conmon.pid");
	assert_string_equal(o.exit_dir, "/x/exits");
	assert_string_equal(o.persist_dir, "/p");
	assert_string_equal(o.socket_dir, "/sock");
	assert_string_equal(o.name, "w1");
	assert_string_equal(o.log_tag, "tag");
	assert_int_equal(o.full_attach, 1);
	assert_int_equal(o.terminal, 1);
	assert_int_equal(o.stdin_open, 1);
	assert_int_equal(o.syslog, 1);
	assert_int_equal(o.log_size_max, 4096);
	assert_int_equal(o.n_logs, 1);
	assert_int_equal(o.logs[0].driver, LOG_DRIVER_K8S_FILE);
	assert_string_equal(o.logs[0].path, "/s/userdata/ctr.log");
	assert_int_equal(o.n_runtime_args, 3);
	assert_string_equal(o.runtime_args[0], "--log-format=json");
	assert_string_equal(o.runtime_args[1], "--log");
	assert_string_equal(o.runtime_args[2], "/r/userdata/oci-log");
	assert_int_equal(o.n_exit_args, 7);
	assert_string_equal(o.exit_args[3], "");
	assert_string_equal(o.exit_args[6], "22287bd6");
}

static void podman_exec_command_line(void **state)
{
	char *argv[] = {
		"conmon", "--api-version", "1", "-c", "ctr", "-u", "sess", "-r", "crun",
		"-b", "/b", "-p", "/b/exec_pid", "-n", "w1", "--exit-dir", "/b/exit",
		"--full-attach", "-l", "none", "-e", "--exec-attach",
		"--exec-process-spec", "/b/exec-process-1",
	};

	(void)state;
	assert_int_equal(cli_parse(ARGC(argv), argv, &o, errbuf, sizeof(errbuf)), 0);
	assert_int_equal(o.exec, 1);
	assert_int_equal(o.exec_attach, 1);
	assert_string_equal(o.exec_process_spec, "/b/exec-process-1");
	assert_string_equal(o.cuuid, "sess");
	assert_int_equal(o.logs[0].driver, LOG_DRIVER_NONE);
}

static void log_targets(void **state)
{
	struct log_target t;

	(void)state;
	assert_int_equal(cli_parse_log_target("k8s-file:/a/b", &t), 0);
	assert_int_equal(t.driver, LOG_DRIVER_K8S_FILE);
	assert_string_equal(t.path, "/a/b");
	assert_int_equal(cli_parse_log_target("/plain/path", &t), 0);
	assert_int_equal(t.driver, LOG_DRIVER_K8S_FILE);
	assert_string_equal(t.path, "/plain/path");
	assert_int_equal(cli_parse_log_target("journald:", &t), 0);
	assert_int_equal(t.driver, LOG_DRIVER_JOURNALD);
	assert_int_equal(cli_parse_log_target("journald", &t), 0);
	assert_int_equal(t.driver, LOG_DRIVER_JOURNALD);
	assert_int_equal(cli_parse_log_target("passthrough", &t), 0);
	assert_int_equal(t.driver, LOG_DRIVER_PASSTHROUGH);
	assert_int_equal(cli_parse_log_target("none", &t), 0);
	assert_int_equal(t.driver, LOG_DRIVER_NONE);
	assert_int_equal(cli_parse_log_target("k8s-file:", &t), -EINVAL);
	assert_int_equal(cli_parse_log_target("syslog:x", &t), -EINVAL);
	assert_int_equal(cli_parse_log_target("", &t), -EINVAL);
}

static void errors_are_named(void **state)
{
	char *no_cid[] = { "conmon", "-r", "crun" };
	char *bad_num[] = { "conmon", "-c", "x", "-r", "crun", "--log-size-max", "12k" };
	char *unknown[] = { "conmon", "-c", "x", "-r", "crun", "--frobnicate" };
	char *missing[] = { "conmon", "-c", "x", "-r" };
	char *exec_no_spec[] = { "conmon", "-c", "x", "-r", "crun", "-e" };
	char *version[] = { "conmon", "--version" };
	char *bad_delay[] = { "conmon", "-c", "x", "-r", "crun", "--exit-delay", "-1" };

	(void)state;
	assert_int_equal(cli_parse(ARGC(no_cid), no_cid, &o, errbuf, sizeof(errbuf)), -EINVAL);
	assert_non_null(strstr(errbuf, "-c"));
	assert_int_equal(cli_parse(ARGC(bad_num), bad_num, &o, errbuf, sizeof(errbuf)), -EINVAL);
	assert_string_equal(errbuf, "--log-size-max: expected a number, got '12k'");
	assert_int_equal(cli_parse(ARGC(bad_delay), bad_delay, &o, errbuf, sizeof(errbuf)), -EINVAL);
	assert_string_equal(errbuf, "--exit-delay: expected a number from 0 to 86400, got '-1'");
	assert_int_equal(cli_parse(ARGC(unknown), unknown, &o, errbuf, sizeof(errbuf)), -EINVAL);
	assert_non_null(strstr(errbuf, "--frobnicate"));
	assert_int_equal(cli_parse(ARGC(missing), missing, &o, errbuf, sizeof(errbuf)), -EINVAL);
	assert_int_equal(cli_parse(ARGC(exec_no_spec), exec_no_spec, &o, errbuf, sizeof(errbuf)), -EINVAL);
	assert_int_equal(cli_parse(ARGC(version), version, &o, errbuf, sizeof(errbuf)), 0);
	assert_int_equal(o.version, 1);
}

/* Options burrow-mon does not implement are refused by name, never ignored */
static void unimplemented_options_are_refused(void **state)
{
	static const struct { const char *opt, *val, *msg; } cases[] = {
		{ "--restore", "/ckpt", "--restore: restoring a checkpoint is not implemented" },
		{ "--seccomp-notify-socket", "/s",
		  "--seccomp-notify-socket: seccomp notification is not implemented" },
		{ "--seccomp-notify-plugins", "p",
		  "--seccomp-notify-plugins: seccomp notification is not implemented" },
		{ "--api-version", "2", "--api-version: expected a number from 1 to 1, got '2'" },
		{ "--log-level", "loud",
		  "--log-level: unknown level 'loud' (error, warning, info, debug, trace)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[] = { "conmon", "-c", "x", "-r", "crun", (char *)cases[i].opt,
				 (char *)cases[i].val };

		assert_int_equal(cli_parse(ARGC(argv), argv, &o, errbuf, sizeof(errbuf)), -EINVAL);
		assert_string_equal(errbuf, cases[i].msg);
	}
}

/* --preserve-fds N, in Podman's spelling and in the direct one */
static void preserve_fds(void **state)
{
	char *podman[] = { "conmon", "-c", "x", "-r", "crun", "--runtime-opt", "--preserve-fds",
			   "--runtime-opt", "2" };
	char *joined[] = { "conmon", "-c", "x", "-r", "crun", "--runtime-opt=--preserve-fds=3" };
	char *direct[] = { "conmon", "-c", "x", "-r", "crun", "--preserve-fds", "4" };
	char *dangling[] = { "conmon", "-c", "x", "-r", "crun", "--runtime-opt", "--preserve-fds" };
	char *huge[] = { "conmon", "-c", "x", "-r", "crun", "--preserve-fds", "100000" };

	(void)state;
	assert_int_equal(cli_parse(ARGC(podman), podman, &o, errbuf, sizeof(errbuf)), 0);
	assert_int_equal(o.preserve_fds, 2);
	assert_int_equal(cli_parse(ARGC(joined), joined, &o, errbuf, sizeof(errbuf)), 0);
	assert_int_equal(o.preserve_fds, 3);
	assert_int_equal(cli_parse(ARGC(direct), direct, &o, errbuf, sizeof(errbuf)), 0);
	assert_int_equal(o.preserve_fds, 4);
	assert_int_equal(o.n_runtime_opts, 2);
	assert_string_equal(o.runtime_opts[0], "--preserve-fds");
	assert_string_equal(o.runtime_opts[1], "4");
	assert_int_equal(cli_parse(ARGC(dangling), dangling, &o, errbuf, sizeof(errbuf)), -EINVAL);
	assert_non_null(strstr(errbuf, "--preserve-fds"));
	assert_int_equal(cli_parse(ARGC(huge), huge, &o, errbuf, sizeof(errbuf)), -EINVAL);
	assert_non_null(strstr(errbuf, "--preserve-fds"));
}

/* -n, -c and -u follow lib/name's rule: no newline (a forged journald field),
 * no path, no option */
static void names_follow_the_rule(void **state)
{
	char *nl[] = { "conmon", "-c", "x", "-r", "crun", "-n", "web\nPRIORITY=0" };
	char *path[] = { "conmon", "-c", "../x", "-r", "crun" };
	char *dash[] = { "conmon", "-c", "x", "-u", "-rf", "-r", "crun" };
	char *ok[] = { "conmon", "-c", "8965724ea9dc", "-r", "crun", "-n", "web_1.a-b" };

	(void)state;
	assert_int_equal(cli_parse(ARGC(nl), nl, &o, errbuf, sizeof(errbuf)), -EINVAL);
	assert_non_null(strstr(errbuf, "--name 'web\\nPRIORITY=0' holds '\\n': a name is 1 to 255"));
	assert_int_equal(cli_parse(ARGC(path), path, &o, errbuf, sizeof(errbuf)), -EINVAL);
	assert_non_null(strstr(errbuf, "--cid '../x' starts with '.'"));
	assert_int_equal(cli_parse(ARGC(dash), dash, &o, errbuf, sizeof(errbuf)), -EINVAL);
	assert_non_null(strstr(errbuf, "--cuuid '-rf' starts with '-'"));
	assert_int_equal(cli_parse(ARGC(ok), ok, &o, errbuf, sizeof(errbuf)), 0);
}

static void usage_mentions_every_flag(void **state)
{
	static const char *const flags[] = {
		"--api-version", "--bundle", "--cid", "--conmon-pidfile", "--container-pidfile",
		"--cuuid", "--exec", "--exec-attach", "--exec-process-spec", "--exit-command",
		"--exit-command-arg", "--exit-delay", "--exit-dir", "--leave-stdin-open",
		"--log-level", "--log-path", "--log-size-max", "--log-tag", "--name",
		"--no-pivot", "--persist-dir", "--runtime", "--runtime-arg", "--socket-dir-path",
		"--stdin", "--sync", "--syslog", "--systemd-cgroup", "--terminal", "--timeout",
		"--version", "--full-attach", "--preserve-fds", "--sdnotify-socket",
		"--log-global-size-max", "--replace-listen-pid", "--no-sync-log",
		"--no-new-keyring", "--runtime-opt", "--restore", "--seccomp-notify-socket",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		assert_non_null(strstr(cli_usage(), flags[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(podman_run_command_line),
		cmocka_unit_test(podman_exec_command_line),
		cmocka_unit_test(log_targets),
		cmocka_unit_test(errors_are_named),
		cmocka_unit_test(names_follow_the_rule),
		cmocka_unit_test(usage_mentions_every_flag),
		cmocka_unit_test(unimplemented_options_are_refused),
		cmocka_unit_test(preserve_fds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
