// SPDX-License-Identifier: GPL-2.0-or-later
/* netdef.c - rootful bridge network definitions under the state directory */
#include <arpa/inet.h>
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

#include "cleanup.h"
#include "lock.h"
#include "netdef.h"
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

/* all definitions as an array (new reference) */
static json_t *defs_all(void)
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

static const char *def_subnet(json_t *d)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(d, "subnets"), 0),
						 "subnet"));
}

/* write the definition of @name; caller holds the lock */
static int def_write(const char *name, const char *subnet, const char *gw, const char *ifname,
		     char *err, size_t errlen)
{
	char path[PATH_MAX], id[65], created[32];
	unsigned char b[32];
	time_t now = time(NULL);
	struct tm tm;
	json_t *d;
	int i, r;

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		memset(b, 0x5a, sizeof(b));
	for (i = 0; i < 32; i++)
		snprintf(id + 2 * i, 3, "%02x", b[i]);
	gmtime_r(&now, &tm);
	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm);
	d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:s}], s:b, s:b, s:b, s:{}, s:{s:s}}",
		      "name", name, "id", id, "driver", "bridge", "network_interface", ifname,
		      "created", created, "subnets", "subnet", subnet, "gateway", gw,
		      "ipv6_enabled", 0, "internal", 0, "dns_enabled", 0, "options",
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

/* parse an IPv4 CIDR; the gateway is the first host address */
static int parse_subnet(const char *s, char *net, size_t netlen, char *gw, size_t gwlen)
{
	char a[INET_ADDRSTRLEN + 4], *slash;
	struct in_addr in;
	unsigned long plen;
	uint32_t h, mask;

	if (strlen(s) >= sizeof(a))
		return -EINVAL;
	strcpy(a, s);
	slash = strchr(a, '/');
	if (!slash)
		return -EINVAL;
	*slash = '\0';
	plen = strtoul(slash + 1, NULL, 10);
	if (plen < 8 || plen > 30 || inet_pton(AF_INET, a, &in) != 1)
		return -EINVAL;
	mask = plen ? ~0U << (32 - plen) : 0;
	h = ntohl(in.s_addr) & mask;
	in.s_addr = htonl(h);
	inet_ntop(AF_INET, &in, a, sizeof(a));
	snprintf(net, netlen, "%s/%lu", a, plen);
	in.s_addr = htonl(h + 1);
	inet_ntop(AF_INET, &in, gw, gwlen);
	return 0;
}

/* the next bridge index, subnet and gateway not used by @all */
static int next_free(json_t *all, const char *want_subnet, char *ifname, size_t iflen,
		     char *net, size_t netlen, char *gw, size_t gwlen)
{
	char cand[32];
	size_t i, k;
	json_t *d;

	for (i = 1; i < 255; i++) {
		int used = 0;

		snprintf(ifname, iflen, "burrow%zu", i);
		snprintf(cand, sizeof(cand), "10.89.%zu.0/24", i);
		json_array_foreach(all, k, d) {
			const char *sn = def_subnet(d);

			if (!strcmp(json_string_value(json_object_get(d, "network_interface")) ?: "",
				    ifname) || (!want_subnet && sn && !strcmp(sn, cand)))
				used = 1;
		}
		if (used)
			continue;
		if (!want_subnet) {
			snprintf(net, netlen, "%s", cand);
			snprintf(gw, gwlen, "10.89.%zu.1", i);
		}
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
	if (access(path, F_OK) && !strcmp(name, NETDEF_DEFAULT))
		r = def_write(NETDEF_DEFAULT, "10.89.0.0/24", "10.89.0.1", "burrow0", err, errlen);
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

int netdef_create(const char *name, const char *subnet)
{
	char path[PATH_MAX], err[1024], net[48] = "", gw[INET_ADDRSTRLEN] = "", ifname[16];
	json_t *all = NULL, *d;
	size_t k;
	int lk, r = 1;

	if (!state_name_valid(name, 32)) {
		fprintf(stderr, "burrow: network name '%s': use 1 to 32 letters, digits, '_', "
			"'.' or '-'\n", name);
		return 1;
	}
	if (subnet && parse_subnet(subnet, net, sizeof(net), gw, sizeof(gw)) < 0) {
		fprintf(stderr, "burrow: --subnet %s: expected an IPv4 A.B.C.D/N with N "
			"from 8 to 30\n", subnet);
		return 1;
	}
	if (!def_path(name, path, sizeof(path))) {
		fprintf(stderr, "burrow: bridge networks need root\n");
		return 1;
	}
	lk = nets_lock();
	if (lk < 0) {
		fprintf(stderr, "burrow: lock the networks folder: %s\n", strerror(-lk));
		return 1;
	}
	if (!access(path, F_OK)) {
		fprintf(stderr, "burrow: network %s already exists\n", name);
		goto out;
	}
	all = defs_all();
	json_array_foreach(all, k, d) {
		if (subnet && def_subnet(d) && !strcmp(def_subnet(d), net)) {
			fprintf(stderr, "burrow: subnet %s is already used by network %s\n", net,
				json_string_value(json_object_get(d, "name")));
			goto out;
		}
	}
	if (next_free(all, subnet, ifname, sizeof(ifname), net, sizeof(net), gw,
		      sizeof(gw)) < 0) {
		fprintf(stderr, "burrow: no free bridge name or subnet left\n");
		goto out;
	}
	if (def_write(name, net, gw, ifname, err, sizeof(err)) < 0) {
		fprintf(stderr, "burrow: %s\n", err);
		goto out;
	}
	printf("%s\n", name);
	r = 0;
out:
	json_decref(all);
	lock_release(lk);
	return r;
}

int netdef_ls(int json)
{
	json_t *all = defs_all(), *d;
	size_t k;

	if (json) {
		json_dumpf(all, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		printf("%-20s  %-10s  %s\n", "NAME", "BRIDGE", "SUBNET");
		json_array_foreach(all, k, d)
			printf("%-20s  %-10s  %s\n", json_string_value(json_object_get(d, "name")),
			       json_string_value(json_object_get(d, "network_interface")),
			       def_subnet(d) ?: "");
	}
	json_decref(all);
	return 0;
}

int netdef_rm(const char *name)
{
	_cleanup_free_ struct ctr *v = NULL;
	char path[PATH_MAX];
	size_t n = 0, i;
	int lk, r = 1;

	if (!def_path(name, path, sizeof(path))) {
		fprintf(stderr, "burrow: bridge networks need root\n");
		return 1;
	}
	lk = nets_lock();
	if (lk < 0) {
		fprintf(stderr, "burrow: lock the networks folder: %s\n", strerror(-lk));
		return 1;
	}
	if (access(path, F_OK)) {
		fprintf(stderr, "burrow: no such network: %s\n", name);
		goto out;
	}
	if (state_list(&v, &n) < 0)
		n = 0;
	for (i = 0; i < n; i++) {
		enum ctr_status s = state_status(&v[i], NULL);

		if (strncmp(v[i].network, "bridge", 6) || strcmp(netdef_name(v[i].network), name))
			continue;
		if (s == CTR_RUNNING || s == CTR_CREATED) {
			fprintf(stderr, "burrow: network %s is used by container %s: remove "
				"it first\n", name, v[i].id);
			goto out;
		}
	}
	if (unlink(path)) {
		fprintf(stderr, "burrow: unlink(%s): %s\n", path, strerror(errno));
		goto out;
	}
	printf("%s\n", name);
	r = 0;
out:
	lock_release(lk);
	return r;
}
