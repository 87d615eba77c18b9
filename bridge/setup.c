// SPDX-License-Identifier: GPL-2.0-or-later
/* setup.c - the setup transaction with rollback, teardown, reload */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "addr.h"
#include "conntrack.h"
#include "firewalld.h"
#include "ipam.h"
#include "localnet.h"
#include "log.h"
#include "netconf.h"
#include "nft.h"
#include "setup.h"
#include "xtlegacy.h"

/* What a setup did so far, for the rollback */
struct br_tx {
	const char *root;
	struct st_ctr *c;
	int made_bridge[BO_MAX_NETS];
	int made_veth[BO_MAX_NETS];
	int joined[BO_MAX_NETS];
	int net_first[BO_MAX_NETS];
	size_t ports_claimed;
	int nft_done;
	int localnet[BO_MAX_NETS];	/* route_localnet turned on for att[i] */
	int trusted[BO_MAX_NETS];	/* att[i]'s subnets put in firewalld's trusted zone */
	int saved;
};

/* The test hook: fail after step @step when BURROW_BRIDGE_FAIL names it. */
static int br_inject(const char *step, char *err, size_t errlen)
{
	const char *f = getenv("BURROW_BRIDGE_FAIL");

	if (f && !strcmp(f, step))
		return bo_error(err, errlen, -EIO, "injected failure after step '%s'", step);
	return 0;
}

