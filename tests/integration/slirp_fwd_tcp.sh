#!/bin/bash
# burrow-slirp TCP port forwarding: a remote peer reaches a server in the
# rootless container through -t / -p forwards, and the container sees the
# peer's real address (IPv4 and IPv6); the host's loopback appears as the
# gateway through -t and -p forwards (slirp_fwd_splice.sh tests --splice);
# a loopback-only forward is not reachable from the remote peer;
# a taken port and a privileged port are refused with messages naming them
# while the other forwards keep working; data flows both ways.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"

sandbox_net
slirp_container
# a port already taken in the host namespace
as_user socat TCP4-LISTEN:18083,reuseaddr,fork - </dev/null &
taken=$!
on_exit "kill $taken"
retry 100 _listening "$HOST_NS" tcp 18083 || fail "blocker did not start"

slirp_start -6 -t 18080:80 -p 127.0.0.1:18081:80 -p 18083:80 -t 80 -p 18100-18101:7000-7001
ctr_peer_server tcp 80
ctr_peer_server tcp6 80
in_ctr "$TOOLS/echopeer" serve-tcp 7001 &
echo_pid=$!
on_exit "pkill -P $echo_pid; kill $echo_pid"	# nsenter forks: its child, then itself
retry 100 _ctr_listening tcp 7001 || fail "container echo server did not start"

grep -q "port 18083.*Address already in use" "$T_TMP/slirp.log" ||
	fail "taken port not reported: $(cat "$T_TMP/slirp.log")"
grep -q "port 80.*ip_unprivileged_port_start" "$T_TMP/slirp.log" ||
	fail "privileged port not reported: $(cat "$T_TMP/slirp.log")"

out=$(peer_of in_remote socat -T5 - "TCP4:$HOST_IP4:18080")
expect_eq "remote IPv4 peer seen by the container" "peer=$REMOTE_IP4" "$out"
out=$(peer_of in_remote socat -T5 - "TCP6:[$HOST_IP6]:18080")
# socat prints IPv6 addresses in full
expect_eq "remote IPv6 peer seen by the container" "peer=[2001:0db8:0001:0000:0000:0000:0000:0002]" "$out"
out=$(peer_of in_host socat -T5 - "TCP4:127.0.0.1:18080")
expect_eq "host loopback through -t: the gateway (frames; --splice is off by default)" "peer=10.0.2.2" "$out"
out=$(peer_of in_host socat -T5 - "TCP4:127.0.0.1:18081")
expect_eq "loopback-only forward from the host" "peer=10.0.2.2" "$out"
in_remote "$TOOLS/echopeer" connect "$HOST_IP4" 18081 >/dev/null 2>&1 &&
	fail "loopback-only forward reachable from the remote peer"

# a range; megabytes both ways with half-close through the second port
out=$(in_remote timeout 60 "$TOOLS/echopeer" tcp "$HOST_IP4" 18101 4000000 2>&1)
expect_eq "4 MB echoed through a forwarded range" ok "$out"
for i in $(seq 1 10); do
	out=$(in_remote timeout 20 "$TOOLS/echopeer" tcp "$HOST_IP4" 18101 $((i * 1499)) 2>&1)
	expect_eq "short connection $i" ok "$out"
done
# no server behind a forward: the client is reset, not left hanging
start=$(date +%s%N)
in_remote timeout 20 "$TOOLS/echopeer" tcp "$HOST_IP4" 18100 1000 >/dev/null 2>&1 &&
	fail "forward to a closed container port succeeded"
[ $((($(date +%s%N) - start) / 1000000)) -lt 10000 ] || fail "closed container port: too slow"
kill -0 "$SLIRP_PID" || fail "burrow-slirp died"
pass
