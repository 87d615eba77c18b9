// SPDX-License-Identifier: GPL-2.0-or-later
/* dnsrec.c - burrow-dns network records: parse, format, load, save */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "file.h"
#include "dnsrec.h"
#include "lock.h"
#include "name.h"
#include "statedir.h"

#define SUFFIX ".net"

int dnsrec_dir(char *buf, size_t len)
{
	const char *env = getenv("BURROW_DNS_DIR");
	int rc;

	if (env && *env) {
		if (env[0] != '/' || strlen(env) >= len)
			return -EINVAL;
		strcpy(buf, env);
		rc = mkdir_p(buf, 0700);
		return rc;
	}
	return statedir_path("dns", buf, len);
}

int dnsrec_lock(const char *dir, int exclusive)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/.lock", dir) >= sizeof(path))
		return -ENAMETOOLONG;
	return lock_acquire(path, exclusive, 1);
}

int dnsrec_valid_net(const char *s)
{
	return name_valid(s, DNSREC_NAME_MAX);
}

int dnsrec_valid_host(const char *s)
{
	size_t i, n = strnlen(s, DNSREC_HOST_MAX), label = 0;

	if (!n || n >= DNSREC_HOST_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (!label)
				return 0;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
		if (++label > 63)
			return 0;
	}
	return label > 0;
}

int dnsrec_init(struct dnsrec_net *n, const char *name)
{
	memset(n, 0, sizeof(*n));
	if (!dnsrec_valid_net(name))
		return -EINVAL;
	strcpy(n->name, name);
	strcpy(n->search, DNSREC_SEARCH);
	return 0;
}

void dnsrec_free(struct dnsrec_net *n)
{
	free(n->ctr);
	n->ctr = NULL;
	n->nctr = n->cap = 0;
}

/* errf() - format a parse error */
static int errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* next_word() - split the next space-separated word of @line in place */
static char *next_word(char **line)
{
	char *p = *line, *w;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return NULL;
	w = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p)
		*p++ = '\0';
	*line = p;
	return w;
}

/* parse_addrs() - a comma list of addresses of @family (0: any) into @out */
static int parse_addrs(char *s, int family, struct addr *out, size_t max, size_t *n)
{
	char *save = NULL, *tok;

	*n = 0;
	if (!strcmp(s, "-"))
		return 0;
	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct addr a;

		if (*n >= max || addr_parse(tok, &a) || (family && a.family != family))
			return -EINVAL;
		out[(*n)++] = a;
	}
	return 0;
}

/* parse_ctr() - the words after "ctr" */
static int parse_ctr(char *rest, struct dnsrec_ctr *c)
{
	char *id = next_word(&rest), *v4 = next_word(&rest), *v6 = next_word(&rest);
	char *names = next_word(&rest), *up = next_word(&rest), *save = NULL, *tok;

	memset(c, 0, sizeof(*c));
	if (!id || !v4 || !v6 || !names || next_word(&rest) ||
	    strlen(id) >= sizeof(c->id) || !strcmp(id, "-"))
		return -EINVAL;
	strcpy(c->id, id);
	if (parse_addrs(v4, AF_INET, c->ip4, DNSREC_MAX_IPS, &c->n4) ||
	    parse_addrs(v6, AF_INET6, c->ip6, DNSREC_MAX_IPS, &c->n6))
		return -EINVAL;
	if (up && parse_addrs(up, 0, c->upstream, DNSREC_MAX_UPSTREAM, &c->nup))
		return -EINVAL;
	if (strcmp(names, "-")) {
		for (tok = strtok_r(names, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (c->nnames >= DNSREC_MAX_NAMES || !dnsrec_valid_host(tok))
				return -EINVAL;
			strcpy(c->names[c->nnames++], tok);
		}
	}
	return 0;
}

/* parse_line() - one line of a network file */
static int parse_line(char *line, struct dnsrec_net *n, struct dnsrec_ctr *tmp)
{
	char *key = next_word(&line), *val;
	size_t cnt;

	if (!key || key[0] == '#')
		return 0;
	if (!strcmp(key, "ctr")) {
		if (parse_ctr(line, tmp))
			return -EINVAL;
		return dnsrec_ctr_put(n, tmp);
	}
	val = next_word(&line);
	if (!val || next_word(&line))
		return -EINVAL;
	if (!strcmp(key, "listen")) {
		if (n->nlisten >= DNSREC_MAX_LISTEN || cidr_parse(val, &n->listen[n->nlisten]))
			return -EINVAL;
		n->nlisten++;
	} else if (!strcmp(key, "internal")) {
		if (strcmp(val, "0") && strcmp(val, "1"))
			return -EINVAL;
		n->internal = val[0] == '1';
	} else if (!strcmp(key, "upstream")) {
		if (n->nup >= DNSREC_MAX_UPSTREAM ||
		    parse_addrs(val, 0, &n->upstream[n->nup], 1, &cnt) || cnt != 1)
			return -EINVAL;
		n->nup++;
	} else if (!strcmp(key, "search")) {
		if (!dnsrec_valid_host(val))
			return -EINVAL;
		strcpy(n->search, val);
	} else {
		return -EINVAL;
	}
	return 0;
}

int dnsrec_parse(const char *buf, size_t len, struct dnsrec_net *n, char *err, size_t errlen)
{
	_cleanup_free_ struct dnsrec_ctr *tmp = malloc(sizeof(*tmp));
	char line[DNSREC_MAX_NAMES * DNSREC_HOST_MAX + 1024];
	size_t pos = 0, lineno = 0;

	if (!tmp)
		return -ENOMEM;
	dnsrec_free(n);
	n->nlisten = n->nup = 0;
	n->internal = 0;
	strcpy(n->search, DNSREC_SEARCH);
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		int rc;

		lineno++;
		if (l >= sizeof(line) || memchr(buf + pos, '\0', l))
			return errf(err, errlen, "line %zu: too long or binary", lineno);
		memcpy(line, buf + pos, l);
		line[l] = '\0';
		pos += l + 1;
		rc = parse_line(line, n, tmp);
		if (rc == -ENOMEM)
			return rc;
		if (rc)
			return errf(err, errlen, "line %zu: malformed", lineno);
	}
	return 0;
}

