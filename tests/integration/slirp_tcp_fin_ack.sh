#!/bin/bash
# burrow-slirp: the acknowledgement of the guest's FIN waits, like that of a
# small request, for the peer's own FIN to carry it.  A request/response
# peer closes within the moment after the guest does, so a connection ends
# with one frame to the guest (FIN+ACK) instead of two (ACK, then FIN): one
# trip through the guest's stack fewer per connection.  Counted on tap0 for
# the connections echopeer opens in half a second (connect, 1-byte echo,
# close): the helper's frames that carry neither data nor SYN nor FIN, and
# there are none left but the few whose peer closed more than a moment
# later.  The old code sent one such ACK per connection.  And a peer that
# keeps its side open after the guest's FIN (socat -t 5) must still see the
# guest's FIN acknowledged at once (within 1 ms, the delayed-ack timer): the
# guest's socket goes to FIN-WAIT-2, not FIN-WAIT-1 with a FIN resent.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
need_cmd tcpdump tcpdump
need_cmd socat socat

sandbox_net
serve_echo remote tcp 7100
slirp_container
slirp_start
pcap=$T_TMP/tap.pcap
nsenter --net="/proc/$CTR_PID/ns/net" -- tcpdump --immediate-mode -U -n -s 96 -i tap0 \
	-w "$pcap" "tcp src port 7100" 2>"$T_TMP/tcpdump.err" &
cap=$!
on_exit "kill $cap 2>/dev/null"
retry 100 grep -q "listening on" "$T_TMP/tcpdump.err" || fail "tcpdump did not start"
out=$(in_ctr timeout 30 "$TOOLS/echopeer" conns "$REMOTE_FAR4" 7100 0.5 2>&1) ||
	fail "connections failed: $out"
sleep 0.3
kill "$cap"
wait "$cap" 2>/dev/null
tcpdump -n -r "$pcap" 2>/dev/null > "$T_TMP/tap.txt"
conns=$(grep -c "Flags \[S\.\]" "$T_TMP/tap.txt")
bare=$(grep -c "Flags \[\.\],.* length 0" "$T_TMP/tap.txt")
fins=$(grep -c "Flags \[F\.\]" "$T_TMP/tap.txt")
echo "$out: $conns connections, $fins FIN+ACK, $bare bare ACKs from the helper"
[ "$conns" -ge 100 ] || fail "only $conns connections in half a second"
[ "$fins" -ge $((conns - 2)) ] || fail "$fins FINs for $conns connections"
# the peer closes within tens of microseconds; a loaded machine may miss the
# millisecond now and then
[ $((bare * 4)) -le "$conns" ] ||
	fail "$bare bare ACKs for $conns connections: the guest's FIN was acknowledged apart from ours"

# a peer that stays open for 5 s after the guest's FIN
nsenter --net="/run/netns/$REMOTE_NS" -- socat -t 5 TCP-LISTEN:7201,reuseaddr,fork SYSTEM:"sleep 5" &
on_exit "kill $!"
retry 100 _listening "$REMOTE_NS" tcp 7201 || fail "socat server did not start"
in_ctr socat -t 5 /dev/null "TCP:$REMOTE_FAR4:7201" &
cli=$!
on_exit "kill $cli 2>/dev/null"
state=
for ((i = 0; i < 20; i++)); do
	state=$(in_ctr ss -Htn "dport = :7201" | awk '{print $1}')
	[ "$state" = FIN-WAIT-2 ] && break
	sleep 0.05
done
[ "$state" = FIN-WAIT-2 ] || fail "the guest's FIN was not acknowledged within 1 s (its socket: '${state:-none}')"
slirp_stop || fail "burrow-slirp exit status $?"
pass "$conns connections, $bare bare ACKs; an open peer acknowledged the FIN"
