/* SPDX-License-Identifier: GPL-2.0-or-later
 * dir.h - walk the records of a state folder (one file per object)
 */
#ifndef BURROW_DIR_H
#define BURROW_DIR_H

/**
 * dir_each() - call @cb for each entry of @dir whose name ends in @suffix
 * @dir:	folder; one that does not exist has no entries
 * @suffix:	wanted ending, e.g. ".json" (the name must be longer than
 *		it), or "" for every entry
 * @cb:		called with @dir, the entry's name and @data; a non-zero
 *		return stops the walk
 * @data:	passed to @cb
 *
 * Names starting with '.' (".", "..", lock and temporary files) are skipped.
 *
 * Return: 0, the first non-zero value of @cb, or -errno if @dir cannot be
 *	   opened (not -ENOENT)
 */
int dir_each(const char *dir, const char *suffix,
	     int (*cb)(const char *dir, const char *name, void *data), void *data);

/**
 * dir_count() - the number of entries dir_each() would visit
 * @dir:	folder; one that does not exist has no entries
 * @suffix:	wanted ending, or "" for every entry
 *
 * Return: the count, or -errno if @dir cannot be opened (not -ENOENT)
 */
int dir_count(const char *dir, const char *suffix);

#endif /* BURROW_DIR_H */
