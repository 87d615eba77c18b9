/* SPDX-License-Identifier: GPL-2.0-or-later
 * name.h - the one rule for names: networks, container IDs and CNI types that
 * engines hand us, and the names users give containers, pods, networks and
 * namespaces; all of them end up as file names, command-line words, table
 * rows or journald fields
 */
#ifndef BURROW_NAME_H
#define BURROW_NAME_H

#include <stddef.h>

/* name_check() flags */
#define NAME_NOT_HEX	1	/* also refuse names made only of hex digits: they
				 * read as an ID or the start of one */

/**
 * name_valid() - whether @s is a safe object name
 * @s:		the name
 * @max:	size of the buffer it must fit in, with its NUL
 *
 * The rule of Podman/netavark network names and of CNI network names and
 * container IDs: an ASCII letter or digit, then letters, digits, '_', '.'
 * or '-'; 1 to @max - 1 bytes.  So a name is never an option ("-x"), a
 * hidden or relative path component ("." "..", ".x") nor holds a '/', a
 * blank or a newline.
 *
 * Return: 1 if valid, 0 if not
 */
int name_valid(const char *s, size_t max);

/**
 * name_ifname_valid() - whether @s is a usable network interface (link) name
 * @s:		the name (NULL: no)
 *
 * The kernel's rule (dev_valid_name(): 1 to IFNAMSIZ - 1 bytes, not "." or
 * "..", no '/', ':' or white space), made safer for messages, nftables sets
 * and file names: printable ASCII only (no control bytes, DEL or bytes
 * above 0x7f).  Interface names are not object names: "eth0.100", "br-x"
 * and "_x" are fine here.
 *
 * Return: 1 if valid, 0 if not
 */
int name_ifname_valid(const char *s);

/**
 * name_is_hex() - whether @s is made only of lowercase hex digits (0-9, a-f),
 *		   as container and pod IDs are (so it could be one, or the start
 *		   of one; IDs are looked up case-sensitively)
 * @s:		the name (NULL or "": no)
 *
 * Return: 1 if so, 0 if not
 */
int name_is_hex(const char *s);

/**
 * name_quote() - @s for a message: unprintable bytes, quotes and backslashes
 *		  escaped (\n, \xNN), cut at 64 bytes with "..."
 * @s:		the name as given (may be NULL)
 * @buf:	output, NUL-terminated
 * @len:	size of @buf (at least 8)
 *
 * Return: @buf
 */
const char *name_quote(const char *s, char *buf, size_t len);

/**
 * name_check() - name_valid() (and with NAME_NOT_HEX, !name_is_hex()), with
 *		  a message that names the rule
 * @what:	what is named, for the message ("container name")
 * @s:		the name
 * @max:	size of the buffer it must fit in, with its NUL
 * @flags:	0 or NAME_NOT_HEX
 * @err:	on failure, e.g. "container name '-rf' starts with '-': a name is
 *		1 to 63 characters, an ASCII letter or digit, then letters,
 *		digits, '_', '.' or '-'"
 * @errlen:	size of @err
 *
 * Return: 0 if valid, -EINVAL if not
 */
int name_check(const char *what, const char *s, size_t max, int flags,
	       char *err, size_t errlen);

#endif /* BURROW_NAME_H */
