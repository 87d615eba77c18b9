/* SPDX-License-Identifier: GPL-2.0-or-later
 * dnsrec.h - the records burrow-bridge writes for burrow-dns: one file per
 * DNS-enabled network in a folder (default /run/burrow/dns, BURROW_DNS_DIR
 * overrides), written atomically under the folder's lock:
 *
 *	DIR/.lock		flock: exclusive to change records, shared to read
 *	DIR/NAME.net		one network (format below)
 *	DIR/burrow-dns.pid	the daemon's pid, while it runs
 *	DIR/control		the daemon's control socket ("reload" -> "ok")
 *
 * A network file, one item per line, lists comma-separated, "-" for none:
 *
 *	listen 10.77.0.1/24		gateway address and its subnet (repeatable)
 *	internal 0			1: never forward upstream
 *	upstream 203.0.113.53		network resolvers (repeatable)
 *	search dns.podman		search domain
 *	ctr ID IPV4S IPV6S NAMES UPSTREAMS
 *
 * Parsing is pure (buffer in, struct out) and bounded: the daemon reads these
 * files, and a broken file must never crash it.
 */
#ifndef BURROW_DNSREC_H
#define BURROW_DNSREC_H

#include <stddef.h>

#include "addr.h"

#define DNSREC_NAME_MAX		64	/* network name, with NUL */
#define DNSREC_ID_MAX		128	/* container ID, with NUL */
#define DNSREC_HOST_MAX		254	/* one DNS name, with NUL */
#define DNSREC_MAX_LISTEN	4
#define DNSREC_MAX_UPSTREAM	4
#define DNSREC_MAX_IPS		4
#define DNSREC_MAX_NAMES	16
#define DNSREC_MAX_CTRS		65536
#define DNSREC_FILE_MAX		(16u << 20)
#define DNSREC_SEARCH		"dns.podman"

/* One container on a network */
struct dnsrec_ctr {
	char id[DNSREC_ID_MAX];
	struct addr ip4[DNSREC_MAX_IPS];
	size_t n4;
	struct addr ip6[DNSREC_MAX_IPS];
	size_t n6;
	char names[DNSREC_MAX_NAMES][DNSREC_HOST_MAX];
	size_t nnames;
	struct addr upstream[DNSREC_MAX_UPSTREAM];	/* the container's own resolvers */
	size_t nup;
};

/* One network */
struct dnsrec_net {
	char name[DNSREC_NAME_MAX];
	struct cidr listen[DNSREC_MAX_LISTEN];
	size_t nlisten;
	int internal;
	struct addr upstream[DNSREC_MAX_UPSTREAM];
	size_t nup;
	char search[DNSREC_HOST_MAX];
	struct dnsrec_ctr *ctr;				/* heap, dnsrec_free() */
	size_t nctr, cap;
};

/**
 * dnsrec_dir() - the records folder, created (0700) if missing
 * @buf:	output path
 * @len:	size of @buf
 *
 * $BURROW_DNS_DIR if set (must be absolute), else the state root + "/dns"
 * (/run/burrow/dns rootful).
 *
 * Return: 0, or -errno
 */
int dnsrec_dir(char *buf, size_t len);

/**
 * dnsrec_lock() - take the records lock of @dir, waiting for it
 * @dir:	records folder
 * @exclusive:	non-zero to change records, zero to read them
 *
 * Return: lock fd (lock_release()), or -errno
 */
int dnsrec_lock(const char *dir, int exclusive);

/**
 * dnsrec_valid_net() - whether @s is a usable network name: name_valid(),
 *			1..63 bytes
 */
int dnsrec_valid_net(const char *s);

/**
 * dnsrec_valid_host() - whether @s is a usable DNS name for a container:
 *			 labels of [A-Za-z0-9_-] (1..63 bytes) joined by single
 *			 dots, 1..253 bytes, no trailing dot
 */
int dnsrec_valid_host(const char *s);

/**
 * dnsrec_init() - an empty network named @name with the default search domain
 * @n:		network to fill
 * @name:	network name
 *
 * Return: 0, or -EINVAL for a bad name
 */
int dnsrec_init(struct dnsrec_net *n, const char *name);

/**
 * dnsrec_free() - release the container list of @n (it stays usable, empty)
 */
void dnsrec_free(struct dnsrec_net *n);

/**
 * dnsrec_parse() - parse a network file
 * @buf:	text (need not be NUL-terminated)
 * @len:	its length
 * @n:		network, dnsrec_init()ed by the caller (name kept, rest replaced)
 * @err:	reason on failure ("line 3: bad address '10.0.0'")
 * @errlen:	size of @err
 *
 * Return: 0, -EINVAL (malformed), or -ENOMEM
 */
int dnsrec_parse(const char *buf, size_t len, struct dnsrec_net *n, char *err, size_t errlen);

/**
 * dnsrec_format() - print @n in the file format
 * @n:		network
 * @len:	out: length of the text
 *
 * Return: new NUL-terminated text (caller frees), or NULL with errno set
 */
char *dnsrec_format(const struct dnsrec_net *n, size_t *len);

/**
 * dnsrec_ctr_put() - add container @c to @n, replacing one with the same ID
 *
 * Return: 0, -ENOSPC over DNSREC_MAX_CTRS, or -ENOMEM
 */
int dnsrec_ctr_put(struct dnsrec_net *n, const struct dnsrec_ctr *c);

/**
 * dnsrec_ctr_del() - remove container @id from @n
 *
 * Return: 1 if it was there, 0 if not
 */
int dnsrec_ctr_del(struct dnsrec_net *n, const char *id);

/**
 * dnsrec_load() - read DIR/@name.net into @n (caller holds the lock)
 * @dir:	records folder
 * @name:	network
 * @n:		result (dnsrec_free() it)
 *
 * Return: 0, -ENOENT if there is no record, -EINVAL if unreadable, or -errno
 */
int dnsrec_load(const char *dir, const char *name, struct dnsrec_net *n);

/**
 * dnsrec_save() - write @n to DIR/NAME.net atomically (caller holds the
 *		   exclusive lock); a network with no container is removed
 *
 * Return: 0, or -errno
 */
int dnsrec_save(const char *dir, const struct dnsrec_net *n);

/**
 * dnsrec_remove_ctr() - remove container @id from every network in @dir
 *			 (caller holds the exclusive lock)
 * @dir:	records folder
 * @id:		container ID
 * @left:	out (may be NULL): networks still recorded afterwards
 *
 * Return: how many networks held @id, or -errno
 */
int dnsrec_remove_ctr(const char *dir, const char *id, int *left);

/**
 * dnsrec_for_each() - call @cb for each network file of @dir that parses
 *		       (caller holds the lock); broken files are skipped
 * @dir:	records folder
 * @cb:		callback; a non-zero return stops the walk
 * @data:	passed to @cb
 *
 * Return: 0, the first non-zero value of @cb, or -errno if @dir is unreadable
 */
int dnsrec_for_each(const char *dir, int (*cb)(const struct dnsrec_net *n, void *data),
		    void *data);

#endif /* BURROW_DNSREC_H */