/* Host end name: "vb" + 12 hex digits of a hash of key, network and salt. */
static void br_veth_name(const char *key, const char *net, unsigned salt, char *buf)
{
	uint64_t h = 1469598103934665603ULL;
	const char *p;

	for (p = key; *p; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ULL;
	h = (h ^ '/') * 1099511628211ULL;
	for (p = net; *p; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ULL;
	h = (h ^ salt) * 1099511628211ULL;
	snprintf(buf, IFNAMSIZ, "vb%012llx", (unsigned long long)(h & 0xffffffffffffULL));
}

/* Queue add/delete of every map element of @c's forwards. */
static void br_fwds(struct nftb *b, const struct st_ctr *c, int add)
{
	size_t i;
	unsigned k;

	for (i = 0; i < c->nports; i++) {
		const struct bo_port *p = &c->ports[i];
		const struct addr *tgt[2] = { &c->fwd4, &c->fwd6 };
		int t;

		for (t = 0; t < 2; t++) {
			if (!tgt[t]->family)
				continue;
			if (p->host_ip.family && p->host_ip.family != tgt[t]->family)
				continue;
			for (k = 0; k < p->range; k++) {
				struct nftb_fwd f = {
					.proto = p->proto, .host_ip = p->host_ip,
					.host_port = (uint16_t)(p->host_port + k),
					.ctr_ip = *tgt[t], .ctr_port = (uint16_t)(p->ctr_port + k),
				};

				nftb_fwd(b, &f, add);
			}
		}
	}
}

/* How many map elements @c's forwards make (ranges of thousands of ports). */
static size_t br_fwd_count(const struct st_ctr *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->nports; i++)
		n += (size_t)c->ports[i].range * 2;
	return n;
}

/* A batch with room for @c's changes: past a few thousand elements the
 * small one would overflow ("nftables batch too large"). */
static struct nftb *br_batch_for(const struct st_ctr *c)
{
	return br_fwd_count(c) > 2000 ? nftb_new_large() : nftb_new();
}

/* NETAVARK_DNS_PORT: the gateways' port 53 (UDP, TCP) to burrow-dns's port,
 * as netavark's DNAT to aardvark-dns on another port */
static void br_dns_dnat(struct nftb *b, const struct bo_net *n, int add)
{
	static const int protos[] = { IPPROTO_UDP, IPPROTO_TCP };
	size_t i, k;

	if (!n->dns || !n->dns_port || n->dns_port == 53)
		return;
	for (i = 0; i < n->nsubnets; i++) {
		for (k = 0; n->subnets[i].gw.family && k < 2; k++) {
			struct nftb_fwd f = { .proto = protos[k], .host_ip = n->subnets[i].gw,
					      .host_port = 53, .ctr_ip = n->subnets[i].gw,
					      .ctr_port = n->dns_port };

			nftb_fwd(b, &f, add);
		}
	}
}

/* The set elements of network @n. */
static void br_net_elems(struct nftb *b, const struct bo_net *n, int add)
{
	struct nftb_bridge br = { .masquerade = n->masquerade, .internal = n->internal,
				  .isolate = n->isolate != BO_ISOLATE_NO };

	snprintf(br.name, sizeof(br.name), "%s", n->bridge);
	nftb_bridge(b, &br, add);
	br_dns_dnat(b, n, add);
}

/*
 * Queue our accept rule into iptables-nft's FORWARD chains (@add), or its
 * removal: with Docker's policy drop there, a packet our forward chain lets
 * through must be accepted there too.  Hosts without those chains: nothing.
 * iptables-legacy's chains, where in use, are changed at once.
 */
static void br_xt_queue(struct nftb *b, int add)
{
	uint64_t h[4];
	int v6, n, k;

	for (v6 = 0; v6 <= 1; v6++) {
		n = nftb_xt_find(v6, h, (int)ARRAY_SIZE(h));
		if (n < 0) {
			if (n != -ENOENT)
				warn("%s filter FORWARD chain: %s", v6 ? "ip6" : "ip", strerror(-n));
			continue;
		}
		if (add && n == 0)
			nftb_xt_accept(b, v6, 1, 0);
		for (k = 0; !add && k < n; k++)
			nftb_xt_accept(b, v6, 0, h[k]);
	}
	/* and in iptables-legacy's, where that is in use (outside the batch) */
	for (v6 = 0; v6 <= 1; v6++) {
		if (!xtl_in_use(v6))
			continue;
		n = xtl_accept(v6, add);
		if (n)
			warn("%s our rule %s %s FORWARD: %s", add ? "add" : "delete",
			     add ? "to" : "from", v6 ? "ip6tables-legacy" : "iptables-legacy",
			     strerror(-n));
	}
}

/* Network @n's subnets into (@add) or out of firewalld's trusted zone. */
static void br_trust(const struct bo_net *n, int add)
{
	int rc = fwd_trust(n, add);

	if (rc)
		warn("firewalld: %s the subnets of %s %s the trusted zone: %s",
		     add ? "add" : "remove", n->name, add ? "to" : "from", strerror(-rc));
}

struct br_rebuild {
	struct nftb *b;
	const char *skip;
};

static int br_rebuild_net(const struct bo_net *n, void *data)
{
	struct br_rebuild *r = data;

	br_net_elems(r->b, n, 1);
	return 0;
}

/* reload: network @n back into firewalld's trusted zone. */
static int br_trust_net(const struct bo_net *n, void *data)
{
	(void)data;
	if (!n->internal)
		br_trust(n, 1);
	return 0;
}

static int br_rebuild_ctr(const struct st_ctr *c, void *data)
{
	struct br_rebuild *r = data;

	if (!r->skip || strcmp(c->key, r->skip))
		br_fwds(r->b, c, 1);
	return 0;
}

/* Queue the whole table from the records (all but container @skip). */
static void br_queue_all(struct nftb *b, const char *root, const char *skip)
{
	struct br_rebuild r = { .b = b, .skip = skip };

	nftb_create_table(b);
	br_xt_queue(b, 1);
	state_for_each_net(root, br_rebuild_net, &r);
	state_for_each_ctr(root, br_rebuild_ctr, &r);
}

/* Replace the table with one built from the records. */
static int br_rebuild(const char *root, const char *skip, char *err, size_t errlen)
{
	struct nftb *b = nftb_new_large();
	int rc, exists = nftb_table_exists();

	if (!b)
		return -ENOMEM;
	if (exists > 0)
		nftb_delete_table(b);
	if (state_net_count(root) > 0)
		br_queue_all(b, root, skip);
	else
		br_xt_queue(b, 0);
	rc = nftb_commit(b, err, errlen);
	nftb_free(b);
	return rc;
}

/* Whether @c has an IPv4 forward the host reaches through 127.0.0.1. */
static int br_wants_localnet(const struct st_ctr *c)
{
	size_t i;

	if (!c->fwd4.family)
		return 0;
	for (i = 0; i < c->nports; i++) {
		const struct addr *h = &c->ports[i].host_ip;

		if (!h->family || (h->family == AF_INET && (ntohl(h->v4.s_addr) >> 24 == 127 ||
							    !h->v4.s_addr)))
			return 1;
	}
	return 0;
}

/* What br_ln_scan_ctr() looks for, and found */
struct br_ln_scan {
	const char *root, *bridge, *skip;
	int needed;
};

/* Whether container @c (not the one leaving) still forwards from 127.0.0.1 on the bridge. */
static int br_ln_scan_ctr(const struct st_ctr *c, void *data)
{
	struct br_ln_scan *s = data;
	size_t i;

	if (!strcmp(c->key, s->skip) || !br_wants_localnet(c))
		return 0;
	for (i = 0; i < c->natt; i++)
		if (!strcmp(c->att[i].net.bridge, s->bridge))
			s->needed = 1;
	return s->needed;
}

/* Network @n: if it is on the bridge, look through its members only (a
 * walk of every record on the host made a teardown cost ~1 ms more per
 * hundred containers elsewhere, parsing their records) */
static int br_ln_scan_net(const struct bo_net *n, void *data)
{
	struct br_ln_scan *s = data;

	if (strcmp(n->bridge, s->bridge))
		return 0;
	state_for_each_member(s->root, n->name, br_ln_scan_ctr, s);
	return s->needed;
}

/*
 * Container @c leaves @bridge (@last: its network is left empty): put the
 * bridge's route_localnet back unless another container there still
 * forwards from 127.0.0.1.  Before the rules go, so that the guard outlives it.
 */
static void br_localnet_release(const char *root, const struct st_ctr *c, const char *bridge,
				int last)
{
	struct br_ln_scan s = { .root = root, .bridge = bridge, .skip = c->key };
	int rc;

	/* a killed setup's record does not say: it may have turned it on */
	int wants = br_wants_localnet(c) || c->phase == ST_SETUP;

	if (!localnet_recorded(root, bridge))
		return;
	if (!last && wants)
		state_for_each_net(root, br_ln_scan_net, &s);
	if (s.needed || (!last && !wants))
		return;
	rc = localnet_restore(root, bridge);
	if (rc)
		warn("put back net.ipv4.conf.%s.route_localnet: %s", bridge, strerror(-rc));
}

/* Turn route_localnet on for @c's bridges that need it (after the guard is in). */
static int br_localnet_enable(const char *root, const struct st_ctr *c, int *done,
			      char *err, size_t errlen)
{
	size_t i, k;
	int rc;

	if (!br_wants_localnet(c))
		return 0;
	for (i = 0; i < c->natt; i++) {
		for (k = 0; k < c->att[i].nips; k++)
			if (c->att[i].ips[k].addr.family == AF_INET)
				break;
		if (k == c->att[i].nips)
			continue;
		rc = localnet_enable(root, c->att[i].net.bridge);
		if (rc)
			return bo_error(err, errlen, rc, "sysctl net.ipv4.conf.%s.route_localnet: %s",
					c->att[i].net.bridge, strerror(-rc));
		if (done)
			done[i] = 1;
	}
	return 0;
}

/* Undo everything @tx recorded, newest first; errors are logged, not returned. */
static void br_rollback(struct br_tx *tx)
{
	struct st_ctr *c = tx->c;
	char e[256];
	struct netconf l = NETCONF_INIT;
	size_t i, k;
	int lrc;

	for (i = 0; i < c->natt; i++)
		if (tx->localnet[i])
			br_localnet_release(tx->root, c, c->att[i].net.bridge,
					    state_net_count(tx->root) == 0);
	if (tx->nft_done) {
		struct nftb *b = br_batch_for(c);

		if (b) {
			br_fwds(b, c, 0);
			for (i = 0; i < c->natt; i++)
				if (tx->net_first[i])
					br_net_elems(b, &c->att[i].net, 0);
			if (nftb_commit(b, e, sizeof(e)))
				br_rebuild(tx->root, c->key, e, sizeof(e));
			nftb_free(b);
		}
	}
	for (i = tx->ports_claimed; i-- > 0;)
		state_port_release(tx->root, &c->ports[i], c->key);
	lrc = netconf_open(&l, -1);
	for (i = c->natt; i-- > 0;) {
		struct st_att *a = &c->att[i];
		int last;

		if (tx->made_veth[i]) {
			int rc = lrc ? lrc : netconf_link_delete(&l, a->veth);

			if (rc && rc != -ENODEV)
				warn("rollback: delete %s: %s", a->veth, strerror(-rc));
		}
		for (k = 0; k < a->nips; k++)
			if (a->leased[k])
				ipam_release(tx->root, a->net.name, c->key, &a->ips[k].addr);
		if (tx->trusted[i])
			br_trust(&a->net, 0);
		if (tx->joined[i])
			state_net_leave(tx->root, a->net.name, c->key, &last, NULL);
		if (tx->made_bridge[i]) {
			int rc = lrc ? lrc : netconf_link_delete(&l, a->net.bridge);

			if (rc && rc != -ENODEV)
				warn("rollback: delete bridge %s: %s", a->net.bridge, strerror(-rc));
		}
	}
	/* the last network gone: the table goes too */
	if (tx->nft_done && state_net_count(tx->root) == 0 && nftb_table_exists() > 0) {
		struct nftb *b = nftb_new();

		if (b) {
			nftb_delete_table(b);
			br_xt_queue(b, 0);
			nftb_commit(b, e, sizeof(e));
			nftb_free(b);
		}
	}
	netconf_close(&l);
	/* last: a kill during the rollback leaves the record for teardown */
	if (tx->saved)
		state_remove(tx->root, c->key);
}

/* Bridge of network @n: create if missing, gateway addresses, sysctls. */
static int br_bridge(struct br_tx *tx, struct netconf *l, size_t i, char *err, size_t errlen)
{
	struct st_att *a = &tx->c->att[i];
	struct bo_net *n = &a->net;
	int rc, exists, v4 = 0, v6 = 0;
	size_t k;

	rc = netconf_link_is_bridge(l, n->bridge);
	if (rc == 0)
		return bo_error(err, errlen, -EEXIST, "network_interface: %s exists and is not a bridge",
				n->bridge);
	exists = rc > 0;
	if (exists && n->made_bridge) {
		/* made by someone else since br_plan(): not ours to delete */
		n->made_bridge = 0;
		rc = state_save(tx->root, tx->c);
		if (rc)
			return bo_error(err, errlen, rc, "state: save %s: %s", tx->c->key, strerror(-rc));
	}
	for (k = 0; k < n->nsubnets; k++) {
		char buf[CIDR_STRLEN], name[IFNAMSIZ] = "?";

		rc = netconf_route_overlap(l, &n->subnets[k].net, exists ? n->bridge : NULL, name);
		if (rc < 0)
			return bo_error(err, errlen, rc, "dump routes: %s", strerror(-rc));
		if (rc > 0) {
			return bo_error(err, errlen, -EEXIST,
					"network_info.%s.subnets[%zu].subnet: %s overlaps a host route on %s",
					n->name, k, cidr_format(&n->subnets[k].net, buf, sizeof(buf)),
					name);
		}
		if (n->subnets[k].net.addr.family == AF_INET)
			v4 = 1;
		else
			v6 = 1;
	}
	if (!exists) {
		if (!n->made_bridge) {
			/* br_plan() could not tell: the record says so first */
			n->made_bridge = 1;
			rc = state_save(tx->root, tx->c);
			if (rc)
				return bo_error(err, errlen, rc, "state: save %s: %s", tx->c->key,
						strerror(-rc));
		}
		rc = netconf_bridge_create(l, n->bridge, n->mtu, 1);
		if (rc)
			return bo_error(err, errlen, rc, "create bridge %s: %s", n->bridge, strerror(-rc));
		tx->made_bridge[i] = 1;
		n->made_bridge = 1;
		if (v6)
			netconf_sysctl_set("net/ipv6/conf/all/forwarding", "1");
	}
	if (n->gateway) {
		for (k = 0; k < n->nsubnets; k++) {
			struct cidr gw = { .addr = n->subnets[k].gw, .prefix = n->subnets[k].net.prefix };
			char buf[CIDR_STRLEN];

			if (!gw.addr.family)
				continue;
			rc = netconf_addr_add(l, n->bridge, &gw);
			if (rc && rc != -EEXIST)
				return bo_error(err, errlen, rc, "add %s to %s: %s",
						cidr_format(&gw, buf, sizeof(buf)), n->bridge,
						strerror(-rc));
		}
	}
	if (v4) {
		rc = netconf_sysctl_set("net/ipv4/ip_forward", "1");
		if (rc)
			return bo_error(err, errlen, rc, "sysctl net.ipv4.ip_forward: %s", strerror(-rc));
	}
	return br_inject("bridge", err, errlen);
}

/* Addresses of attachment @i: static ones reserved, the others leased. */
static int br_ipam(struct br_tx *tx, size_t i, char *err, size_t errlen)
{
	struct st_att *a = &tx->c->att[i];
	struct bo_net *n = &a->net;
	size_t k, s;
	int rc;

	for (s = 0; s < n->nsubnets; s++) {
		struct addr ip = { 0 };
		int found = 0;

		for (k = 0; k < n->nstatic; k++)
			if (cidr_contains(&n->subnets[s].net, &n->static_ips[k])) {
				ip = n->static_ips[k];
				found = 1;
				break;
			}
		if (found) {
			char txt[ADDR_STRLEN];

			rc = ipam_reserve(tx->root, n->name, tx->c->key, &ip);
			if (rc == -EADDRINUSE)
				return bo_error(err, errlen, rc, "networks.%s.static_ips[%zu]: %s already in use",
						n->name, k, addr_format(&ip, txt, sizeof(txt)));
			if (rc)
				return bo_error(err, errlen, rc, "ipam: reserve %s: %s",
						addr_format(&ip, txt, sizeof(txt)), strerror(-rc));
		} else {
			rc = ipam_next(tx->root, n->name, tx->c->key, &n->subnets[s], (unsigned)s, &ip);
			if (rc)
				return bo_error(err, errlen, rc, "network_info.%s.subnets[%zu]: no free address: %s",
						n->name, s, strerror(-rc));
		}
		a->ips[a->nips].addr = ip;
		a->ips[a->nips].prefix = n->subnets[s].net.prefix;
		a->gws[a->nips] = n->gateway ? n->subnets[s].gw : (struct addr){ 0 };
		a->leased[a->nips] = 1;
		a->nips++;
	}
	return br_inject("ipam", err, errlen);
}

/* veth pair of attachment @i, container end configured. */
static int br_veth(struct br_tx *tx, struct netconf *l, struct netconf *cl, int nsfd, size_t i,
		   char *err, size_t errlen)
{
	struct st_att *a = &tx->c->att[i];
	struct bo_net *n = &a->net;
	struct netconf_veth v = {
		.name = a->veth, .peer = n->ifname, .peer_netns_fd = nsfd, .master = n->bridge,
		.mtu = n->mtu, .peer_mac = n->has_mac ? n->mac : NULL,
	};
	int rc;
	size_t k;

	rc = netconf_link_index(l, n->bridge);
	if (rc < 0)
		return bo_error(err, errlen, rc, "bridge %s: %s", n->bridge, strerror(-rc));
	if (netconf_link_index(cl, n->ifname) >= 0)
		return bo_error(err, errlen, -EEXIST, "networks.%s.interface_name: %s already exists in the namespace",
				n->name, n->ifname);
	rc = netconf_veth_create(l, &v);
	if (rc)
		return bo_error(err, errlen, rc, "create veth %s/%s: %s", a->veth, n->ifname,
				strerror(-rc));
	tx->made_veth[i] = 1;
	/* a bridge port needs no addresses: no IPv6 link-local, DAD, router
	 * solicitations or MLD from it (they are flooded to every port, so
	 * their cost grows with the number of containers) */
	netconf_link_set_addrgen_none(l, a->veth);
	if (n->hairpin)
		netconf_link_set_hairpin(l, a->veth);
	rc = netconf_link_up(l, a->veth);
	if (rc)
		return bo_error(err, errlen, rc, "set %s up: %s", a->veth, strerror(-rc));
	if ((rc = br_inject("veth", err, errlen)))
		return rc;

	{
		int v6 = 0;
		char key[80];

		for (k = 0; k < a->nips; k++)
			if (a->ips[k].addr.family == AF_INET6)
				v6 = 1;
		/* IPv6 link-local chatter on an IPv4-only network only floods
		 * the bridge; with IPv6 addresses, no DAD delay */
		if (v6) {
			snprintf(key, sizeof(key), "net/ipv6/conf/%s/accept_dad", n->ifname);
			netconf_sysctl_set_in(nsfd, key, "0");
		} else {
			netconf_link_set_addrgen_none(cl, n->ifname);
		}
	}
	for (k = 0; k < a->nips; k++) {
		char buf[CIDR_STRLEN];

		rc = netconf_addr_add(cl, n->ifname, &a->ips[k]);
		if (rc)
			return bo_error(err, errlen, rc, "add %s to %s: %s",
					cidr_format(&a->ips[k], buf, sizeof(buf)), n->ifname,
					strerror(-rc));
	}
	rc = netconf_link_up(cl, n->ifname);
	if (rc)
		return bo_error(err, errlen, rc, "set %s up: %s", n->ifname, strerror(-rc));
	netconf_link_up(cl, "lo");
	rc = netconf_link_get_mac(cl, n->ifname, a->mac);
	if (rc)
		return bo_error(err, errlen, rc, "read MAC of %s: %s", n->ifname, strerror(-rc));
	if ((rc = br_inject("addr", err, errlen)))
		return rc;
	if (n->route_default && n->gateway) {
		int have4 = 0, have6 = 0;

		for (k = 0; k < a->nips; k++) {
			int v6 = a->ips[k].addr.family == AF_INET6;

			if (!a->gws[k].family || (v6 ? have6 : have4))
				continue;
			rc = netconf_route_add(cl, n->ifname, NULL, &a->gws[k]);
			if (rc && rc != -EEXIST)
				return bo_error(err, errlen, rc, "default route via gateway on %s: %s",
						n->ifname, strerror(-rc));
			if (v6)
				have6 = 1;
			else
				have4 = 1;
		}
	}
	return br_inject("route", err, errlen);
}

/*
 * What setup is about to make, known before it makes anything so that the
 * record written first names it: each host veth's name (the first free of
 * eight salted hashes) and whether the bridge is made (absent now).
 */
static void br_plan(struct netconf *l, struct st_ctr *c)
{
	unsigned salt;
	size_t i;

	for (i = 0; i < c->natt; i++) {
		struct st_att *a = &c->att[i];

		/* only a bridge known to be absent: never delete one we did not make */
		a->net.made_bridge = netconf_link_index(l, a->net.bridge) == -ENODEV;
		for (salt = 0; salt < 8; salt++) {
			br_veth_name(c->key, a->net.name, salt, a->veth);
			if (netconf_link_index(l, a->veth) == -ENODEV)
				break;
		}
	}
}

/* Whether every host end of @c's veths still exists. */
static int br_links_present(struct netconf *l, const struct st_ctr *c)
{
	size_t i;

	for (i = 0; i < c->natt; i++)
		if (netconf_link_index(l, c->att[i].veth) < 0)
			return 0;
	return 1;
}

/*
 * Add @c's network and forward elements in one batch.  Our table is normally
 * there; when it is not (a firewall reload flushed it) the kernel says ENOENT
 * and the batch is sent again with the whole table rebuilt from the records.
 * @recorded: @c is among the records already (a repeated setup)
 */
static int br_apply(const char *root, const struct st_ctr *c, int recorded,
		    char *err, size_t errlen)
{
	int rc = -ENOENT, pass;
	size_t i;

	for (pass = 0; pass < 2 && rc == -ENOENT; pass++) {
		struct nftb *b = pass ? nftb_new_large() : br_batch_for(c);

		if (!b)
			return bo_error(err, errlen, -ENOMEM, "out of memory");
		if (pass == 1)
			br_queue_all(b, root, recorded ? NULL : c->key);
		else
			br_xt_queue(b, 1);
		for (i = 0; i < c->natt; i++)
			br_net_elems(b, &c->att[i].net, 1);
		br_fwds(b, c, 1);
		rc = nftb_commit(b, err, errlen);
		nftb_free(b);
	}
	return rc;
}

/*
 * Drop the conntrack entries of @c's UDP host ports: ones made while no
 * forward existed (no DNAT) or for a container this one replaces would keep
 * a peer that never stops sending away from the new forward.  Best effort.
 */
static void br_ct_flush_ports(const struct st_ctr *c)
{
	struct ct_ports p[BO_MAX_PORTS];
	struct ct_filter f = { .ports = p };
	struct ct_ctx *ct;
	size_t i;
	int rc;

	for (i = 0; i < c->nports; i++) {
		const struct bo_port *q = &c->ports[i];

		if (q->proto != IPPROTO_UDP)
			continue;
		p[f.nports].proto = q->proto;
		p[f.nports].dst = q->host_ip;
		p[f.nports].lo = q->host_port;
		p[f.nports].hi = (uint16_t)(q->host_port + q->range - 1);
		f.nports++;
	}
	if (!f.nports)
		return;
	ct = malloc(sizeof(*ct));
	if (!ct)
		return;
	rc = ct_open(ct);
	if (!rc) {
		rc = ct_delete(ct, &f, NULL);
		ct_close(ct);
	}
	free(ct);
	if (rc)
		warn("delete conntrack entries of the forwarded UDP ports: %s", strerror(-rc));
}

/* Teardown with the lock held. */
static int br_teardown_locked(const char *root, const char *key, int lockfd,
			      char *err, size_t errlen);

/* Whether container @key's record is one a killed setup or teardown left
 * (with the lock held, no live process is writing it). */
static int br_owner_dead(const char *root, const char *key)
{
	struct st_ctr *c = malloc(sizeof(*c));
	int dead;

	if (!c)
		return 0;
	dead = state_load(root, key, c) == 0 && c->phase != ST_READY;
	free(c);
	return dead;
}

int br_setup(const char *root, const struct bo_options *o, const char *netns,
	     struct st_ctr *out, char *err, size_t errlen)
{
	struct br_tx tx = { .root = root, .c = out };
	struct netconf l = NETCONF_INIT, cl = NETCONF_INIT;
	int lock, nsfd = -1, rc;
	struct nftb *b = NULL;
	size_t i;

	memset(out, 0, sizeof(*out));
	snprintf(out->key, sizeof(out->key), "%s", o->container_id);
	nsfd = open(netns, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0)
		return bo_error(err, errlen, -errno, "netns: open(%s): %s", netns, strerror(errno));
	lock = state_open(root);
	if (lock < 0) {
		close(nsfd);
		return bo_error(err, errlen, lock, "state %s: %s", root, strerror(-lock));
	}
	rc = netconf_open(&l, -1);
	if (rc) {
		bo_error(err, errlen, rc, "netlink socket: %s", strerror(-rc));
		goto out;
	}
	/* set up already (podman network reload): re-apply the firewall; a
	 * setup or teardown that was killed half way is swept first */
	if (state_load(root, o->container_id, out) == 0) {
		if (out->phase == ST_READY && br_links_present(&l, out)) {
			rc = br_apply(root, out, 1, err, errlen);
			for (i = 0; !rc && i < out->natt; i++)
				if (!out->att[i].net.internal)
					br_trust(&out->att[i].net, 1);
			goto out;
		}
		/* synchronous (no lock fd): the links are made again right away */
		rc = br_teardown_locked(root, o->container_id, -1, err, errlen);
		if (rc)
			goto out;
		memset(out, 0, sizeof(*out));
		snprintf(out->key, sizeof(out->key), "%s", o->container_id);
	}
	rc = netconf_open(&cl, nsfd);
	if (rc) {
		bo_error(err, errlen, rc, "netns: setns(%s): %s", netns, strerror(-rc));
		goto out;
	}
	out->natt = o->nnets;
	for (i = 0; i < o->nnets; i++)
		out->att[i].net = o->nets[i];
	memcpy(out->ports, o->ports, sizeof(o->ports));
	out->nports = o->nports;
	memcpy(out->cni_cid, o->cni_cid, sizeof(out->cni_cid));
	memcpy(out->cni_ifname, o->cni_ifname, sizeof(out->cni_ifname));
	/* the record before the first side effect: what a kill -9 at any
	 * later step leaves is found from it (teardown, reload) */
	br_plan(&l, out);
	out->phase = ST_SETUP;
	rc = state_save(root, out);
	if (rc) {
		bo_error(err, errlen, rc, "state: save %s: %s", out->key, strerror(-rc));
		goto out;
	}
	tx.saved = 1;

	for (i = 0; i < out->natt; i++) {
		rc = br_bridge(&tx, &l, i, err, errlen);
		if (rc)
			goto rollback;
		rc = state_net_join(root, &out->att[i].net, out->key, &tx.net_first[i]);
		if (rc) {
			bo_error(err, errlen, rc, "state: join %s: %s", out->att[i].net.name, strerror(-rc));
			goto rollback;
		}
		tx.joined[i] = 1;
		rc = br_ipam(&tx, i, err, errlen);
		if (rc)
			goto rollback;
		rc = br_veth(&tx, &l, &cl, nsfd, i, err, errlen);
		if (rc)
			goto rollback;
	}
	/* DNAT targets: the first IPv4 and the first IPv6 address */
	for (i = 0; i < out->natt; i++) {
		size_t k;

		for (k = 0; k < out->att[i].nips; k++) {
			struct addr *a = &out->att[i].ips[k].addr;

			if (a->family == AF_INET && !out->fwd4.family)
				out->fwd4 = *a;
			if (a->family == AF_INET6 && !out->fwd6.family)
				out->fwd6 = *a;
		}
	}
	for (i = 0; i < out->nports; i++) {
		char who[BO_ID_MAX];

		uint16_t at = 0;

		rc = state_port_claim(root, &out->ports[i], out->key, who, sizeof(who), &at);
		if (rc == -EADDRINUSE && br_owner_dead(root, who)) {
			/* its setup or teardown was killed: sweep it, claim again */
			char e2[256];

			br_teardown_locked(root, who, -1, e2, sizeof(e2));
			rc = state_port_claim(root, &out->ports[i], out->key, who, sizeof(who), &at);
		}
		if (rc == -EADDRINUSE) {
			bo_error(err, errlen, rc, "port_mappings[%zu]: host port %u/%s already forwarded to container %.12s",
				 i, at, bo_proto_name(out->ports[i].proto), who);
			goto rollback;
		}
		if (rc) {
			bo_error(err, errlen, rc, "state: ports: %s", strerror(-rc));
			goto rollback;
		}
		tx.ports_claimed = i + 1;
	}
	if ((rc = br_inject("ports", err, errlen)))
		goto rollback;

	rc = br_apply(root, out, 0, err, errlen);
	if (rc)
		goto rollback;
	tx.nft_done = 1;
	rc = br_localnet_enable(root, out, tx.localnet, err, errlen);
	if (rc)
		goto rollback;
	for (i = 0; i < out->natt; i++)
		if (tx.net_first[i] && !out->att[i].net.internal) {
			br_trust(&out->att[i].net, 1);
			tx.trusted[i] = 1;
		}
	br_ct_flush_ports(out);
	if ((rc = br_inject("nft", err, errlen)))
		goto rollback;
	out->phase = ST_READY;
	rc = state_save(root, out);
	if (rc) {
		bo_error(err, errlen, rc, "state: save %s: %s", out->key, strerror(-rc));
		goto rollback;
	}
	if ((rc = br_inject("state", err, errlen)))
		goto rollback;
	goto out;

rollback:
	br_rollback(&tx);
out:
	nftb_free(b);
	netconf_close(&cl);
	netconf_close(&l);
	state_close(lock);
	close(nsfd);
	return rc;
}

/* Links a teardown deletes, the addresses whose conntrack entries go, and
 * the record files removed, in this order, once they are gone */
struct br_dels {
	char names[2 * BO_MAX_NETS][IFNAMSIZ];
	size_t n;
	struct addr addrs[BO_MAX_NETS * BO_MAX_SUBNETS];
	size_t naddrs;
	char record[4200];
};

/* The deletions of the links in @d, made ready into @b: 0, or -errno */
static int br_dels_batch(const struct br_dels *d, struct netconf_batch *b)
{
	size_t i;
	int rc;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < d->n; i++) {
		rc = netconf_batch_link_delete(b, d->names[i]);
		if (rc) {
			netconf_batch_free(b);
			return rc;
		}
	}
	return 0;
}

