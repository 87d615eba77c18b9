#!/bin/bash
# burrow-dns over TCP against slow and foreign clients (adversarial tier):
# connections from outside the served subnets (the remote peer, routed to
# the gateway) are closed at accept(), before they hold anything; a client
# of the network that sends a length prefix and then one byte a second is
# cut at the whole-query deadline (5 s; each byte used to restart a 10 s
# idle timer, so it was never cut); while 32 such connections are held,
# another client is still answered over TCP and UDP; nothing leaks.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/dns.sh"
sandbox_net
sandbox_dns
ctr_ns d; ctr_ns g
NET=$(dns_net tnet bwt0 10.87.60.0/24 10.87.60.1)
D=$(dns_opts dddd dribbler "$(dns_att tnet '"10.87.60.2"' '')" "$NET")
G=$(dns_opts gggg good "$(dns_att tnet '"10.87.60.3"' '')" "$NET")
dns_setup d g
expect_q "TCP works" "$REMOTE_FAR4" g 10.87.60.1 peer.test -t
pid=$(dns_pid)
fds0=$(ls /proc/"$pid"/fd | wc -l)
# conns PEER: established connections of burrow-dns from PEER
conns() { in_host ss -Htn state established "( sport = :53 and dst $1 )" | grep -c .; }

# from outside: the remote peer, given a route to the network's gateway
in_remote ip route add 10.87.60.0/24 via "$HOST_IP4"
retry 50 in_remote ping -c1 -W1 -q 10.87.60.1 >/dev/null || fail "gateway unreachable from the remote"
out=$(in_remote timeout 15 "$TOOLS/dnsload" -D 32 -n 6 -w 1000 10.87.60.1) ||
	fail "dribble from outside: $out"
echo "outside: $out"
[[ "$out" =~ closed\ 32\ of\ 32,\ last\ after\ ([0-9]+)\ ms ]] ||
	fail "connections from outside the subnets kept open: $out"
((BASH_REMATCH[1] < 1000)) || fail "connections from outside closed only after ${BASH_REMATCH[1]} ms"
out=$(in_remote timeout 10 "$TOOLS/dnsq" -t 10.87.60.1 peer.test 2>&1) &&
	fail "a query from outside the subnets was answered over TCP: $out"

# from inside: cut at the whole-query deadline, others still served
in_ctr d timeout 20 "$TOOLS/dnsload" -D 32 -n 12 -w 1000 10.87.60.1 > "$T_TMP/dribble.out" &
dribbler=$!
on_exit "kill $dribbler 2>/dev/null"
sleep 2
held=$(conns 10.87.60.2)
((held >= 30)) || fail "test broken: only $held dribbling connections open"
expect_q "another client over TCP while 32 are held" "$REMOTE_FAR4" g 10.87.60.1 peer.test -t
expect_q "another client over UDP" "$REMOTE_FAR4" g 10.87.60.1 peer.test
wait "$dribbler"
out=$(cat "$T_TMP/dribble.out")
echo "inside: $out"
[[ "$out" =~ closed\ 32\ of\ 32,\ last\ after\ ([0-9]+)\ ms ]] ||
	fail "dribbling connections not cut within 12 s: $out"
((BASH_REMATCH[1] <= 7500)) || fail "dribbling connections cut only after ${BASH_REMATCH[1]} ms"
expect_eq "dribbling connections left" 0 "$(conns 10.87.60.2)"
for ((i = 0; i < 50; i++)); do
	fds1=$(ls /proc/"$pid"/fd | wc -l)
	[ "$fds1" = "$fds0" ] && break
	sleep 0.1
done
expect_eq "burrow-dns fds after the dribble" "$fds0" "$fds1"
dns_finish d g
