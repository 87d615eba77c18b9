// SPDX-License-Identifier: GPL-2.0-or-later
/* options.c - netavark network options JSON -> struct bo_options */

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "addr.h"
#include "json.h"
#include "name.h"
#include "options.h"

int bo_error(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return rc;
}

/* Print an error into @err and return -EINVAL. */
#define bo_fail(err, errlen, ...) bo_error(err, errlen, -EINVAL, __VA_ARGS__)

/* Field @key of @obj with type @t, or NULL (absent or null); -1 on wrong type. */
static int bo_field(json_t *obj, const char *key, json_type t, const char *path,
		    json_t **out, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (json_typeof(v) != t && !(t == JSON_TRUE && json_is_boolean(v)))
		return bo_fail(err, errlen, "%s.%s: expected %s, got %s", path, key,
			       t == JSON_TRUE ? "boolean" : t == JSON_OBJECT ? "object" :
			       t == JSON_ARRAY ? "array" : t == JSON_STRING ? "string" :
			       "integer", json_type_name(v));
	*out = v;
	return 1;
}

/* Copy string field @key into @dst (size @n); required when @req. */
static int bo_str(json_t *obj, const char *key, const char *path, int req,
		  char *dst, size_t n, char *err, size_t errlen)
{
	json_t *v;
	int rc = bo_field(obj, key, JSON_STRING, path, &v, err, errlen);

	if (rc < 0)
		return rc;
	if (!rc) {
		if (req)
			return bo_fail(err, errlen, "%s.%s: missing", path, key);
		return 0;
	}
	if (json_string_length(v) >= n || strlen(json_string_value(v)) != json_string_length(v))
		return bo_fail(err, errlen, "%s.%s: too long or contains NUL", path, key);
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return 1;
}

/* Integer field in [lo, hi]. */
static int bo_int(json_t *obj, const char *key, const char *path, int req,
		  long long lo, long long hi, long long *out, char *err, size_t errlen)
{
	json_t *v;
	int rc = bo_field(obj, key, JSON_INTEGER, path, &v, err, errlen);

	if (rc < 0)
		return rc;
	if (!rc)
		return req ? bo_fail(err, errlen, "%s.%s: missing", path, key) : 0;
	if (json_integer_value(v) < lo || json_integer_value(v) > hi)
		return bo_fail(err, errlen, "%s.%s: %lld out of range %lld-%lld", path,
			       key, (long long)json_integer_value(v), lo, hi);
	*out = json_integer_value(v);
	return 1;
}

/* Boolean field. */
static int bo_bool(json_t *obj, const char *key, const char *path, int *out,
		   char *err, size_t errlen)
{
	json_t *v;
	int rc = bo_field(obj, key, JSON_TRUE, path, &v, err, errlen);

	if (rc <= 0)
		return rc;
	*out = json_is_true(v);
	return 1;
}

int bo_parse_addr(const char *s, struct addr *a)
{
	if (strchr(s, '['))
		return -EINVAL;
	return addr_parse(s, a);
}

int bo_parse_cidr(const char *s, struct cidr *c)
{
	if (strchr(s, '['))
		return -EINVAL;
	return cidr_parse(s, c);
}

const char *bo_proto_name(int proto)
{
	return proto == IPPROTO_TCP ? "tcp" : proto == IPPROTO_UDP ? "udp" :
	       proto == IPPROTO_SCTP ? "sctp" : "?";
}

/* Parse "tcp", "udp", "sctp". */
static int bo_proto_parse(const char *s, size_t n)
{
	if (n == 3 && !strncmp(s, "tcp", 3))
		return IPPROTO_TCP;
	if (n == 3 && !strncmp(s, "udp", 3))
		return IPPROTO_UDP;
	if (n == 4 && !strncmp(s, "sctp", 4))
		return IPPROTO_SCTP;
	return -1;
}

