// SPDX-License-Identifier: GPL-2.0-or-later
/* ooo.c - out-of-order queue for guest TCP data (see ooo.h) */

#include <string.h>
#include <sys/mman.h>

#include "flow.h"
#include "ooo.h"

struct ooo_range {
	uint32_t start, end;		/* [start, end) in guest sequence space */
};

struct ooo_slot {
	int owner;			/* flow index + 1, 0: free */
	int nranges;			/* sorted, disjoint, not adjacent */
	uint32_t recent;		/* first byte of the latest segment kept */
	uint64_t used_ms;		/* last change (of a free slot: about when freed) */
	int resident;			/* pages written since the last trim */
	struct ooo_range r[OOO_RANGES];
};

static struct ooo_slot slots[OOO_SLOTS];
static uint8_t rings[OOO_SLOTS][OOO_RING] __attribute__((aligned(4096)));
static uint8_t slot_of[FLOW_MAX];	/* slot + 1 per flow, 0: none */
static int in_use;
static uint64_t trimmed_ms;

/* offset of @seq past @base in sequence space */
static uint32_t off(uint32_t seq, uint32_t base) { return seq - base; }

int ooo_slot_of(int flow)
{
	if (flow < 0 || flow >= FLOW_MAX)
		return -1;
	return (int)slot_of[flow] - 1;
}

static void slot_free(int s)
{
	if (!slots[s].owner)
		return;
	slot_of[slots[s].owner - 1] = 0;
	slots[s].owner = 0;
	slots[s].nranges = 0;
	in_use--;
}

int ooo_trim(uint64_t now_ms)
{
	int s, n = 0;

	if (now_ms - trimmed_ms < 1000)
		return 0;
	trimmed_ms = now_ms;
	for (s = 0; s < OOO_SLOTS; s++) {
		if (slots[s].owner || !slots[s].resident || now_ms - slots[s].used_ms < OOO_TRIM_MS)
			continue;
		/* the pages read as zeroes again, and cost nothing until written */
		if (!madvise(rings[s], OOO_RING, MADV_DONTNEED)) {
			slots[s].resident = 0;
			n++;
		}
	}
	return n;
}

void ooo_release(int flow)
{
	int s = ooo_slot_of(flow);

	if (s >= 0)
		slot_free(s);
}

int ooo_in_use(void)
{
	return in_use;
}

/* A free slot for @flow, or the one idle longest if idle for OOO_IDLE_MS */
static int slot_take(int flow, uint64_t now_ms)
{
	int s, best = -1;

	for (s = 0; s < OOO_SLOTS; s++) {
		if (!slots[s].owner)
			break;
		if (now_ms - slots[s].used_ms >= OOO_IDLE_MS &&
		    (best < 0 || slots[s].used_ms < slots[best].used_ms))
			best = s;
	}
	if (s == OOO_SLOTS) {
		if (best < 0)
			return -1;
		slot_free(best);
		s = best;
	}
	slots[s].owner = flow + 1;
	slots[s].nranges = 0;
	slots[s].used_ms = now_ms;
	slot_of[flow] = (uint8_t)(s + 1);
	in_use++;
	return s;
}

/* Merge [@s, @e) into the slot's ranges (offsets from @base order them) */
static int ranges_merge(struct ooo_slot *sl, uint32_t base, uint32_t s, uint32_t e)
{
	struct ooo_range out[OOO_RANGES + 1];
	int i, n = 0, placed = 0;

	for (i = 0; i < sl->nranges; i++) {
		struct ooo_range r = sl->r[i];

		if (off(r.end, base) < off(s, base)) {		/* wholly before */
			out[n++] = r;
			continue;
		}
		if (off(r.start, base) > off(e, base)) {	/* wholly after */
			if (!placed) {
				out[n++] = (struct ooo_range){ s, e };
				placed = 1;
			}
			if (n == OOO_RANGES + 1)
				return -1;
			out[n++] = r;
			continue;
		}
		if (off(r.start, base) < off(s, base))		/* overlaps or touches */
			s = r.start;
		if (off(r.end, base) > off(e, base))
			e = r.end;
	}
	if (!placed)
		out[n++] = (struct ooo_range){ s, e };
	if (n > OOO_RANGES)
		return -1;
	memcpy(sl->r, out, sizeof(out[0]) * (size_t)n);
	sl->nranges = n;
	return 0;
}

