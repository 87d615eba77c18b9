#!/bin/bash
# burrow-slirp UDP port forwarding: a remote peer's datagrams reach a server
# in the rootless container from the peer's real address, the replies come
# back from the forwarded port; the host's loopback appears as the gateway;
# datagrams of up to 8000 bytes echo through a forwarded port.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"

sandbox_net
slirp_container
slirp_start -u 18090:90 -p 18091:7002/udp
ctr_peer_server udp 90
in_ctr "$TOOLS/echopeer" serve-udp 7002 &
echo_pid=$!
on_exit "pkill -P $echo_pid; kill $echo_pid"	# nsenter forks: its child, then itself
retry 100 _ctr_listening udp 7002 || fail "container echo server did not start"

# one datagram, then up to 3 s for the reply
udp_ask() { echo hello | "$@"; }

out=$(peer_of udp_ask in_remote socat -T1 -t3 - "UDP4:$HOST_IP4:18090")
expect_eq "remote peer seen by the container" "peer=$REMOTE_IP4" "$out"
out=$(peer_of udp_ask in_host socat -T1 -t3 - "UDP4:127.0.0.1:18090")
expect_eq "host loopback seen as the gateway" "peer=10.0.2.2" "$out"
out=$(in_remote timeout 60 "$TOOLS/echopeer" udp "$HOST_IP4" 18091 2>&1)
expect_eq "datagrams echoed through the forward" ok "$out"
kill -0 "$SLIRP_PID" || fail "burrow-slirp died"
pass
