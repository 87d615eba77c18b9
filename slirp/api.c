// SPDX-License-Identifier: GPL-2.0-or-later
/* api.c - the API socket: slirp4netns's add_hostfwd, list_hostfwd, remove_hostfwd */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "api.h"
#include "fwd.h"
#include "log.h"

#define API_TIMEOUT_MS	1000	/* a client gets this long to send its request */
#define API_BATCH	8
#define API_CLIENTS	16	/* clients served at once */
#define API_REPLY_MAX	(64 << 10)
#define API_DISCARD_MAX	(256 << 10)	/* an oversized request is drained up to this */

/* One API connection: the request comes in, then the reply goes out,
 * never blocking the loop; a client gets API_TIMEOUT_MS for each half */
struct api_client {
	int fd;				/* -1: free */
	int writing;
	uint64_t deadline;		/* ms, loop clock */
	size_t len, discarded;
	size_t out_len, out_off;
	char in[API_REQ_MAX + 1];
	char out[API_REPLY_MAX];
};

static int api_fd = -1;
static int api_paused;			/* every client slot taken */
static struct api_client clients[API_CLIENTS];

int api_init(struct ctx *c, const char *path)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = EP_REF(EP_API, 0) };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int fd, e;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		err("--api-socket %s: path too long (%zu bytes at most)", path,
		    sizeof(sun.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	strcpy(sun.sun_path, path);
	if (!lstat(path, &st) && S_ISSOCK(st.st_mode))
		unlink(path);		/* left by an earlier run */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		e = -errno;
		err("socket(AF_UNIX): %s", strerror(-e));
		return e;
	}
	old = umask(0077);
	e = bind(fd, (struct sockaddr *)&sun, sizeof(sun)) ? -errno : 0;
	umask(old);
	if (e || chmod(path, 0600) || listen(fd, 16)) {
		e = e ? e : -errno;
		err("bind(%s): %s", path, strerror(-e));
		close(fd);
		return e;
	}
	if (epoll_ctl(c->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
		e = -errno;
		err("epoll_ctl(ADD, %s): %s", path, strerror(-e));
		close(fd);
		return e;
	}
	api_fd = fd;
	for (e = 0; e < API_CLIENTS; e++)
		clients[e].fd = -1;
	return 0;
}

static json_t *api_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static json_t *api_error(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return json_pack("{s:{s:s}}", "error", "desc", buf);
}

static json_t *api_add(struct ctx *c, json_t *args)
{
	const char *proto = "tcp", *host = "0.0.0.0", *guest = NULL;
	int64_t hport = 0, gport = 0;
	struct port_fwd pf = { .count = 1 };
	struct json_err je;
	char errbuf[256];
	struct addr ga;
	int r;

	if (!args)
		return api_error("add_hostfwd: missing arguments");
	if (json_get_str(args, "proto", "arguments", 0, &proto, &je) < 0 ||
	    json_get_str(args, "host_addr", "arguments", 0, &host, &je) < 0 ||
	    json_get_str(args, "guest_addr", "arguments", 0, &guest, &je) < 0 ||
	    json_get_int(args, "host_port", "arguments", 1, 1, 65535, &hport, &je) < 0 ||
	    json_get_int(args, "guest_port", "arguments", 1, 1, 65535, &gport, &je) < 0)
		return api_error("%s", je.msg);
	if (!strcmp(proto, "tcp"))
		pf.proto = IPPROTO_TCP;
	else if (!strcmp(proto, "udp"))
		pf.proto = IPPROTO_UDP;
	else
		return api_error("unsupported proto \"%s\" (tcp or udp)", proto);
	if (*host && addr_parse(host, &pf.host_addr))
		return api_error("invalid host_addr \"%s\"", host);
	if (guest && *guest) {
		if (addr_parse(guest, &ga) ||
		    !((ga.family == AF_INET && ga.v4.s_addr == c->conf.guest4.s_addr) ||
		      (ga.family == AF_INET6 && !memcmp(&ga.v6, &c->conf.guest6, 16))))
			return api_error("guest_addr \"%s\" is not the guest's address", guest);
	}
	pf.host_port = (uint16_t)hport;
	pf.guest_port = (uint16_t)gport;
	r = fwd_add(c, &pf, c->conf.splice > 0, errbuf, sizeof(errbuf));
	if (r < 0) {
		warn("add_hostfwd: %s", errbuf);
		return api_error("%s", errbuf);
	}
	return json_pack("{s:{s:i}}", "return", "id", r);
}

static json_t *api_list(void)
{
	json_t *entries = json_array();
	struct port_fwd pf;
	char buf[INET6_ADDRSTRLEN];
	int pos = 0, id;

	while ((pos = fwd_next(pos, &id, &pf, NULL)) > 0) {
		json_t *e = json_pack("{s:i,s:s,s:s,s:i,s:i}", "id", id,
				      "proto", pf.proto == IPPROTO_UDP ? "udp" : "tcp",
				      "host_addr", pf.host_addr.family ?
				      addr_format(&pf.host_addr, buf, sizeof(buf)) : "",
				      "host_port", pf.host_port, "guest_port", pf.guest_port);

		if (pf.count > 1)
			json_object_set_new(e, "count", json_integer(pf.count));
		json_array_append_new(entries, e);
	}
	return json_pack("{s:{s:o}}", "return", "entries", entries);
}

static json_t *api_remove(struct ctx *c, json_t *args)
{
	struct json_err je;
	int64_t id = 0;

	if (!args)
		return api_error("remove_hostfwd: missing arguments");
	if (json_get_int(args, "id", "arguments", 1, 1, 1 << 30, &id, &je) < 0)
		return api_error("%s", je.msg);
	if (fwd_remove(c, (int)id))
		return api_error("no forward with id %lld", (long long)id);
	return json_pack("{s:{}}", "return");
}

json_t *api_handle(struct ctx *c, const char *req, size_t len)
{
	struct json_err je;
	json_t *j, *args = NULL, *reply;
	const char *cmd;

	j = json_parse_buf(req, len, &je);
	if (!j)
		return api_error("invalid JSON: %s", je.msg);
	if (!json_is_object(j)) {
		reply = api_error("request must be a JSON object");
	} else if (json_get_str(j, "execute", "request", 1, &cmd, &je) < 0 ||
		   json_get_obj(j, "arguments", "request", 0, &args, &je) < 0) {
		reply = api_error("%s", je.msg);
	} else if (!strcmp(cmd, "add_hostfwd")) {
		reply = api_add(c, args);
	} else if (!strcmp(cmd, "list_hostfwd")) {
		reply = api_list();
	} else if (!strcmp(cmd, "remove_hostfwd")) {
		reply = api_remove(c, args);
	} else {
		reply = api_error("unknown command \"%s\"", cmd);
	}
	json_decref(j);
	return reply ? reply : api_error("out of memory");
}

/* Close client @i; the listener takes new clients again if it was full */
static void client_close(struct ctx *c, int i)
{
	struct api_client *k = &clients[i];

	if (k->fd < 0)
		return;
	epoll_ctl(c->epoll_fd, EPOLL_CTL_DEL, k->fd, NULL);
	close(k->fd);
	k->fd = -1;
	if (api_paused && api_fd >= 0) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = EP_REF(EP_API, 0) };

		if (!epoll_ctl(c->epoll_fd, EPOLL_CTL_MOD, api_fd, &ev))
			api_paused = 0;
	}
}