int ooo_insert(int flow, uint32_t rcv_nxt, uint32_t seq, const uint8_t *p, size_t len,
	       uint64_t now_ms)
{
	uint32_t o = off(seq, rcv_nxt), first;
	struct ooo_slot *sl;
	int s;

	if (flow < 0 || flow >= FLOW_MAX || !len || len > OOO_RING ||
	    o == 0 || o >= OOO_RING || o > 0x7fffffffu)
		return 0;
	if (o + len > OOO_RING)
		len = OOO_RING - o;
	ooo_advance(flow, rcv_nxt, now_ms);	/* may free the slot */
	s = ooo_slot_of(flow);
	if (s < 0 && (s = slot_take(flow, now_ms)) < 0)
		return 0;
	sl = &slots[s];
	if (ranges_merge(sl, rcv_nxt, seq, seq + (uint32_t)len)) {
		if (!sl->nranges)
			slot_free(s);
		return 0;
	}
	first = OOO_RING - (seq & (OOO_RING - 1));
	if (first > len)
		first = (uint32_t)len;
	memcpy(rings[s] + (seq & (OOO_RING - 1)), p, first);
	memcpy(rings[s], p + first, len - first);
	sl->resident = 1;
	sl->recent = seq;
	sl->used_ms = now_ms;
	return 1;
}

size_t ooo_ready(int flow, uint32_t rcv_nxt, struct iovec iov[2], int *niov)
{
	int s = ooo_slot_of(flow);
	uint32_t pos, n, first;

	*niov = 0;
	if (s < 0 || !slots[s].nranges)
		return 0;
	/* the first range starts at or before rcv_nxt and goes past it */
	if (off(rcv_nxt, slots[s].r[0].start) > 0x7fffffffu ||
	    off(slots[s].r[0].end, rcv_nxt) == 0 || off(slots[s].r[0].end, rcv_nxt) > OOO_RING)
		return 0;
	n = slots[s].r[0].end - rcv_nxt;
	pos = rcv_nxt & (OOO_RING - 1);
	first = OOO_RING - pos < n ? OOO_RING - pos : n;
	iov[0].iov_base = rings[s] + pos;
	iov[0].iov_len = first;
	*niov = 1;
	if (first < n) {
		iov[1].iov_base = rings[s];
		iov[1].iov_len = n - first;
		*niov = 2;
	}
	return n;
}

void ooo_advance(int flow, uint32_t rcv_nxt, uint64_t now_ms)
{
	int s = ooo_slot_of(flow), i, k = 0;
	struct ooo_slot *sl;

	if (s < 0)
		return;
	sl = &slots[s];
	for (i = 0; i < sl->nranges; i++) {
		struct ooo_range r = sl->r[i];

		if (off(r.end, rcv_nxt) - 1 >= OOO_RING)	/* ends at or before rcv_nxt */
			continue;
		if (off(r.start, rcv_nxt) >= OOO_RING)		/* starts before it */
			r.start = rcv_nxt;
		sl->r[k++] = r;
	}
	if (k != sl->nranges)
		sl->used_ms = now_ms;
	sl->nranges = k;
	if (!k)
		slot_free(s);
}

int ooo_sack(int flow, uint32_t (*blocks)[2], int max)
{
	int s = ooo_slot_of(flow), i, n = 0, first = -1;

	if (s < 0 || max <= 0)
		return 0;
	for (i = 0; i < slots[s].nranges; i++)
		if (off(slots[s].recent, slots[s].r[i].start) <
		    off(slots[s].r[i].end, slots[s].r[i].start))
			first = i;
	if (first >= 0) {
		blocks[n][0] = slots[s].r[first].start;
		blocks[n++][1] = slots[s].r[first].end;
	}
	for (i = 0; i < slots[s].nranges && n < max; i++) {
		if (i == first)
			continue;
		blocks[n][0] = slots[s].r[i].start;
		blocks[n++][1] = slots[s].r[i].end;
	}
	return n;
}
