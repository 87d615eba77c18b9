// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_nl.c - request/ack helper: a link dump in a private network
 * namespace (root only), and an error ack turned into -errno
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "nl.h"

static int have_ns;

static int setup_ns(void **state)
{
	(void)state;
	if (geteuid() == 0 && unshare(CLONE_NEWNET) == 0)
		have_ns = 1;
	return 0;
}

#define NEED_NS() do { if (!have_ns) skip(); } while (0)

struct seen {
	int links;
	int lo;
};

/* Count RTM_NEWLINK replies and note whether one is "lo" */
static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct seen *s = data;
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct nlattr *attr;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	s->links++;
	mnl_attr_for_each(attr, nlh, sizeof(*ifi))
		if (mnl_attr_get_type(attr) == IFLA_IFNAME &&
		    !strcmp(mnl_attr_get_str(attr), "lo"))
			s->lo = ifi->ifi_index;
	return MNL_CB_OK;
}

static void dump_links_of_fresh_namespace(void **state)
{
	struct nl *nl = calloc(1, sizeof(*nl));
	char buf[NL_BUFSIZE];
	struct nlmsghdr *nlh;
	struct rtgenmsg *g;
	struct seen s = { 0, 0 };

	(void)state;
	assert_non_null(nl);
	if (!have_ns) {
		free(nl);
		skip();
	}
	assert_int_equal(nl_open(nl, NETLINK_ROUTE), 0);
	nlh = nl_msg_start(nl, buf, RTM_GETLINK, NLM_F_DUMP);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	assert_int_equal(nl_request(nl, nlh, link_cb, &s), 0);
	assert_int_equal(s.links, 1);	/* a fresh namespace has only lo */
	assert_int_equal(s.lo, 1);

	/* the socket stays usable for the next request */
	nlh = nl_msg_start(nl, buf, RTM_GETLINK, NLM_F_DUMP);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	memset(&s, 0, sizeof(s));
	assert_int_equal(nl_request(nl, nlh, link_cb, &s), 0);
	assert_int_equal(s.links, 1);
	nl_close(nl);
	nl_close(nl);
	free(nl);
}

static void error_ack_is_negative_errno(void **state)
{
	struct nl *nl = calloc(1, sizeof(*nl));
	char buf[NL_BUFSIZE];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	(void)state;
	assert_non_null(nl);
	if (!have_ns) {
		free(nl);
		skip();
	}
	assert_int_equal(nl_open(nl, NETLINK_ROUTE), 0);
	/* delete a link index that does not exist */
	nlh = nl_msg_start(nl, buf, RTM_DELLINK, 0);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = 4242;
	assert_int_equal(nl_request(nl, nlh, NULL, NULL), -ENODEV);

	/* a plain ack is 0: set lo up */
	nlh = nl_msg_start(nl, buf, RTM_NEWLINK, 0);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = 1;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	assert_int_equal(nl_request(nl, nlh, NULL, NULL), 0);
	nl_close(nl);
	free(nl);
}

static void closed_socket_is_ebadf(void **state)
{
	struct nl *nl = calloc(1, sizeof(*nl));
	char buf[NL_BUFSIZE];
	struct nlmsghdr *nlh;

	(void)state;
	assert_non_null(nl);
	nl_close(nl);	/* never opened: harmless */
	nlh = nl_msg_start(nl, buf, RTM_GETLINK, 0);
	assert_int_equal(nlh->nlmsg_flags & (NLM_F_REQUEST | NLM_F_ACK),
			 NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(nl_request(nl, nlh, NULL, NULL), -EBADF);
	free(nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dump_links_of_fresh_namespace),
		cmocka_unit_test(error_ack_is_negative_errno),
		cmocka_unit_test(closed_socket_is_ebadf),
	};
	return cmocka_run_group_tests(tests, setup_ns, NULL);
}
