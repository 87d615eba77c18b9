// SPDX-License-Identifier: GPL-2.0-or-later
/* pasta.c - pasta's command line: options, the host's addresses as the
 * guest's, fork to the background once the namespace is configured */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "addr.h"
#include "busypoll.h"
#include "conf.h"
#include "frame.h"
#include "log.h"
#include "name.h"
#include "nsfwd.h"
#include "opt.h"
#include "pasta.h"

static struct {
	int foreground;
	int quiet;
	const char *log_file;
	const char *pid_file;
	int ready_pipe;			/* write end, in the child; -1 when none */
	int out_fd, in_fd;		/* stdio once ready, opened before the sandbox */
} bg = { .ready_pipe = -1, .out_fd = -1, .in_fd = -1 };

int pasta_called(int *argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');

	base = base ? base + 1 : argv[0];
	if (!strcmp(base, "pasta") || !strncmp(base, "pasta.", 6))
		return 1;
	if (*argc > 1 && !strcmp(argv[1], "--pasta")) {
		memmove(argv + 1, argv + 2, (size_t)(*argc - 1) * sizeof(*argv));
		(*argc)--;
		return 1;
	}
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out,
"Usage: pasta [OPTION]... PID\n"
"       pasta [OPTION]... --netns PATH|NAME\n"
"burrow-slirp with pasta's command line: a tap device in the target network\n"
"namespace carries the namespace's traffic to ordinary sockets of the calling\n"
"user; the namespace sees the host's own addresses and gateway.\n"
"\n"
"  --config-net              configure the tap device: addresses, routes, MTU\n"
"  --netns PATH|NAME         target namespace (NAME: /run/netns/NAME)\n"
"  --userns PATH             user namespace to join first\n"
"  --netns-only              join no user namespace\n"
"  --no-netns-quit           keep running when the namespace file is removed\n"
"  -t, --tcp-ports SPEC      forward host TCP ports: none, auto, or a list\n"
"                            [ADDR/]PORT[-PORT][:PORT[-PORT]][,~PORT[-PORT]]...\n"
"  -u, --udp-ports SPEC      the same for UDP\n"
"  -T, --tcp-ns SPEC         forward the namespace's loopback TCP ports to the\n"
"                            host's: none, auto, or PORT[-PORT][:PORT[-PORT]]...\n"
"                            (default auto, none with --no-map-gw)\n"
"  -U, --udp-ns SPEC         the same for UDP\n"
"  -a, --address ADDR        the namespace's IPv4 or IPv6 address\n"
"  -n, --netmask MASK        IPv4 prefix length or dotted mask\n"
"  -g, --gateway ADDR        IPv4 or IPv6 gateway\n"
"  -i, --interface NAME      host interface to take addresses and routes from\n"
"  -o, --outbound ADDR       bind outbound sockets to ADDR\n"
"  -I, --ns-ifname NAME      tap device name (default: the host interface's)\n"
"  -m, --mtu MTU             MTU (default 65520)\n"
"  -M, --mac-addr MAC        our MAC address toward the namespace\n"
"      --ns-mac-addr MAC     the tap device's MAC address\n"
"      --dns-forward ADDR    DNS queries to ADDR go to the host's resolver\n"
"      --dns-host ADDR       that resolver (default: first of resolv.conf)\n"
"      --map-host-loopback ADDR|none  ADDR reaches the host's loopback\n"
"      --no-map-gw           the gateway does not reach the host's loopback\n"
"      --map-gw              it does (the default)\n"
"      --map-guest-addr ADDR|none  ADDR reaches the host's own address\n"
"  -4, --ipv4-only           -6, --ipv6-only\n"
"      --no-dhcp --no-dhcpv6 --no-ndp --no-ra --no-tcp --no-udp --no-icmp\n"
"      --no-splice           (the default: loopback clients come as frames)\n"
"      --busy-poll USEC      poll up to USEC us before sleeping, learnt per wait\n"
"                            (burrow's; default 50, 0 never, at most 1000)\n"
"  -f, --foreground          stay in the foreground\n"
"  -q, --quiet               errors only;  -d, --debug  verbose\n"
"  -l, --log-file PATH       log there once in the background\n"
"  -P, --pid FILE            write the PID of the running process to FILE\n"
"  -h, --help                --version\n");
}