/*
 * Delete the links in @d over @l (the requests ready in @b, from
 * br_dels_batch()), then the conntrack entries of its addresses over @ct
 * (NULL: none; a UDP flow to a removed container would otherwise keep its
 * DNAT binding as long as the peer keeps sending).  The first error goes
 * into @err unless @err is NULL (in the child below, which must not format
 * nor allocate).
 */
static int br_delete_links_on(struct netconf *l, struct netconf_batch *b, struct ct_ctx *ct,
			      const struct br_dels *d, char *err, size_t errlen)
{
	struct ct_filter f = { .addrs = d->addrs, .naddrs = d->naddrs };
	size_t i;
	int rc, first = 0;

	netconf_batch_send(l, b);
	for (i = 0; i < d->n; i++) {
		rc = b->err[i];
		if (rc && rc != -ENODEV && !first) {
			first = rc;
			if (err)
				bo_error(err, errlen, rc, "delete %s: %s", d->names[i], strerror(-rc));
		}
	}
	if (ct && d->naddrs) {
		rc = ct_delete(ct, &f, NULL);
		if (rc && !first) {
			first = rc;
			if (err)
				bo_error(err, errlen, rc, "delete conntrack entries: %s", strerror(-rc));
		}
	}
	/* last, so that a teardown killed before this point can be run again */
	if (d->record[0] && unlink(d->record) && errno != ENOENT && !first) {
		first = -errno;
		if (err)
			bo_error(err, errlen, first, "unlink(%s): %s", d->record, strerror(errno));
	}
	return first;
}

