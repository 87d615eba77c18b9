// SPDX-License-Identifier: GPL-2.0-or-later
/* cni.c - the CNI 1.x plugin face: ADD, DEL, CHECK, VERSION, STATUS, GC */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "cleanup.h"
#include "cni.h"
#include "addr.h"
#include "log.h"
#include "name.h"
#include "file.h"
#include "options.h"
#include "setup.h"

#define CNI_MAX_INPUT (1u << 20)
#define CNI_OWN_IPAM "burrow-bridge"

enum {
	CNI_E_VERSION = 1, CNI_E_FIELD = 2, CNI_E_UNKNOWN_CTR = 3, CNI_E_ENV = 4,
	CNI_E_IO = 5, CNI_E_DECODE = 6, CNI_E_CONFIG = 7, CNI_E_AGAIN = 11,
};

static const char *const cni_versions[] = { "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0" };

struct cni_conf {
	char version[16];
	char name[BO_NAME_MAX];
	char bridge[IFNAMSIZ];
	int is_gateway, is_default_gw, ipmasq, hairpin;
	unsigned mtu;
	json_t *ipam;		/* borrowed from root */
	char ipam_type[64];
	json_t *dns;		/* borrowed */
	json_t *root;
};

/* Print a CNI error and return 1. */
static int cni_error(const char *version, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int cni_error(const char *version, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	json_t *j;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	j = json_pack("{s:s,s:i,s:s}", "cniVersion", version && *version ? version : "1.1.0",
		      "code", code, "msg", msg);
	json_dumpf(j, stdout, JSON_COMPACT);
	putchar('\n');
	fflush(stdout);
	json_decref(j);
	return 1;
}

/* Container key for (network, container, interface). */
static void cni_key(const char *net, const char *cid, const char *ifname, char *buf, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	const char *parts[3] = { net, cid, ifname };
	int i;

	for (i = 0; i < 3; i++) {
		const char *p;

		for (p = parts[i]; *p; p++)
			h = (h ^ (uint8_t)*p) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
	}
	snprintf(buf, len, "cni-%016llx", (unsigned long long)h);
}

/* Optional boolean field; -1 on wrong type. */
static int cni_bool(json_t *o, const char *key, int *out)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return -1;
	*out = json_is_true(v);
	return 0;
}

/* Parse the network config; on error print it and return 1. */
static int cni_parse_conf(const char *buf, size_t len, struct cni_conf *c)
{
	json_error_t je;
	json_t *v;
	const char *s;
	size_t i;

	memset(c, 0, sizeof(*c));
	snprintf(c->bridge, sizeof(c->bridge), "cni0");
	c->root = json_loadb(buf, len, 0, &je);
	if (!c->root || !json_is_object(c->root))
		return cni_error(NULL, CNI_E_DECODE, "config: invalid JSON at line %d: %s",
				 je.line, c->root ? "expected an object" : je.text);
	v = json_object_get(c->root, "cniVersion");
	if (!json_is_string(v))
		return cni_error(NULL, CNI_E_CONFIG, "config.cniVersion: missing or not a string");
	snprintf(c->version, sizeof(c->version), "%s", json_string_value(v));
	for (i = 0; i < ARRAY_SIZE(cni_versions); i++)
		if (!strcmp(c->version, cni_versions[i]))
			break;
	if (i == ARRAY_SIZE(cni_versions))
		return cni_error(NULL, CNI_E_VERSION, "config.cniVersion: unsupported version '%s'",
				 c->version);
	v = json_object_get(c->root, "name");
	s = json_string_value(v);
	if (!s || !name_valid(s, sizeof(c->name)))
		return cni_error(c->version, CNI_E_CONFIG, "config.name: missing or not a valid network name");
	snprintf(c->name, sizeof(c->name), "%s", s);
	v = json_object_get(c->root, "bridge");
	if (v) {
		s = json_string_value(v);
		if (!s || !name_ifname_valid(s))
			return cni_error(c->version, CNI_E_CONFIG, "config.bridge: expected an interface name");
		snprintf(c->bridge, sizeof(c->bridge), "%s", s);
	}
	if (cni_bool(c->root, "isGateway", &c->is_gateway) ||
	    cni_bool(c->root, "isDefaultGateway", &c->is_default_gw) ||
	    cni_bool(c->root, "ipMasq", &c->ipmasq) ||
	    cni_bool(c->root, "hairpinMode", &c->hairpin))
		return cni_error(c->version, CNI_E_CONFIG,
				 "config: isGateway, isDefaultGateway, ipMasq and hairpinMode must be booleans");
	if (c->is_default_gw)
		c->is_gateway = 1;
	v = json_object_get(c->root, "mtu");
	if (v) {
		if (!json_is_integer(v) || json_integer_value(v) < 68 || json_integer_value(v) > 65535)
			return cni_error(c->version, CNI_E_CONFIG, "config.mtu: expected an integer 68-65535");
		c->mtu = (unsigned)json_integer_value(v);
	}
	c->ipam = json_object_get(c->root, "ipam");
	if (c->ipam && !json_is_object(c->ipam))
		return cni_error(c->version, CNI_E_CONFIG, "config.ipam: expected an object");
	if (c->ipam) {
		s = json_string_value(json_object_get(c->ipam, "type"));
		if (!s || !name_valid(s, sizeof(c->ipam_type)))
			return cni_error(c->version, CNI_E_CONFIG,
					 "config.ipam.type: missing or not a plugin name");
		snprintf(c->ipam_type, sizeof(c->ipam_type), "%s", s);
	}
	c->dns = json_object_get(c->root, "dns");
	return 0;
}

