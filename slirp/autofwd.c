// SPDX-License-Identifier: GPL-2.0-or-later
/* autofwd.c - pasta's "auto" port forwarding: follow listening sockets */

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "autofwd.h"
#include "fwd.h"
#include "log.h"
#include "portspec.h"

/* per protocol (0 TCP, 1 UDP): ports seen listening in this scan, and the
 * forwards made for them */
static uint8_t seen[2][65536 / 8];
static struct { uint16_t port; int id; } autos[2][AUTOFWD_MAX];
static int nautos[2];
static char buf[16384];

static int bit(const uint8_t *map, uint16_t p) { return map[p >> 3] & (1u << (p & 7)); }
static void bit_set(uint8_t *map, uint16_t p) { map[p >> 3] |= (uint8_t)(1u << (p & 7)); }

int autofwd_parse_socket(const char *line, unsigned want_state, uint16_t *port, int *loopback)
{
	char local[64];
	unsigned state, p;
	const char *colon;
	size_t alen;

	if (sscanf(line, " %*u: %63s %*s %x", local, &state) != 2 || state != want_state)
		return 0;
	colon = strchr(local, ':');
	if (!colon || sscanf(colon + 1, "%4x", &p) != 1 || !p || p > 65535)
		return 0;
	alen = (size_t)(colon - local);
	if (alen == 8) {		/* IPv4, the kernel's word in hex: 127/8 is 7F in the low byte */
		unsigned a;

		if (sscanf(local, "%8x", &a) != 1)
			return 0;
		*loopback = (a & 0xff) == 0x7f;
	} else if (alen == 32) {	/* IPv6 as four words: ::1 and ::ffff:127/104 */
		*loopback = !strncmp(local, "00000000000000000000000001000000", 32) ||
			    (!strncmp(local, "0000000000000000FFFF0000", 24) &&
			     !strncmp(local + 30, "7F", 2));
	} else {
		return 0;
	}
	*port = (uint16_t)p;
	return 1;
}

int autofwd_parse_line(const char *line, unsigned want_state, uint16_t *port)
{
	int loopback;

	return autofwd_parse_socket(line, want_state, port, &loopback) && !loopback;
}

void autofwd_read_ports(int fd, unsigned want_state, int with_loopback, uint8_t *map)
{
	size_t have = 0;
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return;
	while ((n = read(fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		char *line = buf, *nl;
		uint16_t port;
		int lo;

		have += (size_t)n;
		buf[have] = '\0';
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			if (autofwd_parse_socket(line, want_state, &port, &lo) &&
			    (with_loopback || !lo))
				bit_set(map, port);
			line = nl + 1;
		}
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
		if (have == sizeof(buf) - 1)
			have = 0;	/* no line is that long: drop it */
	}
}

/* Whether @port of @proto is already forwarded by hand (-t/-u/API) */
static int forwarded_by_hand(int proto, uint16_t port, int pi)
{
	struct port_fwd pf;
	int pos = 0, id, i;

	while ((pos = fwd_next(pos, &id, &pf, NULL))) {
		if (pf.proto != proto || port < pf.host_port || port >= pf.host_port + pf.count)
			continue;
		for (i = 0; i < nautos[pi]; i++)
			if (autos[pi][i].id == id)
				break;
		if (i == nautos[pi])
			return 1;
	}
	return 0;
}

/* Follow one protocol: forward new listeners, drop forwards of gone ones */
static void follow(struct ctx *c, int pi)
{
	int proto = pi ? IPPROTO_UDP : IPPROTO_TCP;
	unsigned state = pi ? 0x07 : 0x0A;
	int i, p, f4 = pi ? PROC_NET_UDP : PROC_NET_TCP;

	memset(seen[pi], 0, sizeof(seen[pi]));
	if (c->proc_net[f4] >= 0)
		autofwd_read_ports(c->proc_net[f4], state, 0, seen[pi]);
	if (c->proc_net[f4 + 1] >= 0)
		autofwd_read_ports(c->proc_net[f4 + 1], state, 0, seen[pi]);
	for (i = 0; i < nautos[pi]; i++) {
		if (bit(seen[pi], autos[pi][i].port))
			continue;
		debug("auto forward of %s port %u: the namespace stopped listening",
		      pi ? "UDP" : "TCP", autos[pi][i].port);
		fwd_remove(c, autos[pi][i].id);
		autos[pi][i--] = autos[pi][--nautos[pi]];
	}
	for (p = 1; p < 65536; p++) {
		struct port_fwd pf = { .proto = proto, .host_port = (uint16_t)p,
				       .guest_port = (uint16_t)p, .count = 1 };
		char e[256];
		int id, known = 0;

		if (!bit(seen[pi], (uint16_t)p))
			continue;
		for (i = 0; i < nautos[pi] && !known; i++)
			known = autos[pi][i].port == p;
		if (known || forwarded_by_hand(proto, (uint16_t)p, pi))
			continue;
		if (nautos[pi] == AUTOFWD_MAX) {
			warn("-%c auto: %d ports forwarded already; port %d is not", pi ? 'u' : 't',
			     AUTOFWD_MAX, p);
			return;
		}
		id = fwd_add(c, &pf, c->conf.splice, e, sizeof(e));
		if (id < 0) {
			debug("auto forward not set up: %s", e);	/* tried again next scan */
			continue;
		}
		autos[pi][nautos[pi]].port = (uint16_t)p;
		autos[pi][nautos[pi]++].id = id;
	}
}

void autofwd_scan(struct ctx *c)
{
	if (c->conf.auto_tcp)
		follow(c, 0);
	if (c->conf.auto_udp)
		follow(c, 1);
}
