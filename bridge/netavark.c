// SPDX-License-Identifier: GPL-2.0-or-later
/* netavark.c - netavark-compatible setup/teardown */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "dns.h"
#include "dnsrec.h"
#include "log.h"
#include "netavark.h"
#include "options.h"
#include "setup.h"

#define NV_MAX_INPUT (1u << 20)

char *read_all(int fd, size_t max, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);

	if (!buf)
		return NULL;
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *p;

			if (cap >= max) {
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			cap *= 2;
			p = realloc(buf, cap + 1);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

void nv_error(const char *msg)
{
	json_t *j = json_pack("{s:s}", "error", msg);
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;

	printf("%s\n", s ? s : "{\"error\":\"out of memory\"}");
	fflush(stdout);
	free(s);
	json_decref(j);
}

json_t *nv_status(const struct st_ctr *c)
{
	json_t *root = json_object();
	size_t i, k;

	for (i = 0; i < c->natt; i++) {
		const struct st_att *a = &c->att[i];
		json_t *subs = json_array(), *ifs = json_object(), *dns = json_array();
		json_t *search = json_array();
		char mac[MAC_STRLEN];

		for (k = 0; k < a->nips; k++) {
			char ip[CIDR_STRLEN], gw[ADDR_STRLEN];
			json_t *s = json_pack("{s:s}", "ipnet",
					      cidr_format(&a->ips[k], ip, sizeof(ip)));

			if (a->gws[k].family)
				json_object_set_new(s, "gateway",
						    json_string(addr_format(&a->gws[k], gw, sizeof(gw))));
			json_array_append_new(subs, s);
			/* burrow-dns listens on the gateways (bridge/dns.c) */
			if (a->net.dns && a->gws[k].family)
				json_array_append_new(dns, json_string(gw));
		}
		if (a->net.dns)
			json_array_append_new(search, json_string(DNSREC_SEARCH));
		json_object_set_new(ifs, a->net.ifname,
				    json_pack("{s:s,s:o}", "mac_address",
					      mac_format(a->mac, mac), "subnets", subs));
		json_object_set_new(root, a->net.name,
				    json_pack("{s:o,s:o,s:o}", "dns_search_domains", search,
					      "dns_server_ips", dns, "interfaces", ifs));
	}
	return root;
}

int nv_run(const char *root, const char *cmd, const char *netns, int in_fd)
{
	struct bo_options *o = calloc(1, sizeof(*o));
	struct st_ctr *c = calloc(1, sizeof(*c));
	char err[1024] = "";
	size_t len = 0;
	char *in = NULL;
	int rc = 1;

	if (!o || !c) {
		nv_error("out of memory");
		goto out;
	}
	in = read_all(in_fd, NV_MAX_INPUT, &len);
	if (!in) {
		snprintf(err, sizeof(err), "read options from stdin: %s", strerror(errno));
		nv_error(err);
		goto out;
	}
	if (bo_parse_netavark(in, len, o, err, sizeof(err))) {
		nv_error(err);
		goto out;
	}
	if (!strcmp(cmd, "setup")) {
		json_t *st;

		if (br_setup(root, o, netns, c, err, sizeof(err))) {
			nv_error(err);
			goto out;
		}
		if (dns_setup(in, len, o, c, err, sizeof(err))) {
			char e2[512];

			dns_teardown(o, e2, sizeof(e2));
			br_teardown(root, o->container_id, e2, sizeof(e2));
			nv_error(err);
			goto out;
		}
		st = nv_status(c);
		json_dumpf(st, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(st);
		rc = 0;
	} else {
		if (dns_teardown(o, err, sizeof(err)))
			warn("%s", err);
		if (br_teardown(root, o->container_id, err, sizeof(err))) {
			nv_error(err);
			goto out;
		}
		rc = 0;
	}
out:
	free(in);
	free(o);
	free(c);
	return rc;
}
