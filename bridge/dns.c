// SPDX-License-Identifier: GPL-2.0-or-later
/* dns.c - burrow-bridge's side of burrow-dns: records, start, reload */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cleanup.h"
#include "dns.h"
#include "dnsrec.h"
#include "lock.h"
#include "log.h"
#include "proc.h"

#define DNS_WAIT_MS	10000	/* the daemon binds a few sockets: seconds is plenty */

/* str_addrs() - the addresses of a JSON string array (bad ones skipped) */
static size_t str_addrs(json_t *arr, struct addr *out, size_t max)
{
	size_t i, n = 0;
	json_t *v;

	if (!json_is_array(arr))
		return 0;
	json_array_foreach(arr, i, v) {
		if (n < max && json_is_string(v) && !addr_parse(json_string_value(v), &out[n]) &&
		    !addr_is_any(&out[n]))
			n++;
	}
	return n;
}

/* add_name() - add @name to @c unless invalid or already there */
static void add_name(struct dnsrec_ctr *c, const char *name)
{
	size_t i;

	if (!name || !dnsrec_valid_host(name) || c->nnames >= DNSREC_MAX_NAMES)
		return;
	for (i = 0; i < c->nnames; i++)
		if (!strcasecmp(c->names[i], name))
			return;
	strcpy(c->names[c->nnames++], name);
}

/* record_net() - put container @o/@a into the record of its network */
static int record_net(const char *dir, json_t *root, const struct bo_options *o,
		      const struct st_att *a, struct dnsrec_ctr *c, char *err, size_t errlen)
{
	json_t *att = json_object_get(json_object_get(root, "networks"), a->net.name);
	json_t *ni = json_object_get(json_object_get(root, "network_info"), a->net.name);
	struct dnsrec_net n;
	size_t k, i;
	json_t *v;
	int rc;

	rc = dnsrec_load(dir, a->net.name, &n);
	if (rc == -ENOENT || rc == -EINVAL)
		rc = dnsrec_init(&n, a->net.name);
	if (rc)
		return bo_error(err, errlen, rc, "dns record of network %s: %s", a->net.name,
				strerror(-rc));
	/* the network's part is rewritten each time: the latest setup wins */
	n.nlisten = 0;
	for (k = 0; k < a->nips && n.nlisten < DNSREC_MAX_LISTEN; k++) {
		if (!a->gws[k].family)
			continue;
		n.listen[n.nlisten].addr = a->gws[k];
		n.listen[n.nlisten].prefix = a->ips[k].prefix;
		n.nlisten++;
	}
	n.internal = a->net.internal;
	n.nup = str_addrs(json_object_get(ni, "network_dns_servers"), n.upstream,
			  DNSREC_MAX_UPSTREAM);

	memset(c, 0, sizeof(*c));
	snprintf(c->id, sizeof(c->id), "%s", o->container_id);
	for (k = 0; k < a->nips; k++) {
		const struct addr *ip = &a->ips[k].addr;

		if (ip->family == AF_INET && c->n4 < DNSREC_MAX_IPS)
			c->ip4[c->n4++] = *ip;
		else if (ip->family == AF_INET6 && c->n6 < DNSREC_MAX_IPS)
			c->ip6[c->n6++] = *ip;
	}
	add_name(c, o->container_name);
	json_array_foreach(json_object_get(att, "aliases"), i, v)
		add_name(c, json_string_value(v));
	c->nup = str_addrs(json_object_get(root, "dns_servers"), c->upstream, DNSREC_MAX_UPSTREAM);
	rc = dnsrec_ctr_put(&n, c);
	if (!rc)
		rc = dnsrec_save(dir, &n);
	dnsrec_free(&n);
	if (rc)
		return bo_error(err, errlen, rc, "write dns record of network %s in %s: %s",
				a->net.name, dir, strerror(-rc));
	return 0;
}

/* daemon_bin() - $BURROW_DNS_BIN, else burrow-dns next to our own binary */
static int daemon_bin(char *buf, size_t len)
{
	const char *env = getenv("BURROW_DNS_BIN");

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return 0;
	}
	return proc_sibling("burrow-dns", buf, len);
}

/**
 * ctl_call() - send @cmd to the daemon's control socket and read the reply
 *
 * Return: 0 with @reply set, -ECONNREFUSED or -ENOENT if no daemon listens,
 * or another -errno
 */
static int ctl_call(const char *dir, const char *cmd, char *reply, size_t len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = DNS_WAIT_MS / 1000 };
	_cleanup_close_ int fd = -1;
	ssize_t n;

	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/control", dir) >=
	    sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)))
		return errno == ENOENT ? -ENOENT : -ECONNREFUSED;
	if (send(fd, cmd, strlen(cmd), MSG_NOSIGNAL) < 0)
		return -ECONNREFUSED;	/* it went away between connect and send */
	n = recv(fd, reply, len - 1, 0);
	if (n < 0)
		return errno == EAGAIN ? -ETIMEDOUT : -errno;
	if (n == 0)
		return -ECONNREFUSED;	/* closed without an answer: it is exiting */
	reply[n] = '\0';
	return 0;
}

