#!/bin/bash
# burrow-bridge under cnitool (CNI 1.3's libcni, the library containerd, CRI-O
# and nerdctl use) with CNI 1.1 conflists: ADD, CHECK, STATUS, DEL and GC.
#   net "cnpm": burrow-bridge chained with Debian's portmap (prevResult)
#   net "cnown": burrow-bridge alone with the portMappings capability
# Addresses, pod-to-pod and outbound reachability, hostPort from the remote
# peer through both paths; DEL and GC leave no link, nft element, iptables
# chain, burrow state or libcni cache entry.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/consumers.sh"
need_bin burrow-bridge
need_cmd /usr/lib/cni/portmap containernetworking-plugins
need_cmd iptables-save iptables
need_consumer cnitool
sandbox_net
ctr_ns a; ctr_ns b; ctr_ns c

PLUG="$T_TMP/cni-bin"; cni_plugin_dir "$PLUG"
CONFD="$T_TMP/net.d"; mkdir -p "$CONFD"
PM_NET="cnpm$$" OWN_NET="cnown$$"
# dual-stack, so that libcni's result carries both families through the chain
cni_conflist "$CONFD/10-pm.conflist" "$PM_NET" cnpm0 10.88.21.0/24 portmap fd00:88:21::/64
cni_conflist "$CONFD/20-own.conflist" "$OWN_NET" cnown0 10.88.22.0/24
# libcni keeps its attachment cache in /var/lib/cni/results, named by network
on_exit "rm -f /var/lib/cni/results/$PM_NET-* /var/lib/cni/results/$OWN_NET-*"

# ct CMD NET CTR [CAP_ARGS]: cnitool as a runtime calls it, in the sandbox host
ct() {
	in_host env NETCONFPATH="$CONFD" CNI_PATH="$PLUG" BURROW_BRIDGE_CONFIG="$BR_CFG" \
		${4:+CAP_ARGS="$4"} "$CONSUMERS_BIN/cnitool" "$1" "$2" "$(ctr_path "$3")"
}
on_exit "ct del $PM_NET a; ct del $OWN_NET b; ct del $OWN_NET c"
pm() { printf '{"portMappings":[{"hostPort":%s,"containerPort":80,"protocol":"tcp"}]}' "$1"; }

out=$(tool_time "cnitool add (burrow-bridge+portmap)" ct add "$PM_NET" a "$(pm 8081)") || fail "add a: $out"
[[ "$out" == *'"address": "10.88.21.2/24"'* ]] || fail "add a result: $out"
[[ "$out" == *'"gateway": "10.88.21.1"'* ]] || fail "add a gateway: $out"
[[ "$out" == *'"address": "fd00:88:21::2/64"'* ]] || fail "add a IPv6 result: $out"
[[ "$out" == *'"cniVersion": "1.0.0"'* ]] || fail "add a result version: $out"
out=$(tool_time "cnitool add (burrow-bridge own ports)" ct add "$OWN_NET" b "$(pm 8082)") || fail "add b: $out"
[[ "$out" == *'"address": "10.88.22.2/24"'* ]] || fail "add b result: $out"
[[ "$out" == *'"cniVersion": "1.1.0"'* ]] || fail "add b result version: $out"
# c's mapping spelled as containerd's CRI plugin sends it (go-cni: Go field
# names, no JSON tags); Go's decoder in the reference plugins ignores case
out=$(ct add "$OWN_NET" c '{"portMappings":[{"HostPort":8083,"ContainerPort":80,"Protocol":"tcp","HostIP":""}]}') ||
	fail "add c (capitalised portMappings keys): $out"
[[ "$out" == *'"address": "10.88.22.3/24"'* ]] || fail "add c result: $out"

expect_eq "a's address" "10.88.21.2/24" "$(in_ctr a ip -4 -o addr show dev eth0 | awk '{print $4}')"
expect_eq "a's default route" "default via 10.88.21.1 dev eth0" "$(in_ctr a ip -4 route show default | sed 's/ *$//')"
in_ctr b ping -c1 -W2 -q 10.88.22.3 >/dev/null || fail "b reaches c on its bridge"
in_ctr a ping -c1 -W2 -q "$REMOTE_FAR4" >/dev/null || fail "a reaches the remote peer (ipMasq)"
in_ctr b ping -c1 -W2 -q "$REMOTE_FAR4" >/dev/null || fail "b reaches the remote peer (ipMasq)"