enum {
	P_CONFIG_NET = 256, P_NETNS, P_USERNS, P_NETNS_ONLY, P_NO_QUIT, P_DNS_FWD,
	P_DNS_HOST, P_MAP_LO, P_NO_MAP_GW, P_MAP_GW, P_MAP_GUEST, P_NO_DHCP,
	P_NO_DHCPV6, P_NO_NDP, P_NO_RA, P_NO_TCP, P_NO_UDP, P_NO_ICMP, P_NO_SPLICE,
	P_NS_MAC, P_VERSION, P_TRACE, P_BUSY_POLL, P_UNSUPPORTED,
};

/* pasta's options that burrow-slirp refuses by name (flag: OPT_UNSUPPORTED) */
#define UNSUPPORTED(name, arg) { name, arg, NULL, P_UNSUPPORTED }

static const struct option pasta_opts[] = {
	{ "config-net", no_argument, NULL, P_CONFIG_NET },
	{ "netns", required_argument, NULL, P_NETNS },
	{ "userns", required_argument, NULL, P_USERNS },
	{ "netns-only", no_argument, NULL, P_NETNS_ONLY },
	{ "no-netns-quit", no_argument, NULL, P_NO_QUIT },
	{ "tcp-ports", required_argument, NULL, 't' },
	{ "udp-ports", required_argument, NULL, 'u' },
	{ "tcp-ns", required_argument, NULL, 'T' },
	{ "udp-ns", required_argument, NULL, 'U' },
	{ "address", required_argument, NULL, 'a' },
	{ "netmask", required_argument, NULL, 'n' },
	{ "gateway", required_argument, NULL, 'g' },
	{ "interface", required_argument, NULL, 'i' },
	{ "outbound", required_argument, NULL, 'o' },
	{ "ns-ifname", required_argument, NULL, 'I' },
	{ "mtu", required_argument, NULL, 'm' },
	{ "mac-addr", required_argument, NULL, 'M' },
	{ "ns-mac-addr", required_argument, NULL, P_NS_MAC },
	{ "dns-forward", required_argument, NULL, P_DNS_FWD },
	{ "dns-host", required_argument, NULL, P_DNS_HOST },
	{ "dns", required_argument, NULL, 'D' },
	{ "search", required_argument, NULL, 'S' },
	{ "map-host-loopback", required_argument, NULL, P_MAP_LO },
	{ "no-map-gw", no_argument, NULL, P_NO_MAP_GW },
	{ "map-gw", no_argument, NULL, P_MAP_GW },
	{ "map-guest-addr", required_argument, NULL, P_MAP_GUEST },
	{ "ipv4-only", no_argument, NULL, '4' },
	{ "ipv6-only", no_argument, NULL, '6' },
	{ "no-dhcp", no_argument, NULL, P_NO_DHCP },
	{ "no-dhcpv6", no_argument, NULL, P_NO_DHCPV6 },
	{ "no-ndp", no_argument, NULL, P_NO_NDP },
	{ "no-ra", no_argument, NULL, P_NO_RA },
	{ "no-tcp", no_argument, NULL, P_NO_TCP },
	{ "no-udp", no_argument, NULL, P_NO_UDP },
	{ "no-icmp", no_argument, NULL, P_NO_ICMP },
	{ "no-splice", no_argument, NULL, P_NO_SPLICE },
	{ "busy-poll", required_argument, NULL, P_BUSY_POLL },
	{ "foreground", no_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "debug", no_argument, NULL, 'd' },
	{ "trace", no_argument, NULL, P_TRACE },
	{ "stderr", no_argument, NULL, 'e' },
	{ "log-file", required_argument, NULL, 'l' },
	{ "pid", required_argument, NULL, 'P' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, P_VERSION },
	UNSUPPORTED("pcap", required_argument),
	UNSUPPORTED("runas", required_argument),
	UNSUPPORTED("log-size", required_argument),
	UNSUPPORTED("outbound-if4", required_argument),
	UNSUPPORTED("outbound-if6", required_argument),
	UNSUPPORTED("freebind", no_argument),
	UNSUPPORTED("dhcp-dns", no_argument),
	UNSUPPORTED("no-dhcp-dns", no_argument),
	UNSUPPORTED("dhcp-search", no_argument),
	UNSUPPORTED("no-dhcp-search", no_argument),
	UNSUPPORTED("host-lo-to-ns-lo", no_argument),
	UNSUPPORTED("no-copy-routes", no_argument),
	UNSUPPORTED("no-copy-addrs", no_argument),
	UNSUPPORTED("print-capabilities", no_argument),
	UNSUPPORTED("vhost-user", no_argument),
	UNSUPPORTED("socket-path", required_argument),
	UNSUPPORTED("socket", required_argument),
	UNSUPPORTED("fd", required_argument),
	UNSUPPORTED("one-off", no_argument),
	{ NULL, 0, NULL, 0 },
};

