// SPDX-License-Identifier: GPL-2.0-or-later
/* cmds.c - run, logs, stop, kill, rm, exec, system prune, pod, network */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* messages that name long paths may be cut short: that is fine */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "cleanup.h"
#include "cmds.h"
#include "ctr.h"
#include "pod.h"
#include "lock.h"
#include "net.h"
#include "netdef.h"
#include "run.h"
#include "runtime.h"
#include "state.h"
#include "statedir.h"

/* the container @ref names, or the reason on stderr */
int cmd_find(const char *ref, struct ctr *c)
{
	char err[512];
	int r = ctr_find(ref, c, err, sizeof(err));

	if (r < 0)
		fprintf(stderr, "burrow: %s\n", err);
	return r;
}

int signal_parse(const char *s)
{
	static const struct { const char *name; int sig; } sigs[] = {
		{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "KILL", SIGKILL },
		{ "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "TERM", SIGTERM },
		{ "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "WINCH", SIGWINCH },
		{ "ALRM", SIGALRM },
	};
	char *end;
	long v;
	size_t i;

	if (!s || !*s)
		return -1;
	if (s[0] >= '0' && s[0] <= '9') {
		v = strtol(s, &end, 10);
		return (*end || v < 1 || v > 64) ? -1 : (int)v;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		if (!strcasecmp(s, sigs[i].name))
			return sigs[i].sig;
	return -1;
}

/* run IMAGE: a line for each layer it unpacks */
static void print_unpacked(const char *digest, int done, long long size)
{
	if (done)
		fprintf(stderr, "Unpacked layer %.19s (%lld bytes)\n", digest, size);
}

int cmd_run(const struct run_opts *o)
{
	char id[CTR_ID_LEN + 1] = "", err[4096] = "";
	struct run_opts ro = *o;
	int code;

	ro.layer_note = print_unpacked;
	code = run_container(&ro, id, sizeof(id), err, sizeof(err));

	if (err[0])
		fprintf(stderr, "burrow: %s\n", err);
	else if (o->detach && code == 0)
		printf("%s\n", id);
	return code;
}

const char *log_line_text(const char *line, int *partial)
{
	const char *sp1 = strchr(line, ' '), *sp2, *sp3;

	*partial = 0;
	if (!sp1 || sp1 - line < 20 || line[4] != '-' || !memchr(line, 'T', (size_t)(sp1 - line)))
		return line;
	sp2 = strchr(sp1 + 1, ' ');
	if (!sp2 || (strncmp(sp1 + 1, "stdout ", 7) && strncmp(sp1 + 1, "stderr ", 7)))
		return line;
	sp3 = sp2 + 2;
	if ((sp2[1] != 'F' && sp2[1] != 'P') || (*sp3 != ' ' && *sp3 != '\0'))
		return line;
	*partial = sp2[1] == 'P';
	return *sp3 ? sp3 + 1 : sp3;
}

struct logbuf {
	char buf[65536];
	size_t len;
};

/* print the complete lines read from @fd (all of it at @final); 1 if any */
static int copy_out(int fd, struct logbuf *lb, int final)
{
	int any = 0, partial;
	ssize_t k;
	char *nl;

	while ((k = read(fd, lb->buf + lb->len, sizeof(lb->buf) - 1 - lb->len)) > 0) {
		lb->len += (size_t)k;
		any = 1;
		while ((nl = memchr(lb->buf, '\n', lb->len))) {
			const char *t;

			*nl = '\0';
			t = log_line_text(lb->buf, &partial);
			fputs(t, stdout);
			if (!partial)
				fputc('\n', stdout);
			lb->len -= (size_t)(nl + 1 - lb->buf);
			memmove(lb->buf, nl + 1, lb->len);
		}
		if (lb->len == sizeof(lb->buf) - 1) {
			fwrite(lb->buf, 1, lb->len, stdout);
			lb->len = 0;
		}
	}
	if (final && lb->len) {
		fwrite(lb->buf, 1, lb->len, stdout);
		lb->len = 0;
	}
	fflush(stdout);
	return any;
}

int cmd_logs(const char *ref, int follow)
{
	char path[PATH_MAX + 16];
	_cleanup_close_ int fd = -1;
	_cleanup_free_ struct logbuf *lb = calloc(1, sizeof(*lb));
	struct ctr c;

	if (!lb || cmd_find(ref, &c) < 0)
		return 1;
	fd = open(state_path(&c, "ctr.log", path, sizeof(path)), O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (!c.detach) {
			fprintf(stderr, "burrow: %s ran in the foreground: its output went to "
				"the terminal, there is no log\n", c.id);
			return 1;
		}
		return 0;
	}
	copy_out(fd, lb, !follow);
	while (follow) {
		if (!ctr_status_live(state_status(&c, NULL))) {
			copy_out(fd, lb, 1);
			break;
		}
		if (!copy_out(fd, lb, 0))
			ctr_wait_stopped(&c, 100);
	}
	return 0;
}

int cmd_kill(const char *ref, int sig)
{
	struct ctr c;
	int r;

	if (cmd_find(ref, &c) < 0)
		return 1;
	if (!ctr_status_live(state_status(&c, NULL))) {
		fprintf(stderr, "burrow: container %s is not running\n", c.id);
		return 1;
	}
	r = ctr_signal(&c, sig);
	if (r < 0) {
		fprintf(stderr, "burrow: kill(%d, %d): %s\n", (int)c.pid, sig, strerror(-r));
		return 1;
	}
	printf("%s\n", c.id);
	return 0;
}

int cmd_stop(const char *ref, int timeout)
{
	struct ctr c;

	if (cmd_find(ref, &c) < 0)
		return 1;
	if (timeout < 0)
		timeout = c.stop_timeout;
	if (ctr_status_live(state_status(&c, NULL))) {
		ctr_signal(&c, SIGTERM);
		if (!ctr_wait_stopped(&c, timeout * 1000L)) {
			fprintf(stderr, "burrow: container %s did not stop %d s after SIGTERM: "
				"sending SIGKILL\n", c.id, timeout);
			ctr_signal(&c, SIGKILL);
			if (!ctr_wait_stopped(&c, 10000)) {
				fprintf(stderr, "burrow: container %s did not stop after SIGKILL\n",
					c.id);
				return 1;
			}
		}
	} else if (ctr_signal(&c, 0) == 0) {
		/* nobody supervises it but it still runs: a crashed run */
		ctr_signal(&c, SIGKILL);
	}
	printf("%s\n", c.id);
	return 0;
}

int cmd_rm(const char *ref, int force)
{
	struct ctr c;
	int r;

	if (cmd_find(ref, &c) < 0)
		return 1;
	if (ctr_status_live(state_status(&c, NULL))) {
		if (!force) {
			fprintf(stderr, "burrow: container %s is running: stop it first "
				"(burrow stop %s) or use burrow rm -f %s\n", c.id, c.id, c.id);
			return 1;
		}
		ctr_signal(&c, SIGKILL);
	}
	r = ctr_remove(&c, 15000);
	if (r < 0) {
		fprintf(stderr, "burrow: rm %s: %s\n", c.id, strerror(-r));
		return 1;
	}
	printf("%s\n", c.id);
	return 0;
}

int cmd_cleanup(const char *dir)
{
	return ctr_cleanup(dir) < 0 ? 1 : 0;
}

int cmd_exec(const char *ref, char *const *args, int tty, int interactive)
{
	char bin[PATH_MAX];
	const char *argv[256];
	size_t n = 0, i;
	struct ctr c;

	if (cmd_find(ref, &c) < 0)
		return 1;
	if (state_status(&c, NULL) != CTR_RUNNING) {
		fprintf(stderr, "burrow: container %s is not running\n", c.id);
		return 1;
	}
	if (find_program(c.runtime, bin, sizeof(bin)) < 0) {
		fprintf(stderr, "burrow: OCI runtime %s not found\n", c.runtime);
		return 125;
	}
	argv[n++] = c.runtime;
	argv[n++] = "--root";
	argv[n++] = c.runtime_root;
	if (c.rootless && !strcmp(c.runtime, "crun"))
		argv[n++] = "--cgroup-manager=disabled";
	argv[n++] = "exec";
	if (tty)
		argv[n++] = "--tty";
	argv[n++] = c.id;
	for (i = 0; args[i] && n < ARRAY_SIZE(argv) - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if (!interactive) {
		int nul = open("/dev/null", O_RDONLY);

		if (nul >= 0) {
			dup2(nul, 0);
			close(nul);
		}
	}
	fflush(NULL);
	execv(bin, (char *const *)argv);
	fprintf(stderr, "burrow: exec %s: %s\n", bin, strerror(errno));
	return 126;
}

/* one line per thing system prune removed, or the reason it could not */
static void print_pruned(const char *id, const char *what, int err, void *data)
{
	(void)data;
	if (err < 0)
		fprintf(stderr, "burrow: prune %s: %s\n", id, strerror(-err));
	else if (what)
		printf("%s (%s)\n", id, what);
	else
		printf("%s\n", id);
}

static void print_pod_pruned(const char *id, void *data)
{
	(void)data;
	printf("%s (pod)\n", id);
}

int cmd_prune(void)
{
	int r = ctr_prune(print_pruned, NULL);

	if (r < 0) {
		fprintf(stderr, "burrow: reading the state directory: %s\n", strerror(-r));
		return 1;
	}
	return r | pod_prune(print_pod_pruned, NULL);
}

int cmd_pod_create(const char *name, const char *network, const char *const *ports,
		   size_t nports)
{
	char id[CTR_ID_LEN + 1], err[2048];

	if (pod_create(name, network, ports, nports, id, sizeof(id), err, sizeof(err)) < 0) {
		fprintf(stderr, "burrow: %s\n", err);
		return 125;
	}
	printf("%s\n", id);
	return 0;
}

int cmd_pod_rm(const char *ref, int force)
{
	char err[1024];
	struct ctr p;
	int r = pod_remove(ref, force, &p, err, sizeof(err));

	if (r < 0) {
		fprintf(stderr, "burrow: %s\n", err);
		return 1;
	}
	if (r > 0)
		fprintf(stderr, "burrow: pod %s: %s\n", p.name, err);
	printf("%s\n", p.id);
	return r ? 1 : 0;
}

int cmd_pod_ps(int json)
{
	_cleanup_free_ struct ctr *v = NULL, *cv = NULL;
	size_t n, cn = 0, i, k;
	int r = pod_list(&v, &n);
	json_t *arr = json ? json_array() : NULL;

	if (r < 0) {
		fprintf(stderr, "burrow: reading the pods folder: %s\n", strerror(-r));
		json_decref(arr);
		return 1;
	}
	if (state_list(&cv, &cn) < 0)
		cn = 0;
	if (!json)
		printf("%-12s  %-20s  %-8s  %-7s  %-10s  %s\n", "POD ID", "NAME", "STATUS",
		       "NETWORK", "CONTAINERS", "PORTS");
	for (i = 0; i < n; i++) {
		const char *st = pod_running(&v[i]) ? "running" : "dead";
		unsigned cnt = 0;

		for (k = 0; k < cn; k++)
			cnt += (unsigned)pod_member(&cv[k], &v[i]);
		if (json) {
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:I}",
					      "id", v[i].id, "name", v[i].name, "status", st,
					      "network", v[i].network, "ports", v[i].ports,
					      "containers", (int)cnt,
					      "created", (json_int_t)v[i].created));
		} else {
			printf("%-12s  %-20s  %-8s  %-7s  %-10u  %s\n", v[i].id, v[i].name, st,
			       v[i].network, cnt, v[i].ports);
		}
	}
	if (json) {
		json_dumpf(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
	}
	return 0;
}

int cmd_network_create(const char *name, const struct netdef_opts *o)
{
	char err[1024];
	int dns_off, r = netdef_create(name, o, &dns_off, err, sizeof(err));

	if (dns_off)
		fprintf(stderr, "burrow: note: burrow-dns is not installed next to burrow or in "
			"PATH (make dns): network %s gets no DNS server\n", name);
	if (r < 0) {
		fprintf(stderr, "burrow: %s\n", err);
		return 1;
	}
	printf("%s\n", name);
	return 0;
}

int cmd_network_ls(int json)
{
	json_t *all = netdef_all(), *d;
	size_t k;

	if (json) {
		json_dumpf(all, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		printf("%-20s  %-10s  %-4s  %-8s  %s\n", "NAME", "BRIDGE", "DNS", "INTERNAL",
		       "SUBNETS");
		json_array_foreach(all, k, d) {
			json_t *sn;
			size_t i;

			printf("%-20s  %-10s  %-4s  %-8s  ",
			       json_string_value(json_object_get(d, "name")),
			       json_string_value(json_object_get(d, "network_interface")),
			       json_is_true(json_object_get(d, "dns_enabled")) ? "yes" : "no",
			       json_is_true(json_object_get(d, "internal")) ? "yes" : "no");
			json_array_foreach(json_object_get(d, "subnets"), i, sn)
				printf("%s%s", i ? "," : "",
				       json_string_value(json_object_get(sn, "subnet")) ?: "");
			putchar('\n');
		}
	}
	json_decref(all);
	return 0;
}

int cmd_network_rm(const char *name)
{
	char err[1024], pod[64];

	/* the network definitions know containers; pods are ours to ask */
	if (pod_on_network(name, pod, sizeof(pod))) {
		fprintf(stderr, "burrow: network %s is used by pod %s: remove it first\n", name,
			pod);
		return 1;
	}
	if (netdef_remove(name, err, sizeof(err)) < 0) {
		fprintf(stderr, "burrow: %s\n", err);
		return 1;
	}
	printf("%s\n", name);
	return 0;
}
