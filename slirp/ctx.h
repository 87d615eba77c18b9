/* SPDX-License-Identifier: GPL-2.0-or-later
 * ctx.h - burrow-slirp's configuration and run-time state, shared by the
 * protocol modules (one instance per process, set up by conf.c and loop.c)
 */
#ifndef SLIRP_CTX_H
#define SLIRP_CTX_H

#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "frame.h"

/* virtio_net_hdr in front of every tap frame (IFF_VNET_HDR) */
#define TAP_HDR_LEN	10
/* largest frame we read or build: an IPv4/IPv6 packet of 64 KiB + headers */
#define FRAME_MAX	(65535 + IP6_HDR_LEN + ETH_HDR_LEN)
#define TAP_BUF_LEN	(TAP_HDR_LEN + FRAME_MAX + 64)

#define MTU_DEFAULT	65520
#define MTU_MIN		1280

#define CONF_ROUTES_MAX	32

/* What the command line asks for */
struct slirp_conf {
	pid_t target_pid;		/* 0 when netns_path is used */
	const char *netns_path;
	const char *userns_path;
	int netns_only;			/* pasta --netns-only: never join a user namespace */
	const char *tapname;
	int configure;
	unsigned mtu;
	int disable_host_loopback;
	int ipv6;
	int enable_sandbox;
	int enable_seccomp;
	int disable_dns;
	int exit_fd;			/* -1: none */
	int ready_fd;			/* -1: none */
	const char *api_socket;		/* API socket path (api.c), NULL: none */
	const char *resolv_conf;	/* resolver file; NULL: $BURROW_RESOLV_CONF or /etc/resolv.conf */
	int splice;			/* loopback clients of forwards: 1 spliced,
					 * 0 frames from the gateway (default) */
	unsigned busy_poll_us;		/* --busy-poll: the polling window's
					 * maximum (busypoll.h), 0 never */
	char *title;			/* argv area, for the helper's process title */
	size_t title_len;
	struct sockaddr_in out4;	/* --outbound-addr: family 0 when not set */
	struct sockaddr_in6 out6;	/* --outbound-addr6 */

	/* addresses (network byte order) */
	struct in_addr net4;		/* network, e.g. 10.0.2.0 */
	unsigned prefix4;		/* 24 */
	struct in_addr guest4, gw4, dns4;
	struct in6_addr net6, guest6, gw6, dns6;
	unsigned prefix6;
	uint8_t gw_mac[6];
	uint8_t guest_mac[6];
	int guest_mac_set;		/* --macaddress given */

	/* pasta's view (--pasta, or called as pasta): the guest takes the host's
	 * own addresses and gateway; only the mapped addresses below are special */
	int host_view;
	int disable_ipv4;		/* -6, --ipv6-only */
	struct in_addr map_lo4;		/* reaches the host's loopback; 0: none */
	struct in6_addr map_lo6;	/* ::: none */
	struct in_addr map_guest4;	/* reaches the host's own address; 0: none */
	struct in6_addr map_guest6;
	int no_dhcp, no_dhcpv6, no_ndp, no_ra;	/* built-in servers off */
	int no_tcp, no_udp, no_icmp;		/* protocol handlers off */
	const char *quit_path;		/* exit once this namespace file is removed */
	int detach_stdio;		/* pasta in the background: no helper keeps the
					 * caller's stdio (an engine reads it to its end) */
	int auto_tcp, auto_udp;		/* pasta -t auto, -u auto: follow the
					 * namespace's listening sockets */
	int auto_tcp_ns, auto_udp_ns;	/* pasta -T auto, -U auto: follow the
					 * host's (nsfwd.c) */
	struct conf_route {		/* pasta --config-net: the host interface's */
		int family;		/* other routes, copied into the namespace */
		uint8_t prefix;
		union { struct in_addr v4; struct in6_addr v6; } dst, gw;	/* gw 0: link */
	} routes[CONF_ROUTES_MAX];
	int nroutes;

	/* resolvers that DNS queries to dns4/dns6 are forwarded to */
	struct sockaddr_storage resolver;
	socklen_t resolver_len;		/* 0: no resolver found */
};

/* Drop and event counters */
struct slirp_stats {
	uint64_t frames_in, frames_out, frames_out_err;
	uint64_t drops[FRAME_ERR_MAX];
	uint64_t dropped_policy;	/* valid frames we refuse (no route, no flow room) */
	uint64_t ack_probes;		/* TCP: guests asked for an acknowledgement they owed */
};

/* Process-wide state */
struct ctx {
	struct slirp_conf conf;
	struct slirp_stats stats;
	int tap_fd;
	int epoll_fd;
	int timer_fd;
	int signal_fd;
	uint8_t guest_mac[6];		/* learnt from the guest's frames */
	int guest_mac_known;
	uint64_t now_ms;		/* monotonic clock, updated every loop turn */
	int quit;			/* set to leave the event loop */
	int ns_gone;			/* quit because the namespace goes away */
	int ping4_ok, ping6_ok;		/* 0 unknown, 1 works, -1 refused (logged once) */
	int proc_net[4];		/* the namespace's /proc/net/tcp, tcp6, udp, udp6
					 * for -t/-u auto (PROC_NET_*), -1: not open */
};

enum { PROC_NET_TCP, PROC_NET_TCP6, PROC_NET_UDP, PROC_NET_UDP6, PROC_NET_MAX };

/* epoll data: type in the high 32 bits, flow index in the low ones */
enum ep_type { EP_TAP = 1, EP_TIMER, EP_SIGNAL, EP_EXIT, EP_TARGET, EP_TCP, EP_UDP, EP_ICMP,
	       EP_FWD, EP_API, EP_API_CLIENT, EP_SPLICE, EP_SPLICE_HELPER, EP_NS_WATCH,
	       EP_NSFWD, EP_NSFWD_UDP };
#define EP_REF(type, idx)	(((uint64_t)(type) << 32) | (uint32_t)(idx))

#endif /* SLIRP_CTX_H */