/* What the command line said, before the host's interfaces fill the gaps */
struct pasta_args {
	struct addr addr4, addr6, gw4, gw6;	/* family 0: not given */
	int prefix4;				/* -1: not given */
	const char *ifname;			/* -i */
	const char *ns_ifname;			/* -I */
	int no_map_gw;
	int map_lo_given, map_lo_none;
	struct addr map_lo4, map_lo6;
	int only4, only6;
	int no_quit;
};

/* An address option's value: IPv4 or IPv6, kept by family (-a, -g, ...) */
static int parse_addr_opt(const char *name, const char *v, struct addr *a4, struct addr *a6)
{
	struct addr a;

	if (addr_parse(v, &a) || addr_is_any(&a)) {
		fprintf(stderr, "pasta: invalid address for %s: '%s'\n", name, v);
		return -1;
	}
	*(a.family == AF_INET ? a4 : a6) = a;
	return 0;
}

/* -n: a prefix length or a dotted mask */
static int parse_netmask(const char *v)
{
	struct in_addr m;
	long long n;
	char e[128];
	uint32_t h;

	if (!opt_number("--netmask", v, 1, 32, &n, e, sizeof(e)))
		return (int)n;
	if (inet_pton(AF_INET, v, &m) != 1)
		return -1;
	h = ntohl(m.s_addr);
	n = __builtin_popcount(h);
	if (!n || h != ~0u << (32 - n))
		return -1;
	return (int)n;
}

static void hex16(const char *hex, struct in6_addr *a)
{
	int i;

	for (i = 0; i < 16; i++) {
		unsigned b = 0;

		sscanf(hex + 2 * i, "%2x", &b);
		a->s6_addr[i] = (uint8_t)b;
	}
}

#define RTF_UP_		0x0001
#define RTF_GATEWAY_	0x0002
#define RTF_REJECT_	0x0200
#define RTF_LOCAL_	0x80000000u

/*
 * One line of /proc/net/route (@family AF_INET) or /proc/net/ipv6_route: its
 * interface into @name, the route into @rt (gateway 0 for a link route), its
 * flags.  Return: 1 for a route that is up, 0 otherwise (the header too)
 */
static int proc_route_parse(int family, const char *line, char *name, struct conf_route *rt,
			    unsigned *flags)
{
	memset(rt, 0, sizeof(*rt));
	rt->family = family;
	if (family == AF_INET) {
		unsigned dst, gw, mask;

		if (sscanf(line, "%15s %x %x %x %*d %*d %*d %x", name, &dst, &gw, flags,
			   &mask) != 5)
			return 0;
		rt->prefix = (uint8_t)__builtin_popcount(mask);
		rt->dst.v4.s_addr = dst;	/* procfs prints the raw network-order word */
		rt->gw.v4.s_addr = (*flags & RTF_GATEWAY_) ? gw : 0;
	} else {
		char dst[33], nh[33];
		unsigned plen;

		if (sscanf(line, "%32s %x %*s %*x %32s %*x %*x %*x %x %15s", dst, &plen, nh,
			   flags, name) != 5)
			return 0;
		rt->prefix = (uint8_t)plen;
		hex16(dst, &rt->dst.v6);
		hex16(nh, &rt->gw.v6);
	}
	return (*flags & RTF_UP_) != 0;
}

static FILE *proc_route_open(int family)
{
	return fopen(family == AF_INET ? "/proc/net/route" : "/proc/net/ipv6_route", "re");
}

/* The interface with the first default route of @family from procfs, and its
 * gateway (into @gw, an in_addr or in6_addr); @want restricts the search to
 * one interface.  Return: 0 or -ENOENT */
static int default_route(int family, const char *want, char *ifname, void *gw)
{
	FILE *f = proc_route_open(family);
	char line[512], name[IFNAMSIZ];
	struct conf_route rt;
	unsigned flags;
	int found = -ENOENT;

	if (!f)
		return -errno;
	while (found && fgets(line, sizeof(line), f)) {
		if (!proc_route_parse(family, line, name, &rt, &flags) || rt.prefix ||
		    (want && strcmp(want, name)))
			continue;
		if (family == AF_INET6 && (!strcmp(name, "lo") || (flags & RTF_REJECT_)))
			continue;
		memcpy(gw, &rt.gw, family == AF_INET ? 4 : 16);
		snprintf(ifname, IFNAMSIZ, "%s", name);
		found = 0;
	}
	fclose(f);
	return found;
}