/* put_addrs() - print a comma list of addresses, "-" if empty */
static void put_addrs(FILE *f, const struct addr *a, size_t n)
{
	char buf[ADDR_STRLEN];
	size_t i;

	if (!n)
		fputc('-', f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? "," : "", addr_format(&a[i], buf, sizeof(buf)));
}

char *dnsrec_format(const struct dnsrec_net *n, size_t *len)
{
	char *out = NULL, buf[CIDR_STRLEN];
	FILE *f = open_memstream(&out, len);
	size_t i, k;

	if (!f)
		return NULL;
	fprintf(f, "# burrow-dns network %s\n", n->name);
	for (i = 0; i < n->nlisten; i++)
		fprintf(f, "listen %s\n", cidr_format(&n->listen[i], buf, sizeof(buf)));
	fprintf(f, "internal %d\n", n->internal ? 1 : 0);
	for (i = 0; i < n->nup; i++)
		fprintf(f, "upstream %s\n", addr_format(&n->upstream[i], buf, sizeof(buf)));
	fprintf(f, "search %s\n", n->search);
	for (i = 0; i < n->nctr; i++) {
		const struct dnsrec_ctr *c = &n->ctr[i];

		fprintf(f, "ctr %s ", c->id);
		put_addrs(f, c->ip4, c->n4);
		fputc(' ', f);
		put_addrs(f, c->ip6, c->n6);
		fputc(' ', f);
		if (!c->nnames)
			fputc('-', f);
		for (k = 0; k < c->nnames; k++)
			fprintf(f, "%s%s", k ? "," : "", c->names[k]);
		fputc(' ', f);
		put_addrs(f, c->upstream, c->nup);
		fputc('\n', f);
	}
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}

