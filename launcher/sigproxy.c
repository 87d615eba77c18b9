// SPDX-License-Identifier: GPL-2.0-or-later
/* sigproxy.c - which signals a foreground run passes to its container, when
 * it gives up waiting and sends SIGKILL */
#include <errno.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "sigproxy.h"

static const int sigproxy_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2,
				     SIGCHLD };

int sigproxy_open(struct sigproxy *sp, int stop_timeout)
{
	sigset_t mask;
	size_t i;

	memset(sp, 0, sizeof(*sp));
	sp->fd = -1;
	sp->stop_timeout = stop_timeout;
	sigemptyset(&mask);
	for (i = 0; i < sizeof(sigproxy_sigs) / sizeof(sigproxy_sigs[0]); i++)
		sigaddset(&mask, sigproxy_sigs[i]);
	/* blocked, they are queued even when our parent left them ignored
	 * (a shell's background job has SIGINT and SIGQUIT ignored) */
	if (sigprocmask(SIG_BLOCK, &mask, &sp->old) < 0)
		return -errno;
	sp->fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sp->fd < 0) {
		int r = -errno;

		sigprocmask(SIG_SETMASK, &sp->old, NULL);
		return r;
	}
	return 0;
}

void sigproxy_close(struct sigproxy *sp)
{
	if (sp->fd < 0)
		return;
	close(sp->fd);
	sp->fd = -1;
	sigprocmask(SIG_SETMASK, &sp->old, NULL);
}

int sigproxy_is_stop(int sig)
{
	return sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT;
}

int sigproxy_decide(struct sigproxy *sp, int sig, pid_t sender, int from_tty, long long now_ms)
{
	int pass = from_tty ? 0 : SIGPROXY_PASS;

	if (sp->killed)
		return 0;
	if (sig == SIGUSR1 || sig == SIGUSR2)
		return pass;
	if (!sigproxy_is_stop(sig))
		return 0;
	if (!sp->stop_sig) {
		sp->stop_sig = sig;
		sp->stop_from = sender;
		sp->stop_ms = now_ms;
		return pass;
	}
	if (now_ms - sp->stop_ms < SIGPROXY_REPEAT_MS)
		return sig == sp->stop_sig && sender == sp->stop_from ? 0 : pass;
	sp->killed = 1;
	return SIGPROXY_KILL;
}

int sigproxy_wait_ms(const struct sigproxy *sp, long long now_ms)
{
	long long left;

	if (!sp->stop_sig || sp->killed)
		return -1;
	left = sp->stop_ms + sp->stop_timeout * 1000LL - now_ms;
	if (left <= 0)
		return 0;
	return left > 60000 ? 60000 : (int)left;
}

int sigproxy_expire(struct sigproxy *sp, long long now_ms)
{
	if (sigproxy_wait_ms(sp, now_ms) != 0)
		return 0;
	sp->killed = 1;
	return SIGPROXY_KILL;
}
