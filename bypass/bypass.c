// SPDX-License-Identifier: GPL-2.0-or-later
/* bypass.c - burrow-bypass: command line and start-up */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "cleanup.h"
#include "hostsock.h"
#include "json.h"
#include "log.h"
#include "opt.h"
#include "policy.h"
#include "receiver.h"
#include "seccompnotify.h"

#define PROFILE_MAX (4 << 20)	/* a seccomp profile is ~16 KiB */

static void usage(FILE *out)
{
	fprintf(out,
"Usage: burrow-bypass [OPTION]... SOCKET\n"
"       burrow-bypass --seccomp-profile[=BASE] [SOCKET]\n"
"Give a rootless container host sockets for its TCP and UDP traffic to remote\n"
"peers, through the seccomp listener its OCI runtime sends to the unix socket\n"
"SOCKET (the config's linux.seccomp.listenerPath).  Everything local to the\n"
"container keeps its own network (burrow-slirp's tap).\n"
"\n"
"  -p, --publish=SPEC        [ADDR:]HOSTPORT[:CTRPORT][/tcp|/udp]: a bind() of\n"
"                            CTRPORT in the container gets a host socket bound\n"
"                            to ADDR:HOSTPORT (repeats)\n"
"      --cidr=CIDR           a network of the container, left to its tap\n"
"                            (repeats; default 10.0.2.0/24 and fd00::/64)\n"
"      --exclude=CIDR        never bypass destinations in CIDR (repeats)\n"
"  -6, --enable-ipv6         bypass IPv6 destinations too (give it when the\n"
"                            container's own network has IPv6)\n"
"  -r, --ready-fd=FD         write \"1\" to FD once SOCKET listens\n"
"  -e, --exit-fd=FD          exit when FD is closed or becomes readable\n"
"      --listener-timeout=S  give up waiting for the runtime after S seconds\n"
"                            (default 60; 0 waits forever)\n"
"      --debug               log every decision\n"
"      --seccomp-profile[=BASE]  print a seccomp profile for an engine\n"
"                            (podman run --security-opt seccomp=FILE): BASE\n"
"                            (a profile file; default: allow everything else)\n"
"                            with the calls above sent to SOCKET (listenerPath;\n"
"                            without SOCKET, crun's run.oci.seccomp.receiver\n"
"                            annotation must name it), then exit\n"
"  -h, --help                this text\n"
"      --version             version\n");
}

struct args {
	struct policy pol;
	const char *socket;
	const char *profile_base;	/* --seccomp-profile=BASE ("" without BASE) */
	int ready_fd, exit_fd, timeout_s, debug, own_cidr;
};

static long long number(const char *name, const char *s, long long min, long long max)
{
	char err[160];
	long long v;

	if (opt_number(name, s, min, max, &v, err, sizeof(err)) < 0)
		die("%s", err);
	return v;
}

static void add_publish(struct policy *p, const char *spec)
{
	char err[256];

	if (p->nports >= POLICY_MAX_PORTS)
		die("too many -p (at most %d)", POLICY_MAX_PORTS);
	if (portspec_parse(spec, &p->ports[p->nports], err, sizeof(err)) < 0)
		die("invalid -p %s: %s", spec, err);
	p->nports++;
}

static void add_cidr(struct args *a, const char *s, int exclude)
{
	int r;

	if (!exclude && !a->own_cidr) {	/* the first --cidr replaces the defaults */
		a->pol.nlocal = 0;
		a->own_cidr = 1;
	}
	r = exclude ? policy_add_exclude(&a->pol, s) : policy_add_local(&a->pol, s);
	if (r < 0)
		die("%s %s: %s", exclude ? "--exclude" : "--cidr", s,
		    r == -ENOSPC ? "too many" : "not an address/prefix");
}

