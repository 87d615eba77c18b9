// SPDX-License-Identifier: GPL-2.0-or-later
/* nft.c - the "inet burrow" table through libnftnl batches */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/rtnetlink.h>

#include "nft.h"

#define NFTB_BUF	(256u << 10)	/* one container's changes fit many times */
#define NFTB_BUF_LARGE	(64u << 20)	/* a rebuild of the whole table; virtual */
#define NFTB_ELEMS_PER_MSG 200

/* nft's datatype numbers, so that `nft list table inet burrow` reads well */
#define T_IPADDR	7
#define T_IP6ADDR	8
#define T_PROTO		12
#define T_SERVICE	13
#define T_IFNAME	41
#define CONCAT(a, b)	(((a) << 6) | (b))

enum { S_BRIDGES, S_MASQ, S_INTERNAL, S_ISOLATED, S_SELF, S_FWD4, S_FWD4ANY, S_FWD6,
       S_FWD6ANY, S_NUM };

/* packet mark bit: "masquerade me", set in forward, used in postrouting */
#define NFTB_MARK 0x00400000u

/* nft's byte order numbers for set userdata (enum byteorder in nftables) */
#define NFT_BYTEORDER_HOST	1

static const struct {
	const char *name;
	uint32_t key_type, key_len, data_type, data_len;
} nftb_sets[S_NUM] = {
	[S_BRIDGES]  = { "bridges", T_IFNAME, IFNAMSIZ, 0, 0 },
	[S_MASQ]     = { "masq", T_IFNAME, IFNAMSIZ, 0, 0 },
	[S_INTERNAL] = { "internal", T_IFNAME, IFNAMSIZ, 0, 0 },
	[S_ISOLATED] = { "isolated", T_IFNAME, IFNAMSIZ, 0, 0 },
	[S_SELF]     = { "self", CONCAT(T_IFNAME, T_IFNAME), 2 * IFNAMSIZ, 0, 0 },
	[S_FWD4]     = { "fwd4", CONCAT(CONCAT(T_IPADDR, T_PROTO), T_SERVICE), 12,
			 CONCAT(T_IPADDR, T_SERVICE), 8 },
	[S_FWD4ANY]  = { "fwd4any", CONCAT(T_PROTO, T_SERVICE), 8,
			 CONCAT(T_IPADDR, T_SERVICE), 8 },
	[S_FWD6]     = { "fwd6", CONCAT(CONCAT(T_IP6ADDR, T_PROTO), T_SERVICE), 24,
			 CONCAT(T_IP6ADDR, T_SERVICE), 20 },
	[S_FWD6ANY]  = { "fwd6any", CONCAT(T_PROTO, T_SERVICE), 8,
			 CONCAT(T_IP6ADDR, T_SERVICE), 20 },
};

struct nftb {
	char *buf;
	struct mnl_nlmsg_batch *batch;
	uint32_t seq, first_seq;
	unsigned count;
	int overflow;
	/* what each message does, for error messages: index = seq - first_seq */
	char (*desc)[48];
	size_t ndesc, cap;
	/* elements waiting to be sent: one set, one operation */
	struct nftnl_set *pending;
	int pending_set, pending_add;
	unsigned pending_n;
};

/* Remember what message @seq is about. */
static void nftb_describe(struct nftb *b, uint32_t seq, const char *what, const char *obj)
{
	size_t i = seq - b->first_seq;

	if (i >= b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		void *p;

		while (cap <= i)
			cap *= 2;
		p = realloc(b->desc, cap * sizeof(*b->desc));
		if (!p)
			return;
		b->desc = p;
		memset(b->desc + b->cap, 0, (cap - b->cap) * sizeof(*b->desc));
		b->cap = cap;
	}
	snprintf(b->desc[i], sizeof(b->desc[i]), "%s %s", what, obj);
	if (i + 1 > b->ndesc)
		b->ndesc = i + 1;
}

/* Move to the next message slot. */
static void nftb_next(struct nftb *b)
{
	if (!mnl_nlmsg_batch_next(b->batch))
		b->overflow = 1;
}

/* Start a batch in a buffer of @size bytes. */
static struct nftb *nftb_alloc(size_t size)
{
	struct nftb *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->buf = malloc(size);
	if (!b->buf) {
		free(b);
		return NULL;
	}
	b->batch = mnl_nlmsg_batch_start(b->buf, size - MNL_SOCKET_BUFFER_SIZE);
	b->seq = (uint32_t)time(NULL) << 8;
	nftnl_batch_begin(mnl_nlmsg_batch_current(b->batch), b->seq++);
	nftb_next(b);
	b->first_seq = b->seq;
	b->pending_set = -1;
	return b;
}

