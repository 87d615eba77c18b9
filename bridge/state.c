// SPDX-License-Identifier: GPL-2.0-or-later
/* state.c - burrow-bridge's records on disk */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cleanup.h"
#include "addr.h"
#include "dir.h"
#include "file.h"
#include "state.h"

/* mkdir -p for the two levels we need. */
static int st_mkdirs(const char *path)
{
	char buf[4096];
	char *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

/* Open ROOT/lock, making ROOT and its folders the first time. */
static int st_open_lock(const char *root)
{
	static const char *const sub[] = { "ctr", "net", "ports", "ipam" };
	char path[4096];
	size_t i;
	int fd, rc;

	snprintf(path, sizeof(path), "%s/lock", root);
	/* the lock is made last, so with it every folder is there already */
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : -errno;
	rc = st_mkdirs(root);
	if (rc)
		return rc;
	for (i = 0; i < ARRAY_SIZE(sub); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, sub[i]);
		if (mkdir(path, 0700) && errno != EEXIST)
			return -errno;
	}
	snprintf(path, sizeof(path), "%s/lock", root);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	return fd >= 0 ? fd : -errno;
}

int state_open(const char *root)
{
	int fd, rc;

	fd = st_open_lock(root);
	if (fd < 0)
		return fd;
	while (flock(fd, LOCK_EX)) {
		if (errno != EINTR) {
			rc = -errno;
			close(fd);
			return rc;
		}
	}
	return fd;
}

void state_close(int lockfd)
{
	if (lockfd >= 0)
		close(lockfd);
}

/* Write @j to @path through a temporary file and rename. */
static int st_write_json(const char *path, json_t *j)
{
	char tmp[4500];
	int rc = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (json_dump_file(j, tmp, JSON_COMPACT))
		return errno ? -errno : -EIO;
	if (rename(tmp, path)) {
		rc = -errno;
		unlink(tmp);
	}
	return rc;
}

/* Address helpers for JSON. */
static json_t *j_addr(const struct addr *a)
{
	char buf[ADDR_STRLEN];

	return a->family ? json_string(addr_format(a, buf, sizeof(buf))) : json_string("");
}

static void j_get_addr(json_t *o, const char *key, struct addr *a)
{
	const char *s = json_string_value(json_object_get(o, key));

	memset(a, 0, sizeof(*a));
	if (s && *s)
		addr_parse(s, a);
}

static const char *j_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* A network definition as JSON (what rebuilding the table needs). */
static json_t *st_net_json(const struct bo_net *n)
{
	json_t *subs = json_array();
	size_t i;

	for (i = 0; i < n->nsubnets; i++) {
		char buf[CIDR_STRLEN];

		json_array_append_new(subs, json_pack("{s:s,s:o}", "subnet",
			cidr_format(&n->subnets[i].net, buf, sizeof(buf)),
			"gateway", j_addr(&n->subnets[i].gw)));
	}
	return json_pack("{s:s,s:s,s:s,s:o,s:i,s:b,s:i,s:b,s:b,s:b,s:b,s:i,s:b,s:b}",
			 "name", n->name, "bridge", n->bridge, "ifname", n->ifname,
			 "subnets", subs, "mtu", (int)n->mtu, "internal", n->internal,
			 "isolate", (int)n->isolate, "masquerade", n->masquerade,
			 "gateway", n->gateway, "hairpin", n->hairpin, "dns", n->dns,
			 "dns_port", (int)n->dns_port, "route_default", n->route_default, "made_bridge", n->made_bridge);
}

static void st_net_from(json_t *o, struct bo_net *n)
{
	json_t *subs, *s;
	size_t i;

	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", j_str(o, "name"));
	snprintf(n->bridge, sizeof(n->bridge), "%s", j_str(o, "bridge"));
	snprintf(n->ifname, sizeof(n->ifname), "%s", j_str(o, "ifname"));
	subs = json_object_get(o, "subnets");
	json_array_foreach(subs, i, s) {
		if (n->nsubnets >= BO_MAX_SUBNETS)
			break;
		if (cidr_parse(j_str(s, "subnet"), &n->subnets[n->nsubnets].net))
			continue;
		j_get_addr(s, "gateway", &n->subnets[n->nsubnets].gw);
		n->nsubnets++;
	}
	n->mtu = (unsigned)json_integer_value(json_object_get(o, "mtu"));
	n->internal = json_is_true(json_object_get(o, "internal"));
	n->isolate = (enum bo_isolate)json_integer_value(json_object_get(o, "isolate"));
	n->masquerade = json_is_true(json_object_get(o, "masquerade"));
	n->gateway = json_is_true(json_object_get(o, "gateway"));
	n->hairpin = json_is_true(json_object_get(o, "hairpin"));
	n->dns = json_is_true(json_object_get(o, "dns"));
	n->dns_port = (uint16_t)json_integer_value(json_object_get(o, "dns_port"));
	n->route_default = json_is_true(json_object_get(o, "route_default"));
	n->made_bridge = json_is_true(json_object_get(o, "made_bridge"));
}

