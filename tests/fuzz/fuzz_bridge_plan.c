// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_bridge_plan.c - netavark options JSON and CNI network configs through
 * to the nftables elements and link names a setup would create.
 *
 * Input: byte 0 picks the face (even: netavark, odd: CNI); the rest is the
 * JSON.  For CNI, a NUL byte may follow the config, then the result JSON of
 * a delegated IPAM plugin (host-local, static) as cni_add() would read it.
 *
 * Path, all pure (no syscall; stdout, where the CNI face prints its errors,
 * goes to /dev/null):
 *   netavark: bo_parse_netavark() -> bo_check()
 *   CNI:      cni_parse_conf() -> cni_ports() -> cni_own_ipam() or
 *             cni_ipam_result() -> bo_check(), as cni_add() does
 *   both:     the record br_setup() fills (struct st_ctr) -> br_net_elems()
 *             and br_fwds() into an nftables batch (libnftnl messages built
 *             in memory, never sent), br_veth_name(), and for CNI the ADD
 *             result (cni_result()).
 * Where it stops: br_setup() takes its addresses from ipam_next(), which
 * reads and writes lease files; here each subnet gets its static address or
 * its second host, as a first lease would.  Links, sysctls and the nft
 * commit are syscalls and are not reached.
 *
 * setup.c and cni.c are included whole to reach their static builders
 * without changing the program (their archive members are then not linked).
 *
 * FUZZ_PLAN_DEBUG=1 prints each plan reached (to see how deep inputs go).
 *
 * Checks beyond "no crash": what bo_check() accepts never makes a port
 * number wrap (host/container port + range - 1 <= 65535), names of links are
 * interface names, and the batch holds exactly the elements the request
 * implies, for setup and for teardown alike.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge/setup.c"
#include "bridge/cni.c"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd = open("/dev/null", O_WRONLY);

	(void)argc;
	(void)argv;
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
	return 0;
}

/* Stand-in for br_ipam(): the static address in each subnet, else its
 * second host (the first lease of an empty network); then the DNAT targets. */
static void plan_addresses(struct st_ctr *c)
{
	size_t i, s, k;

	for (i = 0; i < c->natt; i++) {
		struct st_att *a = &c->att[i];
		struct bo_net *n = &a->net;

		for (s = 0; s < n->nsubnets; s++) {
			struct addr ip = { 0 };

			for (k = 0; k < n->nstatic; k++)
				if (cidr_contains(&n->subnets[s].net, &n->static_ips[k])) {
					ip = n->static_ips[k];
					break;
				}
			if (!ip.family && cidr_nth(&n->subnets[s].net, 2, &ip))
				continue;	/* ipam_next() would say ENOSPC */
			a->ips[a->nips].addr = ip;
			a->ips[a->nips].prefix = n->subnets[s].net.prefix;
			a->gws[a->nips] = n->gateway ? n->subnets[s].gw : (struct addr){ 0 };
			a->nips++;
		}
		br_veth_name(c->key, n->name, 0, a->veth);
	}
	for (i = 0; i < c->natt; i++)
		for (k = 0; k < c->att[i].nips; k++) {
			const struct addr *a = &c->att[i].ips[k].addr;

			if (a->family == AF_INET && !c->fwd4.family)
				c->fwd4 = *a;
			if (a->family == AF_INET6 && !c->fwd6.family)
				c->fwd6 = *a;
		}
}

/* The record br_setup() starts from. */
static void plan_record(const struct bo_options *o, struct st_ctr *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	snprintf(c->key, sizeof(c->key), "%s", o->container_id);
	c->natt = o->nnets;
	for (i = 0; i < o->nnets; i++)
		c->att[i].net = o->nets[i];
	memcpy(c->ports, o->ports, sizeof(o->ports));
	c->nports = o->nports;
	memcpy(c->cni_cid, o->cni_cid, sizeof(c->cni_cid));
	memcpy(c->cni_ifname, o->cni_ifname, sizeof(c->cni_ifname));
	plan_addresses(c);
}

/* How many elements @c's setup queues, counted from the request itself. */
static unsigned long plan_expected(const struct st_ctr *c)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < c->natt; i++) {
		const struct bo_net *b = &c->att[i].net;

		n += 2 + !!b->masquerade + !!b->internal + (b->isolate != BO_ISOLATE_NO);
	}
	for (i = 0; i < c->nports; i++) {
		const struct bo_port *p = &c->ports[i];

		if (c->fwd4.family && (!p->host_ip.family || p->host_ip.family == AF_INET))
			n += p->range;
		if (c->fwd6.family && (!p->host_ip.family || p->host_ip.family == AF_INET6))
			n += p->range;
	}
	return n;
}

