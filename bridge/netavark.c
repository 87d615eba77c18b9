// SPDX-License-Identifier: GPL-2.0-or-later
/* netavark.c - netavark-compatible setup/teardown */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "addr.h"
#include "dns.h"
#include "dnsrec.h"
#include "file.h"
#include "log.h"
#include "netavark.h"
#include "options.h"
#include "setup.h"
#include "state.h"

#define NV_MAX_INPUT (1u << 20)

void nv_error(const char *msg)
{
	json_t *j = json_pack("{s:s}", "error", msg);
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;

	printf("%s\n", s ? s : "{\"error\":\"out of memory\"}");
	fflush(stdout);
	free(s);
	json_decref(j);
}

json_t *nv_status(const struct st_ctr *c)
{
	json_t *root = json_object();
	size_t i, k;

	for (i = 0; i < c->natt; i++) {
		const struct st_att *a = &c->att[i];
		json_t *subs = json_array(), *ifs = json_object(), *dns = json_array();
		json_t *search = json_array();
		char mac[MAC_STRLEN];

		for (k = 0; k < a->nips; k++) {
			char ip[CIDR_STRLEN], gw[ADDR_STRLEN];
			json_t *s = json_pack("{s:s}", "ipnet",
					      cidr_format(&a->ips[k], ip, sizeof(ip)));

			if (a->gws[k].family)
				json_object_set_new(s, "gateway",
						    json_string(addr_format(&a->gws[k], gw, sizeof(gw))));
			json_array_append_new(subs, s);
			/* burrow-dns listens on the gateways (bridge/dns.c) */
			if (a->net.dns && a->gws[k].family)
				json_array_append_new(dns, json_string(gw));
		}
		if (a->net.dns)
			json_array_append_new(search, json_string(DNSREC_SEARCH));
		json_object_set_new(ifs, a->net.ifname,
				    json_pack("{s:s,s:o}", "mac_address",
					      mac_format(a->mac, mac), "subnets", subs));
		json_object_set_new(root, a->net.name,
				    json_pack("{s:o,s:o,s:o}", "dns_search_domains", search,
					      "dns_server_ips", dns, "interfaces", ifs));
	}
	return root;
}

/*
 * netavark keeps a container's networks apart: `podman network connect` is a
 * setup naming only the new network, `network disconnect` a teardown naming
 * only the one to leave, `network reload` a setup naming them all.
 * burrow-bridge keeps one record per setup call; a setup for networks the
 * container is not on yet gets its own record, keyed CID@NETWORK (the first
 * network it names), and a teardown removes every record whose networks it
 * names all of.
 */

/* whether record @c has an attachment to network @name */
static int nv_rec_has(const struct st_ctr *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->natt; i++)
		if (!strcmp(c->att[i].net.name, name))
			return 1;
	return 0;
}

/* the key of the record made for a later setup on network @net: -1 when too
 * long for a record (a 64-character ID and a network name over 62) */
