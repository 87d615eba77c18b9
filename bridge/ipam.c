// SPDX-License-Identifier: GPL-2.0-or-later
/* ipam.c - file-per-address leases */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "file.h"
#include "addr.h"
#include "dir.h"
#include "ipam.h"

#define IPAM_MAX_SCAN 65536

/* ROOT/ipam/NET, created on demand. */
static int ipam_dir(const char *root, const char *net, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/ipam", root);

	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	if (mkdir(buf, 0700) && errno != EEXIST)
		return -errno;
	n = snprintf(buf, len, "%s/ipam/%s", root, net);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	if (mkdir(buf, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

/* Read the owner of a lease file into @buf. */
static int ipam_owner(const char *path, char *buf, size_t len)
{
	long n = file_read_text(path, buf, len);

	if (n < 0)
		return (int)n;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Create the lease file for @a; -EEXIST if someone has it. */
static int ipam_take(const char *dir, const char *owner, const struct addr *a)
{
	char path[4096], txt[ADDR_STRLEN];
	_cleanup_close_ int fd = -1;
	size_t len = strlen(owner);

	snprintf(path, sizeof(path), "%s/%s", dir, addr_format(a, txt, sizeof(txt)));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, owner, len) != (ssize_t)len) {
		int rc = errno ? -errno : -EIO;

		unlink(path);
		return rc;
	}
	return 0;
}

int ipam_reserve(const char *root, const char *net, const char *owner,
		 const struct addr *a)
{
	char dir[4096], path[4200], txt[ADDR_STRLEN], who[256];
	int rc = ipam_dir(root, net, dir, sizeof(dir));

	if (rc)
		return rc;
	rc = ipam_take(dir, owner, a);
	if (rc != -EEXIST)
		return rc;
	snprintf(path, sizeof(path), "%s/%s", dir, addr_format(a, txt, sizeof(txt)));
	rc = ipam_owner(path, who, sizeof(who));
	if (rc)
		return rc;
	return strcmp(who, owner) ? -EADDRINUSE : 0;
}

/* Load / store the per-subnet "last given offset" marker. */
static uint64_t ipam_last(const char *dir, unsigned idx)
{
	char path[4200], buf[32];

	snprintf(path, sizeof(path), "%s/.last%u", dir, idx);
	if (file_read_text(path, buf, sizeof(buf)) <= 0)
		return 0;
	return strtoull(buf, NULL, 10);
}

static void ipam_set_last(const char *dir, unsigned idx, uint64_t off)
{
	char path[4200], buf[32];
	_cleanup_close_ int fd = -1;
	int n;

	snprintf(path, sizeof(path), "%s/.last%u", dir, idx);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "%llu", (unsigned long long)off);
	if (write(fd, buf, (size_t)n) != n)
		return;
}

int ipam_next(const char *root, const char *net, const char *owner,
	      const struct bo_subnet *s, unsigned idx, struct addr *out)
{
	uint64_t first = 1, last, size = cidr_size(&s->net), off, i, span, gw = UINT64_MAX;
	char dir[4096];
	int rc = ipam_dir(root, net, dir, sizeof(dir));

	if (rc)
		return rc;
	/* IPv4: skip network and broadcast; IPv6: skip the subnet-router anycast (0) */
	last = s->net.addr.family == AF_INET ? size - 2 : size - 1;
	if (s->start.family && cidr_offset(&s->net, &s->start, &off) == 0 && off > first)
		first = off;
	if (s->end.family && cidr_offset(&s->net, &s->end, &off) == 0 && off < last)
		last = off;
	if (first > last)
		return -ENOSPC;
	if (s->gw.family)
		cidr_offset(&s->net, &s->gw, &gw);
	span = last - first + 1;
	off = ipam_last(dir, idx);
	if (off < first || off > last)
		off = last;	/* so that the first candidate is @first */
	for (i = 0; i < span && i < IPAM_MAX_SCAN; i++) {
		off = off >= last ? first : off + 1;
		if (off == gw)
			continue;
		if (cidr_nth(&s->net, off, out))
			return -ERANGE;
		rc = ipam_take(dir, owner, out);
		if (rc == -EEXIST)
			continue;
		if (rc)
			return rc;
		ipam_set_last(dir, idx, off);
		return 0;
	}
	return -ENOSPC;
}

int ipam_release(const char *root, const char *net, const char *owner,
		 const struct addr *a)
{
	char path[4200], txt[ADDR_STRLEN], who[256];
	int rc;

	snprintf(path, sizeof(path), "%s/ipam/%s/%s", root, net, addr_format(a, txt, sizeof(txt)));
	rc = ipam_owner(path, who, sizeof(who));
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	if (strcmp(who, owner))
		return 0;
	if (unlink(path) && errno != ENOENT)
		return -errno;
	return 0;
}

/* Remove lease @name of @dir if it is the owner's (in @data) or empty. */
static int ipam_drop_if_owned(const char *dir, const char *name, void *data)
{
	char path[4400], who[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (ipam_owner(path, who, sizeof(who)))
		return 0;
	if (!*who || !strcmp(who, data))
		unlink(path);
	return 0;
}

int ipam_release_owner(const char *root, const char *net, const char *owner)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/ipam/%s", root, net);
	return dir_each(dir, "", ipam_drop_if_owned, (void *)owner);
}

int ipam_count(const char *root, const char *net)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/ipam/%s", root, net);
	return dir_count(dir, "");
}
