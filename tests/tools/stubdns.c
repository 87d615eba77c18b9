// SPDX-License-Identifier: GPL-2.0-or-later
/* stubdns.c - the test sandbox's stub DNS server
 *
 *	stubdns -l ADDR -p PORT [-L LOGFILE] [-t TTL] [-S] [-P] [-N DOMAIN] [-C]
 *		NAME=ADDR...
 *
 * Serves UDP and TCP (2-byte length prefix) on ADDR:PORT.  A and AAAA queries
 * for the configured names get their addresses (several per name allowed),
 * other names NXDOMAIN, other opcodes NOTIMP, malformed queries FORMERR.
 * Writes "ready" as the first log line once both sockets are bound, then one
 * line per query ("udp A peer.test -> 203.0.113.10").  Exits on SIGTERM.
 * Answers carry TTL 60 unless -t; with -S, NXDOMAIN and empty answers carry
 * an SOA (TTL and MINIMUM = the TTL) in the authority section, so that a
 * cache may keep them (RFC 2308).  -P adds the client's address and port to
 * each UDP log line, and the name as asked, case kept ("... asked pEEr.tEst
 * from 127.0.0.1#40123"); -N DOMAIN never answers names
 * at or under DOMAIN (an upstream whose servers are down; logged "-> (no
 * answer)"); -C answers with the question name in lower case, as servers that
 * do not keep the case of names do.
 * Queries are untrusted: dns_answer() checks every length before use.
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr.h"

#define DNS_HDR		12
#define DNS_UDP_MAX	512	/* no EDNS: longer UDP answers are truncated */
#define NAME_TEXT_MAX	1024	/* 255 wire bytes, escaped as \DDD at worst */
#define ENTRIES_MAX	64
#define CLIENTS_MAX	16

enum { RC_OK = 0, RC_FORMERR = 1, RC_NXDOMAIN = 3, RC_NOTIMP = 4 };
enum { T_A = 1, T_AAAA = 28, T_ANY = 255, C_IN = 1 };

/* One configured NAME=ADDR */
struct entry {
	char name[256];		/* lower case, no trailing dot */
	struct addr addr;
};

static struct entry entries[ENTRIES_MAX];
static size_t n_entries;
static uint32_t answer_ttl = 60;	/* -t */
static int negative_soa;		/* -S */
static int log_peer;			/* -P */
static char silent[256];		/* -N: lower case, no trailing dot */
static int fold_case;			/* -C */

/* under_silent() - @name is -N's domain or under it */
static int under_silent(const char *name)
{
	size_t n = strlen(name), d = strlen(silent);

	if (!d || n < d || strcmp(name + n - d, silent))
		return 0;
	return n == d || name[n - d - 1] == '.';
}

/* Read a big-endian 16-bit value */
static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* Write a big-endian 16-bit value */
static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Append to a log line, never overflowing it */
static void logf_(char *log, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void logf_(char *log, size_t len, const char *fmt, ...)
{
	size_t used = strnlen(log, len);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(log + used, len - used, fmt, ap);
	va_end(ap);
}

/* Name of a query type for the log */
static const char *type_name(unsigned t, char *buf, size_t len)
{
	if (t == T_A)
		return "A";
	if (t == T_AAAA)
		return "AAAA";
	if (t == T_ANY)
		return "ANY";
	snprintf(buf, len, "TYPE%u", t);
	return buf;
}

/* Parse the question name at @off into lower-case dotted text (bytes other
 * than letters, digits, '-' and '_' escaped as \DDD); return the offset
 * after it, or 0 if malformed (reason in @why) */
static size_t parse_name(const uint8_t *q, size_t len, size_t off, char *text,
			 const char **why)
{
	size_t wire = 1, t = 0;

	for (;;) {
		unsigned l, i;

		if (off >= len) {
			*why = "truncated name";
			return 0;
		}
		l = q[off++];
		if (!l)
			break;
		if (l & 0xc0) {
			*why = "compressed or extended label in question";
			return 0;
		}
		if (l > len - off) {
			*why = "truncated label";
			return 0;
		}
		wire += l + 1;
		if (wire > 255) {
			*why = "name longer than 255 bytes";
			return 0;
		}
		if (t)
			text[t++] = '.';
		for (i = 0; i < l; i++) {
			uint8_t c = q[off + i];

			if (c >= 'A' && c <= 'Z')
				c = (uint8_t)(c - 'A' + 'a');
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			    c == '-' || c == '_')
				text[t++] = (char)c;
			else
				t += (size_t)snprintf(text + t, 5, "\\%03u", c);
		}
		off += l;
	}
	text[t] = '\0';
	return off;
}