/* port_mappings[]: one entry per protocol of a comma list. */
static int bo_ports(json_t *arr, struct bo_options *o, char *err, size_t errlen)
{
	size_t i;
	json_t *pm;

	json_array_foreach(arr, i, pm) {
		char path[64], proto[32] = "tcp", hip[INET6_ADDRSTRLEN + 2] = "";
		long long cport = 0, hport = 0, range = 1;
		struct addr host = { 0 };
		const char *p;
		int rc;

		snprintf(path, sizeof(path), "port_mappings[%zu]", i);
		if (!json_is_object(pm))
			return bo_fail(err, errlen, "%s: expected object, got %s", path, json_type_name(pm));
		if ((rc = bo_str(pm, "host_ip", path, 0, hip, sizeof(hip), err, errlen)) < 0 ||
		    (rc = bo_str(pm, "protocol", path, 0, proto, sizeof(proto), err, errlen)) < 0 ||
		    (rc = bo_int(pm, "container_port", path, 1, 1, 65535, &cport, err, errlen)) < 0 ||
		    (rc = bo_int(pm, "host_port", path, 0, 0, 65535, &hport, err, errlen)) < 0 ||
		    (rc = bo_int(pm, "range", path, 0, 0, 65535, &range, err, errlen)) < 0)
			return rc;
		if (range == 0)
			range = 1;
		if (hport == 0)
			hport = cport;
		if (hport + range - 1 > 65535 || cport + range - 1 > 65535)
			return bo_fail(err, errlen, "%s.range: %lld ports from %lld/%lld exceed 65535",
				       path, range, hport, cport);
		if (hip[0] && bo_parse_addr(hip, &host))
			return bo_fail(err, errlen, "%s.host_ip: bad address '%s'", path, hip);
		for (p = proto; *p;) {
			size_t n = strcspn(p, ",");
			int pr = bo_proto_parse(p, n);
			struct bo_port *bp;

			if (pr < 0)
				return bo_fail(err, errlen, "%s.protocol: unknown protocol '%s'", path, proto);
			if (o->nports >= BO_MAX_PORTS)
				return bo_fail(err, errlen, "port_mappings: more than %d entries", BO_MAX_PORTS);
			bp = &o->ports[o->nports++];
			bp->proto = pr;
			bp->host_ip = host;
			bp->host_port = (uint16_t)hport;
			bp->ctr_port = (uint16_t)cport;
			bp->range = (uint16_t)range;
			p += n;
			if (*p == ',')
				p++;
		}
	}
	return 0;
}

/* network_info.NAME.subnets[] */
static int bo_subnets(json_t *arr, const char *path, struct bo_net *n,
		      char *err, size_t errlen)
{
	size_t i;
	json_t *s;

	json_array_foreach(arr, i, s) {
		char p[160], txt[INET6_ADDRSTRLEN + 8];
		struct bo_subnet *sn;
		json_t *lr;
		int rc;

		snprintf(p, sizeof(p), "%s.subnets[%zu]", path, i);
		if (!json_is_object(s))
			return bo_fail(err, errlen, "%s: expected object, got %s", p, json_type_name(s));
		if (n->nsubnets >= BO_MAX_SUBNETS)
			return bo_fail(err, errlen, "%s: more than %d subnets", path, BO_MAX_SUBNETS);
		sn = &n->subnets[n->nsubnets];
		memset(sn, 0, sizeof(*sn));
		if ((rc = bo_str(s, "subnet", p, 1, txt, sizeof(txt), err, errlen)) < 0)
			return rc;
		if (bo_parse_cidr(txt, &sn->net) || !strchr(txt, '/'))
			return bo_fail(err, errlen, "%s.subnet: bad prefix '%s'", p, txt);
		cidr_network(&sn->net);
		if ((sn->net.addr.family == AF_INET && sn->net.prefix > 30) ||
		    (sn->net.addr.family == AF_INET6 && sn->net.prefix > 126))
			return bo_fail(err, errlen, "%s.subnet: '%s' too small", p, txt);
		txt[0] = 0;
		if ((rc = bo_str(s, "gateway", p, 0, txt, sizeof(txt), err, errlen)) < 0)
			return rc;
		if (rc) {
			if (bo_parse_addr(txt, &sn->gw) || !cidr_contains(&sn->net, &sn->gw))
				return bo_fail(err, errlen, "%s.gateway: '%s' is not an address in the subnet",
					       p, txt);
		}
		if ((rc = bo_field(s, "lease_range", JSON_OBJECT, p, &lr, err, errlen)) < 0)
			return rc;
		if (rc) {
			char lp[200];

			snprintf(lp, sizeof(lp), "%s.lease_range", p);
			txt[0] = 0;
			if ((rc = bo_str(lr, "start_ip", lp, 0, txt, sizeof(txt), err, errlen)) < 0)
				return rc;
			if (rc && (bo_parse_addr(txt, &sn->start) || !cidr_contains(&sn->net, &sn->start)))
				return bo_fail(err, errlen, "%s.start_ip: '%s' not in the subnet", lp, txt);
			if ((rc = bo_str(lr, "end_ip", lp, 0, txt, sizeof(txt), err, errlen)) < 0)
				return rc;
			if (rc && (bo_parse_addr(txt, &sn->end) || !cidr_contains(&sn->net, &sn->end)))
				return bo_fail(err, errlen, "%s.end_ip: '%s' not in the subnet", lp, txt);
		}
		n->nsubnets++;
	}
	return 0;
}

