// SPDX-License-Identifier: GPL-2.0-or-later
/* run.c - `burrow run`: bundle, record, runtime, network, supervision */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* messages that name long paths may be cut short: that is fine */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "cleanup.h"
#include "clock.h"
#include "imagerun.h"
#include "inspect.h"
#include "lock.h"
#include "log.h"
#include "overlay.h"
#include "name.h"
#include "nsholder.h"
#include "opt.h"
#include "pod.h"
#include "proc.h"
#include "run.h"
#include "runtime.h"
#include "sigproxy.h"
#include "statedir.h"
#include "userns.h"

#define ERRLEN 2048


/* resolve ROOTFS|BUNDLE into an absolute root filesystem and an optional base config */
static int resolve_target(const char *target, char *rootfs, size_t len, json_t **base,
			  char *err, size_t errlen)
{
	char abs[PATH_MAX], cfg[PATH_MAX + 16];
	json_error_t je;
	struct stat st;
	const char *rp;

	*base = NULL;
	if (!realpath(target, abs)) {
		snprintf(err, errlen, "root filesystem '%s': %s (make a busybox one with: "
			 "burrow-mkrootfs %s)", target, strerror(errno), target);
		return -ENOENT;
	}
	if (stat(abs, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "root filesystem '%s' is not a directory", target);
		return -ENOTDIR;
	}
	snprintf(cfg, sizeof(cfg), "%s/config.json", abs);
	if (access(cfg, F_OK) == 0) {
		*base = json_load_file(cfg, 0, &je);
		if (!*base) {
			snprintf(err, errlen, "bundle %s: line %d: %s", cfg, je.line, je.text);
			return -EINVAL;
		}
		rp = json_string_value(json_object_get(json_object_get(*base, "root"), "path"));
		if (!rp)
			rp = "rootfs";
		if (rp[0] == '/')
			snprintf(cfg, sizeof(cfg), "%s", rp);
		else
			snprintf(cfg, sizeof(cfg), "%s/%s", abs, rp);
		if (!realpath(cfg, rootfs)) {
			snprintf(err, errlen, "bundle %s: root filesystem %s: %s", abs, cfg,
				 strerror(errno));
			json_decref(*base);
			*base = NULL;
			return -ENOENT;
		}
		return 0;
	}
	snprintf(cfg, sizeof(cfg), "%s/bin", abs);
	if (access(cfg, F_OK) != 0) {
		snprintf(err, errlen, "'%s' does not look like a root filesystem (no /bin) nor a "
			 "bundle (no config.json); make a busybox one with: burrow-mkrootfs DIR",
			 target);
		return -ENOENT;
	}
	if (strlen(abs) >= len)
		return -ENAMETOOLONG;
	strcpy(rootfs, abs);
	return 0;
}