/* Find @type in $CNI_PATH. */
static int cni_find_plugin(const char *type, char *path, size_t len)
{
	const char *cp = getenv("CNI_PATH");
	_cleanup_free_ char *dup = NULL;
	char *dir, *save = NULL;

	if (!cp || !*cp)
		return -ENOENT;
	dup = strdup(cp);
	if (!dup)
		return -ENOMEM;
	for (dir = strtok_r(dup, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		snprintf(path, len, "%s/%s", dir, type);
		if (access(path, X_OK) == 0)
			return 0;
	}
	return -ENOENT;
}

/* Run the IPAM plugin with @cmd, config on stdin; its stdout in *@out. */
static int cni_exec_ipam(const struct cni_conf *c, const char *cmd, const char *in,
			 size_t inlen, char **out, size_t *outlen)
{
	char path[4096];
	int pin[2], pout[2], status;
	pid_t pid;
	int rc = cni_find_plugin(c->ipam_type, path, sizeof(path));

	*out = NULL;
	if (rc)
		return rc;
	if (pipe2(pin, O_CLOEXEC))
		return -errno;
	if (pipe2(pout, O_CLOEXEC)) {
		rc = -errno;
		close(pin[0]);
		close(pin[1]);
		return rc;
	}
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(pin[0]); close(pin[1]); close(pout[0]); close(pout[1]);
		return rc;
	}
	if (pid == 0) {
		dup2(pin[0], 0);
		dup2(pout[1], 1);
		setenv("CNI_COMMAND", cmd, 1);
		execl(path, c->ipam_type, (char *)NULL);
		_exit(127);
	}
	close(pin[0]);
	close(pout[1]);
	if (write(pin[1], in, inlen) != (ssize_t)inlen)
		rc = -EIO;
	close(pin[1]);
	*out = file_read_fd(pout[0], CNI_MAX_INPUT, outlen);
	close(pout[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!*out)
		return -EIO;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return -EPROTO;
	return rc;
}

/* Our own IPAM config: host-local style "subnet"/"gateway" or "ranges". */
static int cni_own_ipam(const struct cni_conf *c, struct bo_net *n)
{
	json_t *ranges = json_object_get(c->ipam, "ranges"), *set, *r;
	size_t i, k;

	if (!ranges) {
		json_t *one = json_pack("[[{s:O,s:O}]]", "subnet",
					json_object_get(c->ipam, "subnet") ? json_object_get(c->ipam, "subnet") : json_null(),
					"gateway", json_object_get(c->ipam, "gateway") ? json_object_get(c->ipam, "gateway") : json_null());
		int rc;

		if (!one)
			return cni_error(c->version, CNI_E_CONFIG, "config.ipam: needs subnet or ranges");
		json_object_set_new(c->ipam, "ranges", one);
		rc = cni_own_ipam(c, n);
		json_object_del(c->ipam, "ranges");
		return rc;
	}
	if (!json_is_array(ranges))
		return cni_error(c->version, CNI_E_CONFIG, "config.ipam.ranges: expected an array");
	json_array_foreach(ranges, i, set) {
		json_array_foreach(set, k, r) {
			struct bo_subnet *s;
			const char *txt;

			if (k > 0)
				break;	/* one range per set */
			if (n->nsubnets >= BO_MAX_SUBNETS)
				return cni_error(c->version, CNI_E_CONFIG, "config.ipam.ranges: too many");
			s = &n->subnets[n->nsubnets];
			txt = json_string_value(json_object_get(r, "subnet"));
			if (!txt || bo_parse_cidr(txt, &s->net))
				return cni_error(c->version, CNI_E_CONFIG,
						 "config.ipam.ranges[%zu][0].subnet: missing or bad prefix", i);
			cidr_network(&s->net);
			txt = json_string_value(json_object_get(r, "gateway"));
			if (txt) {
				if (bo_parse_addr(txt, &s->gw) || !cidr_contains(&s->net, &s->gw))
					return cni_error(c->version, CNI_E_CONFIG,
							 "config.ipam.ranges[%zu][0].gateway: not in the subnet", i);
			} else {
				cidr_nth(&s->net, 1, &s->gw);
			}
			txt = json_string_value(json_object_get(r, "rangeStart"));
			if (txt && bo_parse_addr(txt, &s->start))
				return cni_error(c->version, CNI_E_CONFIG, "config.ipam.ranges[%zu][0].rangeStart: bad address", i);
			txt = json_string_value(json_object_get(r, "rangeEnd"));
			if (txt && bo_parse_addr(txt, &s->end))
				return cni_error(c->version, CNI_E_CONFIG, "config.ipam.ranges[%zu][0].rangeEnd: bad address", i);
			n->nsubnets++;
		}
	}
	if (!n->nsubnets)
		return cni_error(c->version, CNI_E_CONFIG, "config.ipam: no subnet");
	n->route_default = 1;
	return 0;
}

/* Take addresses from a delegated IPAM result. */
static int cni_ipam_result(const struct cni_conf *c, const char *out, size_t len,
			   struct bo_net *n, json_t **dns)
{
	json_error_t je;
	json_t *j = json_loadb(out, len, 0, &je), *ips, *ip, *routes, *r;
	size_t i;

	if (!j || !json_is_object(j)) {
		json_decref(j);
		return cni_error(c->version, CNI_E_DECODE, "ipam %s: result is not JSON", c->ipam_type);
	}
	ips = json_object_get(j, "ips");
	json_array_foreach(ips, i, ip) {
		struct bo_subnet *s;
		struct cidr a;
		const char *txt = json_string_value(json_object_get(ip, "address"));

		if (!txt || bo_parse_cidr(txt, &a) || n->nsubnets >= BO_MAX_SUBNETS)
			continue;
		s = &n->subnets[n->nsubnets++];
		s->net = a;
		cidr_network(&s->net);
		n->static_ips[n->nstatic++] = a.addr;
		txt = json_string_value(json_object_get(ip, "gateway"));
		if (txt)
			bo_parse_addr(txt, &s->gw);
		else if (c->is_gateway)
			cidr_nth(&s->net, 1, &s->gw);
	}
	routes = json_object_get(j, "routes");
	json_array_foreach(routes, i, r) {
		struct cidr d;
		const char *txt = json_string_value(json_object_get(r, "dst"));

		if (txt && !bo_parse_cidr(txt, &d) && d.prefix == 0)
			n->route_default = 1;
	}
	if (dns && json_object_get(j, "dns"))
		*dns = json_incref(json_object_get(j, "dns"));
	json_decref(j);
	if (!n->nsubnets)
		return cni_error(c->version, CNI_E_IO, "ipam %s: no addresses in the result", c->ipam_type);
	return 0;
}

/* 0.0.0.0 or :: (an unset address is not "any" here) */
static int cni_is_any(const struct addr *a)
{
	return a->family && addr_is_any(a);
}

/*
 * A member of a port mapping, its name matched without case: containerd's
 * CRI plugin (go-cni) sends "HostPort", "ContainerPort", "Protocol", "HostIP"
 * (a Go struct without JSON tags), and the reference portmap plugin accepts
 * them because Go's JSON decoder matches names without case.
 */
static json_t *cni_pm_get(json_t *p, const char *key)
{
	const char *k;
	json_t *v;

	if ((v = json_object_get(p, key)))
		return v;
	json_object_foreach(p, k, v)
		if (!strcasecmp(k, key))
			return v;
	return NULL;
}

/* runtimeConfig.portMappings -> ports */
static int cni_ports(const struct cni_conf *c, struct bo_options *o)
{
	json_t *rc = json_object_get(c->root, "runtimeConfig"), *pm, *p;
	size_t i;

	pm = rc ? json_object_get(rc, "portMappings") : NULL;
	if (!pm)
		return 0;
	if (!json_is_array(pm))
		return cni_error(c->version, CNI_E_CONFIG, "config.runtimeConfig.portMappings: expected an array");
	json_array_foreach(pm, i, p) {
		struct bo_port *b;
		json_t *hp = cni_pm_get(p, "hostPort"), *cp = cni_pm_get(p, "containerPort");
		const char *proto = json_string_value(cni_pm_get(p, "protocol"));
		const char *hip = json_string_value(cni_pm_get(p, "hostIP"));

		if (!json_is_integer(hp) || !json_is_integer(cp) ||
		    json_integer_value(hp) < 1 || json_integer_value(hp) > 65535 ||
		    json_integer_value(cp) < 1 || json_integer_value(cp) > 65535)
			return cni_error(c->version, CNI_E_CONFIG,
					 "config.runtimeConfig.portMappings[%zu]: hostPort and containerPort must be 1-65535", i);
		if (o->nports >= BO_MAX_PORTS)
			return cni_error(c->version, CNI_E_CONFIG, "config.runtimeConfig.portMappings: too many");
		b = &o->ports[o->nports++];
		b->host_port = (uint16_t)json_integer_value(hp);
		b->ctr_port = (uint16_t)json_integer_value(cp);
		b->range = 1;
		if (!proto || !strcasecmp(proto, "tcp"))
			b->proto = IPPROTO_TCP;
		else if (!strcasecmp(proto, "udp"))
			b->proto = IPPROTO_UDP;
		else if (!strcasecmp(proto, "sctp"))
			b->proto = IPPROTO_SCTP;
		else
			return cni_error(c->version, CNI_E_CONFIG,
					 "config.runtimeConfig.portMappings[%zu].protocol: unknown '%s'", i, proto);
		if (hip && *hip && bo_parse_addr(hip, &b->host_ip))
			return cni_error(c->version, CNI_E_CONFIG,
					 "config.runtimeConfig.portMappings[%zu].hostIP: bad address '%s'", i, hip);
		if (cni_is_any(&b->host_ip))
			b->host_ip.family = 0;
	}
	return 0;
}

/* The ADD result in the config's version. */
static json_t *cni_result(const struct cni_conf *c, const struct st_ctr *st, const char *netns,
			  json_t *dns)
{
	const struct st_att *a = &st->att[0];
	int old = c->version[0] == '0';
	json_t *ifs = json_array(), *ips = json_array(), *routes = json_array(), *r;
	char mac[MAC_STRLEN];
	int have4 = 0, have6 = 0;
	size_t k;

	json_array_append_new(ifs, json_pack("{s:s}", "name", a->net.bridge));
	json_array_append_new(ifs, json_pack("{s:s}", "name", a->veth));
	json_array_append_new(ifs, json_pack("{s:s,s:s,s:s}", "name", a->net.ifname, "mac",
					     mac_format(a->mac, mac), "sandbox", netns));
	for (k = 0; k < a->nips; k++) {
		char ip[CIDR_STRLEN], gw[ADDR_STRLEN];
		json_t *e = json_pack("{s:s,s:i}", "address",
				      cidr_format(&a->ips[k], ip, sizeof(ip)), "interface", 2);
		int v6 = a->ips[k].addr.family == AF_INET6;

		if (old)
			json_object_set_new(e, "version", json_string(v6 ? "6" : "4"));
		if (a->gws[k].family)
			json_object_set_new(e, "gateway",
					    json_string(addr_format(&a->gws[k], gw, sizeof(gw))));
		json_array_append_new(ips, e);
		if (a->net.route_default && a->gws[k].family && !(v6 ? have6 : have4)) {
			json_array_append_new(routes, json_pack("{s:s,s:s}", "dst",
				v6 ? "::/0" : "0.0.0.0/0", "gw", addr_format(&a->gws[k], gw, sizeof(gw))));
			if (v6)
				have6 = 1;
			else
				have4 = 1;
		}
	}
	r = json_pack("{s:s,s:o,s:o,s:o}", "cniVersion", c->version, "interfaces", ifs,
		      "ips", ips, "routes", routes);
	if (dns)
		json_object_set(r, "dns", dns);
	else if (c->dns)
		json_object_set(r, "dns", c->dns);
	else
		json_object_set_new(r, "dns", json_object());
	return r;
}

/* Whether we run in a user namespace other than the initial one (root in
 * rootlesskit's child, or in Podman's rootless network namespace): its uid
 * map is not the identity over every ID. */
static int in_child_userns(void)
{
	unsigned long inside, outside, count;
	FILE *f = fopen("/proc/self/uid_map", "re");
	int n;

	if (!f)
		return 0;
	n = fscanf(f, "%lu %lu %lu", &inside, &outside, &count);
	fclose(f);
	return n == 3 && !(inside == 0 && outside == 0 && count == 4294967295UL);
}

/* State folder of the CNI face: $BURROW_BRIDGE_CONFIG; else, inside a user
 * namespace, the user's $XDG_RUNTIME_DIR/burrow (there /run/burrow is the
 * host's, seen through rootlesskit's copy-up of /run, and not writable);
 * else /run/burrow. */
static void cni_root(char *buf, size_t len)
{
	const char *d = getenv("BURROW_BRIDGE_CONFIG");
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (d && *d)
		snprintf(buf, len, "%s/burrow-bridge", d);
	else if (xdg && xdg[0] == '/' && in_child_userns())
		snprintf(buf, len, "%s/burrow/burrow-bridge", xdg);
	else
		snprintf(buf, len, "/run/burrow/burrow-bridge");
}

struct cni_env {
	const char *cid, *netns, *ifname;
};

/* Read and check the CNI_* variables @cmd needs; prints the error. */
static int cni_env(const struct cni_conf *c, const char *cmd, struct cni_env *e)
{
	e->cid = getenv("CNI_CONTAINERID");
	e->netns = getenv("CNI_NETNS");
	e->ifname = getenv("CNI_IFNAME");
	if (!e->cid || !name_valid(e->cid, BO_ID_MAX))
		return cni_error(c->version, CNI_E_ENV, "CNI_CONTAINERID: missing or not a valid ID");
	if (!e->ifname || !name_ifname_valid(e->ifname))
		return cni_error(c->version, CNI_E_ENV, "CNI_IFNAME: missing or not an interface name");
	if (strcmp(cmd, "DEL") && (!e->netns || !*e->netns))
		return cni_error(c->version, CNI_E_ENV, "CNI_NETNS: missing");
	return 0;
}

/*
 * ADD, second half for an IPAM plugin that leases on the interface (dhcp):
 * container @key is set up with no address; run the plugin, give the
 * container what it leased.  On failure everything is undone and the error
 * printed.  Return: 0, or 1.
 */
static int cni_add_leased(const struct cni_conf *c, const char *in, size_t inlen,
			  const char *root, const char *key, const char *netns,
			  struct st_ctr *st, json_t **dns)
{
	_cleanup_free_ char *out = NULL;
	struct bo_net *got = calloc(1, sizeof(*got));
	struct cidr ips[BO_MAX_SUBNETS];
	struct addr gws[BO_MAX_SUBNETS];
	char err[1024], e2[256];
	size_t outlen = 0, k;
	int r;

	if (!got) {
		cni_error(c->version, CNI_E_IO, "out of memory");
		goto undo_links;
	}
	r = cni_exec_ipam(c, "ADD", in, inlen, &out, &outlen);
	if (r) {
		if (out && *out == '{')
			fputs(out, stdout);
		else
			cni_error(c->version, r == -ENOENT ? CNI_E_CONFIG : CNI_E_IO,
				  "ipam %s: ADD failed: %s", c->ipam_type, strerror(-r));
		goto undo_links;
	}
	if (cni_ipam_result(c, out, outlen, got, dns))
		goto undo_ipam;
	for (k = 0; k < got->nstatic; k++) {
		ips[k].addr = got->static_ips[k];
		ips[k].prefix = got->subnets[k].net.prefix;
		gws[k] = got->subnets[k].gw;
	}
	if (br_set_addrs(root, key, netns, ips, gws, got->nstatic,
			 got->route_default || c->is_default_gw, st, err, sizeof(err))) {
		cni_error(c->version, CNI_E_IO, "%s", err);
		goto undo_ipam;
	}
	free(got);
	return 0;
undo_ipam:
	{
		_cleanup_free_ char *o2 = NULL;
		size_t l2;

		cni_exec_ipam(c, "DEL", in, inlen, &o2, &l2);
	}
undo_links:
	br_teardown(root, key, e2, sizeof(e2));
	free(got);
	return 1;
}

/* ADD */
static int cni_add(struct cni_conf *c, const char *in, size_t inlen)
{
	struct bo_options *o = calloc(1, sizeof(*o));
	struct st_ctr *st = calloc(1, sizeof(*st));
	char root[4096], err[1024];
	struct cni_env e;
	json_t *dns = NULL, *res;
	struct bo_net *n;
	int own, link_first, delegated = 0, rc = 1;

	if (!o || !st)
		goto out;
	if (cni_env(c, "ADD", &e))
		goto out;
	if (access(e.netns, F_OK)) {
		cni_error(c->version, CNI_E_ENV, "CNI_NETNS: %s: %s", e.netns, strerror(errno));
		goto out;
	}
	cni_root(root, sizeof(root));
	cni_key(c->name, e.cid, e.ifname, o->container_id, sizeof(o->container_id));
	snprintf(o->cni_cid, sizeof(o->cni_cid), "%s", e.cid);
	snprintf(o->cni_ifname, sizeof(o->cni_ifname), "%s", e.ifname);
	o->nnets = 1;
	n = &o->nets[0];
	snprintf(n->name, sizeof(n->name), "%s", c->name);
	snprintf(n->bridge, sizeof(n->bridge), "%s", c->bridge);
	snprintf(n->ifname, sizeof(n->ifname), "%s", e.ifname);
	n->mtu = c->mtu;
	n->gateway = c->is_gateway;
	n->masquerade = c->ipmasq;
	n->hairpin = c->hairpin;
	if (cni_ports(c, o))
		goto out;
	if (!c->ipam) {
		cni_error(c->version, CNI_E_CONFIG, "config.ipam: missing");
		goto out;
	}
	own = !strcmp(c->ipam_type, CNI_OWN_IPAM);
	/* dhcp leases on the container's interface: the link comes first */
	link_first = !strcmp(c->ipam_type, "dhcp");
	if (own) {
		if (cni_own_ipam(c, n))
			goto out;
	} else if (!link_first) {
		_cleanup_free_ char *out = NULL;
		size_t outlen = 0;
		int r = cni_exec_ipam(c, "ADD", in, inlen, &out, &outlen);

		if (r == -ENOENT) {
			cni_error(c->version, CNI_E_CONFIG, "config.ipam.type: plugin '%s' not found in CNI_PATH",
				  c->ipam_type);
			goto out;
		}
		if (r) {
			/* pass the IPAM plugin's own error on when it gave one */
			if (out && *out == '{')
				fputs(out, stdout);
			else
				cni_error(c->version, CNI_E_IO, "ipam %s: ADD failed: %s", c->ipam_type,
					  strerror(-r));
			goto out;
		}
		delegated = 1;
		if (cni_ipam_result(c, out, outlen, n, &dns))
			goto undo_ipam;
	}
	if (c->is_default_gw)
		n->route_default = 1;
	if (bo_check(o, err, sizeof(err))) {
		cni_error(c->version, CNI_E_CONFIG, "%s", err);
		goto undo_ipam;
	}
	if (br_setup(root, o, e.netns, st, err, sizeof(err))) {
		cni_error(c->version, strstr(err, "already") ? CNI_E_CONFIG : CNI_E_IO, "%s", err);
		goto undo_ipam;
	}
	/* (a repeated ADD finds the container set up, addresses and all) */
	if (link_first && !st->att[0].nips &&
	    cni_add_leased(c, in, inlen, root, o->container_id, e.netns, st, &dns))
		goto out;
	res = cni_result(c, st, e.netns, dns);
	json_dumpf(res, stdout, JSON_COMPACT);
	putchar('\n');
	json_decref(res);
	rc = 0;
	goto out;
undo_ipam:
	if (delegated) {
		_cleanup_free_ char *out = NULL;
		size_t outlen;

		cni_exec_ipam(c, "DEL", in, inlen, &out, &outlen);
	}
out:
	json_decref(dns);
	free(o);
	free(st);
	return rc;
}

/* DEL: idempotent, also with a missing namespace */
static int cni_del(struct cni_conf *c, const char *in, size_t inlen)
{
	char root[4096], err[1024], key[BO_ID_MAX];
	struct cni_env e;
	int dhcp;

	if (cni_env(c, "DEL", &e))
		return 1;
	cni_root(root, sizeof(root));
	cni_key(c->name, e.cid, e.ifname, key, sizeof(key));
	/* dhcp releases its lease over the interface: before it goes */
	dhcp = c->ipam && !strcmp(c->ipam_type, "dhcp");
	if (!dhcp && br_teardown(root, key, err, sizeof(err)))
		return cni_error(c->version, CNI_E_IO, "%s", err);
	if (c->ipam && strcmp(c->ipam_type, CNI_OWN_IPAM)) {
		_cleanup_free_ char *out = NULL;
		size_t outlen = 0;
		int r = cni_exec_ipam(c, "DEL", in, inlen, &out, &outlen);

		if (r && r != -ENOENT) {
			if (out && *out == '{')
				fputs(out, stdout);
			else
				cni_error(c->version, CNI_E_IO, "ipam %s: DEL failed", c->ipam_type);
			return 1;
		}
	}
	if (dhcp && br_teardown(root, key, err, sizeof(err)))
		return cni_error(c->version, CNI_E_IO, "%s", err);
	return 0;
}

/* CHECK */
static int cni_check(struct cni_conf *c)
{
	char root[4096], err[1024], key[BO_ID_MAX];
	struct cni_env e;
	int rc;

	if (cni_env(c, "CHECK", &e))
		return 1;
	if (!json_object_get(c->root, "prevResult"))
		return cni_error(c->version, CNI_E_CONFIG, "config.prevResult: missing for CHECK");
	cni_root(root, sizeof(root));
	cni_key(c->name, e.cid, e.ifname, key, sizeof(key));
	rc = br_check(root, key, e.netns, err, sizeof(err));
	if (rc)
		return cni_error(c->version, rc == -ENOENT ? CNI_E_UNKNOWN_CTR : CNI_E_IO, "%s", err);
	return 0;
}

struct cni_gc {
	const char *net;
	json_t *valid;
	char keys[256][BO_ID_MAX];
	char cids[256][BO_ID_MAX];
	char ifnames[256][IFNAMSIZ];
	size_t nkeys;
};

/* Collect records of this network that no valid attachment names. */
static int cni_gc_scan(const struct st_ctr *st, void *data)
{
	struct cni_gc *g = data;
	json_t *a;
	size_t i;

	if (strncmp(st->key, "cni-", 4) || !st->natt || strcmp(st->att[0].net.name, g->net))
		return 0;
	json_array_foreach(g->valid, i, a) {
		const char *cid = json_string_value(json_object_get(a, "containerID"));
		const char *ifn = json_string_value(json_object_get(a, "ifname"));
		char key[BO_ID_MAX];

		if (!cid || !ifn)
			continue;
		cni_key(g->net, cid, ifn, key, sizeof(key));
		if (!strcmp(key, st->key))
			return 0;
	}
	if (g->nkeys < ARRAY_SIZE(g->keys)) {
		snprintf(g->cids[g->nkeys], BO_ID_MAX, "%s", st->cni_cid);
		snprintf(g->ifnames[g->nkeys], IFNAMSIZ, "%s", st->cni_ifname);
		snprintf(g->keys[g->nkeys++], BO_ID_MAX, "%s", st->key);
	}
	return 0;
}

/* GC: remove every attachment of this network not in cni.dev/valid-attachments */
static int cni_gc(struct cni_conf *c)
{
	struct cni_gc *g = calloc(1, sizeof(*g));
	char root[4096], err[1024];
	size_t i;
	int rc = 0;

	if (!g)
		return cni_error(c->version, CNI_E_IO, "out of memory");
	g->net = c->name;
	g->valid = json_object_get(c->root, "cni.dev/valid-attachments");
	if (g->valid && !json_is_array(g->valid)) {
		free(g);
		return cni_error(c->version, CNI_E_CONFIG, "config.cni.dev/valid-attachments: expected an array");
	}
	cni_root(root, sizeof(root));
	state_for_each_ctr(root, cni_gc_scan, g);
	for (i = 0; i < g->nkeys; i++) {
		if (br_teardown(root, g->keys[i], err, sizeof(err))) {
			if (!rc)
				rc = cni_error(c->version, CNI_E_IO, "%s", err);
			continue;
		}
		/* the delegated IPAM plugin frees that attachment's addresses; DEL
		 * is the same in 1.0, which older IPAM plugins (Debian's) speak */
		if (c->ipam && strcmp(c->ipam_type, CNI_OWN_IPAM) && g->cids[i][0]) {
			_cleanup_free_ char *out = NULL, *del = NULL;
			json_t *copy = json_deep_copy(c->root);
			size_t outlen;

			json_object_set_new(copy, "cniVersion", json_string("1.0.0"));
			json_object_del(copy, "cni.dev/valid-attachments");
			del = json_dumps(copy, JSON_COMPACT);
			json_decref(copy);
			setenv("CNI_CONTAINERID", g->cids[i], 1);
			setenv("CNI_IFNAME", g->ifnames[i], 1);
			unsetenv("CNI_NETNS");
			if (del)
				cni_exec_ipam(c, "DEL", del, strlen(del), &out, &outlen);
		}
	}
	/* and what dead containers left on any network: an ADD or DEL killed
	 * half way, a namespace deleted without DEL */
	if (br_sweep(root, err, sizeof(err)) && !rc)
		rc = cni_error(c->version, CNI_E_IO, "%s", err);
	free(g);
	return rc;
}

int cni_main(const char *argv0)
{
	const char *cmd = getenv("CNI_COMMAND");
	struct cni_conf c;
	char *in = NULL;
	size_t len = 0;
	int rc;

	(void)argv0;
	if (!strcmp(cmd, "VERSION")) {
		json_t *v = json_array(), *j;
		size_t i;

		for (i = 0; i < ARRAY_SIZE(cni_versions); i++)
			json_array_append_new(v, json_string(cni_versions[i]));
		j = json_pack("{s:s,s:o}", "cniVersion", "1.1.0", "supportedVersions", v);
		json_dumpf(j, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(j);
		return 0;
	}
	in = file_read_fd(STDIN_FILENO, CNI_MAX_INPUT, &len);
	if (!in)
		return cni_error(NULL, CNI_E_IO, "read config from stdin: %s", strerror(errno));
	if (cni_parse_conf(in, len, &c)) {
		json_decref(c.root);
		free(in);
		return 1;
	}
	if (!strcmp(cmd, "ADD"))
		rc = cni_add(&c, in, len);
	else if (!strcmp(cmd, "DEL"))
		rc = cni_del(&c, in, len);
	else if (!strcmp(cmd, "CHECK"))
		rc = cni_check(&c);
	else if (!strcmp(cmd, "STATUS"))
		rc = 0;
	else if (!strcmp(cmd, "GC"))
		rc = cni_gc(&c);
	else
		rc = cni_error(c.version, CNI_E_ENV, "CNI_COMMAND: unknown command '%s'", cmd);
	fflush(stdout);
	json_decref(c.root);
	free(in);
	return rc;
}