static int nv_connect_key(char *key, size_t len, const char *cid, const char *net)
{
	int n = snprintf(key, len, "%s@%s", cid, net);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* the record holding network @net of container @cid, if any: its key in @key */
static int nv_find(const char *root, const char *cid, const char *net, struct st_ctr *tmp,
		   char *key, size_t len)
{
	snprintf(key, len, "%s", cid);
	if (state_load(root, key, tmp) == 0 && nv_rec_has(tmp, net))
		return 1;
	return !nv_connect_key(key, len, cid, net) && state_load(root, key, tmp) == 0 &&
	       nv_rec_has(tmp, net);
}

/* @o restricted to the networks of record @c (ports: the first record only) */
static void nv_subset(const struct bo_options *o, const struct st_ctr *c, int first,
		      struct bo_options *sub)
{
	size_t i;

	*sub = *o;
	sub->nnets = 0;
	for (i = 0; i < o->nnets; i++)
		if (nv_rec_has(c, o->nets[i].name))
			sub->nets[sub->nnets++] = o->nets[i];
	if (!first)
		sub->nports = 0;
}

/* one record's setup: br_setup() under @key, then its names for burrow-dns */
static int nv_setup_one(const char *root, const struct bo_options *o, const char *key,
			const char *netns, const char *in, size_t len, struct st_ctr *c,
			struct bo_options *tmp, char *err, size_t errlen)
{
	char e2[512];

	*tmp = *o;
	snprintf(tmp->container_id, sizeof(tmp->container_id), "%s", key);
	if (br_setup(root, tmp, netns, c, err, errlen))
		return -1;
	if (dns_setup(in, len, o, c, err, errlen)) {
		dns_teardown(o, e2, sizeof(e2));
		br_teardown(root, key, e2, sizeof(e2));
		return -1;
	}
	return 0;
}

/* setup: the status of every network @o names, merged into @st */
static int nv_setup(const char *root, const struct bo_options *o, const char *netns,
		    const char *in, size_t len, json_t *st, char *err, size_t errlen)
{
	struct st_ctr *c = calloc(1, sizeof(*c)), *rec = calloc(1, sizeof(*rec));
	struct bo_options *sub = calloc(1, sizeof(*sub)), *tmp = calloc(1, sizeof(*tmp));
	char key[BO_ID_MAX], done[BO_MAX_NETS][BO_ID_MAX];
	size_t i, k, nfound = 0, ndone = 0;
	int rc = -1, dup;

	if (!c || !rec || !sub || !tmp) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < o->nnets; i++)
		nfound += (size_t)nv_find(root, o->container_id, o->nets[i].name, rec, key,
					  sizeof(key));
	if (nfound && nfound < o->nnets) {
		snprintf(err, errlen, "container %.12s: some of the networks named are set up "
			 "already, some not (connect one network at a time)", o->container_id);
		goto out;
	}
	if (!nfound) {		/* a new container, or `network connect` */
		snprintf(key, sizeof(key), "%s", o->container_id);
		if (state_load(root, o->container_id, rec) == 0 &&
		    nv_connect_key(key, sizeof(key), o->container_id, o->nets[0].name)) {
			snprintf(err, errlen, "network %s: name too long to connect a running "
				 "container to (burrow-bridge: at most 62 characters)",
				 o->nets[0].name);
			goto out;
		}
		if (nv_setup_one(root, o, key, netns, in, len, c, tmp, err, errlen))
			goto out;
		json_object_update_new(st, nv_status(c));
		rc = 0;
		goto out;
	}
	/* every network set up already (network reload): each record again */
	for (i = 0; i < o->nnets; i++) {
		nv_find(root, o->container_id, o->nets[i].name, rec, key, sizeof(key));
		for (dup = 0, k = 0; k < ndone; k++)
			dup |= !strcmp(done[k], key);
		if (dup)
			continue;
		snprintf(done[ndone++], BO_ID_MAX, "%s", key);
		nv_subset(o, rec, !strcmp(key, o->container_id), sub);
		if (nv_setup_one(root, sub, key, netns, in, len, c, tmp, err, errlen))
			goto out;
		json_object_update_new(st, nv_status(c));
	}
	rc = 0;
out:
	free(c);
	free(rec);
	free(sub);
	free(tmp);
	return rc;
}