serve a tcp 80; serve b tcp 80; serve c tcp 80
got=$(ask_until in_remote tcp "$HOST_IP4" 8081) || fail "remote -> host:8081 (portmap chained) got nothing"
expect_eq "portmap chained after burrow-bridge" "a $REMOTE_IP4" "$got"
got=$(ask_until in_remote tcp "$HOST_IP4" 8082) || fail "remote -> host:8082 (burrow-bridge portMappings) got nothing"
expect_eq "burrow-bridge's own port mapping" "b $REMOTE_IP4" "$got"
ASK_CTR=b
got=$(ask_until in_c tcp "$HOST_IP4" 8083) || fail "b -> host:8083 (to c on the same bridge) got nothing"
[[ "$got" == "c "* ]] || fail "b -> host:8083 reached '$got'"
got=$(ask_until in_remote tcp "$HOST_IP4" 8083) || fail "remote -> host:8083 got nothing"
expect_eq "second own port mapping" "c $REMOTE_IP4" "$got"

# no CHECK of the chained list: Debian's portmap 1.1.1 CHECK looks for its
# IPv4 DNAT rules in ip6tables too and so fails on every attachment
out=$(ct check "$OWN_NET" b "$(pm 8082)" 2>&1) || fail "check b: $out"
# CHECK must notice a broken attachment: its address gone (the CNI spec's
# CHECK compares the interface with the result), then its interface gone;
# DEL still cleans it up below
in_ctr b ip addr del 10.88.22.2/24 dev eth0
out=$(ct check "$OWN_NET" b "$(pm 8082)" 2>&1) && fail "check passed on b with its address removed"
[[ "$out" == *"lacks its address 10.88.22.2/24"* ]] || fail "check on b without its address: $out"
in_ctr b ip link del eth0
out=$(ct check "$OWN_NET" b "$(pm 8082)" 2>&1) && fail "check passed on b with its eth0 deleted"
[[ "$out" == *"is missing"* ]] || fail "check on broken b: $out"
out=$(ct status "$OWN_NET" a 2>&1) || fail "status: $out"
out=$(ct status "$PM_NET" a 2>&1) || fail "status (chained): $out"

elems_before=$(nft_elements)
[ "$elems_before" -gt 0 ] || fail "no nft elements while three attachments run"
out=$(ct del "$OWN_NET" b "$(pm 8082)" 2>&1) || fail "del b: $out"
settle
in_ctr b ip link show eth0 >/dev/null 2>&1 && fail "del left b's eth0"
[ "$(nft_elements)" -lt "$elems_before" ] || fail "del b removed no nft element ($elems_before before)"
ask in_remote tcp "$HOST_IP4" 8082 | grep -q . && fail "host:8082 still forwards after del b"
got=$(ask_until in_remote tcp "$HOST_IP4" 8083) || fail "del b broke c's port mapping"
out=$(ct del "$OWN_NET" b "$(pm 8082)" 2>&1) || fail "second del b: $out"

# GC from cnitool has no valid attachments: libcni DELs every attachment it
# cached, then burrow-bridge's GC removes the ones only it knows. c's cache
# entry goes first, as when a runtime loses its cache in a crash.
rm -f /var/lib/cni/results/"$OWN_NET"-*
out=$(tool_time "cnitool gc" ct gc "$OWN_NET" c 2>&1) || fail "gc $OWN_NET: $out"
settle
in_ctr c ip link show eth0 >/dev/null 2>&1 && fail "gc left c's eth0 (known only to burrow-bridge)"
ask in_remote tcp "$HOST_IP4" 8083 | grep -q . && fail "host:8083 still forwards after gc"
in_ctr a ping -c1 -W2 -q "$REMOTE_FAR4" >/dev/null || fail "gc of $OWN_NET broke a on $PM_NET"
out=$(ct gc "$PM_NET" a 2>&1) || fail "gc $PM_NET: $out"
settle
in_ctr a ip link show eth0 >/dev/null 2>&1 && fail "gc left a's eth0"
ask in_remote tcp "$HOST_IP4" 8081 | grep -q . && fail "host:8081 still forwards after gc"

no_trace
expect_eq "nft elements left" 0 "$(nft_elements)"
left=$(in_host iptables-save 2>/dev/null | grep -c 'CNI-DN-' || true)
expect_eq "portmap iptables rules left" 0 "$left"
left=$(ls /var/lib/cni/results 2>/dev/null | grep -c -e "^$PM_NET-" -e "^$OWN_NET-" || true)
expect_eq "libcni cache entries left" 0 "$left"
print_times
pass
