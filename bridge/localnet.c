// SPDX-License-Identifier: GPL-2.0-or-later
/* localnet.c - route_localnet on a bridge, recorded and put back */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "localnet.h"
#include "netconf.h"

/* ROOT/localnet/BRIDGE into @buf; 0, or -ENAMETOOLONG */
static int ln_path(const char *root, const char *bridge, char *buf, size_t len)
{
	if ((size_t)snprintf(buf, len, "%s/localnet/%s", root, bridge) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* The sysctl's key under /proc/sys for @bridge. */
static void ln_key(const char *bridge, char *buf, size_t len)
{
	snprintf(buf, len, "net/ipv4/conf/%s/route_localnet", bridge);
}

/* Read the digit recorded in @path into @c; 0, or -errno */
static int ln_read(const char *path, char *c)
{
	char buf[8];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 1 || (buf[0] != '0' && buf[0] != '1'))
		return -EINVAL;
	*c = buf[0];
	return 0;
}

/* Write "@c\n" to @path through a temporary file and rename; 0, or -errno */
static int ln_write(const char *path, char c)
{
	char tmp[4200], line[2] = { c, '\n' };
	int fd, rc = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, line, sizeof(line)) != (ssize_t)sizeof(line) || fsync(fd))
		rc = errno ? -errno : -EIO;
	close(fd);
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}

int localnet_enable(const char *root, const char *bridge)
{
	char path[4096], key[128], was[8];
	int rc;

	if ((rc = ln_path(root, bridge, path, sizeof(path))))
		return rc;
	ln_key(bridge, key, sizeof(key));
	if (access(path, F_OK)) {
		char dir[4096];

		if ((rc = netconf_sysctl_get(key, was, sizeof(was))))
			return rc;
		if (strcmp(was, "0") && strcmp(was, "1"))
			return -EINVAL;
		snprintf(dir, sizeof(dir), "%s/localnet", root);
		if (mkdir(dir, 0700) && errno != EEXIST)
			return -errno;
		if ((rc = ln_write(path, was[0])))
			return rc;
	}
	return netconf_sysctl_set(key, "1");
}

int localnet_restore(const char *root, const char *bridge)
{
	char path[4096], key[128], was[2] = "0";
	int rc;

	if ((rc = ln_path(root, bridge, path, sizeof(path))))
		return rc;
	rc = ln_read(path, &was[0]);
	if (rc == -ENOENT)
		return 0;
	if (!rc) {
		ln_key(bridge, key, sizeof(key));
		rc = netconf_sysctl_set(key, was);
		if (rc == -ENOENT)
			rc = 0;		/* the bridge is gone, and its setting */
	}
	/* an unreadable record is dropped too: nothing better to put back */
	if (unlink(path) && errno != ENOENT && !rc)
		rc = -errno;
	return rc;
}

int localnet_recorded(const char *root, const char *bridge)
{
	char path[4096];

	return !ln_path(root, bridge, path, sizeof(path)) && !access(path, F_OK);
}
