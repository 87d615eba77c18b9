#!/bin/bash
# burrow-slirp at MTU 1500: segments larger than the MTU go to the container
# as TSO frames and come from it as GSO frames; data stays intact both ways.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"

sandbox_net
slirp_container
slirp_start --mtu 1500 --enable-ipv6
serve_echo remote tcp 7030
expect_eq "MTU" "mtu 1500" "$(in_ctr ip -o link show tap0 | grep -o 'mtu [0-9]*')"
out=$(in_ctr timeout 60 "$TOOLS/echopeer" tcp "$REMOTE_FAR4" 7030 4000000 2>&1)
expect_eq "4 MB over IPv4 at MTU 1500" ok "$out"
out=$(in_ctr timeout 60 "$TOOLS/echopeer" tcp "$REMOTE_FAR6" 7030 2000000 2>&1)
expect_eq "2 MB over IPv6 at MTU 1500" ok "$out"
pass
