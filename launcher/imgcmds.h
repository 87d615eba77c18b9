/* SPDX-License-Identifier: GPL-2.0-or-later
 * imgcmds.h - the image commands: pull, images, rmi, image prune.  Each
 * prints its own errors and returns the process exit code.
 */
#ifndef BURROW_LAUNCHER_IMGCMDS_H
#define BURROW_LAUNCHER_IMGCMDS_H

/**
 * cmd_pull() - pull @ref into the store and print its ID
 * @ref:	image reference
 * @tls_verify:	0: --tls-verify=false
 * @quiet:	-q: only the ID
 *
 * Return: exit code
 */
int cmd_pull(const char *ref, int tls_verify, int quiet);

/**
 * cmd_images() - list the store's images
 * @quiet:	-q: IDs only
 * @json:	--format json
 *
 * Return: exit code
 */
int cmd_images(int quiet, int json);

/**
 * cmd_rmi() - remove images by name or ID, and their layers no other image
 *	       or container uses
 * @refs:	NULL-terminated names or IDs
 * @force:	-f: also when a container uses it (its layers stay while it does)
 *
 * Return: exit code
 */
int cmd_rmi(char *const *refs, int force);

/**
 * cmd_image_prune() - remove blobs and layers no image nor container uses,
 *		       and leftovers of interrupted pulls
 *
 * Return: exit code
 */
int cmd_image_prune(void);

#endif /* BURROW_LAUNCHER_IMGCMDS_H */
