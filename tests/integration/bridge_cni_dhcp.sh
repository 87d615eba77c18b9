#!/bin/bash
# burrow-bridge as a CNI plugin with Debian's dhcp IPAM plugin: the link is
# made first (the dhcp daemon leases on the container's interface), then the
# leased address and default route are put on it; the container reaches the
# remote peer (ipMasq) and is reached on its own runtimeConfig port forward;
# a repeated ADD keeps it all;
# DEL releases the lease before the link goes and leaves nothing of ours.
# The DHCP server is busybox udhcpd on the bridge in the sandbox host.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
need_cmd /usr/lib/cni/dhcp containernetworking-plugins
busybox udhcpd --help >/dev/null 2>&1 || fail "busybox has no udhcpd (Debian package busybox-static, installed by make deps)"
sandbox_net
ctr_ns a
PLUG="$T_TMP/plugins"
mkdir -p "$PLUG"; ln -s /usr/lib/cni/* "$PLUG/"; ln -s "$BRIDGE" "$PLUG/burrow-bridge"
SOCK="$T_TMP/dhcp.sock"
cni() {
	in_host env CNI_COMMAND="$1" CNI_CONTAINERID="id$2" CNI_NETNS="$(ctr_path "$2")" CNI_IFNAME=eth0 \
		CNI_PATH="$PLUG" BURROW_BRIDGE_CONFIG="$BR_CFG" "$BRIDGE" <<<"$3"
}
CONF='{"cniVersion":"1.0.0","name":"dhcpnet","type":"burrow-bridge","bridge":"cd0","ipMasq":true,
 "capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":8084,"containerPort":80,"protocol":"tcp"}]},
 "ipam":{"type":"dhcp","daemonSocketPath":"'$SOCK'"}}'

# the network's bridge with the server's address, as on a LAN with a DHCP server
in_host ip link add cd0 type bridge || fail "bridge"
on_exit "in_host ip link del cd0"
in_host ip addr add 10.75.0.1/24 dev cd0
in_host ip link set cd0 up
cat > "$T_TMP/udhcpd.conf" <<CONF
start 10.75.0.100
end 10.75.0.150
interface cd0
lease_file $T_TMP/udhcpd.leases
pidfile $T_TMP/udhcpd.pid
option subnet 255.255.255.0
option router 10.75.0.1
option lease 600
CONF
: > "$T_TMP/udhcpd.leases"
in_host busybox udhcpd -f "$T_TMP/udhcpd.conf" >"$T_TMP/udhcpd.log" 2>&1 &
in_host /usr/lib/cni/dhcp daemon -socketpath "$SOCK" -timeout 20s >"$T_TMP/dhcpd.log" 2>&1 &
# both run in the sandbox host namespace: its clean-up kills them
on_exit "cni DEL a '$CONF' >/dev/null"
retry 100 test -S "$SOCK" || fail "dhcp daemon did not start: $(cat "$T_TMP/dhcpd.log")"

res=$(cni ADD a "$CONF") || fail "ADD: $res (dhcp daemon: $(tail -3 "$T_TMP/dhcpd.log"))"
addr=$(grep -o '"address":"10\.75\.0\.1[0-9][0-9]/24"' <<<"$res" | cut -d'"' -f4)
[ -n "$addr" ] || fail "ADD result has no leased address: $res"
[[ "$res" == *'"gateway":"10.75.0.1"'* ]] || fail "ADD result has no gateway: $res"
in_ctr a ip -4 -o addr show dev eth0 | grep -q " ${addr} " || fail "eth0 does not have $addr"
in_ctr a ip route show default | grep -q "via 10.75.0.1 dev eth0" || fail "no default route via the DHCP router"
in_ctr a ping -c1 -W2 -q "$REMOTE_FAR4" >/dev/null || fail "container cannot reach the remote peer (ipMasq)"
serve a tcp 80
got=$(ask_until in_remote tcp "$HOST_IP4" 8084) || fail "remote -> host:8084 got nothing"
expect_eq "forward to the leased address" "a $REMOTE_IP4" "$got"
# a repeated ADD keeps what is there
res=$(cni ADD a "$CONF") || fail "repeated ADD: $res"
[[ "$res" == *"\"address\":\"$addr\""* ]] || fail "repeated ADD changed the address: $res"
in_ctr a ip -4 -o addr show dev eth0 | grep -q " ${addr} " || fail "repeated ADD: eth0 lost $addr"

out=$(cni DEL a "$CONF") || fail "DEL: $out"
out=$(cni DEL a "$CONF") || fail "second DEL: $out"
settle
in_host ip -o link show | grep -q '^[0-9]*: vb' && fail "veth left behind"
in_host nft list table inet burrow >/dev/null 2>&1 && fail "nftables table left behind"
in_ctr a ip link show eth0 >/dev/null 2>&1 && fail "eth0 left in the container"
pass