/* The routes of @family on @ifname other than default ones (and, for IPv6,
 * local, rejecting, link-local and multicast ones), into @cf->routes */
static void host_routes(struct slirp_conf *cf, int family, const char *ifname)
{
	FILE *f = proc_route_open(family);
	char line[512], name[IFNAMSIZ];
	unsigned flags;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && cf->nroutes < CONF_ROUTES_MAX) {
		struct conf_route *rt = &cf->routes[cf->nroutes];

		if (!proc_route_parse(family, line, name, rt, &flags) || strcmp(name, ifname) ||
		    !rt->prefix)
			continue;
		if (family == AF_INET6 && ((flags & (RTF_LOCAL_ | RTF_REJECT_)) ||
					   IN6_IS_ADDR_LINKLOCAL(&rt->dst.v6) ||
					   IN6_IS_ADDR_MULTICAST(&rt->dst.v6)))
			continue;
		cf->nroutes++;
	}
	fclose(f);
}

static int mask_bits(const struct sockaddr *m)
{
	const uint8_t *b;
	int n = 0, len, i;

	if (!m)
		return 0;
	if (m->sa_family == AF_INET) {
		b = (const uint8_t *)&((const struct sockaddr_in *)m)->sin_addr;
		len = 4;
	} else {
		b = ((const struct sockaddr_in6 *)m)->sin6_addr.s6_addr;
		len = 16;
	}
	for (i = 0; i < len; i++)
		n += __builtin_popcount(b[i]);
	return n;
}

/* The first address of @family on @ifname (a global one for IPv6) */
static int iface_addr(const char *ifname, int family, struct addr *a, int *prefix)
{
	struct ifaddrs *ifa, *i;
	int found = -ENOENT;

	if (getifaddrs(&ifa))
		return -errno;
	for (i = ifa; i && found; i = i->ifa_next) {
		uint16_t port;

		if (!i->ifa_addr || i->ifa_addr->sa_family != family || strcmp(i->ifa_name, ifname))
			continue;
		if (addr_from_sockaddr(i->ifa_addr, a, &port))
			continue;
		if (family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&a->v6))
			continue;
		*prefix = mask_bits(i->ifa_netmask);
		found = 0;
	}
	freeifaddrs(ifa);
	return found;
}

/*
 * The guest's addresses, gateways and interface name, as pasta derives them:
 * what the command line gave, else the host interface with the first
 * default route of each family (or -i); IPv4 falls back to 169.254.2.1 with
 * gateway 169.254.2.2, IPv6 to nothing.
 */