struct nftb *nftb_new(void)
{
	return nftb_alloc(NFTB_BUF);
}

struct nftb *nftb_new_large(void)
{
	return nftb_alloc(NFTB_BUF_LARGE);
}

void nftb_free(struct nftb *b)
{
	if (!b)
		return;
	if (b->pending)
		nftnl_set_free(b->pending);
	mnl_nlmsg_batch_stop(b->batch);
	free(b->buf);
	free(b->desc);
	free(b);
}

unsigned nftb_count(const struct nftb *b)
{
	return b->count + b->pending_n;
}

/* Add a table message. */
static void nftb_table_msg(struct nftb *b, int type)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	nftnl_table_set_str(t, NFTNL_TABLE_NAME, NFTB_TABLE);
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, NFPROTO_INET);
	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b->batch), (uint16_t)type,
				    NFPROTO_INET, type == NFT_MSG_NEWTABLE ? NLM_F_CREATE : 0,
				    b->seq);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	nftb_describe(b, b->seq++, type == NFT_MSG_NEWTABLE ? "add table" : "delete table",
		      NFTB_TABLE);
	nftb_next(b);
	b->count++;
}

/*
 * Tell nft how to print the keys of interface sets: it keeps a key's byte
 * order in the set's userdata and, without it, takes a name for a big-endian
 * number and prints "" (it writes the same TLV for "type ifname").
 */
static void nftb_set_udata(struct nftnl_set *s, int idx)
{
	struct nftnl_udata_buf *u;

	if ((nftb_sets[idx].key_type & 0x3f) != T_IFNAME)
		return;
	u = nftnl_udata_buf_alloc(16);
	if (!u)
		return;
	nftnl_udata_put_u32(u, NFTNL_UDATA_SET_KEYBYTEORDER, NFT_BYTEORDER_HOST);
	nftnl_set_set_data(s, NFTNL_SET_USERDATA, nftnl_udata_buf_data(u), nftnl_udata_buf_len(u));
	nftnl_udata_buf_free(u);
}

/* Add a set/map declaration. */
static void nftb_set_msg(struct nftb *b, int idx)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nlmsghdr *nlh;
	uint32_t flags = 0;

	nftnl_set_set_str(s, NFTNL_SET_TABLE, NFTB_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, nftb_sets[idx].name);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_INET);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, nftb_sets[idx].key_type);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, nftb_sets[idx].key_len);
	nftnl_set_set_u32(s, NFTNL_SET_ID, (uint32_t)idx + 1);
	if (nftb_sets[idx].data_len) {
		flags |= NFT_SET_MAP;
		nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, nftb_sets[idx].data_type);
		nftnl_set_set_u32(s, NFTNL_SET_DATA_LEN, nftb_sets[idx].data_len);
	}
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, flags);
	nftb_set_udata(s, idx);
	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b->batch), NFT_MSG_NEWSET,
				    NFPROTO_INET, NLM_F_CREATE, b->seq);
	nftnl_set_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	nftb_describe(b, b->seq++, "add set", nftb_sets[idx].name);
	nftb_next(b);
	b->count++;
}

/* Add a chain (base chain when @hook >= 0). */
static void nftb_chain_msg(struct nftb *b, const char *name, int hook, int prio,
			   const char *type)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, NFTB_TABLE);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, NFPROTO_INET);
	if (hook >= 0) {
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, (uint32_t)hook);
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, prio);
		nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, type);
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	}
	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b->batch), NFT_MSG_NEWCHAIN,
				    NFPROTO_INET, NLM_F_CREATE, b->seq);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	nftb_describe(b, b->seq++, "add chain", name);
	nftb_next(b);
	b->count++;
}

/* Expression helpers: each appends to rule @r. */
static void e_meta(struct nftnl_rule *r, uint32_t key, uint32_t dreg)
{
	struct nftnl_expr *e = nftnl_expr_alloc("meta");

	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, dreg);
	nftnl_rule_add_expr(r, e);
}

static void e_cmp(struct nftnl_rule *r, uint32_t sreg, uint32_t op, const void *d, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");

	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, sreg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, d, len);
	nftnl_rule_add_expr(r, e);
}

static void e_payload(struct nftnl_rule *r, uint32_t base, uint32_t off, uint32_t len,
		      uint32_t dreg)
{
	struct nftnl_expr *e = nftnl_expr_alloc("payload");

	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, dreg);
	nftnl_rule_add_expr(r, e);
}

static void e_bitwise(struct nftnl_rule *r, uint32_t reg, const void *mask, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("bitwise");
	uint8_t zero[16] = { 0 };

	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, zero, len);
	nftnl_rule_add_expr(r, e);
}