void state_ctr_path(const char *root, const char *key, const char *suffix, char *buf,
		    size_t len)
{
	snprintf(buf, len, "%s/ctr/%s%s", root, key, suffix);
}

/* Where each phase's record is: one file, renamed from phase to phase */
static const char *const st_phase_sfx[] = {
	[ST_READY] = ".json", [ST_SETUP] = ".setup", [ST_TEARDOWN] = ".teardown",
};

/* Append @j to @path (made if absent) as one line, between newlines, in one
 * write(): a kill leaves the file without it, or with a cut line that does
 * not parse and that the next line does not continue (st_load_file() takes
 * the last whole line). */
static int st_append_json(const char *path, json_t *j)
{
	char *doc = json_dumps(j, JSON_COMPACT), *txt;
	ssize_t len, n;
	int fd, rc = 0;

	if (!doc)
		return -ENOMEM;
	len = (ssize_t)strlen(doc) + 2;
	txt = malloc((size_t)len + 1);
	if (!txt) {
		free(doc);
		return -ENOMEM;
	}
	snprintf(txt, (size_t)len + 1, "\n%s\n", doc);
	free(doc);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
	} else {
		n = write(fd, txt, (size_t)len);
		if (n != len)
			rc = n < 0 ? -errno : -EIO;
		close(fd);
	}
	free(txt);
	return rc;
}

int state_save(const char *root, const struct st_ctr *c)
{
	char path[4096], mac[MAC_STRLEN];
	json_t *j, *atts, *ports;
	size_t i, k;
	int rc;

	if (c->phase == ST_TEARDOWN) {
		/* the complete record, renamed: cheaper than a new file */
		char to[4096];

		state_ctr_path(root, c->key, ".json", path, sizeof(path));
		state_ctr_path(root, c->key, ".teardown", to, sizeof(to));
		return rename(path, to) ? -errno : 0;
	}
	atts = json_array();
	ports = json_array();

	for (i = 0; i < c->natt; i++) {
		const struct st_att *a = &c->att[i];
		json_t *ips = json_array();

		for (k = 0; k < a->nips; k++) {
			char buf[CIDR_STRLEN];

			json_array_append_new(ips, json_pack("{s:s,s:o,s:b}", "ip",
				cidr_format(&a->ips[k], buf, sizeof(buf)),
				"gateway", j_addr(&a->gws[k]), "leased", a->leased[k]));
		}
		json_array_append_new(atts, json_pack("{s:o,s:s,s:s,s:o}",
			"net", st_net_json(&a->net), "veth", a->veth,
			"mac", mac_format(a->mac, mac), "ips", ips));
	}
	for (i = 0; i < c->nports; i++) {
		const struct bo_port *p = &c->ports[i];

		json_array_append_new(ports, json_pack("{s:i,s:o,s:i,s:i,s:i}",
			"proto", p->proto, "host_ip", j_addr(&p->host_ip),
			"host_port", p->host_port, "ctr_port", p->ctr_port, "range", p->range));
	}
	j = json_pack("{s:s,s:o,s:o,s:o,s:o,s:s,s:s}", "key", c->key, "attachments", atts,
		      "ports", ports, "fwd4", j_addr(&c->fwd4), "fwd6", j_addr(&c->fwd6),
		      "cni_cid", c->cni_cid, "cni_ifname", c->cni_ifname);
	if (!j)
		return -ENOMEM;
	if (c->phase == ST_SETUP) {
		/* the intent, and what setup learns later, line by line */
		state_ctr_path(root, c->key, ".setup", path, sizeof(path));
		rc = st_append_json(path, j);
	} else {
		/* complete: a last line for KEY.setup, which becomes KEY.json
		 * (a record updated: a line more in KEY.json) */
		char to[4096];

		state_ctr_path(root, c->key, ".json", to, sizeof(to));
		state_ctr_path(root, c->key, ".setup", path, sizeof(path));
		if (access(path, F_OK) == 0) {
			rc = st_append_json(path, j);
			if (!rc && rename(path, to))
				rc = -errno;
		} else {
			rc = st_append_json(to, j);
		}
	}
	json_decref(j);
	return rc;
}

