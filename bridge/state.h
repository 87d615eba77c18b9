/* SPDX-License-Identifier: GPL-2.0-or-later
 * state.h - what burrow-bridge made, on disk under ROOT (the --config folder
 * + "/burrow-bridge"), so that teardown removes exactly that and a lost
 * nftables table can be rebuilt:
 *   ROOT/lock			flock held for each whole setup/teardown
 *   ROOT/ctr/KEY.json		one record per container (struct st_ctr), named
 *				KEY.setup while setup runs, KEY.teardown once
 *				teardown began
 *   ROOT/net/NAME.json		a network in use (its bridge and flags)
 *   ROOT/net/NAME.d/KEY	one empty file per container on the network
 *   ROOT/ports/PROTO.PORT	"HOSTIP KEY" lines: forwarded host ports
 *   ROOT/ipam/NAME/ADDR	leases (ipam.c)
 *
 * Crash safety: setup writes KEY.setup before its first side effect,
 * naming the networks, host veth names and ports it is about to take; every
 * lease, port claim and membership file names the container key.  So
 * whatever point a kill -9 hits, the record tells a later teardown (or
 * `reload`) what to sweep.  Setup done, the complete record is appended and
 * the file renamed KEY.json; teardown renames it KEY.teardown first and
 * removes it last, after the links are gone.  A record file is a line per
 * save, each appended in one write() (the last whole line counts), and
 * moves from phase to phase by rename() to a free name: no new file and no
 * rename over one (which costs a flush of its data on ext4).  Other files
 * are written under a temporary name and renamed into place, or written in
 * one write().
 */
#ifndef BRIDGE_STATE_H
#define BRIDGE_STATE_H

#include <net/if.h>
#include <stddef.h>

#include "options.h"

/* One network attachment as made */
struct st_att {
	struct bo_net net;		/* the request, with flags */
	char veth[IFNAMSIZ];		/* host end */
	uint8_t mac[6];
	struct cidr ips[BO_MAX_SUBNETS];
	struct addr gws[BO_MAX_SUBNETS];
	int leased[BO_MAX_SUBNETS];	/* our IPAM holds ips[i] */
	size_t nips;
};

/* How far a container's record got */
enum st_phase {
	ST_READY = 0,		/* set up */
	ST_SETUP,		/* setup under way, or killed: leases and ports
				 * unknown to the record, found by key */
	ST_TEARDOWN,		/* teardown under way, or killed */
};

/* One container's record */
struct st_ctr {
	char key[BO_ID_MAX];
	enum st_phase phase;
	struct st_att att[BO_MAX_NETS];
	size_t natt;
	struct bo_port ports[BO_MAX_PORTS];
	size_t nports;
	struct addr fwd4, fwd6;		/* DNAT targets of the forwards */
	char cni_cid[BO_ID_MAX];	/* CNI face: CNI_CONTAINERID, CNI_IFNAME */
	char cni_ifname[IFNAMSIZ];
};

/**
 * state_open() - make ROOT and its folders, take the lock
 * @root:	state folder
 *
 * Return: the lock fd, or -errno
 */
int state_open(const char *root);

/** state_close() - release the lock */
void state_close(int lockfd);

/**
 * state_ctr_path() - ROOT/ctr/@key@suffix into @buf
 */
void state_ctr_path(const char *root, const char *key, const char *suffix, char *buf,
		    size_t len);

/**
 * state_save() - record @c as its phase says: ST_SETUP appends it to
 *		  KEY.setup (made if absent); ST_READY appends it to KEY.setup
 *		  and renames that KEY.json (or appends to KEY.json); ST_TEARDOWN
 *		  renames KEY.json KEY.teardown
 *
 * Return: 0, or -errno
 */
int state_save(const char *root, const struct st_ctr *c);

/**
 * state_load() - read @key's record and its phase from its name (KEY.json,
 *		  KEY.teardown or KEY.setup)
 *
 * Return: 0, -ENOENT if there is none (or only an intent cut short by a
 * kill, before any change was made), -EINVAL if unreadable
 */
int state_load(const char *root, const char *key, struct st_ctr *c);

/** state_remove() - delete @key's record, whatever its name (absent is
 *		    fine) */
int state_remove(const char *root, const char *key);

/**
 * state_remove_stale() - delete what kills left: temporary files (callers
 *			  hold the lock, so no one is writing them) and
 *			  intents cut short before any change
 * @root:	state folder
 */
void state_remove_stale(const char *root);

/**
 * state_net_join() - record @key on network @n (writes NAME.json the first time)
 * @n:		the network; when it has members already, made_bridge is set
 *		from its record (so that each member's record knows whether
 *		the last one out deletes the bridge, even if NAME.json is gone)
 * @first:	out: 1 if the network had no member before
 *
 * Return: 0, or -errno
 */
int state_net_join(const char *root, struct bo_net *n, const char *key, int *first);

/**
 * state_net_leave() - remove @key from network @name
 * @last:	out: 1 if no member is left (NAME.json and NAME.d are removed)
 * @def:	out when last (may be NULL): the network as first recorded,
 *		made_bridge included; left untouched if there was no record
 *
 * Return: 0, or -errno
 */
int state_net_leave(const char *root, const char *name, const char *key, int *last,
		    struct bo_net *def);

/**
 * state_net_count() - networks in use
 */
int state_net_count(const char *root);

/**
 * state_for_each_net() - call @cb for each network in use
 *
 * Return: 0, or the first non-zero value of @cb
 */
int state_for_each_net(const char *root, int (*cb)(const struct bo_net *n, void *data),
		       void *data);

/**
 * state_for_each_ctr() - call @cb for each container record, with its
 *			  phase (KEY.setup ones included)
 *
 * Return: 0, or the first non-zero value of @cb
 */
int state_for_each_ctr(const char *root, int (*cb)(const struct st_ctr *c, void *data),
		       void *data);

/**
 * state_for_each_member() - call @cb for the record of each member of
 *			     network @net (its ROOT/net/NET.d folder), with
 *			     its phase; members without a readable record
 *			     are skipped
 *
 * Return: 0, or the first non-zero value of @cb
 */
int state_for_each_member(const char *root, const char *net,
			  int (*cb)(const struct st_ctr *c, void *data), void *data);

/**
 * state_port_claim() - claim host ports of @p for @key
 * @who:	out: on conflict, the other owner's key
 * @wholen:	size of @who
 * @at:		out: on conflict, the host port that is taken
 *
 * An address of 0.0.0.0 or :: takes the port on every address of its family.
 *
 * Return: 0, -EADDRINUSE on conflict (nothing claimed), or -errno
 */
int state_port_claim(const char *root, const struct bo_port *p, const char *key,
		     char *who, size_t wholen, uint16_t *at);

/** state_port_release() - drop @key's claims of @p's host ports */
int state_port_release(const char *root, const struct bo_port *p, const char *key);

#endif /* BRIDGE_STATE_H */
