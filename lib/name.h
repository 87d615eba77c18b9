/* SPDX-License-Identifier: GPL-2.0-or-later
 * name.h - names that engines hand us (networks, container IDs, CNI types)
 * and that we then use as file names and command-line words
 */
#ifndef BURROW_NAME_H
#define BURROW_NAME_H

#include <stddef.h>

/**
 * name_valid() - whether @s is a safe object name
 * @s:		the name
 * @max:	size of the buffer it must fit in, with its NUL
 *
 * The rule of Podman/netavark network names and of CNI network names and
 * container IDs: an ASCII letter or digit, then letters, digits, '_', '.'
 * or '-'; 1 to @max - 1 bytes.  So a name is never an option ("-x"), a
 * hidden or relative path component ("." "..", ".x") nor holds a '/'.
 *
 * Return: 1 if valid, 0 if not
 */
int name_valid(const char *s, size_t max);

#endif /* BURROW_NAME_H */