/* Delete here and now, opening the sockets. */
static int br_delete_links(const struct br_dels *d, char *err, size_t errlen)
{
	struct ct_ctx *ct = d->naddrs ? malloc(sizeof(*ct)) : NULL;
	struct netconf l = NETCONF_INIT;
	struct netconf_batch b;
	int rc;

	rc = netconf_open(&l, -1);
	if (rc) {
		free(ct);
		return bo_error(err, errlen, rc, "netlink socket: %s", strerror(-rc));
	}
	rc = br_dels_batch(d, &b);
	if (rc) {
		free(ct);
		netconf_close(&l);
		return bo_error(err, errlen, rc, "link deletions: %s", strerror(-rc));
	}
	if (ct && (rc = ct_open(ct))) {
		warn("conntrack netlink socket: %s", strerror(-rc));
		free(ct);
		ct = NULL;
	}
	rc = br_delete_links_on(&l, &b, ct, d, err, errlen);
	if (ct) {
		ct_close(ct);
		free(ct);
	}
	netconf_batch_free(&b);
	netconf_close(&l);
	return rc;
}

/*
 * What the deleting child below needs, all made before it starts: it
 * shares our memory, so it opens, allocates and formats nothing, and we
 * touch none of this after it started (nor close its sockets: our exit does
 * not end it).  Static: the child outlives our stack and our heap's frees.
 */
