// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_slirp_api.c - libFuzzer target for burrow-slirp's API requests: every
 * input gets a reply object, with "return" or "error".  Forwards the input
 * adds are bound in a private network namespace (the fuzzer never opens a
 * port on the machine's interfaces); without one, inputs that could add a
 * forward are skipped. */
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "slirp/api.h"
#include "slirp/conf.h"
#include "slirp/fwd.h"

static struct ctx c;
static int private_net = -1;

/**
 * LLVMFuzzerTestOneInput() - one request; the forwards it made are removed
 * @data:	fuzzer input
 * @size:	its length
 *
 * Return: 0
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct port_fwd pf;
	json_t *r;
	int pos, id;

	if (private_net < 0) {
		private_net = !unshare(CLONE_NEWUSER | CLONE_NEWNET) || !unshare(CLONE_NEWNET);
		conf_defaults(&c.conf);
		c.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	}
	if (size > API_REQ_MAX)
		return 0;
	if (!private_net && memmem(data, size, "add", 3))
		return 0;
	r = api_handle(&c, (const char *)data, size);
	if (!r || (!json_object_get(r, "return") && !json_object_get(r, "error")))
		abort();
	json_decref(r);
	while ((pos = fwd_next(0, &id, &pf, NULL)) > 0)
		fwd_remove(&c, id);
	return 0;
}