/* Append one answer record for @a (name: pointer to the question) */
static size_t put_record(uint8_t *out, size_t pos, size_t max, const struct addr *a)
{
	size_t rdlen = a->family == AF_INET ? 4 : 16;

	if (pos + 12 + rdlen > max)
		return 0;
	put16(out + pos, 0xc000 | DNS_HDR);
	put16(out + pos + 2, a->family == AF_INET ? T_A : T_AAAA);
	put16(out + pos + 4, C_IN);
	put16(out + pos + 6, answer_ttl >> 16);
	put16(out + pos + 8, answer_ttl & 0xffff);
	put16(out + pos + 10, (unsigned)rdlen);
	memcpy(out + pos + 12, a->family == AF_INET ? (const void *)&a->v4 :
	       (const void *)&a->v6, rdlen);
	return pos + 12 + rdlen;
}

/* Append an SOA record for a negative answer (-S): owner the question, the
 * root as server and mailbox, MINIMUM and TTL the answer TTL; 0 if no room */
static size_t put_soa(uint8_t *out, size_t pos, size_t max)
{
	if (pos + 12 + 22 > max)
		return 0;
	memset(out + pos, 0, 12 + 22);
	put16(out + pos, 0xc000 | DNS_HDR);
	put16(out + pos + 2, 6);		/* SOA */
	put16(out + pos + 4, C_IN);
	put16(out + pos + 6, answer_ttl >> 16);
	put16(out + pos + 8, answer_ttl & 0xffff);
	put16(out + pos + 10, 22);
	/* +12, +13: root, root; serial, refresh, retry, expire, minimum */
	put16(out + pos + 14 + 2, 1);
	put16(out + pos + 14 + 16, answer_ttl >> 16);
	put16(out + pos + 14 + 18, answer_ttl & 0xffff);
	return pos + 12 + 22;
}

/* Header-only reply with @rcode */
static size_t reply_rcode(const uint8_t *q, uint8_t *out, unsigned rcode)
{
	memset(out, 0, DNS_HDR);
	memcpy(out, q, 2);				/* ID */
	out[2] = (uint8_t)(0x80 | (q[2] & 0x79));	/* QR, opcode, RD */
	out[3] = (uint8_t)(0x80 | rcode);		/* RA */
	return DNS_HDR;
}

/**
 * dns_answer() - build the reply to one query
 * @q:		query as received
 * @len:	its length
 * @out:	reply buffer
 * @max:	size of @out (at least DNS_HDR); UDP passes DNS_UDP_MAX
 * @log:	log line out, e.g. "A peer.test -> 203.0.113.10"
 * @loglen:	size of @log
 *
 * Return: reply length, or 0 to send nothing (too short or not a query)
 */
