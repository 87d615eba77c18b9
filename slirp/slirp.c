// SPDX-License-Identifier: GPL-2.0-or-later
/* slirp.c - burrow-slirp: command line (slirp4netns's form) and start-up */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "api.h"
#include "autofwd.h"
#include "busypoll.h"
#include "conf.h"
#include "flow.h"
#include "fwd.h"
#include "isolation.h"
#include "log.h"
#include "loop.h"
#include "nsfwd.h"
#include "opt.h"
#include "pasta.h"
#include "splice.h"
#include "tap.h"
#include "tcp.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
/* the sandbox hides /proc and forbids ptrace: check for leaks before it */
static void leak_check_before_sandbox(void) { __lsan_do_leak_check(); }
#else
static void leak_check_before_sandbox(void) { }
#endif

static void usage(FILE *out)
{
	fprintf(out,
"Usage: burrow-slirp [OPTION]... PID|PATH TAPNAME\n"
"User-mode networking for a network namespace: a tap device TAPNAME in the\n"
"namespace of process PID (or the namespace file PATH) whose frames become\n"
"ordinary socket calls of the calling user.  Command line of slirp4netns.\n"
"\n"
"  -c, --configure           bring up the tap device: address, route, MTU, IPv6\n"
"  -e, --exit-fd=FD          exit when FD is closed or becomes readable\n"
"  -r, --ready-fd=FD         write \"1\" to FD once the network is up\n"
"  -m, --mtu=MTU             MTU (default 65520, at least 1280)\n"
"      --cidr=CIDR           virtual IPv4 network (default 10.0.2.0/24)\n"
"      --disable-host-loopback  the gateway does not reach the host's loopback\n"
"      --netns-type=TYPE     pid (default) or path\n"
"      --userns-path=PATH    user namespace to join before the network namespace\n"
"  -a, --api-socket=PATH     API socket (slirp4netns's JSON protocol: add_hostfwd,\n"
"                            list_hostfwd, remove_hostfwd), mode 0600\n"
"  -t, --tcp-ports=SPEC      forward host TCP ports to the guest, pasta style:\n"
"                            [ADDR/]PORT[-PORT][:PORT[-PORT]][,...]\n"
"  -u, --udp-ports=SPEC      the same for UDP\n"
"  -p, --publish=SPEC        podman style: [ADDR:]HOSTPORT[:GUESTPORT][/tcp|/udp]\n"
"                            (forwards repeat; the guest sees the client's real\n"
"                            address, the host's loopback as the gateway)\n"
"  -6, --enable-ipv6         IPv6: fd00::/64, gateway fd00::2, DNS fd00::3\n"
"      --enable-sandbox      empty filesystem root after set-up (always on)\n"
"      --enable-seccomp      seccomp allow-list after set-up (always on)\n"
"      --disable-dns         no DNS forwarding at the virtual DNS address\n"
"      --outbound-addr=ADDR  bind outbound TCP/UDP sockets to this IPv4 address\n"
"                            or to the first IPv4 address of interface ADDR\n"
"      --outbound-addr6=ADDR the same for IPv6\n"
"      --splice              TCP clients of every forward on the host's loopback\n"
"                            are spliced socket to socket (the guest sees them\n"
"                            come from its own address)\n"
"      --no-splice           never (the default): they come as frames from the\n"
"                            gateway\n"
"      --busy-poll=USEC      poll up to USEC microseconds before the loop sleeps,\n"
"                            learnt per wait (default 50, 0 never, at most 1000)\n"
"      --macaddress=MAC      MAC address of the tap device\n"
"      --target-type=TYPE    netns (the only type)\n"
"      --debug               verbose log\n"
"  -h, --help                show this help and exit\n"
"  -v, --version             show the version and exit\n"
"\n"
"Defaults: guest 10.0.2.100/24, gateway 10.0.2.2 (the host's 127.0.0.1),\n"
"DNS 10.0.2.3 (forwarded to the first nameserver of $BURROW_RESOLV_CONF or\n"
"/etc/resolv.conf).\n");
}

