// SPDX-License-Identifier: GPL-2.0-or-later
/* nl.c - netlink request/ack on libmnl: send one request, read the replies,
 * turn NLMSG_ERROR into -errno
 */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "nl.h"

/**
 * nl_open() - open and bind a netlink socket
 * @nl:		state to fill
 * @bus:	NETLINK_ROUTE, NETLINK_NETFILTER, ...
 *
 * Return: 0, or -errno
 */
int nl_open(struct nl *nl, int bus)
{
	int ret;

	nl->sock = mnl_socket_open2(bus, SOCK_CLOEXEC);
	if (!nl->sock)
		return errno ? -errno : -EIO;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = errno ? -errno : -EIO;
		mnl_socket_close(nl->sock);
		nl->sock = NULL;
		return ret;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned)time(NULL);
	return 0;
}

/**
 * nl_open_netns() - nl_open() inside the network namespace behind @netns_fd
 * @nl:		state to fill
 * @bus:	NETLINK_ROUTE, NETLINK_NETFILTER, ...
 * @netns_fd:	network namespace fd, or -1 for the current namespace
 *
 * Return: 0, or -errno (no socket is left open on error)
 */
int nl_open_netns(struct nl *nl, int bus, int netns_fd)
{
	int back, ret;

	if (netns_fd < 0)
		return nl_open(nl, bus);
	nl->sock = NULL;
	/* setns() moves only this thread: remember this thread's namespace */
	back = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (back < 0)
		return -errno;
	if (setns(netns_fd, CLONE_NEWNET)) {
		ret = -errno;
		close(back);
		return ret;
	}
	ret = nl_open(nl, bus);
	if (setns(back, CLONE_NEWNET)) {
		if (!ret)
			ret = -errno;
		nl_close_socket(nl);
	}
	close(back);
	return ret;
}

/**
 * nl_close_socket() - close the socket (safe on a never-opened or closed @nl)
 * @nl:		socket state; a zero-filled one is fine
 */
void nl_close_socket(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

/**
 * nl_msg_start() - start a request in @buf: header with @type, @flags
 *		    (NLM_F_REQUEST | NLM_F_ACK added), next sequence number
 * @nl:		socket state (for the sequence number)
 * @buf:	at least MNL_SOCKET_BUFFER_SIZE bytes
 * @type:	e.g. RTM_NEWLINK
 * @flags:	e.g. NLM_F_CREATE | NLM_F_EXCL
 *
 * Return: the header, to extend with mnl_nlmsg_put_extra_header()/mnl_attr_put*()
 */
struct nlmsghdr *nl_msg_start(struct nl *nl, void *buf, int type, int flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = (uint16_t)(flags | NLM_F_REQUEST | NLM_F_ACK);
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

/**
 * nl_request() - send @req and read replies until the ack (or NLMSG_DONE)
 * @nl:		socket state
 * @req:	request built with nl_msg_start()
 * @cb:		called for each data reply (may be NULL)
 * @data:	passed to @cb
 *
 * A dump (NLM_F_DUMP) ends with NLMSG_DONE, any other request with the
 * kernel's ack; an error ack, or a callback returning MNL_CB_ERROR with errno
 * set, ends it with that error.
 *
 * Return: 0, or -errno from the kernel's NLMSG_ERROR or from the socket
 */
int nl_request(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	unsigned seq = req->nlmsg_seq;
	ssize_t n;
	int ret;

	if (!nl->sock)
		return -EBADF;
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return errno ? -errno : -EIO;

	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno ? -errno : -EIO;
		}
		errno = 0;
		ret = mnl_cb_run(nl->buf, (size_t)n, seq, nl->portid, cb, data);
		if (ret == MNL_CB_STOP)
			return 0;
		if (ret < 0)
			return errno ? -errno : -EIO;
	}
}
