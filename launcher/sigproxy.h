/* SPDX-License-Identifier: GPL-2.0-or-later
 * sigproxy.h - the signals a foreground `burrow run` passes to its container,
 * as podman's sig-proxy does: the stop signals (SIGINT, SIGTERM, SIGHUP,
 * SIGQUIT) and SIGUSR1, SIGUSR2.  burrow stays to clean up; a second stop
 * signal, or the stop timeout after the first, becomes SIGKILL.
 */
#ifndef BURROW_LAUNCHER_SIGPROXY_H
#define BURROW_LAUNCHER_SIGPROXY_H

#include <signal.h>
#include <sys/types.h>

/* a stop signal this soon after the first is the same request delivered
 * twice (`timeout` signals its child, then its whole process group), not a
 * second one */
#define SIGPROXY_REPEAT_MS	250

/* podman's default stop timeout, and `burrow stop`'s */
#define SIGPROXY_STOP_TIMEOUT	10

/* what to do with a signal we got (sigproxy_decide()) */
#define SIGPROXY_PASS	1	/* pass it to the container */
#define SIGPROXY_KILL	2	/* SIGKILL the container now */

struct sigproxy {
	int fd;			/* signalfd of the signals below and SIGCHLD */
	sigset_t old;		/* our signal mask before sigproxy_open() */
	int stop_timeout;	/* seconds from the first stop signal to SIGKILL */
	int stop_sig;		/* first stop signal got, or 0 */
	pid_t stop_from;	/* its sender */
	long long stop_ms;	/* when (CLOCK_MONOTONIC, ms) */
	int killed;		/* SIGKILL decided */
};

/**
 * sigproxy_open() - block the passed signals and SIGCHLD and read them from
 *		     a signalfd from now on (also those our parent ignores)
 * @sp:		state, zeroed here
 * @stop_timeout: seconds from the first stop signal to SIGKILL
 *
 * Return: 0, or -errno
 */
int sigproxy_open(struct sigproxy *sp, int stop_timeout);

/**
 * sigproxy_close() - close the signalfd and put the signal mask back
 * @sp:		state (closing twice is harmless)
 */
void sigproxy_close(struct sigproxy *sp);

/**
 * sigproxy_is_stop() - whether @sig asks a foreground run to end
 * @sig:	signal number
 *
 * Return: 1 for SIGINT, SIGTERM, SIGHUP, SIGQUIT, else 0
 */
int sigproxy_is_stop(int sig);

/**
 * sigproxy_decide() - what to do with one signal we got
 * @sp:		state, updated
 * @sig:	the signal
 * @sender:	its sender's PID (0 from the kernel)
 * @from_tty:	the kernel sent it to our whole foreground process group
 *		(SI_KERNEL: ^C, ^\, a terminal hang-up) and the runtime is in
 *		that group too: it got the signal and passes it on itself
 * @now_ms:	CLOCK_MONOTONIC in ms
 *
 * The first stop signal is passed on and starts the stop timeout; the same
 * signal from the same sender within SIGPROXY_REPEAT_MS is dropped as a
 * repeat (another one is passed on); a stop signal after that is
 * SIGPROXY_KILL.  SIGUSR1 and SIGUSR2 are passed on.  Nothing is passed
 * after SIGKILL, nor what the runtime got from the terminal itself.
 *
 * Return: SIGPROXY_PASS, SIGPROXY_KILL or 0
 */
int sigproxy_decide(struct sigproxy *sp, int sig, pid_t sender, int from_tty, long long now_ms);

/**
 * sigproxy_wait_ms() - how long to wait for the next event
 * @sp:		state
 * @now_ms:	CLOCK_MONOTONIC in ms
 *
 * Return: -1 (no stop signal yet, or SIGKILL sent), else the ms left of the
 * stop timeout (0: it ran out)
 */
int sigproxy_wait_ms(const struct sigproxy *sp, long long now_ms);

/**
 * sigproxy_expire() - whether the stop timeout ran out (SIGKILL then decided)
 * @sp:		state, updated
 * @now_ms:	CLOCK_MONOTONIC in ms
 *
 * Return: SIGPROXY_KILL once, when it ran out, else 0
 */
int sigproxy_expire(struct sigproxy *sp, long long now_ms);

#endif /* BURROW_LAUNCHER_SIGPROXY_H */