/* Parse a container record. */
static int st_ctr_from(json_t *j, struct st_ctr *c)
{
	json_t *atts, *a, *ports, *p;
	size_t i, k;

	memset(c, 0, sizeof(*c));
	if (!json_is_object(j))
		return -EINVAL;
	snprintf(c->key, sizeof(c->key), "%s", j_str(j, "key"));
	atts = json_object_get(j, "attachments");
	json_array_foreach(atts, i, a) {
		struct st_att *t;
		json_t *ips, *ip;

		if (c->natt >= BO_MAX_NETS)
			break;
		t = &c->att[c->natt++];
		st_net_from(json_object_get(a, "net"), &t->net);
		snprintf(t->veth, sizeof(t->veth), "%s", j_str(a, "veth"));
		mac_parse(j_str(a, "mac"), t->mac);
		ips = json_object_get(a, "ips");
		json_array_foreach(ips, k, ip) {
			if (t->nips >= BO_MAX_SUBNETS)
				break;
			if (cidr_parse(j_str(ip, "ip"), &t->ips[t->nips]))
				continue;
			j_get_addr(ip, "gateway", &t->gws[t->nips]);
			t->leased[t->nips] = json_is_true(json_object_get(ip, "leased"));
			t->nips++;
		}
	}
	ports = json_object_get(j, "ports");
	json_array_foreach(ports, i, p) {
		struct bo_port *b;

		if (c->nports >= BO_MAX_PORTS)
			break;
		b = &c->ports[c->nports++];
		b->proto = (int)json_integer_value(json_object_get(p, "proto"));
		j_get_addr(p, "host_ip", &b->host_ip);
		b->host_port = (uint16_t)json_integer_value(json_object_get(p, "host_port"));
		b->ctr_port = (uint16_t)json_integer_value(json_object_get(p, "ctr_port"));
		b->range = (uint16_t)json_integer_value(json_object_get(p, "range"));
	}
	j_get_addr(j, "fwd4", &c->fwd4);
	j_get_addr(j, "fwd6", &c->fwd6);
	snprintf(c->cni_cid, sizeof(c->cni_cid), "%s", j_str(j, "cni_cid"));
	snprintf(c->cni_ifname, sizeof(c->cni_ifname), "%s", j_str(j, "cni_ifname"));
	return 0;
}

/* most bytes of a record or port file */
#define ST_FILE_MAX	(1 << 20)

/* Parse the last whole line of record file @path into @c: each save
 * appends one, and a kill may leave one cut short. */
static int st_load_file(const char *path, struct st_ctr *c)
{
	_cleanup_free_ char *txt = NULL;
	char *line, *save = NULL;
	json_t *last = NULL;
	int rc;

	txt = file_read(path, 0, ST_FILE_MAX, NULL);
	if (!txt)
		return errno == ENOENT ? -ENOENT : -EINVAL;
	for (line = strtok_r(txt, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_error_t je;
		json_t *j = json_loads(line, 0, &je);

		if (j) {
			json_decref(last);
			last = j;
		}
	}
	if (!last)
		return -EINVAL;
	rc = st_ctr_from(last, c);
	json_decref(last);
	return rc;
}

int state_load(const char *root, const char *key, struct st_ctr *c)
{
	static const enum st_phase order[] = { ST_READY, ST_TEARDOWN, ST_SETUP };
	char path[4096];
	size_t i;
	int rc;

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		state_ctr_path(root, key, st_phase_sfx[order[i]], path, sizeof(path));
		rc = st_load_file(path, c);
		if (rc == -ENOENT)
			continue;
		if (!rc)
			c->phase = order[i];
		/* an intent cut short: the setup was killed before any change */
		return rc == -EINVAL && order[i] == ST_SETUP ? -ENOENT : rc;
	}
	return -ENOENT;
}

