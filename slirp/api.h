/* SPDX-License-Identifier: GPL-2.0-or-later
 * api.h - the run-time API socket (slirp4netns's JSON protocol): one
 * request per connection, read until the client shuts down its write side,
 * one reply: add_hostfwd, list_hostfwd, remove_hostfwd
 */
#ifndef SLIRP_API_H
#define SLIRP_API_H

#include "ctx.h"
#include "json.h"

/* largest request accepted, bytes */
#define API_REQ_MAX	4095

/**
 * api_init() - create the listening unix socket @path, mode 0600, and
 * watch it (call after loop_init(), before the sandbox)
 * @c:		context
 * @path:	socket path; a stale socket there is replaced
 *
 * Return: 0, or -errno
 */
int api_init(struct ctx *c, const char *path);

/**
 * api_event() - accept connections on the API socket (non-blocking; a slow
 * client never stalls the loop)
 * @c:		context
 */
void api_event(struct ctx *c);

/**
 * api_client_event() - read a client's request or write its reply, as far
 * as it goes without blocking
 * @c:		context
 * @idx:	client slot from the epoll reference
 * @events:	EPOLL* bits
 */
void api_client_event(struct ctx *c, int idx, uint32_t events);

/**
 * api_timer() - answer clients whose request did not end in time with an
 * error, drop those that do not read their reply (call every timer tick)
 * @c:		context
 */
void api_timer(struct ctx *c);

/**
 * api_handle() - answer one request (the protocol without the socket)
 * @c:		context
 * @req:	request text, need not be NUL-terminated
 * @len:	its length
 *
 * Return: reply object (new reference, never NULL)
 */
json_t *api_handle(struct ctx *c, const char *req, size_t len);

/**
 * api_cleanup() - close the API socket
 */
void api_cleanup(void);

#endif /* SLIRP_API_H */
