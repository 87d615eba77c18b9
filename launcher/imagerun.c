// SPDX-License-Identifier: GPL-2.0-or-later
/* imagerun.c - an image's config as the options of `burrow run` */
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "imagerun.h"
#include "layer.h"
#include "pull.h"

#pragma GCC diagnostic ignored "-Wformat-truncation"

#define ARGS_MAX 256

int imagerun_resolve(const struct imagerun_opts *o, const struct userns_maps *maps,
		     char *store, size_t storelen, struct image *img, char *err, size_t errlen)
{
	struct pull_opts po = { .tls_verify = !o->tls_no_verify, .maps = maps,
				.layer_note = o->layer_note };
	int r = image_store_dir(store, storelen);

	if (r < 0) {
		snprintf(err, errlen, "image store: %s", strerror(-r));
		return r;
	}
	if (o->pull != PULL_ALWAYS) {
		r = image_find(store, o->target, img);
		if (r == 0)	/* a crash may have left a layer out: unpack it again */
			return pull_repair_layers(store, img, &po, err, errlen);
		if (r == -ENOTUNIQ) {
			snprintf(err, errlen, "image '%s': more than one image ID starts so",
				 o->target);
			return r;
		}
		if (o->pull == PULL_NEVER) {
			snprintf(err, errlen, "image '%s' is not in the store (%s) and --pull=never "
				 "was given: burrow pull %s", o->target, store, o->target);
			return -ENOENT;
		}
	}
	return pull_image(o->target, &po, img, err, errlen);
}

/* "name" or "id" from the image's /etc/passwd (@field 2) or /etc/group; the
 * top layer that has the file wins */
static int lookup_id(const char *store, const struct image *img, const char *file,
		     const char *name, int field, unsigned *id)
{
	char path[PATH_MAX], line[1024];
	size_t i, nlen = strlen(name);

	for (i = img->nlayers; i-- > 0;) {
		FILE *f;
		int found = -ENOENT;

		if (!layer_path(store, img->layers[i], path, sizeof(path)))
			continue;
		strncat(path, file, sizeof(path) - strlen(path) - 1);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (found < 0 && fgets(line, sizeof(line), f)) {
			char *p;

			if (strncmp(line, name, nlen) || line[nlen] != ':')
				continue;
			p = strchr(line + nlen + 1, ':');
			if (p && field == 3)
				p = strchr(p + 1, ':');
			if (p) {
				*id = (unsigned)strtoul(p + 1, NULL, 10);
				found = 0;
			}
		}
		fclose(f);
		return found;
	}
	return -ENOENT;
}

static int numeric(const char *s, unsigned *v)
{
	char *end;
	unsigned long n;

	if (!s[0])
		return 0;
	n = strtoul(s, &end, 10);
	if (*end || n > 0xfffffffeUL)
		return 0;
	*v = (unsigned)n;
	return 1;
}

/* User: "uid", "name", "uid:gid", "name:group" */
static int apply_user(struct imagerun_opts *o, const char *store, const struct image *img,
		      const char *user, char *err, size_t errlen)
{
	char u[256], *g;

	snprintf(u, sizeof(u), "%s", user);
	g = strchr(u, ':');
	if (g)
		*g++ = '\0';
	if (!numeric(u, &o->uid) && lookup_id(store, img, "/etc/passwd", u, 2, &o->uid) < 0) {
		snprintf(err, errlen, "image user '%s': not in the image's /etc/passwd", u);
		return -ENOENT;
	}
	/* the primary group: the passwd entry's, else the same number */
	o->gid = o->uid;
	if (!g) {
		if (!numeric(u, &o->gid))
			lookup_id(store, img, "/etc/passwd", u, 3, &o->gid);
		return 0;
	}
	if (!numeric(g, &o->gid) && lookup_id(store, img, "/etc/group", g, 2, &o->gid) < 0) {
		snprintf(err, errlen, "image group '%s': not in the image's /etc/group", g);
		return -ENOENT;
	}
	return 0;
}