static void e_lookup(struct nftnl_rule *r, int set, uint32_t sreg, int dreg, int inv)
{
	struct nftnl_expr *e = nftnl_expr_alloc("lookup");

	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, nftb_sets[set].name);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, (uint32_t)set + 1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, sreg);
	if (dreg >= 0)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_DREG, (uint32_t)dreg);
	if (inv)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
	nftnl_rule_add_expr(r, e);
}

static void e_verdict(struct nftnl_rule *r, int verdict, const char *chain)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");

	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)verdict);
	if (chain)
		nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, chain);
	nftnl_rule_add_expr(r, e);
}

static void e_dnat(struct nftnl_rule *r, int family, uint32_t areg, uint32_t preg)
{
	struct nftnl_expr *e = nftnl_expr_alloc("nat");

	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_TYPE, NFT_NAT_DNAT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FAMILY, (uint32_t)family);
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, areg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MIN, preg);
	nftnl_rule_add_expr(r, e);
}

static void e_masq(struct nftnl_rule *r)
{
	nftnl_rule_add_expr(r, nftnl_expr_alloc("masq"));
}

static void e_nfproto(struct nftnl_rule *r, uint8_t proto)
{
	e_meta(r, NFT_META_NFPROTO, NFT_REG_1);
	e_cmp(r, NFT_REG_1, NFT_CMP_EQ, &proto, 1);
}

/* ip daddr/saddr in 127.0.0.0/8 */
static void e_ip4_loopback(struct nftnl_rule *r, uint32_t off)
{
	uint8_t mask[4] = { 0xff, 0, 0, 0 }, lo[4] = { 127, 0, 0, 0 };

	e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, off, 4, NFT_REG_1);
	e_bitwise(r, NFT_REG_1, mask, 4);
	e_cmp(r, NFT_REG_1, NFT_CMP_EQ, lo, 4);
}

/* meta mark |= @bit */
static void e_or_mark(struct nftnl_rule *r, uint32_t bit)
{
	struct nftnl_expr *e;
	uint32_t mask = ~bit;

	e_meta(r, NFT_META_MARK, NFT_REG_1);
	e = nftnl_expr_alloc("bitwise");
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, 4);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, &mask, 4);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, &bit, 4);
	nftnl_rule_add_expr(r, e);
	e = nftnl_expr_alloc("meta");
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, NFT_META_MARK);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_SREG, NFT_REG_1);
	nftnl_rule_add_expr(r, e);
}

/* meta mark |= NFTB_MARK */
static void e_set_mark(struct nftnl_rule *r)
{
	e_or_mark(r, NFTB_MARK);
}

/* meta mark & NFTB_MARK != 0 */
static void e_has_mark(struct nftnl_rule *r)
{
	uint32_t bit = NFTB_MARK, zero = 0;

	e_meta(r, NFT_META_MARK, NFT_REG_1);
	e_bitwise(r, NFT_REG_1, &bit, 4);
	e_cmp(r, NFT_REG_1, NFT_CMP_NEQ, &zero, 4);
}

/* meta mark |= NFTB_ACCEPT_MARK; accept (the packet goes on to the hook's
 * other base chains, which can accept it by the mark) */
static void e_accept_marked(struct nftnl_rule *r)
{
	e_or_mark(r, NFTB_ACCEPT_MARK);
	e_verdict(r, NF_ACCEPT, NULL);
}

/* ct state established,related */
static void e_ct_established(struct nftnl_rule *r)
{
	struct nftnl_expr *e = nftnl_expr_alloc("ct");
	uint32_t mask = NF_CT_STATE_BIT(IP_CT_ESTABLISHED) | NF_CT_STATE_BIT(IP_CT_RELATED), zero = 0;

	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, NFT_CT_STATE);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	nftnl_rule_add_expr(r, e);
	e_bitwise(r, NFT_REG_1, &mask, 4);
	e_cmp(r, NFT_REG_1, NFT_CMP_NEQ, &zero, 4);
}

/* ct status has DNAT (@is) or not */
static void e_ct_dnat(struct nftnl_rule *r, int is)
{
	struct nftnl_expr *e = nftnl_expr_alloc("ct");
	uint32_t mask = IPS_DST_NAT, zero = 0;

	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, NFT_CT_STATUS);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	nftnl_rule_add_expr(r, e);
	e_bitwise(r, NFT_REG_1, &mask, 4);
	e_cmp(r, NFT_REG_1, is ? NFT_CMP_NEQ : NFT_CMP_EQ, &zero, 4);
}

/* iifname/oifname in set @set */
static void e_ifset(struct nftnl_rule *r, uint32_t key, int set, int inv)
{
	e_meta(r, key, NFT_REG_1);
	e_lookup(r, set, NFT_REG_1, -1, inv);
}