static void take_host_view(struct slirp_conf *cf, const struct pasta_args *pa, char *tapname)
{
	char if4[IFNAMSIZ] = "", if6[IFNAMSIZ] = "";
	struct in_addr gw4 = { 0 };
	struct in6_addr gw6 = IN6ADDR_ANY_INIT;
	struct addr a;
	int prefix = 0;

	cf->host_view = 1;
	memset(&cf->dns4, 0, sizeof(cf->dns4));	/* only with --dns-forward */
	memset(&cf->dns6, 0, sizeof(cf->dns6));
	default_route(AF_INET, pa->ifname, if4, &gw4);
	if (pa->ifname && !*if4)
		snprintf(if4, sizeof(if4), "%s", pa->ifname);
	if (pa->addr4.family) {
		cf->guest4 = pa->addr4.v4;
		cf->prefix4 = 0;
		if (*if4 && !iface_addr(if4, AF_INET, &a, &prefix) && a.v4.s_addr == cf->guest4.s_addr)
			cf->prefix4 = (unsigned)prefix;
	} else if (*if4 && !iface_addr(if4, AF_INET, &a, &prefix)) {
		cf->guest4 = a.v4;
		cf->prefix4 = (unsigned)prefix;
	} else {
		inet_pton(AF_INET, "169.254.2.1", &cf->guest4);
		inet_pton(AF_INET, "169.254.2.2", &gw4);
		cf->prefix4 = 16;
	}
	if (!cf->prefix4) {			/* RFC 4632's class of the address */
		uint32_t h = ntohl(cf->guest4.s_addr);

		cf->prefix4 = h >> 31 == 0 ? 8 : h >> 30 == 2 ? 16 : 24;
	}
	if (pa->prefix4 > 0)
		cf->prefix4 = (unsigned)pa->prefix4;
	cf->gw4 = pa->gw4.family ? pa->gw4.v4 : gw4;
	cf->net4.s_addr = cf->guest4.s_addr & htonl(~0u << (32 - cf->prefix4));

	default_route(AF_INET6, pa->ifname, if6, &gw6);
	if (pa->ifname && !*if6)
		snprintf(if6, sizeof(if6), "%s", pa->ifname);
	memset(&cf->guest6, 0, sizeof(cf->guest6));
	if (pa->addr6.family) {
		cf->guest6 = pa->addr6.v6;
		cf->prefix6 = 64;
	} else if (*if6 && !iface_addr(if6, AF_INET6, &a, &prefix)) {
		cf->guest6 = a.v6;
		cf->prefix6 = (unsigned)prefix;
	}
	cf->gw6 = pa->gw6.family ? pa->gw6.v6 : gw6;
	memset(&cf->net6, 0, sizeof(cf->net6));
	memcpy(&cf->net6, &cf->guest6, 8);
	cf->ipv6 = !IN6_IS_ADDR_UNSPECIFIED(&cf->guest6) && !pa->only4;
	cf->disable_ipv4 = pa->only6;

	/* the address that reaches the host's loopback: the gateway by default */
	memset(&cf->map_lo4, 0, sizeof(cf->map_lo4));
	memset(&cf->map_lo6, 0, sizeof(cf->map_lo6));
	if (pa->map_lo_given) {
		if (pa->map_lo4.family)
			cf->map_lo4 = pa->map_lo4.v4;
		if (pa->map_lo6.family)
			cf->map_lo6 = pa->map_lo6.v6;
	} else if (!pa->no_map_gw && !pa->map_lo_none) {
		cf->map_lo4 = cf->gw4;
		cf->map_lo6 = cf->gw6;
	}
	/* pasta copies the template interfaces' routes, unless -g replaced them */
	cf->nroutes = 0;
	if (*if4 && !pa->gw4.family && !pa->addr4.family)
		host_routes(cf, AF_INET, if4);
	if (*if6 && !pa->gw6.family && !pa->addr6.family)
		host_routes(cf, AF_INET6, if6);
	if (pa->ns_ifname)
		snprintf(tapname, IFNAMSIZ, "%s", pa->ns_ifname);
	else
		snprintf(tapname, IFNAMSIZ, "%s", *if4 ? if4 : *if6 ? if6 : "tap0");
}

/* pasta's port forwarding modes, per option (-t -u -T -U) */
enum { MODE_UNSET, MODE_SPEC, MODE_NONE, MODE_AUTO };

/*
 * -t/-u (host to namespace) and -T/-U (namespace to host): none, auto or a
 * list; "all" is passt's only, as pasta says; modes conflict as in pasta
 * (one of none/auto/all per option, lists may repeat)
 */
static int parse_ports(struct slirp_conf *cf, int o, const char *spec, struct port_fwd *fwd,
		       int *nfwd, int max, int *mode)
{
	int udp = o == 'u' || o == 'U', ns = o == 'T' || o == 'U';
	char e[256];
	int r;

	if (!strcmp(spec, "none") || !strcmp(spec, "auto") || !strcmp(spec, "all")) {
		if (*mode) {
			fprintf(stderr, "pasta: Port forwarding mode '%s' conflicts with previous "
				"mode\n", spec);
			return -1;
		}
		if (!strcmp(spec, "all")) {
			fprintf(stderr, "pasta: 'all' port forwarding is only allowed for passt\n");
			return -1;
		}
		*mode = spec[0] == 'n' ? MODE_NONE : MODE_AUTO;
		if (*mode == MODE_AUTO)
			*(ns ? (udp ? &cf->auto_udp_ns : &cf->auto_tcp_ns) :
			  (udp ? &cf->auto_udp : &cf->auto_tcp)) = 1;
		return 0;
	}
	if (*mode > MODE_SPEC) {
		fprintf(stderr, "pasta: Specific ports cannot be specified together with "
			"all/none/auto\n");
		return -1;
	}
	*mode = MODE_SPEC;
	if (ns)
		r = nsfwd_parse(spec, udp ? IPPROTO_UDP : IPPROTO_TCP, e, sizeof(e));
	else
		r = portspec_parse_pasta(spec, udp ? IPPROTO_UDP : IPPROTO_TCP, fwd + *nfwd,
					 (size_t)(max - *nfwd), e, sizeof(e));
	if (r < 0) {
		fprintf(stderr, "pasta: invalid -%c %s: %s\n", o, spec,
			r == -ENOSPC && !ns ? "too many forwards" : e);
		return -1;
	}
	if (!ns)
		*nfwd += r;
	return 0;
}

