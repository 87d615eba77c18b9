// SPDX-License-Identifier: GPL-2.0-or-later
/* net.c - the container's network helper: none, slirp or pasta */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* messages that name long paths may be cut short: that is fine */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "cleanup.h"
#include "file.h"
#include "name.h"
#include "net.h"
#include "netdef.h"
#include "resolv.h"
#include "ns.h"
#include "proc.h"
#include "runtime.h"
#include "statedir.h"

const char *net_default_mode(size_t nports)
{
	char bin[PATH_MAX];

	/* both forward ports (-p): burrow-slirp first either way */
	(void)nports;
	if (find_program("burrow-slirp", bin, sizeof(bin)) == 0)
		return "slirp";
	if (find_program("pasta", bin, sizeof(bin)) == 0)
		return "pasta";
	return "none";
}

int net_mode_check(const char *mode, size_t nports, char *err, size_t errlen)
{
	char bin[PATH_MAX];

	if (!strcmp(mode, "none")) {
		if (nports) {
			snprintf(err, errlen, "-p needs a network: --network none has none "
				 "(use --network pasta or slirp)");
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(mode, "pasta")) {
		if (find_program("pasta", bin, sizeof(bin)) < 0) {
			snprintf(err, errlen, "--network pasta: the pasta program is missing "
				 "(apt-get install passt)");
			return -ENOENT;
		}
		return 0;
	}
	if (!strcmp(mode, "slirp")) {
		if (find_program("burrow-slirp", bin, sizeof(bin)) < 0) {
			snprintf(err, errlen, "--network slirp: burrow-slirp is not installed "
				 "next to burrow or in PATH (build it with make slirp, or use "
				 "--network pasta)");
			return -ENOENT;
		}
		return 0;
	}
	if (!strcmp(mode, "slirp:bypass")) {
		if (find_program("burrow-slirp", bin, sizeof(bin)) < 0 ||
		    find_program("burrow-bypass", bin, sizeof(bin)) < 0) {
			snprintf(err, errlen, "--network slirp:bypass: burrow-slirp and "
				 "burrow-bypass must be installed next to burrow or in PATH "
				 "(build them with make slirp bypass)");
			return -ENOENT;
		}
		return 0;
	}
	if (!strncmp(mode, "container:", 10) && mode[10]) {
		if (nports) {
			snprintf(err, errlen, "-p with --network %s: forward the ports when "
				 "starting the container whose network is shared", mode);
			return -EINVAL;
		}
		return 0;
	}
	if (!strncmp(mode, "pod:", 4) && mode[4]) {
		if (nports) {
			snprintf(err, errlen, "-p with --network %s: a pod's ports are forwarded "
				 "by the pod (burrow pod create -p ...)", mode);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(mode, "bridge") || (!strncmp(mode, "bridge:", 7) && mode[7])) {
		if (mode[6] && name_check("--network bridge: network name", mode + 7,
					  NETDEF_NAME_MAX + 1, 0, err, errlen) < 0)
			return -EINVAL;
		if (geteuid() != 0 || rootless()) {
			snprintf(err, errlen, "--network %s: bridge networks need root (rootless: "
				 "use --network slirp or pasta)", mode);
			return -EPERM;
		}
		if (find_program("burrow-bridge", bin, sizeof(bin)) < 0) {
			snprintf(err, errlen, "--network %s: burrow-bridge is not installed next "
				 "to burrow or in PATH (build it with make bridge)", mode);
			return -ENOENT;
		}
		return 0;
	}
	snprintf(err, errlen, "unknown --network '%s': expected slirp, pasta, bridge[:NAME], "
		 "none, container:ID or pod:NAME", mode);
	return -EINVAL;
}

int net_port_free(const struct port_fwd *f, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	char a[ADDR_STRLEN];
	unsigned i;
	int one = 1;

	for (i = 0; i < f->count; i++) {
		uint16_t port = (uint16_t)(f->host_port + i);
		size_t sl = addr_to_sockaddr(&f->host_addr, port, &ss);
		int type = f->proto == IPPROTO_UDP ? SOCK_DGRAM : SOCK_STREAM;
		_cleanup_close_ int s = socket(ss.ss_family, type | SOCK_CLOEXEC, 0);

		if (s < 0) {
			snprintf(err, errlen, "socket(): %s", strerror(errno));
			return -errno;
		}
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(s, (struct sockaddr *)&ss, (socklen_t)sl) < 0) {
			int e = errno;

			addr_format(&f->host_addr, a, sizeof(a));
			if (e == EADDRINUSE)
				snprintf(err, errlen, "port %u/%s is already in use on %s: pick "
					 "another host port (-p OTHER:%u) or stop what listens there",
					 port, f->proto == IPPROTO_UDP ? "udp" : "tcp",
					 f->host_addr.family ? a : "all addresses",
					 (unsigned)(f->guest_port + i));
			else if (e == EACCES)
				snprintf(err, errlen, "port %u: %s (ports below %s need root; "
					 "pick a higher host port)", port, strerror(e),
					 "net.ipv4.ip_unprivileged_port_start");
			else
				snprintf(err, errlen, "bind(%s port %u): %s",
					 f->host_addr.family ? a : "*", port, strerror(e));
			return -e;
		}
	}
	return 0;
}

const char *net_pasta_arg(const struct port_fwd *f, char *buf, size_t len)
{
	char a[ADDR_STRLEN] = "";
	int n = 0;

	if (f->host_addr.family)
		n = snprintf(buf, len, "%s/", addr_format(&f->host_addr, a, sizeof(a)));
	if (n < 0 || (size_t)n >= len)
		return buf;
	if (f->count > 1)
		snprintf(buf + n, len - (size_t)n, "%u-%u:%u-%u", f->host_port,
			 f->host_port + f->count - 1, f->guest_port, f->guest_port + f->count - 1);
	else
		snprintf(buf + n, len - (size_t)n, "%u:%u", f->host_port, f->guest_port);
	return buf;
}

/* fork and exec @argv with /dev/null stdin, stdout and stderr to @logfd;
 * descriptors without close-on-exec are inherited */
static pid_t spawn(const char *bin, char *const *argv, int logfd)
{
	pid_t pid = fork();

	if (pid == 0) {
		sigset_t none;
		int nul = open("/dev/null", O_RDONLY);

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setsid();
		dup2(nul, 0);
		dup2(logfd, 1);
		dup2(logfd, 2);
		execv(bin, argv);
		dprintf(2, "exec %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	return pid;
}

/* the last line of the helper's log, for the error message */
static void log_tail(const char *path, char *out, size_t len)
{
	char buf[4096], *p;
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (n <= 0) {
		snprintf(out, len, "no message");
		return;
	}
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	p = strrchr(buf, '\n');
	snprintf(out, len, "%.400s", p ? p + 1 : buf);
}

/* the address each helper forwards DNS queries from, to the host's resolver:
 * the container's only nameserver (the host's may be on its loopback, or on
 * networks the container cannot reach), as Podman does */
static const char *const slirp_dns = "10.0.2.3";
static const char *const pasta_dns = "169.254.1.1";

static int setup_pasta(struct ctr *c, pid_t target, const struct port_fwd *fwd, size_t nfwd,
		       char *err, size_t errlen)
{
	char bin[PATH_MAX], logp[PATH_MAX + 16], pidp[PATH_MAX + 16], pidarg[16], msg[512];
	char netnsarg[PATH_MAX + 16];
	char tcp[NET_MAX_PORTS][96], udp[NET_MAX_PORTS][96];
	const char *argv[16 + 4 * NET_MAX_PORTS];
	size_t n = 0, i, nt = 0, nu = 0;
	_cleanup_close_ int logfd = -1;
	int status;
	pid_t pid;
	FILE *f;

	find_program("pasta", bin, sizeof(bin));
	state_path(c, "pasta.log", logp, sizeof(logp));
	state_path(c, "pasta.pid", pidp, sizeof(pidp));
	logfd = open(logp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (logfd < 0) {
		snprintf(err, errlen, "open(%s): %s", logp, strerror(errno));
		return -errno;
	}
	argv[n++] = "pasta";
	argv[n++] = "--config-net";
	argv[n++] = "--quiet";
	argv[n++] = "-P";
	argv[n++] = pidp;
	for (i = 0; i < nfwd && i < NET_MAX_PORTS; i++) {
		if (fwd[i].proto == IPPROTO_UDP) {
			argv[n++] = "-u";
			argv[n++] = net_pasta_arg(&fwd[i], udp[nu++], sizeof(udp[0]));
		} else {
			argv[n++] = "-t";
			argv[n++] = net_pasta_arg(&fwd[i], tcp[nt++], sizeof(tcp[0]));
		}
	}
	if (!nt) {
		argv[n++] = "-t";
		argv[n++] = "none";
	}
	if (!nu) {
		argv[n++] = "-u";
		argv[n++] = "none";
	}
	argv[n++] = "-T";
	argv[n++] = "none";
	argv[n++] = "-U";
	argv[n++] = "none";
	argv[n++] = "--dns-forward";
	argv[n++] = pasta_dns;
	if (c->rootless) {
		/* joins the user and network namespaces of the holder */
		snprintf(pidarg, sizeof(pidarg), "%d", (int)target);
		argv[n++] = pidarg;
	} else {
		/* rootful: there is no user namespace to join, and pasta
		 * cannot open another process's /proc/PID/ns/net once it
		 * dropped privileges: hand it a bind-mounted namespace file */
		char src[64];
		int r;

		snprintf(src, sizeof(src), "/proc/%d/ns/net", (int)target);
		state_path(c, "netns", netnsarg, sizeof(netnsarg));
		r = ns_bind(src, netnsarg);
		if (r < 0) {
			snprintf(err, errlen, "bind %s on %s: %s", src, netnsarg, strerror(-r));
			return r;
		}
		/* and as root it would switch to nobody, who cannot open
		 * our private folder: stay root (rootful anyway) */
		argv[n++] = "--runas";
		argv[n++] = "0";
		argv[n++] = "--netns";
		argv[n++] = netnsarg;
	}
	argv[n] = NULL;

	/* pasta forks into the background once the namespace is configured */
	pid = spawn(bin, (char *const *)argv, logfd);
	if (pid < 0) {
		snprintf(err, errlen, "fork(): %s", strerror(errno));
		return -errno;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			break;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		log_tail(logp, msg, sizeof(msg));
		snprintf(err, errlen, "pasta failed to set up the network: %s", msg);
		if (strstr(msg, "in use"))
			snprintf(err, errlen, "pasta could not bind a forwarded port: %s", msg);
		return -EIO;
	}
	/* the background pasta writes its PID file itself: wait up to 5 s */
	for (i = 0; i < 500; i++) {
		f = fopen(pidp, "re");
		if (f) {
			status = fscanf(f, "%d", &c->net_pid);
			fclose(f);
			if (status == 1 && c->net_pid > 0)
				break;
		}
		proc_sleep_ms(10);
	}
	if (i == 500) {
		snprintf(err, errlen, "pasta: no PID in %s", pidp);
		return -EIO;
	}
	proc_start_time(c->net_pid, &c->net_start);
	return 0;
}

/* the first "port forward not set up" line burrow-slirp logged (it keeps
 * the other forwards and runs on; we want all or nothing), else "" */
static void slirp_fwd_failure(const char *path, char *out, size_t len)
{
	char buf[8192], *p, *e;
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	out[0] = '\0';
	if (n <= 0)
		return;
	buf[n] = '\0';
	p = strstr(buf, "port forward not set up: ");
	if (!p)
		return;
	p += strlen("port forward not set up: ");
	e = strchr(p, '\n');
	if (e)
		*e = '\0';
	snprintf(out, len, "%.400s", p);
}

static int setup_slirp(struct ctr *c, pid_t target, int tied, const struct port_fwd *fwd,
		       size_t nfwd, char *err, size_t errlen)
{
	char bin[PATH_MAX], logp[PATH_MAX + 16], pidarg[16], readyarg[32], exitarg[32];
	char msg[512], one = 0, pub[NET_MAX_PORTS][96];
	const char *argv[16 + 2 * NET_MAX_PORTS];
	size_t i;
	_cleanup_close_ int logfd = -1;
	int ready[2], quit[2], status, r;
	struct pollfd pfd;
	size_t n = 0;
	pid_t pid;

	find_program("burrow-slirp", bin, sizeof(bin));
	state_path(c, "slirp.log", logp, sizeof(logp));
	logfd = open(logp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (logfd < 0) {
		snprintf(err, errlen, "open(%s): %s", logp, strerror(errno));
		return -errno;
	}
	if (pipe2(ready, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(quit, O_CLOEXEC) < 0) {
		close(ready[0]);
		close(ready[1]);
		return -errno;
	}
	snprintf(pidarg, sizeof(pidarg), "%d", (int)target);
	snprintf(readyarg, sizeof(readyarg), "--ready-fd=%d", ready[1]);
	snprintf(exitarg, sizeof(exitarg), "--exit-fd=%d", quit[0]);
	argv[n++] = "burrow-slirp";
	argv[n++] = "--configure";
	argv[n++] = "--mtu=65520";
	argv[n++] = "--disable-host-loopback";
	argv[n++] = readyarg;
	/* podman style, as given to -p (IPv6 in brackets, /udp) */
	for (i = 0; i < nfwd && i < NET_MAX_PORTS; i++) {
		argv[n++] = "-p";
		argv[n++] = portspec_format(&fwd[i], pub[i], sizeof(pub[0]));
	}
	if (tied)
		argv[n++] = exitarg;
	argv[n++] = pidarg;
	argv[n++] = "tap0";
	argv[n] = NULL;

	/* the helper keeps the read end of the exit pipe and the ready pipe */
	if (tied)
		fcntl(quit[0], F_SETFD, 0);
	fcntl(ready[1], F_SETFD, 0);
	pid = spawn(bin, (char *const *)argv, logfd);
	r = errno;
	fcntl(quit[0], F_SETFD, FD_CLOEXEC);
	fcntl(ready[1], F_SETFD, FD_CLOEXEC);
	errno = r;
	close(ready[1]);
	close(quit[0]);
	if (pid < 0) {
		r = -errno;
		close(ready[0]);
		close(quit[1]);
		snprintf(err, errlen, "fork(): %s", strerror(-r));
		return r;
	}
	/* wait up to 10 s for the ready byte */
	pfd.fd = ready[0];
	pfd.events = POLLIN;
	r = poll(&pfd, 1, 10000);
	if (r <= 0 || read(ready[0], &one, 1) != 1 || one != '1') {
		close(ready[0]);
		close(quit[1]);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		log_tail(logp, msg, sizeof(msg));
		snprintf(err, errlen, "burrow-slirp failed to set up the network: %s", msg);
		return -EIO;
	}
	close(ready[0]);
	/* the forwards are set up before the ready byte: one that failed
	 * (a port taken since net_port_free) fails the whole start */
	slirp_fwd_failure(logp, msg, sizeof(msg));
	if (msg[0]) {
		close(quit[1]);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		snprintf(err, errlen, "burrow-slirp could not forward a port: %s (pick another "
			 "host port or stop what listens there)", msg);
		return -EADDRINUSE;
	}
	c->net_pid = pid;
	proc_start_time(pid, &c->net_start);
	if (!tied) {
		close(quit[1]);
		return 0;
	}
	/* keep the exit pipe's write end open for the helper's lifetime: it
	 * exits when we close it or die; the fd number is remembered here */
	c->net_exitfd = quit[1];
	return 0;
}

/* run burrow-bridge CMD for @c with its options (bridge.json) on stdin;
 * its output goes to bridge.out, its messages to bridge.err; returns its
 * exit status or -errno */
static int bridge_exec(const struct ctr *c, const char *cmd, pid_t target)
{
	char bin[PATH_MAX], cfg[PATH_MAX], in[PATH_MAX + 16], out[PATH_MAX + 16];
	char errp[PATH_MAX + 16], ns[64];
	int status, r;
	pid_t pid;

	r = find_program("burrow-bridge", bin, sizeof(bin));
	if (r == 0)
		r = statedir_path("bridge", cfg, sizeof(cfg));
	if (r < 0)
		return r;
	state_path(c, "bridge.json", in, sizeof(in));
	state_path(c, "bridge.out", out, sizeof(out));
	state_path(c, "bridge.err", errp, sizeof(errp));
	snprintf(ns, sizeof(ns), "/proc/%d/ns/net", (int)(target > 0 ? target : 1));
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int ifd = open(in, O_RDONLY), ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int efd = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (ifd < 0 || ofd < 0 || efd < 0)
			_exit(127);
		dup2(ifd, 0);
		dup2(ofd, 1);
		dup2(efd, 2);
		execl(bin, "burrow-bridge", "--config", cfg, "--rootless=false", cmd, ns,
		      (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* burrow-bridge's reason for a failure: {"error": MSG} on stdout, else the
 * last line of its messages */
static void bridge_failure(const struct ctr *c, char *msg, size_t len)
{
	char path[PATH_MAX + 16];
	json_t *j = json_load_file(state_path(c, "bridge.out", path, sizeof(path)),
				   JSON_DISABLE_EOF_CHECK, NULL);
	const char *e = json_string_value(json_object_get(j, "error"));

	if (e)
		snprintf(msg, len, "%.400s", e);
	else
		log_tail(state_path(c, "bridge.err", path, sizeof(path)), msg, len);
	json_decref(j);
}

const char *net_host_resolv_path(void)
{
	const char *path = getenv("BURROW_RESOLV_CONF");

	return path && *path ? path : "/etc/resolv.conf";
}

/* the host's resolv.conf (up to 64 KiB) */
static size_t host_resolv(char *buf, size_t len)
{
	long got = file_read_text(net_host_resolv_path(), buf, len);

	return got > 0 ? (size_t)got : 0;
}

/* resolv.conf in @c's folder from the status block burrow-bridge printed
 * for network @net: its DNS servers and search domains if it has any, else
 * the host's reachable resolvers */
static int save_resolv(const struct ctr *c, const char *const *servers, size_t ns,
		       const char *const *search, size_t nsr, int ipv6, char *err, size_t errlen);

static int write_resolv(const struct ctr *c, const char *net, char *err, size_t errlen)
{
	char path[PATH_MAX + 16];
	const char *servers[16], *search[16];
	size_t ns = 0, nsr = 0, i, k;
	json_t *st, *n, *v, *ifc, *sn;
	const char *ifname;
	int ipv6 = 0, r;

	st = json_load_file(state_path(c, "bridge.out", path, sizeof(path)),
			    JSON_DISABLE_EOF_CHECK, NULL);
	n = json_object_get(st, net);
	json_array_foreach(json_object_get(n, "dns_server_ips"), i, v)
		if (json_is_string(v) && ns < ARRAY_SIZE(servers))
			servers[ns++] = json_string_value(v);
	json_array_foreach(json_object_get(n, "dns_search_domains"), i, v)
		if (json_is_string(v) && nsr < ARRAY_SIZE(search))
			search[nsr++] = json_string_value(v);
	json_object_foreach(json_object_get(n, "interfaces"), ifname, ifc)
		json_array_foreach(json_object_get(ifc, "subnets"), k, sn)
			if (strchr(json_string_value(json_object_get(sn, "ipnet")) ?: "", ':'))
				ipv6 = 1;
	r = save_resolv(c, servers, ns, search, nsr, ipv6, err, errlen);
	json_decref(st);
	return r;
}

/* resolv.conf in @c's folder: @servers (or, if none, the host's reachable
 * ones), @search then the host's domains, the host's options */
static int save_resolv(const struct ctr *c, const char *const *servers, size_t ns,
		       const char *const *search, size_t nsr, int ipv6, char *err, size_t errlen)
{
	char path[PATH_MAX + 16], out[8192], *host = malloc(65536);
	size_t hl;
	FILE *f;
	int r;

	if (!host)
		return -ENOMEM;
	hl = host_resolv(host, 65536);
	r = resolv_build(host, hl, servers, ns, search, nsr, ipv6, out, sizeof(out));
	free(host);
	if (r < 0) {
		snprintf(err, errlen, "resolv.conf for %s: too long", c->id);
		return r;
	}
	f = fopen(state_path(c, "resolv.conf", path, sizeof(path)), "we");
	if (!f || fputs(out, f) < 0 || fclose(f)) {
		r = -errno;
		snprintf(err, errlen, "write %s: %s", path, strerror(errno));
		return r ? r : -EIO;
	}
	chmod(path, 0644);
	return 0;
}

static int setup_bridge(struct ctr *c, pid_t target, const struct port_fwd *fwd, size_t nfwd,
			char *err, size_t errlen)
{
	const char *net = netdef_name(c->network);
	char path[PATH_MAX + 16], a[ADDR_STRLEN], msg[512];
	json_t *def, *opts, *ports = json_array();
	size_t i;
	int r = netdef_load(net, &def, err, errlen);

	if (r < 0) {
		json_decref(ports);
		return r;
	}
	for (i = 0; i < nfwd; i++)
		json_array_append_new(ports, json_pack("{s:s, s:i, s:i, s:i, s:s}",
				      "host_ip", fwd[i].host_addr.family ?
				      addr_format(&fwd[i].host_addr, a, sizeof(a)) : "",
				      "container_port", (int)fwd[i].guest_port,
				      "host_port", (int)fwd[i].host_port,
				      "range", (int)fwd[i].count,
				      "protocol", fwd[i].proto == IPPROTO_UDP ? "udp" : "tcp"));
	opts = json_pack("{s:s, s:s, s:o, s:{s:{s:[], s:[], s:s}}, s:{s:o}}",
			 "container_id", c->id, "container_name", c->name, "port_mappings", ports,
			 "networks", net, "static_ips", "aliases", "interface_name", "eth0",
			 "network_info", net, def);
	if (!opts || json_dump_file(opts, state_path(c, "bridge.json", path, sizeof(path)),
				    JSON_COMPACT)) {
		json_decref(opts);
		snprintf(err, errlen, "write the bridge options in %s failed", c->dir);
		return -EIO;
	}
	json_decref(opts);
	r = bridge_exec(c, "setup", target);
	if (r != 0) {
		bridge_failure(c, msg, sizeof(msg));
		snprintf(err, errlen, "burrow-bridge setup on network %s failed: %s", net, msg);
		/* it undoes a failed setup itself; nothing to tear down */
		unlink(state_path(c, "bridge.json", path, sizeof(path)));
		return r < 0 ? r : -EIO;
	}
	r = write_resolv(c, net, err, errlen);
	if (r < 0) {
		bridge_exec(c, "teardown", target);
		unlink(state_path(c, "bridge.json", path, sizeof(path)));
	}
	return r;
}

static void teardown_bridge(struct ctr *c)
{
	char path[PATH_MAX + 16];

	if (strncmp(c->network, "bridge", 6) || !c->dir[0] ||
	    access(state_path(c, "bridge.json", path, sizeof(path)), F_OK))
		return;
	bridge_exec(c, "teardown", c->holder_pid > 0 &&
		    proc_alive(c->holder_pid, c->holder_start) ? c->holder_pid : 0);
	unlink(path);
}

/*
 * slirp:bypass: burrow-bypass listens on bypass.sock of the state directory
 * (config.json names it as linux.seccomp.listenerPath) before the runtime
 * starts; it takes the published ports (as host sockets) and ends by itself
 * when the container's last process is gone, or after 60 s without a
 * listener.  burrow-slirp runs beside it for everything local.
 */
static int setup_bypass(struct ctr *c, const struct port_fwd *fwd, size_t nfwd, char *err,
			size_t errlen)
{
	char bin[PATH_MAX], logp[PATH_MAX + 16], sockp[PATH_MAX + 16], readyarg[32];
	char pub[NET_MAX_PORTS][96], one = 0;
	const char *argv[8 + 2 * NET_MAX_PORTS];
	_cleanup_close_ int logfd = -1;
	struct pollfd pfd;
	int ready[2], r;
	size_t i, n = 0;
	pid_t pid;

	find_program("burrow-bypass", bin, sizeof(bin));
	state_path(c, "bypass.log", logp, sizeof(logp));
	state_path(c, "bypass.sock", sockp, sizeof(sockp));
	logfd = open(logp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (logfd < 0 || pipe2(ready, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "open(%s): %s", logp, strerror(errno));
		return -errno;
	}
	snprintf(readyarg, sizeof(readyarg), "--ready-fd=%d", ready[1]);
	argv[n++] = "burrow-bypass";
	argv[n++] = readyarg;
	for (i = 0; i < nfwd && i < NET_MAX_PORTS; i++) {
		argv[n++] = "-p";
		argv[n++] = portspec_format(&fwd[i], pub[i], sizeof(pub[0]));
	}
	argv[n++] = sockp;
	argv[n] = NULL;
	fcntl(ready[1], F_SETFD, 0);
	pid = spawn(bin, (char *const *)argv, logfd);
	close(ready[1]);
	pfd.fd = ready[0];
	pfd.events = POLLIN;
	r = pid > 0 ? poll(&pfd, 1, 5000) : -1;
	if (r <= 0 || read(ready[0], &one, 1) != 1 || one != '1') {
		close(ready[0]);
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		log_tail(logp, pub[0], sizeof(pub[0]));
		snprintf(err, errlen, "burrow-bypass failed to start: %s", pub[0]);
		return -EIO;
	}
	close(ready[0]);
	return 0;
}

int net_setup(struct ctr *c, pid_t target, int tied, const struct port_fwd *fwd, size_t nfwd,
	      char *err, size_t errlen)
{
	int r;

	c->net_pid = 0;
	c->net_exitfd = -1;
	if (!strcmp(c->network, "pasta"))
		return setup_pasta(c, target, fwd, nfwd, err, errlen) ?:
		       save_resolv(c, &pasta_dns, 1, NULL, 0, 0, err, errlen);
	if (!strcmp(c->network, "slirp"))
		return setup_slirp(c, target, tied, fwd, nfwd, err, errlen) ?:
		       save_resolv(c, &slirp_dns, 1, NULL, 0, 0, err, errlen);
	if (!strcmp(c->network, "slirp:bypass")) {
		r = setup_bypass(c, fwd, nfwd, err, errlen);
		return r < 0 ? r : setup_slirp(c, target, tied, NULL, 0, err, errlen) ?:
		       save_resolv(c, &slirp_dns, 1, NULL, 0, 0, err, errlen);
	}
	if (!strncmp(c->network, "bridge", 6))
		return setup_bridge(c, target, fwd, nfwd, err, errlen);
	return 0;
}

/*
 * Wait up to @ms for the network helper to end: on a pidfd where the kernel
 * gives one (woken at its exit, not polled), else every 10 ms; our child is
 * reaped.  Return: 1 when it has ended
 */
static int net_wait_gone(const struct ctr *c, int pidfd, long ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	long waited = 0;

	for (;;) {
		if (waitpid(c->net_pid, NULL, WNOHANG) == c->net_pid ||
		    !proc_alive(c->net_pid, c->net_start))
			return 1;
		if (waited >= ms)
			return 0;
		if (pidfd >= 0) {
			if (poll(&p, 1, (int)(ms - waited)) == 0)
				waited = ms;
			else
				waited += 1;	/* it ended (or EINTR): look again */
		} else {
			proc_sleep_ms(10);
			waited += 10;
		}
	}
}

void net_teardown(struct ctr *c)
{
	char path[PATH_MAX + 16];
	_cleanup_close_ int pidfd = -1;
	int asked = 0;

	teardown_bridge(c);
	if (!c->rootless && c->dir[0])
		ns_unbind(state_path(c, "netns", path, sizeof(path)));
	if (c->net_exitfd >= 0) {	/* burrow-slirp: its exit fd says the namespace goes */
		close(c->net_exitfd);
		c->net_exitfd = -1;
		asked = 1;
	}
	if (c->net_pid <= 0 || !proc_alive(c->net_pid, c->net_start))
		goto out;
	pidfd = (int)syscall(SYS_pidfd_open, c->net_pid, 0);
	/* burrow-slirp ends on its exit fd within milliseconds, leaving its tap
	 * device to the namespace's removal; SIGTERM only if it does not (and
	 * at once for pasta, which has no exit fd) */
	if (asked && net_wait_gone(c, pidfd, 1000))
		goto out;
	kill(c->net_pid, SIGTERM);
	if (net_wait_gone(c, pidfd, 2000))
		goto out;
	kill(c->net_pid, SIGKILL);
	waitpid(c->net_pid, NULL, WNOHANG);
out:
	c->net_pid = 0;
}