/* fib daddr type local */
static void e_fib_local(struct nftnl_rule *r)
{
	struct nftnl_expr *e = nftnl_expr_alloc("fib");
	uint32_t local = RTN_LOCAL;

	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_FLAGS, NFTA_FIB_F_DADDR);
	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE);
	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_DREG, NFT_REG_1);
	nftnl_rule_add_expr(r, e);
	e_cmp(r, NFT_REG_1, NFT_CMP_EQ, &local, 4);
}

/* Start a rule in @chain. */
static struct nftnl_rule *rule_new(const char *chain)
{
	struct nftnl_rule *r = nftnl_rule_alloc();

	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NFTB_TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_INET);
	return r;
}

/* Queue rule @r (appended to its chain) and free it. */
static void nftb_rule_msg(struct nftb *b, struct nftnl_rule *r)
{
	struct nlmsghdr *nlh;

	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b->batch), NFT_MSG_NEWRULE,
				    NFPROTO_INET, NLM_F_CREATE | NLM_F_APPEND, b->seq);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftb_describe(b, b->seq++, "add rule to", nftnl_rule_get_str(r, NFTNL_RULE_CHAIN));
	nftnl_rule_free(r);
	nftb_next(b);
	b->count++;
}

/* DNAT through map @set: key registers already loaded at NFT_REG32_00.. */
static void fwd_rule(struct nftb *b, int v6, int any)
{
	struct nftnl_rule *r = rule_new("published");
	int set = v6 ? (any ? S_FWD6ANY : S_FWD6) : (any ? S_FWD4ANY : S_FWD4);
	uint32_t kreg = NFT_REG32_00;

	e_nfproto(r, v6 ? NFPROTO_IPV6 : NFPROTO_IPV4);
	if (any) {
		e_fib_local(r);
	} else {
		e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, v6 ? 24 : 16, v6 ? 16 : 4, NFT_REG32_00);
		kreg += v6 ? 4 : 1;
	}
	e_meta(r, NFT_META_L4PROTO, kreg);
	e_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, kreg + 1);
	e_lookup(r, set, NFT_REG32_00, NFT_REG_1, 0);
	/* data: address in NFT_REG_1, port in the 32-bit word after it */
	e_dnat(r, v6 ? NFPROTO_IPV6 : NFPROTO_IPV4, NFT_REG_1, v6 ? NFT_REG_2 : NFT_REG32_01);
	nftb_rule_msg(b, r);
}

