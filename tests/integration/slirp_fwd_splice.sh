#!/bin/bash
# burrow-slirp's splice path (--splice): a client on the host's loopback
# reaching a forward is connected socket to socket (the container sees its own address,
# not the gateway): 16 MB echoed both ways with half-close over IPv4 and
# IPv6, a reply after the client's half-close, 300 connections at once;
# a container service bound only to 127.0.0.1 is NOT reachable through a
# forward (podman#24045), from loopback or from the remote peer; a closed
# container port resets the client; the socket helper runs under its own
# name and ends with burrow-slirp; if it dies, loopback clients take the
# frame path.  Then the default and --no-splice: the same forward shows
# the gateway again and still carries data, and no helper is started.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"

[ -x "$TOOLS/connburst" ] || fail "connburst not built"
sandbox_net
slirp_container

ctr_echo() { # PORT [ADDR]: echo server in the container
	in_ctr "$TOOLS/echopeer" serve-tcp "$@" &
	local pid=$!
	on_exit "pkill -P $pid; kill $pid"	# nsenter forks: its child, then itself
	retry 100 _ctr_listening tcp "$1" || fail "container echo server $1 did not start"
}
helpers() { pgrep -u "$TEST_USER" -f '^burrow-slirp: splice helper' | wc -l; }

FWD=(-6 -t 18200:7000 -t 18201:80 -t 18202:7002 -t 18203:7999 -p 18204:80)
slirp_start --splice "${FWD[@]}"
ctr_echo 7000
ctr_echo 7002 127.0.0.1
ctr_peer_server tcp 80
ctr_peer_server tcp6 80

expect_eq "one splice helper, under its own name" 1 "$(helpers)"
out=$(peer_of in_host socat -T5 - "TCP4:127.0.0.1:18201")
expect_eq "loopback client through -t: the container's own address" "peer=10.0.2.100" "$out"
out=$(peer_of in_host socat -T5 - "TCP6:[::1]:18201")
expect_eq "IPv6 loopback client: the container's own IPv6 address" \
	"peer=[fd00:0000:0000:0000:0000:0000:0000:0100]" "$out"
out=$(peer_of in_host socat -T5 - "TCP4:127.0.0.1:18204")
expect_eq "--splice covers -p forwards too" "peer=10.0.2.100" "$out"
out=$(peer_of in_remote socat -T5 - "TCP4:$HOST_IP4:18201")
expect_eq "remote client: its own address (frames, not spliced)" "peer=$REMOTE_IP4" "$out"

out=$(in_host timeout 60 "$TOOLS/echopeer" tcp 127.0.0.1 18200 16000000 2>&1)
expect_eq "16 MB both ways with half-close, IPv4" ok "$out"
out=$(in_host timeout 60 "$TOOLS/echopeer" tcp ::1 18200 16000000 2>&1)
expect_eq "16 MB both ways with half-close, IPv6" ok "$out"
for n in 1 1448 65536 300000; do
	out=$(in_host timeout 20 "$TOOLS/echopeer" tcp 127.0.0.1 18200 $n 2>&1)
	expect_eq "$n bytes" ok "$out"
done
out=$(in_host timeout 90 "$TOOLS/connburst" 127.0.0.1 18200 300 60 2>&1) ||
	fail "300 spliced connections at once: $out"

# a service bound to the container's loopback stays private
in_ctr "$TOOLS/echopeer" tcp 127.0.0.1 7002 1000 >/dev/null 2>&1 ||
	fail "the loopback-only service does not answer inside the container"
start=$(date +%s%N)
in_host timeout 20 "$TOOLS/echopeer" tcp 127.0.0.1 18202 1000 >/dev/null 2>&1 &&
	fail "container service bound to 127.0.0.1 reached from the host's loopback"
[ $((($(date +%s%N) - start) / 1000000)) -lt 10000 ] || fail "loopback-only service: not reset in time"
in_remote timeout 20 "$TOOLS/echopeer" tcp "$HOST_IP4" 18202 1000 >/dev/null 2>&1 &&
	fail "container service bound to 127.0.0.1 reached from the remote peer"
in_host timeout 20 "$TOOLS/echopeer" tcp 127.0.0.1 18203 1000 >/dev/null 2>&1 &&
	fail "forward to a closed container port succeeded"
kill -0 "$SLIRP_PID" || fail "burrow-slirp died"
out=$(in_host timeout 20 "$TOOLS/echopeer" tcp 127.0.0.1 18200 100000 2>&1)
expect_eq "still working after the resets" ok "$out"

slirp_stop
retry 100 test "$(helpers)" = 0 || fail "splice helper left running after burrow-slirp ended"

slirp_start --splice "${FWD[@]}"
# the helper gone (killed): sockets already made are used up, then loopback
# clients take the frame path; nothing breaks
pkill -KILL -u "$TEST_USER" -f '^burrow-slirp: splice helper'
retry 100 grep -q "splice helper: exited" "$T_TMP/slirp.log" || fail "helper's end not noticed"
for i in $(seq 1 36); do
	out=$(peer_of in_host socat -T5 - "TCP4:127.0.0.1:18201") || fail "connection $i after the helper died"
done
expect_eq "without the helper: the frame path (the gateway)" "peer=10.0.2.2" "$out"
kill -0 "$SLIRP_PID" || fail "burrow-slirp died with its helper"

slirp_stop

slirp_start "${FWD[@]}"
expect_eq "no helper by default" 0 "$(helpers)"
out=$(peer_of in_host socat -T5 - "TCP4:127.0.0.1:18201")
expect_eq "default: loopback client seen as the gateway" "peer=10.0.2.2" "$out"
slirp_stop

slirp_start --no-splice "${FWD[@]}"
expect_eq "no helper with --no-splice" 0 "$(helpers)"
out=$(peer_of in_host socat -T5 - "TCP4:127.0.0.1:18201")
expect_eq "--no-splice: loopback client seen as the gateway" "peer=10.0.2.2" "$out"
out=$(in_host timeout 60 "$TOOLS/echopeer" tcp 127.0.0.1 18200 4000000 2>&1)
expect_eq "--no-splice: 4 MB both ways" ok "$out"
in_host timeout 20 "$TOOLS/echopeer" tcp 127.0.0.1 18202 1000 >/dev/null 2>&1 &&
	fail "--no-splice: container service bound to 127.0.0.1 reached"
pass
