#!/bin/bash
# burrow-slirp: the container's window update is lost while its window is zero
# and nothing is in flight.  A remote peer sends 64 MiB; the reader in the
# container stops for 3 s (its receive window closes), and its pure ACKs are
# dropped (nftables, in the container's namespace, on tap0) for the second in
# which it drains its buffer, window updates included.  Without zero-window
# probes the host -> container direction never resumes; with them (RFC 9293
# 3.8.6.1: 0.2 s after the window closed, then doubling) it does, and the
# transfer completes.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"

BYTES=67108864
sandbox_net
slirp_container
slirp_start
nsenter --net="/run/netns/$REMOTE_NS" -- "$TOOLS/tcpsink" source 7300 "$BYTES" &
on_exit "kill $!"
retry 100 _listening "$REMOTE_NS" tcp 7300 || fail "tcpsink source did not start"

in_cns() { nsenter --net="/proc/$CTR_PID/ns/net" -- "$@"; }
on_exit "nsenter --net=/proc/$CTR_PID/ns/net -- nft delete table inet bwack 2>/dev/null"

in_ctr timeout 30 "$TOOLS/tcpsink" recv "$REMOTE_FAR4" 7300 "$BYTES" 1048576 3000 >"$T_TMP/recv.out" 2>&1 &
reader=$!
sleep 2.5
recvq=$(in_cns ss -Htn dst "$REMOTE_FAR4" | awk '{ print $2 }' | head -1)
echo "container's receive queue before the drain: ${recvq:-?} bytes"
in_cns nft -f - <<NFT || fail "nft: cannot add the ACK-dropping rule"
table inet bwack {
	chain out {
		type filter hook output priority 0; policy accept;
		oifname "tap0" tcp sport != 0 tcp dport 7300 counter drop
	}
}
NFT
# keep dropping until the reader has drained its buffer (about a second), so
# that every window update it sent is lost
sleep 0.6
for ((i = 0; i < 50; i++)); do
	[ "$(in_cns ss -Htn dst "$REMOTE_FAR4" | awk '{ print $2 }' | head -1)" = 0 ] && break
	sleep 0.1
done
sleep 0.3
drained=$(in_cns ss -Htn dst "$REMOTE_FAR4" | awk '{ print $2 }' | head -1)
dropped=$(in_cns nft list table inet bwack | grep -o 'packets [0-9]*' | cut -d' ' -f2)
in_cns nft delete table inet bwack
echo "pure ACKs dropped during the drain: $dropped"
[ "${dropped:-0}" -gt 0 ] || fail "no ACK was dropped: the window update was not lost, nothing tested"
[ "$drained" = 0 ] || fail "the reader did not drain its buffer while ACKs were dropped (Recv-Q $drained)"
wait "$reader"
rc=$?
out=$(cat "$T_TMP/recv.out")
[ $rc -eq 0 ] || fail "transfer did not complete after the lost window update (rc $rc): $out"
echo "transfer: $out"
kill -0 "$SLIRP_PID" || fail "burrow-slirp died"
pass
