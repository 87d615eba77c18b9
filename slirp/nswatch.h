/* SPDX-License-Identifier: GPL-2.0-or-later
 * nswatch.h - leave when the target namespace's file is removed (pasta's
 * behaviour: an engine that deletes the namespace expects its helper to go)
 */
#ifndef SLIRP_NSWATCH_H
#define SLIRP_NSWATCH_H

#include "ctx.h"

/**
 * nswatch_init() - watch the folder holding @path for its removal
 * @path:	namespace file (a bind mount such as /run/user/1000/netns/x)
 *
 * Must run before the sandbox hides the filesystem: the watch is set by path.
 *
 * Return: an inotify descriptor for the event loop, or -errno (-ENOENT if
 * @path is already gone)
 */
int nswatch_init(const char *path);

/**
 * nswatch_event() - read the pending events of the watch descriptor
 * @fd:		descriptor from nswatch_init()
 *
 * Return: 1 when the namespace file was removed, renamed away or its folder
 * went, else 0
 */
int nswatch_event(int fd);

#endif /* SLIRP_NSWATCH_H */
