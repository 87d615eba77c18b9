#!/bin/bash
# burrow-slirp IPv6: the container gets fd00::/64 (static with -c, and from the
# router advertisement), and reaches the remote peer and the host's ::1
# (through fd00::2) over TCP and UDP; DNS through fd00::3.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"

sandbox_net
sandbox_dns
slirp_container
slirp_start --enable-ipv6
serve_echo remote tcp 7010
serve_echo remote udp 7011 "$REMOTE_FAR6"
serve_echo host tcp 7012 ::1

in_ctr ip -6 addr show dev tap0 | grep -q 'inet6 fd00::100/64' || fail "no fd00::100 on tap0"
# SLAAC from our router advertisement
slaac() { in_ctr ip -6 addr show dev tap0 | grep -q 'inet6 fd00::[0-9a-f:]*/64 scope global dynamic'; }
retry 100 slaac ||
	fail "no SLAAC address from the router advertisement"
out=$(in_ctr timeout 60 "$TOOLS/echopeer" tcp "$REMOTE_FAR6" 7010 4000000 2>&1)
expect_eq "TCP over IPv6 to the remote peer" ok "$out"
out=$(in_ctr timeout 60 "$TOOLS/echopeer" tcp fd00::2 7012 1000000 2>&1)
expect_eq "TCP over IPv6 to the host's ::1" ok "$out"
out=$(in_ctr timeout 30 "$TOOLS/echopeer" udp "$REMOTE_FAR6" 7011 2>&1)
expect_eq "UDP over IPv6 to the remote peer" ok "$out"
out=$(in_ctr timeout 20 "$TOOLS/dnsq" -T AAAA fd00::3 peer.test 2>&1)
expect_eq "DNS through fd00::3" "$REMOTE_FAR6" "$out"
pass