int state_remove(const char *root, const char *key)
{
	static const char *const sfx[] = { ".json", ".setup", ".teardown" };
	char path[4096];
	size_t i;
	int rc = 0;

	for (i = 0; i < ARRAY_SIZE(sfx); i++) {
		state_ctr_path(root, key, sfx[i], path, sizeof(path));
		if (unlink(path) && errno != ENOENT && !rc)
			rc = -errno;
	}
	return rc;
}

/* made_bridge of network @name's record (0 if there is none). */
static int st_net_made_bridge(const char *root, const char *name)
{
	char path[4400];
	json_error_t je;
	json_t *j;
	int made;

	snprintf(path, sizeof(path), "%s/net/%s.json", root, name);
	j = json_load_file(path, 0, &je);
	if (!j)
		return 0;
	made = json_is_true(json_object_get(j, "made_bridge"));
	json_decref(j);
	return made;
}

/* What st_dead_made_bridge_one() looks for, and found */
struct st_dead_bridge {
	const char *net;
	int made;
};

/* Whether the killed setup's record @name of @dir made @data's bridge. */
static int st_dead_made_bridge_one(const char *dir, const char *name, void *data)
{
	struct st_dead_bridge *d = data;
	struct st_ctr *c = malloc(sizeof(*c));
	char path[4400];
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (c && st_load_file(path, c) == 0)
		for (i = 0; i < c->natt; i++)
			if (!strcmp(c->att[i].net.name, d->net) && c->att[i].net.made_bridge)
				d->made = 1;
	free(c);
	return d->made;
}

/* Whether a killed setup (a KEY.setup record) made network @net's bridge. */
static int st_dead_made_bridge(const char *root, const char *net)
{
	struct st_dead_bridge d = { .net = net };
	char dir[4200];

	snprintf(dir, sizeof(dir), "%s/ctr", root);
	dir_each(dir, ".setup", st_dead_made_bridge_one, &d);
	return d.made;
}

/* Remove @name of @dir. */
static int st_unlink_one(const char *dir, const char *name, void *data)
{
	char path[4400];

	(void)data;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	return 0;
}

/* Remove an intent that does not parse: cut short by a kill, before any
 * change was made. */
static int st_unlink_cut_intent(const char *dir, const char *name, void *data)
{
	char path[4400];
	struct st_ctr *c = malloc(sizeof(*c));

	(void)data;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (c && st_load_file(path, c) == -EINVAL)
		unlink(path);
	free(c);
	return 0;
}

void state_remove_stale(const char *root)
{
	static const char *const sub[] = { "ctr", "net", "ports" };
	char dir[4200];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sub); i++) {
		snprintf(dir, sizeof(dir), "%s/%s", root, sub[i]);
		dir_each(dir, ".tmp", st_unlink_one, NULL);
	}
	snprintf(dir, sizeof(dir), "%s/ctr", root);
	dir_each(dir, ".setup", st_unlink_cut_intent, NULL);
}

int state_net_join(const char *root, struct bo_net *n, const char *key, int *first)
{
	char dir[4096], path[4400];
	int fd, rc, fresh = 0;
	json_t *j;

	/* the folder exists exactly while the network has members (the last
	 * to leave removes it): no listing, whatever the number of members */
	snprintf(dir, sizeof(dir), "%s/net/%s.d", root, n->name);
	if (mkdir(dir, 0700) == 0)
		*first = fresh = 1;
	else if (errno == EEXIST)
		*first = !rmdir(dir) && !mkdir(dir, 0700);	/* left empty by a crash */
	else
		return -errno;
	snprintf(path, sizeof(path), "%s/%s", dir, key);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	close(fd);
	snprintf(path, sizeof(path), "%s/net/%s.json", root, n->name);
	if (*first || access(path, F_OK)) {
		/* a first member killed before it wrote this may have made
		 * the bridge: its record (left by the kill) says so */
		if (!fresh && !n->made_bridge)
			n->made_bridge = st_dead_made_bridge(root, n->name);
		j = st_net_json(n);
		rc = st_write_json(path, j);
		json_decref(j);
		if (rc)
			return rc;
	} else {
		n->made_bridge = st_net_made_bridge(root, n->name);
	}
	return 0;
}

int state_net_leave(const char *root, const char *name, const char *key, int *last,
		    struct bo_net *def)
{
	char dir[4096], path[4400];

