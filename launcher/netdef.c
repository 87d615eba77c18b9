// SPDX-License-Identifier: GPL-2.0-or-later
/* netdef.c - rootful bridge network definitions under the state directory */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* messages that name long paths may be cut short: that is fine */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "addr.h"
#include "cleanup.h"
#include "name.h"
#include "lock.h"
#include "netdef.h"
#include "runtime.h"
#include "state.h"
#include "statedir.h"

static int nets_root(char *buf, size_t len)
{
	if (geteuid() != 0 || rootless())
		return -EPERM;
	return statedir_path("networks", buf, len);
}

static int nets_lock(void)
{
	if (geteuid() != 0 || rootless())
		return -EPERM;
	return statedir_lock("networks");
}

const char *netdef_name(const char *mode)
{
	return !strncmp(mode, "bridge:", 7) && mode[7] ? mode + 7 : NETDEF_DEFAULT;
}

static const char *def_path(const char *name, char *buf, size_t len)
{
	char root[PATH_MAX - 64];

	if (nets_root(root, sizeof(root)) < 0)
		return NULL;
	snprintf(buf, len, "%s/%s.json", root, name);
	return buf;
}

json_t *netdef_all(void)
{
	char root[PATH_MAX - 64], path[PATH_MAX];
	json_t *arr = json_array(), *j;
	struct dirent *e;
	DIR *d;

	if (nets_root(root, sizeof(root)) < 0)
		return arr;
	d = opendir(root);
	if (!d)
		return arr;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);

		if (e->d_name[0] == '.' || n < 6 || strcmp(e->d_name + n - 5, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", root, e->d_name);
		j = json_load_file(path, 0, NULL);
		if (j)
			json_array_append_new(arr, j);
	}
	closedir(d);
	return arr;
}

/* whether @c overlaps a subnet of any definition in @all; its name in *@who */
static int subnet_taken(json_t *all, const struct cidr *c, const char **who)
{
	json_t *d, *sn;
	size_t k, i;

	json_array_foreach(all, k, d) {
		json_array_foreach(json_object_get(d, "subnets"), i, sn) {
			struct cidr o;
			const char *t = json_string_value(json_object_get(sn, "subnet"));

			if (t && cidr_parse(t, &o) == 0 && cidr_overlaps(&o, c)) {
				*who = json_string_value(json_object_get(d, "name")) ?: "?";
				return 1;
			}
		}
	}
	return 0;
}

/* write the definition of @name; caller holds the lock */
static int def_write(const char *name, const struct cidr *subnets, size_t n, const char *ifname,
		     int internal, int dns, char *err, size_t errlen)
{
	char path[PATH_MAX], id[65], created[32], net[CIDR_STRLEN], gw[ADDR_STRLEN];
	unsigned char b[32];
	time_t now = time(NULL);
	json_t *d, *subs = json_array();
	struct tm tm;
	int i, r, v6 = 0;
	size_t k;

	for (k = 0; k < n; k++) {
		struct addr g;

		cidr_nth(&subnets[k], 1, &g);
		v6 |= subnets[k].addr.family == AF_INET6;
		json_array_append_new(subs, json_pack("{s:s, s:s}", "subnet",
				      cidr_format(&subnets[k], net, sizeof(net)), "gateway",
				      addr_format(&g, gw, sizeof(gw))));
	}
	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		memset(b, 0x5a, sizeof(b));
	for (i = 0; i < 32; i++)
		snprintf(id + 2 * i, 3, "%02x", b[i]);
	gmtime_r(&now, &tm);
	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm);
	d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:b, s:b, s:{}, s:{s:s}}",
		      "name", name, "id", id, "driver", "bridge", "network_interface", ifname,
		      "created", created, "subnets", subs,
		      "ipv6_enabled", v6, "internal", internal, "dns_enabled", dns, "options",
		      "ipam_options", "driver", "host-local");
	if (!d || !def_path(name, path, sizeof(path))) {
		json_decref(d);
		snprintf(err, errlen, "network %s: cannot build its definition", name);
		return -ENOMEM;
	}
	r = json_dump_file(d, path, JSON_INDENT(2));
	json_decref(d);
	if (r) {
		snprintf(err, errlen, "write %s failed", path);
		return -EIO;
	}
	return 0;
}

