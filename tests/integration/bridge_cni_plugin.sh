#!/bin/bash
# burrow-bridge as a CNI plugin: VERSION; ADD with host-local IPAM delegated
# through CNI_PATH and with its own IPAM; chained with Debian's portmap and
# firewall plugins (prevResult) the forward works from the remote peer; its own
# runtimeConfig.portMappings; CHECK; GC removes what valid-attachments omits;
# DEL twice and with the namespace gone; errors as CNI error JSON with codes.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
need_cmd /usr/lib/cni/host-local containernetworking-plugins
need_cmd /usr/lib/cni/portmap containernetworking-plugins
sandbox_net
ctr_ns a; ctr_ns b; ctr_ns c
PLUG="$T_TMP/plugins"
mkdir -p "$PLUG"; ln -s /usr/lib/cni/* "$PLUG/"; ln -s "$BRIDGE" "$PLUG/burrow-bridge"
HL="$T_TMP/host-local"
# cni CMD CTR CONFIG: run our plugin the way a runtime does
cni() {
	in_host env CNI_COMMAND="$1" CNI_CONTAINERID="id$2" CNI_NETNS="$(ctr_path "$2")" CNI_IFNAME=eth0 \
		CNI_PATH="$PLUG" BURROW_BRIDGE_CONFIG="$BR_CFG" "${PLUGIN:-$BRIDGE}" <<<"$3"
}
BASE='"cniVersion":"1.0.0","name":"cninet"'
CONF='{'$BASE',"type":"burrow-bridge","bridge":"cni7","isGateway":true,"ipMasq":true,"hairpinMode":true,
 "ipam":{"type":"host-local","ranges":[[{"subnet":"10.88.7.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"'$HL'"}}'
on_exit "cni DEL a '$CONF'; cni DEL b '$CONF'; cni DEL c '$CONF'"

out=$(cni VERSION x '') || fail "VERSION"
[[ "$out" == *'"supportedVersions":['*'"1.1.0"'* ]] || fail "VERSION: $out"

resa=$(cni ADD a "$CONF") || fail "ADD a: $resa"
[[ "$resa" == *'"ips":[{"address":"10.88.7.2/24","interface":2,"gateway":"10.88.7.1"}]'* ]] || fail "ADD result: $resa"
[[ "$resa" == *'"sandbox":"'"$(ctr_path a)"'"'* ]] || fail "ADD result sandbox: $resa"
[ -e "$HL/cninet/10.88.7.2" ] || fail "host-local did not record the lease"
in_ctr a ping -c1 -W2 -q "$REMOTE_FAR4" >/dev/null || fail "a cannot reach the remote peer (ipMasq)"

# chained: portmap and firewall after us, each given the previous result
PM='{'$BASE',"type":"portmap","capabilities":{"portMappings":true},
 "runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]},"prevResult":'$resa'}'
resp=$(PLUGIN="$PLUG/portmap" cni ADD a "$PM") || fail "portmap ADD: $resp"
FW='{'$BASE',"type":"firewall","backend":"iptables","prevResult":'$resp'}'
resf=$(PLUGIN="$PLUG/firewall" cni ADD a "$FW") || fail "firewall ADD: $resf"
serve a tcp 80
got=$(ask_until in_remote tcp "$HOST_IP4" 8080) || fail "remote -> host:8080 through portmap got nothing"
expect_eq "portmap forward" "a $REMOTE_IP4" "$got"
out=$(cni CHECK a '{'$BASE',"type":"burrow-bridge","bridge":"cni7","ipam":{"type":"host-local","ranges":[[{"subnet":"10.88.7.0/24"}]],"dataDir":"'$HL'"},"prevResult":'$resa'}') ||
	fail "CHECK: $out"

# our own port mappings and our own IPAM
OWN='{"cniVersion":"1.1.0","name":"ownnet","type":"burrow-bridge","bridge":"cni8","isGateway":true,"ipMasq":true,
 "capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":8081,"containerPort":80,"protocol":"tcp","hostIP":""}]},
 "ipam":{"type":"burrow-bridge","ranges":[[{"subnet":"10.88.8.0/24","gateway":"10.88.8.1"}]]}}'
on_exit "cni DEL c '$OWN'"
resc=$(cni ADD c "$OWN") || fail "ADD c (own IPAM): $resc"
[[ "$resc" == *'"address":"10.88.8.2/24"'* ]] || fail "own IPAM result: $resc"
serve c tcp 80
got=$(ask_until in_remote tcp "$HOST_IP4" 8081) || fail "remote -> host:8081 (own port mapping) got nothing"
expect_eq "own port mapping" "c $REMOTE_IP4" "$got"

# the static IPAM plugin, delegated the same way
ST='{"cniVersion":"1.0.0","name":"stnet","type":"burrow-bridge","bridge":"cni6","isGateway":true,
 "ipam":{"type":"static","addresses":[{"address":"10.88.6.5/24","gateway":"10.88.6.1"}],"routes":[{"dst":"0.0.0.0/0"}]}}'
ctr_ns s
on_exit "cni DEL s '$ST'"
out=$(cni ADD s "$ST") || fail "ADD with static IPAM: $out"
[[ "$out" == *'"address":"10.88.6.5/24","interface":2,"gateway":"10.88.6.1"'* ]] || fail "static IPAM result: $out"
in_ctr s ping -c1 -W2 -q 10.88.6.1 >/dev/null || fail "static address does not reach its gateway"
out=$(cni DEL s "$ST") || fail "DEL with static IPAM: $out"

# GC: b is not a valid attachment any more, a is
resb=$(cni ADD b "$CONF") || fail "ADD b: $resb"
GC='{"cniVersion":"1.1.0","name":"cninet","type":"burrow-bridge","bridge":"cni7","ipam":{"type":"host-local","ranges":[[{"subnet":"10.88.7.0/24"}]],"dataDir":"'$HL'"},
 "cni.dev/valid-attachments":[{"containerID":"ida","ifname":"eth0"}]}'
out=$(cni GC x "$GC") || fail "GC: $out"
settle
in_host ip link show cni7 >/dev/null || fail "GC removed the bridge a still uses"
in_ctr b ip link show eth0 >/dev/null 2>&1 && fail "GC left b's interface"
in_ctr a ip link show eth0 >/dev/null 2>&1 || fail "GC removed a's interface"

# errors: code and message
expect_code() { # CODE OUTPUT
	[[ "$2" == *'"code":'"$1"','* ]] || fail "expected code $1: $2"
}
out=$(cni ADD a '{"cniVersion":') && fail "bad JSON accepted"; expect_code 6 "$out"
out=$(cni ADD a '{"cniVersion":"9.9.9","name":"x","type":"burrow-bridge"}') && fail "bad version accepted"; expect_code 1 "$out"
out=$(cni ADD a '{'$BASE',"type":"burrow-bridge","ipam":{"type":"../../bin/sh"}}') && fail "ipam path accepted"
expect_code 7 "$out"; [[ "$out" == *"config.ipam.type"* ]] || fail "ipam.type error: $out"
out=$(cni ADD a '{"cniVersion":"1.0.0","name":"-n","type":"burrow-bridge","ipam":{"type":"host-local"}}') &&
	fail "option-like network name accepted"
expect_code 7 "$out"; [[ "$out" == *"config.name"* ]] || fail "config.name error: $out"
out=$(cni ADD a '{'$BASE',"type":"burrow-bridge","isGateway":"yes","ipam":{"type":"host-local"}}') && fail "string isGateway accepted"
expect_code 7 "$out"
out=$(in_host env CNI_COMMAND=ADD CNI_CONTAINERID=idz CNI_IFNAME=eth0 CNI_PATH="$PLUG" BURROW_BRIDGE_CONFIG="$BR_CFG" "$BRIDGE" <<<"$CONF") &&
	fail "missing CNI_NETNS accepted"
expect_code 4 "$out"

# DEL in reverse order, twice, and once with the namespace gone
PLUGIN="$PLUG/firewall" cni DEL a "$FW" >/dev/null || fail "firewall DEL"
PLUGIN="$PLUG/portmap" cni DEL a "$PM" >/dev/null || fail "portmap DEL"
out=$(cni DEL a "$CONF") || fail "DEL a: $out"
out=$(cni DEL a "$CONF") || fail "second DEL a: $out"
ip netns delete "${T_ID}c"
out=$(cni DEL c "$OWN") || fail "DEL c with its namespace gone: $out"
[ -z "$(ls "$HL/cninet" | grep -v -e lock -e last_reserved)" ] || fail "host-local leases left: $(ls "$HL/cninet")"
no_trace
pass
