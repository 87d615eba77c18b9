/* SPDX-License-Identifier: GPL-2.0-or-later
 * localnet.h - route_localnet on a bridge, put back as it was found.
 *
 * A forward from the host's 127.0.0.1 to a container needs the bridge's
 * net.ipv4.conf.BRIDGE.route_localnet at 1 (the kernel drops a loopback
 * source leaving by, and a loopback destination arriving on, any other
 * device).  The first value seen is kept in ROOT/localnet/BRIDGE before the
 * sysctl is changed, so that a bridge burrow-bridge did not create (virbr0,
 * lxcbr0, a CNI config naming an existing bridge) gets it back, also after a
 * kill -9 between the two steps.
 */
#ifndef BRIDGE_LOCALNET_H
#define BRIDGE_LOCALNET_H

/**
 * localnet_enable() - record @bridge's route_localnet (once), then set it to 1
 * @root:	state folder
 * @bridge:	bridge name
 *
 * Return: 0, or -errno (of the record or of the sysctl)
 */
int localnet_enable(const char *root, const char *bridge);

/**
 * localnet_restore() - write back the recorded value and drop the record
 * @root:	state folder
 * @bridge:	bridge name
 *
 * Nothing recorded: nothing to do.  A bridge already gone: the record goes.
 *
 * Return: 0, or -errno
 */
int localnet_restore(const char *root, const char *bridge);

/**
 * localnet_recorded() - whether @bridge has a record (burrow-bridge changed it)
 *
 * Return: 1 or 0
 */
int localnet_recorded(const char *root, const char *bridge);

#endif /* BRIDGE_LOCALNET_H */