int netdef_parse_subnet(const char *s, struct cidr *c, char *err, size_t errlen)
{
	unsigned lo, hi;

	if (cidr_parse(s, c) < 0 || !strchr(s, '/')) {
		snprintf(err, errlen, "--subnet %s: expected A.B.C.D/N or an IPv6 PREFIX/N", s);
		return -EINVAL;
	}
	lo = 8;
	hi = c->addr.family == AF_INET ? 30 : 124;
	if (c->prefix < lo || c->prefix > hi) {
		snprintf(err, errlen, "--subnet %s: the prefix length must be from %u to %u", s,
			 lo, hi);
		return -EINVAL;
	}
	cidr_network(c);
	return 0;
}

/* the first bridge index whose name and (for the automatic ones) subnets
 * are free in @all: bridge burrowN, 10.89.N.0/24, fd89:0:0:N::/64 */
static int next_free(json_t *all, int want4, int want6, char *ifname, size_t iflen,
		     struct cidr *v4, struct cidr *v6)
{
	char cand[48];
	const char *who;
	size_t i, k;
	json_t *d;

	for (i = 1; i < 255; i++) {
		int used = 0;

		snprintf(ifname, iflen, "burrow%zu", i);
		json_array_foreach(all, k, d) {
			if (!strcmp(json_string_value(json_object_get(d, "network_interface")) ?: "",
				    ifname))
				used = 1;
		}
		snprintf(cand, sizeof(cand), "10.89.%zu.0/24", i);
		cidr_parse(cand, v4);
		snprintf(cand, sizeof(cand), "fd89:0:0:%zx::/64", i);
		cidr_parse(cand, v6);
		if (used || (want4 && subnet_taken(all, v4, &who)) ||
		    (want6 && subnet_taken(all, v6, &who)))
			continue;
		return 0;
	}
	return -ENOSPC;
}

int netdef_load(const char *name, json_t **out, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int lk, r = 0;

	*out = NULL;
	if (!def_path(name, path, sizeof(path))) {
		snprintf(err, errlen, "bridge networks need root (rootless: use --network "
			 "slirp or pasta)");
		return -EPERM;
	}
	lk = nets_lock();
	if (lk < 0) {
		snprintf(err, errlen, "lock the networks folder: %s", strerror(-lk));
		return lk;
	}
	if (access(path, F_OK) && !strcmp(name, NETDEF_DEFAULT)) {
		struct cidr c;

		cidr_parse("10.89.0.0/24", &c);
		/* like podman's default network: no DNS server */
		r = def_write(NETDEF_DEFAULT, &c, 1, "burrow0", 0, 0, err, errlen);
	}
	if (r == 0) {
		*out = json_load_file(path, 0, NULL);
		if (!*out) {
			snprintf(err, errlen, "no such network: %s (make it with: burrow network "
				 "create %s)", name, name);
			r = -ENOENT;
		}
	}
	lock_release(lk);
	return r;
}