static struct {
	struct br_dels d;
	struct netconf l;
	struct netconf_batch b;
	struct ct_ctx ct;
	int have_ct;
	int null_fd;
	int started;
} br_late;
#if !defined(__SANITIZE_ADDRESS__)
static char br_late_stack[256 << 10] __attribute__((aligned(64)));
#endif

/* The child: leave the caller's pipes and session, delete, exit (which
 * releases the state lock it holds through its copy of our descriptors). */
static int br_late_child(void *arg)
{
	(void)arg;
	dup2(br_late.null_fd, STDIN_FILENO);
	dup2(br_late.null_fd, STDOUT_FILENO);
	dup2(br_late.null_fd, STDERR_FILENO);
	setsid();
	return br_delete_links_on(&br_late.l, &br_late.b, br_late.have_ct ? &br_late.ct : NULL,
				  &br_late.d, NULL, 0) ? 1 : 0;
}

/*
 * The kernel takes tens of milliseconds to delete a veth (it waits for RCU
 * callbacks).  Unless BURROW_BRIDGE_SYNC=1, a child process does it (and
 * deletes the conntrack entries) while holding the state lock (@lockfd,
 * in its copy of our descriptors), and the caller gets its answer at once:
 * every later setup, teardown or reload waits for the lock, so none sees
 * the links half gone.  The rules, leases and records are already gone when
 * we return.  The child shares our memory (clone with CLONE_VM: no page
 * tables to copy, no copy-on-write faults, no exec and start-up of another
 * program); sanitizer builds fork instead.
 * Return: 1 when the child took over, 0 to delete here.
 */
