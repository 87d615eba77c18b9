#!/bin/bash
# burrow-netns link add-bridge makes the bridge burrow-bridge makes (one link
# layer for both): down, no forwarding delay, a locally administered address
# of its own that it keeps when a port with a lower address joins and leaves
# (a bridge without one takes its lowest port's).  Rootful, in a namespace
# this test made.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/netns.sh"

A="${T_ID}a"
netns_cleanup_rootful "$A"
check "create $A" "$NETNS" create "$A"
mac_of() { "$NETNS" exec "$A" ip -o link show "$1" | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2; }

check "add-bridge" "$NETNS" link "$A" add-bridge br0
info=$("$NETNS" exec "$A" ip -d -o link show br0) || fail "br0 not made"
[[ "$info" == *"forward_delay 0 "* ]] || fail "forwarding delay: $info"
[[ "$info" != *"<"*UP*">"* ]] || fail "made up: $info"
mac=$(mac_of br0)
[ -n "$mac" ] || fail "no address on br0"
(( 0x${mac:0:2} & 2 )) && ! (( 0x${mac:0:2} & 1 )) || fail "$mac is not a locally administered unicast address"

# a port whose address is lower than any locally administered one
check "add-veth" "$NETNS" link "$A" add-veth v0 v1
check "set-mac" "$NETNS" link "$A" set-mac v0 00:00:5e:00:53:01
check "set-master" "$NETNS" link "$A" set-master v0 br0
check "up v0" "$NETNS" link "$A" up v0
expect_eq "bridge address with a port" "$mac" "$(mac_of br0)"
check "delete v0" "$NETNS" link "$A" delete v0
expect_eq "bridge address after the port left" "$mac" "$(mac_of br0)"
check "delete $A" "$NETNS" delete "$A"
pass