/* spawn() - start the daemon detached, on @port (0: 53), and wait for its
 * ready message */
static int spawn(const char *dir, unsigned port, char *reply, size_t len, char *err,
		 size_t errlen)
{
	char bin[PATH_MAX], portarg[16];
	int p[2], rc, status;
	size_t got = 0;
	pid_t pid;

	rc = daemon_bin(bin, sizeof(bin));
	if (rc)
		return bo_error(err, errlen, rc, "find burrow-dns: %s", strerror(-rc));
	if (access(bin, X_OK))
		return bo_error(err, errlen, -errno, "burrow-dns %s: %s", bin, strerror(errno));
	if (pipe2(p, O_CLOEXEC))
		return bo_error(err, errlen, -errno, "pipe2: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(p[0]);
		close(p[1]);
		return bo_error(err, errlen, rc, "fork: %s", strerror(-rc));
	}
	if (!pid) {
		/* child: detach (new session, second fork) so that the daemon
		 * holds none of our caller's pipes and outlives us */
		const char *logf = getenv("BURROW_DNS_LOG");
		int nul, lf;

		setsid();
		if (fork())
			_exit(0);
		nul = open("/dev/null", O_RDWR | O_CLOEXEC);
		lf = logf && *logf ? open(logf, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600) : -1;
		if (nul < 0 || chdir("/"))
			_exit(127);
		dup2(nul, 0);
		dup2(nul, 1);
		dup2(lf >= 0 ? lf : nul, 2);
		if (p[1] == 3)
			fcntl(3, F_SETFD, 0);
		else
			dup2(p[1], 3);
		snprintf(portarg, sizeof(portarg), "--port=%u", port ? port : 53);
		execl(bin, "burrow-dns", "--dir", dir, "--ready-fd", "3", portarg,
		      lf >= 0 ? "--log-level=debug" : (char *)NULL, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	for (;;) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		ssize_t n;

		rc = poll(&pfd, 1, DNS_WAIT_MS);
		if (rc <= 0) {
			close(p[0]);
			return bo_error(err, errlen, -ETIMEDOUT, "burrow-dns %s: not ready after %d ms",
					bin, DNS_WAIT_MS);
		}
		n = read(p[0], reply + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got == len - 1)
			break;
	}
	close(p[0]);
	reply[got] = '\0';
	if (!got)
		return bo_error(err, errlen, -EIO, "burrow-dns %s exited before it was ready", bin);
	return 0;
}

/* check_reply() - "ok" or "error: ..." from the daemon */
static int check_reply(char *reply, char *err, size_t errlen)
{
	reply[strcspn(reply, "\n")] = '\0';
	if (!strcmp(reply, "ok"))
		return 0;
	return bo_error(err, errlen, -EIO, "burrow-dns: %s",
			strncmp(reply, "error: ", 7) ? reply : reply + 7);
}

/**
 * sync_daemon() - make the daemon serve the records as they are now: ask a
 * running one to reload, or (if @start) start one on port @start (1: 53;
 * a running one keeps its port, as aardvark-dns does)
 */
static int sync_daemon(const char *dir, unsigned start, char *err, size_t errlen)
{
	char path[PATH_MAX], reply[1024];
	int lk, rc, tries;

	snprintf(path, sizeof(path), "%s/.start", dir);
	lk = lock_acquire(path, 1, 1);
	if (lk < 0)
		return bo_error(err, errlen, lk, "lock %s: %s", path, strerror(-lk));
	for (tries = 0; tries < 3; tries++) {
		rc = ctl_call(dir, "reload", reply, sizeof(reply));
		if (!rc) {
			rc = check_reply(reply, err, errlen);
			break;
		}
		if (rc != -ENOENT && rc != -ECONNREFUSED) {
			bo_error(err, errlen, rc, "burrow-dns control %s/control: %s", dir, strerror(-rc));
			break;
		}
		if (!start) {
			rc = 0;		/* nothing runs, nothing to tell */
			break;
		}
		rc = spawn(dir, start, reply, sizeof(reply), err, errlen);
		if (!rc)
			rc = check_reply(reply, err, errlen);
		/* one that was exiting may still have held the pid lock: retry */
		if (!rc || !strstr(err, "another burrow-dns"))
			break;
		proc_sleep_ms(50);
	}
	lock_release(lk);
	return rc;
}

int dns_setup(const char *json, size_t len, const struct bo_options *o,
	      const struct st_ctr *c, char *err, size_t errlen)
{
	_cleanup_free_ struct dnsrec_ctr *rec = NULL;
	char dir[PATH_MAX];
	json_t *root;
	size_t i;
	unsigned port = 0;
	int lk, rc = 0;

	for (i = 0; i < c->natt && !port; i++)
		if (c->att[i].net.dns)
			port = c->att[i].net.dns_port ? c->att[i].net.dns_port : 53;
	if (!port)
		return 0;
	rc = dnsrec_dir(dir, sizeof(dir));
	if (rc)
		return bo_error(err, errlen, rc, "dns records folder: %s", strerror(-rc));
	rec = malloc(sizeof(*rec));
	root = json_loadb(json, len, 0, NULL);
	if (!rec || !root) {
		json_decref(root);
		return bo_error(err, errlen, -ENOMEM, "dns: cannot read the options again");
	}
	lk = dnsrec_lock(dir, 1);
	if (lk < 0) {
		json_decref(root);
		return bo_error(err, errlen, lk, "lock %s/.lock: %s", dir, strerror(-lk));
	}
	for (i = 0; i < c->natt && !rc; i++)
		if (c->att[i].net.dns)
			rc = record_net(dir, root, o, &c->att[i], rec, err, errlen);
	lock_release(lk);
	json_decref(root);
	if (!rc)
		rc = sync_daemon(dir, port, err, errlen);
	return rc;
}

int dns_teardown(const struct bo_options *o, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	int lk, rc, any = 0;
	size_t i;

	for (i = 0; i < o->nnets; i++)
		any |= o->nets[i].dns;
	if (!any)
		return 0;
	if ((rc = dnsrec_dir(dir, sizeof(dir))))
		return bo_error(err, errlen, rc, "dns records folder: %s", strerror(-rc));
	lk = dnsrec_lock(dir, 1);
	if (lk < 0)
		return bo_error(err, errlen, lk, "lock %s/.lock: %s", dir, strerror(-lk));
	/* only the networks named: `podman network disconnect` names one, and
	 * the container keeps its names on the others */
	rc = 0;
	for (i = 0; i < o->nnets && rc >= 0; i++) {
		struct dnsrec_net n;
		int r;

		if (!o->nets[i].dns || dnsrec_load(dir, o->nets[i].name, &n))
			continue;
		if (dnsrec_ctr_del(&n, o->container_id)) {
			r = dnsrec_save(dir, &n);
			rc = r ? r : rc + 1;
		}
		dnsrec_free(&n);
	}
	lock_release(lk);
	if (rc < 0)
		return bo_error(err, errlen, rc, "remove %s from the dns records in %s: %s",
				o->container_id, dir, strerror(-rc));
	if (!rc)
		return 0;
	return sync_daemon(dir, 0, err, errlen);
}

int dns_update(const char *net, const char *servers, char *err, size_t errlen)
{
	struct addr up[DNSREC_MAX_UPSTREAM];
	char dir[PATH_MAX], one[ADDR_STRLEN + 1];
	struct dnsrec_net n;
	const char *p = servers, *e;
	size_t nup = 0, l;
	int lk, rc;

	if (!dnsrec_valid_net(net))
		return bo_error(err, errlen, -EINVAL, "update: invalid network name '%s'", net);
	while (*p) {
		e = strchr(p, ',');
		l = e ? (size_t)(e - p) : strlen(p);
		if (l >= sizeof(one) || nup >= DNSREC_MAX_UPSTREAM)
			return bo_error(err, errlen, -EINVAL, "--network-dns-servers: '%.*s': %s",
					(int)l, p, l >= sizeof(one) ? "not an address" :
					"too many servers");
		memcpy(one, p, l);
		one[l] = '\0';
		if (addr_parse(one, &up[nup]) || addr_is_any(&up[nup]))
			return bo_error(err, errlen, -EINVAL,
					"--network-dns-servers: '%s' is not an address", one);
		nup++;
		p = e ? e + 1 : p + l;
	}
	if ((rc = dnsrec_dir(dir, sizeof(dir))))
		return bo_error(err, errlen, rc, "dns records folder: %s", strerror(-rc));
	lk = dnsrec_lock(dir, 1);
	if (lk < 0)
		return bo_error(err, errlen, lk, "lock %s/.lock: %s", dir, strerror(-lk));
	rc = dnsrec_load(dir, net, &n);
	if (rc == -ENOENT) {		/* no container of it runs: the next setup */
		lock_release(lk);	/* brings the servers from the network's file */
		return 0;
	}
	if (rc) {
		lock_release(lk);
		return bo_error(err, errlen, rc, "dns record of network %s: %s", net, strerror(-rc));
	}
	memcpy(n.upstream, up, nup * sizeof(up[0]));
	n.nup = nup;
	rc = dnsrec_save(dir, &n);
	dnsrec_free(&n);
	lock_release(lk);
	if (rc)
		return bo_error(err, errlen, rc, "write dns record of network %s in %s: %s", net, dir,
				strerror(-rc));
	return sync_daemon(dir, 0, err, errlen);
}
