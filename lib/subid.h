/* SPDX-License-Identifier: GPL-2.0-or-later
 * subid.h - subordinate ID ranges from /etc/subuid and /etc/subgid
 *
 * Lines are NAME_OR_UID:START:COUNT; a user may own several lines, matched by
 * login name or by numeric UID (both files are keyed by the user, never by a
 * group).  '#' starts a comment line; blank lines are ignored.
 *
 * Policy for malformed lines: a bad line that belongs to the user asked for
 * (or that cannot be attributed to anyone, e.g. no ':' at all) is an error
 * reported as "FILE:LINE: reason"; a bad line of another user is skipped and
 * counted, so one user's typo does not lock everybody out.  Overlapping
 * ranges of the user asked for are an error (the kernel refuses them).
 */
#ifndef BURROW_SUBID_H
#define BURROW_SUBID_H

#include <stddef.h>
#include <sys/types.h>

#define SUBID_MAX_RANGES 340	/* a user namespace map holds at most 340 lines */
#define SUBID_ID_MAX 4294967294UL	/* (uid_t)-1 is never a valid ID */

struct subid_range {
	unsigned long start, count;
	unsigned line;		/* line number in the file, for messages */
};

struct subid_ranges {
	struct subid_range r[SUBID_MAX_RANGES];
	size_t n;
	unsigned skipped;	/* malformed lines of other users, ignored */
	unsigned first_skipped;	/* line number of the first of those, or 0 */
};

/**
 * subid_parse() - collect the ranges of one user from a subuid/subgid text
 * @buf:	file contents (need not be NUL-terminated)
 * @len:	length of @buf
 * @file:	file name used in messages ("/etc/subuid")
 * @name:	login name to match, or NULL to match by @id only
 * @id:		numeric UID to match
 * @out:	result: ranges in file order
 * @err:	"FILE:LINE: reason" on failure
 * @errlen:	size of @err
 *
 * Return: number of ranges found (0 if none), or -EINVAL for a malformed
 * line of this user or overlapping ranges, -E2BIG for more than
 * SUBID_MAX_RANGES ranges
 */
int subid_parse(const char *buf, size_t len, const char *file,
		const char *name, unsigned long id, struct subid_ranges *out,
		char *err, size_t errlen);

/**
 * subid_read() - read @path and collect the ranges of one user
 * @path:	/etc/subuid or /etc/subgid
 * @name:	login name, or NULL
 * @id:		numeric UID
 * @out:	result
 * @err:	reason on failure ("open(/etc/subuid): Permission denied", or
 *		one from subid_parse())
 * @errlen:	size of @err
 *
 * A missing file is not an error: it holds no ranges.
 *
 * Return: number of ranges found, or -errno
 */
int subid_read(const char *path, const char *name, unsigned long id,
	       struct subid_ranges *out, char *err, size_t errlen);

/**
 * subid_parse_number() - parse a decimal ID or count, digits only
 * @s:		start of the text
 * @len:	its length
 * @out:	result
 *
 * Return: 0, -EINVAL if empty or not all digits, -ERANGE above SUBID_ID_MAX + 1
 */
int subid_parse_number(const char *s, size_t len, unsigned long *out);

#endif /* BURROW_SUBID_H */