static int br_delete_later(const struct br_dels *d, int lockfd)
{
	const char *sync = getenv("BURROW_BRIDGE_SYNC");
	pid_t pid;

	/* one child per process: it owns br_late (CNI GC tears down several) */
	if ((!d->n && !d->naddrs) || lockfd < 0 || (sync && !strcmp(sync, "1")) ||
	    br_late.started)
		return 0;
	br_late.d = *d;
	br_late.null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (br_late.null_fd < 0)
		return 0;
	if (netconf_open(&br_late.l, -1)) {
		close(br_late.null_fd);
		return 0;
	}
	if (br_dels_batch(d, &br_late.b)) {
		netconf_close(&br_late.l);
		close(br_late.null_fd);
		return 0;
	}
	br_late.have_ct = d->naddrs && ct_open(&br_late.ct) == 0;
	fflush(stdout);
	fflush(stderr);
#if defined(__SANITIZE_ADDRESS__)
	pid = fork();
	if (pid == 0)
		_exit(br_late_child(NULL));
#else
	pid = clone(br_late_child, br_late_stack + sizeof(br_late_stack),
		    CLONE_VM | SIGCHLD, NULL);
#endif
	if (pid < 0) {
		if (br_late.have_ct)
			ct_close(&br_late.ct);
		netconf_batch_free(&br_late.b);
		netconf_close(&br_late.l);
		close(br_late.null_fd);
		return 0;
	}
	br_late.started = 1;
	return 1;
}

/*
 * Teardown with the lock held.  Every step can be done twice: the record is
 * marked "teardown" first and removed last (after the links), so a teardown
 * killed at any point is finished by the next one.  A record a killed setup
 * left names its networks, veths and ports but not its addresses or rules:
 * its leases are found by owner, and the table is rebuilt without it.
 */
