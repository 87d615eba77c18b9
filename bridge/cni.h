/* SPDX-License-Identifier: GPL-2.0-or-later
 * cni.h - the CNI 1.x plugin face: CNI_* environment, network config on
 * stdin, result or error JSON on stdout
 */
#ifndef BRIDGE_CNI_H
#define BRIDGE_CNI_H

/**
 * cni_main() - run the command named by $CNI_COMMAND
 * @argv0:	program path (for messages)
 *
 * Return: process exit status
 */
int cni_main(const char *argv0);

#endif /* BRIDGE_CNI_H */
