#!/bin/bash
# burrow-bridge gives the bridge an address of its own (addr_assign_type
# "set"), so it does not follow its lowest port's: when a container leaves,
# even the one whose port had the lowest address, the bridge keeps its MAC and
# the other containers reach their gateway at once with the neighbour entry
# they have (no flush, no waiting seconds for the entry to go stale).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
sandbox_net
ctr_ns a; ctr_ns b; ctr_ns c
NET=$(nv_net mnet bm0 10.79.0.0/24 10.79.0.1)
A=$(nv_opts aaaa '[]' "$(nv_att mnet eth0 '')" "$NET")
B=$(nv_opts bbbb '[]' "$(nv_att mnet eth0 '')" "$NET")
C=$(nv_opts cccc '[]' "$(nv_att mnet eth0 '')" "$NET")
on_exit "nv_teardown a '$A'; nv_teardown b '$B'; nv_teardown c '$C'"

# br_mac: the bridge's address as ip -j link show gives it
br_mac() { in_host ip -j link show bm0 | grep -o '"address":"[^"]*"' | head -1 | cut -d'"' -f4; }
# port_mac CTR: the address of CTR's port on the bridge (the host end of its veth)
port_mac() {
	local peer
	peer=$(in_ctr "$1" ip -j link show eth0 | grep -o '"link_index":[0-9]*' | cut -d: -f2)
	[ -n "$peer" ] || fail "no peer index for $1's eth0"
	in_host ip -j link show | tr '{' '\n' | grep "\"ifindex\":$peer," |
		grep -o '"address":"[^"]*"' | head -1 | cut -d'"' -f4
}

out=$(nv_setup a "$A") || fail "setup a: $out"
mac0=$(br_mac)
[ -n "$mac0" ] || fail "no bridge address"
out=$(nv_setup b "$B") || fail "setup b: $out"
out=$(nv_setup c "$C") || fail "setup c: $out"
expect_eq "bridge MAC after two more ports" "$mac0" "$(br_mac)"
# locally administered unicast: second-lowest bit of the first octet set, lowest clear
(( (0x${mac0%%:*} & 3) == 2 )) || fail "bridge MAC $mac0 is not locally administered unicast"
expect_eq "addr_assign_type (3: set)" "3" \
	"$(ip netns exec "$HOST_NS" cat /sys/class/net/bm0/addr_assign_type)"

# every container has a neighbour entry for the gateway
for x in a b c; do
	retry 30 in_ctr $x ping -c1 -W1 -q 10.79.0.1 >/dev/null || fail "$x cannot ping its gateway"
done

# the worst case: the container whose port has the lowest address leaves (a
# bridge without an address of its own had exactly that one)
low=; lowmac=ff:ff:ff:ff:ff:ff
for x in a b c; do
	m=$(port_mac $x)
	[ -n "$m" ] || fail "no port address for $x"
	[[ "$m" < "$lowmac" ]] && { low=$x; lowmac=$m; }
done
case $low in a) J=$A ;; b) J=$B ;; c) J=$C ;; esac
nv_teardown "$low" "$J" >/dev/null || fail "teardown $low"
expect_eq "bridge MAC after $low ($lowmac) left" "$mac0" "$(br_mac)"
# the port is really gone (synchronously or by the deleting child)
settle
expect_eq "bridge MAC once $low's port is deleted" "$mac0" "$(br_mac)"
for x in a b c; do
	[ "$x" = "$low" ] && continue
	in_ctr $x ip neigh show 10.79.0.1 dev eth0 | grep -qi "$mac0" ||
		fail "$x's neighbour entry for the gateway: $(in_ctr $x ip neigh show dev eth0)"
	# one lost echo on a loaded machine is allowed, not seconds of them
	retry 3 in_ctr $x ping -c1 -W1 -q 10.79.0.1 >/dev/null ||
		fail "$x cannot ping its gateway right after $low left"
done

for x in a b c; do
	case $x in a) J=$A ;; b) J=$B ;; c) J=$C ;; esac
	nv_teardown $x "$J" >/dev/null || fail "teardown $x"
done
no_trace
pass