static int br_teardown_locked(const char *root, const char *key, int lockfd,
			      char *err, size_t errlen)
{
	struct st_ctr *c = malloc(sizeof(*c));
	struct br_dels *dels = calloc(1, sizeof(*dels));
	struct nftb *b = NULL;
	int rc, first_err = 0, rebuild;
	size_t i, k;

	if (!c || !dels) {
		rc = -ENOMEM;
		goto out;
	}
	rc = state_load(root, key, c);
	if (rc == -ENOENT) {
		/* nothing of ours: already gone, or never made (a setup killed
		 * while it wrote its first record leaves only that file) */
		rc = state_remove(root, key);
		goto out;
	}
	if (rc) {
		bo_error(err, errlen, rc, "state: record of %s unreadable", key);
		goto out;
	}
	/* a killed setup's rules are unknown; a killed teardown's are half gone */
	rebuild = c->phase != ST_READY;
	if (c->phase == ST_READY) {
		c->phase = ST_TEARDOWN;
		rc = state_save(root, c);
		if (rc) {
			bo_error(err, errlen, rc, "state: save %s: %s", key, strerror(-rc));
			goto out;
		}
	}
	b = br_batch_for(c);
	if (!b) {
		rc = -ENOMEM;
		goto out;
	}
	br_fwds(b, c, 0);
	for (i = 0; i < c->natt; i++) {
		struct st_att *a = &c->att[i];
		struct bo_net def = a->net;
		int last = 0;

		/* deleting the host end removes the container end with it */
		snprintf(dels->names[dels->n++], IFNAMSIZ, "%s", a->veth);
		for (k = 0; k < a->nips && dels->naddrs < ARRAY_SIZE(dels->addrs); k++)
			dels->addrs[dels->naddrs++] = a->ips[k].addr;
		for (k = 0; k < a->nips; k++)
			if (a->leased[k])
				ipam_release(root, a->net.name, key, &a->ips[k].addr);
		if (c->phase == ST_SETUP)
			ipam_release_owner(root, a->net.name, key);
		/* the network's record wins; the copy in ours stands in for it
		 * when a killed teardown already removed it */
		state_net_leave(root, a->net.name, key, &last, &def);
		br_localnet_release(root, c, a->net.bridge, last);
		if (last) {
			if (!def.internal)
				br_trust(&def, 0);
			br_net_elems(b, &def, 0);
			if (def.made_bridge)
				snprintf(dels->names[dels->n++], IFNAMSIZ, "%s", def.bridge);
		}
	}
	for (i = 0; i < c->nports; i++)
		state_port_release(root, &c->ports[i], key);
	if (state_net_count(root) == 0) {
		/* nothing of ours left: the table goes (if a flush took it, fine) */
		nftb_free(b);
		b = nftb_new();
		if (b) {
			char e2[256];

			if (nftb_table_exists() > 0)
				nftb_delete_table(b);
			br_xt_queue(b, 0);
			nftb_commit(b, e2, sizeof(e2));
			nftb_free(b);
			b = NULL;
		}
	} else if (rebuild || (b && nftb_commit(b, err, errlen))) {
		char e2[256];

		/* the table was changed behind our back: rebuild it from the records */
		rc = br_rebuild(root, key, e2, sizeof(e2));
		if (rc && !first_err) {
			first_err = rc;
			bo_error(err, errlen, rc, "%s", e2);
		}
	}
	/* the record goes after the links (marked above, or a killed setup's) */
	state_ctr_path(root, key, c->phase == ST_SETUP ? ".setup" : ".teardown", dels->record,
		       sizeof(dels->record));
	if (!br_delete_later(dels, lockfd)) {
		rc = br_delete_links(dels, err, errlen);
		if (rc && !first_err)
			first_err = rc;
	}
	rc = first_err;
out:
	nftb_free(b);
	free(dels);
	free(c);
	return rc;
}

int br_teardown(const char *root, const char *key, char *err, size_t errlen)
{
	int lock = state_open(root), rc;

	if (lock < 0)
		return bo_error(err, errlen, lock, "state %s: %s", root, strerror(-lock));
	rc = br_teardown_locked(root, key, lock, err, errlen);
	state_close(lock);
	return rc;
}

int br_set_addrs(const char *root, const char *key, const char *netns,
		 const struct cidr *ips, const struct addr *gws, size_t n, int route_default,
		 struct st_ctr *out, char *err, size_t errlen)
{
	struct netconf cl = NETCONF_INIT;
	int lock, nsfd = -1, idx, rc, have4 = 0, have6 = 0;
	struct st_att *a;
	struct nftb *b;
	size_t k;

	lock = state_open(root);
	if (lock < 0)
		return bo_error(err, errlen, lock, "state %s: %s", root, strerror(-lock));
	rc = state_load(root, key, out);
	if (rc) {
		bo_error(err, errlen, rc, "container %s is not set up", key);
		goto out;
	}
	a = &out->att[0];
	if (!out->natt || a->nips || n > BO_MAX_SUBNETS) {
		rc = bo_error(err, errlen, -EINVAL, "container %s: already has addresses", key);
		goto out;
	}
	nsfd = open(netns, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0) {
		rc = bo_error(err, errlen, -errno, "netns: open(%s): %s", netns, strerror(errno));
		goto out;
	}
	rc = netconf_open(&cl, nsfd);
	if (rc) {
		bo_error(err, errlen, rc, "netns: setns(%s): %s", netns, strerror(-rc));
		goto out;
	}
	idx = netconf_link_index(&cl, a->net.ifname);
	if (idx < 0) {
		rc = bo_error(err, errlen, idx, "%s in the namespace: %s", a->net.ifname, strerror(-idx));
		goto out;
	}
	for (k = 0; k < n; k++) {
		char buf[CIDR_STRLEN];

		rc = netconf_addr_add(&cl, a->net.ifname, &ips[k]);
		if (rc && rc != -EEXIST) {
			bo_error(err, errlen, rc, "add %s to %s: %s", cidr_format(&ips[k], buf, sizeof(buf)),
				 a->net.ifname, strerror(-rc));
			goto out;
		}
		a->ips[a->nips] = ips[k];
		a->gws[a->nips] = gws[k];
		a->leased[a->nips] = 0;		/* the IPAM plugin holds it */
		a->nips++;
		if (ips[k].addr.family == AF_INET && !out->fwd4.family)
			out->fwd4 = ips[k].addr;
		if (ips[k].addr.family == AF_INET6 && !out->fwd6.family)
			out->fwd6 = ips[k].addr;
	}
	/* what br_bridge() did not know without subnets */
	if (out->fwd4.family)
		netconf_sysctl_set("net/ipv4/ip_forward", "1");
	if (out->fwd6.family)
		netconf_sysctl_set("net/ipv6/conf/all/forwarding", "1");
	for (k = 0; route_default && k < n; k++) {
		int v6 = gws[k].family == AF_INET6;

		if (!gws[k].family || (v6 ? have6 : have4))
			continue;
		rc = netconf_route_add(&cl, a->net.ifname, NULL, &gws[k]);
		if (rc && rc != -EEXIST) {
			bo_error(err, errlen, rc, "default route via gateway on %s: %s", a->net.ifname,
				 strerror(-rc));
			goto out;
		}
		*(v6 ? &have6 : &have4) = 1;
	}
	/* the forwards claimed at setup get their target now */
	b = br_batch_for(out);
	if (!b) {
		rc = -ENOMEM;
		goto out;
	}
	br_fwds(b, out, 1);
	rc = nftb_commit(b, err, errlen);
	nftb_free(b);
	if (rc)
		goto out;
	rc = br_localnet_enable(root, out, NULL, err, errlen);
	if (rc)
		goto out;
	br_ct_flush_ports(out);
	rc = state_save(root, out);
	if (rc)
		bo_error(err, errlen, rc, "state: save %s: %s", key, strerror(-rc));
out:
	netconf_close(&cl);
	if (nsfd >= 0)
		close(nsfd);
	state_close(lock);
	return rc;
}