	snprintf(dir, sizeof(dir), "%s/net/%s.d", root, name);
	snprintf(path, sizeof(path), "%s/%s", dir, key);
	if (unlink(path) && errno != ENOENT)
		return -errno;
	/* rmdir succeeds only on an empty folder: the last member is gone */
	*last = !rmdir(dir) || errno == ENOENT;
	if (*last) {
		json_error_t je;
		json_t *j;

		snprintf(path, sizeof(path), "%s/net/%s.json", root, name);
		if (def && (j = json_load_file(path, 0, &je))) {
			st_net_from(j, def);
			json_decref(j);
		}
		if (unlink(path) && errno != ENOENT)
			return -errno;
		snprintf(path, sizeof(path), "%s/net/%s.json.tmp", root, name);
		unlink(path);
		/* leases are gone with the last member; drop the markers too */
		for (int i = 0; i < BO_MAX_SUBNETS; i++) {
			snprintf(path, sizeof(path), "%s/ipam/%s/.last%d", root, name, i);
			unlink(path);
		}
		snprintf(path, sizeof(path), "%s/ipam/%s", root, name);
		rmdir(path);
	}
	return 0;
}

/* What st_for_each_json() calls for each record */
struct st_json_walk {
	int (*cb)(json_t *j, void *data);
	void *data;
};

/* Load one record and hand it on; unreadable ones are skipped */
static int st_json_one(const char *dir, const char *name, void *data)
{
	struct st_json_walk *w = data;
	char path[4400];
	json_error_t je;
	json_t *j;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	j = json_load_file(path, 0, &je);
	if (!j)
		return 0;
	rc = w->cb(j, w->data);
	json_decref(j);
	return rc;
}

/* Iterate over *.json in ROOT/SUB. */
static int st_for_each_json(const char *root, const char *sub,
			    int (*cb)(json_t *j, void *data), void *data)
{
	struct st_json_walk w = { .cb = cb, .data = data };
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/%s", root, sub);
	return dir_each(dir, ".json", st_json_one, &w);
}

struct st_iter {
	int (*net_cb)(const struct bo_net *n, void *data);
	int (*ctr_cb)(const struct st_ctr *c, void *data);
	void *data;
	int count;
};

static int st_net_iter(json_t *j, void *data)
{
	struct st_iter *it = data;
	struct bo_net n;

	st_net_from(j, &n);
	it->count++;
	return it->net_cb ? it->net_cb(&n, it->data) : 0;
}

/* What st_ctr_one() calls back, for records of one phase */
struct st_ctr_walk {
	struct st_iter *it;
	enum st_phase phase;
};

/* One record file of ROOT/ctr; unreadable ones are skipped */
static int st_ctr_one(const char *dir, const char *name, void *data)
{
	struct st_ctr_walk *w = data;
	char path[4400];
	struct st_ctr *c;
	int rc = 0;

	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (st_load_file(path, c) == 0) {
		c->phase = w->phase;
		rc = w->it->ctr_cb(c, w->it->data);
	}
	free(c);
	return rc;
}

int state_net_count(const char *root)
{
	char dir[4096];
	int n;

	snprintf(dir, sizeof(dir), "%s/net", root);
	n = dir_count(dir, ".json");
	return n < 0 ? 0 : n;
}

int state_for_each_net(const char *root, int (*cb)(const struct bo_net *n, void *data),
		       void *data)
{
	struct st_iter it = { .net_cb = cb, .data = data };

	return st_for_each_json(root, "net", st_net_iter, &it);
}

int state_for_each_ctr(const char *root, int (*cb)(const struct st_ctr *c, void *data),
		       void *data)
{
	struct st_iter it = { .ctr_cb = cb, .data = data };
	struct st_ctr_walk w = { .it = &it };
	char dir[4096];
	int rc = 0;

	snprintf(dir, sizeof(dir), "%s/ctr", root);
	for (w.phase = ST_READY; !rc && w.phase <= ST_TEARDOWN; w.phase++)
		rc = dir_each(dir, st_phase_sfx[w.phase], st_ctr_one, &w);
	return rc;
}

/* What st_member_one() calls back */
struct st_member_walk {
	const char *root;
	int (*cb)(const struct st_ctr *c, void *data);
	void *data;
};

/* One member file of ROOT/net/NET.d: its name is the container's key */
static int st_member_one(const char *dir, const char *name, void *data)
{
	struct st_member_walk *w = data;
	struct st_ctr *c;
	int rc = 0;

	(void)dir;
	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	if (state_load(w->root, name, c) == 0)
		rc = w->cb(c, w->data);
	free(c);
	return rc;
}