void nftb_create_table(struct nftb *b)
{
	struct nftnl_rule *r;
	uint32_t off;
	int i, v6;

	nftb_table_msg(b, NFT_MSG_NEWTABLE);
	for (i = 0; i < S_NUM; i++)
		nftb_set_msg(b, i);
	nftb_chain_msg(b, "published", -1, 0, NULL);
	nftb_chain_msg(b, "prerouting", NF_INET_PRE_ROUTING, -100, "nat");
	nftb_chain_msg(b, "output", NF_INET_LOCAL_OUT, -100, "nat");
	nftb_chain_msg(b, "postrouting", NF_INET_POST_ROUTING, 100, "nat");
	nftb_chain_msg(b, "forward", NF_INET_FORWARD, -150, "filter");
	nftb_chain_msg(b, "guard", NF_INET_PRE_ROUTING, -300, "filter");
	nftb_chain_msg(b, "input", NF_INET_LOCAL_IN, 0, "filter");

	/* port forwards: by host address, then any local address */
	for (v6 = 0; v6 <= 1; v6++) {
		fwd_rule(b, v6, 0);
		fwd_rule(b, v6, 1);
	}
	/* prerouting: a packet from outside to 127.0.0.0/8 is never forwarded */
	r = rule_new("prerouting");
	e_nfproto(r, NFPROTO_IPV4);
	e_ip4_loopback(r, 16);
	e_verdict(r, NFT_RETURN, NULL);
	nftb_rule_msg(b, r);
	r = rule_new("prerouting");
	e_verdict(r, NFT_JUMP, "published");
	nftb_rule_msg(b, r);
	r = rule_new("output");
	e_verdict(r, NFT_JUMP, "published");
	nftb_rule_msg(b, r);

	/* postrouting: loopback-sourced forwards, and what forward marked */
	r = rule_new("postrouting");
	e_ifset(r, NFT_META_OIFNAME, S_BRIDGES, 0);
	e_nfproto(r, NFPROTO_IPV4);
	e_ip4_loopback(r, 12);
	e_masq(r);
	nftb_rule_msg(b, r);
	r = rule_new("postrouting");
	e_has_mark(r);
	e_masq(r);
	nftb_rule_msg(b, r);

	/* forward (input and output interfaces are known only here), at mangle
	 * priority so that it runs before the filter chains of others: mark for
	 * masquerade what leaves a network for the outside, and published ports
	 * reached from a bridge (hairpin); internal and isolated networks stay
	 * apart; what burrow-bridge lets through gets NFTB_ACCEPT_MARK, by which
	 * iptables' FORWARD (Docker's policy drop) or a user's own chain at policy
	 * drop accept it: traffic inside one bridge (seen here with
	 * br_netfilter), published ports, what leaves a network, and its replies */
	r = rule_new("forward");
	e_ifset(r, NFT_META_IIFNAME, S_MASQ, 0);
	e_ifset(r, NFT_META_OIFNAME, S_BRIDGES, 1);
	e_set_mark(r);
	nftb_rule_msg(b, r);
	r = rule_new("forward");
	e_ifset(r, NFT_META_IIFNAME, S_BRIDGES, 0);
	e_ifset(r, NFT_META_OIFNAME, S_BRIDGES, 0);
	e_ct_dnat(r, 1);
	e_set_mark(r);
	nftb_rule_msg(b, r);
	r = rule_new("forward");
	e_meta(r, NFT_META_IIFNAME, NFT_REG_1);
	e_meta(r, NFT_META_OIFNAME, NFT_REG_2);
	e_lookup(r, S_SELF, NFT_REG_1, -1, 0);
	e_accept_marked(r);
	nftb_rule_msg(b, r);
	for (i = 0; i < 2; i++) {	/* published ports, both ways */
		r = rule_new("forward");
		e_ifset(r, i ? NFT_META_IIFNAME : NFT_META_OIFNAME, S_BRIDGES, 0);
		e_ct_dnat(r, 1);
		e_accept_marked(r);
		nftb_rule_msg(b, r);
	}
	r = rule_new("forward");
	e_ifset(r, NFT_META_IIFNAME, S_INTERNAL, 0);
	e_verdict(r, NF_DROP, NULL);
	nftb_rule_msg(b, r);
	r = rule_new("forward");
	e_ifset(r, NFT_META_OIFNAME, S_INTERNAL, 0);
	e_verdict(r, NF_DROP, NULL);
	nftb_rule_msg(b, r);
	r = rule_new("forward");
	e_ifset(r, NFT_META_IIFNAME, S_ISOLATED, 0);
	e_ifset(r, NFT_META_OIFNAME, S_BRIDGES, 0);
	e_verdict(r, NF_DROP, NULL);
	nftb_rule_msg(b, r);
	r = rule_new("forward");
	e_ifset(r, NFT_META_IIFNAME, S_BRIDGES, 0);
	e_ifset(r, NFT_META_OIFNAME, S_ISOLATED, 0);
	e_verdict(r, NF_DROP, NULL);
	nftb_rule_msg(b, r);
	r = rule_new("forward");
	e_ifset(r, NFT_META_IIFNAME, S_BRIDGES, 0);
	e_accept_marked(r);
	nftb_rule_msg(b, r);
	r = rule_new("forward");
	e_ifset(r, NFT_META_OIFNAME, S_BRIDGES, 0);
	e_ct_established(r);
	e_accept_marked(r);
	nftb_rule_msg(b, r);

	/* guard (before conntrack and NAT): nothing that comes in on a bridge is
	 * from or to 127.0.0.0/8 on the wire (replies to our loopback DNAT are
	 * addressed to the gateway until NAT); route_localnet would otherwise let
	 * a neighbour spoof loopback sources or reach the host's loopback */
	for (off = 12; off <= 16; off += 4) {	/* ip saddr, ip daddr */
		r = rule_new("guard");
		e_ifset(r, NFT_META_IIFNAME, S_BRIDGES, 0);
		e_nfproto(r, NFPROTO_IPV4);
		e_ip4_loopback(r, off);
		e_verdict(r, NF_DROP, NULL);
		nftb_rule_msg(b, r);
	}

	/* input: route_localnet on a bridge must not open the host's loopback
	 * services to containers; only replies of our own DNAT pass (CVE-2020-8558) */
	r = rule_new("input");
	e_ifset(r, NFT_META_IIFNAME, S_BRIDGES, 0);
	e_nfproto(r, NFPROTO_IPV4);
	e_ip4_loopback(r, 16);
	e_ct_dnat(r, 0);
	e_verdict(r, NF_DROP, NULL);
	nftb_rule_msg(b, r);
}

void nftb_delete_table(struct nftb *b)
{
	nftb_table_msg(b, NFT_MSG_DELTABLE);
}

