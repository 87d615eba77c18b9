// SPDX-License-Identifier: GPL-2.0-or-later
/* api.c - the API socket: slirp4netns's add_hostfwd, list_hostfwd, remove_hostfwd */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "fwd.h"
#include "log.h"

#define API_TIMEOUT_MS	1000	/* a client gets this long to send its request */
#define API_BATCH	8
#define API_DISCARD_MAX	(256 << 10)	/* an oversized request is drained up to this */

static int api_fd = -1;

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
	r = fwd_add(c, &pf, errbuf, sizeof(errbuf));
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

	while ((pos = fwd_next(pos, &id, &pf)) > 0) {
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

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Read the request until end of file, bounded in size and time */
static json_t *api_serve(struct ctx *c, int fd)
{
	char buf[API_REQ_MAX + 1];
	uint64_t deadline = mono_ms() + API_TIMEOUT_MS;
	size_t len = 0, discarded = 0;

	for (;;) {
		uint64_t now = mono_ms(), left;
		struct timeval tv;
		ssize_t n;

		if (now >= deadline)
			return api_error("timeout: the request must end with a shutdown of "
					 "the write side within %d ms", API_TIMEOUT_MS);
		/* a blocking read bounded by a receive timeout (seccomp has no poll) */
		left = deadline - now;
		tv.tv_sec = (time_t)(left / 1000);
		tv.tv_usec = (suseconds_t)(left % 1000 * 1000);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n == 0 && discarded)	/* read it all so the client gets the reply */
			return api_error("request larger than %d bytes", API_REQ_MAX);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return api_error("read: %s", strerror(errno));
		}
		len += (size_t)n;
		if (len > API_REQ_MAX) {
			discarded += len;
			len = 0;
			if (discarded > API_DISCARD_MAX)
				return api_error("request larger than %d bytes", API_REQ_MAX);
		}
	}
	return api_handle(c, buf, len);
}

void api_event(struct ctx *c)
{
	int i;

	for (i = 0; i < API_BATCH && api_fd >= 0; i++) {
		struct timeval tv = { .tv_sec = 1 };
		int fd = accept4(api_fd, NULL, NULL, SOCK_CLOEXEC);
		json_t *reply;

		if (fd < 0)
			return;
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		reply = api_serve(c, fd);
		if (json_dump_fd(fd, reply) < 0)
			debug("API reply not delivered");
		json_decref(reply);
		close(fd);
	}
}

void api_cleanup(void)
{
	if (api_fd >= 0)
		close(api_fd);
	api_fd = -1;
}
