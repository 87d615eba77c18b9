// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_bypass_policy.c - libFuzzer target for burrow-bypass's verdicts on a
 * socket address read from a container: the parser reads no byte past what
 * was copied in, and no address that names the host itself, the container's
 * own networks or an exclusion ever gets a host socket.  The rules are
 * restated here from policy.h's contract, byte by byte, not through the
 * functions under test. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "bypass/policy.h"
#include "portspec.h"

static struct policy pol;

/* The policy every input is judged against: burrow-slirp's defaults
 * (10.0.2.0/24, fd00::/64), two exclusions and two published ports */
static void policy_once(void)
{
	static int done;
	char err[128];

	if (done)
		return;
	done = 1;
	policy_init(&pol);
	if (policy_add_exclude(&pol, "192.168.0.0/16") || policy_add_exclude(&pol, "2001:db8:ff::/48") ||
	    portspec_parse("8080:80/tcp", &pol.ports[0], err, sizeof(err)) ||
	    portspec_parse("5300-5309:5300-5309/udp", &pol.ports[1], err, sizeof(err)))
		abort();
	pol.nports = 2;
}

/* IPv4 @h (host order) may be reached through a host socket: not 0/8,
 * 127/8, 224/4 or the broadcast address, not 10.0.2.0/24, not 192.168/16 */
static int v4_may_bypass(uint32_t h)
{
	return (h >> 24) != 0 && (h >> 24) != 127 && (h >> 28) != 0xe && h != 0xffffffffu &&
	       (h >> 8) != 0x0a0002 && (h >> 16) != 0xc0a8;
}

/* IPv6 @b may be reached through a host socket: not ::, ::1, fe80::/10,
 * ff00::/8, ::ffff:0:0/96 or ::/96 (IPv4 in disguise), fd00::/64 or
 * 2001:db8:ff::/48 */
static int v6_may_bypass(const uint8_t b[16])
{
	static const uint8_t zero[12];
	static const uint8_t fd00[8] = { 0xfd };
	static const uint8_t excl[6] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0xff };

	if (!memcmp(b, zero, 10) && ((b[10] == 0xff && b[11] == 0xff) || !memcmp(b, zero, 12)))
		return 0;	/* ::/96 (with :: and ::1) and ::ffff:0:0/96 */
	if (b[0] == 0xff || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80))
		return 0;
	return memcmp(b, fd00, 8) && memcmp(b, excl, 6);
}

/**
 * LLVMFuzzerTestOneInput() - byte 0: how the length the container passed
 * differs from what was read, byte 1: IPv6 on or off and the protocol of a
 * bind(); the rest: the bytes read from the container, in a buffer of
 * exactly that size (AddressSanitizer catches any read past it)
 * @data:	fuzzer input
 * @size:	its length
 *
 * Return: 0
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t got, len, d;
	struct addr a;
	uint16_t port, want_port;
	sa_family_t fam;
	const struct port_fwd *f;
	uint8_t *buf;
	int r, proto;

	if (size < 2)
		return 0;
	policy_once();
	got = size - 2;
	d = data[0] & 0x7f;
	len = data[0] & 0x80 ? got + d : got > d ? got - d : 0;
	pol.ipv6 = data[1] & 1;
	proto = data[1] & 2 ? IPPROTO_UDP : IPPROTO_TCP;
	buf = malloc(got ? got : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 2, got);

	memset(&a, 0, sizeof(a));
	r = policy_sockaddr(buf, len, got, &a, &port);
	if (r != AF_INET && r != AF_INET6 && r != AF_UNSPEC && r != -EINVAL && r != -EAFNOSUPPORT)
		abort();
	if ((len < sizeof(fam) || got < sizeof(fam)) && r != -EINVAL)
		abort();
	if (r == AF_INET || r == AF_INET6) {
		memcpy(&fam, buf, sizeof(fam));
		memcpy(&want_port, buf + 2, sizeof(want_port));
		if (fam != r || ntohs(want_port) != port)
			abort();
		if (fam == AF_INET && (len < sizeof(struct sockaddr_in) || got < sizeof(struct sockaddr_in)))
			abort();
		if (fam == AF_INET6 && (len < 24 || got < 24))
			abort();
		if (a.family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&a.v6))
			abort();	/* mapped addresses are judged as IPv4 */
		if (policy_connect(&pol, &a) == POLICY_HOST &&
		    (a.family == AF_INET ? !v4_may_bypass(ntohl(a.v4.s_addr)) :
		     a.family != AF_INET6 || !pol.ipv6 || !v6_may_bypass(a.v6.s6_addr)))
			abort();
		f = policy_bind(&pol, proto, &a, port);
		if (f && (f->proto != proto || port < f->guest_port ||
			  (unsigned)port >= (unsigned)f->guest_port + f->count ||
			  (!addr_is_any(&a) &&
			   !(a.family == AF_INET && (ntohl(a.v4.s_addr) >> 8) == 0x0a0002) &&
			   !(a.family == AF_INET6 && a.v6.s6_addr[0] == 0xfd &&
			     !memcmp(a.v6.s6_addr + 1, "\0\0\0\0\0\0", 7)))))
			abort();	/* a forward for another address, port or protocol */
	}
	free(buf);
	return 0;
}