static void join_words(char *out, size_t len, char *const *args, const char *dflt)
{
	size_t used = 0, i;

	out[0] = '\0';
	if (!args || !args[0]) {
		snprintf(out, len, "%s", dflt);
		return;
	}
	for (i = 0; args[i] && used + 1 < len; i++) {
		int n = snprintf(out + used, len - used, "%s%s", i ? " " : "", args[i]);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static int exit_code_for(const char *msg)
{
	if (strstr(msg, "not found") || strstr(msg, "No such file"))
		return EXIT_NOT_FOUND;
	if (strstr(msg, "ermission denied"))
		return EXIT_CANNOT_EXEC;
	return EXIT_BURROW;
}

/* remove what a failed start made: runtime state, network helper, record */
static void undo(struct ctr *c, int lockfd)
{
	char *del[] = { "delete", "--force", c->id, NULL };

	net_teardown(c);
	runtime_exec(c, del, NULL, NULL, 0);
	state_remove(c);
	lock_release(lockfd);
}

static int read_pid(const struct ctr *c)
{
	char path[PATH_MAX + 16];
	FILE *f = fopen(state_path(c, "pid", path, sizeof(path)), "re");
	int pid = 0;

	if (f) {
		if (fscanf(f, "%d", &pid) != 1)
			pid = 0;
		fclose(f);
	}
	return pid;
}

/* the namespaces config.json joins: user (rootless only) and network */
struct join_paths {
	const char *userns, *netns;
};

static int edit_join(json_t *cfg, const void *arg)
{
	const struct join_paths *j = arg;

	return spec_join(cfg, j->userns, j->netns);
}

static int edit_resolv(json_t *cfg, const void *arg)
{
	return spec_bind_resolv_conf(cfg, arg);
}

/* load the container's config.json, change it with @edit(@arg), write it back */
static int edit_config(const struct ctr *c, int (*edit)(json_t *cfg, const void *arg),
		       const void *arg, char *err, size_t errlen)
{
	char path[PATH_MAX + 16];
	json_t *cfg = json_load_file(state_path(c, "config.json", path, sizeof(path)), 0, NULL);
	int r;

	if (!cfg) {
		snprintf(err, errlen, "read %s failed", path);
		return -EIO;
	}
	r = edit(cfg, arg);
	if (r == 0 && json_dump_file(cfg, path, JSON_COMPACT))
		r = -EIO;
	json_decref(cfg);
	if (r < 0)
		snprintf(err, errlen, "write %s failed", path);
	return r;
}

/* point config.json at the holder's namespaces */
static int join_holder(const struct ctr *c, const struct nsholder *h, char *err, size_t errlen)
{
	char userns[64], netns[64];
	struct join_paths j = { .userns = c->rootless ? userns : NULL, .netns = netns };

	snprintf(userns, sizeof(userns), "/proc/%d/ns/user", (int)h->pid);
	snprintf(netns, sizeof(netns), "/proc/%d/ns/net", (int)h->pid);
	return edit_config(c, edit_join, &j, err, errlen);
}

/* slirp and pasta configure a namespace of ours; none and container: do not */
static int needs_helper(const struct ctr *c)
{
	return !strcmp(c->network, "slirp") || !strcmp(c->network, "pasta") ||
	       !strcmp(c->network, "slirp:bypass") ||
	       !strncmp(c->network, "bridge", 6);
}

/* the resolv.conf net_setup() wrote for a bridge, slirp or pasta network (in
 * @owner's folder: the container's, or its pod's) on the container's
 * /etc/resolv.conf */
static int bind_resolv(const struct ctr *c, const struct ctr *owner, char *err, size_t errlen)
{
	char rc[PATH_MAX + 16];

	if (!needs_helper(owner) ||
	    access(state_path(owner, "resolv.conf", rc, sizeof(rc)), F_OK))
		return 0;
	return edit_config(c, edit_resolv, rc, err, errlen);
}


/* --network container:REF: join the network (and, rootless, user) namespace
 * of another running container of ours */
static int join_container(const char *ref, json_t *cfg, int rootless_mode, char *err, size_t errlen)
{
	char userns[64], netns[64];
	struct ctr t;
	int r = state_find(ref, &t);

	if (r < 0) {
		snprintf(err, errlen, "--network container:%s: %s", ref,
			 r == -ENOTUNIQ ? "more than one container matches" : "no such container");
		return r;
	}
	if (state_status(&t, NULL) != CTR_RUNNING || !proc_alive(t.pid, t.pid_start)) {
		snprintf(err, errlen, "--network container:%s: container %s is not running", ref, t.id);
		return -ESRCH;
	}
	snprintf(userns, sizeof(userns), "/proc/%d/ns/user", (int)t.pid);
	snprintf(netns, sizeof(netns), "/proc/%d/ns/net", (int)t.pid);
	return spec_join(cfg, rootless_mode ? userns : NULL, netns);
}

/* start the namespace holder (in a user namespace with @maps when rootless)
 * and the network helper, and point config.json at the holder's namespaces;
 * nothing is left running on failure */
static int net_prepare(struct ctr *c, const struct userns_maps *maps, const struct port_fwd *fwd,
		       size_t nfwd, int persist, struct nsholder *holder, char *err, size_t errlen)
{
	int r = nsholder_start(&(struct nsholder_opts){ .what = "network namespace",
			       .maps = maps, .userns_fd = -1, .clone_flags = CLONE_NEWNET,
			       .life = persist ? NSHOLDER_DETACHED : NSHOLDER_WITH_CALLER },
			       holder, err, errlen);

	if (r == 0)
		r = join_holder(c, holder, err, errlen);
	if (r == 0)
		r = net_setup(c, holder->pid, !persist, fwd, nfwd, err, errlen);
	if (r == 0)
		r = bind_resolv(c, c, err, errlen);
	if (r < 0) {
		net_teardown(c);
		nsholder_stop(holder);
		return r;
	}
	state_save(c);
	return 0;
}

/* the container's init from the runtime's pid file, if it still runs */
static pid_t foreground_pid(struct ctr *c)
{
	if (!c->pid || !proc_alive(c->pid, c->pid_start)) {
		c->pid = read_pid(c);
		proc_start_time(c->pid, &c->pid_start);
	}
	return c->pid > 0 && proc_alive(c->pid, c->pid_start) ? c->pid : 0;
}

/* pass @sig to the container's init; while it has none yet, a stop signal
 * or SIGKILL goes to the runtime (which passes it on, or dies: *@hit_runtime
 * says so) and SIGUSR1/2 are dropped, as nothing could take them */
static void foreground_signal(struct ctr *c, const struct runtime_proc *rp, int sig,
			      int *hit_runtime)
{
	pid_t pid = foreground_pid(c);

	if (pid > 0 && kill(pid, sig) == 0)
		return;
	if (sig != SIGKILL && !sigproxy_is_stop(sig))
		return;
	kill(rp->pid, sig);
	*hit_runtime = 1;
}

/* act on one sigproxy_decide() or sigproxy_expire() verdict */
static void foreground_act(struct ctr *c, const struct runtime_proc *rp,
			   const struct sigproxy *sp, int act, int sig, int *hit_runtime)
{
	if (act == SIGPROXY_PASS) {
		foreground_signal(c, rp, sig, hit_runtime);
	} else if (act == SIGPROXY_KILL) {
		/* told while it happens, not once run_container() returns */
		if (sig)
			log_msg(LOG_LVL_ERROR, "SIG%s again: sending SIGKILL to container %s",
				sigabbrev_np(sig), c->id);
		else
			log_msg(LOG_LVL_ERROR, "container %s did not exit %d s after SIG%s: "
				"sending SIGKILL", c->id, sp->stop_timeout,
				sigabbrev_np(sp->stop_sig));
		foreground_signal(c, rp, SIGKILL, hit_runtime);
	}
}

/*
 * wait_foreground() - wait for the runtime's "run" to end (not reaping it),
 * passing the signals we get to the container as sigproxy_decide() says;
 * *@hit_runtime is set when a signal went to the runtime itself
 */
static void wait_foreground(struct ctr *c, const struct runtime_proc *rp, struct sigproxy *sp,
			    int runtime_in_our_pgrp, int *hit_runtime)
{
	struct signalfd_siginfo si;
	siginfo_t info;

	for (;;) {
		struct pollfd p = { .fd = sp->fd, .events = POLLIN };
		long long now;

		memset(&info, 0, sizeof(info));
		if (waitid(P_PID, rp->pid, &info, WEXITED | WNOHANG | WNOWAIT) < 0 ||
		    info.si_pid == rp->pid)
			return;
		if (poll(&p, 1, sigproxy_wait_ms(sp, (long long)clock_ms())) < 0 && errno != EINTR)
			return;
		now = (long long)clock_ms();
		foreground_act(c, rp, sp, sigproxy_expire(sp, now), 0, hit_runtime);
		while (read(sp->fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			int sig = (int)si.ssi_signo;
			int tty = runtime_in_our_pgrp && si.ssi_code == SI_KERNEL;

			foreground_act(c, rp, sp, sigproxy_decide(sp, sig, (pid_t)si.ssi_pid,
								   tty, now), sig, hit_runtime);
		}
	}
}

/* a stop signal got before the runtime started: its number, or 0 */
static int stop_pending(struct sigproxy *sp)
{
	struct signalfd_siginfo si;
	int stop = 0;

	while (read(sp->fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		if (!stop && sigproxy_is_stop((int)si.ssi_signo))
			stop = (int)si.ssi_signo;
	return stop;
}

/*
 * run_direct() - the foreground path: the network (if any) is set up on our
 * namespace holder first, then the runtime's own "run" creates, starts,
 * waits and deletes in one process.  Its exit status is the container's; a
 * failure of the runtime itself is told apart by the message it logs.
 * Signals we get go to the container (@sp, opened before the record was
 * made); a stop signal before the container starts ends the run there.
 * Return: exit code.
 */
static int run_direct(struct ctr *c, const struct userns_maps *maps, const struct port_fwd *fwd,
		      size_t nfwd, const int *stdio, int lockfd, struct sigproxy *sp, char *err,
		      size_t errlen)
{
	char errbuf[ERRLEN], pidfile[PATH_MAX + 16];
	char *run[] = { "run", "--bundle", c->dir, "--pid-file", pidfile, c->id, NULL };
	char *del[] = { "delete", "--force", c->id, NULL };
	struct nsholder holder = { .quit = -1 };
	struct overlay_holder root = { 0 };
	struct runtime_proc rp;
	int code, stop, hit_runtime = 0, share_pgrp;

	c->mon_pid = getpid();
	state_path(c, "pid", pidfile, sizeof(pidfile));
	if ((needs_helper(c) &&
	     net_prepare(c, maps, fwd, nfwd, 0, &holder, errbuf, sizeof(errbuf)) < 0) ||
	    overlay_prepare(c->dir, maps, &root, errbuf, sizeof(errbuf)) < 0) {
		snprintf(err, errlen, "%s", errbuf);
		nsholder_stop(&holder);
		undo(c, lockfd);
		return EXIT_BURROW;
	}
	stop = stop_pending(sp);
	if (stop) {
		nsholder_stop(&holder);
		overlay_stop(&root);
		undo(c, lockfd);
		return 128 + stop;
	}
	/* the runtime joins our process group only when the container reads
	 * our terminal (-t, or -i on one): then it gets the terminal's signals
	 * itself; else they come to us alone and we pass them on */
	share_pgrp = (c->tty || c->interactive) && isatty(stdio[0]);
	code = runtime_start(c, run, stdio, !share_pgrp, &rp);
	if (code == 0) {
		wait_foreground(c, &rp, sp, share_pgrp, &hit_runtime);
		code = runtime_finish(c, &rp, errbuf, sizeof(errbuf));
		hit_runtime |= rp.killed_by != 0;
	}
	nsholder_stop(&holder);
	overlay_stop(&root);
	if (code < 0 || (code != 0 && errbuf[0])) {
		if (code == -ENOENT) {
			snprintf(err, errlen, "OCI runtime %s not found: install it (apt-get "
				 "install %s)", c->runtime, c->runtime);
			code = EXIT_BURROW;
		} else if (code < 0) {
			snprintf(err, errlen, "%s run: %s", c->runtime, strerror(-code));
			code = EXIT_BURROW;
		} else {
			runtime_failure(c->runtime, "run", errbuf, err, errlen);
			code = exit_code_for(errbuf);
		}
		undo(c, lockfd);
		return code;
	}
	/* the runtime's "run" deleted its own state, unless a signal ended it */
	if (hit_runtime) {
		if (foreground_pid(c) > 0)
			kill(c->pid, SIGKILL);
		runtime_exec(c, del, NULL, NULL, 0);
	}
	state_write_exit(c, code);
	net_teardown(c);
	if (c->rm)
		state_remove(c);
	lock_release(lockfd);
	return code;
}

/* read the sync pipe message of burrow-mon: {"data": PID} or {"data": -1, "message": ...} */
static int read_sync(int fd, char *msg, size_t msglen)
{
	char buf[4096];
	size_t got = 0;
	json_t *j;
	int pid;

	for (;;) {
		ssize_t k = read(fd, buf + got, sizeof(buf) - 1 - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
		if (memchr(buf, '\n', got) || got >= sizeof(buf) - 1)
			break;
	}
	buf[got] = '\0';
	j = json_loads(buf, JSON_DISABLE_EOF_CHECK, NULL);
	if (!j) {
		snprintf(msg, msglen, "burrow-mon ended without reporting the container's PID");
		return -EIO;
	}
	pid = (int)json_integer_value(json_object_get(j, "data"));
	if (pid <= 0)
		snprintf(msg, msglen, "%s", json_string_value(json_object_get(j, "message")) ?:
			 "burrow-mon: the runtime failed");
	json_decref(j);
	return pid > 0 ? pid : -EIO;
}

/*
 * run_mon() - the detached path with burrow-mon as the container's
 * supervisor: the network is set up on a namespace holder that outlives us,
 * burrow-mon runs the runtime's create and keeps the container's stdio, log
 * and exit code; we start the container and return.  When it exits,
 * burrow-mon runs `burrow cleanup DIR` (cmd_cleanup()).
 */
static int run_mon(struct ctr *c, const char *mon, const struct userns_maps *maps,
		   const struct port_fwd *fwd, size_t nfwd, int lockfd, char *err, size_t errlen)
{
	char errbuf[ERRLEN], msg[ERRLEN + 600], self[PATH_MAX], bin[PATH_MAX];
	char pidfile[PATH_MAX + 16], monpid[PATH_MAX + 16], logarg[PATH_MAX + 32];
	char syncenv[32], startenv[32];
	char *start[] = { "start", c->id, NULL };
	struct nsholder holder = { .quit = -1 };
	struct overlay_holder root = { 0 };
	int syncp[2] = { -1, -1 }, startp[2] = { -1, -1 }, status, code = EXIT_BURROW, r;
	const char *argv[48];
	size_t n = 0;
	pid_t child;
	FILE *f;

	r = proc_self_exe(self, sizeof(self));
	if (r < 0 || find_program(c->runtime, bin, sizeof(bin)) < 0) {
		snprintf(msg, sizeof(msg), "cannot find %s", r < 0 ? "/proc/self/exe" : c->runtime);
		goto fail;
	}
	if ((needs_helper(c) &&
	     net_prepare(c, maps, fwd, nfwd, 1, &holder, errbuf, sizeof(errbuf)) < 0) ||
	    overlay_prepare(c->dir, maps, &root, errbuf, sizeof(errbuf)) < 0) {
		snprintf(msg, sizeof(msg), "%s", errbuf);
		goto fail;
	}
	c->holder_pid = holder.pid;
	c->holder_start = holder.start;
	r = state_save(c);
	if (r < 0) {
		snprintf(msg, sizeof(msg), "write %s/state.json: %s", c->dir, strerror(-r));
		goto fail;
	}
	/* recorded: the holder outlives us from now on */
	if (nsholder_commit(&holder) < 0) {
		snprintf(msg, sizeof(msg), "network namespace holder %d exited", (int)holder.pid);
		goto fail;
	}

	state_path(c, "pid", pidfile, sizeof(pidfile));
	state_path(c, "mon.pid", monpid, sizeof(monpid));
	snprintf(logarg, sizeof(logarg), "k8s-file:%s/ctr.log", c->dir);
	r = opt_argv_add(argv, ARRAY_SIZE(argv), &n, mon, "--api-version", "1",
			 "-c", c->id, "-u", c->id, "-n", c->name, "-r", bin, "-b", c->dir,
			 "-p", pidfile, "-l", logarg, "--exit-dir", c->dir,
			 "--conmon-pidfile", monpid,
			 "--runtime-arg", "--root", "--runtime-arg", c->runtime_root, NULL);
	if (!r && c->rootless && !strcmp(c->runtime, "crun"))
		r = opt_argv_add(argv, ARRAY_SIZE(argv), &n,
				 "--runtime-arg", "--cgroup-manager=disabled", NULL);
	if (!r && c->tty)
		r = opt_argv_add(argv, ARRAY_SIZE(argv), &n, "-t", NULL);
	/* stdin for `burrow attach`: always with a terminal (run -d -t, then
	 * attach, is an interactive terminal), with -i otherwise */
	if (!r && (c->tty || c->interactive))
		r = opt_argv_add(argv, ARRAY_SIZE(argv), &n, "-i", NULL);
	if (!r)
		r = opt_argv_add(argv, ARRAY_SIZE(argv), &n, "--exit-command", self,
				 "--exit-command-arg", "cleanup", "--exit-command-arg", c->dir,
				 NULL);
	if (r < 0) {
		snprintf(msg, sizeof(msg), "burrow-mon: too many arguments");
		goto fail;
	}

	if (pipe2(syncp, O_CLOEXEC) < 0 || pipe2(startp, O_CLOEXEC) < 0) {
		snprintf(msg, sizeof(msg), "pipe(): %s", strerror(errno));
		goto fail;
	}
	child = fork();
	if (child < 0) {
		snprintf(msg, sizeof(msg), "fork(): %s", strerror(errno));
		goto fail;
	}
	if (child == 0) {
		int s = fcntl(syncp[1], F_DUPFD, 3), t = fcntl(startp[0], F_DUPFD, 3);

		snprintf(syncenv, sizeof(syncenv), "%d", s);
		snprintf(startenv, sizeof(startenv), "%d", t);
		setenv("_OCI_SYNCPIPE", syncenv, 1);
		setenv("_OCI_STARTPIPE", startenv, 1);
		execv(mon, (char *const *)argv);
		_exit(127);
	}
	close(syncp[1]);
	close(startp[0]);
	syncp[1] = startp[0] = -1;
	/* nothing to do before it may go: no cgroup of our own to move it to */
	if (write(startp[1], "0", 1) != 1) {
		snprintf(msg, sizeof(msg), "burrow-mon did not start");
		goto fail_mon;
	}
	close(startp[1]);
	startp[1] = -1;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	c->pid = read_sync(syncp[0], errbuf, sizeof(errbuf));
	if (c->pid < 0) {
		runtime_failure(c->runtime, "create", errbuf, msg, sizeof(msg));
		code = exit_code_for(errbuf);
		c->pid = 0;
		goto fail_mon;
	}
	proc_start_time(c->pid, &c->pid_start);
	f = fopen(monpid, "re");
	if (f) {
		if (fscanf(f, "%d", &c->mon_pid) != 1)
			c->mon_pid = 0;
		fclose(f);
	}
	proc_start_time(c->mon_pid, &c->mon_start);
	state_save(c);
	if (runtime_exec(c, start, NULL, errbuf, sizeof(errbuf)) != 0) {
		snprintf(msg, sizeof(msg), "%s start failed: %s", c->runtime, runtime_last_line(errbuf));
		code = exit_code_for(msg);
		goto fail_mon;
	}
	close(syncp[0]);
	/* the container holds its mount namespace now */
	overlay_stop(&root);
	/* the holder outlives us: committed above, there is nothing to stop */
	close(lockfd);
	return 0;

fail_mon:
	/* burrow-mon runs `burrow cleanup`, which waits for our lock: undo first */
	if (c->pid > 0 && proc_alive(c->pid, c->pid_start))
		kill(c->pid, SIGKILL);
fail:
	for (int i = 0; i < 2; i++) {
		if (syncp[i] >= 0)
			close(syncp[i]);
		if (startp[i] >= 0)
			close(startp[i]);
	}
	nsholder_stop(&holder);
	overlay_stop(&root);
	snprintf(err, errlen, "%s", msg);
	undo(c, lockfd);
	return code;
}

/* run IMAGE: find or pull the image, take its config into @io, a copy of
 * *@o, and point *@o at it; @ir holds what @io's strings may point into */
static int image_target(const struct run_opts **o, struct run_opts *io,
			struct imagerun_opts *ir, char *store, size_t storelen,
			struct image *img, char *err, size_t errlen)
{
	struct userns_maps m;
	int r = 0;

	_Static_assert(IMAGERUN_MAX_ENV == RUN_MAX_ENV && IMAGERUN_MAX_PORTS == NET_MAX_PORTS,
		       "imagerun.h and run.h disagree on their limits");
	*io = **o;
	*ir = (struct imagerun_opts){ .target = io->target, .pull = io->pull,
		.tls_no_verify = io->tls_no_verify, .publish_all = io->publish_all,
		.user_set = io->user_set, .args = io->args, .nenv = io->nenv,
		.workdir = io->workdir, .uid = io->uid, .gid = io->gid, .nports = io->nports,
		.layer_note = io->layer_note };
	memcpy(ir->env, io->env, sizeof(ir->env));
	memcpy(ir->ports, io->ports, sizeof(ir->ports));
	if (rootless())
		r = spec_rootless_maps(&m, err, errlen);
	if (r == 0)
		r = imagerun_resolve(ir, rootless() ? &m : NULL, store, storelen, img, err, errlen);
	if (r == 0)
		r = imagerun_apply(ir, store, img, err, errlen);
	io->args = ir->args;
	memcpy(io->env, ir->env, sizeof(io->env));
	io->nenv = ir->nenv;
	io->workdir = ir->workdir;
	io->uid = ir->uid;
	io->gid = ir->gid;
	memcpy(io->ports, ir->ports, sizeof(io->ports));
	io->nports = ir->nports;
	*o = io;
	return r;
}

/* --network host: no -p (the host's own ports are the container's); other
 * modes: net_mode_check() */
static int run_host_network_check(const char *mode, size_t nports, char *err, size_t errlen)
{
	if (strcmp(mode, "host"))
		return net_mode_check(mode, nports, err, errlen);
	if (nports) {
		snprintf(err, errlen, "-p with --network host: the container uses the host's "
			 "network and ports directly, there is nothing to forward");
		return -EINVAL;
	}
	return 0;
}

/* what run options add to the built config: limits, the host's network, and
 * the record's command line from the config (a bundle's own) */
static int run_config_extras(struct ctr *c, const struct run_opts *o, json_t *cfg,
			     char *err, size_t errlen)
{
	if (limits_apply(cfg, &o->limits) < 0 ||
	    (!strcmp(c->network, "host") &&
	     (spec_host_network(cfg) < 0 ||
	      spec_bind_resolv_conf(cfg, net_host_resolv_path()) < 0))) {
		snprintf(err, errlen, "config.json: out of memory or no linux.namespaces");
		return -ENOMEM;
	}
	inspect_command_line(cfg, c->command, sizeof(c->command));
	return 0;
}

int run_container(const struct run_opts *o, char *id, size_t idlen, char *err, size_t errlen)
{
	char rootfs[PATH_MAX], cfgpath[PATH_MAX + 16], bin[PATH_MAX], mon[PATH_MAX];
	struct port_fwd fwd[NET_MAX_PORTS];
	struct spec_opts so = { 0 };
	struct sigproxy sp = { .fd = -1 };
	struct userns_maps maps;
	struct ctr c = { .net_exitfd = -1 };
	json_t *base = NULL, *cfg;
	int lockfd = -1, r, stdio[3] = { 0, 1, 2 }, nul = -1, is_image = image_is_ref(o->target);
	struct image img;
	struct run_opts io;		/* IMAGE: @o with the image's config */
	struct imagerun_opts ir;	/* what io's strings may point into */
	char store[PATH_MAX];
	size_t i;

	/* the name becomes a table row, a word on burrow-mon's command line
	 * and a journald field: lib/name's rule, and never an ID's look-alike */
	if (o->name && name_check("container name", o->name, sizeof(c.name), NAME_NOT_HEX,
				  err, errlen) < 0)
		goto fail;
	if (is_image && image_target(&o, &io, &ir, store, sizeof(store), &img, err,
				     errlen) < 0)
		goto fail;
	if (!is_image && o->publish_all) {
		snprintf(err, errlen, "-P publishes an image's ExposedPorts: %s is a root "
			 "filesystem, publish with -p HOST:CTR", o->target);
		goto fail;
	}

	snprintf(c.network, sizeof(c.network), "%s", o->network ? o->network :
		 net_default_mode(o->nports));
	if (run_host_network_check(c.network, o->nports, err, errlen) < 0 ||
	    limits_check_host(&o->limits, rootless(), err, errlen) < 0)
		goto fail;
	for (i = 0; i < o->nports; i++) {
		if (portspec_parse(o->ports[i], &fwd[i], err, errlen) < 0)
			goto fail;
		if (net_port_free(&fwd[i], err, errlen) < 0)
			goto fail;
		snprintf(c.ports + strlen(c.ports), sizeof(c.ports) - strlen(c.ports), "%s%s",
			 i ? "," : "", o->ports[i]);
	}
	snprintf(c.runtime, sizeof(c.runtime), "%s", o->runtime ? o->runtime : "crun");
	if (strcmp(c.runtime, "crun") && strcmp(c.runtime, "runc")) {
		snprintf(err, errlen, "unknown runtime '%s': expected crun or runc", c.runtime);
		goto fail;
	}
	if (find_program(c.runtime, bin, sizeof(bin)) < 0) {
		snprintf(err, errlen, "OCI runtime %s not found: install it (apt-get install "
			 "%s) or choose the other one with --runtime %s", c.runtime, c.runtime,
			 strcmp(c.runtime, "crun") ? "crun" : "runc");
		goto fail;
	}
	/* burrow-mon is the only supervisor of a detached container */
	if (o->detach && find_program("burrow-mon", mon, sizeof(mon)) < 0) {
		snprintf(err, errlen, "-d needs burrow-mon, the container's supervisor: it "
			 "is not installed next to burrow nor in PATH (build it with make conmon, "
			 "install it with make install)");
		goto fail;
	}
	if (o->tty && !o->detach && !isatty(0)) {
		snprintf(err, errlen, "-t: the input device is not a terminal "
			 "(run without -t, or from a terminal)");
		goto fail;
	}
	if (is_image)	/* root.path becomes the overlay's merged folder */
		snprintf(rootfs, sizeof(rootfs), "%s", store);
	else if (resolve_target(o->target, rootfs, sizeof(rootfs), &base, err, errlen) < 0)
		goto fail;
	c.rootless = rootless();
	if (c.rootless && spec_rootless_maps(&maps, err, errlen) < 0)
		goto fail;
	snprintf(bin, sizeof(bin), "runtime/%s", c.runtime);
	r = statedir_path(bin, c.runtime_root, sizeof(c.runtime_root));
	if (r < 0) {
		snprintf(err, errlen, "state directory: %s", strerror(-r));
		goto fail;
	}
	snprintf(c.rootfs, sizeof(c.rootfs), "%s", is_image ? img.name : rootfs);
	snprintf(c.name, sizeof(c.name), "%s", o->name ? o->name : "");
	join_words(c.command, sizeof(c.command), o->args, "/bin/sh");
	c.rm = o->rm;
	c.stop_timeout = o->stop_timeout;
	c.detach = o->detach;
	c.tty = o->tty;
	c.interactive = o->interactive;

	so.rootfs = rootfs;
	so.base = base;
	so.args = o->args;
	so.env = o->env;
	so.nenv = o->nenv;
	so.volumes = o->volumes;
	so.nvolumes = o->nvolumes;
	so.workdir = o->workdir;
	so.uid = o->uid;
	so.gid = o->gid;
	so.hostname = o->hostname;
	so.terminal = o->tty;
	so.maps = c.rootless ? &maps : NULL;
	cfg = spec_build(&so, err, errlen);
	if (!cfg)
		goto fail;
	if (run_config_extras(&c, o, cfg, err, errlen) < 0) {
		json_decref(cfg);
		goto fail;
	}
	if (!strncmp(c.network, "container:", 10) &&
	    join_container(c.network + 10, cfg, c.rootless, err, errlen) < 0) {
		json_decref(cfg);
		goto fail;
	}
	if (!strncmp(c.network, "pod:", 4) &&
	    pod_join(c.network + 4, cfg, c.rootless, err, errlen) < 0) {
		json_decref(cfg);
		goto fail;
	}

	/* from the record on, a foreground run holds the signals it passes to
	 * the container: one that comes while we set up ends the run there */
	r = o->detach ? 0 : sigproxy_open(&sp, o->stop_timeout);
	if (r < 0) {
		snprintf(err, errlen, "signalfd(): %s", strerror(-r));
		json_decref(cfg);
		goto fail;
	}
	if (state_new(&c, &lockfd, err, errlen) < 0) {
		sigproxy_close(&sp);
		json_decref(cfg);
		goto fail;
	}
	if (!strcmp(c.network, "slirp:bypass") &&
	    spec_seccomp_listener(cfg, state_path(&c, "bypass.sock", cfgpath, sizeof(cfgpath)),
				  err, errlen) < 0) {
		json_decref(cfg);
		undo(&c, lockfd);
		goto fail;
	}
	if (is_image && overlay_record(c.dir, store, &img, err, errlen) < 0) {
		json_decref(cfg);
		undo(&c, lockfd);
		sigproxy_close(&sp);
		goto fail;
	}
	state_path(&c, "config.json", cfgpath, sizeof(cfgpath));
	r = json_dump_file(cfg, cfgpath, JSON_COMPACT);
	json_decref(cfg);
	json_decref(base);
	base = NULL;
	if (r) {
		snprintf(err, errlen, "write %.1024s failed", cfgpath);
		undo(&c, lockfd);
		sigproxy_close(&sp);
		goto fail;
	}
	if (o->detach) {
		r = run_mon(&c, mon, so.maps, fwd, o->nports, lockfd, err, errlen);
		if (r == 0)
			snprintf(id, idlen, "%s", c.id);
		return r;
	}
	if (!o->interactive && !o->tty) {
		nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
		stdio[0] = nul;
	}
	/* the signals stay blocked until we exit: one that comes while we
	 * clean up after the container must not end us half-way */
	r = run_direct(&c, so.maps, fwd, o->nports, stdio, lockfd, &sp, err, errlen);
	if (nul >= 0)
		close(nul);
	return r;
fail:
	json_decref(base);
	return EXIT_BURROW;
}