/* network_info.NAME */
static int bo_netinfo(json_t *ni, const char *path, struct bo_net *n,
		      char *err, size_t errlen)
{
	char driver[32] = "bridge", buf[64];
	json_t *v, *opts;
	int rc;

	if (!json_is_object(ni))
		return bo_fail(err, errlen, "%s: expected object, got %s", path, json_type_name(ni));
	if ((rc = bo_str(ni, "driver", path, 0, driver, sizeof(driver), err, errlen)) < 0)
		return rc;
	if (strcmp(driver, "bridge"))
		return bo_fail(err, errlen, "%s.driver: unsupported driver '%s' (only bridge)",
			       path, driver);
	if ((rc = bo_str(ni, "network_interface", path, 1, n->bridge, sizeof(n->bridge),
			 err, errlen)) < 0)
		return rc;
	if (!name_ifname_valid(n->bridge))
		return bo_fail(err, errlen, "%s.network_interface: bad interface name '%s'",
			       path, n->bridge);
	if ((rc = bo_field(ni, "subnets", JSON_ARRAY, path, &v, err, errlen)) < 0)
		return rc;
	if (rc && (rc = bo_subnets(v, path, n, err, errlen)) < 0)
		return rc;
	if ((rc = bo_bool(ni, "internal", path, &n->internal, err, errlen)) < 0 ||
	    (rc = bo_bool(ni, "dns_enabled", path, &n->dns, err, errlen)) < 0)
		return rc;
	if ((rc = bo_field(ni, "ipv6_enabled", JSON_TRUE, path, &v, err, errlen)) < 0)
		return rc;
	if ((rc = bo_field(ni, "options", JSON_OBJECT, path, &opts, err, errlen)) < 0)
		return rc;
	if (rc) {
		char op[120];

		snprintf(op, sizeof(op), "%s.options", path);
		buf[0] = 0;
		if ((rc = bo_str(opts, "mtu", op, 0, buf, sizeof(buf), err, errlen)) < 0)
			return rc;
		if (rc) {
			char *end;
			unsigned long m = strtoul(buf, &end, 10);

			if (*end || !buf[0] || m < 68 || m > 65535)
				return bo_fail(err, errlen, "%s.mtu: bad MTU '%s'", op, buf);
			n->mtu = (unsigned)m;
		}
		buf[0] = 0;
		if ((rc = bo_str(opts, "isolate", op, 0, buf, sizeof(buf), err, errlen)) < 0)
			return rc;
		if (rc) {
			if (!strcmp(buf, "true") || !strcmp(buf, "1"))
				n->isolate = BO_ISOLATE_YES;
			else if (!strcmp(buf, "strict"))
				n->isolate = BO_ISOLATE_STRICT;
			else if (!strcmp(buf, "false") || !strcmp(buf, "0") || !buf[0])
				n->isolate = BO_ISOLATE_NO;
			else
				return bo_fail(err, errlen, "%s.isolate: expected true, false or strict, got '%s'",
					       op, buf);
		}
	}
	if ((rc = bo_field(ni, "ipam_options", JSON_OBJECT, path, &opts, err, errlen)) < 0)
		return rc;
	if (rc) {
		char op[120];

		snprintf(op, sizeof(op), "%s.ipam_options", path);
		buf[0] = 0;
		if ((rc = bo_str(opts, "driver", op, 0, buf, sizeof(buf), err, errlen)) < 0)
			return rc;
		if (rc && strcmp(buf, "host-local") && strcmp(buf, "none") && strcmp(buf, ""))
			return bo_fail(err, errlen, "%s.driver: unsupported IPAM driver '%s'", op, buf);
		if (!strcmp(buf, "none"))
			n->nsubnets = 0;
	}
	n->gateway = 1;
	n->masquerade = !n->internal;
	n->route_default = !n->internal;
	n->hairpin = 1;
	return 0;
}