/*
 * -T/-U not given: auto, pasta's default, unless the namespace must not reach
 * the host's loopback (--no-map-gw, --map-host-loopback none): pasta follows
 * the host's loopback listeners into the namespace even then, which undoes
 * rootlesskit's --disable-host-loopback (rlk#612).  -t/-u stay none.
 */
static void default_ns_forwards(struct slirp_conf *cf, const struct pasta_args *pa,
				const int *modes)
{
	int lo_closed = pa->map_lo_given ? pa->map_lo_none : pa->no_map_gw;

	if (lo_closed)
		return;
	if (modes[2] == MODE_UNSET && !cf->no_tcp)
		cf->auto_tcp_ns = 1;
	if (modes[3] == MODE_UNSET && !cf->no_udp)
		cf->auto_udp_ns = 1;
}

/* The target: --netns PATH|NAME or one PID; a COMMAND is refused */
static int parse_target(struct slirp_conf *cf, const char *netns, int nargs, char **args,
			char *pathbuf, size_t pathlen)
{
	char *end;
	long pid;

	if (netns && nargs) {
		fprintf(stderr, "pasta: both --netns and '%s' given\n", args[0]);
		return -1;
	}
	if (netns) {
		if (!*netns) {
			fprintf(stderr, "pasta: empty --netns\n");
			return -1;
		}
		if (strchr(netns, '/'))
			snprintf(pathbuf, pathlen, "%s", netns);
		else
			snprintf(pathbuf, pathlen, "/run/netns/%s", netns);
		cf->netns_path = pathbuf;
		return 0;
	}
	if (nargs == 1) {
		errno = 0;
		pid = strtol(args[0], &end, 10);
		if (!errno && !*end && pid > 0 && pid <= 0x3fffffff) {
			cf->target_pid = (pid_t)pid;
			return 0;
		}
	}
	if (nargs) {
		fprintf(stderr, "pasta: '%s': running a command in a new namespace is not "
			"supported by burrow-slirp; give --netns PATH or a PID\n", args[0]);
		return -1;
	}
	fprintf(stderr, "pasta: no target: give --netns PATH|NAME or a PID (a new namespace "
		"with a shell is not supported by burrow-slirp)\n");
	return -1;
}

