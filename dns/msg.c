// SPDX-License-Identifier: GPL-2.0-or-later
/* msg.c - DNS message parsing and building, bounds-checked */

#include <errno.h>
#include <string.h>

#include "msg.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

int dns_name_read(const uint8_t *msg, size_t len, size_t off, uint8_t *wire,
		  size_t *wire_len, size_t *end)
{
	uint8_t local[DNS_NAME_MAX];
	size_t pos = off, seg = off, out = 0, after = 0;
	unsigned hops = 0;

	if (!wire)
		wire = local;
	for (;;) {
		uint8_t l;

		if (pos >= len)
			return -EINVAL;
		l = msg[pos];
		if ((l & 0xc0) == 0xc0) {
			size_t target;

			if (pos + 1 >= len)
				return -EINVAL;
			target = (size_t)(l & 0x3f) << 8 | msg[pos + 1];
			/* only backwards, before the segment we are in: each
			 * jump lands strictly lower, so no loop is possible;
			 * never into the header, where no name starts (and
			 * whose ID and counts change when an answer is
			 * relayed or served from the cache) */
			if (target >= seg || target < DNS_HDR || ++hops > DNS_MAX_HOPS)
				return -EINVAL;
			if (!after)
				after = pos + 2;
			pos = seg = target;
			continue;
		}
		if (l & 0xc0)
			return -EINVAL;		/* 01 and 10 label types */
		if (!l) {
			wire[out++] = 0;	/* room kept by the check below */
			pos++;
			break;
		}
		if ((size_t)l + 1 > len - pos || out + 1 + l + 1 > DNS_NAME_MAX)
			return -EINVAL;
		memcpy(wire + out, msg + pos, (size_t)l + 1);
		out += (size_t)l + 1;
		pos += (size_t)l + 1;
	}
	if (wire_len)
		*wire_len = out;
	*end = after ? after : pos;
	return 0;
}

int dns_name_text(const uint8_t *wire, size_t wire_len, char text[DNS_TEXT_MAX])
{
	size_t pos = 0, out = 0;
	int plain = 1;

	while (pos < wire_len && wire[pos]) {
		size_t l = wire[pos++], i;

		if (l > 63 || l > wire_len - pos)
			break;
		if (out && out < DNS_TEXT_MAX - 1)
			text[out++] = '.';
		for (i = 0; i < l && out < DNS_TEXT_MAX - 1; i++) {
			uint8_t c = wire[pos + i];

			if (c >= 'A' && c <= 'Z')
				c = (uint8_t)(c - 'A' + 'a');
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			      c == '-' || c == '_')) {
				c = '?';
				plain = 0;
			}
			text[out++] = (char)c;
		}
		pos += l;
	}
	text[out] = '\0';
	return plain;
}

