#!/bin/bash
# burrow-slirp under a SYN spray from inside the container: 10,000 raw SYNs
# (CAP_NET_RAW in the container's namespaces) to a remote port that accepts,
# whose SYN-ACKs the container never acknowledges (its RSTs are dropped by
# an nft rule in the container).  The half-open flows are evicted first: the
# container opens new connections during and after the spray, an established
# connection keeps flowing, the flows stay within the table, and the log
# says what was evicted.  An unacknowledged SYN-ACK is sent again after 1 and
# 2 more seconds (the kernel's SYN-RECV timer; the flow is given up at 63 s,
# beyond this test's bound).  (Before: the SYN-ACKed flows stayed for good and
# the container's new connections were reset.)
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"

[ -x "$TOOLS/spray" ] || fail "spray not built"
sandbox_net
ip netns exec "$REMOTE_NS" sysctl -qw net.core.somaxconn=16384
nsenter --net="/run/netns/$REMOTE_NS" -- "$TOOLS/spray" hold 7300 16384 &
hold=$!
on_exit "kill $hold; wait $hold"
retry 100 _listening "$REMOTE_NS" tcp 7300 || fail "holding listener did not start"
serve_echo remote tcp 7301
slirp_container
slirp_start

# the container's kernel would reset the SYN-ACKs of SYNs it never sent
in_ctr nft -f - <<EOF || fail "nft rules in the container"
table ip adv {
	chain out {
		type filter hook output priority 0;
		ip daddr $REMOTE_FAR4 tcp dport 7300 tcp flags & rst == rst drop
	}
	chain in {
		type filter hook input priority 0;
		ip saddr $REMOTE_FAR4 tcp sport 7300 tcp dport 5000 tcp flags & (syn | ack) == syn | ack counter
	}
}
EOF
new_conn_ok() {
	local out
	out=$(in_ctr timeout 5 "$TOOLS/echopeer" connect "$REMOTE_FAR4" 7301 2>&1)
	[ $? = 0 ] || fail "$1: the container could not open a new TCP connection: $out"
}
synacks() { in_ctr nft list chain ip adv in | sed -n 's/.*counter packets \([0-9]*\).*/\1/p'; }

# one SYN first: its SYN-ACK must come again at 1 s and 3 s
out=$(in_ctr "$TOOLS/spray" syn 10.0.2.100 "$REMOTE_FAR4" 7300 1 5000 2>&1) ||
	fail "raw SYN from the container: $out"
sleep 4
c=$(synacks)
[ -n "$c" ] && [ "$c" -ge 3 ] || fail "SYN-ACKs of one unanswered SYN within 4 s: '$c' (want 3: 0, 1, 3 s)"

in_ctr "$TOOLS/spray" steady "$REMOTE_FAR4" 7301 12 > "$T_TMP/steady.out" 2>&1 &
steady=$!
sleep 0.5
in_ctr timeout 40 "$TOOLS/spray" syn 10.0.2.100 "$REMOTE_FAR4" 7300 10000 20000 \
	> "$T_TMP/spray.out" 2>&1 &
spray=$!
sleep 0.3
new_conn_ok "during the spray"
wait $spray || fail "SYN spray: $(cat "$T_TMP/spray.out")"
new_conn_ok "after 10,000 SYNs"
for i in 1 2 3 4 5; do new_conn_ok "after the spray, connection $i"; done
n=$(in_host ss -Htna "dport = :7300" | wc -l)
echo "host connections of the sprayed flows: $n"
[ "$n" -le 8192 ] || fail "$n flows to the sprayed port: more than the table"
[ "$n" -ge 4000 ] || fail "only $n flows to the sprayed port: the spray did not arrive"


wait $steady || fail "the established connection broke: $(cat "$T_TMP/steady.out")"
gap=$(sed -n 's/.*max_gap_ms=//p' "$T_TMP/steady.out")
[ -n "$gap" ] && [ "$gap" -lt 1000 ] ||
	fail "the established connection stalled: $(cat "$T_TMP/steady.out")"
echo "established connection during the spray: $(cat "$T_TMP/steady.out")"
retry 30 grep -qE "flow table: .* so far [1-9][0-9]* half-open TCP" "$T_TMP/slirp.log" ||
	fail "no flow table report in the log: $(tail -5 "$T_TMP/slirp.log")"
grep -m1 "flow table:" "$T_TMP/slirp.log"
kill -0 "$SLIRP_PID" || fail "burrow-slirp died"
pass "sprayed flows held $n, SYN-ACKs of one SYN $c, steady gap ${gap} ms"