/* networks.NAME (the attachment) */
static int bo_attach(json_t *a, const char *path, struct bo_net *n,
		     char *err, size_t errlen)
{
	char mac[32];
	json_t *ips, *ip;
	size_t i;
	int rc;

	if (!json_is_object(a))
		return bo_fail(err, errlen, "%s: expected object, got %s", path, json_type_name(a));
	if ((rc = bo_str(a, "interface_name", path, 1, n->ifname, sizeof(n->ifname),
			 err, errlen)) < 0)
		return rc;
	if (!name_ifname_valid(n->ifname))
		return bo_fail(err, errlen, "%s.interface_name: bad interface name '%s'",
			       path, n->ifname);
	if ((rc = bo_str(a, "static_mac", path, 0, mac, sizeof(mac), err, errlen)) < 0)
		return rc;
	if (rc && mac[0]) {
		if (strchr(mac, '-') || mac_parse(mac, n->mac) || (n->mac[0] & 1))
			return bo_fail(err, errlen, "%s.static_mac: bad unicast MAC '%s'", path, mac);
		n->has_mac = 1;
	}
	if ((rc = bo_field(a, "static_ips", JSON_ARRAY, path, &ips, err, errlen)) < 0)
		return rc;
	json_array_foreach(ips, i, ip) {
		if (!json_is_string(ip))
			return bo_fail(err, errlen, "%s.static_ips[%zu]: expected string, got %s",
				       path, i, json_type_name(ip));
		if (n->nstatic >= BO_MAX_SUBNETS)
			return bo_fail(err, errlen, "%s.static_ips: more than %d", path, BO_MAX_SUBNETS);
		if (bo_parse_addr(json_string_value(ip), &n->static_ips[n->nstatic]))
			return bo_fail(err, errlen, "%s.static_ips[%zu]: bad address '%s'", path, i,
				       json_string_value(ip));
		n->nstatic++;
	}
	return 0;
}

int bo_check(const struct bo_options *o, char *err, size_t errlen)
{
	size_t i, j, k;

	if (!name_valid(o->container_id, sizeof(o->container_id)))
		return bo_fail(err, errlen, "container_id: bad container ID '%s'", o->container_id);
	for (i = 0; i < o->nnets; i++) {
		const struct bo_net *n = &o->nets[i];

		for (j = 0; j < i; j++) {
			if (!strcmp(o->nets[j].ifname, n->ifname))
				return bo_fail(err, errlen, "networks.%s.interface_name: '%s' used twice",
					       n->name, n->ifname);
		}
		for (j = 0; j < n->nsubnets; j++)
			for (k = 0; k < j; k++)
				if (cidr_overlaps(&n->subnets[j].net, &n->subnets[k].net))
					return bo_fail(err, errlen, "network_info.%s.subnets[%zu]: overlaps subnets[%zu]",
						       n->name, j, k);
		for (j = 0; j < n->nstatic; j++) {
			for (k = 0; k < n->nsubnets; k++)
				if (cidr_contains(&n->subnets[k].net, &n->static_ips[j]))
					break;
			if (k == n->nsubnets)
				return bo_fail(err, errlen, "networks.%s.static_ips[%zu]: not in any subnet of the network",
					       n->name, j);
			if (addr_equal(&n->static_ips[j], &n->subnets[k].gw))
				return bo_fail(err, errlen, "networks.%s.static_ips[%zu]: is the gateway",
					       n->name, j);
		}
	}
	for (i = 0; i < o->nports; i++) {
		/* DNAT cannot send a packet from ::1 anywhere but lo: IPv6 has no
		 * route_localnet, so such a forward would silently do nothing */
		if (o->ports[i].host_ip.family == AF_INET6 &&
		    IN6_IS_ADDR_LOOPBACK(&o->ports[i].host_ip.v6))
			return bo_fail(err, errlen, "port_mappings[%zu].host_ip: ::1 cannot be forwarded to a container "
				       "(Linux never routes IPv6 loopback traffic off lo); use 127.0.0.1 or a host address",
				       i);
	}
	for (i = 0; i < o->nports; i++)
		for (j = 0; j < i; j++) {
			const struct bo_port *a = &o->ports[i], *b = &o->ports[j];
			int addr_overlap = !a->host_ip.family || !b->host_ip.family ||
					   addr_equal(&a->host_ip, &b->host_ip) ||
					   (a->host_ip.family == b->host_ip.family &&
					    (addr_is_any(&a->host_ip) || addr_is_any(&b->host_ip)));

			if (a->proto == b->proto && addr_overlap &&
			    a->host_port < b->host_port + b->range &&
			    b->host_port < a->host_port + a->range)
				return bo_fail(err, errlen, "port_mappings[%zu]: host port %u/%s already forwarded by port_mappings[%zu]",
					       i, a->host_port > b->host_port ? a->host_port : b->host_port,
					       bo_proto_name(a->proto), j);
		}
	return 0;
}

