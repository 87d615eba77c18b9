#!/bin/bash
# burrow-slirp TCP without SO_PEEK_OFF (forced with BURROW_SLIRP_NO_PEEK_OFF=1,
# the path taken on kernels older than 6.9, e.g. Debian 12's 6.1): host data
# is peeked after the bytes still in flight to the container, so large
# transfers both ways arrive intact (echopeer verifies the content), to a
# remote peer, to the host's loopback and through a forwarded port.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"

sandbox_net
slirp_container
SLIRP_ENV=BURROW_SLIRP_NO_PEEK_OFF=1 slirp_start --debug -t 18101:7001
grep -q "SO_PEEK_OFF not used" "$T_TMP/slirp.log" ||
	fail "fallback not in use: $(cat "$T_TMP/slirp.log")"
serve_echo remote tcp 7000
serve_echo host tcp 7001 127.0.0.1
in_ctr "$TOOLS/echopeer" serve-tcp 7001 &
echo_pid=$!
on_exit "pkill -P $echo_pid; kill $echo_pid"	# nsenter forks: its child, then itself
retry 100 _ctr_listening tcp 7001 || fail "container echo server did not start"

out=$(in_ctr timeout 90 "$TOOLS/echopeer" tcp "$REMOTE_FAR4" 7000 32000000 2>&1)
expect_eq "32 MB echoed by the remote peer" ok "$out"
out=$(in_ctr timeout 60 "$TOOLS/echopeer" tcp 10.0.2.2 7001 8000000 2>&1)
expect_eq "8 MB echoed by the host's loopback" ok "$out"
out=$(in_remote timeout 60 "$TOOLS/echopeer" tcp "$HOST_IP4" 18101 16000000 2>&1)
expect_eq "16 MB echoed through a forwarded port" ok "$out"
for i in $(seq 1 10); do
	out=$(in_ctr timeout 20 "$TOOLS/echopeer" tcp "$REMOTE_FAR4" 7000 $((i * 997)) 2>&1)
	expect_eq "short connection $i" ok "$out"
	out=$(in_remote timeout 20 "$TOOLS/echopeer" tcp "$HOST_IP4" 18101 $((i * 1499)) 2>&1)
	expect_eq "short forwarded connection $i" ok "$out"
done
kill -0 "$SLIRP_PID" || fail "burrow-slirp died"
pass