/* a free TCP or UDP port on the host, from the kernel's ephemeral range */
static int free_port(int udp)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0), port = -1;

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* -P: each ExposedPorts entry ("80/tcp") on a free host port */
static int apply_ports(struct imagerun_opts *o, json_t *exposed, char *err, size_t errlen)
{
	const char *key;
	json_t *v;

	json_object_foreach(exposed, key, v) {
		unsigned port;
		char num[16];
		const char *slash = strchr(key, '/');
		int udp = slash && !strcmp(slash + 1, "udp"), host;

		snprintf(num, sizeof(num), "%.*s", slash ? (int)(slash - key) : (int)strlen(key), key);
		if (!numeric(num, &port) || !port || port > 65535 ||
		    (slash && strcmp(slash + 1, "tcp") && !udp)) {
			snprintf(err, errlen, "-P: the image exposes '%s', not PORT[/tcp|/udp]", key);
			return -EINVAL;
		}
		if (o->nports >= IMAGERUN_MAX_PORTS) {
			snprintf(err, errlen, "-P: more than %d ports", IMAGERUN_MAX_PORTS);
			return -E2BIG;
		}
		host = free_port(udp);
		if (host < 0) {
			snprintf(err, errlen, "-P: no free host port: %s", strerror(-host));
			return host;
		}
		snprintf(o->port_specs[o->nports], sizeof(o->port_specs[0]), "%d:%u%s", host, port,
			 udp ? "/udp" : "");
		o->ports[o->nports] = o->port_specs[o->nports];
		o->nports++;
	}
	return 0;
}

/* append the strings of JSON array @a to @out (at most @max, NULL-terminated) */
static size_t add_strings(char **out, size_t n, size_t max, json_t *a)
{
	json_t *v;
	size_t i;

	json_array_foreach(a, i, v)
		if (json_is_string(v) && n + 1 < max)
			out[n++] = (char *)json_string_value(v);
	out[n] = NULL;
	return n;
}

int imagerun_apply(struct imagerun_opts *o, const char *store, const struct image *img,
		   char *err, size_t errlen)
{
	static char *args[ARGS_MAX];
	static json_t *cfg;	/* the strings stay referenced for the run */
	json_t *c;
	size_t n = 0, i, nenv = 0;
	const char *s;
	char *user_env[IMAGERUN_MAX_ENV];

	json_decref(cfg);
	cfg = image_load_config(store, img, err, errlen);
	if (!cfg)
		return -EBADMSG;
	c = json_object_get(cfg, "config");
	/* Entrypoint, then the command given or Cmd */
	n = add_strings(args, 0, ARGS_MAX, json_object_get(c, "Entrypoint"));
	if (o->args && o->args[0]) {
		for (i = 0; o->args[i] && n + 1 < ARGS_MAX; i++)
			args[n++] = o->args[i];
		args[n] = NULL;
	} else {
		n = add_strings(args, n, ARGS_MAX, json_object_get(c, "Cmd"));
	}
	if (n == 0) {
		snprintf(err, errlen, "image %s has no Entrypoint nor Cmd: give a command", img->name);
		return -EINVAL;
	}
	o->args = args;
	/* the image's Env first, the user's -e after (later wins) */
	memcpy(user_env, o->env, o->nenv * sizeof(char *));
	nenv = o->nenv;
	o->nenv = 0;
	{
		json_t *v;

		json_array_foreach(json_object_get(c, "Env"), i, v)
			if (json_is_string(v) && o->nenv < IMAGERUN_MAX_ENV - nenv)
				o->env[o->nenv++] = (char *)json_string_value(v);
	}
	for (i = 0; i < nenv && o->nenv < IMAGERUN_MAX_ENV; i++)
		o->env[o->nenv++] = user_env[i];
	s = json_string_value(json_object_get(c, "WorkingDir"));
	if (!o->workdir && s && s[0] == '/')
		o->workdir = s;
	s = json_string_value(json_object_get(c, "User"));
	if (!o->user_set && s && s[0] && apply_user(o, store, img, s, err, errlen) < 0)
		return -EINVAL;
	if (o->publish_all) {
		json_t *exposed = json_object_get(c, "ExposedPorts");

		if (!json_is_object(exposed) || !json_object_size(exposed)) {
			snprintf(err, errlen, "-P: image %s exposes no ports (ExposedPorts is empty)",
				 img->name);
			return -EINVAL;
		}
		return apply_ports(o, exposed, err, errlen);
	}
	return 0;
}
