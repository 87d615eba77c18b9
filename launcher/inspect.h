/* SPDX-License-Identifier: GPL-2.0-or-later
 * inspect.h - a container's record in the shapes podman prints: `inspect`
 * ([{Id, Name, Created, State:{...}, Config:{...}, NetworkSettings:{...}}]),
 * `ps --format json`, and the fields a `ps --format` template sees
 * ({{.ID}}, {{.Names}}, {{.Status}}, ...).  Builds jansson objects from the
 * record and the files in the container's folder; prints nothing.
 */
#ifndef BURROW_LAUNCHER_INSPECT_H
#define BURROW_LAUNCHER_INSPECT_H

#include <stddef.h>

#include <jansson.h>

#include "state.h"

/**
 * inspect_container() - what `podman inspect` prints for one container
 * @c:		the record
 *
 * Field names and types are podman 4.3's (Id, Name, Created, Path, Args,
 * State.{Status, Running, Paused, Dead, Pid, ConmonPid, ExitCode, StartedAt,
 * FinishedAt}, Image, ImageName, Rootfs, OCIRuntime, Config.{Hostname, User,
 * Env, Cmd, Image, WorkingDir, Tty, OpenStdin, StopTimeout},
 * HostConfig.{NetworkMode, AutoRemove, Memory, NanoCpus, PidsLimit},
 * NetworkSettings.{IPAddress, Gateway, Ports}); burrow's own record is
 * under "Burrow".
 *
 * Return: a new object, or NULL on allocation failure
 */
json_t *inspect_container(const struct ctr *c);

/**
 * inspect_ps_entry() - one element of `ps --format json` (podman's
 *			ListContainer: Id, Names, Image, Command, State, ...)
 * @c:		the record
 *
 * Return: a new object, or NULL
 */
json_t *inspect_ps_entry(const struct ctr *c);

/**
 * inspect_ps_fields() - what a `ps --format` template sees: ID, Names,
 *			 Image, Command, Status ("Up 3 seconds ago"), State,
 *			 Ports ("0.0.0.0:8080->80/tcp"), Created, CreatedAt,
 *			 RunningFor, Networks, Pid, ExitCode, ...
 * @c:		the record
 *
 * Return: a new object, or NULL
 */
json_t *inspect_ps_fields(const struct ctr *c);

/**
 * inspect_ps_headers() - column titles of `ps --format "table ..."`
 *			  ({"ID": "CONTAINER ID", "Names": "NAMES", ...})
 *
 * Return: a new object, or NULL
 */
json_t *inspect_ps_headers(void);

/**
 * inspect_command_line() - the process.args of an OCI config, space separated
 * @cfg:	config.json
 * @buf:	output ("" when there are none)
 * @len:	size of @buf
 *
 * Return: 0, or -ENOENT when @cfg has no process.args
 */
int inspect_command_line(const json_t *cfg, char *buf, size_t len);

/**
 * inspect_go_time() - a time as Go's RFC 3339 with nanoseconds prints it
 *		       ("2026-12-06T07:40:00.5+01:00"); sec 0 is Go's zero time
 * @sec:	seconds since the epoch
 * @nsec:	nanoseconds
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: @buf
 */
const char *inspect_go_time(long long sec, long nsec, char *buf, size_t len);

/**
 * inspect_human_duration() - "Less than a second", "3 seconds",
 *			      "About a minute", "5 hours", "2 weeks" (go-units)
 * @secs:	the duration
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: @buf
 */
const char *inspect_human_duration(long long secs, char *buf, size_t len);

#endif /* BURROW_LAUNCHER_INSPECT_H */
