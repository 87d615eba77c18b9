#!/bin/bash
# burrow-slirp's pasta face with -t auto -u auto: a port the container starts
# listening on is forwarded from the same host port within the next scan (a
# second), the container sees the remote peer's address through it, a socket
# bound only to the container's loopback is never published (podman#24045),
# and when the listener goes the host port closes again.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"
need_bin burrow-slirp
need_cmd socat

sandbox_net
slirp_container
as_user "$BIN/burrow-slirp" --pasta --config-net -t auto -u auto -T none -U none --quiet \
	"$CTR_PID" > "$T_TMP/pasta.out" 2>&1 || fail "pasta face exit $?: $(cat "$T_TMP/pasta.out")"
pid=$(pgrep -u "$TEST_USER" -n -f -- "--pasta --config-net -t auto") || fail "not running"
on_exit "kill $pid"

# host_listens PROTO PORT: whether burrow-slirp listens on the host port now
host_listens() { _listening "$HOST_NS" "$1" "$2"; }

host_listens tcp 18280 && fail "port 18280 forwarded before anything listened"
in_ctr socat TCP4-LISTEN:18280,reuseaddr,fork SYSTEM:'echo peer=$SOCAT_PEERADDR' &
srv=$!
on_exit "pkill -P $srv; kill $srv"
in_ctr socat TCP4-LISTEN:18281,bind=127.0.0.1,reuseaddr,fork SYSTEM:'echo loopback' &
lo=$!
on_exit "pkill -P $lo; kill $lo"
in_ctr socat UDP4-RECVFROM:18282,fork SYSTEM:'echo peer=$SOCAT_PEERADDR' &
usrv=$!
on_exit "pkill -P $usrv; kill $usrv"

retry 40 host_listens tcp 18280 || fail "TCP 18280 not forwarded within 4 s"
retry 40 host_listens udp 18282 || fail "UDP 18282 not forwarded within 4 s"
out=$(peer_of in_remote socat -T5 - "TCP4:$HOST_IP4:18280")
expect_eq "the remote peer's address through an auto forward" "peer=$REMOTE_IP4" "$out"
# a datagram may be lost (UDP): peer_of asks again, bounded
out=$(peer_of in_remote bash -c "echo hi | timeout 5 socat -T2 - UDP4:$HOST_IP4:18282")
expect_eq "UDP through an auto forward" "peer=$REMOTE_IP4" "$out"
sleep 2
host_listens tcp 18281 && fail "a socket bound to the container's loopback was published"

pkill -P $srv; kill $srv 2>/dev/null
retry 40 bash -c "! nsenter --net=/run/netns/$HOST_NS ss -Hltn 'sport = :18280' | grep -q ." ||
	fail "host port 18280 still open after the container stopped listening"
kill -0 "$pid" || fail "burrow-slirp died"
pass