/* Write what is left of the reply; close when it is out or the client is gone */
static void client_write(struct ctx *c, int i)
{
	struct api_client *k = &clients[i];

	while (k->out_off < k->out_len) {
		ssize_t n = send(k->fd, k->out + k->out_off, k->out_len - k->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;		/* EPOLLOUT continues, bounded by the deadline */
		if (n <= 0) {
			debug("API reply not delivered: %s", n < 0 ? strerror(errno) : "closed");
			break;
		}
		k->out_off += (size_t)n;
	}
	client_close(c, i);
}

/* Turn @reply (taken over) into the client's output, one line, and send it */
static void client_reply(struct ctx *c, int i, json_t *reply)
{
	struct api_client *k = &clients[i];
	struct epoll_event ev = { .events = EPOLLOUT, .data.u64 = EP_REF(EP_API_CLIENT, i) };
	char *s = json_dumps(reply, JSON_COMPACT | JSON_ENCODE_ANY);
	size_t len = s ? strlen(s) : 0;

	json_decref(reply);
	if (!s || len + 1 > sizeof(k->out)) {
		free(s);
		s = json_dumps(reply = api_error("reply larger than %zu bytes", sizeof(k->out)),
			       JSON_COMPACT);
		json_decref(reply);
		len = s ? strlen(s) : 0;
	}
	if (s)
		memcpy(k->out, s, len);
	free(s);
	k->out[len] = '\n';
	k->out_len = len + 1;
	k->out_off = 0;
	k->writing = 1;
	k->deadline = c->now_ms + API_TIMEOUT_MS;
	epoll_ctl(c->epoll_fd, EPOLL_CTL_MOD, k->fd, &ev);
	client_write(c, i);
}

/* Read what the client has sent; answer once it shut down its write side */
static void client_read(struct ctx *c, int i)
{
	struct api_client *k = &clients[i];

	for (;;) {
		ssize_t n = recv(k->fd, k->in + k->len, sizeof(k->in) - k->len, MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;		/* the rest later; the deadline bounds the wait */
		if (n < 0) {
			client_close(c, i);
			return;
		}
		if (n == 0) {
			if (k->discarded)	/* read it all so the client gets the reply */
				client_reply(c, i, api_error("request larger than %d bytes",
							     API_REQ_MAX));
			else
				client_reply(c, i, api_handle(c, k->in, k->len));
			return;
		}
		k->len += (size_t)n;
		if (k->len > API_REQ_MAX) {
			k->discarded += k->len;
			k->len = 0;
			if (k->discarded > API_DISCARD_MAX) {
				client_reply(c, i, api_error("request larger than %d bytes",
							     API_REQ_MAX));
				return;
			}
		}
	}
}

void api_client_event(struct ctx *c, int idx, uint32_t events)
{
	if (idx < 0 || idx >= API_CLIENTS || clients[idx].fd < 0)
		return;
	if (clients[idx].writing)
		client_write(c, idx);
	else if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
		client_read(c, idx);
}

void api_timer(struct ctx *c)
{
	int i;

	if (api_fd < 0)
		return;
	for (i = 0; i < API_CLIENTS; i++) {
		struct api_client *k = &clients[i];

		if (k->fd < 0 || c->now_ms < k->deadline)
			continue;
		if (k->writing)
			client_close(c, i);	/* it does not read its reply */
		else
			client_reply(c, i, api_error("timeout: the request must end with a "
						     "shutdown of the write side within %d ms",
						     API_TIMEOUT_MS));
	}
}

void api_event(struct ctx *c)
{
	int i, slot = 0;

	for (i = 0; i < API_BATCH && api_fd >= 0; i++) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP };
		int fd;

		while (slot < API_CLIENTS && clients[slot].fd >= 0)
			slot++;
		if (slot == API_CLIENTS) {	/* full: new clients wait in the backlog */
			ev.events = 0;
			ev.data.u64 = EP_REF(EP_API, 0);
			if (!epoll_ctl(c->epoll_fd, EPOLL_CTL_MOD, api_fd, &ev))
				api_paused = 1;
			return;
		}
		fd = accept4(api_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		ev.data.u64 = EP_REF(EP_API_CLIENT, slot);
		if (epoll_ctl(c->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
			warn("epoll_ctl(ADD, API client): %s", strerror(errno));
			close(fd);
			return;
		}
		clients[slot].fd = fd;
		clients[slot].len = clients[slot].discarded = 0;
		clients[slot].writing = 0;
		clients[slot].deadline = c->now_ms + API_TIMEOUT_MS;
		client_read(c, slot);
	}
}

void api_cleanup(void)
{
	int i;

	if (api_fd < 0)
		return;
	for (i = 0; i < API_CLIENTS; i++) {
		if (clients[i].fd >= 0)
			close(clients[i].fd);
		clients[i].fd = -1;
	}
	if (api_fd >= 0)
		close(api_fd);
	api_fd = -1;
}
