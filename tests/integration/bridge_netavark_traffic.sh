#!/bin/bash
# burrow-bridge as netavark: two containers on one bridge network reach each
# other and the remote peer (masqueraded as the host), the status block has
# their addresses; teardown, also twice, leaves no link, rule or lease.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
sandbox_net
ctr_ns a; ctr_ns b
NET=$(nv_net wnet bw0 10.77.0.0/24 10.77.0.1)
A=$(nv_opts aaaa '[]' "$(nv_att wnet eth0 '"10.77.0.2"')" "$NET")
B=$(nv_opts bbbb '[]' "$(nv_att wnet eth0 '')" "$NET")
on_exit "nv_teardown a '$A'; nv_teardown b '$B'"

out=$(nv_setup a "$A") || fail "setup a: $out"
expect_eq "status block address" "10.77.0.2/24" "$(jfield "$out" ipnet)"
expect_eq "status block gateway" "10.77.0.1" "$(jfield "$out" gateway)"
mac=$(jfield "$out" mac_address)
expect_eq "MAC in status" "$mac" "$(in_ctr a ip -o link show eth0 | grep -o "link/ether [0-9a-f:]*" | cut -d" " -f2)"
out=$(nv_setup b "$B") || fail "setup b: $out"
ipb=$(jfield "$out" ipnet)
expect_eq "next free address" "10.77.0.3/24" "$ipb"

# an IPv4-only network stays quiet: no IPv6 link-local chatter flooded to every port
in_ctr a ip -6 addr show dev eth0 | grep -q fe80 && fail "IPv6 link-local address on an IPv4-only network"

# container <-> container, container -> remote (source is the host's address)
in_ctr a ping -c1 -W2 -q 10.77.0.3 >/dev/null || fail "a cannot reach b"
in_ctr b ping -c1 -W2 -q 10.77.0.2 >/dev/null || fail "b cannot reach a"
serve remote tcp 7000 "$REMOTE_FAR4"
ASK_CTR=a
got=$(ask_until in_c tcp "$REMOTE_FAR4" 7000) || fail "a cannot reach the remote peer"
expect_eq "masqueraded source" "remote $HOST_IP4" "$got"
in_ctr a ip route show default | grep -q "^default via 10.77.0.1 dev eth0" ||
	fail "no default route via the gateway: $(in_ctr a ip route)"

# teardown: links, rules and leases go; twice is fine
nv_teardown a "$A" >/dev/null || fail "teardown a"
in_host ip link show bw0 >/dev/null 2>&1 || fail "bridge removed while b is on it"
in_ctr b ping -c1 -W2 -q "$REMOTE_FAR4" >/dev/null || fail "b lost its network when a left"
nv_teardown b "$B" >/dev/null || fail "teardown b"
out=$(nv_teardown b "$B") || fail "second teardown failed: $out"
no_trace
in_ctr a ip link show eth0 >/dev/null 2>&1 && fail "eth0 left in container a"
pass