int state_for_each_member(const char *root, const char *net,
			  int (*cb)(const struct st_ctr *c, void *data), void *data)
{
	struct st_member_walk w = { .root = root, .cb = cb, .data = data };
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/net/%s.d", root, net);
	return dir_each(dir, "", st_member_one, &w);
}

/* ROOT/ports/PROTO.PORT */
static void st_port_path(const char *root, int proto, unsigned port, char *buf, size_t len)
{
	snprintf(buf, len, "%s/ports/%s.%u", root, bo_proto_name(proto), port);
}

/* Whether host addresses @a and @b (as written in a port file) overlap:
 * "*" is every address, 0.0.0.0 and :: every address of their family */
static int st_port_overlap(const char *a, const char *b)
{
	int a6 = !!strchr(a, ':'), b6 = !!strchr(b, ':');

	if (!strcmp(a, "*") || !strcmp(b, "*") || !strcmp(a, b))
		return 1;
	return a6 == b6 && (!strcmp(a, "0.0.0.0") || !strcmp(a, "::") ||
			    !strcmp(b, "0.0.0.0") || !strcmp(b, "::"));
}

int state_port_claim(const char *root, const struct bo_port *p, const char *key,
		     char *who, size_t wholen, uint16_t *at)
{
	char path[4096], mine[ADDR_STRLEN];
	unsigned i;

	addr_format(&p->host_ip, mine, sizeof(mine));
	for (i = 0; i < p->range; i++) {
		_cleanup_free_ char *txt = NULL;
		char *line, *save = NULL;

		st_port_path(root, p->proto, p->host_port + i, path, sizeof(path));
		txt = file_read(path, 0, ST_FILE_MAX, NULL);
		if (!txt)
			continue;
		for (line = strtok_r(txt, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char ip[ADDR_STRLEN + 1], owner[BO_ID_MAX + 1];

			if (sscanf(line, "%46s %128s", ip, owner) != 2)
				continue;
			if (!strcmp(owner, key))
				continue;
			if (st_port_overlap(ip, mine)) {
				snprintf(who, wholen, "%s", owner);
				*at = (uint16_t)(p->host_port + i);
				return -EADDRINUSE;
			}
		}
	}
	for (i = 0; i < p->range; i++) {
		char line[ADDR_STRLEN + BO_ID_MAX + 4];
		int fd, n;

		st_port_path(root, p->proto, p->host_port + i, path, sizeof(path));
		fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (fd < 0)
			return -errno;
		n = snprintf(line, sizeof(line), "%s %s\n", mine, key);
		if (write(fd, line, (size_t)n) != n) {
			close(fd);
			return -EIO;
		}
		close(fd);
	}
	return 0;
}

/* Replace @path's content with @len bytes of @buf through a temporary file
 * and rename(): a kill leaves the old content or the new, never a part. */
static void st_replace_file(const char *path, const char *buf, size_t len)
{
	char tmp[4200];
	int fd, ok;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	ok = write(fd, buf, len) == (ssize_t)len;
	close(fd);
	if (!ok || rename(tmp, path))
		unlink(tmp);
}

int state_port_release(const char *root, const struct bo_port *p, const char *key)
{
	char path[4096], mine[ADDR_STRLEN];
	unsigned i;

	addr_format(&p->host_ip, mine, sizeof(mine));
	for (i = 0; i < p->range; i++) {
		_cleanup_free_ char *txt = NULL;
		char *line, *save = NULL, *out;
		size_t olen = 0;

		st_port_path(root, p->proto, p->host_port + i, path, sizeof(path));
		txt = file_read(path, 0, ST_FILE_MAX, NULL);
		if (!txt)
			continue;
		out = malloc(strlen(txt) + 1);
		if (!out)
			return -ENOMEM;
		for (line = strtok_r(txt, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char ip[ADDR_STRLEN + 1], owner[BO_ID_MAX + 1];

			if (sscanf(line, "%46s %128s", ip, owner) == 2 &&
			    !strcmp(owner, key) && !strcmp(ip, mine))
				continue;
			olen += (size_t)sprintf(out + olen, "%s\n", line);
		}
		if (!olen)
			unlink(path);
		else
			st_replace_file(path, out, olen);
		free(out);
	}
	return 0;
}