enum {
	OPT_CIDR = 256, OPT_NO_LOOPBACK, OPT_NETNS_TYPE, OPT_USERNS, OPT_SANDBOX,
	OPT_SECCOMP, OPT_NO_DNS, OPT_OUT4, OPT_OUT6, OPT_MAC, OPT_TARGET, OPT_DEBUG,
	OPT_SPLICE, OPT_NO_SPLICE, OPT_BUSY_POLL,
};

#define FWD_ARGS_MAX	256
static struct port_fwd fwd_args[FWD_ARGS_MAX];
static int fwd_nargs;

static void parse_fwd(int opt, const char *spec)
{
	char e[256];
	int r;

	if (opt == 'p') {
		if (fwd_nargs == FWD_ARGS_MAX)
			die("too many port forwards (%d)", FWD_ARGS_MAX);
		if (portspec_parse(spec, &fwd_args[fwd_nargs], e, sizeof(e)))
			die("invalid -p %s: %s", spec, e);
		fwd_nargs++;
		return;
	}
	r = portspec_parse_pasta(spec, opt == 'u' ? IPPROTO_UDP : IPPROTO_TCP,
				 fwd_args + fwd_nargs, (size_t)(FWD_ARGS_MAX - fwd_nargs),
				 e, sizeof(e));
	if (r < 0)
		die("invalid -%c %s: %s", opt, spec, r == -ENOSPC ? "too many forwards" : e);
	fwd_nargs += r;
}

/* The value of a numeric option, or die naming the option and the range */
static long long parse_number(const char *name, const char *s, long long min, long long max)
{
	char e[128];
	long long v;

	if (opt_number(name, s, min, max, &v, e, sizeof(e)))
		die("%s", e);
	return v;
}

