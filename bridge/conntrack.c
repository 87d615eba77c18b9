// SPDX-License-Identifier: GPL-2.0-or-later
/* conntrack.c - delete conntrack entries by address or forwarded port */

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "conntrack.h"
#include "nl.h"

/* One direction of an entry as read from a dump */
struct ct_tuple {
	uint8_t src[16], dst[16];
	int proto;
	uint16_t dport;
};

struct ct_dump {
	const struct ct_filter *f;
	int family;	/* AF_UNSPEC: both; each entry says its own */
	struct ct_victim *v;
	size_t n;
	int more;	/* matches beyond CT_BATCH: dump again */
};

static int ct_addr_is(const struct addr *a, int family, const uint8_t *b)
{
	if (a->family != family)
		return 0;
	return !memcmp(&a->v6, b, family == AF_INET ? 4 : 16);
}

int ct_match(const struct ct_filter *f, int family, const uint8_t *orig_src,
	     const uint8_t *orig_dst, const uint8_t *reply_src, const uint8_t *reply_dst,
	     int proto, uint16_t orig_dport)
{
	size_t i;

	for (i = 0; i < f->naddrs; i++) {
		const struct addr *a = &f->addrs[i];

		if (ct_addr_is(a, family, orig_src) || ct_addr_is(a, family, orig_dst) ||
		    ct_addr_is(a, family, reply_src) || ct_addr_is(a, family, reply_dst))
			return 1;
	}
	for (i = 0; i < f->nports; i++) {
		const struct ct_ports *p = &f->ports[i];

		if (p->proto != proto || orig_dport < p->lo || orig_dport > p->hi)
			continue;
		if (p->dst.family && !ct_addr_is(&p->dst, family, orig_dst))
			continue;
		if (p->dst.family && p->dst.family != family)
			continue;
		return 1;
	}
	return 0;
}

/* Read addresses, protocol and destination port of a CTA_TUPLE_* nest. */
static void ct_parse_tuple(const struct nlattr *nest, struct ct_tuple *t)
{
	const struct nlattr *a, *b;

	memset(t, 0, sizeof(*t));
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case CTA_TUPLE_IP:
			mnl_attr_for_each_nested(b, a) {
				uint16_t len = mnl_attr_get_payload_len(b);
				uint8_t *dst = NULL;

				switch (mnl_attr_get_type(b)) {
				case CTA_IP_V4_SRC:
				case CTA_IP_V6_SRC:
					dst = t->src;
					break;
				case CTA_IP_V4_DST:
				case CTA_IP_V6_DST:
					dst = t->dst;
					break;
				}
				if (dst && (len == 4 || len == 16))
					memcpy(dst, mnl_attr_get_payload(b), len);
			}
			break;
		case CTA_TUPLE_PROTO:
			mnl_attr_for_each_nested(b, a) {
				if (mnl_attr_get_type(b) == CTA_PROTO_NUM &&
				    mnl_attr_get_payload_len(b) >= 1)
					t->proto = mnl_attr_get_u8(b);
				else if (mnl_attr_get_type(b) == CTA_PROTO_DST_PORT &&
					 mnl_attr_get_payload_len(b) >= 2)
					t->dport = ntohs(mnl_attr_get_u16(b));
			}
			break;
		}
	}
}

/* Remember an entry of @family to delete. */
static void ct_keep(struct ct_dump *d, int family, const struct nlattr *orig,
		    const struct nlattr *zone)
{
	struct ct_victim *v;
	size_t tl = orig->nla_len, zl = zone ? zone->nla_len : 0;

	if (tl > sizeof(v->tuple) || zl > sizeof(v->zone))
		return;
	if (d->n == CT_BATCH) {
		d->more = 1;
		return;
	}
	v = &d->v[d->n++];
	v->family = family;
	memcpy(v->tuple, orig, tl);
	v->tuple_len = tl;
	if (zone)
		memcpy(v->zone, zone, zl);
	v->zone_len = zl;
}

