#!/bin/bash
# burrow-slirp UDP and DNS, IPv4: datagrams up to 8000 bytes both ways to a
# remote peer and to the host's loopback; queries to 10.0.2.3 over UDP and TCP
# reach the sandbox's stub resolver (named in $BURROW_RESOLV_CONF).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"

sandbox_net
sandbox_dns
slirp_container
slirp_start
serve_echo remote udp 7002 "$REMOTE_FAR4"
serve_echo host udp 7003 127.0.0.1

out=$(in_ctr timeout 30 "$TOOLS/echopeer" udp "$REMOTE_FAR4" 7002 2>&1)
expect_eq "UDP echo from the remote peer" ok "$out"
out=$(in_ctr timeout 30 "$TOOLS/echopeer" udp 10.0.2.2 7003 2>&1)
expect_eq "UDP echo from the host's loopback" ok "$out"
out=$(in_ctr timeout 20 "$TOOLS/dnsq" 10.0.2.3 peer.test 2>&1)
expect_eq "DNS over UDP through 10.0.2.3" "$REMOTE_FAR4" "$out"
out=$(in_ctr timeout 20 "$TOOLS/dnsq" -t 10.0.2.3 peer.test 2>&1)
expect_eq "DNS over TCP through 10.0.2.3" "$REMOTE_FAR4" "$out"
grep -q peer.test "$T_TMP/stubdns.log" || fail "the stub resolver saw no query"
pass
