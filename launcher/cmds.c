// SPDX-License-Identifier: GPL-2.0-or-later
/* cmds.c - logs, stop, kill, rm, exec, system prune */
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
#include "pod.h"
#include "lock.h"
#include "net.h"
#include "runtime.h"
#include "state.h"
#include "statedir.h"

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int ctr_find(const char *ref, struct ctr *c)
{
	int r = state_find(ref, c);

	if (r == -ENOTUNIQ)
		fprintf(stderr, "burrow: '%s' matches more than one container: type more of "
			"the ID\n", ref);
	else if (r == -ENOENT)
		fprintf(stderr, "burrow: no such container: %s\n", ref);
	else if (r < 0)
		fprintf(stderr, "burrow: reading the state directory: %s\n", strerror(-r));
	c->net_exitfd = -1;
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

static int is_live(enum ctr_status s)
{
	return s == CTR_RUNNING || s == CTR_CREATED;
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

	if (!lb || ctr_find(ref, &c) < 0)
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
		if (!is_live(state_status(&c, NULL))) {
			copy_out(fd, lb, 1);
			break;
		}
		if (!copy_out(fd, lb, 0))
			msleep(100);
	}
	return 0;
}

/* signal the container's init directly (the runtime would do the same) */
int signal_ctr(const struct ctr *c, int sig)
{
	if (!c->pid || !proc_alive(c->pid, c->pid_start))
		return -ESRCH;
	return kill(c->pid, sig) ? -errno : 0;
}

/* wait until nobody supervises @c any more, up to @ms; 1 when done */
static int wait_unsupervised(const struct ctr *c, long ms)
{
	for (; ms > 0; ms -= 20) {
		if (!is_live(state_status(c, NULL)))
			return 1;
		msleep(20);
	}
	return !is_live(state_status(c, NULL));
}

int cmd_kill(const char *ref, int sig)
{
	struct ctr c;
	int r;

	if (ctr_find(ref, &c) < 0)
		return 1;
	if (!is_live(state_status(&c, NULL))) {
		fprintf(stderr, "burrow: container %s is not running\n", c.id);
		return 1;
	}
	r = signal_ctr(&c, sig);
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

	if (ctr_find(ref, &c) < 0)
		return 1;
	if (timeout < 0)
		timeout = c.stop_timeout;
	if (is_live(state_status(&c, NULL))) {
		signal_ctr(&c, SIGTERM);
		if (!wait_unsupervised(&c, timeout * 1000L)) {
			fprintf(stderr, "burrow: container %s did not stop %d s after SIGTERM: "
				"sending SIGKILL\n", c.id, timeout);
			signal_ctr(&c, SIGKILL);
			if (!wait_unsupervised(&c, 10000)) {
				fprintf(stderr, "burrow: container %s did not stop after SIGKILL\n",
					c.id);
				return 1;
			}
		}
	} else if (signal_ctr(&c, 0) == 0) {
		/* nobody supervises it but it still runs: a crashed run */
		signal_ctr(&c, SIGKILL);
	}
	printf("%s\n", c.id);
	return 0;
}

/* remove runtime state and helpers of @c; its folder lock must be ours */
static void leftovers(struct ctr *c)
{
	char *del[] = { "delete", "--force", c->id, NULL };

	if (c->pid && proc_alive(c->pid, c->pid_start))
		kill(c->pid, SIGKILL);
	net_teardown(c);
	if (c->holder_pid && proc_alive(c->holder_pid, c->holder_start))
		kill(c->holder_pid, SIGKILL);
	runtime_exec(c, del, NULL, NULL, 0);
}

/* take @c's folder lock, waiting up to @ms for its supervisor to finish */
static int take_lock(const struct ctr *c, long ms)
{
	char path[PATH_MAX + 16];
	int fd;

	state_path(c, "lock", path, sizeof(path));
	for (;;) {
		if (access(c->dir, F_OK))
			return -ENOENT;
		fd = lock_acquire(path, 1, 0);
		if (fd >= 0 || fd != -EWOULDBLOCK || ms <= 0)
			return fd;
		msleep(20);
		ms -= 20;
	}
}

static int remove_one(struct ctr *c, long wait_ms)
{
	int fd;

	/* burrow-mon writes into the folder until it exits: let it finish */
	for (; wait_ms > 0 && c->mon_pid && c->mon_pid != getpid() &&
	       proc_alive(c->mon_pid, c->mon_start); wait_ms -= 20)
		msleep(20);
	fd = take_lock(c, wait_ms);

	if (fd == -ENOENT)
		return 0;	/* its supervisor removed it (--rm) */
	if (fd < 0)
		return fd;
	leftovers(c);
	state_remove(c);
	lock_release(fd);
	return 0;
}

