#!/bin/bash
# burrow-bridge rolls back a setup that fails half way: a failure injected
# after each step leaves no link, address, rule, lease or record, and leaves
# an existing container's network untouched; a retry then succeeds.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
sandbox_net
ctr_ns a; ctr_ns b
NET=$(nv_net rnet bw7 10.85.0.0/24 10.85.0.1 false '{}' fd00:85::/64 fd00:85::1)
PORTS='[{"host_ip":"","container_port":80,"host_port":8080,"range":2,"protocol":"tcp,udp"}]'
A=$(nv_opts aaaa "$PORTS" "$(nv_att rnet eth0 '')" "$NET")
B=$(nv_opts bbbb '[{"host_ip":"","container_port":80,"host_port":9000,"range":1,"protocol":"tcp"}]' \
	"$(nv_att rnet eth0 '')" "$NET")
on_exit "nv_teardown a '$A'; nv_teardown b '$B'"
steps="bridge ipam veth addr route ports nft state"

# alone on the network: everything, bridge and table included, goes
for s in $steps; do
	out=$(BURROW_BRIDGE_FAIL=$s nv_setup a "$A") && fail "injected failure after $s ignored"
	[[ "$out" == *"injected failure after step '$s'"* ]] || fail "error for $s: $out"
	no_trace
	in_ctr a ip link show eth0 >/dev/null 2>&1 && fail "eth0 left in a after failure at $s"
done

# beside a working container: its bridge, rules and lease stay exactly as they were
out=$(nv_setup b "$B") || fail "setup b: $out"
table=$(in_host nft list table inet burrow)
links=$(in_host ip -o link show | awk -F': ' '{print $2}' | sort)
for s in $steps; do
	out=$(BURROW_BRIDGE_FAIL=$s nv_setup a "$A") && fail "injected failure after $s ignored"
	expect_eq "table after failure at $s" "$table" "$(in_host nft list table inet burrow)"
	expect_eq "links after failure at $s" "$links" "$(in_host ip -o link show | awk -F': ' '{print $2}' | sort)"
	in_ctr a ip link show eth0 >/dev/null 2>&1 && fail "eth0 left in a after failure at $s"
	[ "$(ls "$BR_CFG/burrow-bridge/ipam/rnet" | wc -l)" = 2 ] ||
		fail "leases after failure at $s: $(ls "$BR_CFG/burrow-bridge/ipam/rnet")"
done
retry 20 in_ctr b ping -c1 -W1 -q "$REMOTE_FAR4" >/dev/null || fail "b lost its network"

# a retry works
out=$(nv_setup a "$A") || fail "setup a after the failures: $out"
[[ "$out" == *'"ipnet":"10.85.0.'* ]] || fail "retry status: $out"
nv_teardown a "$A" >/dev/null || fail "teardown a"
nv_teardown b "$B" >/dev/null || fail "teardown b"
no_trace
pass