static int run(struct ctx *c);

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "configure", no_argument, NULL, 'c' },
		{ "exit-fd", required_argument, NULL, 'e' },
		{ "ready-fd", required_argument, NULL, 'r' },
		{ "mtu", required_argument, NULL, 'm' },
		{ "cidr", required_argument, NULL, OPT_CIDR },
		{ "disable-host-loopback", no_argument, NULL, OPT_NO_LOOPBACK },
		{ "netns-type", required_argument, NULL, OPT_NETNS_TYPE },
		{ "userns-path", required_argument, NULL, OPT_USERNS },
		{ "api-socket", required_argument, NULL, 'a' },
		{ "tcp-ports", required_argument, NULL, 't' },
		{ "udp-ports", required_argument, NULL, 'u' },
		{ "publish", required_argument, NULL, 'p' },
		{ "enable-ipv6", no_argument, NULL, '6' },
		{ "enable-sandbox", no_argument, NULL, OPT_SANDBOX },
		{ "enable-seccomp", no_argument, NULL, OPT_SECCOMP },
		{ "disable-dns", no_argument, NULL, OPT_NO_DNS },
		{ "outbound-addr", required_argument, NULL, OPT_OUT4 },
		{ "outbound-addr6", required_argument, NULL, OPT_OUT6 },
		{ "macaddress", required_argument, NULL, OPT_MAC },
		{ "target-type", required_argument, NULL, OPT_TARGET },
		{ "debug", no_argument, NULL, OPT_DEBUG },
		{ "splice", no_argument, NULL, OPT_SPLICE },
		{ "no-splice", no_argument, NULL, OPT_NO_SPLICE },
		{ "busy-poll", required_argument, NULL, OPT_BUSY_POLL },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	static struct ctx c;
	const char *netns_type = NULL;
	char *end;
	int o, r;

	log_init("burrow-slirp", LOG_LVL_WARN, 0);
	conf_defaults(&c.conf);
	c.conf.title = argv[0];
	c.conf.title_len = (size_t)(argv[argc - 1] + strlen(argv[argc - 1]) + 1 - argv[0]);
	if (pasta_called(&argc, argv)) {
		log_init("pasta", LOG_LVL_WARN, 0);
		r = pasta_parse(argc, argv, &c, fwd_args, &fwd_nargs, FWD_ARGS_MAX);
		if (r >= 0)
			return r;
		if ((r = pasta_background()) < 0)
			die("fork: %s", strerror(-r));
		return run(&c);
	}
	while ((o = getopt_long(argc, argv, "ce:r:m:a:t:u:p:6hv", opts, NULL)) != -1) {
		switch (o) {
		case 'c': c.conf.configure = 1; break;
		case 'e': c.conf.exit_fd = (int)parse_number("--exit-fd", optarg, 0, 65535); break;
		case 'r': c.conf.ready_fd = (int)parse_number("--ready-fd", optarg, 0, 65535); break;
		case 'm': c.conf.mtu = (unsigned)parse_number("--mtu", optarg, MTU_MIN, 65521); break;
		case OPT_CIDR:
			if (conf_set_cidr4(&c.conf, optarg))
				die("invalid --cidr %s (IPv4 network, prefix 1..25)", optarg);
			break;
		case OPT_NO_LOOPBACK: c.conf.disable_host_loopback = 1; break;
		case OPT_NETNS_TYPE:
			if (strcmp(optarg, "pid") && strcmp(optarg, "path"))
				die("invalid --netns-type %s (pid or path)", optarg);
			netns_type = optarg;
			break;
		case OPT_USERNS: c.conf.userns_path = optarg; break;
		case 'a': c.conf.api_socket = optarg; break;
		case 't': case 'u': case 'p': parse_fwd(o, optarg); break;
		case '6': c.conf.ipv6 = 1; break;
		case OPT_SANDBOX: c.conf.enable_sandbox = 1; break;
		case OPT_SECCOMP: c.conf.enable_seccomp = 1; break;
		case OPT_NO_DNS: c.conf.disable_dns = 1; break;
		case OPT_OUT4: case OPT_OUT6:
			if (conf_set_outbound(&c.conf, o == OPT_OUT6 ? AF_INET6 : AF_INET, optarg))
				die("invalid --outbound-addr%s %s (an %s address or an interface "
				    "with one)", o == OPT_OUT6 ? "6" : "", optarg,
				    o == OPT_OUT6 ? "IPv6" : "IPv4");
			break;
		case OPT_SPLICE: c.conf.splice = 1; break;
		case OPT_NO_SPLICE: c.conf.splice = 0; break;
		case OPT_BUSY_POLL:
			c.conf.busy_poll_us = (unsigned)parse_number("--busy-poll", optarg, 0,
								      BUSYPOLL_MAX_US);
			break;
		case OPT_MAC:
			if (mac_parse(optarg, c.conf.guest_mac))
				die("invalid --macaddress %s", optarg);
			c.conf.guest_mac_set = 1;
			break;
		case OPT_TARGET:
			if (strcmp(optarg, "netns"))
				die("unsupported --target-type %s (netns only)", optarg);
			break;
		case OPT_DEBUG: log_set_level(LOG_LVL_DEBUG); break;
		case 'h': usage(stdout); return 0;
		case 'v':
			printf("slirp4netns version 1.2.0 (burrow-slirp %s)\n"
			       "commit: burrow-slirp-%s\nlibslirp: none (host sockets)\n"
			       "SLIRP_CONFIG_VERSION_MAX: 4\n", BURROW_VERSION, BURROW_VERSION);
			return 0;
		default: usage(stderr); return 1;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return 1;
	}
	c.conf.tapname = argv[optind + 1];
	if (netns_type && !strcmp(netns_type, "path")) {
		c.conf.netns_path = argv[optind];
	} else {
		long pid;

		errno = 0;
		pid = strtol(argv[optind], &end, 10);
		if (errno || *end || pid <= 0) {
			if (netns_type)
				die("invalid PID %s", argv[optind]);
			c.conf.netns_path = argv[optind];	/* a path given without --netns-type */
		} else {
			c.conf.target_pid = (pid_t)pid;
		}
	}
	return run(&c);
}