/* Keys of the records a sweep removes */
struct br_sweep {
	struct netconf *l;
	char (*keys)[BO_ID_MAX];
	size_t n, max;
};

/* Whether @c is dead: a setup or teardown killed half way (with the lock
 * held nobody is writing it), or every host veth gone (the kernel deletes
 * the pair with the namespace it was in). */
static int br_sweep_scan(const struct st_ctr *c, void *data)
{
	struct br_sweep *s = data;
	size_t i;

	if (c->phase == ST_READY) {
		if (!c->natt)
			return 0;
		for (i = 0; i < c->natt; i++)
			if (netconf_link_index(s->l, c->att[i].veth) >= 0)
				return 0;
	}
	if (s->n < s->max)
		snprintf(s->keys[s->n++], BO_ID_MAX, "%s", c->key);
	return 0;
}

/* Tear down every dead record (lock held); the first error goes to @err. */
static int br_sweep_locked(const char *root, char *err, size_t errlen)
{
	struct br_sweep s = { .max = 1024 };
	struct netconf l;
	size_t i;
	int rc, first = 0;

	s.keys = calloc(s.max, sizeof(*s.keys));
	if (!s.keys)
		return bo_error(err, errlen, -ENOMEM, "out of memory");
	rc = netconf_open(&l, -1);
	if (rc) {
		free(s.keys);
		return bo_error(err, errlen, rc, "netlink socket: %s", strerror(-rc));
	}
	s.l = &l;
	state_for_each_ctr(root, br_sweep_scan, &s);
	netconf_close(&l);
	state_remove_stale(root);
	for (i = 0; i < s.n; i++) {
		char e2[256];

		info("sweep: container %s (its namespace is gone, or its setup or teardown was killed)",
		     s.keys[i]);
		rc = br_teardown_locked(root, s.keys[i], -1, e2, sizeof(e2));
		if (rc && !first)
			first = bo_error(err, errlen, rc, "sweep %s: %s", s.keys[i], e2);
	}
	free(s.keys);
	return first;
}

int br_sweep(const char *root, char *err, size_t errlen)
{
	int lock = state_open(root), rc;

	if (lock < 0)
		return bo_error(err, errlen, lock, "state %s: %s", root, strerror(-lock));
	rc = br_sweep_locked(root, err, errlen);
	state_close(lock);
	return rc;
}

int br_reload(const char *root, char *err, size_t errlen)
{
	int lock = state_open(root), rc, swept;
	char e2[256];

	if (lock < 0)
		return bo_error(err, errlen, lock, "state %s: %s", root, strerror(-lock));
	swept = br_sweep_locked(root, err, errlen);
	rc = swept ? br_rebuild(root, NULL, e2, sizeof(e2)) : br_rebuild(root, NULL, err, errlen);
	if (!rc && fwd_running())
		state_for_each_net(root, br_trust_net, NULL);
	if (!rc)
		rc = swept;
	state_close(lock);
	return rc;
}

int br_check(const char *root, const char *key, const char *netns, char *err, size_t errlen)
{
	struct st_ctr *c = malloc(sizeof(*c));
	struct netconf l = NETCONF_INIT, cl = NETCONF_INIT;
	int nsfd = -1, rc, idx;
	size_t i, j;

	if (!c)
		return -ENOMEM;
	rc = state_load(root, key, c);
	if (rc || c->phase != ST_READY) {
		bo_error(err, errlen, -ENOENT, "container %s is not set up", key);
		rc = -ENOENT;
		goto out;
	}
	nsfd = open(netns, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0) {
		rc = bo_error(err, errlen, -errno, "netns: open(%s): %s", netns, strerror(errno));
		goto out;
	}
	if ((rc = netconf_open(&l, -1)) || (rc = netconf_open(&cl, nsfd))) {
		bo_error(err, errlen, rc, "netlink socket: %s", strerror(-rc));
		goto out;
	}
	for (i = 0; i < c->natt; i++) {
		if (netconf_link_index(&l, c->att[i].veth) < 0) {
			rc = bo_error(err, errlen, -ENODEV, "host link %s is missing", c->att[i].veth);
			goto out;
		}
		idx = netconf_link_index(&cl, c->att[i].net.ifname);
		if (idx < 0) {
			rc = bo_error(err, errlen, -ENODEV, "%s is missing in the namespace",
				      c->att[i].net.ifname);
			goto out;
		}
		/* CNI CHECK: the interface still has the addresses it was given */
		for (j = 0; j < c->att[i].nips; j++) {
			char a[CIDR_STRLEN];

			if (netconf_addr_has(&cl, c->att[i].net.ifname, &c->att[i].ips[j]) == 1)
				continue;
			cidr_format(&c->att[i].ips[j], a, sizeof(a));
			rc = bo_error(err, errlen, -EADDRNOTAVAIL, "%s in the namespace lacks its address %s",
				      c->att[i].net.ifname, a);
			goto out;
		}
	}
	if (nftb_table_exists() <= 0)
		rc = bo_error(err, errlen, -ENOENT, "nftables table inet %s is missing", NFTB_TABLE);
out:
	netconf_close(&cl);
	netconf_close(&l);
	if (nsfd >= 0)
		close(nsfd);
	free(c);
	return rc;
}
