#!/bin/bash
# burrow-slirp: a remote peer with Nagle's algorithm on (no TCP_NODELAY, the
# default) answers 64 KiB requests, and no round trip waits for a
# delayed-ACK timer.  burrow-slirp keeps the data it hands the guest in its
# host socket until the guest acknowledges it (MSG_PEEK); with the connection
# in the kernel's ping-pong mode, an odd full-sized segment of the answer then
# went unacknowledged until the 40 ms delayed-ACK timer, while the peer held
# the answer's small last segment back for that very acknowledgement: 1-2%
# of the round trips took 40 ms (a direct connection never does: its reader
# empties the socket at once, which acknowledges).  Now the socket is told
# to acknowledge (TCP_QUICKACK) when the guest has acknowledged everything
# it held.  Both ways round: the host side at MTU 1500 with the guest at
# 65520, and the host side at 65520 with the guest at 1500.  The old code:
# 1-5 of 1000 round trips over 20 ms in each case (and 2 in a CI run of the
# first fix, whose probe, a bare acknowledgement below the guest's window,
# Linux answers at most twice a second: the probe now repeats a byte).
# Then a peer that answers 1000-byte requests in two writes (echopeer
# serve-halves): Nagle holds the second half until the first is
# acknowledged, and the guest, in request/response mode, delays that
# acknowledgement; the old code waited 40 ms on 199 of 200 round trips (so
# does a direct connection, the classic write-write-read stall: the reader
# does not acknowledge in ping-pong mode); now the guest is probed 1 ms after
# the first half went to it, and the socket is emptied as soon as the probe
# is answered: p50 1.2 ms.  Before that the probe could come 2 ms late (the
# list entry of the previous answer's data set the time) and the emptying
# waited another 1 ms: p50 3.5 ms, so the median must stay under 2.5 ms.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"

sandbox_net
nsenter --net="/run/netns/$REMOTE_NS" -- "$TOOLS/echopeer" serve-tcp 7100 &
on_exit "kill $!"
retry 100 _listening "$REMOTE_NS" tcp 7100 || fail "echo server did not start"
nsenter --net="/run/netns/$REMOTE_NS" -- "$TOOLS/echopeer" serve-halves 7101 &
on_exit "kill $!"
retry 100 _listening "$REMOTE_NS" tcp 7101 || fail "two-writes echo server did not start"

# case HOSTMTU GUESTMTU: 1000 round trips of 64 KiB, none may take 20 ms
case_mtu() {
	local out over
	ip -n "$HOST_NS" link set eth0 mtu "$1"
	ip -n "$REMOTE_NS" link set eth0 mtu "$1"
	slirp_container
	slirp_start --mtu "$2"
	in_ctr "$TOOLS/echopeer" rr "$REMOTE_FAR4" 7100 50 65536 >/dev/null ||
		fail "host MTU $1, guest MTU $2: warm-up round trips failed"
	out=$(in_ctr timeout 100 "$TOOLS/echopeer" rr "$REMOTE_FAR4" 7100 1000 65536 2>&1) ||
		fail "host MTU $1, guest MTU $2: $out"
	echo "host MTU $1, guest MTU $2: $out"
	over=$(echo "$out" | sed -n 's/.*over_20ms=\([0-9]*\).*/\1/p')
	[ -n "$over" ] || fail "no count of slow round trips in: $out"
	# one slow round trip may be this machine's; the stall is every ~50th
	[ "$over" -le 1 ] || fail "host MTU $1, guest MTU $2: $over of 1000 round trips took 20 ms or more" \
		"(a delayed acknowledgement against the peer's Nagle)"
	slirp_stop || fail "burrow-slirp exit status $?"
	kill "$CTR_PID" 2>/dev/null
}
case_mtu 1500 65520
case_mtu 65520 1500

# the peer that answers in two writes: 200 round trips of 1000 bytes
ip -n "$HOST_NS" link set eth0 mtu 1500
ip -n "$REMOTE_NS" link set eth0 mtu 1500
slirp_container
slirp_start
out=$(in_ctr timeout 100 "$TOOLS/echopeer" rr "$REMOTE_FAR4" 7101 200 1000 2>&1) ||
	fail "answers in two writes: $out"
echo "answers in two writes: $out"
over=$(echo "$out" | sed -n 's/.*over_20ms=\([0-9]*\).*/\1/p')
[ -n "$over" ] || fail "no count of slow round trips in: $out"
[ "$over" -le 20 ] || fail "answers in two writes: $over of 200 round trips took 20 ms or more"
p50=$(echo "$out" | sed -n 's/^p50_us=\([0-9]*\).*/\1/p')
[ -n "$p50" ] || fail "no median in: $out"
[ "$p50" -lt 2500 ] || fail "answers in two writes: median round trip $p50 us (the probe or the emptying after it waited)"
slirp_stop || fail "burrow-slirp exit status $?"
pass
