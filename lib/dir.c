// SPDX-License-Identifier: GPL-2.0-or-later
/* dir.c - walk the records of a state folder */

#include <dirent.h>
#include <errno.h>
#include <string.h>

#include "dir.h"

int dir_each(const char *dir, const char *suffix,
	     int (*cb)(const char *dir, const char *name, void *data), void *data)
{
	size_t slen = strlen(suffix);
	struct dirent *de;
	DIR *d;
	int rc = 0;

	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (!rc && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (de->d_name[0] == '.' || n <= slen || strcmp(de->d_name + n - slen, suffix))
			continue;
		rc = cb(dir, de->d_name, data);
	}
	closedir(d);
	return rc;
}

/* Count one entry */
static int dir_count_one(const char *dir, const char *name, void *data)
{
	(void)dir;
	(void)name;
	(*(int *)data)++;
	return 0;
}

int dir_count(const char *dir, const char *suffix)
{
	int n = 0, rc;

	rc = dir_each(dir, suffix, dir_count_one, &n);
	return rc < 0 ? rc : n;
}
