/* SPDX-License-Identifier: GPL-2.0-or-later
 * msg.h - DNS messages (RFC 1035): parse the header and question of a query
 * or a response, build answers.  Pure functions over a buffer and a length:
 * every offset is checked against the length before it is read, compression
 * pointers may only point backwards, never into the header, and at most
 * DNS_MAX_HOPS of them are followed, so a hostile message can neither read
 * out of bounds nor loop.
 */
#ifndef DNS_MSG_H
#define DNS_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define DNS_HDR		12
#define DNS_UDP_MIN	512	/* what every client accepts over UDP */
#define DNS_UDP_MAX	4096	/* the largest UDP message we relay */
#define DNS_NAME_MAX	255	/* wire form, with the root label */
#define DNS_TEXT_MAX	254	/* dotted text, with NUL */
#define DNS_MAX_HOPS	32	/* compression pointers followed in one name */

#define DNS_T_A		1
#define DNS_T_SOA	6
#define DNS_T_PTR	12
#define DNS_T_AAAA	28
#define DNS_T_OPT	41
#define DNS_T_TSIG	250
#define DNS_T_ANY	255
#define DNS_C_IN	1

#define DNS_R_NOERROR	0
#define DNS_R_FORMERR	1
#define DNS_R_SERVFAIL	2
#define DNS_R_NXDOMAIN	3
#define DNS_R_NOTIMP	4
#define DNS_R_REFUSED	5

/* header flag bits (second 16-bit word) */
#define DNS_F_QR	0x8000
#define DNS_F_AA	0x0400
#define DNS_F_TC	0x0200
#define DNS_F_RD	0x0100
#define DNS_F_RA	0x0080
#define DNS_F_CD	0x0010

/* The parts of a message burrow-dns looks at */
struct dns_msg {
	uint16_t id;
	uint16_t flags;
	unsigned opcode;
	unsigned rcode;
	uint16_t qdcount, ancount, nscount, arcount;
	/* the first question; valid when qdcount >= 1 and parsing succeeded */
	uint8_t qname[DNS_NAME_MAX];	/* wire form, uncompressed, case kept */
	size_t qname_len;
	char name[DNS_TEXT_MAX];	/* dotted, lower case, no trailing dot; "" = root */
	int name_plain;			/* name holds only [a-z0-9_-] labels: matchable */
	uint16_t qtype, qclass;
	size_t qend;			/* offset just after the question */
	uint16_t udp_size;		/* from an OPT record in a query, else 512 */
	int edns;			/* a query: it carries an OPT record */
	int edns_do;			/* ... with the DO (DNSSEC OK) bit */
	int edns_opts;			/* ... with options other than COOKIE and
					 * PADDING (e.g. client subnet) */
};

/* One resource record, as dns_rr_next() found it */
struct dns_rr {
	uint16_t type, class;
	uint32_t ttl;
	size_t ttl_off;			/* offset of the TTL field in the message */
	size_t rdata, rdlen;		/* offset and length of the RDATA */
};

/**
 * dns_name_read() - decode the name at @off, following compression pointers
 * @msg:	message
 * @len:	its length
 * @off:	offset of the name
 * @wire:	out (may be NULL): the name uncompressed, DNS_NAME_MAX bytes
 * @wire_len:	out (may be NULL): length of @wire
 * @end:	out: offset just after the name where it starts (after the
 *		first pointer, if any)
 *
 * Return: 0, or -EINVAL (out of bounds, label type 01/10, name longer than
 * 255 bytes, forward or looping pointer, pointer into the header)
 */
int dns_name_read(const uint8_t *msg, size_t len, size_t off, uint8_t *wire,
		  size_t *wire_len, size_t *end);

/**
 * dns_name_text() - turn an uncompressed wire name into lower-case dotted text
 * @wire:	name
 * @wire_len:	its length
 * @text:	out, DNS_TEXT_MAX bytes
 *
 * Return: 1 if every label is [A-Za-z0-9_-] (text is exact), 0 if a label
 * holds other bytes (they are written as '?': the text matches no record)
 */
int dns_name_text(const uint8_t *wire, size_t wire_len, char text[DNS_TEXT_MAX]);

/**
 * dns_name_equal() - two uncompressed wire names are the same, ASCII case
 *		      ignored
 * @a:		one name
 * @al:		its length
 * @b:		the other
 * @bl:		its length
 *
 * Return: 1 if equal, else 0
 */
int dns_name_equal(const uint8_t *a, size_t al, const uint8_t *b, size_t bl);

/**
 * dns_name_wire() - encode dotted text as a wire name
 * @text:	"a.b.c" (a trailing dot is allowed)
 * @wire:	out
 * @max:	size of @wire
 *
 * Return: wire length, or 0 if @text is not a valid name or does not fit
 */
size_t dns_name_wire(const char *text, uint8_t *wire, size_t max);

/**
 * dns_parse() - parse the header, the first question and (for a query) the
 *		 EDNS OPT record of a message
 * @msg:	message
 * @len:	its length
 * @m:		result
 *
 * Return: 0; -EBADMSG if there is no full header (nothing to answer);
 * -EINVAL if the header is there but the rest is malformed (FORMERR)
 */
int dns_parse(const uint8_t *msg, size_t len, struct dns_msg *m);

/**
 * dns_rr_next() - parse the resource record at *@pos and step past it
 * @msg:	message
 * @len:	its length
 * @pos:	in: offset of the record; out: offset just after it
 * @rr:		result
 *
 * Return: 0, or -EINVAL if the record does not fit in @len or its owner
 * name is malformed
 */
int dns_rr_next(const uint8_t *msg, size_t len, size_t *pos, struct dns_rr *rr);

/* An answer to build: the addresses (A/AAAA) or names (PTR) to return */
struct dns_answer {
	unsigned rcode;
	int authoritative;
	uint32_t ttl;
	const struct addr *addrs;	/* of the family the question asked for */
	size_t naddrs;
	const char *const *names;	/* PTR targets, dotted text */
	size_t nnames;
};

/**
 * dns_build() - build the response to query @q
 * @q:		the parsed query (its id, flags, question are echoed)
 * @a:		what to answer
 * @out:	output buffer
 * @max:	room in @out; answers that do not fit are left out and TC is set
 *
 * Return: response length (at least DNS_HDR), or 0 if @max < DNS_HDR
 */
size_t dns_build(const struct dns_msg *q, const struct dns_answer *a, uint8_t *out, size_t max);

/**
 * dns_error() - build a bare error response (header, question if it parsed)
 * @q:		the query as far as it parsed (id, flags; question if @with_q)
 * @with_q:	echo the question
 * @rcode:	DNS_R_*
 * @out:	output
 * @max:	room
 *
 * Return: response length, or 0
 */
size_t dns_error(const struct dns_msg *q, int with_q, unsigned rcode, uint8_t *out, size_t max);

/**
 * dns_truncate() - cut a response to its header and question with TC set,
 *		    so it fits a client's UDP limit
 * @msg:	response (changed in place)
 * @len:	its length
 * @qend:	offset after its question (from dns_parse())
 *
 * Return: the new length
 */
size_t dns_truncate(uint8_t *msg, size_t len, size_t qend);

/**
 * dns_ptr_addr() - the address a reverse name stands for
 * @name:	lower-case dotted text, "4.3.2.1.in-addr.arpa" or 32 nibbles + ".ip6.arpa"
 * @a:		result
 *
 * Return: 0, or -EINVAL if @name is not a full reverse name
 */
int dns_ptr_addr(const char *name, struct addr *a);

#endif /* DNS_MSG_H */