int dnsrec_ctr_put(struct dnsrec_net *n, const struct dnsrec_ctr *c)
{
	size_t i;

	for (i = 0; i < n->nctr; i++) {
		if (!strcmp(n->ctr[i].id, c->id)) {
			n->ctr[i] = *c;
			return 0;
		}
	}
	if (n->nctr >= DNSREC_MAX_CTRS)
		return -ENOSPC;
	if (n->nctr == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 8;
		struct dnsrec_ctr *p = realloc(n->ctr, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		n->ctr = p;
		n->cap = cap;
	}
	n->ctr[n->nctr++] = *c;
	return 0;
}

int dnsrec_ctr_del(struct dnsrec_net *n, const char *id)
{
	size_t i;

	for (i = 0; i < n->nctr; i++) {
		if (!strcmp(n->ctr[i].id, id)) {
			memmove(&n->ctr[i], &n->ctr[i + 1], (n->nctr - i - 1) * sizeof(n->ctr[0]));
			n->nctr--;
			return 1;
		}
	}
	return 0;
}

/* net_path() - DIR/NAME.net */
static int net_path(char *buf, size_t len, const char *dir, const char *name)
{
	if (!dnsrec_valid_net(name))
		return -EINVAL;
	if ((size_t)snprintf(buf, len, "%s/%s" SUFFIX, dir, name) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int dnsrec_load(const char *dir, const char *name, struct dnsrec_net *n)
{
	char path[PATH_MAX];
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int rc = dnsrec_init(n, name);

	if (rc)
		return rc;
	if ((rc = net_path(path, sizeof(path), dir, name)))
		return rc;
	buf = file_read(path, O_NOFOLLOW, DNSREC_FILE_MAX, &len);
	if (!buf)
		return errno == EFBIG ? -EINVAL : -errno;
	rc = dnsrec_parse(buf, len, n, NULL, 0);
	if (rc)
		dnsrec_free(n);
	return rc;
}

int dnsrec_save(const char *dir, const struct dnsrec_net *n)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	_cleanup_free_ char *text = NULL;
	size_t len = 0, off = 0;
	int rc, fd;

	if ((rc = net_path(path, sizeof(path), dir, n->name)))
		return rc;
	if (!n->nctr) {
		if (unlink(path) && errno != ENOENT)
			return -errno;
		return 0;
	}
	text = dnsrec_format(n, &len);
	if (!text)
		return -ENOMEM;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = w < 0 ? -errno : -EIO;
			close(fd);
			unlink(tmp);
			return rc;
		}
		off += (size_t)w;
	}
	if (close(fd) || rename(tmp, path)) {
		rc = -errno;
		unlink(tmp);
		return rc;
	}
	return 0;
}

/* net_name_of() - the network name of a directory entry NAME.net, or NULL */
static const char *net_name_of(const char *file, char *buf, size_t len)
{
	size_t l = strlen(file), s = strlen(SUFFIX);

	if (l <= s || strcmp(file + l - s, SUFFIX) || l - s >= len)
		return NULL;
	memcpy(buf, file, l - s);
	buf[l - s] = '\0';
	return dnsrec_valid_net(buf) ? buf : NULL;
}

/* list_nets() - names of the network files of @dir, a heap array */
static int list_nets(const char *dir, char (**out)[DNSREC_NAME_MAX], size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char (*names)[DNSREC_NAME_MAX] = NULL;
	size_t cap = 0;

	*n = 0;
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char name[DNSREC_NAME_MAX];

		if (!net_name_of(e->d_name, name, sizeof(name)))
			continue;
		if (*n == cap) {
			void *p;

			cap = cap ? cap * 2 : 16;
			p = realloc(names, cap * sizeof(*names));
			if (!p) {
				free(names);
				closedir(d);
				return -ENOMEM;
			}
			names = p;
		}
		strcpy(names[(*n)++], name);
	}
	closedir(d);
	*out = names;
	return 0;
}

int dnsrec_remove_ctr(const char *dir, const char *id, int *left)
{
	char (*names)[DNSREC_NAME_MAX] = NULL;
	struct dnsrec_net n;
	size_t cnt, i;
	int rc, found = 0, remain = 0;

	rc = list_nets(dir, &names, &cnt);
	if (rc)
		return rc;
	for (i = 0; i < cnt; i++) {
		if (dnsrec_load(dir, names[i], &n)) {
			remain++;
			continue;
		}
		if (dnsrec_ctr_del(&n, id)) {
			found++;
			rc = dnsrec_save(dir, &n);
			if (rc) {
				dnsrec_free(&n);
				free(names);
				return rc;
			}
		}
		if (n.nctr)
			remain++;
		dnsrec_free(&n);
	}
	free(names);
	if (left)
		*left = remain;
	return found;
}

int dnsrec_for_each(const char *dir, int (*cb)(const struct dnsrec_net *n, void *data),
		    void *data)
{
	char (*names)[DNSREC_NAME_MAX] = NULL;
	struct dnsrec_net n;
	size_t cnt, i;
	int rc;

	rc = list_nets(dir, &names, &cnt);
	if (rc)
		return rc;
	for (i = 0; i < cnt && !rc; i++) {
		if (dnsrec_load(dir, names[i], &n))
			continue;
		rc = cb(&n, data);
		dnsrec_free(&n);
	}
	free(names);
	return rc;
}