/* Start-up common to both faces, then the event loop until the end */
static int run(struct ctx *c)
{
	const char *resolv, *no_peek_off, *no_big;
	char e[256];
	int o, r;

	if (conf_check_outbound(&c->conf, e, sizeof(e)))
		die("%s", e);
	resolv = getenv("BURROW_RESOLV_CONF");
	if (!resolv || !*resolv)
		resolv = "/etc/resolv.conf";
	if (!c->conf.disable_dns && !c->conf.resolver_len &&
	    (r = conf_read_resolv(&c->conf, resolv)) < 0)
		warn("%s: %s: DNS queries to the virtual resolver are dropped", resolv,
		     r == -ENOENT ? "no nameserver" : strerror(-r));

	no_peek_off = getenv("BURROW_SLIRP_NO_PEEK_OFF");	/* testing: force the fallback */
	tcp_init(no_peek_off && *no_peek_off && strcmp(no_peek_off, "0"));
	no_big = getenv("BURROW_SLIRP_NO_BIG_FRAMES");		/* testing: 64 KiB frames */
	tcp_big_frames_init(no_big && *no_big && strcmp(no_big, "0"));

	c->tap_fd = -1;
	for (o = 0; o < PROC_NET_MAX; o++)
		c->proc_net[o] = -1;
	c->epoll_fd = c->timer_fd = c->signal_fd = -1;
	c->tap_fd = tap_create(&c->conf, c->proc_net);
	if (c->tap_fd < 0)
		return 1;
	if (loop_init(c)) {
		loop_cleanup(c);
		return 1;
	}
	/* the socket helper, only when forwards (also later API ones) splice,
	 * or pasta's -T/-U need listeners in the namespace */
	if (nsfwd_wanted(c)) {
		if (splice_init(c)) {
			err("-T/-U: no socket helper in the namespace");
			loop_cleanup(c);
			return 1;
		}
	} else if (c->conf.splice && splice_init(c)) {
		warn("no splice path: loopback clients of forwards take the frame path");
	}
	fwd_init(c);
	for (o = 0; o < fwd_nargs; o++) {
		if (fwd_add(c, &fwd_args[o], c->conf.splice, e, sizeof(e)) >= 0)
			continue;
		err("port forward not set up: %s", e);
		if (c->conf.host_view) {	/* pasta: a forward not bound is fatal */
			fwd_cleanup(c);
			loop_cleanup(c);
			return 1;
		}
		/* slirp4netns: the others still work */
	}
	if (nsfwd_wanted(c) && nsfwd_start(c)) {	/* after -t/-u: their host ports */
		fwd_cleanup(c);
		loop_cleanup(c);
		return 1;
	}
	if (c->conf.api_socket && api_init(c, c->conf.api_socket)) {
		fwd_cleanup(c);
		loop_cleanup(c);
		return 1;
	}
	if (c->conf.host_view)
		pasta_ready_prepare();	/* files, while there is a filesystem */
	leak_check_before_sandbox();
	isolation_trim_prepare();
	if ((r = isolation_fs())) {
		if (c->conf.enable_sandbox) {	/* asked for by name: not silently skipped */
			err("--enable-sandbox: no empty filesystem root: %s (--debug names the "
			    "failing call)", strerror(-r));
			api_cleanup();
			fwd_cleanup(c);
			loop_cleanup(c);
			return 1;
		}
		debug("no empty filesystem root (user namespaces unavailable); seccomp still applies");
	}
	if (c->conf.host_view)
		pasta_ready();		/* dup2() is not among the calls seccomp allows */
	if (isolation_seccomp()) {
		loop_cleanup(c);
		return 1;
	}
	if (c->conf.ready_fd >= 0) {
		if (write(c->conf.ready_fd, "1", 1) != 1)
			warn("write(ready fd %d): %s", c->conf.ready_fd, strerror(errno));
		close(c->conf.ready_fd);
	}
	isolation_trim();
	r = loop_run(c);
	api_cleanup();
	fwd_cleanup(c);
	loop_cleanup(c);
	return r ? 1 : 0;
}