int pasta_parse(int argc, char **argv, struct ctx *c, struct port_fwd *fwd, int *nfwd,
		int max)
{
	static char tapname[IFNAMSIZ], netns_path[4096];
	struct slirp_conf *cf = &c->conf;
	struct pasta_args pa = { .prefix4 = -1 };
	const char *netns = NULL;
	struct addr dns_host4 = { 0 }, dns_host6 = { 0 };
	struct addr dfwd4 = { 0 }, dfwd6 = { 0 }, mg4 = { 0 }, mg6 = { 0 };
	int o, idx = 0, map_guest_none = 0, modes[4] = { 0 };
	long long v;
	char e[128];

	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "+:t:u:T:U:a:n:g:i:o:I:m:M:D:S:46fqdel:P:h",
				pasta_opts, &idx)) != -1) {
		switch (o) {
		case P_CONFIG_NET: cf->configure = 1; break;
		case P_NETNS: netns = optarg; break;
		case P_USERNS: cf->userns_path = optarg; break;
		case P_NETNS_ONLY: cf->netns_only = 1; break;
		case P_NO_QUIT: pa.no_quit = 1; break;
		case 't': case 'u': case 'T': case 'U':
			if (parse_ports(cf, o, optarg, fwd, nfwd, max,
					&modes[o == 't' ? 0 : o == 'u' ? 1 : o == 'T' ? 2 : 3]))
				return 1;
			break;
		case 'a':
			if (parse_addr_opt("-a", optarg, &pa.addr4, &pa.addr6))
				return 1;
			break;
		case 'n':
			if ((pa.prefix4 = parse_netmask(optarg)) < 0) {
				fprintf(stderr, "pasta: invalid netmask '%s'\n", optarg);
				return 1;
			}
			break;
		case 'g':
			if (parse_addr_opt("-g", optarg, &pa.gw4, &pa.gw6))
				return 1;
			break;
		case 'i': pa.ifname = optarg; break;
		case 'I':
			if (!name_ifname_valid(optarg)) {
				char q[128];

				fprintf(stderr, "pasta: invalid interface name '%s'\n",
					name_quote(optarg, q, sizeof(q)));
				return 1;
			}
			pa.ns_ifname = optarg;
			break;
		case 'o': {
			struct addr a;

			if (addr_parse(optarg, &a) ||
			    conf_set_outbound(cf, a.family, optarg)) {
				fprintf(stderr, "pasta: invalid --outbound '%s'\n", optarg);
				return 1;
			}
			break;
		}
		case 'm':
			if (opt_number("--mtu", optarg, MTU_MIN, MTU_DEFAULT, &v, e, sizeof(e))) {
				fprintf(stderr, "pasta: %s\n", e);
				return 1;
			}
			cf->mtu = (unsigned)v;
			break;
		case 'M': case P_NS_MAC:
			if (mac_parse(optarg, o == 'M' ? cf->gw_mac : cf->guest_mac)) {
				fprintf(stderr, "pasta: invalid MAC address '%s'\n", optarg);
				return 1;
			}
			if (o == P_NS_MAC)
				cf->guest_mac_set = 1;
			break;
		case P_DNS_FWD:
			if (parse_addr_opt("--dns-forward", optarg, &dfwd4, &dfwd6))
				return 1;
			break;
		case P_DNS_HOST:
			if (parse_addr_opt("--dns-host", optarg, &dns_host4, &dns_host6))
				return 1;
			break;
		case 'D': case 'S':
			if (strcmp(optarg, "none")) {
				fprintf(stderr, "pasta: %s %s: handing DNS %s to the namespace is not "
					"supported by burrow-slirp (only 'none'); use --dns-forward\n",
					o == 'D' ? "--dns" : "--search", optarg,
					o == 'D' ? "servers" : "search lists");
				return 1;
			}
			break;
		case P_MAP_LO:
			pa.map_lo_given = 1;
			memset(&pa.map_lo4, 0, sizeof(pa.map_lo4));
			memset(&pa.map_lo6, 0, sizeof(pa.map_lo6));
			if (!strcmp(optarg, "none")) {
				pa.map_lo_none = 1;
				break;
			}
			if (parse_addr_opt("--map-host-loopback", optarg, &pa.map_lo4, &pa.map_lo6))
				return 1;
			break;
		case P_NO_MAP_GW: pa.no_map_gw = 1; break;
		case P_MAP_GW: pa.no_map_gw = 0; break;
		case P_MAP_GUEST:
			if (!strcmp(optarg, "none")) {
				map_guest_none = 1;
				memset(&mg4, 0, sizeof(mg4));
				memset(&mg6, 0, sizeof(mg6));
				break;
			}
			map_guest_none = 0;
			if (parse_addr_opt("--map-guest-addr", optarg, &mg4, &mg6))
				return 1;
			break;
		case '4': pa.only4 = 1; pa.only6 = 0; break;
		case '6': pa.only6 = 1; pa.only4 = 0; break;
		case P_NO_DHCP: cf->no_dhcp = 1; break;
		case P_NO_DHCPV6: cf->no_dhcpv6 = 1; break;
		case P_NO_NDP: cf->no_ndp = 1; break;
		case P_NO_RA: cf->no_ra = 1; break;
		case P_NO_TCP: cf->no_tcp = 1; break;
		case P_NO_UDP: cf->no_udp = 1; break;
		case P_NO_ICMP: cf->no_icmp = 1; break;
		case P_NO_SPLICE: cf->splice = 0; break;
		case P_BUSY_POLL:
			if (opt_number("--busy-poll", optarg, 0, BUSYPOLL_MAX_US, &v, e, sizeof(e))) {
				fprintf(stderr, "pasta: %s\n", e);
				return 1;
			}
			cf->busy_poll_us = (unsigned)v;
			break;
		case 'f': bg.foreground = 1; break;
		case 'e': break;		/* log to stderr: what the foreground does */
		case 'q': bg.quiet = 1; log_set_level(LOG_LVL_ERROR); break;
		case 'd': case P_TRACE: log_set_level(LOG_LVL_DEBUG); break;
		case 'l': bg.log_file = optarg; break;
		case 'P': bg.pid_file = optarg; break;
		case 'h': usage(stdout); return 0;
		case P_VERSION:
			printf("pasta (burrow-slirp %s)\n", BURROW_VERSION);
			return 0;
		case P_UNSUPPORTED:
			fprintf(stderr, "pasta: option --%s is not supported by burrow-slirp\n",
				pasta_opts[idx].name);
			return 1;
		case ':':
			fprintf(stderr, "pasta: option '%s' needs a value\n", argv[optind - 1]);
			return 1;
		default:
			if (optopt)
				fprintf(stderr, "pasta: unknown option '-%c'\n", optopt);
			else
				fprintf(stderr, "pasta: unknown option '%s'\n", argv[optind - 1]);
			usage(stderr);
			return 1;
		}
	}
	/* pasta's check, for -t/-T (-u/-U) given with or before --no-tcp (--no-udp) too */
	if (cf->no_tcp && (modes[0] == MODE_SPEC || modes[0] == MODE_AUTO ||
			   modes[2] == MODE_SPEC || modes[2] == MODE_AUTO)) {
		fprintf(stderr, "pasta: TCP port forwarding requested but TCP is disabled\n");
		return 1;
	}
	if (cf->no_udp && (modes[1] == MODE_SPEC || modes[1] == MODE_AUTO ||
			   modes[3] == MODE_SPEC || modes[3] == MODE_AUTO)) {
		fprintf(stderr, "pasta: UDP port forwarding requested but UDP is disabled\n");
		return 1;
	}
	if (parse_target(cf, netns, argc - optind, argv + optind, netns_path, sizeof(netns_path)))
		return 1;
	cf->detach_stdio = !bg.foreground;
	default_ns_forwards(cf, &pa, modes);
	if (cf->netns_path && !pa.no_quit)
		cf->quit_path = cf->netns_path;
	take_host_view(cf, &pa, tapname);
	cf->tapname = tapname;
	if (dfwd4.family)
		cf->dns4 = dfwd4.v4;
	if (dfwd6.family)
		cf->dns6 = dfwd6.v6;
	if (!map_guest_none) {
		if (mg4.family)
			cf->map_guest4 = mg4.v4;
		if (mg6.family)
			cf->map_guest6 = mg6.v6;
	}
	if (dns_host4.family || dns_host6.family) {
		const struct addr *h = dns_host4.family ? &dns_host4 : &dns_host6;

		cf->resolver_len = (socklen_t)addr_to_sockaddr(h, 53, &cf->resolver);
	}
	if (!dfwd4.family && !dfwd6.family)
		cf->disable_dns = 1;		/* pasta maps no DNS address by default */
	return -1;
}

