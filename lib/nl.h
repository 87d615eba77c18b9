/* SPDX-License-Identifier: GPL-2.0-or-later
 * nl.h - netlink request/ack on libmnl: one helper that sends a request,
 * reads the replies and turns NLMSG_ERROR into -errno
 */
#ifndef BURROW_NL_H
#define BURROW_NL_H

#include <libmnl/libmnl.h>
#include <stddef.h>

/* Receive buffer size: MNL_SOCKET_BUFFER_SIZE is not a compile-time constant
 * (it asks sysconf()), so use the size libmnl recommends for dumps */
#define NL_BUFSIZE 32768

/* A bound netlink socket with its sequence counter and a receive buffer */
struct nl {
	struct mnl_socket *sock;
	unsigned portid;
	unsigned seq;
	char buf[NL_BUFSIZE];
};

/**
 * nl_open() - open and bind a netlink socket
 * @nl:		state to fill
 * @bus:	NETLINK_ROUTE, NETLINK_NETFILTER, ...
 *
 * Return: 0, or -errno
 */
int nl_open(struct nl *nl, int bus);

/**
 * nl_open_netns() - nl_open() inside the network namespace behind @netns_fd
 * @nl:		state to fill
 * @bus:	NETLINK_ROUTE, NETLINK_NETFILTER, ...
 * @netns_fd:	network namespace fd, or -1 for the current namespace
 *
 * The calling thread enters the namespace only to create the socket (a
 * socket stays in the namespace it was made in) and returns at once.
 *
 * Return: 0, or -errno (of setns() into @netns_fd, of the socket, or of the
 * way back; on any error no socket is left open)
 */
int nl_open_netns(struct nl *nl, int bus, int netns_fd);

/**
 * nl_close_socket() - close the socket (safe on a never-opened or closed @nl)
 */
void nl_close_socket(struct nl *nl);

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
struct nlmsghdr *nl_msg_start(struct nl *nl, void *buf, int type, int flags);

/**
 * nl_request() - send @req and read replies until the ack (or NLMSG_DONE)
 * @nl:		socket state
 * @req:	request built with nl_msg_start()
 * @cb:		called for each data reply (may be NULL)
 * @data:	passed to @cb
 *
 * Return: 0, or -errno from the kernel's NLMSG_ERROR or from the socket
 */
int nl_request(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data);

#endif /* BURROW_NL_H */