/* One entry of the dump. */
static int ct_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ct_dump *d = data;
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a, *orig = NULL, *reply = NULL, *zone = NULL;
	struct ct_tuple o, r;
	int family = d->family ? d->family : g->nfgen_family;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		switch (mnl_attr_get_type(a)) {
		case CTA_TUPLE_ORIG:
			orig = a;
			break;
		case CTA_TUPLE_REPLY:
			reply = a;
			break;
		case CTA_ZONE:
			zone = a;
			break;
		}
	}
	if (!orig || !reply)
		return MNL_CB_OK;
	ct_parse_tuple(orig, &o);
	ct_parse_tuple(reply, &r);
	if ((family == AF_INET || family == AF_INET6) &&
	    ct_match(d->f, family, o.src, o.dst, r.src, r.dst, o.proto, o.dport))
		ct_keep(d, family, orig, zone);
	return MNL_CB_OK;
}

/* Start a ctnetlink message of @type for @family. */
static struct nlmsghdr *ct_msg(struct nl *nl, void *buf, int type, int flags, int family)
{
	struct nlmsghdr *nlh = nl_msg_start(nl, buf, (NFNL_SUBSYS_CTNETLINK << 8) | type, flags);
	struct nfgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->nfgen_family = (uint8_t)family;
	g->version = NFNETLINK_V0;
	g->res_id = 0;
	return nlh;
}

/* Whether @f can match anything of @family. */
static int ct_wants(const struct ct_filter *f, int family)
{
	size_t i;

	for (i = 0; i < f->naddrs; i++)
		if (f->addrs[i].family == family)
			return 1;
	for (i = 0; i < f->nports; i++)
		if (!f->ports[i].dst.family || f->ports[i].dst.family == family)
			return 1;
	return 0;
}

int ct_open(struct ct_ctx *c)
{
	return nl_open(&c->nl, NETLINK_NETFILTER);
}

void ct_close(struct ct_ctx *c)
{
	nl_close_socket(&c->nl);
}

/* Delete @d's matches; count them in *@count. */
static int ct_delete_batch(struct ct_ctx *c, const struct ct_dump *d, unsigned *count)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct ct_victim *v = &d->v[i];
		struct nlmsghdr *nlh = ct_msg(&c->nl, buf, IPCTNL_MSG_CT_DELETE, 0, v->family);
		int rc;

		memcpy(mnl_nlmsg_get_payload_tail(nlh), v->tuple, v->tuple_len);
		nlh->nlmsg_len += MNL_ALIGN(v->tuple_len);
		if (v->zone_len) {
			memcpy(mnl_nlmsg_get_payload_tail(nlh), v->zone, v->zone_len);
			nlh->nlmsg_len += MNL_ALIGN(v->zone_len);
		}
		rc = nl_request(&c->nl, nlh, NULL, NULL);
		if (rc == 0)
			(*count)++;
		else if (rc != -ENOENT)
			return rc;
	}
	return 0;
}

int ct_delete(struct ct_ctx *c, const struct ct_filter *f, unsigned *deleted)
{
	unsigned count = 0, round;
	int rc = 0, family, v4, v6;

	if (deleted)
		*deleted = 0;
	/* one dump for both families (AF_UNSPEC) when both are wanted: each
	 * dump walks the whole hash table, which all namespaces share (10 ms
	 * at 262144 buckets), whatever family it asks for */
	v4 = ct_wants(f, AF_INET);
	v6 = ct_wants(f, AF_INET6);
	if (!v4 && !v6)
		return 0;
	family = v4 && v6 ? AF_UNSPEC : v4 ? AF_INET : AF_INET6;
	/* each round deletes what it found; a bounded number of rounds */
	for (round = 0; round < 64 && !rc; round++) {
		struct ct_dump d = { .f = f, .family = family, .v = c->v };
		char buf[MNL_SOCKET_BUFFER_SIZE];
		struct nlmsghdr *nlh = ct_msg(&c->nl, buf, IPCTNL_MSG_CT_GET, NLM_F_DUMP, family);

		rc = nl_request(&c->nl, nlh, ct_dump_cb, &d);
		if (!rc)
			rc = ct_delete_batch(c, &d, &count);
		if (!d.more)
			break;
	}
	if (deleted)
		*deleted = count;
	return rc;
}