int cmd_rm(const char *ref, int force)
{
	struct ctr c;
	int r;

	if (ctr_find(ref, &c) < 0)
		return 1;
	if (is_live(state_status(&c, NULL))) {
		if (!force) {
			fprintf(stderr, "burrow: container %s is running: stop it first "
				"(burrow stop %s) or use burrow rm -f %s\n", c.id, c.id, c.id);
			return 1;
		}
		signal_ctr(&c, SIGKILL);
	}
	r = remove_one(&c, 15000);
	if (r < 0) {
		fprintf(stderr, "burrow: rm %s: %s\n", c.id, strerror(-r));
		return 1;
	}
	printf("%s\n", c.id);
	return 0;
}

int cmd_cleanup(const char *dir)
{
	char path[PATH_MAX + 16], code[16];
	struct ctr c;
	int fd, n = 0;
	FILE *f;

	if (state_load(dir, &c) < 0)
		return 0;	/* already removed (rm -f, or a failed start) */
	fd = take_lock(&c, 30000);
	if (fd < 0)
		return fd == -ENOENT ? 0 : 1;
	leftovers(&c);
	/* keep the exit code under our own name too */
	f = fopen(state_path(&c, c.id, path, sizeof(path)), "re");
	if (f) {
		n = fscanf(f, "%15s", code);
		fclose(f);
	}
	if (n == 1 && access(state_path(&c, "exit", path, sizeof(path)), F_OK)) {
		f = fopen(path, "we");
		if (f) {
			fprintf(f, "%s\n", code);
			fclose(f);
		}
	}
	if (c.rm) {
		/* a `burrow attach` still reading the exit code: up to 10 s */
		int afd = -EWOULDBLOCK, i;

		state_path(&c, "attach.lock", path, sizeof(path));
		for (i = 0; i < 500 && afd == -EWOULDBLOCK && !access(path, F_OK); i++) {
			afd = lock_acquire(path, 1, 0);
			if (afd == -EWOULDBLOCK)
				msleep(20);
		}
		lock_release(afd);
		state_remove(&c);
	}
	lock_release(fd);
	return 0;
}

int cmd_exec(const char *ref, char *const *args, int tty, int interactive)
{
	char bin[PATH_MAX];
	const char *argv[256];
	size_t n = 0, i;
	struct ctr c;

	if (ctr_find(ref, &c) < 0)
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

/* runtime state whose container folder is gone: delete it */
static void prune_runtime_orphans(const char *runtime)
{
	char sub[64], croot[PATH_MAX];
	struct ctr c = { .net_exitfd = -1 };
	struct dirent *e;
	DIR *d;

	snprintf(sub, sizeof(sub), "runtime/%s", runtime);
	if (statedir_path(sub, c.runtime_root, sizeof(c.runtime_root)) < 0 ||
	    state_root(croot, sizeof(croot)) < 0)
		return;
	snprintf(c.runtime, sizeof(c.runtime), "%s", runtime);
	c.rootless = rootless();
	d = opendir(c.runtime_root);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char probe[PATH_MAX + 300], tmpdir[] = "/tmp/burrow-prune.XXXXXX";
		char *del[] = { "delete", "--force", c.id, NULL };

		if (strlen(e->d_name) != CTR_ID_LEN || e->d_name[0] == '.')
			continue;
		memcpy(c.id, e->d_name, CTR_ID_LEN + 1);
		snprintf(probe, sizeof(probe), "%s/%s", croot, c.id);
		if (access(probe, F_OK) == 0)
			continue;
		/* runtime_exec() logs into the container folder: use a scratch one */
		if (!mkdtemp(tmpdir))
			continue;
		snprintf(c.dir, sizeof(c.dir), "%s", tmpdir);
		runtime_exec(&c, del, NULL, NULL, 0);
		rmdir(tmpdir);
		printf("%s (runtime state)\n", c.id);
	}
	closedir(d);
}

static void print_unfinished(const char *id, void *data)
{
	(void)data;
	printf("%s (no record)\n", id);
}

int cmd_prune(void)
{
	_cleanup_free_ struct ctr *v = NULL;
	size_t n, i;
	int r = state_list(&v, &n), glock, failed = 0;

	if (r < 0) {
		fprintf(stderr, "burrow: reading the state directory: %s\n", strerror(-r));
		return 1;
	}
	glock = state_global_lock();
	for (i = 0; i < n; i++) {
		v[i].net_exitfd = -1;
		if (is_live(state_status(&v[i], NULL)))
			continue;
		r = remove_one(&v[i], 0);
		if (r == -EWOULDBLOCK)
			continue;	/* its supervisor is still finishing */
		if (r < 0) {
			fprintf(stderr, "burrow: prune %s: %s\n", v[i].id, strerror(-r));
			failed = 1;
			continue;
		}
		printf("%s\n", v[i].id);
	}
	if (glock >= 0)
		state_sweep_unfinished(print_unfinished, NULL);
	prune_runtime_orphans("crun");
	prune_runtime_orphans("runc");
	lock_release(glock);
	failed |= pod_prune();
	return failed;
}