static void parse_args(int argc, char **argv, struct args *a)
{
	static const struct option lo[] = {
		{ "publish", required_argument, NULL, 'p' },
		{ "cidr", required_argument, NULL, 'C' },
		{ "exclude", required_argument, NULL, 'X' },
		{ "enable-ipv6", no_argument, NULL, '6' },
		{ "ready-fd", required_argument, NULL, 'r' },
		{ "exit-fd", required_argument, NULL, 'e' },
		{ "listener-timeout", required_argument, NULL, 'T' },
		{ "debug", no_argument, NULL, 'D' },
		{ "seccomp-profile", optional_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	int c;

	policy_init(&a->pol);
	a->ready_fd = a->exit_fd = -1;
	a->timeout_s = 60;
	while ((c = getopt_long(argc, argv, "p:r:e:h6", lo, NULL)) != -1) {
		switch (c) {
		case 'p': add_publish(&a->pol, optarg); break;
		case 'C': add_cidr(a, optarg, 0); break;
		case 'X': add_cidr(a, optarg, 1); break;
		case 'r': a->ready_fd = (int)number("--ready-fd", optarg, 0, 65535); break;
		case 'e': a->exit_fd = (int)number("--exit-fd", optarg, 0, 65535); break;
		case 'T': a->timeout_s = (int)number("--listener-timeout", optarg, 0, 86400); break;
		case 'D': a->debug = 1; break;
		case 'S': a->profile_base = optarg ? optarg : ""; break;
		case '6': a->pol.ipv6 = 1; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("burrow-bypass %s\n", BURROW_VERSION); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (a->profile_base && optind >= argc - 1) {
		a->socket = optind < argc ? argv[optind] : NULL;
		return;
	}
	if (optind != argc - 1) {
		usage(stderr);
		exit(2);
	}
	a->socket = argv[optind];
}

/* --seccomp-profile: BASE (or nothing) with our rules, on stdout; exit status */
static int print_profile(const char *base, const char *socket)
{
	_cleanup_close_ int fd = -1;
	struct json_err e = { "" };
	char err[256];
	json_t *sc;
	int r;

	if (socket && socket[0] != '/')
		die("--seccomp-profile: SOCKET %s is not an absolute path (the runtime "
		    "connects to it from elsewhere)", socket);
	if (*base) {
		fd = open(base, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die("open(%s): %s", base, strerror(errno));
		sc = json_read_fd(fd, PROFILE_MAX, &e);
		if (!sc)
			die("%s: %s", base, e.msg);
	} else {
		sc = json_object();
		if (!sc)
			die("out of memory");
	}
	r = seccompnotify_apply(sc, socket, err, sizeof(err));
	if (r < 0) {
		json_decref(sc);
		die("%s%s%s", *base ? base : "", *base ? ": " : "", err);
	}
	r = json_dumpf(sc, stdout, JSON_INDENT(2)) < 0 || putchar('\n') == EOF ||
	    fflush(stdout) == EOF;
	json_decref(sc);
	if (r)
		die("write(stdout): %s", strerror(errno));
	return 0;
}

int main(int argc, char **argv)
{
	struct agent_stats st;
	struct args a = { 0 };
	int sock, lfd, r;
	pid_t pid;

	log_init("burrow-bypass", LOG_LVL_INFO, 0);
	parse_args(argc, argv, &a);
	if (a.profile_base)
		return print_profile(a.profile_base, a.socket);
	if (a.debug)
		log_set_level(LOG_LVL_DEBUG);
	signal(SIGPIPE, SIG_IGN);
	r = hostsock_init();
	if (r < 0)
		die("getsockopt(SO_NETNS_COOKIE): %s (Linux 5.14 or later is needed)",
		    strerror(-r));
	sock = receiver_open(a.socket);
	if (sock < 0)
		die("listen on %s: %s", a.socket, strerror(-sock));
	if (a.ready_fd >= 0) {
		if (write(a.ready_fd, "1", 1) != 1)
			log_msg(LOG_LVL_WARN, "write(ready fd %d): %s", a.ready_fd, strerror(errno));
		close(a.ready_fd);
	}
	lfd = receiver_take(sock, a.timeout_s ? a.timeout_s * 1000 : -1, &pid);
	if (lfd < 0) {
		close(sock);
		unlink(a.socket);
		log_msg(LOG_LVL_WARN, "no seccomp listener from the OCI runtime on %s (%s): "
			"bypass is off, all traffic takes the slirp path", a.socket,
			strerror(-lfd));
		return 0;
	}
	log_msg(LOG_LVL_INFO, "seccomp listener received (container pid %d): bypass is on",
		(int)pid);
	/* the socket stays: each exec session's runtime sends its listener too */
	r = agent_run(lfd, sock, &a.pol, a.exit_fd, &st);
	close(lfd);
	close(sock);
	unlink(a.socket);
	return r < 0 ? 1 : 0;
}
