/* SPDX-License-Identifier: GPL-2.0-or-later
 * nft.h - burrow-bridge's nftables table, built with libnftnl and changed
 * in one atomic netlink batch per transaction.
 *
 * The table "inet burrow" holds fixed rules only; everything per network and
 * per container is an element of a set or map:
 *   bridges, masq, internal, isolated	ifname sets, one element per network
 *   fwd4, fwd6			host address . proto . port -> container address . port
 *   fwd4any, fwd6any		proto . port -> container address . port (any local address)
 * so adding the 1,000th container costs what the first did.
 */
#ifndef BRIDGE_NFT_H
#define BRIDGE_NFT_H

#include <net/if.h>
#include <stdint.h>

#include "addr.h"

#define NFTB_TABLE "burrow"

/* packet mark bit on what the forward chain lets through: other forward
 * chains at policy drop accept it with `meta mark & 0x00800000 != 0 accept` */
#define NFTB_ACCEPT_MARK 0x00800000u

/* One network's bridge and what the rules do for it */
struct nftb_bridge {
	char name[IFNAMSIZ];
	int masquerade;
	int internal;
	int isolate;
};

/* One forwarded port: host side (address family 0: every local address;
 * 0.0.0.0 or ::, every local address of that family) */
struct nftb_fwd {
	int proto;
	struct addr host_ip;
	uint16_t host_port;
	struct addr ctr_ip;
	uint16_t ctr_port;
};

struct nftb;

/**
 * nftb_new() - start a transaction
 *
 * Return: a batch, or NULL (out of memory)
 */
struct nftb *nftb_new(void);

/**
 * nftb_new_large() - start a transaction with room for the whole table
 *		      (rebuilds); memory is only used as it fills
 *
 * Return: a batch, or NULL (out of memory)
 */
struct nftb *nftb_new_large(void);

/** nftb_free() - drop a batch (committed or not) */
void nftb_free(struct nftb *b);

/**
 * nftb_table_exists() - whether our table is in the current namespace
 *
 * Return: 1, 0, or -errno
 */
int nftb_table_exists(void);

/**
 * nftb_inet_table_exists() - whether table "inet @name" is in the current
 *			      namespace (another program's: "firewalld")
 *
 * Return: 1, 0, or -errno
 */
int nftb_inet_table_exists(const char *name);

/** nftb_create_table() - add the table with its sets, maps, chains and rules */
void nftb_create_table(struct nftb *b);

/** nftb_delete_table() - delete the whole table */
void nftb_delete_table(struct nftb *b);

/**
 * nftb_bridge() - add or delete a network's set elements
 * @b:		batch
 * @br:		the network
 * @add:	1 add, 0 delete
 */
void nftb_bridge(struct nftb *b, const struct nftb_bridge *br, int add);

/**
 * nftb_fwd() - add or delete one forwarded port's map element
 * @b:		batch
 * @f:		the forward
 * @add:	1 add, 0 delete
 */
void nftb_fwd(struct nftb *b, const struct nftb_fwd *f, int add);

/**
 * nftb_count() - number of changes queued
 */
unsigned nftb_count(const struct nftb *b);

/* iptables-nft's FORWARD chains and the comment that marks our rule there */
#define NFTB_XT_TABLE	"filter"
#define NFTB_XT_CHAIN	"FORWARD"
#define NFTB_XT_COMMENT	"burrow-bridge"

/**
 * nftb_xt_find() - burrow-bridge's accept rules in iptables' FORWARD chain
 *		    (iptables-nft's table "ip filter", or "ip6 filter")
 * @v6:		0: iptables (ip filter), 1: ip6tables (ip6 filter)
 * @handles:	out: their rule handles
 * @max:	room in @handles
 *
 * Return: how many there are (0 to @max), -ENOENT if there is no such chain
 *	   (no iptables-nft on this host), or -errno
 */
int nftb_xt_find(int v6, uint64_t *handles, int max);

/**
 * nftb_xt_accept() - queue adding our accept rule at the head of iptables'
 *		      FORWARD chain (-m mark --mark NFTB_ACCEPT_MARK/NFTB_ACCEPT_MARK
 *		      -m comment --comment burrow-bridge -j ACCEPT), or deleting one
 * @b:		batch
 * @v6:		0: iptables, 1: ip6tables
 * @add:	1 add, 0 delete the rule with @handle
 * @handle:	for delete: from nftb_xt_find()
 */
void nftb_xt_accept(struct nftb *b, int v6, int add, uint64_t handle);

/**
 * nftb_commit() - send the batch; the kernel applies all of it or nothing
 *		   (over the process's one nftables socket, which stays open
 *		   until exit: closing it waits for the commit's deferred frees)
 * @b:		batch
 * @err:	on failure, which part failed ("add element to fwd4any: File exists")
 * @errlen:	size of @err
 *
 * Return: 0, or -errno of the first failing change
 */
int nftb_commit(struct nftb *b, char *err, size_t errlen);

#endif /* BRIDGE_NFT_H */