/* Send the pending element message. */
static void nftb_flush_pending(struct nftb *b)
{
	struct nlmsghdr *nlh;

	if (!b->pending)
		return;
	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b->batch),
				    b->pending_add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM,
				    NFPROTO_INET, b->pending_add ? NLM_F_CREATE : 0, b->seq);
	nftnl_set_elems_nlmsg_build_payload(nlh, b->pending);
	nftb_describe(b, b->seq++, b->pending_add ? "add element to" : "delete element from",
		      nftb_sets[b->pending_set].name);
	nftb_next(b);
	nftnl_set_free(b->pending);
	b->pending = NULL;
	b->count += b->pending_n;
	b->pending_n = 0;
	b->pending_set = -1;
}

/* Queue one element for @set. */
static void nftb_elem(struct nftb *b, int set, int add, const void *key, const void *data)
{
	struct nftnl_set_elem *e;

	if (b->pending && (b->pending_set != set || b->pending_add != add ||
			   b->pending_n >= NFTB_ELEMS_PER_MSG))
		nftb_flush_pending(b);
	if (!b->pending) {
		b->pending = nftnl_set_alloc();
		nftnl_set_set_str(b->pending, NFTNL_SET_TABLE, NFTB_TABLE);
		nftnl_set_set_str(b->pending, NFTNL_SET_NAME, nftb_sets[set].name);
		nftnl_set_set_u32(b->pending, NFTNL_SET_FAMILY, NFPROTO_INET);
		nftnl_set_set_u32(b->pending, NFTNL_SET_ID, (uint32_t)set + 1);
		b->pending_set = set;
		b->pending_add = add;
	}
	e = nftnl_set_elem_alloc();
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, key, nftb_sets[set].key_len);
	if (data && add)
		nftnl_set_elem_set(e, NFTNL_SET_ELEM_DATA, data, nftb_sets[set].data_len);
	nftnl_set_elem_add(b->pending, e);
	b->pending_n++;
}

void nftb_bridge(struct nftb *b, const struct nftb_bridge *br, int add)
{
	char key[IFNAMSIZ] = { 0 };

	memcpy(key, br->name, strnlen(br->name, sizeof(key) - 1));
	nftb_elem(b, S_BRIDGES, add, key, NULL);
	{
		char pair[2 * IFNAMSIZ] = { 0 };

		memcpy(pair, key, IFNAMSIZ);
		memcpy(pair + IFNAMSIZ, key, IFNAMSIZ);
		nftb_elem(b, S_SELF, add, pair, NULL);
	}
	if (br->masquerade)
		nftb_elem(b, S_MASQ, add, key, NULL);
	if (br->internal)
		nftb_elem(b, S_INTERNAL, add, key, NULL);
	if (br->isolate)
		nftb_elem(b, S_ISOLATED, add, key, NULL);
}

void nftb_fwd(struct nftb *b, const struct nftb_fwd *f, int add)
{
	uint8_t key[24] = { 0 }, data[20] = { 0 };
	uint16_t hport = htons(f->host_port), cport = htons(f->ctr_port);
	int v6 = f->ctr_ip.family == AF_INET6, set;
	size_t alen = v6 ? 16 : 4, off = 0;

	if (f->host_ip.family && !addr_is_any(&f->host_ip)) {
		memcpy(key, &f->host_ip.v6, alen);
		off = alen;
		set = v6 ? S_FWD6 : S_FWD4;
	} else {
		set = v6 ? S_FWD6ANY : S_FWD4ANY;
	}
	key[off] = (uint8_t)f->proto;
	memcpy(key + off + 4, &hport, 2);
	memcpy(data, &f->ctr_ip.v6, alen);
	memcpy(data + alen, &cport, 2);
	nftb_elem(b, set, add, key, data);
}

/*
 * The process's nftables socket, opened at the first query or commit and
 * kept until the process ends.  Closing a NETLINK_NETFILTER socket runs
 * nf_tables' NETLINK_URELEASE notifier, which first waits for the previous
 * commit's transactions to be freed, after an RCU grace period: 6-11 ms on
 * this machine, the largest part of a teardown.  Kept open, the close comes
 * at exit, when the grace period has mostly passed, or in teardown's
 * deleting child, which holds a copy of our descriptors, after we returned.
 */
static struct mnl_socket *nftb_nl;

/* The socket, opened and bound on first use; NULL with errno set. */
static struct mnl_socket *nftb_socket(void)
{
	struct timeval tv = { .tv_sec = 10 };
	int one = 1, e;

