#!/bin/bash
# burrow-slirp under a UDP source-port spray at a published port: a remote
# peer sends one datagram from each of 11,000 source ports, then six more
# addresses 1,000 ports each.  The flows one remote address holds stay at the
# per-source quota (1024) and those of the forward at the per-forward quota
# (4096); meanwhile an established TCP connection of the container keeps
# flowing, and the container opens new TCP connections and UDP flows at once,
# during and after the spray; a new client of the forward is still served;
# the log says what the quotas did.  (Before the quotas the 8,192-entry table
# filled and the container's new connections were reset for 180 s.)
# Descriptors grow by the quota at most, RSS by less than 16 MiB.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"

[ -x "$TOOLS/spray" ] || fail "spray not built"
sandbox_net
extra=()
for i in 21 22 23 24 25 26; do
	in_remote ip addr add "203.0.113.$i/32" dev lo || fail "remote address 203.0.113.$i"
	extra+=("203.0.113.$i")
done
serve_echo remote tcp 7301
serve_echo remote udp 7302 "$REMOTE_FAR4"
slirp_container
slirp_start -p 18090:7002/udp
in_ctr "$TOOLS/echopeer" serve-udp 7002 &
echo_pid=$!
on_exit "pkill -P $echo_pid; kill $echo_pid"
retry 100 _ctr_listening udp 7002 || fail "container echo server did not start"

# flows of the forward: UDP sockets on the published port, less the listener
fwd_flows() { echo $(($(in_host ss -Hun "sport = :18090" | wc -l) - 1)); }
new_conn_ok() { # the container connects at once (one attempt, 3 s)
	local out
	out=$(in_ctr timeout 5 "$TOOLS/echopeer" connect "$REMOTE_FAR4" 7301 2>&1)
	[ $? = 0 ] || fail "$1: the container could not open a new TCP connection: $out"
}

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$SLIRP_PID/status"; }
fds() { ls "/proc/$SLIRP_PID/fd" | wc -l; }
rss0=$(rss); fds0=$(fds)
[ -n "$rss0" ] && [ "$fds0" -gt 3 ] || fail "cannot read burrow-slirp's RSS/fds"

# an established connection of the container, busy for the whole test
in_ctr "$TOOLS/spray" steady "$REMOTE_FAR4" 7301 15 > "$T_TMP/steady.out" 2>&1 &
steady=$!
sleep 0.5

out=$(in_remote timeout 40 "$TOOLS/spray" udp "$HOST_IP4" 18090 11000 20000 2>&1) ||
	fail "spray from one address: $out"
new_conn_ok "after 11,000 source ports of one address"
n=$(fwd_flows)
[ "$n" -le 1024 ] || fail "one remote address holds $n flows (quota 1024)"
[ "$n" -ge 900 ] || fail "only $n flows of the sprayed forward: the spray did not arrive"

out=$(in_remote timeout 40 "$TOOLS/spray" udp "$HOST_IP4" 18090 6000 30000 "${extra[@]}" 2>&1) ||
	fail "spray from six addresses: $out"
new_conn_ok "after the six-address spray"
n=$(fwd_flows)
[ "$n" -le 4096 ] || fail "the forward holds $n flows (quota 4096)"
[ "$n" -ge 3500 ] || fail "only $n flows of the sprayed forward after the second spray"

rss1=$(rss); fds1=$(fds)
echo "burrow-slirp: RSS $rss0 -> $rss1 KiB, descriptors $fds0 -> $fds1"
[ $((fds1 - fds0)) -le $((4096 + 16)) ] || fail "descriptors grew from $fds0 to $fds1"
[ $((rss1 - rss0)) -lt 16384 ] || fail "RSS grew from $rss0 to $rss1 KiB"

out=$(in_ctr timeout 20 "$TOOLS/echopeer" udp "$REMOTE_FAR4" 7302 2>&1)
expect_eq "a new UDP flow of the container" ok "$out"
out=$(in_remote timeout 30 "$TOOLS/echopeer" udp "$HOST_IP4" 18090 2>&1)
expect_eq "a new client of the sprayed forward is served" ok "$out"

wait $steady || fail "the established connection broke: $(cat "$T_TMP/steady.out")"
gap=$(sed -n 's/.*max_gap_ms=//p' "$T_TMP/steady.out")
[ -n "$gap" ] && [ "$gap" -lt 1000 ] ||
	fail "the established connection stalled: $(cat "$T_TMP/steady.out")"
echo "established connection during the spray: $(cat "$T_TMP/steady.out")"
grep -q "flow table: .*idle UDP/ICMP flows evicted" "$T_TMP/slirp.log" ||
	fail "no flow table report in the log: $(tail -5 "$T_TMP/slirp.log")"
grep -m1 "flow table:" "$T_TMP/slirp.log"
kill -0 "$SLIRP_PID" || fail "burrow-slirp died"
pass "forward flows $n, steady gap ${gap} ms"