static size_t dns_answer(const uint8_t *q, size_t len, uint8_t *out, size_t max,
			 char *log, size_t loglen)
{
	char name[NAME_TEXT_MAX], tb[16], ab[ADDR_STRLEN];
	const char *why = NULL;
	unsigned qtype, qclass, opcode, n_ans = 0;
	size_t qend, pos, mark, i, soa_end;
	int known = 0;

	log[0] = '\0';
	if (len < DNS_HDR || (q[2] & 0x80)) {
		logf_(log, loglen, "dropped: %s", len < DNS_HDR ? "shorter than a header" :
		      "a response, not a query");
		return 0;
	}
	opcode = (q[2] >> 3) & 0xf;
	if (opcode) {
		logf_(log, loglen, "NOTIMP opcode %u", opcode);
		return reply_rcode(q, out, RC_NOTIMP);
	}
	if (get16(q + 4) != 1 || get16(q + 6) || get16(q + 8))
		why = "not exactly one question, or answers in a query";
	qend = why ? 0 : parse_name(q, len, DNS_HDR, name, &why);
	if (!why && len - qend < 4)
		why = "truncated question";
	if (!why && len - qend > 4 && !get16(q + 10))
		why = "trailing bytes after the question";
	if (why) {
		logf_(log, loglen, "FORMERR %s", why);
		return reply_rcode(q, out, RC_FORMERR);
	}
	qtype = get16(q + qend);
	qclass = get16(q + qend + 2);
	qend += 4;
	logf_(log, loglen, "%s %s ->", type_name(qtype, tb, sizeof(tb)), *name ? name : ".");
	if (under_silent(name)) {
		logf_(log, loglen, " (no answer)");
		return 0;
	}
	if (qclass != C_IN) {
		logf_(log, loglen, " NOTIMP class %u", qclass);
		return reply_rcode(q, out, RC_NOTIMP);
	}
	if (qend > max) {
		logf_(log, loglen, " FORMERR question too long");
		return reply_rcode(q, out, RC_FORMERR);
	}

	memcpy(out, q, qend);			/* header and question */
	for (i = DNS_HDR; fold_case && i < qend - 4; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (uint8_t)(out[i] - 'A' + 'a');	/* label lengths are < 64 */
	out[2] = (uint8_t)(0x84 | (q[2] & 0x01));	/* QR, AA, RD */
	out[3] = 0x80;				/* RA */
	put16(out + 6, 0);
	put16(out + 8, 0);
	put16(out + 10, 0);
	pos = qend;
	mark = strlen(log);
	for (i = 0; i < n_entries; i++) {
		const struct entry *e = &entries[i];
		unsigned t = e->addr.family == AF_INET ? T_A : T_AAAA;

		if (strcmp(e->name, name))
			continue;
		known = 1;
		if (qtype != t && qtype != T_ANY)
			continue;
		pos = put_record(out, pos, max, &e->addr);
		if (!pos) {		/* does not fit: truncated, client retries on TCP */
			out[2] |= 0x02;
			put16(out + 6, 0);
			log[mark] = '\0';
			logf_(log, loglen, " TRUNCATED");
			return qend;
		}
		put16(out + 6, ++n_ans);
		logf_(log, loglen, " %s", addr_format(&e->addr, ab, sizeof(ab)));
	}
	if (!known) {
		out[3] |= RC_NXDOMAIN;
		logf_(log, loglen, " NXDOMAIN");
	} else if (!n_ans) {
		logf_(log, loglen, " NODATA");
	}
	if (!n_ans && negative_soa && (soa_end = put_soa(out, pos, max))) {
		pos = soa_end;
		put16(out + 8, 1);
	}
	return pos;
}

#ifndef STUBDNS_NO_MAIN

static volatile sig_atomic_t stop;
static int log_fd = STDOUT_FILENO;

/* SIGTERM/SIGINT: leave the main loop */
static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* raw_name() - the question name of @q as sent (case kept), for -P; letters,
 * digits, '-' and '_' only, others as '?' */
static void raw_name(const uint8_t *q, size_t len, char *out, size_t max)
{
	size_t off = DNS_HDR, t = 0, i;

	while (off < len && q[off] && !(q[off] & 0xc0) && off + 1 + q[off] <= len &&
	       t + q[off] + 2 < max) {
		if (t)
			out[t++] = '.';
		for (i = 0; i < q[off]; i++) {
			uint8_t c = q[off + 1 + i];

			out[t++] = (char)((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
					  (c >= '0' && c <= '9') || c == '-' || c == '_' ? c : '?');
		}
		off += 1u + q[off];
	}
	out[t] = '\0';
}

/* Write one line to the log, with the client's address and port if -P */
static void log_line(const char *proto, const char *text, const struct sockaddr_storage *peer)
{
	char line[NAME_TEXT_MAX + 512], pa[ADDR_STRLEN + 8] = "";
	struct addr a;
	uint16_t port;
	int n;

	if (log_peer && peer && !addr_from_sockaddr((const struct sockaddr *)peer, &a, &port)) {
		char as[ADDR_STRLEN];

		snprintf(pa, sizeof(pa), " from %s#%u", addr_format(&a, as, sizeof(as)), port);
	}
	n = snprintf(line, sizeof(line), "%s%s%s%s\n", proto, *proto ? " " : "", text, pa);

	if (n > 0 && write(log_fd, line, (size_t)n) < 0)
		perror("stubdns: write(log)");
}

/* Parse NAME=ADDR into the table; exit with a message if it is bad */
static void add_entry(const char *arg)
{
	const char *eq = strrchr(arg, '=');
	struct entry *e = &entries[n_entries];
	size_t i, nlen = eq ? (size_t)(eq - arg) : 0, label = 0;

	if (n_entries >= ENTRIES_MAX || !eq || !nlen || nlen > 253 ||
	    addr_parse(eq + 1, &e->addr)) {
		fprintf(stderr, "stubdns: bad or too many NAME=ADDR: '%s'\n", arg);
		exit(2);
	}
	if (arg[nlen - 1] == '.')
		nlen--;
	for (i = 0; i < nlen; i++) {
		char c = arg[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		label = c == '.' ? 0 : label + 1;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_' || (c == '.' && i && arg[i - 1] != '.')) || label > 63) {
			fprintf(stderr, "stubdns: bad name in '%s'\n", arg);
			exit(2);
		}
		e->name[i] = c;
	}
	e->name[nlen] = '\0';
	if (nlen && e->name[nlen - 1] == '.') {
		fprintf(stderr, "stubdns: bad name in '%s'\n", arg);
		exit(2);
	}
	n_entries++;
}

/* Bind a socket of @type to @a:@port; exit with a message on failure */
static int bind_socket(const struct addr *a, uint16_t port, int type)
{
	struct sockaddr_storage ss;
	socklen_t sl = (socklen_t)addr_to_sockaddr(a, port, &ss);
	int fd = socket(ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (ss.ss_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
	    bind(fd, (struct sockaddr *)&ss, sl) ||
	    (type == SOCK_STREAM && listen(fd, 64))) {
		fprintf(stderr, "stubdns: bind(%s port %u): %s\n",
			type == SOCK_STREAM ? "tcp" : "udp", port, strerror(errno));
		exit(1);
	}
	return fd;
}

/* One TCP client: a partial message buffer */
struct client {
	int fd;
	struct sockaddr_storage peer;
	size_t have;
	uint8_t buf[2 + 65535];
};

static struct client clients[CLIENTS_MAX];

/* Answer one UDP datagram */
static void serve_udp(int fd)
{
	static uint8_t q[65536], r[DNS_UDP_MAX];
	struct sockaddr_storage peer;
	socklen_t pl = sizeof(peer);
	char log[NAME_TEXT_MAX + 256];
	ssize_t n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&peer, &pl);
	size_t rlen;

	if (n < 0)
		return;
	rlen = dns_answer(q, (size_t)n, r, sizeof(r), log, sizeof(log));
	if (log_peer) {
		char raw[256];

		raw_name(q, (size_t)n, raw, sizeof(raw));
		logf_(log, sizeof(log), " asked %s", raw);
	}
	log_line("udp", log, &peer);
	if (rlen)
		sendto(fd, r, rlen, 0, (struct sockaddr *)&peer, pl);
}

/* Read from a TCP client and answer every complete message; 0 to keep it */
static int serve_tcp(struct client *c)
{
	static uint8_t r[2 + 65535];
	char log[NAME_TEXT_MAX + 256];
	ssize_t n = read(c->fd, c->buf + c->have, sizeof(c->buf) - c->have);

	if (n <= 0)
		return n < 0 && errno == EAGAIN ? 0 : -1;
	c->have += (size_t)n;
	while (c->have >= 2 && c->have >= 2 + get16(c->buf)) {
		size_t mlen = get16(c->buf), rlen;

		rlen = dns_answer(c->buf + 2, mlen, r + 2, sizeof(r) - 2, log, sizeof(log));
		log_line("tcp", log, &c->peer);
		if (!rlen && log[0] && strstr(log, "(no answer)")) {
			memmove(c->buf, c->buf + 2 + mlen, c->have - 2 - mlen);
			c->have -= 2 + mlen;
			continue;
		}
		if (!rlen)
			return -1;
		put16(r, (unsigned)rlen);
		if (send(c->fd, r, rlen + 2, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)rlen + 2)
			return -1;
		memmove(c->buf, c->buf + 2 + mlen, c->have - 2 - mlen);
		c->have -= 2 + mlen;
	}
	return 0;
}

/* Accept a TCP client into a free slot, or turn it away */
static void accept_client(int lfd)
{
	struct sockaddr_storage peer;
	socklen_t pl = sizeof(peer);
	int fd = accept4(lfd, (struct sockaddr *)&peer, &pl, SOCK_NONBLOCK | SOCK_CLOEXEC);
	size_t i;

	if (fd < 0)
		return;
	for (i = 0; i < CLIENTS_MAX; i++) {
		if (clients[i].fd < 0) {
			clients[i].fd = fd;
			clients[i].peer = peer;
			clients[i].have = 0;
			return;
		}
	}
	close(fd);
}

/* Poll the two sockets and the clients until SIGTERM */
static void serve(int udp, int tcp, const sigset_t *unblocked)
{
	struct pollfd pfd[2 + CLIENTS_MAX];
	size_t i;

	for (i = 0; i < CLIENTS_MAX; i++)
		clients[i].fd = -1;
	while (!stop) {
		pfd[0] = (struct pollfd){ .fd = udp, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = tcp, .events = POLLIN };
		for (i = 0; i < CLIENTS_MAX; i++)
			pfd[2 + i] = (struct pollfd){ .fd = clients[i].fd, .events = POLLIN };
		if (ppoll(pfd, 2 + CLIENTS_MAX, NULL, unblocked) < 0)
			continue;
		if (pfd[0].revents)
			serve_udp(udp);
		if (pfd[1].revents)
			accept_client(tcp);
		for (i = 0; i < CLIENTS_MAX; i++) {
			if (clients[i].fd >= 0 && pfd[2 + i].revents && serve_tcp(&clients[i])) {
				close(clients[i].fd);
				clients[i].fd = -1;
			}
		}
	}
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: stubdns -l ADDR -p PORT [-L LOGFILE] [-t TTL] [-S] [-P] [-N DOMAIN] [-C]\n"
		"               NAME=ADDR...\n"
		"Stub DNS server for the test sandbox: A/AAAA for the given names over\n"
		"UDP and TCP, NXDOMAIN for others; logs \"ready\", then one line per query.\n"
		"  -t TTL     TTL of the answers (default 60)\n"
		"  -S         an SOA in negative answers (NXDOMAIN, NODATA), MINIMUM = TTL\n"
		"  -P         log the client's address and port\n"
		"  -N DOMAIN  never answer names at or under DOMAIN\n"
		"  -C         answer with the question name in lower case\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	struct addr listen_addr = { 0 };
	unsigned long port = 53;
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, unblocked;
	char *end;
	int c, udp, tcp;

	while ((c = getopt_long(argc, argv, "l:p:L:t:SPN:ChV", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (addr_parse(optarg, &listen_addr)) {
				fprintf(stderr, "stubdns: bad address '%s'\n", optarg);
				return 2;
			}
			break;
		case 'p':
			errno = 0;
			port = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || !port || port > 65535) {
				fprintf(stderr, "stubdns: bad port '%s'\n", optarg);
				return 2;
			}
			break;
		case 'L':
			log_fd = open(optarg, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
				      0644);
			if (log_fd < 0) {
				fprintf(stderr, "stubdns: open(%s): %s\n", optarg, strerror(errno));
				return 1;
			}
			break;
		case 't':
			errno = 0;
			answer_ttl = (uint32_t)strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg) {
				fprintf(stderr, "stubdns: bad TTL '%s'\n", optarg);
				return 2;
			}
			break;
		case 'S':
			negative_soa = 1;
			break;
		case 'P':
			log_peer = 1;
			break;
		case 'N':
			if (strlen(optarg) >= sizeof(silent)) {
				fprintf(stderr, "stubdns: -N: name too long\n");
				return 2;
			}
			for (c = 0; optarg[c]; c++)
				silent[c] = (char)(optarg[c] >= 'A' && optarg[c] <= 'Z' ?
						   optarg[c] - 'A' + 'a' : optarg[c]);
			silent[c] = '\0';
			if (c && silent[c - 1] == '.')
				silent[c - 1] = '\0';
			break;
		case 'C':
			fold_case = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("stubdns %s\n", BURROW_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc || !listen_addr.family) {
		usage(stderr);
		return 2;
	}
	for (; optind < argc; optind++)
		add_entry(argv[optind]);

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &unblocked);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	udp = bind_socket(&listen_addr, (uint16_t)port, SOCK_DGRAM);
	tcp = bind_socket(&listen_addr, (uint16_t)port, SOCK_STREAM);
	log_line("", "ready", NULL);
	serve(udp, tcp, &unblocked);
	close(udp);
	close(tcp);
	return 0;
}

#endif /* STUBDNS_NO_MAIN */
