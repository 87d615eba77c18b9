// SPDX-License-Identifier: GPL-2.0-or-later
/* dnsq.c - send one DNS query over UDP or TCP and print the answers
 *
 *	dnsq [-t] [-l] [-p PORT] [-T TYPE] [-O OPCODE] SERVER NAME
 *	dnsq [-t] [-p PORT] -x HEX SERVER        (send raw bytes as the query)
 *
 * Prints each A/AAAA address of the answer on its own line (nothing for an
 * empty answer) and exits 0; for a non-zero RCODE prints its name (NXDOMAIN,
 * FORMERR, NOTIMP, ...) and exits 2; a truncated UDP answer prints TRUNCATED
 * and exits 3; errors exit 1.  -l adds each record's TTL after its address
 * ("203.0.113.1 59").  For tests only: talks to the given server.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "cleanup.h"
#include "dnsquery.h"

#define MSG_MAX 65535

/* Skip a possibly compressed name at @off; return the offset after it, or 0 */
static size_t skip_name(const uint8_t *m, size_t len, size_t off)
{
	while (off < len) {
		uint8_t l = m[off];

		if (!l)
			return off + 1;
		if ((l & 0xc0) == 0xc0)
			return off + 2 <= len ? off + 2 : 0;
		if (l & 0xc0)
			return 0;
		off += 1u + l;
	}
	return 0;
}

/* Print the answers of reply @m; return the exit status */
static int print_reply(const uint8_t *m, size_t len, uint16_t id, int check_id, int ttls)
{
	static const char *const rcodes[] = { "NOERROR", "FORMERR", "SERVFAIL",
		"NXDOMAIN", "NOTIMP", "REFUSED" };
	unsigned qd, an, rcode, i;
	size_t off = 12;

	if (len < 12 || !(m[2] & 0x80) || (check_id && (m[0] << 8 | m[1]) != id)) {
		fprintf(stderr, "dnsq: malformed reply or wrong id\n");
		return 1;
	}
	rcode = m[3] & 0xf;
	if (rcode) {
		if (rcode < sizeof(rcodes) / sizeof(rcodes[0]))
			printf("%s\n", rcodes[rcode]);
		else
			printf("RCODE%u\n", rcode);
		return 2;
	}
	if (m[2] & 0x02) {
		printf("TRUNCATED\n");
		return 3;
	}
	qd = (unsigned)m[4] << 8 | m[5];
	an = (unsigned)m[6] << 8 | m[7];
	for (i = 0; i < qd; i++) {
		off = skip_name(m, len, off);
		if (!off || (off += 4) > len)
			goto bad;
	}
	for (i = 0; i < an; i++) {
		unsigned type, rdlen;
		unsigned long ttl;
		char buf[ADDR_STRLEN];
		struct addr a = { 0 };

		off = skip_name(m, len, off);
		if (!off || off + 10 > len)
			goto bad;
		type = (unsigned)m[off] << 8 | m[off + 1];
		ttl = (unsigned long)m[off + 4] << 24 | (unsigned long)m[off + 5] << 16 |
		      (unsigned long)m[off + 6] << 8 | m[off + 7];
		rdlen = (unsigned)m[off + 8] << 8 | m[off + 9];
		off += 10;
		if (off + rdlen > len)
			goto bad;
		if (type == 1 && rdlen == 4) {
			a.family = AF_INET;
			memcpy(&a.v4, m + off, 4);
		} else if (type == 28 && rdlen == 16) {
			a.family = AF_INET6;
			memcpy(&a.v6, m + off, 16);
		}
		if (a.family && ttls)
			printf("%s %lu\n", addr_format(&a, buf, sizeof(buf)), ttl);
		else if (a.family)
			printf("%s\n", addr_format(&a, buf, sizeof(buf)));
		off += rdlen;
	}
	return 0;
bad:
	fprintf(stderr, "dnsq: malformed answer section\n");
	return 1;
}

