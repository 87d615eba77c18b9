#!/bin/bash
# burrow-slirp ICMP echo: the container pings the remote peer (IPv4 and IPv6)
# through unprivileged ping sockets, and the gateway.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"

sandbox_net
slirp_container
slirp_start --enable-ipv6
check "ping the remote peer" retry 20 in_ctr ping -c1 -W2 -q "$REMOTE_FAR4"
check "ping the gateway" retry 20 in_ctr ping -c1 -W2 -q 10.0.2.2
check "ping the remote peer over IPv6" retry 20 in_ctr ping -6 -c1 -W2 -q "$REMOTE_FAR6"
check "ping 1400-byte payload" in_ctr ping -c2 -W2 -q -s 1400 "$REMOTE_FAR4"
pass
