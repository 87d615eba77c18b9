/* SPDX-License-Identifier: GPL-2.0-or-later
 * ooo.h - out-of-order queue for guest TCP data: segments that arrive after a
 * gap (a frame lost before we read it from the tap) are kept in a ring per
 * flow, reported to the guest in SACK blocks, and written to the host socket
 * once the gap is filled, so the guest resends only what was lost.
 *
 * A fixed pool of OOO_SLOTS rings, one at most per flow; a flow that finds
 * the pool full gets none (its out-of-order data is dropped, as before) unless
 * the slot idle longest has not changed for OOO_IDLE_MS, which is then taken
 * over.  Nothing is allocated: the rings are static, only pages written cost
 * memory, and a ring left free for OOO_TRIM_MS gives its pages back.
 */
#ifndef SLIRP_OOO_H
#define SLIRP_OOO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#define OOO_SLOTS	32
#define OOO_RING	(2u << 20)	/* bytes past the gap kept per flow (power of 2) */
#define OOO_RANGES	8		/* disjoint ranges per flow */
#define OOO_IDLE_MS	1000		/* a slot unchanged this long may be taken over */
#define OOO_TRIM_MS	10000		/* a free ring's pages go back after this long */

/**
 * ooo_slot_of() - the slot a flow holds
 * @flow:	flow index
 *
 * Return: slot number, or -1 if the flow holds none
 */
int ooo_slot_of(int flow);

/**
 * ooo_insert() - keep a segment that starts after the next expected byte
 * @flow:	flow index (a slot is taken if it holds none)
 * @rcv_nxt:	next sequence number expected from the guest
 * @seq:	sequence number of the segment's first byte
 * @p:		payload
 * @len:	payload length
 * @now_ms:	current time, for the idle rule
 *
 * Bytes at or before @rcv_nxt, and bytes OOO_RING or more past it, are not
 * kept.  A segment that would need more than OOO_RANGES disjoint ranges is
 * dropped.
 *
 * Return: 1 if (part of) the segment was kept, 0 if not
 */
int ooo_insert(int flow, uint32_t rcv_nxt, uint32_t seq, const uint8_t *p, size_t len,
	       uint64_t now_ms);

/**
 * ooo_ready() - data that continues the stream at @rcv_nxt
 * @flow:	flow index
 * @rcv_nxt:	next sequence number expected from the guest
 * @iov:	filled with up to two pieces of the ring
 * @niov:	set to the number of pieces used
 *
 * Return: number of bytes, 0 if the gap is still open (or no queue)
 */
size_t ooo_ready(int flow, uint32_t rcv_nxt, struct iovec iov[2], int *niov);

/**
 * ooo_advance() - forget what lies before @rcv_nxt; free the slot once empty
 * @flow:	flow index
 * @rcv_nxt:	next sequence number expected from the guest
 * @now_ms:	current time
 */
void ooo_advance(int flow, uint32_t rcv_nxt, uint64_t now_ms);

/**
 * ooo_sack() - SACK blocks for the flow's queue, the most recent first
 * @flow:	flow index
 * @blocks:	filled with start/end pairs
 * @max:	room in @blocks, in pairs
 *
 * Return: number of blocks
 */
int ooo_sack(int flow, uint32_t (*blocks)[2], int max);

/**
 * ooo_release() - drop a flow's queue (the flow closes)
 * @flow:	flow index
 */
void ooo_release(int flow);

/**
 * ooo_trim() - give back the pages of rings free for OOO_TRIM_MS (at most
 *		one pass a second; call it from a timer)
 * @now_ms:	current time
 *
 * Return: number of rings trimmed
 */
int ooo_trim(uint64_t now_ms);

/**
 * ooo_in_use() - slots held
 *
 * Return: number of flows with a queue
 */
int ooo_in_use(void);

#endif /* SLIRP_OOO_H */
