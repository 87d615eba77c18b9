// SPDX-License-Identifier: GPL-2.0-or-later
/* mon.c - burrow-mon's supervisor: one epoll loop, no threads, fixed buffers */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attach.h"
#include "console.h"
#include "ctl.h"
#include "exit.h"
#include "input.h"
#include "log.h"
#include "logging.h"
#include "mon.h"
#include "notify.h"
#include "proc.h"
#include "runtime.h"

#define MON_READ_BUF	(64 * 1024)
#define MON_PIPE_SIZE	(1024 * 1024)

/* epoll tags: kind in the high 32 bits, attach client slot in the low ones */
enum mon_ev {
	EV_SIGNAL = 1, EV_STDOUT, EV_STDERR, EV_ATTACH, EV_CLIENT, EV_CTL,
	EV_WINSZ, EV_TIMER, EV_CONSOLE, EV_STDIN, EV_NOTIFY,
};

struct mon {
	const struct mon_opts *o;
	const char *bundle;
	const char *pidfile;
	int ep;
	int sigfd;
	int sync_fd;
	int start_fd;
	int attach_pipe_fd;
	int out_fd;		/* container stdout (pipe) or pty master */
	int err_fd;		/* container stderr (pipe), -1 with a terminal */
	int master;		/* pty master, -1 without a terminal */
	int timer_fd;
	int passthrough;
	int saved_stdio[3];
	pid_t runtime_pid;
	pid_t cpid;
	int cstatus;
	int exited;
	struct log_writer log;
	struct attach_srv att;
	struct ctl_fifo ctl;
	struct ctl_fifo winsz;
	struct console_sock cons;
	struct oom_watch oom;
	struct input_buf in;	/* container stdin: our pipe end or a dup of the pty master */
	int input_paused;	/* bytes wait for the container: clients are not read */
	int pass_fds;		/* descriptors 3..3+N-1 are the runtime's */
	int listen_ours;	/* LISTEN_FDS/LISTEN_PID go to the runtime */
	struct notify_relay notify;	/* --sdnotify-socket */
};

static struct mon M;

/* Per stream: output read but not yet logged (an unfinished line) */
struct mon_line_buf {
	size_t len;
	char buf[MON_READ_BUF];
};
static struct mon_line_buf mon_lines[2];	/* LOG_STDOUT, LOG_STDERR */

/* A descriptor number from the environment, or -1 */
static int mon_env_fd(const char *name)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	v = strtol(s, &end, 10);
	if (*end || v < 0 || v > INT_MAX || fcntl((int)v, F_GETFD) < 0) {
		warn("%s=%s: not an open descriptor", name, s);
		return -1;
	}
	fcntl((int)v, F_SETFD, FD_CLOEXEC);
	return (int)v;
}

