/* SPDX-License-Identifier: GPL-2.0-or-later
 * agent.h - answer a container's seccomp notifications: give it host
 * sockets where the policy says so, let everything else run as made
 *
 * Intercepted (the filter the launcher writes): connect, bind, sendto with
 * a destination, sendmsg, sendmmsg.  socket() and listen() need no
 * interception: the container's socket is replaced at connect() or bind(),
 * and listen() then acts on the host socket.
 */
#ifndef BURROW_BYPASS_AGENT_H
#define BURROW_BYPASS_AGENT_H

#include <stdint.h>

#include "policy.h"

#define AGENT_MAX_PENDING 256	/* blocking connects waiting for the host */
#define AGENT_MAX_LISTENERS 16	/* the container's and its exec sessions' */

/* counters, logged on exit and on SIGUSR1 */
struct agent_stats {
	uint64_t notifications, bypassed, published, tap, refused, stale, pending_full;
	uint64_t sends;
};

/**
 * agent_run() - serve the listener until every process using it is gone
 * @lfd:	seccomp listener of the container (from the runtime)
 * @rsock:	receiver socket for the listeners of exec sessions (-1: none);
 *		at most AGENT_MAX_LISTENERS at once, more are closed (their
 *		calls then fail with ENOSYS, as the kernel answers a filter
 *		without a listener)
 * @p:		policy
 * @exitfd:	end when this descriptor becomes readable or hangs up (-1: none)
 * @st:		counters out
 *
 * Return: 0 when the container is gone or @exitfd fired, -errno on a
 * failure of the listener itself
 */
int agent_run(int lfd, int rsock, const struct policy *p, int exitfd, struct agent_stats *st);

#endif /* BURROW_BYPASS_AGENT_H */
