#!/bin/bash
# Two burrow namespaces joined by a veth made with burrow-netns, addressed and
# routed through its netconf commands (IPv4 and IPv6, default routes to a
# far address), reach each other; rootful, then rootless in one user
# namespace.  Traffic stays between the namespaces this test made.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/netns.sh"

# wire RUN A B: veth v0 (A) -- v1 (B), addresses, routes, and pings; RUN is
# empty (root) or as_user
wire() {
	local run=$1 a=$2 b=$3
	$run "$NETNS" link "$a" add-veth v0 v1 "$b" || fail "add-veth $a/$b"
	$run "$NETNS" link "$a" set-mtu v0 1400 || fail "set-mtu"
	$run "$NETNS" link "$a" set-mac v0 02:00:00:00:0a:01 || fail "set-mac"
	$run "$NETNS" addr "$a" add v0 198.51.100.1/24 || fail "addr a"
	$run "$NETNS" addr "$a" add v0 2001:db8:1::1/64 || fail "addr6 a"
	$run "$NETNS" addr "$b" add v1 198.51.100.2/24 || fail "addr b"
	$run "$NETNS" addr "$b" add v1 2001:db8:1::2/64 || fail "addr6 b"
	$run "$NETNS" addr "$b" add lo 203.0.113.10/32 || fail "far addr b"
	$run "$NETNS" addr "$b" add lo 2001:db8:2::10/128 || fail "far addr6 b"
	$run "$NETNS" link "$a" up v0 || fail "up v0"
	$run "$NETNS" link "$b" up v1 || fail "up v1"
	$run "$NETNS" route "$a" add default via 198.51.100.2 dev v0 || fail "default route"
	$run "$NETNS" route "$a" add default via 2001:db8:1::2 || fail "default route v6"
	$run "$NETNS" exec "$a" ip -o link show v0 | grep -q 'mtu 1400' || fail "mtu not set"
	$run "$NETNS" exec "$a" ip -o link show v0 | grep -q '02:00:00:00:0a:01' || fail "mac not set"
	retry 50 $run "$NETNS" exec "$a" ping -c1 -W1 -q 198.51.100.2 >/dev/null || fail "$a: no IPv4 to $b"
	retry 50 $run "$NETNS" exec "$a" ping -c1 -W1 -q 203.0.113.10 >/dev/null ||
		fail "$a: default route to 203.0.113.10 does not work"
	retry 50 $run "$NETNS" exec "$a" ping -c1 -W1 -q 2001:db8:2::10 >/dev/null ||
		fail "$a: no IPv6 via the default route"
	# routes go away again
	$run "$NETNS" route "$a" del default via 198.51.100.2 dev v0 || fail "route del"
	$run "$NETNS" exec "$a" ping -c1 -W1 -q 203.0.113.10 >/dev/null 2>&1 &&
		fail "$a: route still there after del"
	out=$($run "$NETNS" route "$a" add 198.51.100.128/25 via 203.0.113.99 2>&1) && fail "unreachable gw accepted"
	[[ "$out" == *"Network is unreachable"* ]] || fail "message: $out"
	# move the peer back and forth, rename, bridge
	$run "$NETNS" link "$b" down v1 || fail "down v1"
	$run "$NETNS" link "$b" rename v1 w1 || fail "rename"
	$run "$NETNS" link "$b" move w1 "$a" || fail "move"
	$run "$NETNS" exec "$a" ip -o link show w1 >/dev/null || fail "w1 not moved"
	$run "$NETNS" link "$a" add-bridge br0 || fail "add-bridge"
	$run "$NETNS" link "$a" set-master w1 br0 || fail "set-master"
	$run "$NETNS" exec "$a" ip -o link show w1 | grep -q 'master br0' || fail "not enslaved"
	$run "$NETNS" link "$a" delete v0 || fail "link delete"
	$run "$NETNS" exec "$a" ip -o link show w1 >/dev/null 2>&1 && fail "peer survived delete"
	return 0
}

A="${T_ID}a"
B="${T_ID}b"
netns_cleanup_rootful "$A"
netns_cleanup_rootful "$B"
check "create $A" "$NETNS" create "$A"
check "create $B" "$NETNS" create "$B"
wire "" "$A" "$B"
check "delete $A" "$NETNS" delete "$A"
check "delete $B" "$NETNS" delete "$B"

# rootless: the second namespace joins the first one's user namespace
need_userns
UA="${T_ID}ua"
UB="${T_ID}ub"
netns_cleanup_rootless "$UA"
netns_cleanup_rootless "$UB"
check "create $UA" as_user "$NETNS" create "$UA"
userns=$(as_user "$NETNS" path "$UA" --user) || fail "path --user"
check "create $UB in $UA's user namespace" as_user "$NETNS" create "$UB" --userns "$userns"
pa=$(holder_of "$UA"); pb=$(holder_of "$UB")
expect_eq "one user namespace" "$(readlink /proc/$pa/ns/user)" "$(readlink /proc/$pb/ns/user)"
wire as_user "$UA" "$UB"
check "delete $UA" as_user "$NETNS" delete "$UA"
check "delete $UB" as_user "$NETNS" delete "$UB"
wait_gone "$pa" || fail "holder $pa left"
wait_gone "$pb" || fail "holder $pb left"
[ ! -e "$(user_state "$UA")" ] && [ ! -e "$(user_state "$UB")" ] || fail "state left behind"
pass