int netdef_create(const char *name, const struct netdef_opts *o, int *dns_off, char *err,
		  size_t errlen)
{
	char path[PATH_MAX], ifname[16], bin[PATH_MAX], a[CIDR_STRLEN];
	struct cidr subnets[NETDEF_MAX_SUBNETS + 2], v4, v6;
	json_t *all = NULL;
	const char *who;
	size_t n = 0, i, k;
	int lk, r, have6 = 0, dns = !o->disable_dns;

	*dns_off = 0;
	r = name_check("network name", name, NETDEF_NAME_MAX + 1, 0, err, errlen);
	if (r < 0)
		return r;
	for (i = 0; i < o->nsubnets; i++) {
		r = netdef_parse_subnet(o->subnets[i], &subnets[n], err, errlen);
		if (r < 0)
			return r;
		for (k = 0; k < n; k++) {
			if (cidr_overlaps(&subnets[k], &subnets[n])) {
				snprintf(err, errlen, "--subnet %s overlaps --subnet %s",
					 o->subnets[i], o->subnets[k]);
				return -EINVAL;
			}
		}
		have6 |= subnets[n].addr.family == AF_INET6;
		n++;
	}
	if (!def_path(name, path, sizeof(path))) {
		snprintf(err, errlen, "bridge networks need root");
		return -EPERM;
	}
	if (dns && find_program("burrow-dns", bin, sizeof(bin)) < 0) {
		*dns_off = 1;
		dns = 0;
	}
	lk = nets_lock();
	if (lk < 0) {
		snprintf(err, errlen, "lock the networks folder: %s", strerror(-lk));
		return lk;
	}
	r = -EEXIST;
	if (!access(path, F_OK)) {
		snprintf(err, errlen, "network %s already exists", name);
		goto out;
	}
	all = netdef_all();
	for (k = 0; k < n; k++) {
		if (subnet_taken(all, &subnets[k], &who)) {
			snprintf(err, errlen, "subnet %s is already used by network %s",
				 cidr_format(&subnets[k], a, sizeof(a)), who);
			goto out;
		}
	}
	/* no --subnet: the next free IPv4 one, and with --ipv6 an IPv6 one */
	if (next_free(all, !n, !n && o->ipv6, ifname, sizeof(ifname), &v4, &v6) < 0) {
		snprintf(err, errlen, "no free bridge name or subnet left");
		r = -ENOSPC;
		goto out;
	}
	if (!n) {
		subnets[n++] = v4;
		if (o->ipv6)
			subnets[n++] = v6;
	} else if (o->ipv6 && !have6) {
		snprintf(err, errlen, "--ipv6 with only IPv4 subnets: add an IPv6 --subnet");
		r = -EINVAL;
		goto out;
	}
	r = def_write(name, subnets, n, ifname, o->internal, dns, err, errlen);
out:
	json_decref(all);
	lock_release(lk);
	return r;
}

int netdef_remove(const char *name, char *err, size_t errlen)
{
	_cleanup_free_ struct ctr *v = NULL;
	char path[PATH_MAX];
	size_t n = 0, i;
	int lk, r;

	r = name_check("network name", name, NETDEF_NAME_MAX + 1, 0, err, errlen);
	if (r < 0)
		return r;
	if (!def_path(name, path, sizeof(path))) {
		snprintf(err, errlen, "bridge networks need root");
		return -EPERM;
	}
	lk = nets_lock();
	if (lk < 0) {
		snprintf(err, errlen, "lock the networks folder: %s", strerror(-lk));
		return lk;
	}
	r = -ENOENT;
	if (access(path, F_OK)) {
		snprintf(err, errlen, "no such network: %s", name);
		goto out;
	}
	if (state_list(&v, &n) < 0)
		n = 0;
	r = -EBUSY;
	for (i = 0; i < n; i++) {
		enum ctr_status s = state_status(&v[i], NULL);

		if (strncmp(v[i].network, "bridge", 6) || strcmp(netdef_name(v[i].network), name))
			continue;
		if (s == CTR_RUNNING || s == CTR_CREATED) {
			snprintf(err, errlen, "network %s is used by container %s: remove it first",
				 name, v[i].id);
			goto out;
		}
	}
	r = 0;
	if (unlink(path)) {
		r = -errno;
		snprintf(err, errlen, "unlink(%s): %s", path, strerror(errno));
	}
out:
	lock_release(lk);
	return r;
}