/* teardown: every record of the container whose networks @o names all of */
static int nv_teardown(const char *root, const struct bo_options *o, char *err, size_t errlen)
{
	struct st_ctr *rec = calloc(1, sizeof(*rec));
	char key[BO_ID_MAX];
	size_t i, named = 0;
	int rc = -1;

	if (!rec) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < o->nnets; i++) {
		if (nv_connect_key(key, sizeof(key), o->container_id, o->nets[i].name))
			continue;
		if (state_load(root, key, rec) == 0 && br_teardown(root, key, err, errlen))
			goto out;
	}
	if (state_load(root, o->container_id, rec) != 0) {
		/* no whole record: none at all, an intent a kill cut short before
		 * any change, or one unreadable: br_teardown() removes the first
		 * two and reports the third */
		if (br_teardown(root, o->container_id, err, errlen))
			goto out;
	} else {
		for (i = 0; i < rec->natt; i++)
			for (size_t k = 0; k < o->nnets; k++)
				named += !strcmp(rec->att[i].net.name, o->nets[k].name);
		if (named && named < rec->natt) {
			snprintf(err, errlen, "container %.12s: leaving only some of the networks "
				 "it was started with is not supported by burrow-bridge (the "
				 "networks it was connected to later can be left)",
				 o->container_id);
			goto out;
		}
		if (named && br_teardown(root, o->container_id, err, errlen))
			goto out;
	}
	rc = 0;
out:
	free(rec);
	return rc;
}

int nv_dns_port(uint16_t *port, char *err, size_t errlen)
{
	const char *v = getenv("NETAVARK_DNS_PORT");
	unsigned long n;
	char *end;

	*port = 53;
	if (!v)
		return 0;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (!*v || *end || *v == '-' || *v == '+' || isspace((unsigned char)*v)) {
		snprintf(err, errlen, "Invalid NETAVARK_DNS_PORT %s: %s", v,
			 *v ? "invalid digit found in string" : "cannot parse integer from "
			 "empty string");
		return -EINVAL;
	}
	if (errno || n > 65535 || !n) {
		snprintf(err, errlen, "Invalid NETAVARK_DNS_PORT %s: %s", v, n ?
			 "number too large to fit in target type" : "port 0 cannot be listened "
			 "on (burrow-bridge)");
		return -EINVAL;
	}
	*port = (uint16_t)n;
	return 0;
}

int nv_firewall_driver(const char *opt, char *err, size_t errlen)
{
	const char *v = opt ? opt : getenv("NETAVARK_FW");

	if (!v || !*v || !strcasecmp(v, "nftables"))
		return 0;
	snprintf(err, errlen, "Must provide a valid firewall backend, got %s (%s): burrow-bridge "
		 "drives nftables only (its own table, with an accept rule in iptables' FORWARD "
		 "and firewalld's trusted zone where those are in use)",
		 v, opt ? "--firewall-driver" : "NETAVARK_FW");
	return -EINVAL;
}

int nv_run(const char *root, const char *cmd, const char *netns, int in_fd)
{
	struct bo_options *o = calloc(1, sizeof(*o));
	char err[1024] = "";
	size_t len = 0;
	char *in = NULL;
	int rc = 1;

	if (!o) {
		nv_error("out of memory");
		goto out;
	}
	in = file_read_fd(in_fd, NV_MAX_INPUT, &len);
	if (!in) {
		snprintf(err, sizeof(err), "read options from stdin: %s", strerror(errno));
		nv_error(err);
		goto out;
	}
	if (bo_parse_netavark(in, len, o, err, sizeof(err))) {
		nv_error(err);
		goto out;
	}
	if (!strcmp(cmd, "setup")) {
		json_t *st = json_object();
		uint16_t dns_port;
		size_t i;

		if (nv_dns_port(&dns_port, err, sizeof(err))) {
			json_decref(st);
			nv_error(err);
			goto out;
		}
		for (i = 0; i < o->nnets; i++)
			o->nets[i].dns_port = o->nets[i].dns ? dns_port : 0;

		if (!st || nv_setup(root, o, netns, in, len, st, err, sizeof(err))) {
			json_decref(st);
			nv_error(err);
			goto out;
		}
		json_dumpf(st, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(st);
		rc = 0;
	} else {
		if (dns_teardown(o, err, sizeof(err)))
			warn("%s", err);
		if (nv_teardown(root, o, err, sizeof(err))) {
			nv_error(err);
			goto out;
		}
		rc = 0;
	}
out:
	free(in);
	free(o);
	return rc;
}