int bo_parse_netavark(const char *buf, size_t len, struct bo_options *o,
		      char *err, size_t errlen)
{
	json_t *root, *nets, *infos, *pm, *a;
	json_error_t je;
	const char *name;
	int rc;

	memset(o, 0, sizeof(*o));
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return bo_fail(err, errlen, "options: invalid JSON at line %d column %d: %s",
			       je.line, je.column, je.text);
	if (!json_is_object(root)) {
		rc = bo_fail(err, errlen, "options: expected object, got %s", json_type_name(root));
		goto out;
	}
	if ((rc = bo_str(root, "container_id", "options", 1, o->container_id,
			 sizeof(o->container_id), err, errlen)) < 0 ||
	    (rc = bo_str(root, "container_name", "options", 0, o->container_name,
			 sizeof(o->container_name), err, errlen)) < 0)
		goto out;
	if (!name_valid(o->container_id, sizeof(o->container_id))) {
		rc = bo_fail(err, errlen, "container_id: bad container ID '%s'", o->container_id);
		goto out;
	}
	if ((rc = bo_field(root, "port_mappings", JSON_ARRAY, "options", &pm, err, errlen)) < 0)
		goto out;
	if (rc && (rc = bo_ports(pm, o, err, errlen)) < 0)
		goto out;
	if ((rc = bo_field(root, "networks", JSON_OBJECT, "options", &nets, err, errlen)) < 0 ||
	    (rc = bo_field(root, "network_info", JSON_OBJECT, "options", &infos, err, errlen)) < 0)
		goto out;
	json_object_foreach(nets, name, a) {
		char path[BO_NAME_MAX + 20];
		struct bo_net *n;
		json_t *ni;

		if (o->nnets >= BO_MAX_NETS) {
			rc = bo_fail(err, errlen, "networks: more than %d networks", BO_MAX_NETS);
			goto out;
		}
		if (!name_valid(name, BO_NAME_MAX)) {
			rc = bo_fail(err, errlen, "networks: bad network name '%.64s'", name);
			goto out;
		}
		n = &o->nets[o->nnets];
		snprintf(n->name, sizeof(n->name), "%s", name);
		snprintf(path, sizeof(path), "networks.%s", name);
		if ((rc = bo_attach(a, path, n, err, errlen)) < 0)
			goto out;
		ni = infos ? json_object_get(infos, name) : NULL;
		snprintf(path, sizeof(path), "network_info.%s", name);
		if (!ni) {
			rc = bo_fail(err, errlen, "%s: missing", path);
			goto out;
		}
		if ((rc = bo_netinfo(ni, path, n, err, errlen)) < 0)
			goto out;
		o->nnets++;
	}
	rc = bo_check(o, err, errlen);
out:
	json_decref(root);
	return rc;
}