/* Write our PID (or @pid) to @path */
static void mon_write_pidfile(const char *path, pid_t pid)
{
	char tmp[PATH_MAX], text[24];
	int fd, len;

	if (!path)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	len = snprintf(text, sizeof(text), "%d", (int)pid);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, (size_t)len) != len || rename(tmp, path) < 0)
		err("write(%s): %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static int mon_ep_add(int fd, enum mon_ev ev, uint32_t slot)
{
	struct epoll_event e = { .events = EPOLLIN, .data.u64 = ((uint64_t)ev << 32) | slot };

	if (epoll_ctl(M.ep, EPOLL_CTL_ADD, fd, &e) < 0) {
		err("epoll_ctl(ADD %d): %s", fd, strerror(errno));
		return -errno;
	}
	return 0;
}

/* Read what a signal-free block on the start pipe gives (the caller's go) */
static void mon_wait_start(void)
{
	char buf[256];
	ssize_t n;

	do
		n = read(M.start_fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		warn("read(start pipe): %s", strerror(errno));
}

/* Make the pipes the container's stdio come through; returns the runtime's ends */
static int mon_setup_stdio(int child[3])
{
	int p[2];

	child[0] = child[1] = child[2] = -1;
	M.out_fd = M.err_fd = M.in.fd = M.master = -1;
	if (M.passthrough) {
		memcpy(child, M.saved_stdio, sizeof(M.saved_stdio));
		return 0;
	}
	if (M.o->stdin_open && !M.o->terminal) {
		if (pipe2(p, O_CLOEXEC) < 0)
			return -errno;
		child[0] = p[0];
		M.in.fd = p[1];
		fcntl(M.in.fd, F_SETFL, O_NONBLOCK);
	} else {
		child[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	}
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	M.out_fd = p[0];
	child[1] = p[1];
	fcntl(M.out_fd, F_SETPIPE_SZ, MON_PIPE_SIZE);
	fcntl(M.out_fd, F_SETFL, O_NONBLOCK);
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	M.err_fd = p[0];
	child[2] = p[1];
	fcntl(M.err_fd, F_SETFL, O_NONBLOCK);
	return 0;
}

/* Read what is there from a non-blocking descriptor into @buf (NUL-terminated) */
static size_t mon_read_some(int fd, char *buf, size_t len)
{
	ssize_t n;

	if (fd < 0 || len < 2)
		return 0;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return (size_t)n;
}

/* Tell the caller the start failed, with the runtime's own words if any */
static int mon_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int mon_fail(const char *fmt, ...)
{
	char msg[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err("%s", msg);
	console_close(&M.cons);
	sync_send(M.sync_fd, -1, msg);
	if (M.attach_pipe_fd >= 0)
		sync_send(M.attach_pipe_fd, -1, msg);
	return 1;
}

/* Run the runtime's create (or exec) and wait for it, taking the console */
static int mon_run_runtime(int child[3])
{
	const char *argv[RUNTIME_ARGV_MAX];
	struct epoll_event ev[4];
	int status = 0, done = 0, r;

	r = runtime_build_argv(M.o, M.o->terminal ? M.cons.path : NULL, argv, RUNTIME_ARGV_MAX);
	if (r < 0)
		return mon_fail("runtime command line too long");
	M.runtime_pid = runtime_spawn(argv, child[0], child[1], child[2], M.pass_fds,
				      M.listen_ours);
	if (M.runtime_pid < 0)
		return mon_fail("fork(%s): %s", M.o->runtime, strerror(-M.runtime_pid));
	if (!M.passthrough) {
		int i;

		for (i = 0; i < 3; i++)
			if (child[i] >= 0)
				close(child[i]);
	}
	if (M.o->terminal)
		mon_ep_add(M.cons.listen_fd, EV_CONSOLE, 0);
	while (!done) {
		int n = epoll_wait(M.ep, ev, 4, -1), i;

		if (n < 0 && errno != EINTR)
			return mon_fail("epoll_wait: %s", strerror(errno));
		for (i = 0; i < n; i++) {
			enum mon_ev kind = (enum mon_ev)(ev[i].data.u64 >> 32);
			struct signalfd_siginfo si;

			if (kind == EV_CONSOLE && M.master < 0) {
				M.master = console_receive(&M.cons, 0);
				if (M.master >= 0 || M.master != -EAGAIN)
					epoll_ctl(M.ep, EPOLL_CTL_DEL, M.cons.listen_fd, NULL);
			} else if (kind == EV_SIGNAL) {
				if (read(M.sigfd, &si, sizeof(si)) != sizeof(si))
					continue;
				if (si.ssi_signo != SIGCHLD) {
					kill(M.runtime_pid, SIGKILL);
					continue;
				}
				if (waitpid(M.runtime_pid, &status, WNOHANG) == M.runtime_pid)
					done = 1;
			}
		}
	}
	/* the runtime passed them on (or failed): they are not ours to hold */
	if (M.pass_fds > 0)
		syscall(SYS_close_range, 3U, 3U + (unsigned)M.pass_fds - 1, 0U);
	if (M.o->terminal && M.master < 0) {
		M.master = console_receive(&M.cons, 0);
		if (M.o->terminal && M.cons.listen_fd >= 0)
			epoll_ctl(M.ep, EPOLL_CTL_DEL, M.cons.listen_fd, NULL);
	}
	if (M.o->terminal)
		console_close(&M.cons);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		char msg[2048];

		if (!mon_read_some(M.err_fd, msg, sizeof(msg)) &&
		    !mon_read_some(M.out_fd, msg, sizeof(msg)))
			snprintf(msg, sizeof(msg), "%s %s failed: exit status %d", M.o->runtime,
				 M.o->exec ? "exec" : "create", exit_code_from_status(status));
		return mon_fail("%s", msg);
	}
	return 0;
}

/* The epoll events an attach client is watched for: none while its input
 * has ended, or while the container has not taken the last input yet (the
 * client is back-pressured: its socket buffer fills and its sends block);
 * a hang-up is reported either way */
static uint32_t mon_client_events(int slot)
{
	return M.att.input_done[slot] || M.input_paused ? 0 : EPOLLIN;
}

static void mon_client_watch(int slot)
{
	struct epoll_event e = { .events = mon_client_events(slot),
		.data.u64 = ((uint64_t)EV_CLIENT << 32) | (uint32_t)slot };

	if (M.att.clients[slot] >= 0)
		epoll_ctl(M.ep, EPOLL_CTL_MOD, M.att.clients[slot], &e);
}

/* Watch a newly accepted client (not for input while input waits) */
static void mon_client_add(int slot)
{
	struct epoll_event e = { .events = mon_client_events(slot),
		.data.u64 = ((uint64_t)EV_CLIENT << 32) | (uint32_t)slot };

	if (epoll_ctl(M.ep, EPOLL_CTL_ADD, M.att.clients[slot], &e) < 0) {
		warn("epoll_ctl(ADD attach client): %s", strerror(errno));
		attach_drop(&M.att, slot);
	}
}

/* Stop (or resume) reading attach clients while stdin input waits */
static void mon_input_pause(int paused)
{
	struct epoll_event e = { .events = EPOLLOUT, .data.u64 = (uint64_t)EV_STDIN << 32 };
	int i;

	if (M.input_paused == paused)
		return;
	M.input_paused = paused;
	if (M.in.fd >= 0)
		epoll_ctl(M.ep, paused ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, M.in.fd, &e);
	for (i = 0; i < ATTACH_MAX_CLIENTS; i++)
		mon_client_watch(i);
}

static void mon_input_close(void);

/* After a write to stdin: wait for the container to read, or report the loss */
static void mon_input_result(int r)
{
	if (r == 1) {
		mon_input_pause(1);
		return;
	}
	mon_input_pause(0);
	if (r < 0) {
		/* the container closed its stdin: later input has nowhere to go */
		warn("write(container stdin): %s: input dropped, stdin closed", strerror(-r));
		mon_input_close();
	}
}

/* Close the container's stdin (its input ended), dropping what still waits */
static void mon_input_close(void)
{
	if (M.in.fd < 0)
		return;
	mon_input_pause(0);
	if (input_pending(&M.in))
		warn("container stdin closed with %zu bytes it did not read", input_pending(&M.in));
	input_discard(&M.in);
	close(M.in.fd);
	M.in.fd = -1;
}

/* Log the unfinished line of @stream as a partial one */
static void mon_flush_partial(enum log_stream stream)
{
	struct mon_line_buf *lb = &mon_lines[stream];

	if (lb->len)
		log_writer_write(&M.log, stream, lb->buf, lb->len);
	lb->len = 0;
}

/*
 * One read from the container's stdout/stderr.  Attach clients get the bytes
 * at once; the log gets whole lines, the unfinished tail waits for the next
 * read (or for mon_flush_partial() when the buffer is full or output idles).
 * Returns bytes read, 0 at end of file, -1 when nothing was there.
 */
static ssize_t mon_pump(int *fd, enum log_stream stream)
{
	struct mon_line_buf *lb = &mon_lines[stream];
	ssize_t n = read(*fd, lb->buf + lb->len, sizeof(lb->buf) - lb->len);

	if (n > 0) {
		char *start = lb->buf + lb->len, *nl;

		if (M.att.listen_fd >= 0)
			attach_broadcast(&M.att, stream == LOG_STDERR ? ATTACH_STDERR : ATTACH_STDOUT,
					 start, (size_t)n);
		lb->len += (size_t)n;
		nl = memrchr(start, '\n', (size_t)n);
		if (nl) {
			size_t whole = (size_t)(nl - lb->buf) + 1;

			log_writer_write(&M.log, stream, lb->buf, whole);
			lb->len -= whole;
			memmove(lb->buf, lb->buf + whole, lb->len);
		} else if (lb->len == sizeof(lb->buf)) {
			mon_flush_partial(stream);	/* a line longer than the buffer */
		}
		return n;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return -1;
	/* EOF, or EIO on a pty whose other side is closed */
	mon_flush_partial(stream);
	epoll_ctl(M.ep, EPOLL_CTL_DEL, *fd, NULL);
	if (*fd != M.master)
		close(*fd);
	*fd = -1;
	return 0;
}

static void mon_ctl_cb(const struct ctl_msg *m, void *arg)
{
	(void)arg;
	if (m->type == CTL_WINDOW_RESIZE) {
		if (M.master >= 0 && console_resize(M.master, (unsigned)m->a, (unsigned)m->b) < 0)
			warn("ioctl(TIOCSWINSZ): %s", strerror(errno));
	} else if (m->type == CTL_REOPEN_LOG) {
		log_writer_reopen(&M.log);
	} else {
		warn("control message type %d not known", m->type);
	}
}

/* A client's input ended (shutdown(SHUT_WR) or hang-up): without a
 * terminal and unless --leave-stdin-open, the container's stdin ends too */
static void mon_client_input_end(int slot)
{
	M.att.input_done[slot] = 1;
	mon_client_watch(slot);
	if (M.master < 0 && M.o->stdin_open && !M.o->leave_stdin_open)
		mon_input_close();
}

/* Input from an attach client, or its departure.  Never blocks: input the
 * container does not take at once waits in M.in and the clients are not
 * read until it is gone. */
static void mon_client(int slot, uint32_t events)
{
	ssize_t n;

	if (M.input_paused) {
		/* not reading input now: only a hang-up gets here */
		if (events & (EPOLLHUP | EPOLLERR)) {
			if (!M.att.input_done[slot])
				mon_client_input_end(slot);
			attach_drop(&M.att, slot);
		}
		return;
	}
	n = read(M.att.clients[slot], M.in.buf, sizeof(M.in.buf));
	if (n > 0) {
		if (M.in.fd < 0)
			return;		/* stdin closed: nowhere to go */
		M.in.off = 0;
		M.in.len = (size_t)n;
		mon_input_result(input_flush(&M.in));
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0 || M.att.input_done[slot]) {
		/* an error, or the hang-up after its input had ended */
		attach_drop(&M.att, slot);
		return;
	}
	/* end of its input (shutdown(SHUT_WR)): it may still read output;
	 * keep it, and wait only for its hang-up */
	mon_client_input_end(slot);
}

/* The container's stdin can take more: write what waits, resume the clients */
static void mon_stdin_writable(void)
{
	mon_input_result(input_flush(&M.in));
}

/* Reap children; note the container's status */
static void mon_reap(void)
{
	int status;
	pid_t p;

	while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
		if (p == M.cpid) {
			M.cstatus = status;
			M.exited = 1;
		}
	}
}

/* The supervision loop: until the container exits (or we are told to go) */
static int mon_loop(void)
{
	struct epoll_event ev[32];

	while (!M.exited) {
		/* an unfinished line is logged as partial once output pauses */
		int idle = mon_lines[LOG_STDOUT].len || mon_lines[LOG_STDERR].len ? 100 : -1;
		int n = epoll_wait(M.ep, ev, 32, idle), i;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err("epoll_wait: %s", strerror(errno));
			return -1;
		}
		if (n == 0) {
			mon_flush_partial(LOG_STDOUT);
			mon_flush_partial(LOG_STDERR);
		}
		for (i = 0; i < n; i++) {
			enum mon_ev kind = (enum mon_ev)(ev[i].data.u64 >> 32);
			uint32_t slot = (uint32_t)ev[i].data.u64;
			struct signalfd_siginfo si;
			uint64_t ticks;
			int c;

			switch (kind) {
			case EV_STDOUT:
				if (M.out_fd >= 0)
					mon_pump(&M.out_fd, LOG_STDOUT);
				break;
			case EV_STDERR:
				if (M.err_fd >= 0)
					mon_pump(&M.err_fd, LOG_STDERR);
				break;
			case EV_ATTACH:
				c = attach_accept(&M.att);
				if (c >= 0)
					mon_client_add(c);
				break;
			case EV_CLIENT:
				if (slot < ATTACH_MAX_CLIENTS && M.att.clients[slot] >= 0)
					mon_client((int)slot, ev[i].events);
				break;
			case EV_STDIN:
				mon_stdin_writable();
				break;
			case EV_NOTIFY:
				notify_relay_pending(&M.notify);
				break;
			case EV_CTL:
				ctl_read(&M.ctl, mon_ctl_cb, NULL);
				break;
			case EV_WINSZ:
				ctl_read(&M.winsz, mon_ctl_cb, NULL);
				break;
			case EV_TIMER:
				if (read(M.timer_fd, &ticks, sizeof(ticks)) > 0) {
					warn("container %s: timeout of %d s reached, killing it",
					     M.o->cid, M.o->timeout);
					kill(M.cpid, SIGKILL);
				}
				break;
			case EV_SIGNAL:
				if (read(M.sigfd, &si, sizeof(si)) != sizeof(si))
					break;
				if (si.ssi_signo == SIGCHLD) {
					mon_reap();
				} else {
					/* leave the container running, unsupervised */
					warn("signal %d: exiting, container %s keeps running",
					     (int)si.ssi_signo, M.o->cid);
					return 1;
				}
				break;
			default:
				break;
			}
		}
	}
	return 0;
}

/* Accept every attach client already waiting (they must see all output) */
static void mon_accept_pending(void)
{
	int c;

	if (M.att.listen_fd < 0)
		return;
	while ((c = attach_accept(&M.att)) >= 0)
		mon_client_add(c);
}

/* After the exit: take the rest of the output still in the pipes */
static void mon_drain(void)
{
	int rounds;

	mon_accept_pending();

	for (rounds = 0; rounds < 100000 && (M.out_fd >= 0 || M.err_fd >= 0); rounds++) {
		ssize_t a = M.out_fd >= 0 ? mon_pump(&M.out_fd, LOG_STDOUT) : 0;
		ssize_t b = M.err_fd >= 0 ? mon_pump(&M.err_fd, LOG_STDERR) : 0;

		if (a < 0 && b < 0)
			break;
		if ((a < 0 && M.err_fd < 0) || (b < 0 && M.out_fd < 0))
			break;
	}
	mon_flush_partial(LOG_STDOUT);
	mon_flush_partial(LOG_STDERR);
}

static int mon_setup_signals(void)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	M.sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (M.sigfd < 0)
		return -errno;
	return mon_ep_add(M.sigfd, EV_SIGNAL, 0);
}

/* Descriptors the caller handed down without telling us what they are:
 * held until the container exits, then closed, as conmon does.  Podman
 * relies on it: the write end of slirp4netns's --exit-fd pipe and of
 * rootlessport's sync pipe, and the sockets reserving published ports, live
 * in the supervisor so that they close when the container is gone. */
#define MON_MAX_INHERITED	256
static int mon_inherited[MON_MAX_INHERITED];
static int mon_n_inherited;

/* Whether @fd is one we use or the runtime's (--preserve-fds) */
static int mon_fd_is_ours(int fd)
{
	int i;

	if (fd < 3 + M.pass_fds || fd == M.sync_fd || fd == M.start_fd || fd == M.attach_pipe_fd)
		return 1;
	for (i = 0; i < 3; i++)
		if (M.passthrough && fd == M.saved_stdio[i])
			return 1;
	return 0;
}

/* Hold every other inherited descriptor, close-on-exec (the runtime, the
 * container and the exit command never see them); past the quota of
 * MON_MAX_INHERITED they are closed at once */
static void mon_hold_inherited(void)
{
	struct dirent *de;
	int dropped = 0;
	DIR *d = opendir("/proc/self/fd");

	if (!d) {
		warn("opendir(/proc/self/fd): %s: inherited descriptors kept as they are",
		     strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		int fd = atoi(de->d_name);

		if (de->d_name[0] == '.' || fd == dirfd(d) || mon_fd_is_ours(fd))
			continue;
		if (mon_n_inherited < MON_MAX_INHERITED) {
			fcntl(fd, F_SETFD, FD_CLOEXEC);
			mon_inherited[mon_n_inherited++] = fd;
		} else {
			close(fd);
			dropped++;
		}
	}
	closedir(d);
	if (dropped)
		warn("%d inherited descriptors past the first %d closed", dropped, MON_MAX_INHERITED);
}

/* The container is gone: let go of what the caller handed down, before the
 * exit file tells it so (a port held here is free for the next container) */
static void mon_release_inherited(void)
{
	while (mon_n_inherited > 0)
		close(mon_inherited[--mon_n_inherited]);
}

/* Everything after the container has exited */
static void mon_finish(void)
{
	int code = exit_code_from_status(M.cstatus);
	int oom = oom_watch_fired(&M.oom);

	/* the log is complete (written, if not yet on disk) before the exit
	 * file tells the engine the container is gone; fdatasync after */
	mon_drain();
	mon_release_inherited();
	info("container %s exited with %d%s", M.o->cid, code, oom ? " (OOM killed)" : "");
	if (oom && M.o->persist_dir) {
		char path[PATH_MAX];
		int fd;

		snprintf(path, sizeof(path), "%s/oom", M.o->persist_dir);
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
	}
	if (M.o->persist_dir)
		exit_write_file(M.o->persist_dir, "exit", code);
	if (M.o->exit_dir)
		exit_write_file(M.o->exit_dir, M.o->cid, code);
	if (M.o->exec)
		sync_send(M.sync_fd, code, oom ? "OOM killed" : NULL);
	attach_close(&M.att);
	log_writer_close(&M.log, M.o->no_sync_log);
	ctl_close(&M.ctl);
	ctl_close(&M.winsz);
	oom_watch_close(&M.oom);
	notify_close(&M.notify);
	if (M.o->exit_command)
		exit_run_command(M.o->exit_command, M.o->exit_args, M.o->n_exit_args,
				 M.o->exit_delay);
}

/* Whether the socket-activation descriptors (LISTEN_FDS, LISTEN_PID) are
 * meant for the container: --replace-listen-pid says so, or LISTEN_PID
 * names the process the engine started (us, before detaching) */
static int mon_listen_ours(const struct mon_opts *o)
{
	const char *s = getenv("LISTEN_PID");

	if (!s || !getenv("LISTEN_FDS"))
		return 0;
	return o->replace_listen_pid || strtol(s, NULL, 10) == (long)getpid();
}

/* How many descriptors from 3 up the runtime gets: --preserve-fds, or the
 * socket-activation descriptors LISTEN_FDS names when they are the
 * container's (the runtime passes them on when LISTEN_PID is its own, see
 * runtime_spawn()) */
static int mon_pass_fds(const struct mon_opts *o)
{
	long v = M.listen_ours ? strtol(getenv("LISTEN_FDS"), NULL, 10) : 0;

	if (v < 0 || v > CLI_MAX_PRESERVE_FDS)
		v = 0;
	return o->preserve_fds > v ? o->preserve_fds : (int)v;
}

/* The descriptors to pass to the runtime must all be open (a hole would be
 * filled by one of ours, which the container would then get); they stay
 * closed to everything but the runtime.  Returns 0 or -(first missing fd). */
static int mon_check_preserved_fds(void)
{
	int fd;

	for (fd = 3; fd < 3 + M.pass_fds; fd++) {
		int flags = fcntl(fd, F_GETFD);

		if (flags < 0)
			return -fd;
		fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
	}
	return 0;
}

/* Detach from the caller: it gets our child's PID in --conmon-pidfile.
 * Returns 1 in the caller's process, 0 in the supervisor, -errno. */
static int mon_detach(void)
{
	if (!M.o->sync) {
		pid_t pid = fork();

		if (pid < 0)
			return -errno;
		if (pid > 0) {
			mon_write_pidfile(M.o->conmon_pidfile, pid);
			return 1;	/* the caller's process: done */
		}
	} else {
		mon_write_pidfile(M.o->conmon_pidfile, getpid());
	}
	proc_stdio_null();
	mon_hold_inherited();
	setsid();
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		warn("prctl(PR_SET_CHILD_SUBREAPER): %s", strerror(errno));
	return 0;
}

int mon_run(const struct mon_opts *o)
{
	char cwd[PATH_MAX], pidfile[PATH_MAX];
	int child[3], r, i;
	const char *base;

	memset(&M, 0, sizeof(M));
	M.o = o;
	M.sigfd = M.timer_fd = M.master = M.out_fd = M.err_fd = M.in.fd = -1;
	M.att.listen_fd = M.ctl.fd = M.ctl.keep_fd = M.winsz.fd = M.winsz.keep_fd = -1;
	M.cons.listen_fd = -1;
	M.oom.fd = -1;
	M.notify.fd = M.notify.host_fd = -1;
	M.log.k8s_fd = M.log.journald_fd = -1;
	M.sync_fd = M.start_fd = M.attach_pipe_fd = -1;
	M.bundle = o->bundle;
	if (!M.bundle) {
		if (!getcwd(cwd, sizeof(cwd)))
			return mon_fail("getcwd: %s", strerror(errno));
		M.bundle = cwd;
	}
	M.pidfile = o->container_pidfile;
	if (!M.pidfile) {
		snprintf(pidfile, sizeof(pidfile), "%s/pidfile-%s", M.bundle, o->cid);
		M.pidfile = pidfile;
	}
	for (i = 0; i < (int)o->n_logs; i++)
		if (o->logs[i].driver == LOG_DRIVER_PASSTHROUGH)
			M.passthrough = 1;

	M.sync_fd = mon_env_fd("_OCI_SYNCPIPE");
	M.start_fd = mon_env_fd("_OCI_STARTPIPE");
	M.attach_pipe_fd = o->exec_attach ? mon_env_fd("_OCI_ATTACHPIPE") : -1;
	M.listen_ours = mon_listen_ours(o);
	M.pass_fds = mon_pass_fds(o);
	r = mon_check_preserved_fds();
	if (r < 0)
		return mon_fail("%s %d: descriptor %d is not open",
				M.pass_fds > o->preserve_fds ? "LISTEN_FDS" : "--preserve-fds",
				M.pass_fds, -r);
	if (M.start_fd >= 0) {
		/* the caller moves us into our cgroup before letting us go */
		mon_wait_start();
		if (!o->exec_attach) {
			close(M.start_fd);
			M.start_fd = -1;
		}
	}
	if (M.passthrough) {
		for (i = 0; i < 3; i++)
			M.saved_stdio[i] = fcntl(i, F_DUPFD_CLOEXEC, 3);
	}
	r = mon_detach();
	if (r < 0)
		return mon_fail("fork: %s", strerror(-r));
	if (r > 0)
		return 0;

	M.ep = epoll_create1(EPOLL_CLOEXEC);
	if (M.ep < 0 || mon_setup_signals() < 0)
		return mon_fail("epoll/signalfd: %s", strerror(errno));
	r = log_writer_open(&M.log, o);
	if (r < 0)
		return mon_fail("open log: %s", strerror(-r));
	r = mon_setup_stdio(child);
	if (r < 0)
		return mon_fail("pipe: %s", strerror(-r));
	if (o->terminal) {
		base = getenv("XDG_RUNTIME_DIR");
		if (!base || !*base || access(base, W_OK))
			base = "/tmp";
		r = console_listen(&M.cons, base);
		if (r < 0)
			return mon_fail("console socket: %s", strerror(-r));
	}
	if (!o->exec || o->exec_attach) {
		r = attach_listen(&M.att, M.bundle, o->socket_dir, o->cuuid, o->full_attach);
		if (r < 0)
			return mon_fail("attach socket %s/attach: %s", M.bundle, strerror(-r));
		if (ctl_open(&M.ctl, M.bundle, "ctl") < 0 || ctl_open(&M.winsz, M.bundle, "winsz") < 0)
			return mon_fail("control FIFOs in %s: %s", M.bundle, strerror(errno));
	}
	if (o->sdnotify_socket && !o->exec) {
		/* before the runtime runs: the container may notify at once */
		r = notify_open(&M.notify, M.bundle, o->sdnotify_socket);
		if (r < 0)
			return mon_fail("--sdnotify-socket %s: %s", o->sdnotify_socket, strerror(-r));
		mon_ep_add(M.notify.fd, EV_NOTIFY, 0);
	}
	if (o->exec_attach) {
		/* ready for the caller to attach; it says go once attached */
		sync_send(M.attach_pipe_fd, 0, NULL);
		if (M.start_fd >= 0) {
			mon_wait_start();
			close(M.start_fd);
			M.start_fd = -1;
		}
	}

	if (mon_run_runtime(child))
		return 1;
	/* an exec client connected before it let us start */
	mon_accept_pending();
	M.cpid = runtime_read_pidfile(M.pidfile);
	if (M.cpid <= 0)
		return mon_fail("read(%s): %s", M.pidfile, strerror(-M.cpid));
	if (o->terminal) {
		if (M.master < 0)
			return mon_fail("%s: no terminal received on the console socket", o->runtime);
		M.out_fd = M.master;
		/* a descriptor of its own, so that stdin has its own epoll entry */
		M.in.fd = o->stdin_open ? fcntl(M.master, F_DUPFD_CLOEXEC, 3) : -1;
		fcntl(M.master, F_SETFL, O_NONBLOCK);
	}
	oom_watch_open(&M.oom, M.cpid);
	sync_send(M.sync_fd, M.cpid, NULL);
	if (!o->exec && M.sync_fd >= 0) {
		close(M.sync_fd);
		M.sync_fd = -1;
	}

	if (M.out_fd >= 0)
		mon_ep_add(M.out_fd, EV_STDOUT, 0);
	if (M.err_fd >= 0)
		mon_ep_add(M.err_fd, EV_STDERR, 0);
	if (M.att.listen_fd >= 0)
		mon_ep_add(M.att.listen_fd, EV_ATTACH, 0);
	if (M.ctl.fd >= 0)
		mon_ep_add(M.ctl.fd, EV_CTL, 0);
	if (M.winsz.fd >= 0)
		mon_ep_add(M.winsz.fd, EV_WINSZ, 0);
	if (o->timeout > 0) {
		struct itimerspec its = { .it_value.tv_sec = o->timeout };

		M.timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		if (M.timer_fd >= 0 && !timerfd_settime(M.timer_fd, 0, &its, NULL))
			mon_ep_add(M.timer_fd, EV_TIMER, 0);
	}
	/* the container may have exited before we watched: reap now */
	mon_reap();
	if (mon_loop())
		return 1;
	mon_finish();
	return 0;
}
