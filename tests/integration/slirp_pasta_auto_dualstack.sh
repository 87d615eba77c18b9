#!/bin/bash
# burrow-slirp's pasta face with -4 -t auto -u auto, as rootlesskit 2 calls
# pasta (--ipv4-only --tcp-ports=auto --udp-ports=auto): a server listening on
# [::] in the namespace (dual-stack: busybox httpd, nginx, Go servers) shows
# only in /proc/net/tcp6 (udp6), and pasta publishes it all the same, the
# IPv4 connection reaching it as ::ffff:ADDR. burrow-slirp read the IPv6 files
# only when the namespace had IPv6, so with -4 such a server was never
# published (found under rootless nerdctl with --net=pasta: httpd on :::8096).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"
need_bin burrow-slirp
need_cmd socat socat

sandbox_net
slirp_container
as_user "$BIN/burrow-slirp" --pasta --config-net -4 -t auto -u auto -T none -U none --quiet \
	"$CTR_PID" > "$T_TMP/pasta.out" 2>&1 || fail "pasta face exit $?: $(cat "$T_TMP/pasta.out")"
pid=$(pgrep -u "$TEST_USER" -n -f -- "--pasta --config-net -4 -t auto") || fail "not running"
on_exit "kill $pid"
host_listens() { _listening "$HOST_NS" "$1" "$2"; }

in_ctr socat TCP6-LISTEN:18290,ipv6only=0,reuseaddr,fork SYSTEM:'echo peer=$SOCAT_PEERADDR' &
srv=$!
on_exit "pkill -P $srv; kill $srv"
in_ctr socat UDP6-RECVFROM:18291,ipv6only=0,fork SYSTEM:'echo peer=$SOCAT_PEERADDR' &
usrv=$!
on_exit "pkill -P $usrv; kill $usrv"
# an IPv6-only loopback listener stays unpublished with -4 as without it
in_ctr socat TCP6-LISTEN:18292,bind=[::1],reuseaddr,fork SYSTEM:'echo loopback' &
lo=$!
on_exit "pkill -P $lo; kill $lo"
retry 50 in_ctr bash -c "grep -qi ':$(printf %04X 18290) .* 0A ' /proc/net/tcp6" || fail "the [::] listener did not start"
# nothing of these is in the IPv4 file: only the IPv6 one shows them
in_ctr grep -qi ":$(printf %04X 18290) " /proc/net/tcp && fail "the [::] listener shows in /proc/net/tcp: the test proves nothing"

retry 40 host_listens tcp 18290 || fail "TCP 18290 (listening on [::] in the namespace) not forwarded within 4 s"
retry 40 host_listens udp 18291 || fail "UDP 18291 (bound on [::] in the namespace) not forwarded within 4 s"
# socat writes an IPv6 peer in full: [0000:...:ffff:HHHH:HHHH]
mapped="[0000:0000:0000:0000:0000:ffff:$(printf '%02x%02x:%02x%02x' ${REMOTE_IP4//./ })]"
out=$(peer_of in_remote socat -T5 - "TCP4:$HOST_IP4:18290")
expect_eq "the remote peer through an auto forward to a [::] listener" "peer=$mapped" "$out"
out=$(peer_of in_remote bash -c "echo hi | timeout 5 socat -T2 - UDP4:$HOST_IP4:18291")
expect_eq "UDP through an auto forward to a [::] socket" "peer=$mapped" "$out"
sleep 2
host_listens tcp 18292 && fail "a socket bound to the namespace's ::1 was published"

pkill -P $srv; kill $srv 2>/dev/null
retry 40 bash -c "! nsenter --net=/run/netns/$HOST_NS ss -Hltn 'sport = :18290' | grep -q ." ||
	fail "host port 18290 still open after the namespace stopped listening"
kill -0 "$pid" || fail "burrow-slirp died"
pass
