// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_nl.c - request/ack helper: a link dump in a private network
 * namespace (root only), and an error ack turned into -errno
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/sockios.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "nl.h"

static int have_ns;

static int setup_ns(void **state)
{
	(void)state;
	if (geteuid() != 0)
		return 0;	/* these tests need root; as a user they skip */
	/* as root a namespace of our own is always possible: not getting one
	 * is a failure, never a reason to skip every test */
	if (unshare(CLONE_NEWNET)) {
		print_error("unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return -1;
	}
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
	nl_close_socket(nl);
	nl_close_socket(nl);
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
	nl_close_socket(nl);
	free(nl);
}

static void closed_socket_is_ebadf(void **state)
{
	struct nl *nl = calloc(1, sizeof(*nl));
	char buf[NL_BUFSIZE];
	struct nlmsghdr *nlh;

	(void)state;
	assert_non_null(nl);
	nl_close_socket(nl);	/* never opened: harmless */
	nlh = nl_msg_start(nl, buf, RTM_GETLINK, 0);
	assert_int_equal(nlh->nlmsg_flags & (NLM_F_REQUEST | NLM_F_ACK),
			 NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(nl_request(nl, nlh, NULL, NULL), -EBADF);
	free(nl);
}

/* Inode of the network namespace behind @fd */
static ino_t ns_ino(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	return st.st_ino;
}

static void open_in_other_namespace_and_come_back(void **state)
{
	struct nl *nl = calloc(1, sizeof(*nl));
	int here, other, sk;
	ino_t here_ino, other_ino;

	(void)state;
	NEED_NS();
	assert_non_null(nl);
	here = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(here >= 0);
	assert_int_equal(unshare(CLONE_NEWNET), 0);
	other = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(other >= 0);
	assert_int_equal(setns(here, CLONE_NEWNET), 0);
	here_ino = ns_ino(here);
	other_ino = ns_ino(other);
	assert_true(here_ino != other_ino);

	assert_int_equal(nl_open_netns(nl, NETLINK_ROUTE, other), 0);
	/* the socket lives in @other, this thread is back in @here */
	sk = ioctl(mnl_socket_get_fd(nl->sock), SIOCGSKNS);
	assert_true(sk >= 0);
	assert_true(ns_ino(sk) == other_ino);
	close(sk);
	sk = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(ns_ino(sk) == here_ino);
	close(sk);
	nl_close_socket(nl);

	/* -1: the current namespace */
	assert_int_equal(nl_open_netns(nl, NETLINK_ROUTE, -1), 0);
	sk = ioctl(mnl_socket_get_fd(nl->sock), SIOCGSKNS);
	assert_true(ns_ino(sk) == here_ino);
	close(sk);
	nl_close_socket(nl);

	/* not a namespace: setns() fails, nothing is left open, still here */
	sk = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_int_equal(nl_open_netns(nl, NETLINK_ROUTE, sk), -EINVAL);
	assert_null(nl->sock);
	close(sk);
	sk = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(ns_ino(sk) == here_ino);
	close(sk);
	close(other);
	close(here);
	free(nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dump_links_of_fresh_namespace),
		cmocka_unit_test(error_ack_is_negative_errno),
		cmocka_unit_test(closed_socket_is_ebadf),
		cmocka_unit_test(open_in_other_namespace_and_come_back),
	};
	return cmocka_run_group_tests(tests, setup_ns, NULL);
}