	if (nftb_nl)
		return nftb_nl;
	nftb_nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!nftb_nl)
		return NULL;
	if (mnl_socket_bind(nftb_nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		e = errno;
		mnl_socket_close(nftb_nl);
		nftb_nl = NULL;
		errno = e;
		return NULL;
	}
	setsockopt(mnl_socket_get_fd(nftb_nl), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nftb_nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return nftb_nl;
}

/* Close it after a socket error: answers left unread must not be taken
 * for the next request's (the next use opens a new one). */
static void nftb_socket_drop(void)
{
	if (nftb_nl)
		mnl_socket_close(nftb_nl);
	nftb_nl = NULL;
}

/*
 * Send the request in @buf and run @cb on each answer.  Return: 0, -errno of
 * the kernel's answer (-ENOENT: no such object), or -errno of a socket call.
 */
static int nftb_query(char *buf, size_t size, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct mnl_socket *nl = nftb_socket();
	uint32_t seq = nlh->nlmsg_seq;
	int rc;
	ssize_t n;

	if (!nl)
		return -errno;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		rc = -errno;
		nftb_socket_drop();
		return rc;
	}
	rc = 0;
	while ((n = mnl_socket_recvfrom(nl, buf, size)) > 0) {
		rc = mnl_cb_run(buf, (size_t)n, seq, mnl_socket_get_portid(nl), cb, data);
		if (rc <= MNL_CB_STOP)
			break;
	}
	if (n < 0) {
		rc = -errno;
		nftb_socket_drop();
	} else if (rc < 0) {
		rc = -errno;
		/* an error answer ends a dump; anything else leaves unread parts */
		if (rc != -ENOENT)
			nftb_socket_drop();
	} else {
		rc = 0;
	}
	return rc;
}

int nftb_table_exists(void)
{
	return nftb_inet_table_exists(NFTB_TABLE);
}

int nftb_inet_table_exists(const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nftnl_table *t;
	struct nlmsghdr *nlh;
	int rc;

	t = nftnl_table_alloc();
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, name);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETTABLE, NFPROTO_INET, NLM_F_ACK,
				    (uint32_t)time(NULL));
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	rc = nftb_query(buf, sizeof(buf), nlh, NULL, NULL);
	return rc == -ENOENT ? 0 : rc < 0 ? rc : 1;
}

/* What nftb_xt_find() collects */
struct nftb_xt_found {
	uint64_t *handles;
	int n, max;
};

/* One userdata TLV of a rule: keep its comment. */
static int nftb_xt_udata_cb(const struct nftnl_udata *attr, void *data)
{
	const char **comment = data;
	const char *v = nftnl_udata_get(attr);
	uint8_t len = nftnl_udata_len(attr);

	if (nftnl_udata_type(attr) == NFTNL_UDATA_RULE_COMMENT && len && !v[len - 1])
		*comment = v;
	return MNL_CB_OK;
}

/* One rule of the dump: ours if its comment says so. */
static int nftb_xt_rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nftb_xt_found *f = data;
	struct nftnl_rule *r = nftnl_rule_alloc();
	const char *comment = NULL;
	const void *ud;
	uint32_t len = 0;

	if (!r)
		return MNL_CB_ERROR;
	if (nftnl_rule_nlmsg_parse(nlh, r) == 0 &&
	    (ud = nftnl_rule_get_data(r, NFTNL_RULE_USERDATA, &len)) != NULL) {
		nftnl_udata_parse(ud, len, nftb_xt_udata_cb, &comment);
		if (comment && !strcmp(comment, NFTB_XT_COMMENT) && f->n < f->max)
			f->handles[f->n++] = nftnl_rule_get_u64(r, NFTNL_RULE_HANDLE);
	}
	nftnl_rule_free(r);
	return MNL_CB_OK;
}

int nftb_xt_find(int v6, uint64_t *handles, int max)
{
	int family = v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nftb_xt_found f = { .handles = handles, .max = max };
	struct nftnl_chain *c;
	struct nftnl_rule *r;
	struct nlmsghdr *nlh;
	int rc;

	/* a rule dump of a missing chain is empty, not an error: ask first */
	c = nftnl_chain_alloc();
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, NFTB_XT_TABLE);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, NFTB_XT_CHAIN);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETCHAIN, (uint16_t)family, NLM_F_ACK,
				    (uint32_t)time(NULL));
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	rc = nftb_query(buf, sizeof(buf), nlh, NULL, NULL);
	if (rc)
		return rc;
	r = nftnl_rule_alloc();
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NFTB_XT_TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, NFTB_XT_CHAIN);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETRULE, (uint16_t)family, NLM_F_DUMP,
				    (uint32_t)time(NULL));
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	rc = nftb_query(buf, sizeof(buf), nlh, nftb_xt_rule_cb, &f);
	return rc ? rc : f.n;
}