/* What bo_check() lets through must be safe for the plan builders. */
static void plan_check_request(const struct bo_options *o)
{
	size_t i;

	for (i = 0; i < o->nports; i++) {
		const struct bo_port *p = &o->ports[i];

		if (p->range < 1 || p->host_port + p->range - 1 > 65535 ||
		    p->ctr_port + p->range - 1 > 65535)
			abort();	/* br_fwds() would wrap to other ports */
	}
	for (i = 0; i < o->nnets; i++)
		if (!name_ifname_valid(o->nets[i].bridge) || !name_ifname_valid(o->nets[i].ifname))
			abort();
}

/* Build the setup and the teardown batches of @c and compare the counts. */
static void plan_nft(const struct st_ctr *c)
{
	unsigned long want = plan_expected(c);
	struct nftb *b;
	size_t i;
	int add;

	/* a full-range forward on both families is ~131k elements per port;
	 * building millions per input would make the fuzzer crawl */
	if (want > 20000)
		return;
	if (getenv("FUZZ_PLAN_DEBUG"))
		fprintf(stderr, "plan: %zu nets %zu ports, %lu elements\n", c->natt, c->nports, want);
	for (add = 1; add >= 0; add--) {
		b = nftb_new();
		if (!b)
			return;
		for (i = 0; i < c->natt; i++)
			br_net_elems(b, &c->att[i].net, add);
		br_fwds(b, c, add);
		if (nftb_count(b) != want)
			abort();
		nftb_free(b);
	}
	for (i = 0; i < c->natt; i++)
		if (!name_ifname_valid(c->att[i].veth))
			abort();
}

static void fuzz_netavark(const char *buf, size_t len)
{
	static struct bo_options o;
	static struct st_ctr c;
	char err[512];

	if (bo_parse_netavark(buf, len, &o, err, sizeof(err)) || bo_check(&o, err, sizeof(err)))
		return;
	plan_check_request(&o);
	plan_record(&o, &c);
	plan_nft(&c);
}

/* cni_add() up to br_setup(), with CNI_CONTAINERID=fuzz, CNI_IFNAME=eth0. */
static void fuzz_cni(const char *buf, size_t len)
{
	static struct bo_options o;
	static struct st_ctr c;
	const char *ipam_out = memchr(buf, '\0', len);
	size_t conf_len = ipam_out ? (size_t)(ipam_out - buf) : len;
	struct cni_conf conf;
	struct bo_net *n = &o.nets[0];
	json_t *dns = NULL, *res;
	char err[1024];

	if (cni_parse_conf(buf, conf_len, &conf))
		goto out;
	memset(&o, 0, sizeof(o));
	cni_key(conf.name, "fuzz", "eth0", o.container_id, sizeof(o.container_id));
	snprintf(o.cni_cid, sizeof(o.cni_cid), "fuzz");
	snprintf(o.cni_ifname, sizeof(o.cni_ifname), "eth0");
	o.nnets = 1;
	snprintf(n->name, sizeof(n->name), "%s", conf.name);
	snprintf(n->bridge, sizeof(n->bridge), "%s", conf.bridge);
	snprintf(n->ifname, sizeof(n->ifname), "eth0");
	n->mtu = conf.mtu;
	n->gateway = conf.is_gateway;
	n->masquerade = conf.ipmasq;
	n->hairpin = conf.hairpin;
	if (cni_ports(&conf, &o) || !conf.ipam)
		goto out;
	if (!strcmp(conf.ipam_type, CNI_OWN_IPAM)) {
		if (cni_own_ipam(&conf, n))
			goto out;
	} else {
		if (!ipam_out)
			goto out;
		ipam_out++;
		if (cni_ipam_result(&conf, ipam_out, len - conf_len - 1, n, &dns))
			goto out;
	}
	if (conf.is_default_gw)
		n->route_default = 1;
	if (bo_check(&o, err, sizeof(err)))
		goto out;
	plan_check_request(&o);
	plan_record(&o, &c);
	plan_nft(&c);
	res = cni_result(&conf, &c, "/run/netns/fuzz", dns);
	if (res) {
		char *s = json_dumps(res, JSON_COMPACT);

		free(s);
		json_decref(res);
	}
out:
	json_decref(dns);
	json_decref(conf.root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		fuzz_cni((const char *)data + 1, size - 1);
	else
		fuzz_netavark((const char *)data + 1, size - 1);
	return 0;
}