/* Read exactly @len bytes from a stream */
static int read_full(int fd, uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = read(fd, buf, len);

		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Send @q over TCP and read the reply into @r; return its length or -1 */
static ssize_t ask_tcp(int fd, const uint8_t *q, size_t qlen, uint8_t *r)
{
	uint8_t hdr[2] = { (uint8_t)(qlen >> 8), (uint8_t)qlen };
	size_t rlen;

	if (write(fd, hdr, 2) != 2 || write(fd, q, qlen) != (ssize_t)qlen ||
	    read_full(fd, hdr, 2))
		return -1;
	rlen = (size_t)hdr[0] << 8 | hdr[1];
	return read_full(fd, r, rlen) ? -1 : (ssize_t)rlen;
}

/* Send @q over UDP up to 3 times, 2 s apart, until a reply arrives */
static ssize_t ask_udp(int fd, const uint8_t *q, size_t qlen, uint8_t *r)
{
	int i;

	for (i = 0; i < 3; i++) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (send(fd, q, qlen, 0) < 0)
			return -1;
		if (poll(&pfd, 1, 2000) == 1)
			return recv(fd, r, MSG_MAX, 0);
	}
	errno = ETIMEDOUT;
	return -1;
}

/* Parse hex text into @out; return the byte count or 0 */
static size_t parse_hex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	unsigned v;

	while (s[0] && s[1] && n < max && sscanf(s, "%2x", &v) == 1) {
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return *s ? 0 : n;
}

int main(int argc, char **argv)
{
	static uint8_t q[MSG_MAX], r[MSG_MAX];
	struct timeval tv = { .tv_sec = 5 };
	struct sockaddr_storage ss;
	socklen_t sl;
	_cleanup_close_ int fd = -1;
	unsigned long port = 53, type = 1, opcode = 0;
	const char *hex = NULL;
	struct addr server;
	int c, tcp = 0, ttls = 0;
	uint16_t id;
	size_t qlen;
	ssize_t rlen;

	while ((c = getopt(argc, argv, "tlp:T:O:x:h")) != -1) {
		switch (c) {
		case 't': tcp = 1; break;
		case 'l': ttls = 1; break;
		case 'p': port = strtoul(optarg, NULL, 10); break;
		case 'T':
			type = !strcasecmp(optarg, "A") ? 1 : !strcasecmp(optarg, "AAAA") ? 28 :
			       !strcasecmp(optarg, "MX") ? 15 : !strcasecmp(optarg, "TXT") ? 16 :
			       !strcasecmp(optarg, "ANY") ? 255 : strtoul(optarg, NULL, 10);
			break;
		case 'O': opcode = strtoul(optarg, NULL, 10); break;
		case 'x': hex = optarg; break;
		default:
			fprintf(stderr, "Usage: dnsq [-t] [-l] [-p PORT] [-T TYPE] [-O OPCODE] SERVER NAME\n"
				"       dnsq [-t] [-p PORT] -x HEX SERVER\n");
			return c == 'h' ? 0 : 1;
		}
	}
	if (optind + (hex ? 1 : 2) != argc || addr_parse(argv[optind], &server) ||
	    !port || port > 65535 || !type || type > 65535) {
		fprintf(stderr, "dnsq: bad arguments (see -h)\n");
		return 1;
	}
	id = (uint16_t)(getpid() ^ time(NULL));
	qlen = hex ? parse_hex(hex, q, sizeof(q)) :
	       dnsquery_build(q, sizeof(q), id, (unsigned)opcode, argv[optind + 1], (unsigned)type);
	if (!qlen) {
		fprintf(stderr, "dnsq: bad query\n");
		return 1;
	}
	sl = (socklen_t)addr_to_sockaddr(&server, (uint16_t)port, &ss);
	fd = socket(server.family, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    connect(fd, (struct sockaddr *)&ss, sl)) {
		perror("dnsq: connect");
		return 1;
	}
	rlen = tcp ? ask_tcp(fd, q, qlen, r) : ask_udp(fd, q, qlen, r);
	if (rlen < 0) {
		fprintf(stderr, "dnsq: no reply: %s\n", strerror(errno));
		return 1;
	}
	return print_reply(r, (size_t)rlen, id, !hex, ttls);
}