void nftb_xt_accept(struct nftb *b, int v6, int add, uint64_t handle)
{
	int family = v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	struct nftnl_rule *r;
	struct nlmsghdr *nlh;
	uint32_t bit = NFTB_ACCEPT_MARK;

	nftb_flush_pending(b);
	r = nftnl_rule_alloc();
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NFTB_XT_TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, NFTB_XT_CHAIN);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, (uint32_t)family);
	if (add) {
		/* -m mark --mark 0x800000/0x800000 -m comment --comment
		 * burrow-bridge -j ACCEPT, as iptables-nft writes it */
		struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(64);

		e_meta(r, NFT_META_MARK, NFT_REG_1);
		e_bitwise(r, NFT_REG_1, &bit, 4);
		e_cmp(r, NFT_REG_1, NFT_CMP_EQ, &bit, 4);
		nftnl_rule_add_expr(r, nftnl_expr_alloc("counter"));
		e_verdict(r, NF_ACCEPT, NULL);
		if (u) {
			nftnl_udata_put_strz(u, NFTNL_UDATA_RULE_COMMENT, NFTB_XT_COMMENT);
			nftnl_rule_set_data(r, NFTNL_RULE_USERDATA, nftnl_udata_buf_data(u),
					    nftnl_udata_buf_len(u));
			nftnl_udata_buf_free(u);
		}
	} else {
		nftnl_rule_set_u64(r, NFTNL_RULE_HANDLE, handle);
	}
	/* added at the head of the chain (no NLM_F_APPEND), as Docker does */
	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b->batch),
				    add ? NFT_MSG_NEWRULE : NFT_MSG_DELRULE, (uint16_t)family,
				    add ? NLM_F_CREATE : 0, b->seq);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	nftb_describe(b, b->seq++, add ? "add rule to" : "delete rule from",
		      family == NFPROTO_IPV6 ? "ip6 filter FORWARD" : "ip filter FORWARD");
	nftb_next(b);
	b->count++;
}

int nftb_commit(struct nftb *b, char *err, size_t errlen)
{
	char rbuf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	uint32_t last, portid;
	int rc = 0, done = 0;
	size_t len;

	nftb_flush_pending(b);
	if (b->seq == b->first_seq)
		return 0;	/* nothing to do */
	if (b->overflow) {
		snprintf(err, errlen, "nftables batch too large");
		return -E2BIG;
	}
	last = b->seq - 1;
	{
		/* ask for an ack of the last change only: errors come regardless */
		char *p = mnl_nlmsg_batch_head(b->batch);
		char *end = p + mnl_nlmsg_batch_size(b->batch);
		struct nlmsghdr *h, *lastmsg = NULL;

		for (; p < end; p += NLMSG_ALIGN(h->nlmsg_len)) {
			h = (struct nlmsghdr *)p;
			lastmsg = h;
		}
		if (lastmsg)
			lastmsg->nlmsg_flags |= NLM_F_ACK;
	}
	nftnl_batch_end(mnl_nlmsg_batch_current(b->batch), b->seq++);
	nftb_next(b);

	nl = nftb_socket();
	if (!nl) {
		rc = -errno;
		snprintf(err, errlen, "socket(NETLINK_NETFILTER): %s", strerror(errno));
		return rc;
	}
	portid = mnl_socket_get_portid(nl);
	len = mnl_nlmsg_batch_size(b->batch);
	if (len > 200000) {
		int sz = (int)(len * 2);

		setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz));
	}
	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b->batch), len) < 0) {
		rc = -errno;
		snprintf(err, errlen, "send nftables batch (%zu bytes): %s", len, strerror(errno));
		nftb_socket_drop();
		return rc;
	}
	while (!done) {
		ssize_t n = mnl_socket_recvfrom(nl, rbuf, sizeof(rbuf));
		struct nlmsghdr *h;
		int left;

		if (n < 0) {
			if (!rc) {
				rc = -errno;
				snprintf(err, errlen, "read nftables reply: %s", strerror(errno));
			}
			nftb_socket_drop();
			break;
		}
		left = (int)n;
		for (h = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left)) {
			/* the socket is reused: answers to other requests are not ours */
			if (h->nlmsg_pid != portid || h->nlmsg_seq - b->first_seq > last - b->first_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = mnl_nlmsg_get_payload(h);

				if (e->error && !rc) {
					size_t i = h->nlmsg_seq - b->first_seq;

					rc = e->error;
					snprintf(err, errlen, "%s: %s",
						 i < b->ndesc ? b->desc[i] : "nftables", strerror(-e->error));
				}
				if (h->nlmsg_seq == last)
					done = 1;
			}
		}
	}
	return rc;
}