int pasta_background(void)
{
	int p[2], status;
	ssize_t n;
	pid_t pid;
	char b;

	if (bg.foreground)
		return 0;
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	if (pid == 0) {
		close(p[0]);
		bg.ready_pipe = p[1];
		setsid();
		return 0;
	}
	close(p[1]);
	do
		n = read(p[0], &b, 1);
	while (n < 0 && errno == EINTR);
	if (n == 1)
		_exit(0);		/* configured: the engine goes on */
	/* the child closed the pipe without being ready: its status tells why */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	_exit(WIFEXITED(status) && WEXITSTATUS(status) ? WEXITSTATUS(status) : 1);
}

void pasta_ready_prepare(void)
{
	if (bg.pid_file) {
		FILE *f = fopen(bg.pid_file, "we");

		if (!f || fprintf(f, "%d\n", (int)getpid()) < 0)
			warn("writing the PID file %s: %s", bg.pid_file, strerror(errno));
		if (f)
			fclose(f);
	}
	if (bg.ready_pipe < 0)
		return;
	bg.out_fd = bg.log_file ? open(bg.log_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
				       0600) : -1;
	if (bg.log_file && bg.out_fd < 0)
		warn("open(%s): %s", bg.log_file, strerror(errno));
	if (bg.out_fd < 0)
		bg.out_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (bg.out_fd < 0)
		warn("open(/dev/null): %s", strerror(errno));
	bg.in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (bg.in_fd < 0)
		warn("open(/dev/null): %s", strerror(errno));
}

void pasta_ready(void)
{
	if (bg.ready_pipe < 0)
		return;
	/* the engine reads our stdout and stderr to their end (Podman's
	 * CombinedOutput): none of them may stay open in the background */
	if (bg.out_fd >= 0) {
		dup2(bg.out_fd, STDERR_FILENO);
		dup2(bg.out_fd, STDOUT_FILENO);
		close(bg.out_fd);
		bg.out_fd = -1;
	}
	if (bg.in_fd >= 0) {
		dup2(bg.in_fd, STDIN_FILENO);
		close(bg.in_fd);
		bg.in_fd = -1;
	}
	if (write(bg.ready_pipe, "1", 1) != 1)
		warn("write(ready pipe): %s", strerror(errno));
	close(bg.ready_pipe);
	bg.ready_pipe = -1;
}
