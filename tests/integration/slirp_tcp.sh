#!/bin/bash
# burrow-slirp TCP, IPv4: the rootless container reaches a remote peer and the
# host's loopback (through the gateway address), megabytes both ways in large
# frames with half-close; a closed port answers with a reset at once.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"

sandbox_net
slirp_container
slirp_start
serve_echo remote tcp 7000
serve_echo host tcp 7001 127.0.0.1

out=$(in_ctr timeout 60 "$TOOLS/echopeer" tcp "$REMOTE_FAR4" 7000 8000000 2>&1)
expect_eq "8 MB echoed by the remote peer" ok "$out"
out=$(in_ctr timeout 60 "$TOOLS/echopeer" tcp 10.0.2.2 7001 4000000 2>&1)
expect_eq "4 MB echoed by the host's loopback" ok "$out"
# many short connections in a row
for i in $(seq 1 20); do
	out=$(in_ctr timeout 20 "$TOOLS/echopeer" tcp "$REMOTE_FAR4" 7000 $((i * 997)) 2>&1)
	expect_eq "short connection $i" ok "$out"
done
start=$(date +%s%N)
out=$(in_ctr timeout 20 "$TOOLS/echopeer" connect "$REMOTE_FAR4" 7999 2>&1)
echo "$out" | grep -q "Connection refused" || fail "closed port: expected a refusal, got: $out"
[ $((($(date +%s%N) - start) / 1000000)) -lt 5000 ] || fail "refusal took too long"
kill -0 "$SLIRP_PID" || fail "burrow-slirp died"
pass