int dns_name_equal(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	size_t i;

	if (al != bl)
		return 0;
	for (i = 0; i < al; i++) {
		uint8_t x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (uint8_t)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (uint8_t)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

size_t dns_name_wire(const char *text, uint8_t *wire, size_t max)
{
	size_t len = strlen(text), out = 0;
	const char *p = text, *stop;

	if (len && text[len - 1] == '.')
		len--;
	stop = text + len;
	while (p < stop) {
		const char *dot = memchr(p, '.', (size_t)(stop - p));
		size_t l = dot ? (size_t)(dot - p) : (size_t)(stop - p);

		if (!l || l > 63 || out + 1 + l + 1 > max || out + 1 + l + 1 > DNS_NAME_MAX)
			return 0;
		wire[out++] = (uint8_t)l;
		memcpy(wire + out, p, l);
		out += l;
		p += l + (dot ? 1 : 0);
		if (dot && p == stop)
			return 0;	/* "a..": an empty label at the end */
	}
	if (out + 1 > max)
		return 0;
	wire[out++] = 0;
	return out;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

int dns_rr_next(const uint8_t *msg, size_t len, size_t *pos, struct dns_rr *rr)
{
	size_t p;

	if (dns_name_read(msg, len, *pos, NULL, NULL, &p) || len - p < 10)
		return -EINVAL;
	rr->type = get16(msg + p);
	rr->class = get16(msg + p + 2);
	rr->ttl = get32(msg + p + 4);
	rr->ttl_off = p + 4;
	rr->rdlen = get16(msg + p + 8);
	rr->rdata = p + 10;
	if (rr->rdlen > len - rr->rdata)
		return -EINVAL;
	*pos = rr->rdata + rr->rdlen;
	return 0;
}

/* opt_options() - note EDNS options that may change an upstream's answer */
static void opt_options(const uint8_t *msg, const struct dns_rr *rr, struct dns_msg *m)
{
	size_t off = 0;

	while (off < rr->rdlen) {
		uint16_t code, olen;

		if (rr->rdlen - off < 4) {
			m->edns_opts = 1;	/* malformed: never cached */
			return;
		}
		code = get16(msg + rr->rdata + off);
		olen = get16(msg + rr->rdata + off + 2);
		if (code != 10 && code != 12)	/* COOKIE, PADDING */
			m->edns_opts = 1;
		off += 4 + (size_t)olen;
	}
}

/* parse_opt() - look for an OPT record in the additional section of a query */
static int parse_opt(const uint8_t *msg, size_t len, struct dns_msg *m)
{
	size_t pos = m->qend, i;

	/* queries carry nothing before the additional section */
	for (i = 0; i < (size_t)m->ancount + m->nscount + m->arcount; i++) {
		struct dns_rr rr;

		if (i >= 8)
			break;			/* enough: real queries carry one OPT */
		if (dns_rr_next(msg, len, &pos, &rr))
			return -EINVAL;
		if (rr.type == DNS_T_OPT && i >= (size_t)m->ancount + m->nscount) {
			m->udp_size = rr.class < DNS_UDP_MIN ? DNS_UDP_MIN :
				      rr.class > DNS_UDP_MAX ? DNS_UDP_MAX : rr.class;
			m->edns = 1;
			m->edns_do = !!(rr.ttl & 0x8000);
			opt_options(msg, &rr, m);
		}
	}
	return 0;
}

int dns_parse(const uint8_t *msg, size_t len, struct dns_msg *m)
{
	size_t end;

	memset(m, 0, sizeof(*m));
	m->udp_size = DNS_UDP_MIN;
	m->qend = DNS_HDR;
	if (len < DNS_HDR)
		return -EBADMSG;
	m->id = get16(msg);
	m->flags = get16(msg + 2);
	m->opcode = (m->flags >> 11) & 0xf;
	m->rcode = m->flags & 0xf;
	m->qdcount = get16(msg + 4);
	m->ancount = get16(msg + 6);
	m->nscount = get16(msg + 8);
	m->arcount = get16(msg + 10);
	if (!m->qdcount)
		return 0;
	if (dns_name_read(msg, len, DNS_HDR, m->qname, &m->qname_len, &end))
		return -EINVAL;
	if (len - end < 4)
		return -EINVAL;
	m->qtype = get16(msg + end);
	m->qclass = get16(msg + end + 2);
	m->qend = end + 4;
	m->name_plain = dns_name_text(m->qname, m->qname_len, m->name);
	if (!(m->flags & DNS_F_QR) && m->qdcount == 1 && parse_opt(msg, len, m))
		return -EINVAL;
	return 0;
}

/* put_header() - the response header for @q */
static void put_header(uint8_t *out, const struct dns_msg *q, unsigned rcode, int aa,
		       uint16_t qd, uint16_t an)
{
	uint16_t flags = DNS_F_QR | (uint16_t)((q->opcode & 0xf) << 11) |
			 (q->flags & DNS_F_RD) | DNS_F_RA | (rcode & 0xf);

	if (aa)
		flags |= DNS_F_AA;
	put16(out, q->id);
	put16(out + 2, flags);
	put16(out + 4, qd);
	put16(out + 6, an);
	put16(out + 8, 0);
	put16(out + 10, 0);
}

/* put_question() - echo the question of @q at @out + DNS_HDR; 0 if no room */
static size_t put_question(uint8_t *out, size_t max, const struct dns_msg *q)
{
	size_t pos = DNS_HDR;

	if (!q->qname_len || max < DNS_HDR + q->qname_len + 4)
		return 0;
	memcpy(out + pos, q->qname, q->qname_len);
	pos += q->qname_len;
	put16(out + pos, q->qtype);
	put16(out + pos + 2, q->qclass);
	return pos + 4;
}

size_t dns_error(const struct dns_msg *q, int with_q, unsigned rcode, uint8_t *out, size_t max)
{
	size_t len = 0;

	if (max < DNS_HDR)
		return 0;
	if (with_q)
		len = put_question(out, max, q);
	put_header(out, q, rcode, 0, len ? 1 : 0, 0);
	return len ? len : DNS_HDR;
}

/* put_rr() - one answer record named by a pointer to the question */
static size_t put_rr(uint8_t *out, size_t pos, size_t max, uint16_t type, uint32_t ttl,
		     const uint8_t *rdata, size_t rdlen)
{
	if (max - pos < 12 + rdlen)
		return 0;
	put16(out + pos, 0xc000 | DNS_HDR);
	put16(out + pos + 2, type);
	put16(out + pos + 4, DNS_C_IN);
	put16(out + pos + 6, (uint16_t)(ttl >> 16));
	put16(out + pos + 8, (uint16_t)ttl);
	put16(out + pos + 10, (uint16_t)rdlen);
	memcpy(out + pos + 12, rdata, rdlen);
	return pos + 12 + rdlen;
}

size_t dns_build(const struct dns_msg *q, const struct dns_answer *a, uint8_t *out, size_t max)
{
	size_t pos, i, next;
	uint16_t an = 0;
	int tc = 0;

	pos = put_question(out, max, q);
	if (!pos)
		return dns_error(q, 0, DNS_R_SERVFAIL, out, max);
	for (i = 0; i < a->naddrs && !tc; i++) {
		const struct addr *ad = &a->addrs[i];

		if (ad->family == AF_INET)
			next = put_rr(out, pos, max, DNS_T_A, a->ttl, (const uint8_t *)&ad->v4, 4);
		else
			next = put_rr(out, pos, max, DNS_T_AAAA, a->ttl, ad->v6.s6_addr, 16);
		if (!next)
			tc = 1;
		else {
			pos = next;
			an++;
		}
	}
	for (i = 0; i < a->nnames && !tc; i++) {
		uint8_t wire[DNS_NAME_MAX];
		size_t wl = dns_name_wire(a->names[i], wire, sizeof(wire));

		if (!wl)
			continue;
		next = put_rr(out, pos, max, DNS_T_PTR, a->ttl, wire, wl);
		if (!next)
			tc = 1;
		else {
			pos = next;
			an++;
		}
	}
	put_header(out, q, a->rcode, a->authoritative, 1, an);
	if (tc)
		out[2] |= DNS_F_TC >> 8;
	return pos;
}

size_t dns_truncate(uint8_t *msg, size_t len, size_t qend)
{
	if (len < DNS_HDR)
		return len;
	msg[2] |= DNS_F_TC >> 8;
	memset(msg + 6, 0, 6);
	if (qend < DNS_HDR || qend > len) {
		memset(msg + 4, 0, 2);
		return DNS_HDR;
	}
	return qend;
}

/* label_num() - a decimal label 0..255, or -1 */
static int label_num(const char *s, size_t l)
{
	int v = 0;
	size_t i;

	if (!l || l > 3 || (l > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < l; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v > 255 ? -1 : v;
}

int dns_ptr_addr(const char *name, struct addr *a)
{
	static const char v4[] = ".in-addr.arpa", v6[] = ".ip6.arpa";
	size_t len = strlen(name);

	memset(a, 0, sizeof(*a));
	if (len > sizeof(v4) - 1 && !strcmp(name + len - (sizeof(v4) - 1), v4)) {
		const char *p = name, *stop = name + len - (sizeof(v4) - 1);
		uint8_t b[4];
		int i;

		for (i = 3; i >= 0; i--) {
			const char *dot = memchr(p, '.', (size_t)(stop - p));
			size_t l = dot ? (size_t)(dot - p) : (size_t)(stop - p);
			int v = label_num(p, l);

			if (v < 0 || (i > 0 && !dot) || (i == 0 && dot))
				return -EINVAL;
			b[i] = (uint8_t)v;
			p += l + 1;
		}
		a->family = AF_INET;
		memcpy(&a->v4, b, 4);
		return 0;
	}
	if (len == 63 + sizeof(v6) - 1 && !strcmp(name + 63, v6)) {
		int i;

		for (i = 0; i < 32; i++) {
			char c = name[2 * i];
			int v;

			if (i < 31 && name[2 * i + 1] != '.')
				return -EINVAL;
			if (c >= '0' && c <= '9')
				v = c - '0';
			else if (c >= 'a' && c <= 'f')
				v = c - 'a' + 10;
			else
				return -EINVAL;
			/* nibble i counts from the least significant end */
			if (i % 2)
				a->v6.s6_addr[15 - i / 2] |= (uint8_t)(v << 4);
			else
				a->v6.s6_addr[15 - i / 2] |= (uint8_t)v;
		}
		a->family = AF_INET6;
		return 0;
	}
	return -EINVAL;
}
