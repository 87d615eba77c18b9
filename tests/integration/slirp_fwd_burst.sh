#!/bin/bash
# burrow-slirp TCP port forwarding under a burst: 1,000 connections opened at
# once from the remote peer to an echo server in the rootless container
# through one forward; every one is answered (none lost, none reset).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"
[ -x "$TOOLS/connburst" ] || fail "connburst not built"

sandbox_net
slirp_container
slirp_start -t 18090:7000
in_ctr "$TOOLS/echopeer" serve-tcp 7000 &
echo_pid=$!
on_exit "pkill -P $echo_pid; kill $echo_pid"	# nsenter forks: its child, then itself
retry 100 _ctr_listening tcp 7000 || fail "container echo server did not start"
out=$(in_remote timeout 60 "$TOOLS/echopeer" tcp "$HOST_IP4" 18090 1000 2>&1)
expect_eq "one connection through the forward" ok "$out"

out=$(in_remote timeout 90 "$TOOLS/connburst" "$HOST_IP4" 18090 1000 60 2>&1) ||
	fail "burst of 1000 connections: $out; burrow-slirp log: $(tail -20 "$T_TMP/slirp.log")"
kill -0 "$SLIRP_PID" || fail "burrow-slirp died"
echo "$out"
slirp_stop || fail "burrow-slirp exit status $? after the burst"
pass "${out#ok }"
